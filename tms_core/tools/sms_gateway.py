# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A configurable HTTP SMS gateway client: one request per message, built from a
body template, with a timeout and a success check. No ORM here.

The body template holds placeholders replaced by the message's values:

- ``{to}``: the number in E.164 (``+212612345678``); ``{to_digits}`` without the plus;
- ``{message}``: the text; ``{sender}``: the sender name or number;
- ``{secret}``: the gateway's secret, for providers wanting a key in the body or query.

For ``form`` bodies and ``GET`` requests the template is a query string
(``To={to}&From={sender}&Body={message}``); for ``json`` it is a JSON document
(``{"to": "{to}", "text": "{message}"}``). Values are substituted after parsing the
template, so a message can hold any character (``&``, quotes, ``{to}``) safely.
"""

import json
import re
import time
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import parse_qsl, urlsplit

METHODS = ("GET", "POST")
AUTH_TYPES = ("none", "basic", "bearer", "header")
CONTENT_TYPES = ("form", "json")
PLACEHOLDER = re.compile(r"\{(to|to_digits|message|sender|secret)\}")
RESPONSE_EXCERPT = 1000


class SmsGatewayError(Exception):
    """The gateway did not accept the message. ``status_code`` is 0 when no answer
    came; ``response_excerpt`` is the start of the answer's body."""

    def __init__(self, message, status_code=0, response_excerpt=""):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.response_excerpt = response_excerpt


class SmsGatewayConfigError(SmsGatewayError):
    """The gateway's configuration cannot build a request (fix it, do not retry)."""


class SmsResult(NamedTuple):
    status_code: int
    response_excerpt: str
    duration_ms: int


@dataclass(frozen=True)
class GatewayConfig:
    url: str
    method: str = "POST"
    auth_type: str = "none"
    username: str = ""
    secret: str = ""
    header_name: str = ""
    content_type: str = "form"
    body_template: str = ""
    sender: str = ""
    success_json_path: str = ""
    success_json_value: str = ""
    success_substring: str = ""
    timeout: float = 10.0


def _substitute(text, values):
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def _substitute_json(node, values):
    if isinstance(node, str):
        return _substitute(node, values)
    if isinstance(node, list):
        return [_substitute_json(item, values) for item in node]
    if isinstance(node, dict):
        return {key: _substitute_json(item, values) for key, item in node.items()}
    return node


def check_config(config):
    """Raise :class:`SmsGatewayConfigError` when ``config`` cannot build a request."""
    parts = urlsplit(config.url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SmsGatewayConfigError("The URL must start with http:// or https://.")
    if config.method not in METHODS:
        raise SmsGatewayConfigError(f"Unknown method {config.method}.")
    if config.auth_type not in AUTH_TYPES:
        raise SmsGatewayConfigError(f"Unknown authentication {config.auth_type}.")
    if config.content_type not in CONTENT_TYPES:
        raise SmsGatewayConfigError(f"Unknown content type {config.content_type}.")
    if config.auth_type == "header" and not config.header_name:
        raise SmsGatewayConfigError("Header authentication needs a header name.")
    if config.method == "GET" and config.content_type == "json":
        raise SmsGatewayConfigError("A GET request has no JSON body: use POST.")
    if config.content_type == "json" and config.body_template:
        try:
            json.loads(config.body_template)
        except ValueError as error:
            raise SmsGatewayConfigError(
                f"The body template is not valid JSON: {error}"
            ) from error
    if config.timeout <= 0:
        raise SmsGatewayConfigError("The timeout must be positive.")


def build_request(config, to, message):
    """The keyword arguments of ``requests.request`` sending ``message`` to ``to``
    (E.164), without sending anything."""
    check_config(config)
    values = {
        "to": to,
        "to_digits": to.lstrip("+"),
        "message": message,
        "sender": config.sender or "",
        "secret": config.secret or "",
    }
    request = {
        "method": config.method,
        "url": config.url,
        "headers": {"User-Agent": "TMS-SMS/1.0"},
        "timeout": config.timeout,
        "allow_redirects": False,
    }
    if config.auth_type == "basic":
        request["auth"] = (config.username or "", config.secret or "")
    elif config.auth_type == "bearer":
        request["headers"]["Authorization"] = f"Bearer {config.secret}"
    elif config.auth_type == "header":
        request["headers"][config.header_name] = config.secret or ""
    if config.content_type == "json":
        template = json.loads(config.body_template or "{}")
        request["json"] = _substitute_json(template, values)
    else:
        pairs = [
            (key, _substitute(value, values))
            for key, value in parse_qsl(
                config.body_template or "", keep_blank_values=True
            )
        ]
        request["params" if config.method == "GET" else "data"] = pairs
    return request


def _json_path(document, path):
    """The value at a dotted path (``data.0.status``); raise KeyError when absent."""
    node = document
    for key in path.split("."):
        if isinstance(node, list):
            try:
                node = node[int(key)]
            except (ValueError, IndexError):
                raise KeyError(path) from None
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            raise KeyError(path)
    return node


def check_response(config, status_code, text):
    """Raise :class:`SmsGatewayError` unless the answer means "accepted": a 2xx
    status, and when configured the JSON path (with its value) and the substring."""
    excerpt = (text or "")[:RESPONSE_EXCERPT]
    if not 200 <= status_code < 300:
        raise SmsGatewayError(
            f"The gateway answered HTTP {status_code}.", status_code, excerpt
        )
    if config.success_json_path:
        try:
            value = _json_path(json.loads(text), config.success_json_path)
        except (ValueError, KeyError):
            raise SmsGatewayError(
                f"The answer has no {config.success_json_path} in JSON.",
                status_code,
                excerpt,
            ) from None
        expected = config.success_json_value
        accepted = str(value).lower() == expected.lower() if expected else bool(value)
        if not accepted:
            raise SmsGatewayError(
                f"The answer's {config.success_json_path} is {value!r}, "
                f"not {expected or 'a true value'!r}.",
                status_code,
                excerpt,
            )
    if config.success_substring and config.success_substring not in (text or ""):
        raise SmsGatewayError(
            f"The answer does not contain {config.success_substring!r}.",
            status_code,
            excerpt,
        )


def send(config, to, message, session=None):
    """Send one SMS; return a :class:`SmsResult` or raise :class:`SmsGatewayError`
    (a timeout or a refused connection included)."""
    import requests  # only needed to send

    request = build_request(config, to, message)
    http = session or requests
    start = time.monotonic()
    try:
        response = http.request(**request)
    except requests.Timeout:
        raise SmsGatewayError(
            f"The gateway did not answer within {config.timeout} s."
        ) from None
    except requests.RequestException as error:
        raise SmsGatewayError(f"Cannot reach the gateway: {error}") from None
    duration_ms = int((time.monotonic() - start) * 1000)
    check_response(config, response.status_code, response.text)
    return SmsResult(
        response.status_code, response.text[:RESPONSE_EXCERPT], duration_ms
    )
