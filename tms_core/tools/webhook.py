# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Signed webhook deliveries: payload encoding, HMAC-SHA256 signatures, their
verification on the receiving side, and the HTTP POST itself.

No ORM here: receivers may copy :func:`verify` (it only needs the standard library).

The signature header reads ``X-TMS-Signature: t=<unix time>,v1=<hex>`` where ``<hex>``
is ``HMAC-SHA256(secret, "<unix time>." + body)``. While a secret is being rotated the
header may carry several ``v1=`` values; one matching is enough.
"""

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from typing import NamedTuple
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-TMS-Signature"
EVENT_ID_HEADER = "X-TMS-Event-Id"
EVENT_TYPE_HEADER = "X-TMS-Event-Type"
SIGNATURE_SCHEME = "v1"
SECRET_PREFIX = "whsec_"
# A receiver refuses a signature older (or further ahead) than this: a captured request
# cannot be replayed later.
DEFAULT_TOLERANCE = 300
RESPONSE_EXCERPT = 1000
USER_AGENT = "TMS-Webhooks/1.0"


class WebhookSignatureError(ValueError):
    """A signature that cannot be trusted. ``code`` says why: ``malformed``,
    ``expired`` (outside the replay window) or ``mismatch``."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class WebhookUrlError(ValueError):
    """A subscription URL that must not be called."""


class DeliveryResult(NamedTuple):
    """What one HTTP attempt gave: ``ok`` for a 2xx answer; ``status_code`` is 0 when no
    answer came (``error`` then says why)."""

    ok: bool
    status_code: int
    response_excerpt: str
    duration_ms: int
    error: str


def generate_secret():
    """A new random signing secret (256 bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def mask_secret(secret):
    """The secret as it may be shown again: its prefix and last four characters."""
    if not secret:
        return ""
    return f"{SECRET_PREFIX}…{secret[-4:]}"


def encode_payload(payload):
    """The exact bytes sent and signed: compact UTF-8 JSON with sorted keys."""
    return json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def _as_bytes(value):
    return value if isinstance(value, bytes) else value.encode("utf-8")


def compute_signature(secret, timestamp, body):
    """Hex HMAC-SHA256 of ``"<timestamp>." + body`` with ``secret``."""
    message = str(int(timestamp)).encode("ascii") + b"." + _as_bytes(body)
    return hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def signature_header(secrets_, body, timestamp=None):
    """The ``X-TMS-Signature`` value for ``body``; ``secrets_`` is one secret or a
    list of them (while rotating: the new one first)."""
    if isinstance(secrets_, str | bytes):
        secrets_ = [secrets_]
    timestamp = int(time.time() if timestamp is None else timestamp)
    parts = [f"t={timestamp}"] + [
        f"{SIGNATURE_SCHEME}={compute_signature(secret, timestamp, body)}"
        for secret in secrets_
    ]
    return ",".join(parts)


def build_headers(secrets_, body, event_id, event_type, timestamp=None):
    """Every header of a delivery; ``secrets_`` as for :func:`signature_header`."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(secrets_, body, timestamp),
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
    }


def parse_signature_header(header):
    """Return ``(timestamp, [signatures])`` of an ``X-TMS-Signature`` value."""
    timestamp, signatures = None, []
    for item in (header or "").split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise WebhookSignatureError(
                    "malformed", "The signature timestamp is not a number."
                ) from None
        elif key == SIGNATURE_SCHEME and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise WebhookSignatureError(
            "malformed",
            f"The {SIGNATURE_HEADER} header needs t=<unix time> and "
            f"{SIGNATURE_SCHEME}=<signature>.",
        )
    return timestamp, signatures


def check_replay_window(timestamp, tolerance=DEFAULT_TOLERANCE, now=None):
    """Refuse a signature timestamp further than ``tolerance`` seconds from ``now``
    (either way): an old request captured on the way cannot be replayed."""
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise WebhookSignatureError(
            "expired",
            f"The signature is {int(abs(now - timestamp))} s away from now "
            f"(more than {tolerance} s): refused as a possible replay.",
        )


def verify(secret, body, header, tolerance=DEFAULT_TOLERANCE, now=None):
    """Check a received delivery: ``body`` is the raw request body (bytes, before any
    JSON parsing), ``header`` the ``X-TMS-Signature`` value. Return the signed
    timestamp, or raise :class:`WebhookSignatureError`.

    Receivers should also remember the ``X-TMS-Event-Id`` values they processed:
    deliveries are at least once, so the same event may come twice.
    """
    timestamp, signatures = parse_signature_header(header)
    if tolerance is not None:
        check_replay_window(timestamp, tolerance, now)
    expected = compute_signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, sig) for sig in signatures):
        raise WebhookSignatureError(
            "mismatch", "The signature does not match the body and the secret."
        )
    return timestamp


def check_url(url, allow_private=False, resolve=True):
    """Refuse a URL that is not http(s), and, unless ``allow_private``, one whose host
    is (or, when ``resolve``, resolves to) a loopback, private, link-local or reserved
    address: the server must not be made to call its own network. Return the URL."""
    parts = urlsplit(url or "")
    try:
        parts.port  # noqa: B018 (an invalid port raises here)
    except ValueError:
        raise WebhookUrlError("The URL has an invalid port.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookUrlError("The URL must start with http:// or https://.")
    if allow_private:
        return url
    host = parts.hostname
    if host == "localhost" or host.endswith(".localhost"):
        raise WebhookUrlError(f"The host {host} is local; such URLs are refused.")
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        if not resolve:
            return url
        try:
            infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            raise WebhookUrlError(f"The host {host} cannot be resolved.") from error
        addresses = [
            ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos
        ]
    for address in addresses:
        if not address.is_global or address.is_multicast:
            raise WebhookUrlError(
                f"The host {host} is a local or private address ({address}); such "
                "URLs are refused."
            )
    return url


def post(url, body, headers, timeout=10.0, session=None):
    """POST ``body`` and return a :class:`DeliveryResult`; never raises for an HTTP or
    network failure (the caller decides to retry). Redirects are not followed: the
    subscription URL must be the final one."""
    import requests  # only needed to send, not to sign or verify

    http = session or requests
    start = time.monotonic()
    try:
        response = http.post(
            url, data=body, headers=headers, timeout=timeout, allow_redirects=False
        )
    except requests.Timeout:
        return DeliveryResult(
            False, 0, "", _elapsed_ms(start), f"No answer within {timeout} s."
        )
    except requests.RequestException as error:
        return DeliveryResult(
            False, 0, "", _elapsed_ms(start), f"Connection failed: {error}"
        )
    excerpt = response.text[:RESPONSE_EXCERPT]
    ok = 200 <= response.status_code < 300
    error = "" if ok else f"HTTP {response.status_code} {response.reason or ''}"
    return DeliveryResult(
        ok, response.status_code, excerpt, _elapsed_ms(start), error.strip()
    )


def _elapsed_ms(start):
    return int((time.monotonic() - start) * 1000)
