# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Virtual devices for the tests: a raw TCP 9100 printer and a serial scanner."""

import contextlib
import os
import socket
import threading
import time


class TcpPrinter:
    """A label printer listening on 127.0.0.1: records what each connection sent."""

    def __init__(self, port=0):
        self.received = []
        self._cond = threading.Condition()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", port))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stopped.is_set():
            try:
                conn, __ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(5)
                chunks = []
                while True:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    chunks.append(chunk)
            data = b"".join(chunks)
            if data:  # a reachability check connects and sends nothing
                with self._cond:
                    self.received.append(data)
                    self._cond.notify_all()

    def wait_for(self, count=1, timeout=10):
        with self._cond:
            self._cond.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)

    def close(self):
        """Switch the printer off: connections are refused from now on."""
        self._stopped.set()
        self._thread.join(2)
        self._sock.close()


def free_port():
    """A TCP port nothing listens on (a printer that is off)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PtyScanner:
    """A serial barcode scanner: the driver opens ``port``, the test types on it."""

    def __init__(self):
        self.master, self._slave = os.openpty()
        self.port = os.ttyname(self._slave)

    def scan(self, barcode, terminator=b"\r"):
        os.write(self.master, barcode.encode() + terminator)

    def close(self):
        for fd in (self.master, self._slave):
            with contextlib.suppress(OSError):  # already closed
                os.close(fd)


def wait_until(predicate, timeout=10, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
