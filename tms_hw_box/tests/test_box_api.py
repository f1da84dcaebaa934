# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The box's HTTP API through Odoo's own WSGI application, without database.

The requests go through ``odoo.http.root`` exactly as on a box: no database, the
module loaded server-wide, routes found in ``nodb_routing_map``.
"""

import base64
import json
import os
import tempfile
import threading
from unittest.mock import patch

from werkzeug.exceptions import NotFound
from werkzeug.test import Client

import odoo
from odoo.tests import BaseCase
from odoo.tools import config

from ..controllers import box_api
from .virtual_devices import PtyScanner, TcpPrinter, wait_until

ODOO_ORIGIN = "https://odoo.example.com"
ZPL = b"^XA^FO40,40^BCN,120,Y,N,N^FDRR123456785MA^FS^XZ"


class BoxApiCase(BaseCase):
    devices = ()

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.printer = TcpPrinter()
        self.addCleanup(self.printer.close)
        self.scanner = PtyScanner()
        self.addCleanup(self.scanner.close)
        box_dir = os.path.join(self.tmp.name, "tms_box")
        os.makedirs(box_dir)
        devices = [
            {
                "id": "zebra",
                "name": "Zebra dock 1",
                "type": "printer",
                "connection": "network",
                "host": "127.0.0.1",
                "port": self.printer.port,
                "language": "zpl",
            },
            {
                "id": "scanner-1",
                "type": "scanner",
                "connection": "serial",
                "port": self.scanner.port,
            },
        ]
        with open(os.path.join(box_dir, "devices.json"), "w") as handle:
            json.dump({"usb_discovery": False, "devices": devices}, handle)

        # run as a box: module loaded server-wide, no database
        for patcher in (
            patch.dict(config.options, {"data_dir": self.tmp.name}),
            patch.object(
                odoo.conf,
                "server_wide_modules",
                [*odoo.conf.server_wide_modules, "tms_hw_box"],
            ),
            patch.object(odoo.http, "db_list", lambda force=False, host=None: []),
        ):
            patcher.start()
            self.addCleanup(patcher.stop)
        # lazy properties of the WSGI app computed from what we patch: recompute
        # them for the box, and give the other tests back their own
        for name in ("nodb_routing_map", "session_store"):
            saved = odoo.http.root.__dict__.pop(name, None)
            self.addCleanup(self._restore_lazy_property, name, saved)
        self.addCleanup(box_api.stop_box)
        self.client = Client(odoo.http.root)

    @staticmethod
    def _restore_lazy_property(name, saved):
        odoo.http.root.__dict__.pop(name, None)
        if saved is not None:
            odoo.http.root.__dict__[name] = saved

    def call(self, method, path, token=None, origin=None, body=None, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        kwargs.setdefault("environ_base", {"REMOTE_ADDR": "127.0.0.1"})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if origin:
            headers["Origin"] = origin
        if body is not None:
            kwargs["data"] = body if isinstance(body, bytes) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        # the WSGI app resets some attributes of the calling thread: keep the test's
        thread = threading.current_thread()
        saved = {
            name: getattr(thread, name)
            for name in ("dbname", "uid")
            if hasattr(thread, name)
        }
        try:
            response = self.client.open(
                f"/tms_box/v1/{path}", method=method, headers=headers, **kwargs
            )
        finally:
            for name, value in saved.items():
                setattr(thread, name, value)
        return response

    def pair(self):
        shown = self.call("GET", "pairing")
        self.assertEqual(shown.status_code, 200, shown.data)
        code = shown.json["code"]
        response = self.call("POST", "pair", origin=ODOO_ORIGIN, body={"code": code})
        self.assertEqual(response.status_code, 200, response.data)
        return response.json["token"]


class TestBoxApi(BoxApiCase):
    def test_status_needs_no_token(self):
        response = self.call("GET", "status")
        self.assertEqual(response.status_code, 200)
        status = response.json
        self.assertFalse(status["paired"])
        self.assertTrue(status["box_id"])
        self.assertEqual(status["version"], "18.0.1.0.0")
        self.assertEqual(
            {(d["id"], d["type"]) for d in status["devices"]},
            {("zebra", "printer"), ("scanner-1", "scanner")},
        )
        self.assertNotIn("token", status)

    def test_pairing_code_only_on_the_box_itself(self):
        local = self.call("GET", "pairing")
        self.assertEqual(local.status_code, 200)
        self.assertRegex(local.json["code"], r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")
        from_lan = self.call(
            "GET", "pairing", environ_base={"REMOTE_ADDR": "192.168.1.23"}
        )
        self.assertEqual(from_lan.status_code, 403)
        self.assertNotIn("code", from_lan.json)
        rebinding = self.call(
            "GET", "pairing", headers={"Host": "evil.example.com:8069"}
        )
        self.assertEqual(rebinding.status_code, 403)
        preflight = self.call("OPTIONS", "pairing", origin="https://evil.example.com")
        self.assertNotIn("Access-Control-Allow-Origin", preflight.headers)

    def test_pair_with_a_wrong_code_is_refused(self):
        response = self.call(
            "POST", "pair", origin=ODOO_ORIGIN, body={"code": "AAAA-2222"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json["error"]["code"], "invalid_code")
        self.assertNotIn("token", response.json)
        self.assertFalse(self.call("GET", "status").json["paired"])

    def test_pair_with_the_right_code_gives_a_token(self):
        code = self.call("GET", "pairing").json["code"]
        response = self.call("POST", "pair", origin=ODOO_ORIGIN, body={"code": code})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], ODOO_ORIGIN)
        answer = response.json
        self.assertGreaterEqual(len(answer["token"]), 40)
        self.assertEqual(answer["origin"], ODOO_ORIGIN)
        self.assertTrue(answer["paired"])
        self.assertEqual(len(answer["devices"]), 2)
        # the code was for one use
        again = self.call("POST", "pair", origin=ODOO_ORIGIN, body={"code": code})
        self.assertEqual(again.status_code, 403)
        self.assertNotEqual(self.call("GET", "pairing").json["code"], code)

    def test_pair_bad_payloads(self):
        code = self.call("GET", "pairing").json["code"]
        for body, expected in (
            (b"{not json", "invalid_json"),
            (["list"], "invalid_json"),
            ({"code": code}, "invalid_origin"),  # no Origin header, no origin
            ({"code": code, "origin": "javascript:alert(1)"}, "invalid_origin"),
        ):
            response = self.call("POST", "pair", body=body)
            self.assertEqual(response.status_code, 400, body)
            self.assertEqual(response.json["error"]["code"], expected)
        mismatch = self.call(
            "POST",
            "pair",
            origin=ODOO_ORIGIN,
            body={"code": code, "origin": "https://other.example.com"},
        )
        self.assertEqual(mismatch.status_code, 400)
        # a program without Origin header names the Odoo in the body
        ok = self.call("POST", "pair", body={"code": code, "origin": ODOO_ORIGIN})
        self.assertEqual(ok.status_code, 200)

    def test_print_without_or_with_a_wrong_token_is_refused(self):
        token = self.pair()
        body = {"device": "zebra", "data": base64.b64encode(ZPL).decode()}
        for bad in (None, "wrong-token", token[:-1]):
            response = self.call("POST", "print", token=bad, body=body)
            self.assertEqual(response.status_code, 401, bad)
            self.assertEqual(response.json["error"]["code"], "unauthorized")
            self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        basic = self.call(
            "POST", "print", body=body, headers={"Authorization": f"Basic {token}"}
        )
        self.assertEqual(basic.status_code, 401)
        self.assertEqual(self.printer.received, [])

    def test_print_reaches_the_printer_byte_for_byte(self):
        token = self.pair()
        response = self.call(
            "POST",
            "print",
            token=token,
            origin=ODOO_ORIGIN,
            body={
                "device": "zebra",
                "data": base64.b64encode(ZPL).decode(),
                "job_key": "db-7",
            },
        )
        self.assertEqual(response.status_code, 202, response.data)
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], ODOO_ORIGIN)
        job_id = response.json["job_id"]
        done = self.call("GET", f"jobs/{job_id}?wait=10", token=token)
        self.assertEqual(done.json["state"], "done", done.json)
        self.assertEqual(self.printer.wait_for(1), [ZPL])
        # the browser sends the same job again (lost answer): printed once
        again = self.call(
            "POST",
            "print",
            token=token,
            body={
                "device": "zebra",
                "data": base64.b64encode(ZPL).decode(),
                "job_key": "db-7",
            },
        )
        self.assertEqual(again.json["job_id"], job_id)
        self.assertEqual(again.json["state"], "done")
        self.assertEqual(len(self.printer.received), 1)

    def test_print_bad_requests(self):
        token = self.pair()
        for body, status, code in (
            ({"device": "zebra", "data": "%%%"}, 400, "invalid_data"),
            ({"device": "zebra", "data": ""}, 400, "invalid_data"),
            ({"device": "nope", "data": "eA=="}, 404, "unknown_device"),
            ({"device": "scanner-1", "data": "eA=="}, 409, "not_a_printer"),
            (b"[1, 2]", 400, "invalid_json"),
        ):
            response = self.call("POST", "print", token=token, body=body)
            self.assertEqual(response.status_code, status, body)
            self.assertEqual(response.json["error"]["code"], code)
        unknown = self.call("GET", "jobs/f00", token=token)
        self.assertEqual(unknown.status_code, 404)
        bad_wait = self.call("GET", "scans?timeout=soon", token=token)
        self.assertEqual(bad_wait.status_code, 400)

    def assert_json_error(self, response, status, code, origin=ODOO_ORIGIN):
        """An error of the API's shape, readable by the calling page (CORS)."""
        self.assertEqual(response.status_code, status, response.data)
        self.assertEqual(response.mimetype, "application/json")
        self.assertEqual(response.json["error"]["code"], code, response.json)
        self.assertTrue(response.json["error"]["message"])
        self.assertEqual(response.headers.get("Access-Control-Allow-Origin"), origin)

    def test_pair_with_wrongly_typed_fields(self):
        code = self.call("GET", "pairing").json["code"]
        for body in (
            {"code": [code]},
            {"code": {"value": code}},
            {"code": 12345678},
            {"code": code, "origin": [ODOO_ORIGIN]},
            {"code": code, "origin": {"url": ODOO_ORIGIN}},
        ):
            response = self.call("POST", "pair", origin=ODOO_ORIGIN, body=body)
            self.assert_json_error(response, 400, "invalid_parameter")
        # a wrongly typed code is no wrong try: the code still works
        self.assertEqual(self.call("GET", "pairing").json["code"], code)
        ok = self.call("POST", "pair", origin=ODOO_ORIGIN, body={"code": code})
        self.assertEqual(ok.status_code, 200)

    def test_print_with_wrongly_typed_fields(self):
        token = self.pair()
        data = base64.b64encode(ZPL).decode()
        for body in (
            {"device": ["zebra"], "data": data},
            {"device": {"id": "zebra"}, "data": data},
            {"device": 7, "data": data},
            {"device": "zebra", "data": data, "job_key": ["db-7"]},
            {"device": "zebra", "data": data, "job_key": {"id": 7}},
            {"device": "zebra", "data": [data]},
            {"device": "zebra", "data": {"zpl": data}},
        ):
            response = self.call(
                "POST", "print", token=token, origin=ODOO_ORIGIN, body=body
            )
            self.assert_json_error(response, 400, "invalid_parameter")
        missing = self.call(
            "POST", "print", token=token, origin=ODOO_ORIGIN, body={"data": data}
        )
        self.assert_json_error(missing, 400, "missing_parameter")
        self.assertEqual(self.printer.received, [])

    def test_job_and_scans_with_wrongly_typed_parameters(self):
        token = self.pair()
        for path in (
            "jobs/f00?wait=[1]",
            "jobs/f00?wait={}",
            "scans?since=[1]",
            "scans?since=1.5",
            "scans?timeout={}",
        ):
            response = self.call("GET", path, token=token, origin=ODOO_ORIGIN)
            self.assert_json_error(response, 400, "invalid_parameter")

    def test_unexpected_failure_is_a_json_error_with_cors(self):
        """A bug of the box still answers in the API's shape, readable by Odoo."""
        token = self.pair()
        with (
            patch.object(
                box_api.get_box().__class__, "devices", side_effect=RuntimeError("bug")
            ),
            self.assertLogs(box_api.__name__, "ERROR") as logs,
        ):
            response = self.call("GET", "devices", token=token, origin=ODOO_ORIGIN)
        self.assertIn("RuntimeError: bug", logs.output[0])
        self.assert_json_error(response, 500, "internal_error")
        self.assertNotIn("bug", response.json["error"]["message"])

    def test_printer_off_reports_the_failure(self):
        token = self.pair()
        self.printer.close()
        response = self.call(
            "POST",
            "print",
            token=token,
            body={"device": "zebra", "data": base64.b64encode(ZPL).decode()},
        )
        job = self.call("GET", f"jobs/{response.json['job_id']}?wait=10", token=token)
        self.assertEqual(job.json["state"], "failed")
        self.assertTrue(job.json["error"])
        devices = self.call("GET", "devices", token=token).json["devices"]
        zebra = next(d for d in devices if d["id"] == "zebra")
        self.assertEqual(zebra["status"], "offline")

    def test_cors_only_for_the_paired_origin(self):
        token = self.pair()
        paired = self.call("GET", "devices", token=token, origin=ODOO_ORIGIN)
        self.assertEqual(paired.status_code, 200)
        self.assertEqual(paired.headers["Access-Control-Allow-Origin"], ODOO_ORIGIN)
        self.assertEqual(paired.headers["Vary"], "Origin")
        # another site, even with the token (stolen), is refused
        other = self.call(
            "GET", "devices", token=token, origin="https://evil.example.com"
        )
        self.assertEqual(other.status_code, 403)
        self.assertNotIn("Access-Control-Allow-Origin", other.headers)
        status = self.call("GET", "status", origin="https://evil.example.com")
        self.assertEqual(status.status_code, 200)
        self.assertNotIn("Access-Control-Allow-Origin", status.headers)
        # without Origin (curl, scripts): no CORS header, the token decides
        plain = self.call("GET", "devices", token=token)
        self.assertEqual(plain.status_code, 200)
        self.assertNotIn("Access-Control-Allow-Origin", plain.headers)

    def test_preflight(self):
        self.pair()
        request_headers = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
            "Access-Control-Request-Private-Network": "true",
        }
        ok = self.call("OPTIONS", "print", origin=ODOO_ORIGIN, headers=request_headers)
        self.assertEqual(ok.status_code, 204)
        self.assertEqual(ok.headers["Access-Control-Allow-Origin"], ODOO_ORIGIN)
        self.assertIn("POST", ok.headers["Access-Control-Allow-Methods"])
        self.assertIn("Authorization", ok.headers["Access-Control-Allow-Headers"])
        self.assertEqual(ok.headers["Access-Control-Allow-Private-Network"], "true")
        refused = self.call(
            "OPTIONS",
            "print",
            origin="https://evil.example.com",
            headers=request_headers,
        )
        self.assertEqual(refused.status_code, 403)
        self.assertNotIn("Access-Control-Allow-Origin", refused.headers)
        # pairing answers the preflight of any Odoo: the code is the proof
        pair = self.call(
            "OPTIONS", "pair", origin="https://new.example.com", headers=request_headers
        )
        self.assertEqual(pair.status_code, 204)
        self.assertEqual(
            pair.headers["Access-Control-Allow-Origin"], "https://new.example.com"
        )

    def test_scans_long_poll(self):
        token = self.pair()
        self.assertTrue(
            wait_until(
                lambda: box_api.get_box().drivers["scanner-1"].status == "online"
            )
        )
        start = self.call("GET", "scans", token=token).json
        self.assertEqual(start["scans"], [])
        threading.Timer(0.3, self.scanner.scan, ("RR123456785MA",)).start()
        result = self.call(
            "GET",
            f"scans?since={start['last']}&boot={start['boot']}&timeout=10"
            "&devices=scanner-1",
            token=token,
            origin=ODOO_ORIGIN,
        )
        self.assertEqual(result.status_code, 200)
        self.assertEqual(
            [(s["device"], s["barcode"]) for s in result.json["scans"]],
            [("scanner-1", "RR123456785MA")],
        )
        self.assertEqual(result.headers["Access-Control-Allow-Origin"], ODOO_ORIGIN)
        self.assertEqual(
            self.call("GET", "scans?since=0&boot=x", token=None).status_code, 401
        )


class TestNotABox(BaseCase):
    def test_routes_do_not_exist_without_server_wide_loading(self):
        self.assertFalse(box_api.is_box_mode())
        with self.assertRaises(NotFound):
            box_api._serve(lambda box: {})
