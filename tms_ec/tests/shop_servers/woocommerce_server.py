# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A local WooCommerce store for tests: the REST API v3 routes the connector uses,
answering with the shapes of WooCommerce's REST API documentation, and the signed
webhooks the store would send.

Routes (under ``/wp-json/wc/v3/``): ``GET orders`` (filters ``modified_after``/
``modified_before``/``after``/``before`` with ``dates_are_gmt``, ``status``,
``orderby``, ``order``, ``page``, ``per_page``; headers ``X-WP-Total``,
``X-WP-TotalPages``, ``Link``), ``GET|PUT|POST|PATCH orders/<id>``,
``GET|POST orders/<id>/notes``.

Authentication is WooCommerce's for plain http: OAuth 1.0a one-legged, checked as
``WC_REST_Authentication`` does it (signature base string built from the site URL,
the path and the query, HMAC-SHA1/SHA256 with ``consumer_secret + "&"``, a timestamp
within 15 minutes and a nonce used once); the key's permissions are enforced (read,
write, read_write). Failures answer 401 with WooCommerce's error codes.

The site's time zone is Africa/Casablanca (UTC+1): local dates (``date_modified``)
differ from the GMT ones (``date_modified_gmt``), as in a Moroccan store.
"""

import base64
import copy
import hashlib
import hmac
import json
import math
import random
import secrets
import string
import threading
import time
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from ...tools.shop_base import hmac_sha256_base64

API_PREFIX = "/wp-json/wc/v3/"
SITE_OFFSET = timedelta(hours=1)  # Africa/Casablanca
OAUTH_WINDOW = 15 * 60  # seconds, as WooCommerce
RECORDED_PAGE = Path(__file__).parent.parent / "data" / "woocommerce_orders_page.json"
ORDER_STATUSES = (
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
)
WEBHOOK_IDS = {"order.created": 11, "order.updated": 12}
WC_VERSION = "9.8.1"
WP_VERSION = "6.8"
VAT_RATE = Decimal("0.20")
CENT = Decimal("0.01")

CUSTOMERS = [
    ("Youssef", "El Amrani", "0612345678"),
    ("Fatima Zahra", "Bennani", "+212 661-234567"),
    ("Mohamed", "Alaoui", "06 61 23 45 67"),
    ("Khadija", "Tazi", "0700112233"),
    ("Ahmed", "Berrada", "+212661998877"),
    ("Salma", "Chraibi", "0654433221"),
    ("Omar", "Idrissi", "0768901234"),
    ("Imane", "El Fassi", "+212 6 12 98 76 54"),
    ("Hamza", "Benjelloun", "0623456789"),
    ("Nadia", "Squalli", "0677889900"),
    ("Karim", "Lahlou", "0611223344"),
    ("Meryem", "Kettani", "0690123456"),
]
CITIES = [
    ("Casablanca", "20250"),
    ("Rabat", "10000"),
    ("Marrakech", "40000"),
    ("Fès", "30000"),
    ("Tanger", "90000"),
    ("Agadir", "80000"),
    ("Meknès", "50000"),
    ("Oujda", "60000"),
    ("Kénitra", "14000"),
    ("Tétouan", "93000"),
    ("El Jadida", "24000"),
    ("Salé", "11000"),
]
STREETS = [
    ("12 Rue Ibn Batouta", ""),
    ("45 Boulevard Zerktouni", "Résidence Al Manar, appt 5"),
    ("Hay Riad, rue 7 n° 23", ""),
    ("Lotissement Al Wahda n° 88", "2e étage"),
    ("Derb Sidi Bouloukat 14", "Médina"),
    ("Avenue Mohammed V, imm. 3", "Appt 12"),
    ("Quartier Industriel, lot 41", ""),
    ("Rue de Fès n° 9", "Près de la mosquée"),
]
PRODUCTS = [
    (501, "ARG-OIL-100", "Huile d'argan cosmétique 100 ml", Decimal("149.00")),
    (502, "TAJ-TERRE-28", "Tajine en terre cuite 28 cm", Decimal("220.00")),
    (503, "BAB-CUIR-42", "Babouches en cuir, pointure 42", Decimal("180.00")),
    (504, "SAV-NOIR-250", "Savon noir beldi 250 g", Decimal("45.00")),
    (505, "THE-GUNP-500", "Thé vert gunpowder 500 g", Decimal("60.00")),
    (506, "TAP-AZIL-120", "Tapis Azilal 120 × 80 cm", Decimal("1450.00")),
    (507, "GHA-200", "Ghassoul 200 g", Decimal("35.00")),
    (508, "DJE-HOM-M", "Djellaba homme, taille M", Decimal("550.00")),
]
SHIPPING_INCL = Decimal("30.00")


def _php_rawurlencode(value):
    """PHP's rawurlencode (RFC 3986)."""
    return quote(str(value), safe="-_.~")


def _wp_json_encode(payload):
    """The body WooCommerce sends: ``wp_json_encode`` (PHP ``json_encode`` defaults:
    compact, ``\\uXXXX`` escapes, slashes escaped)."""
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/").encode()


def _money(value):
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _parse_wp_date(value):
    """A date filter as WordPress' date query reads it: the wall time, an offset
    being ignored."""
    value = value.strip().replace("Z", "")
    moment = datetime.fromisoformat(value[:19])
    return moment.replace(tzinfo=None)


class WpError(Exception):
    """A WordPress REST error answer."""

    def __init__(self, status, code, message, data=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.data = data or {}
        self.headers = headers or {}

    def body(self):
        return {
            "code": self.code,
            "message": self.message,
            "data": {"status": self.status, **self.data},
        }


class WooCommerceTestServer:
    """A WooCommerce store on 127.0.0.1 and a free port (see the module docstring).

    State: ``orders`` (id -> REST order payload), ``notes`` (dicts ``id``,
    ``order_id``, ``note``, ``customer_note``, ``date_created_gmt``),
    ``status_updates`` (dicts ``order_id``, ``status``), ``requests`` (dicts
    ``method``, ``path``, ``query``, ``json``: every API request received)."""

    def __init__(
        self,
        consumer_key=None,
        consumer_secret=None,
        webhook_secret=None,
        permissions="read_write",
        seed=7,
    ):
        self.consumer_key = consumer_key or "ck_" + secrets.token_hex(20)
        self.consumer_secret = consumer_secret or "cs_" + secrets.token_hex(20)
        self.webhook_secret = webhook_secret or secrets.token_urlsafe(24)
        self.permissions = permissions
        self.orders = {}
        self.notes = []
        self.status_updates = []
        self.requests = []
        self._random = random.Random(seed)
        self._lock = threading.RLock()
        self._next_order_id = 4101
        self._next_item_id = 9001
        self._next_note_id = 20001
        self._failures = []  # [(status, retry_after, delay)]
        self._nonces = set()
        self._stopping = threading.Event()
        self._server = None
        self._thread = None

    # Life cycle

    @property
    def url(self):
        if not self._server:
            return "http://127.0.0.1"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self):
                server._handle(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._stopping.set()
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # Test controls

    def fail_next(self, status=429, retry_after=2, count=1, delay=0.0):
        """The next ``count`` API calls answer ``status`` (429 with ``Retry-After:
        retry_after`` unless None), after waiting ``delay`` seconds; ``status=None``
        answers normally after the delay (to test timeouts)."""
        with self._lock:
            self._failures.extend([(status, retry_after, delay)] * count)

    def _now(self):
        return datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)

    def _new_order_id(self):
        with self._lock:
            order_id = self._next_order_id
            self._next_order_id += 1
            return order_id

    def _new_item_id(self):
        with self._lock:
            item_id = self._next_item_id
            self._next_item_id += 1
            return item_id

    def _links(self, path):
        base = self.url + API_PREFIX
        return {
            "self": [{"href": f"{base}{path}"}],
            "collection": [{"href": base + path.rsplit("/", 1)[0]}],
        }

    @staticmethod
    def _set_dates(order, prefix, moment):
        """``<prefix>`` (site time) and ``<prefix>_gmt`` from a GMT moment."""
        if moment is None:
            order[prefix] = order[prefix + "_gmt"] = None
        else:
            order[prefix + "_gmt"] = _iso(moment)
            order[prefix] = _iso(moment + SITE_OFFSET)

    def _line_item(self, product, quantity):
        product_id, sku, name, price_incl = product
        gross = price_incl * quantity
        total = (gross / (1 + VAT_RATE)).quantize(CENT, rounding=ROUND_HALF_UP)
        tax = gross - total
        unit = (price_incl / (1 + VAT_RATE)).quantize(Decimal("0.0001"))
        return {
            "id": self._new_item_id(),
            "name": name,
            "product_id": product_id,
            "variation_id": 0,
            "quantity": quantity,
            "tax_class": "",
            "subtotal": _money(total),
            "subtotal_tax": _money(tax),
            "total": _money(total),
            "total_tax": _money(tax),
            "taxes": [{"id": 1, "total": _money(tax), "subtotal": _money(tax)}],
            "meta_data": [],
            "sku": sku,
            "price": float(unit),
            "image": {"id": "", "src": ""},
            "parent_name": None,
        }

    def _compute_totals(self, order):
        items = order.get("line_items") or []
        cart = sum((Decimal(str(i.get("total") or 0)) for i in items), Decimal(0))
        cart_tax = sum(
            (Decimal(str(i.get("total_tax") or 0)) for i in items), Decimal(0)
        )
        ship = sum(
            (Decimal(str(s.get("total") or 0)) for s in order["shipping_lines"]),
            Decimal(0),
        )
        ship_tax = sum(
            (Decimal(str(s.get("total_tax") or 0)) for s in order["shipping_lines"]),
            Decimal(0),
        )
        order.update(
            {
                "shipping_total": _money(ship),
                "shipping_tax": _money(ship_tax),
                "cart_tax": _money(cart_tax),
                "total_tax": _money(cart_tax + ship_tax),
                "total": _money(cart + cart_tax + ship + ship_tax),
            }
        )
        order["tax_lines"] = [
            {
                "id": order["id"] * 10 + 1,
                "rate_code": "MA-TVA-1",
                "rate_id": 1,
                "label": "TVA",
                "compound": False,
                "tax_total": _money(cart_tax),
                "shipping_tax_total": _money(ship_tax),
                "rate_percent": 20,
                "meta_data": [],
            }
        ]

    def add_order(self, **overrides):
        """Store and return a realistic order: a Moroccan customer, 1 to 3 products
        (VAT 20 % included in the prices), flat-rate delivery, paid cash on delivery
        and processing unless ``overrides`` say otherwise (``payment_method="stripe"``
        gives a card payment). ``billing`` and ``shipping`` overrides are merged."""
        rnd = self._random
        order_id = overrides.pop("id", None) or self._new_order_id()
        status = overrides.get("status", "processing")
        method = overrides.get("payment_method", "cod")
        first, last, phone = rnd.choice(CUSTOMERS)
        city, postcode = rnd.choice(CITIES)
        street, street2 = rnd.choice(STREETS)
        email = f"{first.split()[0]}.{last.replace(' ', '')}{rnd.randint(1, 99)}"
        email = email.lower() + "@gmail.com"
        address = {
            "first_name": first,
            "last_name": last,
            "company": "",
            "address_1": street,
            "address_2": street2,
            "city": city,
            "state": "",
            "postcode": postcode,
            "country": "MA",
        }
        billing = dict(address, email=email, phone=phone)
        shipping = dict(address, phone=phone)
        billing.update(overrides.pop("billing", None) or {})
        shipping.update(overrides.pop("shipping", None) or {})
        products = rnd.sample(PRODUCTS, rnd.randint(1, 3))
        created = self._now()
        if method == "cod":
            title, transaction_id = "Paiement à la livraison", ""
        else:
            title = "Carte bancaire (Stripe)"
            transaction_id = "pi_" + "".join(
                rnd.choices(string.ascii_letters + string.digits, k=24)
            )
        order = {
            "id": order_id,
            "parent_id": 0,
            "status": status,
            "currency": "MAD",
            "version": WC_VERSION,
            "prices_include_tax": True,
            "discount_total": "0.00",
            "discount_tax": "0.00",
            "customer_id": 0,
            "order_key": "wc_order_"
            + "".join(rnd.choices(string.ascii_letters + string.digits, k=13)),
            "billing": billing,
            "shipping": shipping,
            "payment_method": method,
            "payment_method_title": title,
            "transaction_id": transaction_id,
            "customer_ip_address": f"105.{rnd.randint(128, 159)}.{rnd.randint(0, 255)}"
            f".{rnd.randint(1, 254)}",
            "customer_user_agent": "Mozilla/5.0 (Linux; Android 14; SM-A155F) "
            "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
            "created_via": "checkout",
            "customer_note": "",
            "date_completed": None,
            "date_completed_gmt": None,
            "cart_hash": secrets.token_hex(16),
            "number": str(order_id),
            "meta_data": [],
            "line_items": [
                self._line_item(p, rnd.choice((1, 1, 1, 2))) for p in products
            ],
            "tax_lines": [],
            "shipping_lines": [
                {
                    "id": self._new_item_id(),
                    "method_title": "Livraison à domicile",
                    "method_id": "flat_rate",
                    "instance_id": "1",
                    "total": _money(SHIPPING_INCL / (1 + VAT_RATE)),
                    "total_tax": _money(SHIPPING_INCL - SHIPPING_INCL / (1 + VAT_RATE)),
                    "taxes": [],
                    "meta_data": [],
                }
            ],
            "fee_lines": [],
            "coupon_lines": [],
            "refunds": [],
            "payment_url": "",
            "is_editable": status in ("pending", "on-hold", "checkout-draft"),
            "needs_payment": status in ("pending", "failed"),
            "needs_processing": True,
            "currency_symbol": "د.م.",
            "_links": self._links(f"orders/{order_id}"),
        }
        self._set_dates(order, "date_created", created)
        self._set_dates(order, "date_modified", created)
        # WooCommerce sets date_paid when an order reaches processing or completed,
        # even for cash on delivery (the COD gateway puts its orders in processing).
        paid = status in ("processing", "completed") or (
            method != "cod" and status == "refunded"
        )
        self._set_dates(order, "date_paid", created if paid else None)
        if status == "completed":
            self._set_dates(order, "date_completed", created)
        if "line_items" in overrides:
            order["line_items"] = overrides.pop("line_items")
        self._compute_totals(order)
        order.update(overrides)
        for prefix in ("date_created", "date_modified", "date_paid", "date_completed"):
            # A GMT date given alone moves the site-time one along.
            if prefix + "_gmt" in overrides and prefix not in overrides:
                gmt = overrides[prefix + "_gmt"]
                self._set_dates(
                    order, prefix, datetime.fromisoformat(gmt) if gmt else None
                )
        with self._lock:
            self.orders[order_id] = order
        return order

    def add_orders(self, n, **overrides):
        return [self.add_order(**copy.deepcopy(overrides)) for __ in range(n)]

    def _touch(self, order):
        self._set_dates(order, "date_modified", self._now())

    def cancel_order(self, order_id):
        """The merchant cancels the order in the admin."""
        with self._lock:
            order = self.orders[int(order_id)]
            order["status"] = "cancelled"
            order["is_editable"] = False
            self._touch(order)
            return order

    def load_recorded(self, n):
        """Store ``n`` orders derived from the recorded page (50 orders in the REST
        list shape), with new ids, numbers and line ids, dated now."""
        page = json.loads(RECORDED_PAGE.read_text(encoding="utf-8"))
        now = self._now()
        loaded = []
        for index in range(n):
            order = copy.deepcopy(page[index % len(page)])
            order_id = self._new_order_id()
            order["id"] = order_id
            order["number"] = str(order_id)
            order["order_key"] = "wc_order_" + secrets.token_hex(7)[:13]
            for line in order["line_items"] + order["shipping_lines"]:
                line["id"] = self._new_item_id()
            for prefix in ("date_created", "date_modified"):
                self._set_dates(order, prefix, now)
            for prefix in ("date_paid", "date_completed"):
                if order.get(prefix + "_gmt"):
                    self._set_dates(order, prefix, now)
            order["_links"] = self._links(f"orders/{order_id}")
            loaded.append(order)
        with self._lock:
            self.orders.update((order["id"], order) for order in loaded)
        return loaded

    def webhook_request(self, topic, payload):
        """``(body, headers)`` of the webhook delivery WooCommerce would POST for
        ``topic`` (``order.created``, ``order.updated``) with ``payload``."""
        if topic not in WEBHOOK_IDS:
            raise ValueError(f"unknown WooCommerce webhook topic {topic!r}")
        body = _wp_json_encode(payload)
        resource, event = topic.split(".")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"WooCommerce/{WC_VERSION} Hookshot (WordPress/{WP_VERSION})",
            "X-WC-Webhook-Source": self.url + "/",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": hmac_sha256_base64(self.webhook_secret, body),
            "X-WC-Webhook-ID": str(WEBHOOK_IDS[topic]),
            # WooCommerce's is wp_hash(webhook id . unix time): fresh here.
            "X-WC-Webhook-Delivery-ID": secrets.token_hex(16),
        }
        return body, headers

    # HTTP

    def _handle(self, handler):
        parts = urlsplit(handler.path)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = dict(pairs)  # PHP's $_GET: the last of repeated names wins
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        with self._lock:
            self.requests.append(
                {
                    "method": handler.command,
                    "path": parts.path,
                    "query": query,
                    "json": body,
                }
            )
            failure = self._failures.pop(0) if self._failures else None
        headers = {}
        try:
            if failure:
                status, retry_after, delay = failure
                if delay:
                    self._stopping.wait(delay)
                if status:
                    raise self._failure(status, retry_after)
            if not parts.path.startswith(API_PREFIX):
                raise WpError(
                    404,
                    "rest_no_route",
                    "No route was found matching the URL and request method.",
                )
            route = parts.path[len(API_PREFIX) :].strip("/").split("/")
            self._authenticate(handler.command, parts.path, query, route)
            status, answer, headers = self._route(handler.command, route, query, body)
        except WpError as error:
            status, answer, headers = error.status, error.body(), error.headers
        except Exception as error:  # a bug here: say it rather than drop the line
            status, headers = 500, {}
            answer = WpError(500, "internal_server_error", repr(error)).body()
        data = json.dumps(answer).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json; charset=UTF-8")
            handler.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:  # the client gave up (timeout) or the server stops
            handler.close_connection = True

    @staticmethod
    def _failure(status, retry_after):
        if status == 429:
            return WpError(
                429,
                "woocommerce_rest_too_many_requests",
                "Too many requests. Please wait and try again.",
                headers={"Retry-After": str(retry_after)} if retry_after else {},
            )
        if status >= 500:
            return WpError(
                status,
                "internal_server_error",
                "<p>There has been a critical error on this website.</p>",
            )
        if status == 401:
            return WpError(
                401,
                "woocommerce_rest_authentication_error",
                "Consumer key is invalid.",
            )
        return WpError(status, f"http_{status}", f"HTTP {status}")

    def _authenticate(self, method, path, query, route):
        """``WC_REST_Authentication`` over http: OAuth 1.0a one-legged."""
        names = (
            "oauth_consumer_key",
            "oauth_timestamp",
            "oauth_nonce",
            "oauth_signature",
            "oauth_signature_method",
        )
        missing = [name for name in names if not query.get(name)]
        if len(missing) == len(names):
            # Not authenticated at all: the endpoint's own permission check.
            if method == "GET":
                raise WpError(
                    401,
                    "woocommerce_rest_cannot_view",
                    "Sorry, you cannot list resources."
                    if len(route) in (1, 3)
                    else "Sorry, you cannot view this resource.",
                )
            if len(route) == 3:
                raise WpError(
                    401,
                    "woocommerce_rest_cannot_create",
                    "Sorry, you are not allowed to create resources.",
                )
            raise WpError(
                401,
                "woocommerce_rest_cannot_edit",
                "Sorry, you are not allowed to edit this resource.",
            )
        if missing:
            raise WpError(
                401,
                "woocommerce_rest_authentication_missing_parameter",
                "Missing OAuth parameter(s) " + ", ".join(missing),
            )
        if not hmac.compare_digest(
            query["oauth_consumer_key"].encode(), self.consumer_key.encode()
        ):
            raise WpError(
                401, "woocommerce_rest_authentication_error", "Consumer key is invalid."
            )
        # check_oauth_signature(): the base string from the home URL and the path,
        # every query parameter but the signature, sorted, each key and value
        # rawurlencoded, "key=value" rawurlencoded again and joined with %26.
        params = {k: v for k, v in query.items() if k != "oauth_signature"}
        signature = unquote(query["oauth_signature"].replace(" ", "+"))
        pairs = [
            _php_rawurlencode(f"{_php_rawurlencode(k)}={_php_rawurlencode(params[k])}")
            for k in sorted(params)
        ]
        base = f"{method}&{_php_rawurlencode(self.url + path)}&" + "%26".join(pairs)
        algorithm = params["oauth_signature_method"]
        if algorithm not in ("HMAC-SHA1", "HMAC-SHA256"):
            raise WpError(
                401,
                "woocommerce_rest_authentication_error",
                "Invalid signature - signature method is invalid.",
            )
        digest = hashlib.sha256 if algorithm == "HMAC-SHA256" else hashlib.sha1
        expected = base64.b64encode(
            hmac.new(
                (self.consumer_secret + "&").encode(), base.encode(), digest
            ).digest()
        ).decode()
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise WpError(
                401,
                "woocommerce_rest_authentication_error",
                "Invalid signature - provided signature does not match.",
            )
        try:
            timestamp = int(params["oauth_timestamp"])
        except ValueError:
            timestamp = 0
        if abs(time.time() - timestamp) > OAUTH_WINDOW:
            raise WpError(
                401, "woocommerce_rest_authentication_error", "Invalid timestamp."
            )
        with self._lock:
            if params["oauth_nonce"] in self._nonces:
                raise WpError(
                    401,
                    "woocommerce_rest_authentication_error",
                    "Invalid nonce - nonce has already been used.",
                )
            self._nonces.add(params["oauth_nonce"])
        needed = "read" if method in ("GET", "HEAD") else "write"
        if self.permissions not in (needed, "read_write"):
            raise WpError(
                401,
                "woocommerce_rest_authentication_error",
                f"The API key provided does not have {needed} permissions.",
            )

    def _route(self, method, route, query, body):
        if route[0] == "orders":
            if len(route) == 1 and method == "GET":
                return self._list_orders(query)
            if len(route) >= 2:
                order = self._get_order(route[1])
                if len(route) == 2 and method == "GET":
                    return 200, self._order_json(order), {}
                if len(route) == 2 and method in ("PUT", "POST", "PATCH"):
                    return 200, self._update_order(order, body or {}), {}
                if len(route) == 3 and route[2] == "notes":
                    if method == "GET":
                        return self._list_notes(order, query)
                    if method == "POST":
                        return self._create_note(order, body or {})
        raise WpError(
            404,
            "rest_no_route",
            "No route was found matching the URL and request method.",
        )

    def _get_order(self, raw_id):
        with self._lock:
            order = self.orders.get(int(raw_id)) if raw_id.isdigit() else None
        if not order:
            raise WpError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return order

    def _order_json(self, order):
        with self._lock:
            return copy.deepcopy(order)

    @staticmethod
    def _invalid(name, reason):
        raise WpError(
            400,
            "rest_invalid_param",
            f"Invalid parameter(s): {name}",
            data={"params": {name: reason}, "details": {}},
        )

    def _integer(self, query, name, default, low, high=None):
        value = query.get(name, str(default))
        if not value.lstrip("-").isdigit():
            self._invalid(name, f"{name} is not of type integer.")
        value = int(value)
        if value < low or (high and value > high):
            bounds = f"between {low} (inclusive) and {high} (inclusive)"
            self._invalid(
                name,
                f"{name} must be {bounds}"
                if high
                else f"{name} must be greater than or equal to {low}",
            )
        return value

    def _date_filters(self, query):
        """[(field, moment, is_after)] from after/before/modified_after/
        modified_before, on the GMT dates with ``dates_are_gmt``, else site time."""
        gmt = query.get("dates_are_gmt", "false").lower() in ("1", "true")
        suffix = "_gmt" if gmt else ""
        filters = []
        for name, field, after in (
            ("after", "date_created", True),
            ("before", "date_created", False),
            ("modified_after", "date_modified", True),
            ("modified_before", "date_modified", False),
        ):
            if query.get(name):
                try:
                    moment = _parse_wp_date(query[name])
                except ValueError:
                    self._invalid(name, "Invalid date.")
                filters.append((field + suffix, moment, after))
        return filters

    @staticmethod
    def _selected(order, statuses, filters):
        if "any" in statuses:
            if order["status"] == "checkout-draft":
                return False
        elif order["status"] not in statuses:
            return False
        for field, moment, after in filters:
            value = datetime.fromisoformat(order[field])
            # WordPress' date query: strictly after, strictly before.
            if (after and not value > moment) or (not after and not value < moment):
                return False
        return True

    def _list_orders(self, query):
        page = self._integer(query, "page", 1, 1)
        per_page = self._integer(query, "per_page", 10, 1, 100)
        orderby = query.get("orderby", "date")
        if orderby not in ("date", "id", "include", "title", "slug", "modified"):
            self._invalid(
                "orderby",
                "orderby is not one of date, id, include, title, slug, and modified.",
            )
        order_dir = query.get("order", "desc")
        if order_dir not in ("asc", "desc"):
            self._invalid("order", "order is not one of asc and desc.")
        filters = self._date_filters(query)
        statuses = [s for s in query.get("status", "any").split(",") if s]
        # Select and sort under the lock, then copy only the page sent back (copying
        # every stored order made a 10,000-order benchmark measure this server).
        with self._lock:
            selected = [
                o for o in self.orders.values() if self._selected(o, statuses, filters)
            ]
        sort_field = {"modified": "date_modified_gmt", "id": "id"}.get(
            orderby, "date_created_gmt"
        )
        selected.sort(
            key=lambda o: (o[sort_field], o["id"]), reverse=order_dir == "desc"
        )
        total = len(selected)
        pages = math.ceil(total / per_page) if total else 0
        with self._lock:
            chunk = copy.deepcopy(selected[(page - 1) * per_page : page * per_page])
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        links = []
        base = self.url + API_PREFIX + "orders"
        if page > 1:
            links.append(f'<{base}?page={page - 1}&per_page={per_page}>; rel="prev"')
        if page < pages:
            links.append(f'<{base}?page={page + 1}&per_page={per_page}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        return 200, chunk, headers

    def _update_order(self, order, body):
        status = body.get("status")
        if status is not None:
            if status not in ORDER_STATUSES:
                self._invalid(
                    "status",
                    "status is not one of " + ", ".join(ORDER_STATUSES[:-1]) + ", and "
                    f"{ORDER_STATUSES[-1]}.",
                )
        with self._lock:
            for key in ("customer_note", "transaction_id", "meta_data"):
                if key in body:
                    order[key] = body[key]
            for key in ("billing", "shipping"):
                if isinstance(body.get(key), dict):
                    order[key].update(body[key])
            if status is not None:
                self.status_updates.append({"order_id": order["id"], "status": status})
                if status != order["status"]:
                    now = self._now()
                    order["status"] = status
                    if status == "completed":
                        self._set_dates(order, "date_completed", now)
                        if not order.get("date_paid_gmt"):
                            self._set_dates(order, "date_paid", now)
            self._touch(order)
            return copy.deepcopy(order)

    def _note_json(self, note):
        created = datetime.fromisoformat(note["date_created_gmt"])
        return {
            "id": note["id"],
            "author": "system",
            "date_created": _iso(created + SITE_OFFSET),
            "date_created_gmt": note["date_created_gmt"],
            "note": note["note"],
            "customer_note": note["customer_note"],
            "_links": self._links(f"orders/{note['order_id']}/notes/{note['id']}"),
        }

    def _list_notes(self, order, query):
        kind = query.get("type", "any")
        if kind not in ("any", "customer", "internal"):
            self._invalid("type", "type is not one of any, customer, and internal.")
        with self._lock:
            notes = [n for n in self.notes if n["order_id"] == order["id"]]
        if kind != "any":
            notes = [n for n in notes if n["customer_note"] == (kind == "customer")]
        notes.sort(key=lambda n: n["id"], reverse=True)  # newest first
        return 200, [self._note_json(n) for n in notes], {}

    def _create_note(self, order, body):
        text = body.get("note")
        if not text:
            raise WpError(
                400,
                "rest_missing_callback_param",
                "Missing parameter(s): note",
                data={"params": ["note"]},
            )
        customer = body.get("customer_note") in (True, 1, "1", "true")
        with self._lock:
            note = {
                "id": self._next_note_id,
                "order_id": order["id"],
                "note": text,
                "customer_note": customer,
                "date_created_gmt": _iso(self._now()),
            }
            self._next_note_id += 1
            self.notes.append(note)
        location = f"{self.url}{API_PREFIX}orders/{order['id']}/notes/{note['id']}"
        return 201, self._note_json(note), {"Location": location}
