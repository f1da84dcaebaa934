# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""HTTP API of the hardware box: ``/tms_box/v1/...``, served without a database.

These routes answer only on a box, i.e. an Odoo that loads ``tms_hw_box``
server-wide (``--load=base,web,tms_hw_box``); on the main Odoo, where the module
is installed in a database, they do not exist (404). Everything is decided by
``tools.box.Box``: here we parse, authenticate and serialise.

- ``GET  status``     box id, version, paired or not, devices (no token)
- ``GET  pairing``    the one-time pairing code, from the box itself only
- ``POST pair``       ``{"code", "origin"?}`` -> ``{"token", ...}``
- ``GET  devices``    devices and their status
- ``POST print``      ``{"device", "data" (base64), "job_key"?}`` -> 202 ``{"job_id"}``
- ``GET  jobs/<id>``  a job's state; ``?wait=<s>`` waits for its end
- ``GET  scans``      ``?since=<n>&boot=<id>&timeout=<s>&devices=a,b`` long-poll

Every call but ``status`` and ``pairing`` carries ``Authorization: Bearer <token>``
(``pair`` carries the code instead). Browsers may call from the paired Odoo origin
only (CORS); ``pair`` answers any origin, since the one-time code is the proof.
"""

import base64
import binascii
import ipaddress
import json
import logging
import os
import threading

from werkzeug.exceptions import NotFound

import odoo
from odoo import http
from odoo.http import request
from odoo.modules.module import get_manifest
from odoo.tools import config

from ..tools.box import Box, BoxError

_logger = logging.getLogger(__name__)

API = "/tms_box/v1"
CORS_MAX_AGE = 600
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def is_box_mode():
    """True in an Odoo that runs as a hardware box (module loaded server-wide)."""
    return "tms_hw_box" in odoo.conf.server_wide_modules


class _BoxHolder:
    """The process's one Box, started on first use (or by the post-load hook)."""

    lock = threading.Lock()
    box = None

    @classmethod
    def get(cls):
        with cls.lock:
            if cls.box is None:
                data_dir = os.path.join(config["data_dir"], "tms_box")
                version = get_manifest("tms_hw_box").get("version", "")
                cls.box = Box(data_dir, version=version).start()
            return cls.box

    @classmethod
    def stop(cls):
        with cls.lock:
            box, cls.box = cls.box, None
        if box is not None:
            box.stop()


get_box = _BoxHolder.get
stop_box = _BoxHolder.stop


def _route(path, methods):
    return http.route(
        f"{API}/{path}",
        type="http",
        auth="none",
        methods=methods,
        csrf=False,
        save_session=False,
    )


class TmsBoxController(http.Controller):
    @_route("status", ["GET"])
    def tms_box_status(self, **kw):
        return _serve(lambda box: box.status(), token=False)

    @_route("pairing", ["GET"])
    def tms_box_pairing(self, **kw):
        def show_code(box):
            if not _is_local_request():
                raise BoxError(
                    "local_only",
                    "The pairing code is shown on the box itself only "
                    "(its console, its log, or this page opened on the box).",
                    403,
                )
            return {
                "box_id": box.box_id,
                "paired": box.paired,
                "code": box.pairing.display,
            }

        return _serve(show_code, token=False, cors=None)

    @_route("pair", ["POST"])
    def tms_box_pair(self, **kw):
        def pair(box):
            body = _json_body()
            code = _text(body, "code")
            body_origin = _text(body, "origin")
            header_origin = request.httprequest.headers.get("Origin")
            origin = body_origin or header_origin
            if header_origin and body_origin and header_origin != origin:
                raise BoxError(
                    "invalid_origin", "The origin does not match the calling page."
                )
            token = box.pair(code, origin)
            status = box.status()
            status["token"] = token
            status["origin"] = box.origin
            return status

        return _serve(pair, token=False, cors="any")

    @_route("devices", ["GET"])
    def tms_box_devices(self, **kw):
        return _serve(lambda box: {"devices": box.devices()})

    @_route("print", ["POST"])
    def tms_box_print(self, **kw):
        def print_data(box):
            body = _json_body()
            device = _text(body, "device", required=True)
            job_key = _text(body, "job_key")
            encoded = _text(body, "data") or ""
            try:
                data = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise BoxError("invalid_data", "data is not valid base64.") from exc
            job = box.print_raw(device, data, job_key)
            return job.to_dict(), 202

        return _serve(print_data)

    @_route("jobs/<string:job_id>", ["GET"])
    def tms_box_job(self, job_id, **kw):
        def job_status(box):
            wait = _number(request.httprequest.args.get("wait"), "wait", float)
            return box.job(job_id, wait or 0).to_dict()

        return _serve(job_status)

    @_route("scans", ["GET"])
    def tms_box_scans(self, **kw):
        def read_scans(box):
            args = request.httprequest.args
            devices = [d for d in (args.get("devices") or "").split(",") if d]
            return box.scans.poll(
                since=_number(args.get("since"), "since", int),
                timeout=_number(args.get("timeout"), "timeout", float) or 0,
                devices=devices or None,
                boot=args.get("boot"),
            )

        return _serve(read_scans)


def _serve(handler, token=True, cors="paired"):
    """Run ``handler(box)`` with authentication and CORS; a JSON response.

    ``cors``: ``"paired"`` (only the paired Odoo origin), ``"any"`` (pairing), or
    None (never: the pairing code page).
    """
    if not is_box_mode():
        raise NotFound()
    box = get_box()
    httprequest = request.httprequest
    origin = httprequest.headers.get("Origin")
    allowed = bool(origin) and (
        (cors == "any") or (cors == "paired" and box.is_paired_origin(origin))
    )
    headers = _cors_headers(origin) if allowed else {}
    if httprequest.method == "OPTIONS":
        return request.make_response(
            "", headers=headers, status=204 if allowed else 403
        )
    try:
        if token:
            if origin and not allowed:
                raise BoxError(
                    "origin_not_allowed",
                    "This box is paired with another Odoo.",
                    403,
                )
            if not box.check_token(_bearer_token()):
                raise BoxError(
                    "unauthorized",
                    "Missing or wrong box token: pair this box again from Odoo.",
                    401,
                )
        result = handler(box)
    except BoxError as exc:
        payload = {"error": {"code": exc.code, "message": exc.message}}
        if exc.status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="tms_box"'
        return request.make_json_response(payload, headers=headers, status=exc.status)
    except Exception:
        # a bug of the box: still the API's error shape, readable by the browser
        _logger.exception("The box failed to answer %s", httprequest.path)
        payload = {
            "error": {
                "code": "internal_error",
                "message": "The box failed to answer: see its log.",
            }
        }
        return request.make_json_response(payload, headers=headers, status=500)
    status = 200
    if isinstance(result, tuple):
        result, status = result
    return request.make_json_response(result, headers=headers, status=status)


def _cors_headers(origin):
    headers = {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Authorization, Content-Type",
        "Access-Control-Max-Age": str(CORS_MAX_AGE),
        "Vary": "Origin",
    }
    # Chrome's Private Network Access: a public page calling a LAN address asks first.
    if request.httprequest.headers.get("Access-Control-Request-Private-Network"):
        headers["Access-Control-Allow-Private-Network"] = "true"
    return headers


def _bearer_token():
    scheme, __, value = request.httprequest.headers.get("Authorization", "").partition(
        " "
    )
    return value.strip() if scheme.lower() == "bearer" else None


def _json_body():
    try:
        body = json.loads(request.httprequest.get_data() or b"{}")
    except ValueError as exc:
        raise BoxError("invalid_json", "The body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise BoxError("invalid_json", "The body is a JSON object.")
    return body


def _text(body, name, required=False):
    """``body[name]`` when it is a string; a 400 when it is another JSON type.

    An empty or missing value is None, or a 400 when ``required``.
    """
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise BoxError("invalid_parameter", f"{name} is a string.")
    if required and not value:
        raise BoxError("missing_parameter", f"{name} is required.")
    return value or None


def _number(value, name, kind):
    if value in (None, ""):
        return None
    try:
        return kind(value)
    except ValueError as exc:
        raise BoxError("invalid_parameter", f"{name} is a number.") from exc


def _is_local_request():
    """The request comes from the box itself, addressed to it by a local name.

    Checking the Host too defeats DNS rebinding (a web page whose name resolves to
    127.0.0.1 must not read the code from the box's own browser).
    """
    httprequest = request.httprequest
    try:
        loopback = ipaddress.ip_address(httprequest.remote_addr or "").is_loopback
    except ValueError:
        return False
    host = (httprequest.host or "").lower()
    if host.startswith("["):
        host = host.split("]")[0] + "]"
    else:
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return loopback and host in LOCAL_HOSTS
