# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Shopify client: orders in, tracking numbers and deliveries out, over the REST
Admin API with the official ``ShopifyAPI`` library (``import shopify``). No ORM here.

Endpoints used (REST Admin API, version :data:`API_VERSION` by default):

- ``GET  orders.json?status=any&updated_at_min=...&order=updated_at asc&limit=...``,
  then ``GET orders.json?limit=...&page_info=...`` following the ``Link`` header;
- ``GET  orders/{id}.json``;
- ``GET  orders/{id}/fulfillment_orders.json`` and ``POST fulfillments.json`` (the
  fulfillment-order flow; ``POST orders/{id}/fulfillments.json`` is gone since 2023-01);
- ``GET  orders/{id}/fulfillments.json`` (to find what a previous call created);
- ``POST orders/{id}/fulfillments/{fulfillment_id}/events.json`` (``delivered``).

The library keeps its session (site, token, timeout) in class attributes of
``shopify.ShopifyResource``: thread-local values with a process-wide fallback that
every new thread inherits. Every call here therefore runs under one module lock that
activates this shop's session, makes the one HTTP call and clears the session again,
so two threads (two shops) never see each other's site or token.

Where the library's objects lose information (a nested ``order_id`` is moved out of a
fulfillment's attributes, for instance) the client reads the exact JSON of the
response the library received (``ShopifyResource.connection.response``); headers
(``Link``, ``Retry-After``, ``X-Shopify-Shop-Api-Call-Limit``) come from there too.
"""

import http.client
import json
import logging
import re
import threading
import time
import urllib.error
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import partial
from urllib.parse import parse_qs, urlsplit

import shopify
from pyactiveresource import connection as ar_connection
from pyactiveresource import formats as ar_formats
from shopify.api_version import InvalidVersionError, VersionNotFoundError
from shopify.collection import PaginatedCollection

from .shop_base import (
    DEFAULT_TIMEOUT,
    OrderPage,
    ShopAddress,
    ShopAuthError,
    ShopClient,
    ShopError,
    ShopOrder,
    ShopOrderLine,
    ShopPayloadError,
    ShopRateLimited,
)

_logger = logging.getLogger(__name__)

API_VERSION = "2024-07"
SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256"
TOPIC_HEADER = "X-Shopify-Topic"
WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id"
SHOP_HEADER = "X-Shopify-Shop-Domain"
API_VERSION_HEADER = "X-Shopify-API-Version"
TOKEN_HEADER = "X-Shopify-Access-Token"
CALL_LIMIT_HEADER = "X-Shopify-Shop-Api-Call-Limit"
# Webhook topics the connector subscribes to.
WEBHOOK_TOPICS = ("orders/create", "orders/updated", "orders/cancelled")
DEFAULT_COD_GATEWAYS = ("cash_on_delivery", "cod", "Cash on Delivery (COD)")
# Seconds to wait after a 429 without a usable Retry-After header.
DEFAULT_RETRY_AFTER = 2.0
# Shopify's REST leaky bucket leaks limit/20 calls a second (40 -> 2/s, 400 -> 20/s).
BUCKET_LEAK_DIVISOR = 20
MAX_PAGE_SIZE = 250
# financial_status values meaning "the money is in" (authorized: captured when
# shipped, as merchants usually do).
PAID_STATUSES = ("paid", "partially_refunded", "authorized")
# Fulfillment orders a merchant-managed app may fulfil.
FULFILLABLE_STATUSES = ("open", "in_progress")

_LOCK = threading.RLock()
# Shop site -> monotonic time before which no call is made: the last answer showed
# the call bucket full. Shared by every client of the process, under _LOCK.
_THROTTLED_UNTIL = {}
_now = time.monotonic


class _Rejected(Exception):
    """``save()`` of the library swallows 422 answers; this carries one out."""


def _create(resource_class, attributes):
    """POST a new resource with the library (in a session: the library reads its
    site when it builds the object); its answer stays on the connection."""
    resource = resource_class(attributes)
    if not resource.save():
        raise _Rejected()
    return resource


def _release(error):
    """Close the sockets urllib's HTTPError objects hold until they are collected
    (the library keeps them in its exceptions and responses)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        for obj in (error, getattr(error, "response", None)):
            if isinstance(obj, urllib.error.HTTPError):
                obj.close()
            inner = getattr(obj, "response", None)
            if isinstance(inner, urllib.error.HTTPError):
                inner.close()
        error = error.__context__ if isinstance(error, BaseException) else None


def shop_domain_of(domain):
    """The shop's host as Shopify names it in ``X-Shopify-Shop-Domain``
    (``atlas.myshopify.com``; ``127.0.0.1:8000`` for a local test shop), from what a
    user typed (``atlas``, ``https://atlas.myshopify.com/admin``...); "" if none."""
    domain = (domain or "").strip()
    if not domain:
        return ""
    parts = urlsplit(domain if "://" in domain else "https://" + domain)
    host = (parts.hostname or "").lower()
    if host and "." not in host and "://" not in domain:
        host += ".myshopify.com"
    if host and parts.port and not host.endswith(".myshopify.com"):
        host = f"{host}:{parts.port}"
    return host


def _socket_timeout(timeout):
    """urllib (the library's transport) takes one socket timeout, applied to the
    connection and to every read: the longest of a (connect, read) pair."""
    values = timeout if isinstance(timeout, tuple | list) else (timeout,)
    try:
        value = max(float(v) for v in values if v is not None)
    except (TypeError, ValueError):
        value = 0
    return value if value > 0 else max(DEFAULT_TIMEOUT)


def _header(headers, name):
    """A response header, whatever its case (HTTP/2 proxies lower-case them)."""
    name = name.lower()
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return None


def _call_limit(headers):
    """``(used, limit)`` from ``X-Shopify-Shop-Api-Call-Limit: 32/40``, or None."""
    match = re.fullmatch(
        r"\s*(\d+)\s*/\s*(\d+)\s*", _header(headers, CALL_LIMIT_HEADER) or ""
    )
    return (int(match[1]), int(match[2])) if match else None


def _retry_after(headers):
    try:
        value = float(_header(headers, "Retry-After"))
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER
    return value if value > 0 else DEFAULT_RETRY_AFTER


def _error_text(body, limit=500):
    """The shop's error message from a JSON error body (``{"errors": ...}``)."""
    if isinstance(body, bytes | bytearray):
        body = body.decode("utf-8", errors="replace")
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return (body or "").strip()[:limit]

    def flat(value):
        if isinstance(value, dict):
            return "; ".join(f"{key}: {flat(val)}" for key, val in value.items())
        if isinstance(value, list):
            return "; ".join(flat(val) for val in value)
        return str(value)

    if isinstance(data, dict):
        data = data.get("errors", data.get("error", data))
    return flat(data)[:limit]


def _id(value, what):
    """A Shopify id (digits) as a string."""
    text = str(value).strip() if isinstance(value, int | str) else ""
    if isinstance(value, bool) or not text.isdigit():
        raise ShopError(f"{what} {value!r} is not a Shopify id.")
    return text


class ShopifyClient(ShopClient):
    """One Shopify shop. ``domain``: ``atlas.myshopify.com`` (or just ``atlas``), or
    a full base URL such as ``http://127.0.0.1:8000`` (a local test shop, a proxy);
    ``token``: the Admin API access token of a custom app; ``timeout``: seconds, or a
    (connect, read) pair; ``cod_gateways``: payment gateway names meaning cash on
    delivery (compared without case)."""

    def __init__(
        self,
        domain,
        token,
        api_version=API_VERSION,
        timeout=DEFAULT_TIMEOUT,
        cod_gateways=DEFAULT_COD_GATEWAYS,
    ):
        domain = (domain or "").strip()
        if not domain:
            raise ShopError("The Shopify shop domain is not set.")
        if not token:
            raise ShopAuthError("The Shopify Admin API access token is not set.")
        try:
            version = shopify.ApiVersion.coerce_to_version(api_version)
        except (VersionNotFoundError, InvalidVersionError, TypeError) as err:
            raise ShopError(
                f"{api_version!r} is not a Shopify API version (like {API_VERSION})."
            ) from err
        self.api_version = version.name
        self.token = token
        self.timeout = timeout
        self.cod_gateways = {g.strip().lower() for g in cod_gateways or () if g}
        self.shop_domain = shop_domain_of(domain)
        parts = urlsplit(domain if "://" in domain else "https://" + domain)
        if not parts.hostname or parts.scheme not in ("http", "https"):
            raise ShopError(f"{domain!r} is not a Shopify shop domain.")
        if self.shop_domain.endswith(".myshopify.com"):
            # The library's own session: it builds https://<shop>.myshopify.com/...
            self._session = shopify.Session(self.shop_domain, self.api_version, token)
            self.site = self._session.site
        elif "://" in domain:
            # shopify.Session would turn "127.0.0.1:8000" into "127.myshopify.com":
            # a base URL is given to the library as its site directly (what
            # activate_session does, minus the rewrite).
            self._session = None
            self.site = version.api_path(f"{parts.scheme}://{parts.netloc}")
        else:
            raise ShopError(
                f"{domain!r} is not a Shopify shop domain: use the shop's "
                "xxx.myshopify.com domain (Settings > Domains in Shopify)."
            )

    def __repr__(self):
        return f"<ShopifyClient {self.site}>"

    # ------------------------------------------------------------------
    # HTTP through the library

    def _activate(self):
        resource = shopify.ShopifyResource
        if self._session is not None:
            resource.activate_session(self._session)
        else:
            resource.site = self.site
            resource.url = self.shop_domain
            resource.user = None
            resource.password = None
            resource.version = self.api_version
            resource.headers[TOKEN_HEADER] = self.token
        # Without it urllib would wait forever (socket default).
        resource.timeout = _socket_timeout(self.timeout)

    def _check_throttle(self):
        until = _THROTTLED_UNTIL.get(self.site)
        if until is None:
            return
        wait = until - _now()
        if wait <= 0:
            _THROTTLED_UNTIL.pop(self.site, None)
            return
        raise ShopRateLimited(
            f"The Shopify API call budget of {self.shop_domain} is spent: "
            f"retry in {wait:.1f} s.",
            retry_after=round(wait, 1),
        )

    def _note_call_limit(self, headers):
        bucket = _call_limit(headers)
        if bucket and bucket[1] and bucket[0] >= bucket[1]:
            used, limit = bucket
            leak = max(limit / BUCKET_LEAK_DIVISOR, 1.0)
            wait = max((used - limit + 1) / leak, 1.0)
            _THROTTLED_UNTIL[self.site] = _now() + wait

    def _call(self, fn):
        """Run ``fn()`` (one library call) with this shop's session; return
        ``(result, response)``, ``response`` being the library's raw response
        (``code``, ``headers``, ``body``). Raise only :class:`ShopError`."""
        with _LOCK:
            self._check_throttle()
            resource = shopify.ShopifyResource
            try:
                self._activate()
                try:
                    result = fn()
                except _Rejected:
                    _release(resource.connection.response)
                    raise self._client_error(resource.connection.response) from None
                except Exception as err:
                    _release(err)
                    raise
                response = resource.connection.response
            except ShopError:
                raise
            except ar_connection.Redirection as err:
                location = _header(err.response.headers, "Location") or ""
                raise ShopError(
                    f"Shopify redirected the call ({err.code}) to {location}: check "
                    "the shop domain.",
                    status=err.code,
                ) from err
            except ar_connection.ClientError as err:
                raise self._client_error(err.response) from err
            except ar_connection.ServerError as err:
                raise ShopError(
                    f"Shopify had a server error ({err.code} {err}); it will be "
                    "retried.",
                    status=err.code,
                    transient=True,
                ) from err
            except ar_connection.Error as err:
                reason = getattr(err.args[0] if err.args else None, "reason", err)
                raise self._network_error(reason) from err
            except (OSError, http.client.HTTPException) as err:
                raise self._network_error(err) from err
            except ar_formats.Error as err:
                raise ShopError(
                    f"{self.shop_domain} answered something that is not JSON: check "
                    "the shop domain.",
                ) from err
            finally:
                resource.clear_session()
                resource.timeout = None
            self._note_call_limit(response.headers)
            return result, response

    def _network_error(self, err):
        if isinstance(err, TimeoutError):
            message = (
                f"Shopify ({self.shop_domain}) did not answer within "
                f"{_socket_timeout(self.timeout):g} s; it will be retried."
            )
        else:
            message = f"Cannot reach Shopify ({self.shop_domain}): {err}"
        return ShopError(message, transient=True)

    def _client_error(self, response):
        code = response.code
        text = _error_text(response.body)
        if code == 429:
            retry_after = _retry_after(response.headers)
            return ShopRateLimited(
                f"Shopify rate limit reached: retry in {retry_after:g} s.",
                retry_after=retry_after,
            )
        if code in (401, 403):
            return ShopAuthError(
                f"Shopify refused the call ({code}): {text}. Check the access "
                "token and the app's API access scopes.",
                status=code,
            )
        return ShopError(f"Shopify answered {code}: {text}", status=code)

    def _json(self, response, key):
        """``response``'s JSON body, its ``key`` member."""
        try:
            data = json.loads(response.body)
        except (TypeError, ValueError) as err:
            raise ShopError(
                f"{self.shop_domain} answered something that is not JSON."
            ) from err
        if not isinstance(data, dict) or key not in data:
            raise ShopError(
                f"Shopify's answer has no {key!r}: {_error_text(response.body)}"
            )
        return data[key]

    def fetch_shop(self):
        """The shop's settings (``name``, ``myshopify_domain``, ``currency``,
        ``iana_timezone``...): a cheap call that checks the domain and the token."""
        _shop, response = self._call(shopify.Shop.current)
        return self._json(response, "shop")

    def _created_id(self, response, key):
        created = self._json(response, key)
        if not isinstance(created, dict) or created.get("id") in (None, ""):
            raise ShopError(
                f"Shopify's answer has no {key} id: {_error_text(response.body)}"
            )
        return str(created["id"])

    # ------------------------------------------------------------------
    # Orders in

    def fetch_orders(self, since=None, cursor=None, limit=50):
        """One page of orders updated since ``since``, oldest update first. With a
        ``cursor`` (``page_info`` of the previous page's ``Link: rel="next"``) the
        page continues that listing: Shopify then accepts no other filter.

        An order of the page that cannot be read raises :class:`ShopPayloadError`
        with ``page`` (the page without it, and its cursor) and ``bad`` (pairs of the
        order id and the reason), so that a caller may import the rest."""
        limit = min(max(int(limit or 50), 1), MAX_PAGE_SIZE)
        if cursor:
            params = {"limit": limit, "page_info": cursor}
        else:
            params = {"status": "any", "order": "updated_at asc", "limit": limit}
            if since:
                params["updated_at_min"] = self._format_since(since)

        def get_page():
            # Order.find() would also build a tree of ActiveResource objects per
            # order (tens of milliseconds each: seconds for 250 orders) that the
            # client would throw away, reading the raw JSON anyway: the page is
            # fetched with the library's connection, and the library's
            # PaginatedCollection reads its Link header.
            response = shopify.Order.connection.get(
                shopify.Order._collection_path({}, params), shopify.Order.headers
            )
            try:
                return PaginatedCollection(
                    [],
                    metadata={
                        "resource_class": shopify.Order,
                        "headers": response.headers,
                    },
                )
            except ValueError as err:
                raise ShopError(
                    f"Unreadable pagination header from Shopify: {err}"
                ) from err

        links, response = self._call(get_page)
        payloads = self._json(response, "orders")
        next_cursor = None
        if links.next_page_url:
            query = parse_qs(urlsplit(links.next_page_url).query)
            next_cursor = (query.get("page_info") or [None])[0]
            if not next_cursor:
                raise ShopError(
                    f"Shopify's next page link has no page_info: {links.next_page_url}"
                )
        orders, bad = [], []
        for payload in payloads if isinstance(payloads, list) else [payloads]:
            try:
                orders.append(self.parse_order(payload))
            except ShopPayloadError as err:
                ref = payload.get("id") if isinstance(payload, dict) else None
                bad.append((ref, err.message))
        page = OrderPage(orders=orders, next_cursor=next_cursor)
        if bad:
            error = ShopPayloadError(
                "Shopify sent orders that cannot be read: "
                + "; ".join(message for _ref, message in bad)
            )
            error.page = page
            error.bad = bad
            raise error
        return page

    @staticmethod
    def _format_since(since):
        if isinstance(since, str):
            return since
        if since.tzinfo is None:  # Odoo's datetimes are naive UTC
            since = since.replace(tzinfo=timezone.utc)
        return since.astimezone(timezone.utc).isoformat(timespec="seconds")

    def fetch_order(self, external_id):
        order_id = _id(external_id, "Order")
        # As in fetch_orders: the library's connection, no object tree to discard.
        _response, response = self._call(
            lambda: shopify.Order.connection.get(
                shopify.Order._element_path(order_id, {}, {}), shopify.Order.headers
            )
        )
        return self.parse_order(self._json(response, "order"))

    def parse_order(self, payload):
        if not isinstance(payload, dict):
            raise ShopPayloadError(
                f"A Shopify order must be a JSON object, not {type(payload).__name__}."
            )
        raw_id = payload.get("id")
        if (
            isinstance(raw_id, bool)
            or not str(raw_id if raw_id is not None else "").isdigit()
        ):
            raise ShopPayloadError(f"This Shopify order has no valid id ({raw_id!r}).")
        external_id = str(raw_id)
        name = payload.get("name") or (
            f"#{payload['order_number']}"
            if payload.get("order_number")
            else external_id
        )
        ref = f"Shopify order {name} (id {external_id})"
        created_at = self._text(payload, "created_at", ref)
        updated_at = self._text(payload, "updated_at", ref) or created_at
        for stamp in (created_at, updated_at):
            if stamp:
                try:
                    datetime.fromisoformat(stamp)
                except ValueError as err:
                    raise ShopPayloadError(
                        f"{ref}: {stamp!r} is not a date and time."
                    ) from err
        cancelled = bool(payload.get("cancelled_at"))
        email = self._text(payload, "email", ref) or self._text(
            payload, "contact_email", ref
        )
        phone = self._text(payload, "phone", ref)
        customer_data = self._dict(payload, "customer", ref)
        customer = self._address(
            self._dict(customer_data, "default_address", ref)
            or self._dict(payload, "billing_address", ref),
            ref,
        )
        customer.name = (
            " ".join(
                filter(
                    None,
                    (
                        self._text(customer_data, "first_name", ref),
                        self._text(customer_data, "last_name", ref),
                    ),
                )
            )
            or customer.name
        )
        customer.email = self._text(customer_data, "email", ref) or email
        customer.phone = (
            self._text(customer_data, "phone", ref) or customer.phone or phone
        )
        shipping = self._address(self._dict(payload, "shipping_address", ref), ref)
        shipping.name = shipping.name or customer.name
        shipping.phone = shipping.phone or phone or customer.phone
        shipping.email = email or customer.email
        return ShopOrder(
            external_id=external_id,
            name=str(name),
            created_at=created_at,
            updated_at=updated_at,
            currency=(
                self._text(payload, "currency", ref)
                or self._text(payload, "presentment_currency", ref)
            ).upper(),
            total=self._decimal(payload.get("total_price"), "total_price", ref),
            payment_status=self._payment_status(payload, cancelled, ref),
            cancelled=cancelled,
            customer=customer,
            shipping=shipping,
            lines=self._lines(payload, ref),
            note=self._text(payload, "note", ref),
            raw=payload,
        )

    def _payment_status(self, payload, cancelled, ref):
        if cancelled:
            return "cancelled"
        status = self._text(payload, "financial_status", ref).lower()
        if status in PAID_STATUSES:
            return "paid"
        if status == "refunded":
            return "refunded"
        if status == "pending":
            gateways = payload.get("payment_gateway_names") or []
            if not isinstance(gateways, list):
                raise ShopPayloadError(f"{ref}: payment_gateway_names is not a list.")
            gateways = [*gateways, payload.get("gateway")]
            if any(
                isinstance(g, str) and g.strip().lower() in self.cod_gateways
                for g in gateways
            ):
                return "cod"
        # pending (not COD), partially_paid, voided, unknown: not to ship yet
        return "pending"

    def _lines(self, payload, ref):
        items = payload.get("line_items") or []
        if not isinstance(items, list):
            raise ShopPayloadError(f"{ref}: line_items is not a list.")
        lines = []
        for item in items:
            if not isinstance(item, dict) or item.get("id") in (None, ""):
                raise ShopPayloadError(f"{ref}: a line item has no id.")
            line_ref = f"{ref}, line {item['id']}"
            # current_quantity: what is left after order edits (removed items: 0)
            quantity = item.get("current_quantity", item.get("quantity"))
            quantity = self._decimal(quantity, "quantity", line_ref)
            if quantity != quantity.to_integral_value():
                raise ShopPayloadError(f"{line_ref}: quantity {quantity} is not whole.")
            if not quantity:
                continue
            grams = item.get("grams")
            lines.append(
                ShopOrderLine(
                    external_id=str(item["id"]),
                    sku=self._text(item, "sku", line_ref),
                    name=self._text(item, "name", line_ref)
                    or self._text(item, "title", line_ref),
                    quantity=int(quantity),
                    price_unit=self._decimal(item.get("price"), "price", line_ref),
                    weight_kg=float(self._decimal(grams, "grams", line_ref)) / 1000
                    if grams not in (None, "")
                    else 0.0,
                )
            )
        return lines

    def _address(self, data, ref):
        def text(key):
            return self._text(data, key, ref)

        name = text("name") or " ".join(
            filter(None, (text("first_name"), text("last_name")))
        )
        return ShopAddress(
            name=name,
            company=text("company"),
            street=text("address1"),
            street2=text("address2"),
            city=text("city"),
            zip=text("zip"),
            state_code=text("province_code"),
            country_code=text("country_code").upper(),
            phone=text("phone"),
        )

    @staticmethod
    def _dict(data, key, ref):
        value = data.get(key) if isinstance(data, dict) else None
        if value in (None, ""):
            return {}
        if not isinstance(value, dict):
            raise ShopPayloadError(f"{ref}: {key} is not an object.")
        return value

    @staticmethod
    def _text(data, key, ref):
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            return ""
        if isinstance(value, dict | list):
            raise ShopPayloadError(f"{ref}: {key} is not text.")
        return str(value).strip()

    @staticmethod
    def _decimal(value, what, ref):
        if value is None or value == "":
            raise ShopPayloadError(f"{ref}: {what} is missing.")
        if isinstance(value, bool | dict | list):
            raise ShopPayloadError(f"{ref}: {what} {value!r} is not a number.")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation as err:
            raise ShopPayloadError(f"{ref}: {what} {value!r} is not a number.") from err
        if not number.is_finite() or number < 0:
            raise ShopPayloadError(f"{ref}: {what} {value!r} is not a valid amount.")
        return number

    # ------------------------------------------------------------------
    # Tracking out

    def push_tracking(self, order, tracking_number, tracking_url, carrier_name):
        """Create the fulfillment of what is left to ship in the order, with the
        tracking number, URL and carrier; Shopify e-mails the customer. Return the
        fulfillment id ("id1,id2" when the items sit at several locations: Shopify
        wants one fulfillment per location).

        Idempotent: when nothing is left to fulfil and the order's fulfillments
        already carry this tracking number (a previous call went through, its answer
        got lost), return their ids without creating anything."""
        order_id = _id(order, "Order")
        number = (tracking_number or "").strip()
        if not number:
            raise ShopError("A tracking number is needed to fulfil a Shopify order.")
        _result, response = self._call(
            lambda: shopify.FulfillmentOrders.find(order_id=order_id)
        )
        fulfillment_orders = self._json(response, "fulfillment_orders") or []
        groups = {}  # location id -> line_items_by_fulfillment_order entries
        for fo in fulfillment_orders:
            actions = fo.get("supported_actions")
            if fo.get("status") not in FULFILLABLE_STATUSES or (
                actions is not None and "create_fulfillment" not in actions
            ):
                continue
            lines = [
                {"id": line["id"], "quantity": line["fulfillable_quantity"]}
                for line in fo.get("line_items") or []
                if (line.get("fulfillable_quantity") or 0) > 0
            ]
            if lines:
                groups.setdefault(fo.get("assigned_location_id"), []).append(
                    {
                        "fulfillment_order_id": fo["id"],
                        "fulfillment_order_line_items": lines,
                    }
                )
        existing = []
        if not groups or any(fo.get("status") != "open" for fo in fulfillment_orders):
            # Something was fulfilled already: maybe by a call whose answer was lost.
            existing = [f["id"] for f in self._fulfillments_with(order_id, number)]
        if not groups:
            if existing:
                return ",".join(str(ref) for ref in existing)
            statuses = ", ".join(
                sorted({str(fo.get("status")) for fo in fulfillment_orders})
            )
            raise ShopError(
                f"Shopify order {order_id} has nothing left to fulfil (fulfillment "
                f"orders: {statuses or 'none visible to the app'})."
            )
        # Empty url/company are left out: Shopify rejects an empty URL.
        tracking_info = {"number": number}
        if tracking_url:
            tracking_info["url"] = tracking_url
        if carrier_name:
            tracking_info["company"] = carrier_name
        created = []
        for line_items in groups.values():
            attributes = {
                "line_items_by_fulfillment_order": line_items,
                "tracking_info": tracking_info,
                "notify_customer": True,
            }
            _saved, response = self._call(
                partial(_create, shopify.FulfillmentV2, attributes)
            )
            created.append(self._created_id(response, "fulfillment"))
        return ",".join(str(ref) for ref in existing + created)

    def _fulfillments_with(self, order_id, tracking_number):
        """The order's live fulfillments carrying ``tracking_number``."""
        _result, response = self._call(
            lambda: shopify.Fulfillment.find(order_id=order_id)
        )
        wanted = tracking_number.strip().upper()
        found = []
        for fulfillment in self._json(response, "fulfillments") or []:
            if fulfillment.get("status") in ("cancelled", "error", "failure"):
                continue
            numbers = [
                fulfillment.get("tracking_number"),
                *(fulfillment.get("tracking_numbers") or []),
            ]
            if any(isinstance(n, str) and n.strip().upper() == wanted for n in numbers):
                found.append(fulfillment)
        return found

    def push_delivered(self, order, tracking_number, fulfillment_ref=None):
        """Add a ``delivered`` event to the fulfillment(s) ``fulfillment_ref`` (what
        :meth:`push_tracking` returned) or, without it, to those carrying
        ``tracking_number`` that are not delivered yet. Return the event id(s)."""
        order_id = _id(order, "Order")
        if fulfillment_ref:
            fulfillment_ids = [
                _id(ref, "Fulfillment") for ref in str(fulfillment_ref).split(",")
            ]
        else:
            found = self._fulfillments_with(order_id, tracking_number or "")
            if not found:
                raise ShopError(
                    f"Shopify order {order_id} has no fulfillment with tracking number "
                    f"{tracking_number}."
                )
            fulfillment_ids = [
                str(f["id"]) for f in found if f.get("shipment_status") != "delivered"
            ]
            if not fulfillment_ids:
                return ""  # already delivered: nothing to tell
        events = []
        for fulfillment_id in fulfillment_ids:
            attributes = {
                "order_id": order_id,
                "fulfillment_id": fulfillment_id,
                "status": "delivered",
            }
            _saved, response = self._call(
                partial(_create, shopify.FulfillmentEvent, attributes)
            )
            events.append(self._created_id(response, "fulfillment_event"))
        return ",".join(events)
