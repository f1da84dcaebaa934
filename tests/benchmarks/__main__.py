"""Run the TMS benchmarks and print their table: ``python -m tests.benchmarks --help``.

``./tms bench`` runs this on a fresh database without demo data. Figures are
information: they never fail the run. The exit code is 0 when every selected benchmark
ran, 1 when one raised an error, 2 for a usage error.
"""

import argparse
import fnmatch
import gc
import importlib
import json
import os
import pkgutil
import platform
import resource
import sys
import threading
import time
import traceback
import tracemalloc
from datetime import datetime, timezone

from . import Benchmark, Context, Latencies, markdown_table, odoo_command

MIB = 1024 * 1024
COLUMNS = [
    "name",
    "size",
    "time (s)",
    "rate (/s)",
    "peak memory (MiB)",
    "target",
    "note",
]


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks",
        description="Run the TMS benchmarks (tests/benchmarks/bench_*.py) on an Odoo "
        "database and print one row per benchmark. Figures never decide pass or fail.",
    )
    parser.add_argument(
        "--config", help="Odoo configuration file (./tms: .tms/odoo.conf)"
    )
    parser.add_argument("--database", help="database with the TMS modules installed")
    parser.add_argument("--odoo-src", help="Odoo source folder (the one with odoo-bin)")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="benchmarks to run: names, shell patterns (parcels_*) or module names "
        "(parcels, bench_parcels)",
    )
    parser.add_argument(
        "--size-factor",
        type=float,
        default=1.0,
        help="multiply every benchmark's size by this (e.g. 0.1 for a quick try)",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the benchmarks and exit"
    )
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="trace Python allocations: the memory column then shows their peak, but "
        "tracing slows Python code down several times, so times are not comparable",
    )
    parser.add_argument(
        "--log-level",
        default="warn",
        help="Odoo log level while benchmarking (default: warn)",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="for tests.benchmarks.compare: announce the selected benchmarks as one "
        "JSON line on stdout, then run each name read from stdin and answer its result "
        "as one JSON line (the rest of the output goes to stderr)",
    )
    args = parser.parse_args(argv)
    if args.size_factor <= 0:
        parser.error("--size-factor must be positive")
    if not args.list and not (args.config and args.database):
        parser.error("--config and --database are required (except with --list)")
    return args


def boot_odoo(args):
    """Parse the Odoo configuration; return the odoo package."""
    if args.odoo_src:
        src = os.path.abspath(args.odoo_src)
        if src not in sys.path:
            sys.path.insert(0, src)
    import odoo

    options = []
    if args.config:
        options += ["-c", args.config]
    if args.database:
        options += ["-d", args.database]
    options += [f"--log-level={args.log_level}"]
    odoo.tools.config.parse_config(options)
    odoo.modules.module.initialize_sys_path()
    return odoo


def discover(import_errors=None):
    """Import every bench_*.py of this package; return [(module name, Benchmark)].

    A module that fails to import stops the run, unless ``import_errors`` is a dict:
    then its error is stored there under the module's name and the others are kept.
    """
    found, names = [], {}
    package = sys.modules[__package__]
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.name.startswith("bench_"):
            continue
        try:
            module = importlib.import_module(f"{__package__}.{info.name}")
        except Exception as error:
            if import_errors is None:
                raise
            import_errors[info.name] = f"{type(error).__name__}: {error}"
            continue
        items = getattr(module, "BENCHMARKS", None)
        if items is None:
            raise SystemExit(f"{module.__file__}: no BENCHMARKS list")
        for item in items:
            bench = as_benchmark(item)
            if bench.name in names:
                raise SystemExit(
                    f"benchmark {bench.name!r} is defined in both {names[bench.name]} "
                    f"and {info.name}"
                )
            names[bench.name] = info.name
            found.append((info.name, bench))
    return found


def as_benchmark(item):
    if isinstance(item, Benchmark):
        return item
    run = getattr(item, "run", None)
    if run is None and callable(item):
        run = item
    if run is None:
        raise SystemExit(f"{item!r} has no run(ctx) method")
    return Benchmark(
        name=getattr(item, "name", None) or item.__name__,
        run=run,
        size=getattr(item, "size", None),
        target=getattr(item, "target", ""),
        note=getattr(item, "note", ""),
        commit=getattr(item, "commit", False),
        setup=getattr(item, "setup", None),
        teardown=getattr(item, "teardown", None),
        max_seconds=getattr(item, "max_seconds", None),
        description=(getattr(item, "__doc__", None) or "").strip().split("\n")[0],
    )


def select(found, patterns):
    if not patterns:
        return found
    chosen, unknown = [], []
    for pattern in patterns:
        matches = [
            (module, bench)
            for module, bench in found
            if fnmatch.fnmatchcase(bench.name, pattern)
            or module in (pattern, f"bench_{pattern}")
        ]
        if not matches:
            unknown.append(pattern)
        chosen += [m for m in matches if m not in chosen]
    if unknown:
        known = ", ".join(bench.name for _m, bench in found) or "none"
        raise SystemExit(f"no benchmark matches {', '.join(unknown)} (known: {known})")
    # Keep the order of discovery, whatever the order of --only.
    return [m for m in found if m in chosen]


def max_rss_bytes():
    """The process's peak resident set size so far (getrusage)."""
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return usage if sys.platform == "darwin" else usage * 1024


class RssSampler:
    """Samples the resident set size every ``interval`` seconds in a thread, for the
    peak growth during one benchmark (getrusage's peak only grows past earlier ones)."""

    def __init__(self, interval=0.02):
        self.interval = interval
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.start_rss = self.peak = self.current()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def current(self):
        try:
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * self.page
        except OSError:  # not Linux
            return None

    def _sample(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.current())

    def __enter__(self):
        if self.start_rss is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self.start_rss is not None:
            self._stop.set()
            self._thread.join()
            self.peak = max(self.peak, self.current())

    @property
    def growth(self):
        return None if self.start_rss is None else self.peak - self.start_rss


def record_result(row, bench, result, elapsed, size_factor):
    """Fill ``row`` from what ``bench.run`` returned (see Benchmark)."""
    count, latencies = row["size"], None
    if isinstance(result, Latencies):
        latencies, result = result, {}
    explicit_count = False
    if isinstance(result, dict):
        result = dict(result)
        latencies = result.pop("latencies", latencies)
        if latencies is not None:
            count = len(latencies)
        explicit_count = "count" in result
        count = result.pop("count", count)
        notes = [bench.note, result.pop("note", None)]
        if latencies is not None:
            notes.append(latencies.summary())
            result.update(latencies.as_dict())
        row["note"] = " ".join(filter(None, notes))
        row["target_met"] = result.pop("target_met", None)
        row["extra"] = result
    if bench.max_seconds is not None and size_factor == 1:
        row["target_met"] = elapsed <= bench.max_seconds
    row["time_s"] = elapsed
    row["count"] = count
    if latencies is not None and not explicit_count:
        # Calls per second of the concurrent batch itself, not of the whole run.
        row["rate_per_s"] = latencies.rate
    elif count and elapsed > 0:
        row["rate_per_s"] = count / elapsed


def run_one(registry, module, bench, args, options):
    size = None if bench.size is None else max(1, round(bench.size * args.size_factor))
    row = {
        "name": bench.name,
        "module": module,
        "size": size,
        "count": None,
        "time_s": None,
        "rate_per_s": None,
        "rss_peak_growth_mib": None,
        "max_rss_delta_mib": None,
        "py_peak_mib": None,
        "target": bench.target,
        "target_met": None,
        "note": bench.note,
        "commit": bench.commit,
        "error": None,
        "extra": {},
    }
    gc.collect()
    cr = registry.cursor()
    ctx = Context(
        registry=registry,
        cr=cr,
        size=size,
        size_factor=args.size_factor,
        options=options,
    )
    tracing = False
    try:
        if bench.setup:
            bench.setup(ctx)
        if bench.commit:
            cr.commit()
        else:
            cr.flush()
        gc.collect()
        rss_before = max_rss_bytes()
        if args.tracemalloc:
            tracemalloc.start()
            tracing = True
        with RssSampler() as sampler:
            start = time.perf_counter()
            result = bench.run(ctx)
            # Pending ORM writes and pre-commit hooks (mail tracking...) are part of
            # the work: flush them (and commit, if the benchmark commits) in the timing.
            if bench.commit:
                cr.commit()
            else:
                cr.flush()
            elapsed = time.perf_counter() - start
        if sampler.growth is not None:
            row["rss_peak_growth_mib"] = sampler.growth / MIB
        if tracing:
            row["py_peak_mib"] = tracemalloc.get_traced_memory()[1] / MIB
            tracemalloc.stop()
            tracing = False
        row["max_rss_delta_mib"] = (max_rss_bytes() - rss_before) / MIB
        record_result(row, bench, result, elapsed, args.size_factor)
        if bench.teardown:
            bench.teardown(ctx)
        if bench.commit:
            cr.commit()
    except Exception as error:
        row["error"] = f"{type(error).__name__}: {error}"
        row["traceback"] = traceback.format_exc()
    finally:
        if tracing:
            tracemalloc.stop()
        try:
            cr.rollback()
        finally:
            cr.close()
            ctx.close()
    return row


def fmt(value, digits):
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def table(rows, tracemalloc_on):
    lines = []
    for row in rows:
        if tracemalloc_on:
            memory = row["py_peak_mib"]
        elif row["rss_peak_growth_mib"] is not None:
            memory = row["rss_peak_growth_mib"]
        else:
            memory = row["max_rss_delta_mib"]
        target = row["target"] or "-"
        if row["target_met"] is not None and row["target"]:
            target += " (met)" if row["target_met"] else " (missed)"
        note = f"ERROR {row['error']}" if row["error"] else (row["note"] or "")
        lines.append(
            [
                row["name"],
                fmt(row["size"], 0),
                fmt(row["time_s"], 3),
                fmt(row["rate_per_s"], 1),
                fmt(memory, 1),
                target,
                note,
            ]
        )
    return markdown_table(COLUMNS, lines)


def serve(registry, chosen, import_errors, args, options):
    """Run benchmarks one at a time on request (``--serve``), for a comparison
    between two databases (tests/benchmarks/compare.py): stdin gives one benchmark name
    a line, each answer is one JSON line (the row of :func:`run_one`) on stdout."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    # Anything else printed (benchmarks, Odoo) goes to stderr, never into the answers.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    by_name = {bench.name: (module, bench) for module, bench in chosen}
    hello = {"benchmarks": list(by_name), "import_errors": import_errors}
    answers.write(json.dumps(hello) + "\n")
    for line in sys.stdin:
        name = line.strip()
        if not name:
            continue
        if name in by_name:
            module, bench = by_name[name]
            print(f"--> {name} ({module})", file=sys.stderr, flush=True)
            row = run_one(registry, module, bench, args, options)
            if row["error"]:
                print(row["traceback"], file=sys.stderr, flush=True)
        else:
            failed = "; ".join(f"{m}: {e}" for m, e in import_errors.items())
            row = {
                "name": name,
                "error": "not defined with this code"
                + (f" ({failed})" if failed else ""),
            }
        row.pop("traceback", None)
        answers.write(json.dumps(row, default=str) + "\n")
    return 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    odoo = boot_odoo(args)
    import_errors = {} if args.serve else None
    chosen = select(discover(import_errors), args.only)
    if args.list:
        for module, bench in chosen:
            size = "-" if bench.size is None else f"{bench.size:,}"
            print(f"{bench.name:32} {module:24} size {size:>10}  {bench.target}")
            if bench.description:
                print(f"{'':32} {bench.description}")
        return 0

    options = {
        "config": os.path.abspath(args.config),
        "odoo_command": odoo_command(args.odoo_src),
        "log_level": args.log_level,
    }
    registry = odoo.modules.registry.Registry(args.database)
    if args.serve:
        return serve(registry, chosen, import_errors, args, options)
    rows = []
    for module, bench in chosen:
        print(f"--> {bench.name} ({module})", file=sys.stderr, flush=True)
        row = run_one(registry, module, bench, args, options)
        if row["error"]:
            print(row["traceback"], file=sys.stderr, flush=True)
        rows.append(row)

    memory_kind = (
        "peak of Python allocations (--tracemalloc: times are inflated by tracing)"
        if args.tracemalloc
        else "peak growth of the resident set size (RSS) during the run"
    )
    print()
    print(table(rows, args.tracemalloc))
    print()
    print(
        f"database {args.database}, size factor {args.size_factor:g}, memory: "
        f"{memory_kind}. Figures are information, never pass/fail."
    )
    if args.json:
        report = {
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "database": args.database,
            "size_factor": args.size_factor,
            "tracemalloc": args.tracemalloc,
            "odoo": odoo.release.version,
            "python": platform.python_version(),
            "machine": {
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
            },
            "results": [
                {k: v for k, v in row.items() if k != "traceback"} for row in rows
            ],
        }
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2, default=str)
            out.write("\n")
        print(f"results written to {args.json}")
    return 1 if any(row["error"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
