# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

from odoo.tests import BaseCase
from odoo.tests.common import _super_send

from ..tools import webhook as wh


class LocalReceiver:
    """A real HTTP server on 127.0.0.1 and a free port, in a thread: it answers the
    scripted ``responses`` (status, body) in turn, the last one again and again, and
    records every request it gets (method, path, headers, body)."""

    def __init__(self, responses=((200, "ok"),), delay=0.0):
        self.responses = list(responses)
        self.delay = delay
        self.requests = []
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    @property
    def url(self):
        host, port = self._server.server_address
        return f"http://{host}:{port}/hook"

    def _next_response(self):
        with self._lock:
            if len(self.responses) > 1:
                return self.responses.pop(0)
            return self.responses[0]

    def __enter__(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with receiver._lock:
                    receiver.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": dict(self.headers.items()),
                            "body": body,
                        }
                    )
                if receiver.delay:
                    time.sleep(receiver.delay)
                status, text = receiver._next_response()
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def no_test_timeout(test):
    """Odoo's test cases raise every HTTP timeout to 10 s: keep the one asked for."""
    return patch.object(
        type(test),
        "_request_handler",
        classmethod(
            lambda cls, session, request, **kw: _super_send(session, request, **kw)
        ),
    )


def free_closed_port():
    """A local port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestWebhookTools(BaseCase):
    """Signing, verifying and posting webhooks, without the database."""

    secret = "whsec_test-secret"
    body = wh.encode_payload({"type": "parcel.created", "id": "evt_1", "n": "é"})

    def test_signature_is_hmac_sha256_of_timestamp_dot_body(self):
        header = wh.signature_header(self.secret, self.body, timestamp=1700000000)
        expected = hmac.new(
            self.secret.encode(), b"1700000000." + self.body, hashlib.sha256
        ).hexdigest()
        self.assertEqual(header, f"t=1700000000,v1={expected}")

    def test_payload_encoding_is_canonical(self):
        self.assertEqual(
            wh.encode_payload({"b": 1, "a": "é"}), '{"a":"é","b":1}'.encode()
        )

    def test_verify_accepts_a_fresh_genuine_signature(self):
        header = wh.signature_header(self.secret, self.body, timestamp=1000)
        self.assertEqual(wh.verify(self.secret, self.body, header, now=1100), 1000)

    def test_verify_refuses_tampered_body_and_wrong_secret(self):
        header = wh.signature_header(self.secret, self.body, timestamp=1000)
        for secret, body in (
            (self.secret, self.body.replace(b"evt_1", b"evt_2")),
            ("whsec_other", self.body),
        ):
            with self.assertRaises(wh.WebhookSignatureError) as caught:
                wh.verify(secret, body, header, now=1000)
            self.assertEqual(caught.exception.code, "mismatch")

    def test_verify_refuses_a_replay_outside_the_window(self):
        header = wh.signature_header(self.secret, self.body, timestamp=1000)
        for now in (1000 + 301, 1000 - 301):
            with self.assertRaises(wh.WebhookSignatureError) as caught:
                wh.verify(self.secret, self.body, header, now=now)
            self.assertEqual(caught.exception.code, "expired")
        # the window is the receiver's choice
        self.assertEqual(
            wh.verify(self.secret, self.body, header, tolerance=600, now=1500), 1000
        )
        wh.check_replay_window(1000, tolerance=300, now=1300)

    def test_verify_refuses_malformed_headers(self):
        signature = wh.compute_signature(self.secret, 1000, self.body)
        for header in (
            "",
            f"v1={signature}",
            "t=1000",
            f"t=abc,v1={signature}",
            "garbage",
        ):
            with self.assertRaises(wh.WebhookSignatureError) as caught:
                wh.verify(self.secret, self.body, header, now=1000)
            self.assertEqual(caught.exception.code, "malformed", header)

    def test_rotation_signs_with_both_secrets(self):
        header = wh.signature_header(
            ["whsec_new", "whsec_old"], self.body, timestamp=1000
        )
        self.assertEqual(header.count("v1="), 2)
        for secret in ("whsec_new", "whsec_old"):
            self.assertEqual(wh.verify(secret, self.body, header, now=1000), 1000)
        with self.assertRaises(wh.WebhookSignatureError):
            wh.verify("whsec_third", self.body, header, now=1000)

    def test_headers(self):
        headers = wh.build_headers(
            self.secret, self.body, "evt_1", "parcel.created", timestamp=1000
        )
        self.assertEqual(headers["X-TMS-Event-Id"], "evt_1")
        self.assertEqual(headers["X-TMS-Event-Type"], "parcel.created")
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        wh.verify(self.secret, self.body, headers["X-TMS-Signature"], now=1000)

    def test_secrets(self):
        first, second = wh.generate_secret(), wh.generate_secret()
        self.assertNotEqual(first, second)
        self.assertTrue(first.startswith("whsec_"))
        self.assertGreaterEqual(len(first), 40)
        self.assertEqual(wh.mask_secret(first), f"whsec_…{first[-4:]}")
        self.assertNotIn(first[6:-4], wh.mask_secret(first))

    def test_check_url(self):
        for url in (
            "ftp://example.com/hook",
            "example.com/hook",
            "http://localhost:8069/x",
            "http://127.0.0.1/x",
            "http://10.1.2.3/x",
            "http://192.168.1.10/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/x",
            "http://example.com:99999/x",
        ):
            with self.assertRaises(wh.WebhookUrlError, msg=url):
                wh.check_url(url, resolve=False)
        self.assertEqual(
            wh.check_url("https://93.184.215.14/hook"), "https://93.184.215.14/hook"
        )
        # a name is only resolved at delivery time
        wh.check_url("https://shop.example.com/hook", resolve=False)
        wh.check_url("http://127.0.0.1:8000/hook", allow_private=True)
        with self.assertRaises(wh.WebhookUrlError):
            wh.check_url("ftp://127.0.0.1/hook", allow_private=True)

    def test_post_over_http(self):
        with LocalReceiver([(200, '{"ok": true}'), (500, "boom " * 500)]) as receiver:
            headers = wh.build_headers(self.secret, self.body, "evt_1", "t")
            result = wh.post(receiver.url, self.body, headers, timeout=5)
            self.assertTrue(result.ok)
            self.assertEqual(result.status_code, 200)
            self.assertEqual(result.response_excerpt, '{"ok": true}')
            self.assertFalse(result.error)
            result = wh.post(receiver.url, self.body, headers, timeout=5)
            self.assertFalse(result.ok)
            self.assertEqual(result.status_code, 500)
            self.assertEqual(len(result.response_excerpt), wh.RESPONSE_EXCERPT)
            self.assertIn("500", result.error)
            # the receiver got the exact signed bytes
            request = receiver.requests[0]
            self.assertEqual(request["body"], self.body)
            wh.verify(
                self.secret, request["body"], request["headers"]["X-TMS-Signature"]
            )

    def test_post_failures_are_results_not_exceptions(self):
        refused = wh.post(
            f"http://127.0.0.1:{free_closed_port()}/hook", self.body, {}, timeout=2
        )
        self.assertFalse(refused.ok)
        self.assertEqual(refused.status_code, 0)
        self.assertIn("Connection failed", refused.error)
        with (
            LocalReceiver([(200, "late")], delay=1.5) as receiver,
            no_test_timeout(self),
        ):
            late = wh.post(receiver.url, self.body, {}, timeout=0.3)
        self.assertFalse(late.ok)
        self.assertIn("No answer within", late.error)

    def test_receiver_example(self):
        """What a receiver does, end to end: raw body, header, secret, window."""
        payload = {"id": "evt_9", "type": "parcel.state_changed"}
        body = wh.encode_payload(payload)
        headers = wh.build_headers(self.secret, body, "evt_9", payload["type"])
        now = time.time()
        wh.verify(self.secret, body, headers["X-TMS-Signature"], now=now)
        self.assertEqual(json.loads(body), payload)
