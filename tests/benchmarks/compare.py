"""Compare the benchmarks of two versions of the modules side by side:
``python -m tests.benchmarks.compare --help`` (``./tms bench --against REV``).

Both sides run the benchmarks of this work tree (``tests/benchmarks``), each in an Odoo
process of its own (``python -m tests.benchmarks --serve``) whose configuration loads
one version of the modules: the database of revision REV with an addons_path on a
worktree of REV, and the database of this work tree. The runner asks each process for
one benchmark at a time, in turns (REV then current, current then REV on the next
repetition...), so that what else the machine does weighs on both; the table shows the
median time of each side, their ratio and marks the benchmarks that became more than
10 % slower. A benchmark that cannot run with REV's code shows "n/a" on that side.
Figures are information: the exit code is 1 only when a benchmark fails with the code
of this work tree, 2 for a usage error.
"""

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone

from . import markdown_table

# The repository: the benchmark processes import tests.benchmarks from here.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The current code is marked when its median time exceeds REV's by more than this.
SLOWER_RATIO = 1.10
COLUMNS = ["name", "size", "{rev} (s)", "current (s)", "ratio", "flag", "note"]
NA = "n/a"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.compare",
        description="Run this work tree's benchmarks on two databases, one with the "
        "modules of a revision REV and one with the modules of this work tree, in "
        "turns, and print one table with both times and their ratio.",
    )
    parser.add_argument(
        "--config", required=True, help="Odoo configuration of this work tree"
    )
    parser.add_argument(
        "--database", required=True, help="database with this work tree's modules"
    )
    parser.add_argument(
        "--rev-config",
        required=True,
        help="Odoo configuration whose addons_path holds REV's modules",
    )
    parser.add_argument(
        "--rev-database", required=True, help="database with REV's modules installed"
    )
    parser.add_argument(
        "--rev-label", default="REV", help="column title of REV (e.g. its hash)"
    )
    parser.add_argument("--odoo-src", help="Odoo source folder (the one with odoo-bin)")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="benchmarks to run: names, shell patterns or module names",
    )
    parser.add_argument(
        "--size-factor",
        type=float,
        default=1.0,
        help="multiply every benchmark's size by this (e.g. 0.1 for a quick try)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each benchmark on each side; the table shows the medians "
        "(default: 3)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument(
        "--log-dir",
        help="where the log of each side goes (default: a temporary folder)",
    )
    parser.add_argument(
        "--log-level",
        default="warn",
        help="Odoo log level while benchmarking (default: warn)",
    )
    args = parser.parse_args(argv)
    if args.size_factor <= 0:
        parser.error("--size-factor must be positive")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


class Side:
    """One version of the modules: an Odoo process running ``tests.benchmarks
    --serve`` on its database, asked for one benchmark at a time."""

    def __init__(self, label, config, database, log_path):
        self.label = label
        self.config = config
        self.database = database
        self.log_path = log_path
        self.process = None
        self.benchmarks = []
        self.import_errors = {}
        # Why this side cannot run anything (it failed to start or died).
        self.failure = None

    def start(self, args, only=None):
        command = [
            sys.executable,
            "-m",
            "tests.benchmarks",
            "--serve",
            "--config",
            self.config,
            "--database",
            self.database,
            "--size-factor",
            repr(args.size_factor),
            "--log-level",
            args.log_level,
        ]
        if args.odoo_src:
            command += ["--odoo-src", args.odoo_src]
        if only:
            command += ["--only", *only]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=ROOT,
                text=True,
                bufsize=1,
            )

    def wait_ready(self):
        """Read the process's announcement; False (with ``failure``) if it failed."""
        hello = self._read()
        if hello is None:
            return False
        self.benchmarks = hello["benchmarks"]
        self.import_errors = hello.get("import_errors") or {}
        return True

    def run(self, name):
        """Run one benchmark; return its row (a dict with ``error`` on failure)."""
        if self.failure:
            return {"name": name, "error": self.failure}
        try:
            self.process.stdin.write(name + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # the process died: _read says how
        row = self._read()
        return row if row is not None else {"name": name, "error": self.failure}

    def _read(self):
        line = self.process.stdout.readline()
        if line:
            return json.loads(line)
        code = self.process.wait()
        self.failure = (
            f"the benchmark process exited (code {code}), see {self.log_path}"
        )
        return None

    def stop(self):
        if self.process is None:
            return
        with contextlib.suppress(OSError):  # a process that died leaves a broken pipe
            self.process.stdin.close()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def side_summary(rows):
    """Median time and spread of one side's rows (one per repetition)."""
    times = [row["time_s"] for row in rows if not row.get("error")]
    errors = [row["error"] for row in rows if row.get("error")]
    # Items handled; not for concurrent calls, whose successful count is noise.
    counts = {
        row.get("count")
        for row in rows
        if not row.get("error") and "calls" not in (row.get("extra") or {})
    }
    median = statistics.median(times) if times else None
    return {
        "times": times,
        "median": median,
        "spread": (max(times) - min(times)) / median if times and median else None,
        "errors": errors,
        "counts": sorted(c for c in counts if c is not None),
    }


def merge(names, rev_runs, current_runs, sizes=None, rev_label="REV"):
    """One row per benchmark from the rows of both sides.

    ``rev_runs`` and ``current_runs`` map a benchmark name to the list of its rows (as
    written by ``python -m tests.benchmarks``, one per repetition); ``sizes`` maps a
    name to its size; ``rev_label`` names REV in the notes. The ratio is current / REV
    of the median times, None when a side has no time; ``slower`` is True when the
    ratio exceeds :data:`SLOWER_RATIO`.
    """
    merged = []
    for name in names:
        rev = side_summary(rev_runs.get(name, []))
        current = side_summary(current_runs.get(name, []))
        ratio = None
        if rev["median"] and current["median"] is not None:
            ratio = current["median"] / rev["median"]
        notes = []
        for label, side in ((rev_label, rev), ("current", current)):
            if side["errors"] and side["median"] is None:
                notes.append(f"{label}: {side['errors'][0]}")
            elif side["errors"]:
                notes.append(
                    f"{label}: {len(side['errors'])} failed run(s): {side['errors'][0]}"
                )
        if rev["counts"] and current["counts"] and rev["counts"] != current["counts"]:
            notes.append(f"counts differ: {rev['counts']} vs {current['counts']}")
        merged.append(
            {
                "name": name,
                "size": (sizes or {}).get(name),
                "rev": rev,
                "current": current,
                "ratio": ratio,
                "slower": ratio is not None and ratio > SLOWER_RATIO,
                "note": "; ".join(notes),
            }
        )
    return merged


def _seconds(side):
    if side["median"] is None:
        return NA
    text = f"{side['median']:,.3f}"
    if side["spread"] is not None and len(side["times"]) > 1:
        text += f" ±{side['spread'] * 50:.0f}%"
    return text


def comparison_table(merged, rev_label):
    """The table of :func:`merge`'s rows, as text (Markdown-like).

    Times are medians, followed by ± half their spread (max - min) in % of the
    median when a side ran more than once; the unnamed column says "slower" when the
    ratio exceeds :data:`SLOWER_RATIO`.
    """
    columns = [title.format(rev=rev_label) for title in COLUMNS]
    lines = []
    for row in merged:
        lines.append(
            [
                row["name"],
                "-" if row["size"] is None else f"{row['size']:,}",
                _seconds(row["rev"]),
                _seconds(row["current"]),
                NA if row["ratio"] is None else f"{row['ratio']:.2f}",
                f"slower > {round((SLOWER_RATIO - 1) * 100)} %"
                if row["slower"]
                else "",
                row["note"],
            ]
        )
    return markdown_table(columns, lines)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    log_dir = args.log_dir or tempfile.mkdtemp(prefix="tms-bench-compare-")
    os.makedirs(log_dir, exist_ok=True)
    rev = Side(
        args.rev_label,
        os.path.abspath(args.rev_config),
        args.rev_database,
        os.path.join(log_dir, f"bench-{args.rev_database}.log"),
    )
    current = Side(
        "current",
        os.path.abspath(args.config),
        args.database,
        os.path.join(log_dir, f"bench-{args.database}.log"),
    )
    rev_runs, current_runs, sizes = {}, {}, {}
    try:
        # REV runs every benchmark it can import; --only selects on this tree's list.
        rev.start(args)
        current.start(args, args.only)
        if not current.wait_ready():
            print(f"the current side failed: {current.failure}", file=sys.stderr)
            return 1
        if not rev.wait_ready():
            print(f"{args.rev_label}: {rev.failure}", file=sys.stderr)
        for module, error in rev.import_errors.items():
            print(
                f"{args.rev_label}: {module} failed to import: {error}", file=sys.stderr
            )
        names = current.benchmarks
        for repetition in range(args.repeat):
            for name in names:
                # Turns alternate, so that neither side always runs first.
                order = (rev, current) if repetition % 2 == 0 else (current, rev)
                for side in order:
                    runs = rev_runs if side is rev else current_runs
                    earlier = runs.get(name, [])
                    if earlier and all(row.get("error") for row in earlier):
                        continue  # it failed every time on this side: no retry
                    row = side.run(name)
                    runs.setdefault(name, []).append(row)
                    if side is current and row.get("size") is not None:
                        sizes[name] = row["size"]
                    outcome = (
                        f"ERROR {row['error']}"
                        if row.get("error")
                        else f"{row['time_s']:.3f} s"
                    )
                    print(
                        f"--> {name} [{side.label}, run {repetition + 1}/{args.repeat}]"
                        f" {outcome}",
                        file=sys.stderr,
                        flush=True,
                    )
    finally:
        rev.stop()
        current.stop()

    merged = merge(names, rev_runs, current_runs, sizes, args.rev_label)
    print()
    print(comparison_table(merged, args.rev_label))
    print()
    print(
        f"{args.rev_label}: database {args.rev_database}; current: database "
        f"{args.database}; size factor {args.size_factor:g}; median of {args.repeat} "
        f"run(s) per side, taken in turns; ratio = current / {args.rev_label}. "
        f"Figures are information, never pass/fail. Logs: {log_dir}"
    )
    if args.json:
        report = {
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "rev": args.rev_label,
            "rev_database": args.rev_database,
            "database": args.database,
            "size_factor": args.size_factor,
            "repeat": args.repeat,
            "python": platform.python_version(),
            "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
            "results": merged,
            "runs": {"rev": rev_runs, "current": current_runs},
        }
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2, default=str)
            out.write("\n")
        print(f"results written to {args.json}")
    failed = any(row.get("error") for rows in current_runs.values() for row in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
