# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The box's drivers, devices and state, on virtual devices, without Odoo's ORM."""

import json
import os
import tempfile
import threading
from unittest.mock import patch

from odoo.tests import BaseCase

from ..tools import box as box_tools
from ..tools import devices as device_config
from ..tools import drivers
from .virtual_devices import PtyScanner, TcpPrinter, free_port, wait_until

ZPL = b"^XA^FO50,50^A0N,40,40^FDRR123456785MA^FS^BCN,100,Y,N,N^FDRR123456785MA^FS^XZ"


class RecordingCondition(threading.Condition):
    """A condition that tells whether each wait ended by a notification (True) or
    by its timeout (False)."""

    def __init__(self):
        super().__init__()
        self.waiting = threading.Event()
        self.wakeups = []

    def wait(self, timeout=None):
        self.waiting.set()
        woken = super().wait(timeout)
        self.wakeups.append(woken)
        return woken


class BoxCase(BaseCase):
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def make_box(self, devices=(), usb_discovery=False):
        data_dir = os.path.join(self.tmp.name, "tms_box")
        os.makedirs(data_dir, exist_ok=True)
        with open(os.path.join(data_dir, "devices.json"), "w") as handle:
            json.dump(
                {"usb_discovery": usb_discovery, "devices": list(devices)}, handle
            )
        box = box_tools.Box(data_dir, version="18.0.1.0.0", name="test-box")
        box.start()
        self.addCleanup(box.stop)
        return box

    def wait_job(self, box, job):
        self.assertTrue(box.job(job.id, wait=10).finished_event.is_set())
        return job


class TestDrivers(BoxCase):
    def test_registry_picks_a_driver_per_device(self):
        cases = [
            ("printer", "network", "zpl", "NetworkPrinterDriver"),
            ("printer", "network", "raw", "NetworkPrinterDriver"),
            ("printer", "network", "escpos", "EscposPrinterDriver"),
            ("printer", "usb", "escpos", "EscposPrinterDriver"),
            ("printer", "serial", "escpos", "EscposPrinterDriver"),
            ("printer", "file", "zpl", "FilePrinterDriver"),
            ("scanner", "serial", None, "SerialScannerDriver"),
        ]
        for device_type, connection, language, expected in cases:
            device = {"type": device_type, "connection": connection}
            if language:
                device["language"] = language
            self.assertEqual(drivers.find_driver(device).__name__, expected, device)
        self.assertIsNone(drivers.find_driver({"type": "scale", "connection": "usb"}))

    def test_network_printer_receives_the_bytes_as_sent(self):
        printer = TcpPrinter()
        self.addCleanup(printer.close)
        box = self.make_box(
            [
                {
                    "id": "zebra",
                    "type": "printer",
                    "connection": "network",
                    "host": "127.0.0.1",
                    "port": printer.port,
                    "language": "zpl",
                }
            ]
        )
        job = self.wait_job(box, box.print_raw("zebra", ZPL, "k-1"))
        self.assertEqual(job.state, "done", job.error)
        self.assertEqual(printer.wait_for(1), [ZPL])
        self.assertEqual(box.devices()[0]["status"], "online")

    def test_printer_off_fails_the_job_and_shows_offline(self):
        box = self.make_box(
            [
                {
                    "id": "zebra",
                    "type": "printer",
                    "connection": "network",
                    "host": "127.0.0.1",
                    "port": free_port(),
                    "language": "zpl",
                }
            ]
        )
        self.assertEqual(
            wait_until(
                lambda: box.devices()[0]["status"] != "unknown"
                and box.devices()[0]["status"]
            ),
            "offline",
        )  # fmt: skip
        job = self.wait_job(box, box.print_raw("zebra", ZPL))
        self.assertEqual(job.state, "failed")
        self.assertIn("refused", job.error.lower())
        device = box.devices()[0]
        self.assertEqual(device["status"], "offline")
        self.assertTrue(device["status_message"])

    def test_print_returns_before_the_printer_answers(self):
        """A printer that hangs holds its worker thread, never the caller."""
        box = self.make_box(
            [
                {
                    "id": "slow",
                    "type": "printer",
                    "connection": "dummy",
                    "language": "escpos",
                }
            ]
        )
        driver = box.drivers["slow"]
        printing = threading.Event()
        release = threading.Event()
        original = driver.printer._raw

        def slow_raw(data):
            printing.set()
            release.wait(30)  # the printer answers only when the test says so
            original(data)

        with patch.object(driver.printer, "_raw", slow_raw):
            job = box.print_raw("slow", b"\x1b@hello\n")
            # had print_raw waited for the printer, the job would be done by now
            self.assertFalse(release.is_set())
            self.assertIn(job.state, ("queued", "printing"))
            self.assertEqual(driver.printer.output, b"")
            self.assertTrue(printing.wait(10), "the worker thread took the job")
            self.assertEqual(box.job(job.id).state, "printing")
            release.set()
            self.assertEqual(self.wait_job(box, job).state, "done")
        self.assertEqual(driver.printer.output, b"\x1b@hello\n")

    def test_escpos_dummy_printer_gets_the_raw_stream(self):
        from escpos.printer import Dummy

        builder = Dummy()
        builder.set(align="center", bold=True)
        builder.text("RR123456785MA\n")
        builder.barcode("{BRR123456785MA", "CODE128", function_type="B")
        builder.cut()
        stream = builder.output
        box = self.make_box(
            [
                {
                    "id": "epson",
                    "type": "printer",
                    "connection": "dummy",
                    "language": "escpos",
                }
            ]
        )
        job = self.wait_job(box, box.print_raw("epson", stream))
        self.assertEqual(job.state, "done")
        self.assertEqual(box.drivers["epson"].printer.output, stream)

    def test_escpos_network_printer_through_python_escpos(self):
        printer = TcpPrinter()
        self.addCleanup(printer.close)
        box = self.make_box(
            [
                {
                    "id": "xprinter",
                    "type": "printer",
                    "connection": "network",
                    "host": "127.0.0.1",
                    "port": printer.port,
                    "language": "escpos",
                }
            ]
        )
        self.assertEqual(
            box.drivers["xprinter"].__class__.__name__, "EscposPrinterDriver"
        )
        stream = b"\x1b@\x1ba\x01RR123456785MA\n\x1dV\x00"
        job = self.wait_job(box, box.print_raw("xprinter", stream))
        self.assertEqual(job.state, "done", job.error)
        self.assertEqual(printer.wait_for(1), [stream])

    def test_escpos_serial_printer_on_a_pty(self):
        pty = PtyScanner()  # the other end of a serial cable
        self.addCleanup(pty.close)
        box = self.make_box(
            [
                {
                    "id": "xprinter",
                    "type": "printer",
                    "connection": "serial",
                    "port": pty.port,
                    "language": "escpos",
                }
            ]
        )
        stream = b"\x1b@RR123456785MA\n\x1dV\x00"
        job = self.wait_job(box, box.print_raw("xprinter", stream))
        self.assertEqual(job.state, "done", job.error)
        received = b""
        while len(received) < len(stream):
            received += os.read(pty.master, 1024)
        self.assertEqual(received, stream)

    def test_file_printer(self):
        path = os.path.join(self.tmp.name, "lp0")
        open(path, "wb").close()
        box = self.make_box(
            [{"id": "usb-zebra", "type": "printer", "connection": "file", "path": path}]
        )  # fmt: skip
        job = self.wait_job(box, box.print_raw("usb-zebra", ZPL))
        self.assertEqual(job.state, "done", job.error)
        with open(path, "rb") as handle:
            self.assertEqual(handle.read(), ZPL)

    def test_same_job_key_prints_once(self):
        box = self.make_box(
            [
                {
                    "id": "epson",
                    "type": "printer",
                    "connection": "dummy",
                    "language": "escpos",
                }
            ]
        )
        first = self.wait_job(box, box.print_raw("epson", b"label", "db-42"))
        again = box.print_raw("epson", b"label", "db-42")
        self.assertEqual(first.id, again.id)
        self.assertEqual(box.drivers["epson"].printer.output, b"label")

    def test_serial_scanner_on_a_pty(self):
        scanner = PtyScanner()
        self.addCleanup(scanner.close)
        box = self.make_box(
            [
                {
                    "id": "scanner-1",
                    "type": "scanner",
                    "connection": "serial",
                    "port": scanner.port,
                }
            ]
        )
        self.assertTrue(wait_until(lambda: box.drivers["scanner-1"].status == "online"))
        start = box.scans.poll()
        scanner.scan("RR123456785MA")
        scanner.scan("CP000000001FR", terminator=b"\r\n")
        result = wait_until(
            lambda: len(box.scans.poll(start["last"], boot=start["boot"])["scans"]) == 2
            and box.scans.poll(start["last"], boot=start["boot"])
        )
        self.assertEqual(
            [(s["device"], s["barcode"]) for s in result["scans"]],
            [("scanner-1", "RR123456785MA"), ("scanner-1", "CP000000001FR")],
        )

    def test_serial_scanner_without_terminator_is_read_after_silence(self):
        scanner = PtyScanner()
        self.addCleanup(scanner.close)
        box = self.make_box(
            [
                {
                    "id": "scanner-1",
                    "type": "scanner",
                    "connection": "serial",
                    "port": scanner.port,
                }
            ]
        )
        self.assertTrue(wait_until(lambda: box.drivers["scanner-1"].status == "online"))
        start = box.scans.poll()
        scanner.scan("3760123456789", terminator=b"")
        result = box.scans.poll(start["last"], timeout=5, boot=start["boot"])
        self.assertEqual([s["barcode"] for s in result["scans"]], ["3760123456789"])

    def test_missing_serial_port_shows_offline(self):
        box = self.make_box(
            [{"id": "s1", "type": "scanner", "connection": "serial", "port": "/dev/x"}]
        )
        self.assertTrue(wait_until(lambda: box.drivers["s1"].status == "offline"))

    def test_devices_json_is_reread_when_it_changes(self):
        box = self.make_box(
            [{"id": "a", "type": "printer", "connection": "dummy", "language": "zpl"}]
        )
        self.assertEqual([d["id"] for d in box.devices()], ["a"])
        with open(box.devices_path, "w") as handle:
            json.dump(
                {"devices": [{"id": "b", "type": "printer", "connection": "dummy"}]},
                handle,
            )
        box.refresh_devices(force=True)
        self.assertEqual([d["id"] for d in box.devices()], ["b"])
        with self.assertRaises(box_tools.BoxError) as ctx:
            box.print_raw("a", b"x")
        self.assertEqual(ctx.exception.status, 404)


class TestDeviceConfig(BaseCase):
    def test_bad_entries_are_reported_and_skipped(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(
                {
                    "devices": [
                        {"id": "ok", "type": "printer", "connection": "dummy"},
                        {"id": "no host", "type": "printer", "connection": "network"},
                        {"id": "nohost", "type": "printer", "connection": "network"},
                        {"id": "lang", "type": "printer", "connection": "dummy",
                         "language": "pcl"},
                        {"id": "scan", "type": "scanner", "connection": "network",
                         "host": "x"},
                        {"id": "ok", "type": "printer", "connection": "dummy"},
                        "garbage",
                    ]
                },
                handle,
            )  # fmt: skip
        self.addCleanup(os.unlink, handle.name)
        devices, usb, errors = device_config.load_config(handle.name)
        self.assertEqual([d["id"] for d in devices], ["ok"])
        self.assertEqual(devices[0]["language"], "raw")
        self.assertEqual(len(errors), 6, errors)
        self.assertTrue(usb)

    def test_missing_or_broken_file(self):
        self.assertEqual(
            device_config.load_config("/nonexistent/devices.json"), ([], True, [])
        )
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            handle.write("{not json")
        self.addCleanup(os.unlink, handle.name)
        devices, __, errors = device_config.load_config(handle.name)
        self.assertEqual(devices, [])
        self.assertEqual(len(errors), 1)

    def test_usb_discovery_without_backend_finds_nothing(self):
        import usb.core

        with patch.object(
            usb.core, "find", side_effect=usb.core.NoBackendError("none")
        ):
            self.assertEqual(device_config.discover_usb(), [])

    def test_usb_discovery_lists_printers(self):
        import usb.core

        class Interface:
            def __init__(self, cls):
                self.bInterfaceClass = cls

        class Device:
            def __init__(self, vendor, product, cls):
                self.idVendor, self.idProduct = vendor, product
                self.bDeviceClass = 0
                self._configs = [[Interface(cls)]]

            def __iter__(self):
                return iter(self._configs)

        found = [
            Device(0x0A5F, 0x0120, 7),
            Device(0x04B8, 0x0202, 7),
            Device(0x046D, 0xC52B, 3),
        ]
        with patch.object(usb.core, "find", return_value=iter(found)):
            devices = device_config.discover_usb(
                [{"connection": "usb", "vendor_id": "0x04b8", "product_id": "0x0202"}]
            )
        self.assertEqual(
            [(d["id"], d["language"]) for d in devices], [("usb-0a5f-0120", "zpl")]
        )


class TestBoxState(BoxCase):
    def test_pairing_code_is_one_time(self):
        box = self.make_box()
        code = box.pairing.display
        self.assertRegex(code, r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")
        token = box.pair(code.lower(), "https://odoo.example.com/")
        self.assertTrue(box.check_token(token))
        self.assertTrue(box.paired)
        self.assertEqual(box.origin, "https://odoo.example.com")
        with self.assertRaises(box_tools.BoxError) as ctx:
            box.pair(code, "https://odoo.example.com")
        self.assertEqual(ctx.exception.code, "invalid_code")
        self.assertTrue(box.check_token(token), "a refused pairing keeps the old token")

    def test_wrong_codes_renew_the_code(self):
        box = self.make_box()
        code = box.pairing.code
        for __ in range(box_tools.PAIRING_MAX_ATTEMPTS):
            with self.assertRaises(box_tools.BoxError):
                box.pair(
                    "AAAA-AAAA" if code != "AAAAAAAA" else "BBBB-BBBB",
                    "https://o.example",
                )
        self.assertNotEqual(box.pairing.code, code)
        with self.assertRaises(box_tools.BoxError):
            box.pair(code, "https://o.example")
        self.assertFalse(box.paired)

    def test_token_is_stored_hashed_and_survives_a_restart(self):
        box = self.make_box()
        token = box.pair(box.pairing.code, "https://odoo.example.com:8443")
        with open(box.state_path) as handle:
            stored = handle.read()
        self.assertNotIn(token, stored)
        self.assertEqual(os.stat(box.state_path).st_mode & 0o777, 0o600)
        box.stop()
        again = box_tools.Box(box.data_dir).start()
        self.addCleanup(again.stop)
        self.assertEqual(again.box_id, box.box_id)
        self.assertTrue(again.check_token(token))
        self.assertFalse(again.check_token(token + "x"))
        self.assertTrue(again.is_paired_origin("https://ODOO.example.com:8443"))
        self.assertFalse(again.is_paired_origin("https://odoo.example.com"))

    def test_pairing_again_replaces_the_previous_odoo(self):
        box = self.make_box()
        first = box.pair(box.pairing.code, "https://old.example.com")
        second = box.pair(box.pairing.code, "https://new.example.com")
        self.assertFalse(box.check_token(first))
        self.assertTrue(box.check_token(second))
        self.assertTrue(box.is_paired_origin("https://new.example.com"))

    def test_origins(self):
        norm = box_tools.normalize_origin
        self.assertEqual(
            norm("https://Odoo.Example.com:443/"), "https://odoo.example.com"
        )
        self.assertEqual(norm("http://10.0.0.2:8069"), "http://10.0.0.2:8069")
        for bad in (
            "",
            None,
            "ftp://x",
            "https://x/web",
            "https://x?a=1",
            "odoo.example.com",
            "https://u:p@x",
        ):
            self.assertIsNone(norm(bad), bad)  # fmt: skip

    def test_scan_feed_long_poll(self):
        feed = box_tools.ScanFeed()
        feed._cond = RecordingCondition()
        start = feed.poll()
        self.assertEqual(start["scans"], [])
        answers = []
        poller = threading.Thread(
            target=lambda: answers.append(
                feed.poll(start["last"], timeout=box_tools.MAX_WAIT, boot=start["boot"])
            )
        )
        poller.start()
        self.assertTrue(feed._cond.waiting.wait(10), "the poll waits for a scan")
        feed.push("s1", "ABC123")
        poller.join(box_tools.MAX_WAIT + 10)
        result = answers[0]
        self.assertEqual([s["barcode"] for s in result["scans"]], ["ABC123"])
        # the waiting poll was woken by the scan, not by the end of its timeout
        self.assertEqual(feed._cond.wakeups, [True])
        # nothing new: the call waits for the timeout and returns empty
        self.assertEqual(
            feed.poll(result["last"], timeout=0.1, boot=start["boot"])["scans"], []
        )
        self.assertEqual(feed._cond.wakeups, [True, False])
        # a client from before a restart of the box gets no replay
        self.assertEqual(feed.poll(0, boot="other-run")["scans"], [])
        # a filter on devices
        feed.push("s2", "OTHER")
        self.assertEqual(
            feed.poll(result["last"], devices=["s1"], boot=start["boot"])["scans"], []
        )

    def test_print_checks(self):
        box = self.make_box(
            [
                {"id": "epson", "type": "printer", "connection": "dummy"},
                {
                    "id": "scan",
                    "type": "scanner",
                    "connection": "serial",
                    "port": "/dx",
                },
            ]
        )
        for device, data, status in (
            ("nope", b"x", 404),
            ("scan", b"x", 409),
            ("epson", b"", 400),
        ):
            with self.assertRaises(box_tools.BoxError) as ctx:
                box.print_raw(device, data)
            self.assertEqual(ctx.exception.status, status)
