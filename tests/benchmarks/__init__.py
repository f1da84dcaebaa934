"""Benchmarks of the TMS suite, run by ``./tms bench`` (``python -m tests.benchmarks``).

A benchmark module is a file ``bench_<topic>.py`` of this folder with a list
``BENCHMARKS``. Each item has a ``name``, a ``size`` (how many items one run handles,
``None`` when that means nothing) and a ``run(ctx)`` method; :class:`Benchmark` and the
:func:`benchmark` decorator make them::

    from . import benchmark

    @benchmark("parcels_orm", size=10_000, target="< 60 s")
    def parcels_orm(ctx):
        ctx.env["tms.parcel"].create([... for i in range(ctx.size)])

    BENCHMARKS = [parcels_orm]

The harness (``__main__.py``) gives each benchmark a fresh cursor and a
:class:`Context`, times ``run`` and measures its peak memory, then rolls the
transaction back, or commits it when the benchmark says ``commit=True``. See README.md.
"""

import contextlib
import dataclasses
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["Benchmark", "Context", "HttpServer", "Latencies", "benchmark"]


@dataclasses.dataclass
class Benchmark:
    """One measurement.

    ``run(ctx)`` does the measured work. It may return ``None``, a :class:`Latencies`
    (from :meth:`Context.concurrent`) or a dict with any of: ``count`` (items handled,
    for the rate; defaults to the size, or to the number of successful calls of a
    :class:`Latencies`), ``latencies`` (a :class:`Latencies`: its percentiles go to the
    note and the JSON, its calls per second to the rate), ``note`` (text for the
    table), ``target_met`` (bool, shown next to the target; it never fails the run) and
    any other key, kept in the JSON output.

    ``setup(ctx)`` and ``teardown(ctx)`` run in the same transaction, before and after
    ``run``, and are not measured; ``ctx.data`` carries values between them.

    ``commit``: False (default) rolls the whole transaction back at the end, setup
    included, so the database is left as it was; True commits after ``setup`` (so that a
    server started with :meth:`Context.http_server` sees its data) and after ``run``.

    ``max_seconds``: when set, the harness shows whether the measured time met it (at
    ``--size-factor 1`` only); like ``target``, it is information and fails nothing.
    """

    name: str
    run: Callable[["Context"], Any]
    size: int | None = None
    target: str = ""
    note: str = ""
    commit: bool = False
    setup: Callable[["Context"], Any] | None = None
    teardown: Callable[["Context"], Any] | None = None
    description: str = ""
    max_seconds: float | None = None

    def __post_init__(self):
        if not re.fullmatch(r"[a-z0-9_]+", self.name):
            raise ValueError(f"benchmark name {self.name!r}: use a-z, 0-9 and _ only")
        if not self.description:
            doc = (getattr(self.run, "__doc__", None) or "").strip()
            self.description = doc.splitlines()[0] if doc else ""


def benchmark(
    name=None,
    *,
    size=None,
    target="",
    note="",
    commit=False,
    setup=None,
    teardown=None,
    max_seconds=None,
):
    """Decorator turning ``run(ctx)`` into a :class:`Benchmark`."""

    def decorate(func):
        return Benchmark(
            name=name or func.__name__,
            run=func,
            size=size,
            target=target,
            note=note,
            commit=commit,
            setup=setup,
            teardown=teardown,
            max_seconds=max_seconds,
        )

    return decorate


class Latencies(list):
    """Latencies in seconds of the calls that succeeded, with what went wrong.

    ``errors`` lists ``(call index, repr(exception))``; ``wall_time`` is the time the
    whole batch of calls took; ``calls`` counts every call, failed or not.
    """

    def __init__(self, values=(), *, errors=(), wall_time=0.0, calls=None):
        super().__init__(values)
        self.errors = list(errors)
        self.wall_time = wall_time
        self.calls = len(self) + len(self.errors) if calls is None else calls

    def percentile(self, q):
        """The q-th percentile (0-100), linearly interpolated; None when empty."""
        if not self:
            return None
        values = sorted(self)
        rank = (len(values) - 1) * q / 100.0
        low, high = math.floor(rank), math.ceil(rank)
        return values[low] + (values[high] - values[low]) * (rank - low)

    @property
    def p50(self):
        return self.percentile(50)

    @property
    def p95(self):
        return self.percentile(95)

    @property
    def p99(self):
        return self.percentile(99)

    @property
    def rate(self):
        """Successful calls per second of wall time."""
        return len(self) / self.wall_time if self.wall_time else None

    def summary(self):
        """A short text for the note column: p50/p95/max in ms and the errors."""
        if not self:
            return f"no successful call, {len(self.errors)} errors"
        text = (
            f"p50 {self.p50 * 1000:.0f} ms, p95 {self.p95 * 1000:.0f} ms, "
            f"max {max(self) * 1000:.0f} ms"
        )
        if self.errors:
            text += f", {len(self.errors)} errors (first: {self.errors[0][1][:80]})"
        return text

    def as_dict(self):
        def ms(value):
            return None if value is None else round(value * 1000, 2)

        return {
            "calls": self.calls,
            "ok": len(self),
            "errors": len(self.errors),
            "first_errors": [text for _i, text in self.errors[:5]],
            "wall_time_s": round(self.wall_time, 4),
            "p50_ms": ms(self.p50),
            "p95_ms": ms(self.p95),
            "p99_ms": ms(self.p99),
            "max_ms": ms(max(self) if self else None),
        }


def free_port():
    """A TCP port of the loopback interface that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HttpServer:
    """An Odoo server in a subprocess, on the loopback interface."""

    def __init__(self, command, port, log_path):
        self.command = command
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.process = None

    def start(self, timeout=180):
        with open(self.log_path, "ab") as log:
            # A session of its own: stop() ends the server and its prefork workers.
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the Odoo server exited with code {self.process.returncode}; "
                    f"see {self.log_path}:\n{self._log_tail()}"
                )
            if self._get("/web/health") == 200:
                return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"the Odoo server did not answer within {timeout} s; see {self.log_path}"
        )

    def warm_up(self, workers, timeout=180):
        """Have each worker load the registry before anything is measured."""
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            statuses = list(
                pool.map(
                    lambda _i: self._get("/web/login", timeout=timeout),
                    range(2 * max(1, workers)),
                )
            )
        if 200 not in statuses:
            raise RuntimeError(
                f"the Odoo server does not serve /web/login (got {statuses}); "
                f"see {self.log_path}:\n{self._log_tail()}"
            )

    def _get(self, path, timeout=5):
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (OSError, ValueError):
            return None

    def _log_tail(self, lines=30):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                return "".join(log.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout=30):
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout)


class Context:
    """What a benchmark gets: ``env``/``cr`` on its own transaction, ``size`` (already
    scaled by ``--size-factor``), ``data`` (a dict shared by setup, run and teardown),
    and helpers to start an HTTP server and run concurrent calls."""

    def __init__(self, *, registry, cr, size, size_factor, options):
        import odoo

        self.registry = registry
        self.cr = cr
        self.env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        self.size = size
        self.size_factor = size_factor
        self.dbname = cr.dbname
        self.options = options
        self.data = {}
        self._servers = []
        self._sessions = []
        self._pools = {}
        self._local = threading.local()

    def scaled(self, number, minimum=1):
        """``number`` scaled by ``--size-factor`` (for counts other than the size)."""
        return max(minimum, round(number * self.size_factor))

    def commit(self):
        """Flush, run the pre-commit hooks and commit the benchmark's transaction."""
        self.cr.commit()

    def http_server(self, workers=2, extra_args=(), timeout=180):
        """Start ``odoo-bin`` with the harness's config and database, ``workers`` HTTP
        workers and no cron, on a free loopback port; return its base URL.

        The server is stopped when the benchmark ends. It sees committed data only:
        use ``commit=True`` on a benchmark whose setup writes what the server reads.
        """
        port, gevent_port = free_port(), free_port()
        fd, log_path = tempfile.mkstemp(prefix=f"tms-bench-http-{port}-", suffix=".log")
        os.close(fd)
        command = [
            *self.options["odoo_command"],
            "-c",
            self.options["config"],
            "-d",
            self.dbname,
            f"--db-filter=^{re.escape(self.dbname)}$",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={gevent_port}",
            f"--log-level={self.options['log_level']}",
            *extra_args,
        ]
        server = HttpServer(command, port, log_path)
        self._servers.append(server)
        server.start(timeout=timeout)
        server.warm_up(workers, timeout=timeout)
        return server.url

    def http_session(self):
        """A ``requests.Session`` of the calling thread (keep-alive, own cookies)."""
        session = getattr(self._local, "session", None)
        if session is None:
            import requests

            session = self._local.session = requests.Session()
            self._sessions.append(session)
        return session

    def concurrent(self, fn, n_workers, n_calls):
        """Call ``fn(i)`` for i in 0..n_calls-1 from ``n_workers`` threads; return the
        :class:`Latencies` of the calls that succeeded, with the errors of the others.

        Later calls with the same ``n_workers`` reuse the same threads: a first small
        batch can log each thread's :meth:`http_session` in before the measured one.
        """
        latencies, errors, lock = [], [], threading.Lock()

        def call(i):
            start = time.perf_counter()
            try:
                fn(i)
            except Exception as error:  # every failure is counted, none stops the run
                with lock:
                    errors.append((i, f"{type(error).__name__}: {error}"))
            else:
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)

        # One pool per size, kept for the whole benchmark: its threads, and so their
        # http_session() (logged in, connected), serve every later call.
        pool = self._pools.get(n_workers)
        if pool is None:
            pool = self._pools[n_workers] = ThreadPoolExecutor(
                max_workers=n_workers, thread_name_prefix="bench"
            )
        start = time.perf_counter()
        list(pool.map(call, range(n_calls)))
        wall_time = time.perf_counter() - start
        return Latencies(latencies, errors=errors, wall_time=wall_time, calls=n_calls)

    def close(self):
        """Stop the servers and close the HTTP sessions this benchmark opened."""
        for pool in self._pools.values():
            pool.shutdown()
        self._pools = {}
        for session in self._sessions:
            session.close()
        for server in self._servers:
            server.stop()
        self._servers = []


def odoo_command(odoo_src=None):
    """The command line starting an Odoo server with this interpreter."""
    if odoo_src and os.path.isfile(os.path.join(odoo_src, "odoo-bin")):
        return [sys.executable, os.path.join(odoo_src, "odoo-bin")]
    return [sys.executable, "-m", "odoo"]


def markdown_table(columns, lines, right=frozenset({1, 2, 3, 4})):
    """``lines`` (lists of strings) under ``columns`` as a Markdown table, each column
    as wide as its widest cell; the columns numbered in ``right`` aligned right."""
    widths = [
        max(len(title), *(len(line[i]) for line in lines)) if lines else len(title)
        for i, title in enumerate(columns)
    ]

    def render(cells):
        return (
            "| "
            + " | ".join(
                cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                for i, cell in enumerate(cells)
            )
            + " |"
        )

    out = [render(columns), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [render(line) for line in lines]
    return "\n".join(out)
