# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The whole path in a real browser: Odoo's page -> a real box process -> a printer.

The box runs as a separate Odoo process without database on a free port (plain
HTTP, as the test Odoo is served over HTTP), paired for the test server's origin;
its printer is a TCP 9100 listener of the test.
"""

import tempfile
import threading

import requests

from odoo.tests import HttpCase, tagged

from odoo.addons.tms_hw_box.tests.box_process import BoxProcess
from odoo.addons.tms_hw_box.tests.virtual_devices import (
    PtyScanner,
    TcpPrinter,
    free_port,
)

ZPL = [f"^XA^FO40,40^A0N,50,50^FDLABEL {n}^FS^XZ".encode() for n in (1, 2, 3)]


@tagged("post_install", "-at_install")
class TestBoxInBrowser(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.printer_port = free_port()
        cls.scanner = PtyScanner()
        cls.addClassCleanup(cls.scanner.close)
        cls.box = BoxProcess(
            cls.tmp.name,
            [
                {
                    "id": "zebra",
                    "name": "Zebra dock 1",
                    "type": "printer",
                    "connection": "network",
                    "host": "127.0.0.1",
                    "port": cls.printer_port,
                    "language": "zpl",
                },
                {
                    "id": "scanner-1",
                    "type": "scanner",
                    "connection": "serial",
                    "port": cls.scanner.port,
                },
            ],
        ).start()
        cls.addClassCleanup(cls.box.stop)

    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        __, answer = self.box.pair(self.base_url())
        self.box_record = self.env["tms.hw.box"].create(
            {
                "name": "Dock 1 box",
                "url": f"http://127.0.0.1:{self.box.port}",
                "company_id": self.admin.company_id.id,
            }
        )
        self.box_record._tms_register_pairing(answer.json(), self.base_url())
        self.printer = self.env["tms.printer"].create(
            {
                "name": "Dock 1 Zebra",
                "company_id": self.admin.company_id.id,
                "language": "zpl",
                "connection": "box",
                "box_id": self.box_record.id,
                "device_id": self.box_record.device_ids.filtered(
                    lambda d: d.device_type == "printer"
                ).id,
            }
        )

    def _print(self, payloads):
        return (
            self.env["tms.print.job"]
            .with_user(self.admin)
            ._tms_create_jobs(self.printer.with_user(self.admin), payloads)
        )

    def test_main_odoo_does_not_serve_the_box_api(self):
        response = self.url_open("/tms_box/v1/status")
        self.assertEqual(response.status_code, 404)

    def test_session_tells_which_web_clients_start_the_box_service(self):
        self.authenticate("admin", "admin")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertTrue(info["tms_hw_proxy_boxes"])
        self.env["res.users"].create(
            {
                "name": "Accountant",
                "login": "accountant",
                "password": "accountant-pw",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        self.authenticate("accountant", "accountant-pw")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertFalse(info["tms_hw_proxy_boxes"])

    def test_batch_printed_through_the_box(self):
        listener = TcpPrinter(port=self.printer_port)
        self.addCleanup(listener.close)
        jobs = self._print(
            [{"data": data, "name": f"Box label {n}"} for n, data in enumerate(ZPL, 1)]
        )
        self.assertEqual(set(jobs.mapped("state")), {"queued"})
        self.start_tour(
            "/odoo/action-tms_core.tms_print_job_action",
            "tms_hw_proxy_box_print_tour",
            login="admin",
            timeout=360,
        )
        self.env.invalidate_all()  # the browser changed them
        self.assertEqual(jobs.mapped("state"), ["done"] * 3)
        self.assertEqual(listener.wait_for(3), ZPL, "printed in order, byte for byte")
        self.assertEqual(self.printer.status, "online")

    def test_printer_off_then_retry(self):
        job = self._print([{"data": ZPL[0], "name": "Box label off"}])
        self.start_tour(
            "/odoo/action-tms_core.tms_print_job_action",
            "tms_hw_proxy_box_printer_off_tour",
            login="admin",
            timeout=360,
        )
        self.env.invalidate_all()  # the browser changed them
        self.assertEqual(job.state, "queued")
        self.assertIn("refused", job.error)
        self.assertEqual(self.printer.status, "offline")
        status = requests.get(f"{self.box.api}/status", timeout=5).json()
        zebra = next(d for d in status["devices"] if d["id"] == "zebra")
        self.assertEqual(zebra["status"], "offline")

        listener = TcpPrinter(port=self.printer_port)  # switched on again
        self.addCleanup(listener.close)
        self.start_tour(
            "/odoo/action-tms_core.tms_print_job_action",
            "tms_hw_proxy_box_retry_tour",
            login="admin",
            timeout=360,
        )
        self.env.invalidate_all()  # the browser changed them
        self.assertEqual(job.state, "done")
        self.assertEqual(listener.wait_for(1), [ZPL[0]])

    def test_scanner_reads_become_barcode_events(self):
        stop = threading.Event()

        def keep_scanning():
            # the page starts listening at some point: scan until the tour ends
            while not stop.wait(1):
                self.scanner.scan("RR123456785MA")

        scanning = threading.Thread(target=keep_scanning, daemon=True)
        scanning.start()
        try:
            self.start_tour("/odoo", "tms_hw_proxy_box_scan_tour", login="admin")
        finally:
            stop.set()
            scanning.join(5)
