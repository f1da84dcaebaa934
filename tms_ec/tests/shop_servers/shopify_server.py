# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A local Shopify shop: a threaded HTTP server on 127.0.0.1 (free port) answering the
part of the REST Admin API the connector uses, with the shapes of Shopify's docs:

- ``GET orders.json`` (filters ``status``, ``updated_at_min/max``,
  ``created_at_min/max``; ``order``; ``limit`` up to 250; cursor pagination with
  ``page_info`` and the ``Link`` header, ``rel="next"`` / ``rel="previous"``),
  ``GET orders/{id}.json``, ``GET orders/count.json``, ``GET shop.json``;
- ``GET orders/{id}/fulfillment_orders.json``, ``POST fulfillments.json``,
  ``GET orders/{id}/fulfillments.json``;
- ``POST``/``GET orders/{id}/fulfillments/{fulfillment_id}/events.json``.

Every answer carries ``X-Shopify-Shop-Api-Call-Limit`` (see :meth:`set_call_limit`);
a missing or wrong ``X-Shopify-Access-Token`` gets 401; :meth:`fail_next` and
:meth:`slow_next` script failures. :meth:`webhook_request` builds a signed webhook as
Shopify would POST it.
"""

import base64
import copy
import hashlib
import hmac
import itertools
import json
import re
import secrets
import threading
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

API_VERSION = "2024-07"
COD_GATEWAY = "Cash on Delivery (COD)"
RECORDED_PAGE = (
    Path(__file__).resolve().parent.parent / "data" / "shopify_orders_page.json"
)
# Morocco's legal time (UTC+1 outside Ramadan), as a Moroccan shop's timestamps read.
SHOP_TZ = timezone(timedelta(hours=1))
SHIPPING_PRICE = Decimal("30.00")
VAT_RATE = Decimal("0.20")
EVENT_STATUSES = (
    "label_printed",
    "label_purchased",
    "attempted_delivery",
    "ready_for_pickup",
    "picked_up",
    "confirmed",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "failure",
)
ERROR_BODIES = {
    400: {"errors": "Bad Request"},
    401: {
        "errors": "[API] Invalid API key or access token (unrecognized login or "
        "wrong password)"
    },
    403: {
        "errors": "[API] This action requires merchant approval for "
        "write_merchant_managed_fulfillment_orders scope."
    },
    404: {"errors": "Not Found"},
    422: {"errors": {"base": ["The request could not be processed."]}},
    429: {
        "errors": "Exceeded 2 calls per second for api client. Reduce request rates "
        "to resume uninterrupted service."
    },
    500: {"errors": "Internal Server Error"},
    502: {"errors": "Bad Gateway"},
    503: {"errors": "Service Unavailable"},
}

# first name, last name, city, zip, address1, address2, mobile (9 digits)
CUSTOMERS = [
    (
        "Youssef",
        "El Amrani",
        "Casablanca",
        "20250",
        "12 Rue Ibnou Mounir",
        "Maârif",
        "661234567",
    ),
    (
        "Fatima Zahra",
        "Benali",
        "Rabat",
        "10090",
        "7 Avenue Ibn Sina",
        "Agdal",
        "662345678",
    ),
    (
        "Mohamed",
        "Alaoui",
        "Marrakech",
        "40000",
        "45 Derb Sidi Bouloukat",
        "Médina",
        "670123456",
    ),
    (
        "Khadija",
        "Bennani",
        "Fès",
        "30050",
        "18 Boulevard Allal El Fassi",
        "",
        "655443322",
    ),
    ("Omar", "Tazi", "Tanger", "90000", "3 Rue de la Liberté", "Appt 4", "699887766"),
    ("Salma", "Idrissi", "Agadir", "80000", "Lot 112 Hay Dakhla", "", "612345678"),
    ("Hamza", "Chraibi", "Meknès", "50000", "22 Avenue des FAR", "Hamria", "633221100"),
    ("Imane", "Berrada", "Oujda", "60000", "9 Boulevard Mohammed V", "", "677665544"),
    (
        "Ayoub",
        "Fassi Fihri",
        "Kénitra",
        "14000",
        "56 Rue Abdelmoumen",
        "Résidence Nour",
        "644556677",
    ),
    ("Meryem", "Lahlou", "Tétouan", "93000", "14 Avenue Mohammed VI", "", "688990011"),
    (
        "Anas",
        "Ouazzani",
        "Casablanca",
        "20100",
        "101 Boulevard d'Anfa",
        "Étage 3",
        "700112233",
    ),
    ("Hajar", "Kettani", "Salé", "11000", "27 Rue Tabriquet", "", "611223344"),
]
# sku, title, variant title, price (MAD, VAT included), grams, product id, variant id
PRODUCTS = [
    ("ARG-OIL-100", "Huile d'argan cosmétique", "100 ml", "149.00", 180, 8101, 46101),
    ("BAB-42-BRN", "Babouches en cuir", "42 / Marron", "220.00", 650, 8102, 46102),
    ("CAF-M-EMR", "Caftan brodé", "M / Émeraude", "890.00", 900, 8103, 46103),
    ("SAV-BLD-250", "Savon noir beldi", "250 g", "45.00", 280, 8104, 46104),
    ("TAJ-TC-28", "Tajine en terre cuite", "28 cm", "180.00", 2400, 8105, 46105),
    ("THE-MNT-BOX", "Coffret thé à la menthe", "", "120.00", 450, 8106, 46106),
    ("TAP-BRB-120", "Tapis berbère", "120 x 180 cm", "1450.00", 5200, 8107, 46107),
    ("RAS-HNT-100", "Ras el hanout", "100 g", "35.00", 120, 8108, 46108),
]
PAID_GATEWAYS = (["paypal"], ["CMI"], ["manual"])
_INVALID = object()  # a request body that is not JSON


def _money(value):
    return str(Decimal(value).quantize(Decimal("0.01")))


def _price_set(amount, currency="MAD"):
    money = {"amount": _money(amount), "currency_code": currency}
    return {"shop_money": money, "presentment_money": dict(money)}


def _phone(mobile, style):
    """A Moroccan mobile number the ways customers type it."""
    if style == 0:
        return f"+212{mobile}"
    if style == 1:
        return f"0{mobile[:1]} {mobile[1:3]} {mobile[3:5]} {mobile[5:7]} {mobile[7:]}"
    return f"0{mobile}"


def _email(first, last):
    slug = re.sub(
        r"[^a-z]+", ".", f"{first} {last}".lower().encode("ascii", "ignore").decode()
    )
    return f"{slug.strip('.')}@example.com"


def _stamp(value):
    return value.isoformat()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the tests read ``ShopifyTestServer.requests`` instead."""

    def _dispatch(self):
        self.server.shop._handle(self)

    do_GET = do_POST = do_PUT = do_DELETE = _dispatch


class ShopifyTestServer:
    """A local Shopify shop for tests; see the module's docstring. ``token``: the
    Admin API access token it accepts; ``webhook_secret``: the app's client secret
    that signs its webhooks; ``shop_domain``: what ``X-Shopify-Shop-Domain`` says
    (``127.0.0.1:<port>`` by default, the host of :attr:`url`)."""

    def __init__(
        self, token=None, webhook_secret=None, api_version=API_VERSION, shop_domain=None
    ):
        self.token = token or "shpat_" + secrets.token_hex(16)
        self.webhook_secret = webhook_secret or secrets.token_hex(32)
        self.api_version = api_version
        self._shop_domain = shop_domain
        self.shop_id = 60_000_000_001
        self.location_id = 71_000_000_001
        self.orders = {}  # id -> order payload
        self.fulfillment_orders = {}  # order id -> [fulfillment order]
        self.fulfillments = []  # created fulfillments + the request's tracking_info...
        self.fulfillment_events = []
        self.requests = []  # {method, path, query, json, headers}
        self.call_limit = (1, 40)
        self._failures = []
        self._delays = []
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._last_stamp = None
        self._seq = itertools.count()
        self._order_ids = itertools.count(5_800_000_001_001)
        self._order_numbers = itertools.count(1001)
        self._line_ids = itertools.count(14_100_000_000_001)
        self._fo_ids = itertools.count(6_400_000_000_001)
        self._fo_line_ids = itertools.count(13_900_000_000_001)
        self._fulfillment_ids = itertools.count(5_200_000_000_001)
        self._event_ids = itertools.count(3_100_000_001)
        self._httpd = None
        self._thread = None

    # ------------------------------------------------------------------
    # Life cycle

    def start(self):
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._httpd.shop = self
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="shopify-test-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._httpd:
            self._stopping.set()  # wakes the slow answers up
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(5)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def shop_domain(self):
        return self._shop_domain or urlsplit(self.url).netloc

    # ------------------------------------------------------------------
    # Scripting

    def fail_next(self, status=429, retry_after=2, count=1, method=None):
        """The next ``count`` API calls (of ``method`` only, if given) answer
        ``status`` and do nothing: 429 with ``Retry-After: retry_after`` unless it is
        None; 401, 403, 404, 422, 5xx with Shopify's error bodies."""
        with self._lock:
            self._failures.extend([(status, retry_after, method)] * count)

    def slow_next(self, seconds, count=1, method=None):
        """The next ``count`` API calls (of ``method`` only, if given) are carried
        out at once but answered ``seconds`` later (or when the server stops): a
        client with a shorter timeout gives up although the shop did the work."""
        with self._lock:
            self._delays.extend([(seconds, method)] * count)

    @staticmethod
    def _take(queue, method):
        for index, entry in enumerate(queue):
            if entry[-1] in (None, method):
                return queue.pop(index)
        return None

    def set_call_limit(self, used, limit=40):
        """What ``X-Shopify-Shop-Api-Call-Limit`` says from now on (``used/limit``)."""
        self.call_limit = (used, limit)

    # ------------------------------------------------------------------
    # Orders

    def _stamps(self, count):
        """``count`` increasing timestamps (one second apart), the last one now at
        the latest, each after every timestamp given before."""
        now = datetime.now(SHOP_TZ).replace(microsecond=0)
        start = now - timedelta(seconds=count - 1)
        if self._last_stamp and start <= self._last_stamp:
            start = self._last_stamp + timedelta(seconds=1)
        self._last_stamp = start + timedelta(seconds=count - 1)
        return [start + timedelta(seconds=i) for i in range(count)]

    def _line_item(self, product, quantity):
        sku, title, variant, price, grams, product_id, variant_id = product
        line_id = next(self._line_ids)
        vat = Decimal(price) * quantity * VAT_RATE / (1 + VAT_RATE)
        return {
            "id": line_id,
            "admin_graphql_api_id": f"gid://shopify/LineItem/{line_id}",
            "attributed_staffs": [],
            "current_quantity": quantity,
            "fulfillable_quantity": quantity,
            "fulfillment_service": "manual",
            "fulfillment_status": None,
            "gift_card": False,
            "grams": grams,
            "name": f"{title} - {variant}" if variant else title,
            "price": price,
            "price_set": _price_set(price),
            "product_exists": True,
            "product_id": product_id,
            "properties": [],
            "quantity": quantity,
            "requires_shipping": True,
            "sku": sku,
            "taxable": True,
            "title": title,
            "total_discount": "0.00",
            "total_discount_set": _price_set("0"),
            "variant_id": variant_id,
            "variant_inventory_management": "shopify",
            "variant_title": variant or None,
            "vendor": "Atlas Artisanat",
            "tax_lines": [
                {
                    "channel_liable": False,
                    "price": _money(vat),
                    "price_set": _price_set(vat),
                    "rate": float(VAT_RATE),
                    "title": "TVA",
                }
            ],
            "duties": [],
            "discount_allocations": [],
        }

    def _address(self, customer, style, default=None):
        first, last, city, zip_code, address1, address2, mobile = customer
        address = {
            "first_name": first,
            "address1": address1,
            "phone": _phone(mobile, style),
            "city": city,
            "zip": zip_code,
            "province": None,
            "country": "Morocco",
            "last_name": last,
            "address2": address2 or None,
            "company": None,
            "latitude": None,
            "longitude": None,
            "name": f"{first} {last}",
            "country_code": "MA",
            "province_code": None,
        }
        if default is not None:
            address.update(default)
        return address

    def _new_order(self, stamp, **overrides):
        """A realistic order payload (REST Admin API, 2024-07), not stored."""
        seq = next(self._seq)
        cod = overrides.pop("cod", seq % 3 != 2)
        customer = CUSTOMERS[seq % len(CUSTOMERS)]
        first, last = customer[0], customer[1]
        order_id = next(self._order_ids)
        number = next(self._order_numbers)
        customer_id = 7_300_000_000_001 + CUSTOMERS.index(customer)
        email = _email(first, last)
        phone = _phone(customer[6], 0)
        line_items = overrides.pop("line_items", None)
        if line_items is None:
            picks = [
                PRODUCTS[(seq + i * 3) % len(PRODUCTS)] for i in range(1 + seq % 3)
            ]
            line_items = [
                self._line_item(p, 1 + (seq + i) % 2) for i, p in enumerate(picks)
            ]
        else:
            line_items = [
                {
                    **self._line_item(
                        PRODUCTS[i % len(PRODUCTS)], line.get("quantity", 1)
                    ),
                    **line,
                }
                for i, line in enumerate(line_items)
            ]
            for line in line_items:
                line.setdefault("current_quantity", line["quantity"])
                line["fulfillable_quantity"] = line["quantity"]
        subtotal = sum(Decimal(str(li["price"])) * li["quantity"] for li in line_items)
        total = subtotal + SHIPPING_PRICE
        tax = total * VAT_RATE / (1 + VAT_RATE)
        grams = sum(int(li.get("grams") or 0) * li["quantity"] for li in line_items)
        gateways = (
            [COD_GATEWAY] if cod else list(PAID_GATEWAYS[seq % len(PAID_GATEWAYS)])
        )
        token = uuid.uuid4().hex
        shipping_address = self._address(customer, seq % 3)
        default_address = {
            **self._address(customer, 0),
            "id": 9_100_000_000_001 + CUSTOMERS.index(customer),
            "customer_id": customer_id,
            "country_name": "Morocco",
            "default": True,
        }
        created = _stamp(stamp)
        order = {
            "id": order_id,
            "admin_graphql_api_id": f"gid://shopify/Order/{order_id}",
            "app_id": 580111,
            "browser_ip": "196.200.131.17",
            "buyer_accepts_marketing": False,
            "cancel_reason": None,
            "cancelled_at": None,
            "cart_token": uuid.uuid4().hex,
            "checkout_id": 36_000_000_000 + number,
            "checkout_token": uuid.uuid4().hex,
            "client_details": {
                "accept_language": "fr-MA",
                "browser_height": None,
                "browser_ip": "196.200.131.17",
                "browser_width": None,
                "session_hash": None,
                "user_agent": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36",
            },
            "closed_at": None,
            "confirmation_number": token[:9].upper(),
            "confirmed": True,
            "contact_email": email,
            "created_at": created,
            "currency": "MAD",
            "current_subtotal_price": _money(subtotal),
            "current_subtotal_price_set": _price_set(subtotal),
            "current_total_discounts": "0.00",
            "current_total_price": _money(total),
            "current_total_price_set": _price_set(total),
            "current_total_tax": _money(tax),
            "current_total_tax_set": _price_set(tax),
            "customer_locale": "fr-MA",
            "device_id": None,
            "discount_codes": [],
            "email": email,
            "estimated_taxes": False,
            "financial_status": "pending" if cod else "paid",
            "fulfillment_status": None,
            "landing_site": "/",
            "landing_site_ref": None,
            "location_id": None,
            "name": f"#{number}",
            "note": None,
            "note_attributes": [],
            "number": number - 1000,
            "order_number": number,
            "order_status_url": f"https://{self.shop_domain_for_urls}/{self.shop_id}/orders/{token}/authenticate?key={uuid.uuid4().hex}",
            "original_total_duties_set": None,
            "payment_gateway_names": gateways,
            "phone": phone,
            "po_number": None,
            "presentment_currency": "MAD",
            "processed_at": created,
            "reference": None,
            "referring_site": "https://www.instagram.com/",
            "source_identifier": None,
            "source_name": "web",
            "source_url": None,
            "subtotal_price": _money(subtotal),
            "subtotal_price_set": _price_set(subtotal),
            "tags": "",
            "tax_exempt": False,
            "tax_lines": [
                {
                    "price": _money(tax),
                    "rate": float(VAT_RATE),
                    "title": "TVA",
                    "price_set": _price_set(tax),
                    "channel_liable": False,
                }
            ],
            "taxes_included": True,
            "test": False,
            "token": token,
            "total_discounts": "0.00",
            "total_discounts_set": _price_set("0"),
            "total_line_items_price": _money(subtotal),
            "total_line_items_price_set": _price_set(subtotal),
            "total_outstanding": _money(total) if cod else "0.00",
            "total_price": _money(total),
            "total_price_set": _price_set(total),
            "total_shipping_price_set": _price_set(SHIPPING_PRICE),
            "total_tax": _money(tax),
            "total_tax_set": _price_set(tax),
            "total_tip_received": "0.00",
            "total_weight": grams,
            "updated_at": created,
            "user_id": None,
            "billing_address": self._address(customer, 0),
            "customer": {
                "id": customer_id,
                "email": email,
                "created_at": "2024-03-12T15:27:41+01:00",
                "updated_at": created,
                "first_name": first,
                "last_name": last,
                "state": "disabled",
                "note": None,
                "verified_email": True,
                "multipass_identifier": None,
                "tax_exempt": False,
                "phone": phone,
                "email_marketing_consent": {
                    "state": "not_subscribed",
                    "opt_in_level": "single_opt_in",
                    "consent_updated_at": None,
                },
                "sms_marketing_consent": None,
                "tags": "",
                "currency": "MAD",
                "tax_exemptions": [],
                "admin_graphql_api_id": f"gid://shopify/Customer/{customer_id}",
                "default_address": default_address,
            },
            "discount_applications": [],
            "fulfillments": [],
            "line_items": line_items,
            "payment_terms": None,
            "refunds": [],
            "shipping_address": shipping_address,
            "shipping_lines": [
                {
                    "id": 4_700_000_000_000 + number,
                    "carrier_identifier": None,
                    "code": "Livraison standard",
                    "discounted_price": _money(SHIPPING_PRICE),
                    "discounted_price_set": _price_set(SHIPPING_PRICE),
                    "phone": None,
                    "price": _money(SHIPPING_PRICE),
                    "price_set": _price_set(SHIPPING_PRICE),
                    "requested_fulfillment_service_id": None,
                    "source": "shopify",
                    "title": "Livraison standard (24-72 h)",
                    "tax_lines": [],
                    "discount_allocations": [],
                }
            ],
        }
        for key in ("shipping_address", "billing_address", "customer"):
            value = overrides.pop(key, order[key])
            if isinstance(value, dict) and isinstance(order[key], dict):
                value = {**order[key], **value}
            order[key] = value
        order.update(overrides)
        return order

    @property
    def shop_domain_for_urls(self):
        return "atlas-artisanat.myshopify.com"

    def _fulfillment_order(self, order):
        fo_id = next(self._fo_ids)
        lines = []
        for item in order.get("line_items") or []:
            if not item.get("requires_shipping", True):
                continue
            quantity = item.get("current_quantity", item.get("quantity", 0))
            if not quantity:
                continue
            line_id = next(self._fo_line_ids)
            lines.append(
                {
                    "id": line_id,
                    "shop_id": self.shop_id,
                    "fulfillment_order_id": fo_id,
                    "quantity": quantity,
                    "line_item_id": item["id"],
                    "inventory_item_id": 48_000_000_000
                    + int(item.get("variant_id") or 0),
                    "fulfillable_quantity": quantity,
                    "variant_id": item.get("variant_id"),
                }
            )
        address = order.get("shipping_address") or {}
        return {
            "id": fo_id,
            "shop_id": self.shop_id,
            "order_id": order["id"],
            "assigned_location_id": self.location_id,
            "request_status": "unsubmitted",
            "status": "open",
            "fulfill_at": None,
            "fulfill_by": None,
            "supported_actions": [
                "create_fulfillment",
                "request_fulfillment",
                "hold",
                "move",
            ],
            "destination": {
                "id": fo_id + 1,
                "address1": address.get("address1"),
                "address2": address.get("address2"),
                "city": address.get("city"),
                "company": address.get("company"),
                "country": address.get("country"),
                "email": order.get("email"),
                "first_name": address.get("first_name"),
                "last_name": address.get("last_name"),
                "phone": address.get("phone"),
                "province": address.get("province"),
                "zip": address.get("zip"),
            },
            "line_items": lines,
            "international_duties": None,
            "fulfillment_holds": [],
            "delivery_method": {
                "id": fo_id + 2,
                "method_type": "shipping",
                "min_delivery_date_time": None,
                "max_delivery_date_time": None,
            },
            "created_at": order["created_at"],
            "updated_at": order["created_at"],
            "assigned_location": {
                "address1": "Zone industrielle Sapino, lot 34",
                "address2": None,
                "city": "Nouaceur",
                "country_code": "MA",
                "location_id": self.location_id,
                "name": "Entrepôt Nouaceur",
                "phone": "+212522000000",
                "province": None,
                "zip": "27182",
            },
            "merchant_requests": [],
        }

    def _store(self, order):
        self.orders[order["id"]] = order
        fo = self._fulfillment_order(order)
        if order.get("cancelled_at"):
            fo.update(status="closed", supported_actions=[])
        self.fulfillment_orders[order["id"]] = [fo]

    def add_order(self, **overrides):
        """Store and return (a copy of) a new order: Moroccan customer and address,
        1 to 3 line items with SKUs, MAD; cash on delivery (``financial_status``
        pending, gateway "Cash on Delivery (COD)") unless ``cod=False`` (paid), by
        default two orders in three. Other keywords replace the payload's keys
        (``shipping_address``, ``billing_address`` and ``customer`` are merged;
        ``line_items`` entries are completed and the totals recomputed)."""
        with self._lock:
            order = self._new_order(self._stamps(1)[0], **overrides)
            self._store(order)
            return copy.deepcopy(order)

    def add_orders(self, count, **overrides):
        with self._lock:
            stamps = self._stamps(count)
            orders = []
            for stamp in stamps:
                order = self._new_order(stamp, **copy.deepcopy(overrides))
                self._store(order)
                orders.append(copy.deepcopy(order))
            return orders

    def load_recorded(self, count):
        """Store ``count`` orders derived from the recorded page (50 orders, in
        turn) with their own ids, names and timestamps; return them (the stored
        payloads themselves, not copies, as this is meant for big loads)."""
        recorded = json.loads(RECORDED_PAGE.read_text(encoding="utf-8"))["orders"]
        with self._lock:
            orders = []
            for index, stamp in enumerate(self._stamps(count)):
                order = copy.deepcopy(recorded[index % len(recorded)])
                order_id = next(self._order_ids)
                number = next(self._order_numbers)
                created = _stamp(stamp)
                order.update(
                    id=order_id,
                    admin_graphql_api_id=f"gid://shopify/Order/{order_id}",
                    name=f"#{number}",
                    number=number - 1000,
                    order_number=number,
                    created_at=created,
                    processed_at=created,
                    updated_at=created,
                    token=uuid.uuid4().hex,
                )
                if order.get("cancelled_at"):
                    order["cancelled_at"] = created
                for item in order.get("line_items") or []:
                    item["id"] = next(self._line_ids)
                    item["admin_graphql_api_id"] = (
                        f"gid://shopify/LineItem/{item['id']}"
                    )
                self._store(order)
                orders.append(order)
            return orders

    def cancel_order(self, order_id, reason="customer"):
        """Cancel an order as the merchant would in Shopify's admin; return (a copy
        of) it. Its fulfillment orders close; an unpaid order's payment is voided."""
        with self._lock:
            order = self.orders[int(order_id)]
            stamp = _stamp(self._stamps(1)[0])
            order.update(cancelled_at=stamp, cancel_reason=reason, updated_at=stamp)
            if order.get("financial_status") in ("pending", "authorized"):
                order["financial_status"] = "voided"
            for fo in self.fulfillment_orders.get(order["id"], []):
                if fo["status"] in ("open", "in_progress", "scheduled", "on_hold"):
                    fo.update(status="closed", supported_actions=[], updated_at=stamp)
            return copy.deepcopy(order)

    # ------------------------------------------------------------------
    # Webhooks

    def webhook_request(self, topic, payload):
        """``(body, headers)`` of the webhook Shopify would POST for ``topic``
        (``orders/create``, ``orders/updated``, ``orders/cancelled``...): ``payload``
        (an order dict, or an order id of this shop) as compact JSON, signed with
        :attr:`webhook_secret`, with a fresh webhook id."""
        if not isinstance(payload, dict):
            payload = self.orders[int(payload)]
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8"
        )
        digest = hmac.new(self.webhook_secret.encode(), body, hashlib.sha256).digest()
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
            "X-Shopify-Shop-Domain": self.shop_domain,
            "X-Shopify-API-Version": self.api_version,
            "X-Shopify-Webhook-Id": str(uuid.uuid4()),
            "X-Shopify-Event-Id": str(uuid.uuid4()),
            "X-Shopify-Triggered-At": datetime.now(timezone.utc).isoformat(),
        }
        return body, headers

    # ------------------------------------------------------------------
    # HTTP

    def _handle(self, request):
        split = urlsplit(request.path)
        query = {
            k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()
        }
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = _INVALID
        with self._lock:
            self.requests.append(
                {
                    "method": request.command,
                    "path": split.path,
                    "query": query,
                    "json": None if data is _INVALID else data,
                    "headers": dict(request.headers.items()),
                }
            )
            delay = self._take(self._delays, request.command)
            status, body, headers = self._answer(request, split.path, query, data)
        if delay:
            self._stopping.wait(delay[0])
        return self._send(request, status, body, headers, full_bucket=status == 429)

    def _answer(self, request, path, query, data):
        match = re.fullmatch(r"/admin/api/(\d{4}-\d{2}|unstable)/(.+)\.json", path)
        if not match:
            return 404, ERROR_BODIES[404], {}
        if request.headers.get("X-Shopify-Access-Token") != self.token:
            return 401, ERROR_BODIES[401], {}
        failure = self._take(self._failures, request.command)
        if failure:
            status, retry_after, _method = failure
            headers = {}
            if status == 429 and retry_after is not None:
                headers["Retry-After"] = f"{float(retry_after):.1f}"
            return (
                status,
                ERROR_BODIES.get(status, {"errors": f"Error {status}"}),
                headers,
            )
        if data is _INVALID:
            return 400, {"errors": "Bad Request: unparsable JSON"}, {}
        return self._route(request.command, match[2], query, data)

    def _route(self, method, resource, query, data):
        routes = [
            ("GET", r"orders", self._list_orders),
            ("GET", r"orders/count", self._count_orders),
            ("GET", r"orders/(\d+)", self._get_order),
            ("GET", r"orders/(\d+)/fulfillment_orders", self._get_fulfillment_orders),
            ("GET", r"orders/(\d+)/fulfillments", self._get_fulfillments),
            ("POST", r"fulfillments", self._create_fulfillment),
            ("GET", r"orders/(\d+)/fulfillments/(\d+)/events", self._get_events),
            ("POST", r"orders/(\d+)/fulfillments/(\d+)/events", self._create_event),
            ("GET", r"shop", self._get_shop),
        ]
        for route_method, pattern, handler in routes:
            match = re.fullmatch(pattern, resource)
            if match and route_method == method:
                result = handler(query, data, *[int(g) for g in match.groups()])
                return result if len(result) == 3 else (*result, {})
        return 404, ERROR_BODIES[404], {}

    def _send(self, request, status, body, headers=None, full_bucket=False):
        payload = json.dumps(body).encode("utf-8")
        used, limit = (
            (self.call_limit[1], self.call_limit[1]) if full_bucket else self.call_limit
        )
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json; charset=utf-8")
            request.send_header("Content-Length", str(len(payload)))
            request.send_header("X-Shopify-Shop-Api-Call-Limit", f"{used}/{limit}")
            request.send_header("X-Shopify-API-Version", self.api_version)
            request.send_header("X-Request-Id", str(uuid.uuid4()))
            for key, value in (headers or {}).items():
                request.send_header(key, value)
            request.end_headers()
            request.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # the client gave up waiting (timeout tests): nobody to answer
            request.close_connection = True

    # Orders ------------------------------------------------------------

    _ORDER_FIELDS = ("id", "created_at", "updated_at", "processed_at")
    _PAGE_FILTERS = (
        "status",
        "updated_at_min",
        "updated_at_max",
        "created_at_min",
        "created_at_max",
    )

    @staticmethod
    def _encode_cursor(cursor):
        raw = json.dumps(cursor, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def _decode_cursor(text):
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            cursor = json.loads(raw)
            assert isinstance(cursor, dict) and {"f", "o", "d", "k"} <= set(cursor)
            return cursor
        except (ValueError, AssertionError, TypeError):
            return None

    def _sort_key(self, field):
        if field == "id":
            return lambda order: (order["id"], order["id"])
        return lambda order: (datetime.fromisoformat(order[field]), order["id"])

    @staticmethod
    def _key_value(field, value):
        return value if field == "id" else datetime.fromisoformat(value)

    def _filter_orders(self, filters):
        status = filters.get("status") or "open"
        bounds = {}
        for name in self._PAGE_FILTERS[1:]:
            if filters.get(name):
                bounds[name] = datetime.fromisoformat(filters[name])
        result = []
        for order in self.orders.values():
            if status == "open" and (
                order.get("closed_at") or order.get("cancelled_at")
            ):
                continue
            if status == "closed" and not order.get("closed_at"):
                continue
            if status == "cancelled" and not order.get("cancelled_at"):
                continue
            keep = True
            for name, bound in bounds.items():
                value = datetime.fromisoformat(order[name.rsplit("_", 1)[0]])
                keep = keep and (
                    value >= bound if name.endswith("_min") else value <= bound
                )
            if keep:
                result.append(order)
        return result

    def _list_orders(self, query, data):
        try:
            limit = int(query.get("limit", 50))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 250:
            return 400, {"errors": {"limit": "Invalid value."}}
        if "page_info" in query:
            extra = set(query) - {"page_info", "limit", "fields"}
            if extra:
                return 400, {
                    "errors": {
                        "page_info": "Invalid value. Only limit and fields can be "
                        f"given with page_info, not {', '.join(sorted(extra))}."
                    }
                }
            cursor = self._decode_cursor(query["page_info"])
            if cursor is None:
                return 400, {"errors": {"page_info": "Invalid value."}}
            filters, order_by = cursor["f"], cursor["o"]
        else:
            filters = {k: query[k] for k in self._PAGE_FILTERS if query.get(k)}
            order_by, cursor = query.get("order") or "created_at desc", None
        field, _sep, direction = order_by.strip().partition(" ")
        descending = direction.strip().lower() == "desc"
        if field not in self._ORDER_FIELDS:
            return 400, {"errors": {"order": "Invalid value."}}
        try:
            matching = self._filter_orders(filters)
        except ValueError:
            return 400, {"errors": {"updated_at_min": "Invalid value."}}
        key = self._sort_key(field)
        matching.sort(key=key, reverse=descending)
        keys = [key(o) for o in matching]
        if cursor is None:
            start, end = 0, min(limit, len(matching))
        else:
            mark = (self._key_value(field, cursor["k"][0]), cursor["k"][1])
            # how many orders sort before the mark (the list is in the asked order)
            before = sum(1 for k in keys if (k > mark if descending else k < mark))
            if cursor["d"] == "next":
                start = len(matching) - sum(
                    1 for k in keys if (k < mark if descending else k > mark)
                )
                end = min(start + limit, len(matching))
            else:
                end = before
                start = max(end - limit, 0)
        page = matching[start:end]
        links = []
        base = f"{self.url}/admin/api/{self.api_version}/orders.json"
        if page and start > 0:
            first = page[0]
            value = first["id"] if field == "id" else first[field]
            token = self._encode_cursor(
                {"f": filters, "o": order_by, "d": "prev", "k": [value, first["id"]]}
            )
            links.append(f'<{base}?limit={limit}&page_info={token}>; rel="previous"')
        if page and end < len(matching):
            last = page[-1]
            value = last["id"] if field == "id" else last[field]
            token = self._encode_cursor(
                {"f": filters, "o": order_by, "d": "next", "k": [value, last["id"]]}
            )
            links.append(f'<{base}?limit={limit}&page_info={token}>; rel="next"')
        headers = {"Link": ", ".join(links)} if links else {}
        return 200, {"orders": copy.deepcopy(page)}, headers

    def _count_orders(self, query, data):
        filters = {k: query[k] for k in self._PAGE_FILTERS if query.get(k)}
        try:
            return 200, {"count": len(self._filter_orders(filters))}
        except ValueError:
            return 400, {"errors": "Bad Request"}

    def _get_order(self, query, data, order_id):
        order = self.orders.get(order_id)
        if order is None:
            return 404, ERROR_BODIES[404]
        return 200, {"order": copy.deepcopy(order)}

    def _get_shop(self, query, data):
        return 200, {
            "shop": {
                "id": self.shop_id,
                "name": "Atlas Artisanat",
                "email": "contact@atlas-artisanat.example.com",
                "domain": "atlas-artisanat.example.com",
                "myshopify_domain": self.shop_domain,
                "country_code": "MA",
                "currency": "MAD",
                "iana_timezone": "Africa/Casablanca",
                "plan_name": "basic",
            }
        }

    # Fulfillments --------------------------------------------------------

    def _get_fulfillment_orders(self, query, data, order_id):
        if order_id not in self.orders:
            return 404, ERROR_BODIES[404]
        return 200, {
            "fulfillment_orders": copy.deepcopy(self.fulfillment_orders[order_id])
        }

    def _get_fulfillments(self, query, data, order_id):
        order = self.orders.get(order_id)
        if order is None:
            return 404, ERROR_BODIES[404]
        return 200, {"fulfillments": copy.deepcopy(order.get("fulfillments") or [])}

    def _find_fulfillment_order(self, fo_id):
        for order_id, fos in self.fulfillment_orders.items():
            for fo in fos:
                if fo["id"] == fo_id:
                    return order_id, fo
        return None, None

    def _create_fulfillment(self, query, data):
        spec = data.get("fulfillment") if isinstance(data, dict) else None
        groups = (
            spec.get("line_items_by_fulfillment_order")
            if isinstance(spec, dict)
            else None
        )
        if not isinstance(groups, list) or not groups:
            return 400, {
                "errors": {"fulfillment": "Required parameter missing or invalid"}
            }
        plan, order_ids, locations, seen = [], set(), set(), set()
        for group in groups:
            fo_id = (
                group.get("fulfillment_order_id") if isinstance(group, dict) else None
            )
            order_id, fo = self._find_fulfillment_order(fo_id)
            if fo is None:
                return 404, ERROR_BODIES[404]
            if fo_id in seen:
                return 422, {"errors": ["Fulfillment order ids must be unique."]}
            seen.add(fo_id)
            order_ids.add(order_id)
            locations.add(fo["assigned_location_id"])
            if fo["status"] not in ("open", "in_progress"):
                return 422, {
                    "errors": [
                        f"Fulfillment order {fo_id} has an unfulfillable "
                        f"status= {fo['status']}."
                    ]
                }
            wanted = group.get("fulfillment_order_line_items")
            lines = {line["id"]: line for line in fo["line_items"]}
            if not wanted:
                wanted = [
                    {"id": line["id"], "quantity": line["fulfillable_quantity"]}
                    for line in fo["line_items"]
                    if line["fulfillable_quantity"] > 0
                ]
            for item in wanted:
                line = lines.get(item.get("id")) if isinstance(item, dict) else None
                quantity = item.get("quantity") if line else None
                if (
                    not isinstance(quantity, int)
                    or quantity <= 0
                    or quantity > line["fulfillable_quantity"]
                ):
                    return 422, {
                        "errors": [
                            "Invalid fulfillment order line item quantity requested."
                        ]
                    }
                plan.append((fo, line, quantity))
        if len(order_ids) > 1:
            return 422, {
                "errors": ["All fulfillment orders must belong to the same order."]
            }
        if len(locations) > 1:
            return 422, {
                "errors": [
                    "All fulfillment orders must be assigned to the same location."
                ]
            }
        order = self.orders[order_ids.pop()]
        stamp = _stamp(self._stamps(1)[0])
        items = {item["id"]: item for item in order["line_items"]}
        fulfilled_lines = []
        for _fo, line, quantity in plan:
            line["fulfillable_quantity"] -= quantity
            item = items[line["line_item_id"]]
            item["fulfillable_quantity"] = max(
                item["fulfillable_quantity"] - quantity, 0
            )
            item["fulfillment_status"] = (
                "fulfilled" if not item["fulfillable_quantity"] else "partial"
            )
            fulfilled_lines.append({**copy.deepcopy(item), "quantity": quantity})
        for fo in {id(fo): fo for fo, _l, _q in plan}.values():
            left = any(line["fulfillable_quantity"] for line in fo["line_items"])
            fo.update(status="in_progress" if left else "closed", updated_at=stamp)
        unfulfilled = any(item["fulfillable_quantity"] for item in order["line_items"])
        order["fulfillment_status"] = "partial" if unfulfilled else "fulfilled"
        order["updated_at"] = stamp
        tracking = spec.get("tracking_info") or {}
        number = tracking.get("number")
        fulfillment_id = next(self._fulfillment_ids)
        fulfillment = {
            "id": fulfillment_id,
            "admin_graphql_api_id": f"gid://shopify/Fulfillment/{fulfillment_id}",
            "created_at": stamp,
            "location_id": locations.pop(),
            "name": f"{order['name']}.{len(order['fulfillments']) + 1}",
            "order_id": order["id"],
            "origin_address": {},
            "receipt": {},
            "service": "manual",
            "shipment_status": None,
            "status": "success",
            "tracking_company": tracking.get("company"),
            "tracking_number": number,
            "tracking_numbers": [number] if number else [],
            "tracking_url": tracking.get("url"),
            "tracking_urls": [tracking["url"]] if tracking.get("url") else [],
            "updated_at": stamp,
            "line_items": fulfilled_lines,
        }
        order["fulfillments"].append(fulfillment)
        self.fulfillments.append(
            {
                **copy.deepcopy(fulfillment),
                "tracking_info": copy.deepcopy(spec.get("tracking_info")),
                "notify_customer": spec.get("notify_customer", False),
                "line_items_by_fulfillment_order": copy.deepcopy(groups),
            }
        )
        return 201, {"fulfillment": copy.deepcopy(fulfillment)}

    def _order_fulfillment(self, order_id, fulfillment_id):
        order = self.orders.get(order_id)
        for fulfillment in (order or {}).get("fulfillments") or []:
            if fulfillment["id"] == fulfillment_id:
                return fulfillment
        return None

    def _get_events(self, query, data, order_id, fulfillment_id):
        if self._order_fulfillment(order_id, fulfillment_id) is None:
            return 404, ERROR_BODIES[404]
        events = [
            e for e in self.fulfillment_events if e["fulfillment_id"] == fulfillment_id
        ]
        return 200, {"fulfillment_events": copy.deepcopy(events)}

    def _create_event(self, query, data, order_id, fulfillment_id):
        fulfillment = self._order_fulfillment(order_id, fulfillment_id)
        if fulfillment is None:
            return 404, ERROR_BODIES[404]
        spec = data.get("event") if isinstance(data, dict) else None
        if not isinstance(spec, dict):
            return 400, {"errors": {"event": "Required parameter missing or invalid"}}
        if spec.get("status") not in EVENT_STATUSES:
            return 422, {"errors": {"status": ["is not included in the list"]}}
        stamp = _stamp(self._stamps(1)[0])
        event_id = next(self._event_ids)
        event = {
            "id": event_id,
            "fulfillment_id": fulfillment_id,
            "status": spec["status"],
            "message": spec.get("message"),
            "happened_at": spec.get("happened_at") or stamp,
            "city": spec.get("city"),
            "province": spec.get("province"),
            "country": spec.get("country"),
            "zip": spec.get("zip"),
            "address1": spec.get("address1"),
            "latitude": spec.get("latitude"),
            "longitude": spec.get("longitude"),
            "shop_id": self.shop_id,
            "created_at": stamp,
            "updated_at": stamp,
            "estimated_delivery_at": None,
            "order_id": order_id,
            "admin_graphql_api_id": f"gid://shopify/FulfillmentEvent/{event_id}",
        }
        fulfillment["shipment_status"] = spec["status"]
        fulfillment["updated_at"] = stamp
        self.fulfillment_events.append(event)
        return 201, {"fulfillment_event": copy.deepcopy(event)}
