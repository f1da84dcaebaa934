# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Raw TCP printing against a printer listening on 127.0.0.1, without Odoo's ORM."""

import socket
import threading

from odoo.tests import BaseCase

from ..tools import raw_tcp

ZPL = b"^XA^FO50,50^A0N,40,40^FDRR123456785MA^FS^XZ"


class TcpPrinter:
    """A network printer on 127.0.0.1: records what each connection sent, or, when
    ``reading`` is False, accepts connections and never reads (a printer whose
    buffer is full)."""

    def __init__(self, reading=True):
        self.received = []
        self.connections = 0
        self.reading = reading
        self._done = threading.Condition()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if not reading:
            # a small window: the client's writes block once it is full
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stopped = threading.Event()
        self._held = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stopped.is_set():
            try:
                conn, __ = self._sock.accept()
            except OSError:
                continue
            if not self.reading:
                self._held.append(conn)
                continue
            chunks = []
            with conn:
                conn.settimeout(5)
                while True:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        break
                    if not chunk:  # the client closed its side: the job is complete
                        break
                    chunks.append(chunk)
            with self._done:
                self.connections += 1
                self.received.append(b"".join(chunks))
                self._done.notify_all()

    def wait_for(self, count, timeout=10):
        with self._done:
            self._done.wait_for(lambda: self.connections >= count, timeout)
            return list(self.received)

    def close(self):
        self._stopped.set()
        self._thread.join(2)
        for conn in self._held:
            conn.close()
        self._sock.close()


def free_port():
    """A TCP port nothing listens on (a printer that is off)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestRawTcp(BaseCase):
    def make_printer(self, **kwargs):
        printer = TcpPrinter(**kwargs)
        self.addCleanup(printer.close)
        return printer

    def test_printer_receives_the_bytes_as_sent(self):
        printer = self.make_printer()
        big = bytes(range(256)) * 8192  # 2 MiB: many writes, every byte value
        raw_tcp.send("127.0.0.1", printer.port, ZPL)
        raw_tcp.send(" 127.0.0.1 ", printer.port, big)
        self.assertEqual(printer.wait_for(2), [ZPL, big])

    def test_probe_connects_and_sends_nothing(self):
        printer = self.make_printer()
        self.assertIsNone(raw_tcp.probe("127.0.0.1", printer.port))
        self.assertEqual(printer.wait_for(1), [b""])

    def test_printer_off_is_unreachable_not_a_timeout(self):
        port = free_port()
        for call in (
            lambda: raw_tcp.send("127.0.0.1", port, ZPL),
            lambda: raw_tcp.probe("127.0.0.1", port),
        ):
            with self.assertRaises(ConnectionRefusedError) as caught:
                call()
            self.assertIsInstance(caught.exception, OSError)
            self.assertFalse(raw_tcp.is_timeout(caught.exception))
            self.assertIn("refused", str(caught.exception).lower())

    def test_printer_that_stops_reading_times_out(self):
        printer = self.make_printer(reading=False)
        with self.assertRaises(TimeoutError) as caught:
            raw_tcp.send("127.0.0.1", printer.port, b"x" * (64 << 20), io_timeout=0.5)
        self.assertIsInstance(caught.exception, OSError)
        self.assertTrue(raw_tcp.is_timeout(caught.exception))

    def test_address_defaults_to_port_9100(self):
        self.assertEqual(raw_tcp.address(" zebra.lan ", None), ("zebra.lan", 9100))
        self.assertEqual(raw_tcp.address("10.0.0.5", "9101"), ("10.0.0.5", 9101))
