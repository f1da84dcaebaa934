# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A real box: a separate Odoo process without database, on a free port.

``box/run_box.py`` serves it over HTTPS with a self-signed certificate (as
``setup-box.sh`` makes one); ``odoo-bin --load=base,web,tms_hw_box`` over HTTP.
"""

import base64
import importlib.util
import os
import socket
import tempfile

import requests

from odoo.tests import BaseCase

from .box_process import LAUNCHER, BoxProcess, make_self_signed
from .virtual_devices import TcpPrinter

_spec = importlib.util.spec_from_file_location("tms_box_launcher", LAUNCHER)
run_box = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_box)

ODOO_ORIGIN = "https://odoo.example.com"
ZPL = b"^XA^FO20,20^A0N,60,60^FDCAS-1^FS^XZ"


class TestBoxProcess(BaseCase):
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.printer = TcpPrinter()
        self.addCleanup(self.printer.close)
        self.devices = [
            {
                "id": "zebra",
                "type": "printer",
                "connection": "network",
                "host": "127.0.0.1",
                "port": self.printer.port,
                "language": "zpl",
            }
        ]

    def pair_and_print(self, box):
        verify = box.verify
        status = requests.get(f"{box.api}/status", verify=verify, timeout=5).json()
        self.assertFalse(status["paired"])
        code, answer = box.pair(ODOO_ORIGIN)
        self.assertIn(code, box.log(), "the code is in the box's log")
        self.assertEqual(answer.headers["Access-Control-Allow-Origin"], ODOO_ORIGIN)
        token = answer.json()["token"]
        auth = {"Authorization": f"Bearer {token}", "Origin": ODOO_ORIGIN}
        body = {"device": "zebra", "data": base64.b64encode(ZPL).decode()}
        refused = requests.post(f"{box.api}/print", json=body, verify=verify, timeout=5)
        self.assertEqual(refused.status_code, 401)
        created = requests.post(
            f"{box.api}/print", json=body, headers=auth, verify=verify, timeout=5
        )
        self.assertEqual(created.status_code, 202, created.text)
        job = requests.get(
            f"{box.api}/jobs/{created.json()['job_id']}?wait=10",
            headers=auth,
            verify=verify,
            timeout=15,
        ).json()
        self.assertEqual(job["state"], "done", job)
        self.assertEqual(self.printer.wait_for(1), [ZPL])

    def test_https_box_with_the_launcher(self):
        cert = os.path.join(self.tmp.name, "box.crt")
        make_self_signed(cert, os.path.join(self.tmp.name, "box.key"))
        box = BoxProcess(self.tmp.name, self.devices, certificate=cert).start()
        self.addCleanup(box.stop)
        with self.assertRaises(requests.exceptions.SSLError):
            requests.get(f"{box.api}/status", timeout=5)  # not trusted by default
        self.pair_and_print(box)
        self.assertEqual(box.stop(), 0, "a clean stop on SIGTERM")
        self.assertNotIn("Traceback", box.log())

    def test_a_silent_connection_does_not_stop_the_https_box(self):
        """A client that connects and says nothing (no TLS handshake) holds its own
        connection only: the other clients pair, print and ask for the status."""
        cert = os.path.join(self.tmp.name, "box.crt")
        make_self_signed(cert, os.path.join(self.tmp.name, "box.key"))
        box = BoxProcess(self.tmp.name, self.devices, certificate=cert).start()
        self.addCleanup(box.stop)
        silent = socket.create_connection(("127.0.0.1", box.port), timeout=5)
        self.addCleanup(silent.close)
        status = requests.get(f"{box.api}/status", verify=box.verify, timeout=10)
        self.assertEqual(status.status_code, 200)
        self.pair_and_print(box)
        # the box gives up on the silent client after its handshake timeout
        silent.settimeout(run_box.HANDSHAKE_TIMEOUT + 20)
        try:
            closed = silent.recv(1) == b""
        except ConnectionResetError:
            closed = True
        self.assertTrue(closed, "the box closed the connection")
        self.assertEqual(box.stop(), 0)
        self.assertNotIn("Traceback", box.log())

    def test_odoo_bin_with_load(self):
        box = BoxProcess(self.tmp.name, self.devices, command="odoo-bin")
        if not os.path.exists(box.command[1]):
            self.skipTest("Odoo is installed without odoo-bin")
        box.start()
        self.addCleanup(box.stop)
        self.pair_and_print(box)
        self.assertNotIn("Traceback", box.log())
