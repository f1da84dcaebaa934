# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""WooCommerce REST API (``/wp-json/wc/v3``) client: orders in, tracking out.

Built on the official ``woocommerce`` library (``woocommerce.API``), which
authenticates the way WooCommerce expects it:

- ``https://`` store: HTTP basic auth with the consumer key and secret (or, with
  ``query_string_auth=True``, ``consumer_key``/``consumer_secret`` in the query string,
  for hosts that strip the ``Authorization`` header);
- ``http://`` store: OAuth 1.0a "one-legged" (HMAC-SHA256 signature of the method, URL
  and query with the consumer secret, a timestamp and a nonce in the query string).

Every call has a timeout; every failure becomes a :class:`~.shop_base.ShopError`.
No ORM here.
"""

import email.utils
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

import requests
from woocommerce import API

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

# Webhook deliveries (WooCommerce > Settings > Advanced > Webhooks): the body is the
# REST v3 order JSON, signed with the webhook's secret (base64 HMAC-SHA256).
SIGNATURE_HEADER = "X-WC-Webhook-Signature"
TOPIC_HEADER = "X-WC-Webhook-Topic"  # order.created, order.updated
DELIVERY_ID_HEADER = "X-WC-Webhook-Delivery-ID"
SOURCE_HEADER = "X-WC-Webhook-Source"  # the store's home URL, with a final slash
WEBHOOK_ID_HEADER = "X-WC-Webhook-ID"
RESOURCE_HEADER = "X-WC-Webhook-Resource"  # order
EVENT_HEADER = "X-WC-Webhook-Event"  # created, updated
ORDER_TOPICS = ("order.created", "order.updated")

API_VERSION = "wc/v3"
MAX_PER_PAGE = 100  # the REST API refuses a larger per_page
DEFAULT_RETRY_AFTER = 2.0
USER_AGENT = "TMS-Odoo-WooCommerce/1.0"

# Order statuses of WooCommerce core.
CANCELLED_STATUSES = ("cancelled", "trash")
PENDING_STATUSES = ("pending", "failed", "checkout-draft")
# Statuses in which an order whose payment method is cash on delivery is to collect.
DEFAULT_COD_STATUSES = ("processing", "on-hold")

# Customer notes (the shop e-mails them to the customer). The Odoo side may pass
# translated texts with the same placeholders.
TRACKING_NOTE = (
    "Your order has been shipped with {carrier}. Tracking number: "
    "{tracking_number}. Follow your parcel: {tracking_url}"
)
DELIVERED_NOTE = "Your order was delivered (tracking number {tracking_number})."


def _retry_after(value):
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return DEFAULT_RETRY_AFTER
    value = value.strip()
    if value.replace(".", "", 1).isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - datetime.now(timezone.utc)).total_seconds(), 0.0)


def _gmt(since):
    """``since`` for ``modified_after`` with ``dates_are_gmt=true``: UTC, no offset
    (WordPress' date query ignores an offset and would read the wall time)."""
    if isinstance(since, str):
        since = datetime.fromisoformat(since.strip().replace("Z", "+00:00"))
    if since.tzinfo is not None:
        since = since.astimezone(timezone.utc).replace(tzinfo=None)
    return since.replace(microsecond=0).isoformat()


def _with_offset(gmt_value, local_value):
    """The order's date as ISO 8601 with an offset: the ``*_gmt`` field (which the
    API gives without one) in UTC, else the site's local time as given."""
    if isinstance(gmt_value, str) and gmt_value.strip():
        value = gmt_value.strip()
        if value.endswith("Z"):
            return value[:-1] + "+00:00"
        if "+" in value[10:] or "-" in value[10:]:
            return value
        return value + "+00:00"
    return local_value.strip() if isinstance(local_value, str) else ""


def _decimal(value, what, default=None):
    if value in (None, "") and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ShopPayloadError(f"WooCommerce order: {what} is not a number ({value!r})")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ShopPayloadError(
            f"WooCommerce order: {what} is not a number ({value!r})"
        ) from error
    if not number.is_finite():
        raise ShopPayloadError(f"WooCommerce order: {what} is not a number ({value!r})")
    return number


def _text(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _dict(payload, key):
    value = payload.get(key)
    if value in (None, [], ""):  # PHP encodes an empty array as []
        return {}
    if not isinstance(value, dict):
        raise ShopPayloadError(f"WooCommerce order: {key} is not an object")
    return value


def _address(data, phone="", email=""):
    name = " ".join(
        part
        for part in (_text(data.get("first_name")), _text(data.get("last_name")))
        if part
    )
    return ShopAddress(
        name=name,
        company=_text(data.get("company")),
        street=_text(data.get("address_1")),
        street2=_text(data.get("address_2")),
        city=_text(data.get("city")),
        zip=_text(data.get("postcode")),
        state_code=_text(data.get("state")),
        country_code=_text(data.get("country")).upper(),
        phone=_text(data.get("phone")) or phone,
        email=_text(data.get("email")) or email,
    )


def _order_id(external_id):
    """The order id for a URL path: digits only (never a path of our own making)."""
    value = str(external_id).strip().lstrip("#") if external_id is not None else ""
    if not value.isdigit() or not int(value):
        raise ShopError(
            f"Not a WooCommerce order id: {external_id!r}", status=None, transient=False
        )
    return str(int(value))


class WooCommerceClient(ShopClient):
    """One WooCommerce store, through its REST API keys (Read/Write).

    ``url``: the store's home URL (``https://boutique.ma``; a bare domain means
    https); ``cod_methods``: payment method ids meaning cash on delivery;
    ``cod_statuses``: statuses in which such an order is to collect;
    ``shipped_status``: the status set by :meth:`push_delivered` (empty: unchanged);
    ``tracking_note`` / ``delivered_note``: texts of the customer notes, with the
    placeholders ``{carrier}``, ``{tracking_number}``, ``{tracking_url}``.
    """

    def __init__(
        self,
        url,
        consumer_key,
        consumer_secret,
        timeout=DEFAULT_TIMEOUT,
        cod_methods=("cod",),
        shipped_status="completed",
        query_string_auth=False,
        cod_statuses=DEFAULT_COD_STATUSES,
        tracking_note=TRACKING_NOTE,
        delivered_note=DELIVERED_NOTE,
    ):
        url = (url or "").strip().rstrip("/")
        if not url:
            raise ShopError("The WooCommerce store URL is missing.", transient=False)
        if "://" not in url:
            url = f"https://{url}"
        if not consumer_key or not consumer_secret:
            raise ShopAuthError(
                "The WooCommerce consumer key and secret are both required."
            )
        self.url = url
        self.cod_methods = tuple(cod_methods or ())
        self.cod_statuses = tuple(cod_statuses or ())
        self.shipped_status = shipped_status
        self.tracking_note = tracking_note
        self.delivered_note = delivered_note
        self.api = API(
            url=url,
            consumer_key=consumer_key.strip(),
            consumer_secret=consumer_secret.strip(),
            version=API_VERSION,
            wp_api=True,
            timeout=timeout,
            query_string_auth=query_string_auth,
            user_agent=USER_AGENT,
        )

    # HTTP

    def _call(self, method, endpoint, data=None, params=None):
        """One API call; returns ``(response, decoded JSON)`` or raises ShopError."""
        # The library changes the dict it is given: always a fresh one.
        params = dict(params or {})
        # A redirect (http -> https, another domain) would drop the method and
        # body of a POST and break the OAuth signature: never follow one.
        try:
            if method == "GET":
                response = self.api.get(endpoint, params=params, allow_redirects=False)
            elif method == "POST":
                response = self.api.post(
                    endpoint, data, params=params, allow_redirects=False
                )
            elif method == "PUT":
                response = self.api.put(
                    endpoint, data, params=params, allow_redirects=False
                )
            else:
                raise ValueError(method)
        except requests.Timeout as error:
            raise ShopError(
                f"WooCommerce ({self.url}) did not answer in time: {error}",
                transient=True,
            ) from error
        except requests.RequestException as error:
            raise ShopError(
                f"WooCommerce ({self.url}) cannot be reached: {error}",
                transient=True,
            ) from error
        status = response.status_code
        if 300 <= status < 400:
            raise ShopError(
                f"WooCommerce ({self.url}) redirects its API to "
                f"{response.headers.get('Location') or '?'}: set the store URL to "
                "the address it redirects to (https).",
                status=status,
                transient=False,
            )
        if status >= 400:
            self._raise_for_error(response)
        try:
            return response, response.json()
        except ValueError as error:
            raise ShopError(
                f"{self.url} answered {endpoint} with something else than the "
                "WooCommerce REST API (check the store URL, that WooCommerce is "
                "active and that permalinks are not 'Plain').",
                status=status,
                transient=False,
            ) from error

    def _raise_for_error(self, response):
        """The WordPress REST error (``{"code", "message", "data": {"status"}}``) as
        a ShopError."""
        status = response.status_code
        code, message = "", ""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            code = _text(body.get("code"))
            message = _text(body.get("message"))
        if not message:
            message = (response.reason or "").strip() or f"HTTP {status}"
        text = f"WooCommerce answered {status}"
        text += f" ({code}): {message}" if code else f": {message}"
        if status == 429:
            error = ShopRateLimited(
                text, retry_after=_retry_after(response.headers.get("Retry-After"))
            )
        elif status in (401, 403):
            error = ShopAuthError(text, status=status)
        else:
            error = ShopError(
                text, status=status, transient=status >= 500 or status == 408
            )
        error.code = code
        raise error

    # Orders

    def fetch_orders(self, since=None, cursor=None, limit=50):
        """A page of orders modified after ``since``, oldest modification first.
        ``cursor`` is the page number to read (pages of ``limit`` orders, at most
        100); the returned ``next_cursor`` is the next one, None after the last."""
        try:
            page = int(cursor) if cursor not in (None, "") else 1
        except (TypeError, ValueError) as error:
            raise ShopError(
                f"Not a WooCommerce page cursor: {cursor!r}", transient=False
            ) from error
        page = max(page, 1)
        per_page = max(1, min(int(limit or 50), MAX_PER_PAGE))
        params = {
            "orderby": "modified",
            "order": "asc",
            "per_page": per_page,
            "page": page,
        }
        if since:
            params["modified_after"] = _gmt(since)
            params["dates_are_gmt"] = "true"
        response, data = self._call("GET", "orders", params=params)
        if not isinstance(data, list):
            raise ShopError(
                "WooCommerce answered the order list with something else than a list.",
                status=response.status_code,
                transient=False,
            )
        # An order that cannot be read must not hide the rest of the page: the
        # error carries the readable orders (``page``) and the bad ones (``bad``:
        # (id, reason) pairs), as the Shopify client does.
        orders, bad = [], []
        for payload in data:
            try:
                orders.append(self.parse_order(payload))
            except ShopPayloadError as err:
                ref = payload.get("id") if isinstance(payload, dict) else None
                bad.append((ref, err.message))
        try:
            total_pages = int(response.headers.get("X-WP-TotalPages", ""))
        except ValueError:
            total_pages = None
        if total_pages is None:  # no header (a cache in front): a full page goes on
            has_next = len(data) >= per_page
        else:
            has_next = page < total_pages
        result = OrderPage(
            orders=orders, next_cursor=str(page + 1) if has_next else None
        )
        if bad:
            error = ShopPayloadError(
                "WooCommerce sent orders that cannot be read: "
                + "; ".join(message for _ref, message in bad)
            )
            error.page = result
            error.bad = bad
            raise error
        return result

    def fetch_order(self, external_id):
        __, data = self._call("GET", f"orders/{_order_id(external_id)}")
        return self.parse_order(data)

    def _payment_status(self, status, payload):
        """paid, cod, pending, refunded or cancelled.

        A cash-on-delivery order is never "paid" before it is completed:
        WooCommerce sets ``date_paid`` as soon as such an order is processing."""
        is_cod = _text(payload.get("payment_method")) in self.cod_methods
        if status in CANCELLED_STATUSES:
            return "cancelled"
        if status == "refunded":
            return "refunded"
        if status in PENDING_STATUSES:
            return "pending"
        if is_cod:
            if status in self.cod_statuses:
                return "cod"
            if status == "completed" and payload.get("date_paid"):
                return "paid"
            # Another (plugin) status: neither collectable nor paid, not imported.
            return "pending"
        if payload.get("date_paid") or status in ("processing", "completed"):
            return "paid"
        return "pending"

    def parse_order(self, payload):
        """A REST v3 order (API answer or webhook body) as a ShopOrder."""
        if not isinstance(payload, dict):
            raise ShopPayloadError("WooCommerce order: not a JSON object")
        order_id = payload.get("id")
        if (
            isinstance(order_id, bool)
            or not isinstance(order_id, int | str)
            or not str(order_id).strip().isdigit()
            or not int(str(order_id).strip())
        ):
            raise ShopPayloadError(
                f"WooCommerce order: bad or missing id ({order_id!r})"
            )
        external_id = str(int(str(order_id).strip()))
        status = payload.get("status")
        if not isinstance(status, str) or not status.strip():
            raise ShopPayloadError(f"WooCommerce order {external_id}: no status")
        status = status.strip()
        total = _decimal(payload.get("total"), "total")
        billing = _dict(payload, "billing")
        shipping = _dict(payload, "shipping")
        items = payload.get("line_items")
        if items in (None, {}):
            items = []
        if not isinstance(items, list):
            raise ShopPayloadError(
                f"WooCommerce order {external_id}: line_items is not a list"
            )
        lines = []
        for item in items:
            if not isinstance(item, dict) or item.get("id") in (None, ""):
                raise ShopPayloadError(
                    f"WooCommerce order {external_id}: a line item has no id"
                )
            quantity = _decimal(item.get("quantity"), "line item quantity")
            line_total = _decimal(item.get("total"), "line item total", Decimal(0))
            line_tax = _decimal(item.get("total_tax"), "line item tax", Decimal(0))
            if quantity:
                # Line totals are without tax and after discounts: the unit price the
                # customer pays is (total + tax) / quantity.
                price_unit = ((line_total + line_tax) / quantity).quantize(
                    Decimal("0.0001")
                )
            else:
                price_unit = _decimal(item.get("price"), "line item price", Decimal(0))
            lines.append(
                ShopOrderLine(
                    external_id=_text(item.get("id")),
                    sku=_text(item.get("sku")),
                    name=_text(item.get("name")),
                    quantity=float(quantity),
                    price_unit=price_unit,
                )
            )
        customer = _address(billing)
        if _text(shipping.get("address_1")) or _text(shipping.get("city")):
            delivery = _address(shipping, phone=customer.phone, email=customer.email)
        else:  # no shipping address (or a store that does not ask it): billing's
            delivery = _address(billing)
        number = _text(payload.get("number")) or external_id
        payment_status = self._payment_status(status, payload)
        return ShopOrder(
            external_id=external_id,
            name=number if number.startswith("#") else f"#{number}",
            created_at=_with_offset(
                payload.get("date_created_gmt"), payload.get("date_created")
            ),
            updated_at=_with_offset(
                payload.get("date_modified_gmt"), payload.get("date_modified")
            ),
            currency=_text(payload.get("currency")).upper(),
            total=total,
            payment_status=payment_status,
            cancelled=payment_status == "cancelled",
            customer=customer,
            shipping=delivery,
            lines=lines,
            note=_text(payload.get("customer_note")),
            raw=payload,
        )

    # Back to the shop

    def _customer_notes(self, order_id):
        __, notes = self._call(
            "GET", f"orders/{order_id}/notes", params={"type": "customer"}
        )
        if not isinstance(notes, list):
            raise ShopError(
                "WooCommerce answered the order notes with something else than a list.",
                transient=False,
            )
        return [note for note in notes if isinstance(note, dict)]

    def _add_customer_note(self, order_id, text):
        __, note = self._call(
            "POST",
            f"orders/{order_id}/notes",
            data={"note": text, "customer_note": True},
        )
        if not isinstance(note, dict) or note.get("id") in (None, ""):
            raise ShopError(
                "WooCommerce did not return the order note it created.",
                transient=False,
            )
        return str(note["id"])

    def push_tracking(self, order, tracking_number, tracking_url, carrier_name):
        """A customer note (e-mailed by WooCommerce) with the tracking number and
        URL; returns its id. Retried after a lost answer, it finds the note it
        already wrote (one holding the tracking number) and writes no other."""
        order_id = _order_id(order)
        if not tracking_number:
            raise ShopError("No tracking number to send.", transient=False)
        for note in self._customer_notes(order_id):
            if tracking_number in _text(note.get("note")):
                return str(note.get("id"))
        text = self.tracking_note.format(
            carrier=carrier_name or "",
            tracking_number=tracking_number,
            tracking_url=tracking_url or "",
        )
        return self._add_customer_note(order_id, text)

    def push_delivered(self, order, tracking_number, fulfillment_ref=None):
        """The order gets ``shipped_status`` (``completed``) and a customer note that
        it was delivered; returns the note's id. A cancelled or refunded order is
        left as it is (ShopError): the merchant has to look at it."""
        order_id = _order_id(order)
        __, current = self._call("GET", f"orders/{order_id}")
        if not isinstance(current, dict):
            raise ShopError("WooCommerce did not return the order.", transient=False)
        status = _text(current.get("status"))
        if status in CANCELLED_STATUSES + ("refunded", "failed"):
            raise ShopError(
                f"WooCommerce order {order_id} is {status}: it is not marked "
                "delivered.",
                transient=False,
            )
        if self.shipped_status and status != self.shipped_status:
            self._call(
                "PUT", f"orders/{order_id}", data={"status": self.shipped_status}
            )
        text = self.delivered_note.format(
            carrier="", tracking_number=tracking_number or "", tracking_url=""
        )
        for note in self._customer_notes(order_id):
            if _text(note.get("note")) == text.strip():
                return str(note.get("id"))
        return self._add_customer_note(order_id, text)
