# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What every shop client shares: the normalised order, the page of orders, the
errors, and webhook signatures. No ORM here.

A client (``shopify.ShopifyClient``, ``woocommerce.WooCommerceClient``) turns the
shop's own payloads into :class:`ShopOrder` objects and raises only :class:`ShopError`
(or its subclasses); the Odoo side never sees the shop's JSON shapes nor its HTTP
library's exceptions.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from decimal import Decimal

# Every HTTP call of a client has a timeout (connect, read), in seconds.
DEFAULT_TIMEOUT = (5, 30)


class ShopError(Exception):
    """A call to a shop failed.

    ``transient``: worth retrying later (timeouts, connection errors, 5xx, 429);
    ``status``: the HTTP status, if any; ``retry_after``: seconds the shop asked to
    wait (429 ``Retry-After``), if any.
    """

    def __init__(self, message, status=None, transient=False, retry_after=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.transient = transient
        self.retry_after = retry_after


class ShopRateLimited(ShopError):
    """The shop answered 429, or its call budget is spent: wait ``retry_after``."""

    def __init__(self, message, retry_after=2.0, status=429):
        super().__init__(
            message, status=status, transient=True, retry_after=retry_after
        )


class ShopAuthError(ShopError):
    """Bad credentials or missing API scopes (401/403): never retried."""


class ShopPayloadError(ShopError):
    """An order payload the client cannot read (missing id, bad types)."""


@dataclass
class ShopAddress:
    name: str = ""
    company: str = ""
    street: str = ""
    street2: str = ""
    city: str = ""
    zip: str = ""
    state_code: str = ""
    country_code: str = ""  # ISO 3166-1 alpha-2, upper case
    phone: str = ""
    email: str = ""


@dataclass
class ShopOrderLine:
    external_id: str
    sku: str
    name: str
    quantity: float
    price_unit: Decimal  # tax included, in the order's currency
    weight_kg: float = 0.0


@dataclass
class ShopOrder:
    """An order as the Odoo side needs it, whatever the shop."""

    external_id: str  # the shop's immutable id, as a string
    name: str  # what the merchant and the customer call it (#1001)
    created_at: str  # ISO 8601 with offset, as the shop gave it
    updated_at: str
    currency: str  # ISO 4217
    total: Decimal  # tax and shipping included
    # paid, cod (cash on delivery, to collect), pending (neither: not imported),
    # refunded, cancelled
    payment_status: str
    cancelled: bool
    customer: ShopAddress
    shipping: ShopAddress
    lines: list = field(default_factory=list)  # [ShopOrderLine]
    note: str = ""
    raw: dict = field(default_factory=dict, repr=False)  # the shop's payload

    @property
    def is_cod(self):
        return self.payment_status == "cod"

    @property
    def importable(self):
        """Paid or cash-on-delivery and not cancelled."""
        return not self.cancelled and self.payment_status in ("paid", "cod")


@dataclass
class OrderPage:
    """One page of orders; ``next_cursor`` is what to ask for the next page (None on
    the last). A sync stores the cursor after each page, so it resumes there."""

    orders: list
    next_cursor: str | None = None


def hmac_sha256_base64(secret, raw_body):
    """The base64 HMAC-SHA256 of the raw request body: the signature both Shopify
    (``X-Shopify-Hmac-Sha256``) and WooCommerce (``X-WC-Webhook-Signature``) send."""
    if isinstance(secret, str):
        secret = secret.encode()
    digest = hmac.new(secret, raw_body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify_signature(secret, raw_body, signature):
    """Whether ``signature`` (the header's value) signs ``raw_body`` with ``secret``;
    compared in constant time. An empty secret or signature never verifies."""
    if not secret or not signature or not isinstance(raw_body, bytes | bytearray):
        return False
    expected = hmac_sha256_base64(secret, bytes(raw_body))
    return hmac.compare_digest(expected.encode(), signature.strip().encode())


class ShopClient:
    """The interface of a shop client. Every method may raise :class:`ShopError`."""

    def fetch_orders(self, since=None, cursor=None, limit=50):
        """Return an :class:`OrderPage` of orders created or updated since ``since``
        (an aware datetime, or None for all), oldest first; ``cursor`` from the
        previous page continues it."""
        raise NotImplementedError

    def fetch_order(self, external_id):
        """Return one :class:`ShopOrder`."""
        raise NotImplementedError

    def parse_order(self, payload):
        """Turn a webhook's or the API's order JSON (a dict) into a
        :class:`ShopOrder`; raise :class:`ShopPayloadError` when it cannot."""
        raise NotImplementedError

    def push_tracking(self, order, tracking_number, tracking_url, carrier_name):
        """Tell the shop the order ships: Shopify, a fulfillment with the tracking
        number and URL (customer notified by the shop); WooCommerce, an order note
        for the customer and the configured status. ``order`` is the external id.
        Return the shop's id of what was created (fulfillment id, note id), so that a
        retry can tell it is already done."""
        raise NotImplementedError

    def push_delivered(self, order, tracking_number, fulfillment_ref=None):
        """Tell the shop the order was delivered (Shopify: a fulfillment event
        ``delivered``; WooCommerce: status ``completed`` and a note)."""
        raise NotImplementedError
