# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The hardware box: pairing, token, devices, print jobs and scans, without Odoo.

The HTTP controllers of ``tms_hw_box`` (``/tms_box/v1/...``) only parse requests
and call a ``Box``; everything the box decides is here and testable on its own.

Files in the box's data folder:

- ``box.json``: the box id, the SHA-256 of the token given at pairing and the paired
  Odoo origin (``https://odoo.example.com``). Written atomically, mode 600.
- ``devices.json``: the configured devices (see ``devices.py``), re-read when it
  changes.
"""

import collections
import hashlib
import hmac
import json
import logging
import os
import secrets
import socket
import threading
import time
import uuid
from urllib.parse import urlsplit

from . import devices as device_config
from .drivers import DeviceError, PrinterDriver, PrintJob, find_driver

_logger = logging.getLogger(__name__)

PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
PAIRING_CODE_LENGTH = 8
#: Wrong codes accepted before the code is replaced by a new one.
PAIRING_MAX_ATTEMPTS = 5
#: Finished print jobs remembered for GET jobs/<id> and idempotency keys.
MAX_JOBS = 1000
#: Scans remembered for clients that poll a little late.
MAX_SCANS = 500
#: Longest wait of a long-poll (scans, job status), in seconds.
MAX_WAIT = 30
#: Seconds between two reads of devices.json / USB enumerations.
REFRESH_INTERVAL = 5
#: Largest print job accepted, in bytes.
MAX_JOB_SIZE = 32 * 1024 * 1024


class BoxError(Exception):
    """A refused request: ``code`` for programs, ``message`` for people, HTTP status."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def normalize_origin(value):
    """``scheme://host[:port]`` in lower case without default port, or None."""
    if not value or not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}[parts.scheme]
    if port and port != default_port:
        return f"{parts.scheme}://{host}:{port}"
    return f"{parts.scheme}://{host}"


def _hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_code(code):
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())


class PairingCode:
    """The one-time code shown on the box; replaced after use or too many errors."""

    def __init__(self):
        self._lock = threading.Lock()
        self.code = ""
        self.attempts = 0
        self.renew()

    def renew(self):
        with self._lock:
            self.code = "".join(
                secrets.choice(PAIRING_ALPHABET) for __ in range(PAIRING_CODE_LENGTH)
            )
            self.attempts = 0
        _logger.warning(
            "TMS hardware box pairing code: %s (one-time; also shown at "
            "/tms_box/v1/pairing, opened on the box itself)",
            self.display,
        )

    @property
    def display(self):
        half = PAIRING_CODE_LENGTH // 2
        return f"{self.code[:half]}-{self.code[half:]}"

    def check(self, code):
        """True once for the right code (then the code changes); counts failures."""
        with self._lock:
            ok = hmac.compare_digest(_clean_code(code), self.code)
            if not ok:
                self.attempts += 1
                exhausted = self.attempts >= PAIRING_MAX_ATTEMPTS
        if ok or exhausted:
            self.renew()
        return ok


class ScanFeed:
    """Reads of the box's scanners, numbered, for long-polling clients."""

    def __init__(self, maxlen=MAX_SCANS):
        self.boot = uuid.uuid4().hex[:12]
        self._scans = collections.deque(maxlen=maxlen)
        self._seq = 0
        self._cond = threading.Condition()

    @property
    def last(self):
        return self._seq

    def push(self, device_id, barcode):
        with self._cond:
            self._seq += 1
            self._scans.append(
                {
                    "seq": self._seq,
                    "device": device_id,
                    "barcode": barcode,
                    "time": time.time(),
                }
            )
            self._cond.notify_all()

    def poll(self, since=None, timeout=0.0, devices=None, boot=None):
        """Scans after ``since``, waiting up to ``timeout`` s for the first one.

        A client starts without ``since`` (or with the ``boot`` of another run of the
        box): it gets the current position and no old scans, so nothing is replayed.
        """
        timeout = max(0.0, min(float(timeout or 0), MAX_WAIT))
        wanted = set(devices) if devices else None

        def pending():
            return [
                scan
                for scan in self._scans
                if scan["seq"] > since and (wanted is None or scan["device"] in wanted)
            ]

        with self._cond:
            if since is None or (boot and boot != self.boot) or since > self._seq:
                return {"boot": self.boot, "last": self._seq, "scans": []}
            found = pending()
            if not found and timeout:
                self._cond.wait_for(lambda: bool(pending()), timeout)
                found = pending()
            return {"boot": self.boot, "last": self._seq, "scans": found}


class Box:
    """State and behaviour of one hardware box (one per process)."""

    def __init__(self, data_dir, version="", name=None, usb_discovery=True):
        self.data_dir = data_dir
        self.version = version
        self.name = name or socket.gethostname()
        self.usb_discovery_allowed = usb_discovery
        self.state_path = os.path.join(data_dir, "box.json")
        self.devices_path = os.path.join(data_dir, "devices.json")
        self._lock = threading.RLock()
        self._state = {}
        self._jobs = collections.OrderedDict()
        self._job_keys = {}
        self.drivers = {}
        self.unsupported = {}
        self.config_errors = []
        self._config_mtime = None
        self._refreshed = 0.0
        self.scans = ScanFeed()
        self.pairing = None
        self.started = False

    # ------------------------------------------------------------------ life
    def start(self):
        os.makedirs(self.data_dir, mode=0o700, exist_ok=True)
        self._state = self._load_state()
        if not self._state.get("box_id"):
            self._state["box_id"] = uuid.uuid4().hex
            self._save_state()
        self.pairing = PairingCode()
        self.refresh_devices(force=True)
        self.started = True
        _logger.info(
            "TMS hardware box %s (%s) started, %s, %d device(s)",
            self.name,
            self.box_id,
            f"paired with {self.origin}" if self.paired else "not paired",
            len(self.drivers),
        )
        return self

    def stop(self):
        with self._lock:
            drivers, self.drivers = list(self.drivers.values()), {}
        for driver in drivers:
            driver.stop()

    def _load_state(self):
        try:
            with open(self.state_path, encoding="utf-8") as handle:
                state = json.load(handle)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            _logger.error("Ignoring unreadable %s: %s", self.state_path, exc)
            return {}
        return state if isinstance(state, dict) else {}

    def _save_state(self):
        tmp = f"{self.state_path}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self._state, handle, indent=2, sort_keys=True)
        os.replace(tmp, self.state_path)

    # --------------------------------------------------------------- pairing
    @property
    def box_id(self):
        return self._state.get("box_id", "")

    @property
    def origin(self):
        return self._state.get("origin")

    @property
    def paired(self):
        return bool(self._state.get("token_sha256") and self.origin)

    def pair(self, code, origin):
        """Check the one-time code; on success a new token for ``origin``.

        Pairing again (with a new code) replaces the previous Odoo: its token stops
        working.
        """
        clean_origin = normalize_origin(origin)
        if not clean_origin:
            raise BoxError(
                "invalid_origin",
                "The Odoo origin (https://host[:port]) is missing or malformed.",
            )
        if not code or not self.pairing.check(code):
            raise BoxError(
                "invalid_code",
                "Wrong or expired pairing code: read the current code on the box.",
                403,
            )
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._state.update(
                token_sha256=_hash_token(token),
                origin=clean_origin,
                paired_at=time.time(),
            )
            self._save_state()
        _logger.warning("TMS hardware box paired with %s", clean_origin)
        return token

    def check_token(self, token):
        expected = self._state.get("token_sha256")
        if not expected or not token:
            return False
        return hmac.compare_digest(_hash_token(token), expected)

    def is_paired_origin(self, origin):
        return bool(self.paired and normalize_origin(origin) == self.origin)

    # --------------------------------------------------------------- devices
    def refresh_devices(self, force=False):
        """Re-read devices.json (when changed) and the USB bus, at most every 5 s."""
        now = time.monotonic()
        if not force and now - self._refreshed < REFRESH_INTERVAL:
            return
        self._refreshed = now
        try:
            mtime = os.stat(self.devices_path).st_mtime_ns
        except OSError:
            mtime = None
        configured, usb_discovery, errors = device_config.load_config(self.devices_path)
        wanted = list(configured)
        if usb_discovery and self.usb_discovery_allowed:
            wanted += device_config.discover_usb(configured)
        with self._lock:
            self._config_mtime = mtime
            self.config_errors = errors
            for error in errors:
                _logger.error("devices.json: %s", error)
            self._apply_devices(wanted)

    def _apply_devices(self, wanted):
        by_id = {device["id"]: device for device in wanted}
        for identifier in list(self.drivers):
            driver = self.drivers[identifier]
            if by_id.get(identifier) != driver.device:
                driver.stop(wait=0)
                del self.drivers[identifier]
        self.unsupported = {}
        for identifier, device in by_id.items():
            if identifier in self.drivers:
                continue
            driver_class = find_driver(device)
            if driver_class is None:
                self.unsupported[identifier] = device
                continue
            self.drivers[identifier] = driver_class(device, box=self).start()

    def devices(self):
        self.refresh_devices()
        with self._lock:
            listed = [driver.describe() for driver in self.drivers.values()]
            listed += [
                {
                    "id": identifier,
                    "name": device.get("name") or identifier,
                    "type": device.get("type"),
                    "connection": device.get("connection"),
                    "language": device.get("language"),
                    "driver": None,
                    "status": "unsupported",
                    "status_message": "no driver for this device",
                    "status_date": None,
                }
                for identifier, device in self.unsupported.items()
            ]
        return sorted(listed, key=lambda device: device["id"])

    def status(self):
        return {
            "box_id": self.box_id,
            "name": self.name,
            "version": self.version,
            "paired": self.paired,
            "devices": self.devices(),
            "errors": list(self.config_errors),
            "time": time.time(),
        }

    # ---------------------------------------------------------------- print
    def print_raw(self, device_id, data, job_key=None):
        """Queue raw bytes for a printer; returns the job (never waits for the printer).

        ``job_key`` makes the call idempotent: the same key gives back the same job
        instead of printing twice (a browser retrying after a lost answer).
        """
        if not isinstance(data, bytes | bytearray) or not data:
            raise BoxError("invalid_data", "Nothing to print.")
        if len(data) > MAX_JOB_SIZE:
            raise BoxError(
                "too_large", f"A print job is at most {MAX_JOB_SIZE} bytes.", 413
            )
        self.refresh_devices()
        with self._lock:
            if job_key and job_key in self._job_keys:
                job = self._jobs.get(self._job_keys[job_key])
                if job is not None and job.state != "failed":
                    return job
            driver = self.drivers.get(device_id)
            if driver is None:
                raise BoxError(
                    "unknown_device", f"No device {device_id!r} on this box.", 404
                )
            if not isinstance(driver, PrinterDriver):
                raise BoxError(
                    "not_a_printer", f"Device {device_id!r} is not a printer.", 409
                )
            job = PrintJob(uuid.uuid4().hex, device_id, bytes(data), job_key)
            try:
                driver.submit(job)
            except DeviceError as exc:
                raise BoxError("busy", str(exc), 503) from exc
            self._jobs[job.id] = job
            if job_key:
                self._job_keys[job_key] = job.id
            self._prune_jobs()
        return job

    def _prune_jobs(self):
        while len(self._jobs) > MAX_JOBS:
            oldest_id, oldest = next(iter(self._jobs.items()))
            if oldest.state in ("queued", "printing"):
                break
            del self._jobs[oldest_id]
            if oldest.key:
                self._job_keys.pop(oldest.key, None)

    def job(self, job_id, wait=0.0):
        """A job by id; waits up to ``wait`` s for it to finish (long-poll)."""
        job = self._jobs.get(job_id)
        if job is None:
            raise BoxError("unknown_job", f"No job {job_id!r} on this box.", 404)
        wait = max(0.0, min(float(wait or 0), MAX_WAIT))
        if wait:
            job.finished_event.wait(wait)
        return job
