# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import copy
import json
import socket
import threading
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from unittest.mock import patch

import shopify
from pyactiveresource.connection import Connection

from odoo.tests import BaseCase, tagged

from ..tools import shopify as sc
from ..tools.shop_base import (
    ShopAuthError,
    ShopError,
    ShopPayloadError,
    ShopRateLimited,
    verify_signature,
)
from .shop_servers.shopify_server import COD_GATEWAY, RECORDED_PAGE, ShopifyTestServer


def free_closed_port():
    """A local port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout=10.0):
    """Whether ``condition()`` becomes true within ``timeout`` seconds (a generous
    bound for work a local server finishes in milliseconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@tagged("post_install", "-at_install", "tms_ec_shopify")
class TestShopifyClient(BaseCase):
    """The Shopify client (ShopifyAPI library) against a local shop answering like
    the REST Admin API, without the database."""

    def setUp(self):
        super().setUp()
        self.server = ShopifyTestServer().start()
        self.addCleanup(self.server.stop)
        self.client = self.make_client()
        # The call-budget memory is process-wide: start every test without it.
        patcher = patch.dict(sc._THROTTLED_UNTIL, clear=True)
        patcher.start()
        self.addCleanup(patcher.stop)

    def make_client(self, **kwargs):
        kwargs.setdefault("token", self.server.token)
        return sc.ShopifyClient(self.server.url, **kwargs)

    def api_requests(self, method=None):
        return [r for r in self.server.requests if method in (None, r["method"])]

    # ------------------------------------------------------------------
    # Orders in

    def test_pages_follow_the_link_header_and_resume_from_a_cursor(self):
        orders = self.server.add_orders(7)
        first = self.client.fetch_orders(limit=3)
        self.assertEqual([o.name for o in first.orders], ["#1001", "#1002", "#1003"])
        self.assertTrue(first.next_cursor)
        self.assertEqual(
            self.server.requests[-1]["query"],
            {"status": "any", "order": "updated_at asc", "limit": "3"},
        )
        second = self.client.fetch_orders(cursor=first.next_cursor, limit=3)
        self.assertEqual([o.name for o in second.orders], ["#1004", "#1005", "#1006"])
        # with page_info Shopify accepts no other filter: the client sends none
        self.assertEqual(
            self.server.requests[-1]["query"],
            {"limit": "3", "page_info": first.next_cursor},
        )
        last = self.client.fetch_orders(cursor=second.next_cursor, limit=3)
        self.assertEqual([o.name for o in last.orders], ["#1007"])
        self.assertIsNone(last.next_cursor)
        # A sync that stopped after the first page (stored cursor) resumes there,
        # with a new client (another job), and gets the same second page.
        resumed = self.make_client().fetch_orders(cursor=first.next_cursor, limit=3)
        self.assertEqual(
            [o.external_id for o in resumed.orders],
            [o.external_id for o in second.orders],
        )
        self.assertEqual(resumed.next_cursor, second.next_cursor)
        self.assertEqual(
            {o.external_id for o in first.orders + second.orders + last.orders},
            {str(o["id"]) for o in orders},
        )

    def test_since_selects_recent_updates_in_utc(self):
        orders = self.server.add_orders(5)
        since = datetime.fromisoformat(orders[3]["updated_at"])
        page = self.client.fetch_orders(since=since)
        self.assertEqual(
            [o.name for o in page.orders], [orders[3]["name"], orders[4]["name"]]
        )
        sent = self.server.requests[-1]["query"]["updated_at_min"]
        self.assertEqual(
            sent, since.astimezone(timezone.utc).isoformat(timespec="seconds")
        )
        self.assertTrue(sent.endswith("+00:00"))
        # Odoo's datetimes are naive UTC: same orders
        naive = since.astimezone(timezone.utc).replace(tzinfo=None)
        self.assertEqual(
            [o.name for o in self.client.fetch_orders(since=naive).orders],
            [orders[3]["name"], orders[4]["name"]],
        )

    def test_a_cancelled_order_comes_again_in_the_next_sync(self):
        orders = self.server.add_orders(3)
        page = self.client.fetch_orders()
        high_water = max(datetime.fromisoformat(o.updated_at) for o in page.orders)
        self.server.cancel_order(orders[0]["id"])
        again = self.client.fetch_orders(since=high_water + timedelta(seconds=1))
        self.assertEqual([o.external_id for o in again.orders], [str(orders[0]["id"])])
        self.assertTrue(again.orders[0].cancelled)
        self.assertEqual(again.orders[0].payment_status, "cancelled")
        self.assertFalse(again.orders[0].importable)

    def test_fetch_order(self):
        order = self.server.add_order(cod=True)
        fetched = self.client.fetch_order(order["id"])
        self.assertEqual(fetched.external_id, str(order["id"]))
        self.assertEqual(fetched.raw, order)
        with self.assertRaises(ShopError) as caught:
            self.client.fetch_order(123456)
        self.assertEqual(caught.exception.status, 404)
        self.assertFalse(caught.exception.transient)
        self.assertIn("Not Found", caught.exception.message)
        with self.assertRaises(ShopError):
            self.client.fetch_order("12; DROP")

    def test_parse_cash_on_delivery_order(self):
        payload = self.server.add_order(
            cod=True,
            note="Appeler avant 18h",
            shipping_address={
                "first_name": "Khadija",
                "last_name": "Bennani",
                "name": "Khadija Bennani",
                "address1": "18 Boulevard Allal El Fassi",
                "address2": "Appt 2",
                "city": "Fès",
                "zip": "30050",
                "province_code": None,
                "country_code": "ma",
                "phone": "0655443322",
                "company": "Riad Fès",
            },
            line_items=[
                {
                    "sku": "ARG-OIL-100",
                    "title": "Huile d'argan",
                    "name": "Huile d'argan - 100 ml",
                    "quantity": 2,
                    "price": "149.00",
                    "grams": 180,
                },
                {
                    "sku": "SAV-BLD-250",
                    "title": "Savon noir",
                    "quantity": 1,
                    "price": "45.00",
                    "grams": 280,
                    "name": None,
                },
            ],
        )
        order = self.client.parse_order(payload)
        self.assertEqual(order.payment_status, "cod")
        self.assertTrue(order.is_cod)
        self.assertTrue(order.importable)
        self.assertEqual(order.external_id, str(payload["id"]))
        self.assertEqual(order.name, payload["name"])
        self.assertEqual(order.currency, "MAD")
        self.assertEqual(order.total, Decimal("373.00"))  # 2 x 149 + 45 + 30 shipping
        self.assertEqual(order.note, "Appeler avant 18h")
        self.assertEqual(order.created_at, payload["created_at"])
        self.assertEqual(
            (
                order.shipping.name,
                order.shipping.company,
                order.shipping.street,
                order.shipping.street2,
                order.shipping.city,
                order.shipping.zip,
                order.shipping.state_code,
                order.shipping.country_code,
                order.shipping.phone,
                order.shipping.email,
            ),
            (
                "Khadija Bennani",
                "Riad Fès",
                "18 Boulevard Allal El Fassi",
                "Appt 2",
                "Fès",
                "30050",
                "",
                "MA",
                "0655443322",
                payload["email"],
            ),
        )
        self.assertEqual(order.customer.email, payload["customer"]["email"])
        self.assertEqual(
            order.customer.name,
            f"{payload['customer']['first_name']} {payload['customer']['last_name']}",
        )
        self.assertEqual(
            [
                (
                    ln.external_id,
                    ln.sku,
                    ln.name,
                    ln.quantity,
                    ln.price_unit,
                    ln.weight_kg,
                )
                for ln in order.lines
            ],
            [
                (
                    str(payload["line_items"][0]["id"]),
                    "ARG-OIL-100",
                    "Huile d'argan - 100 ml",
                    2,
                    Decimal("149.00"),
                    0.18,
                ),
                (
                    str(payload["line_items"][1]["id"]),
                    "SAV-BLD-250",
                    "Savon noir",
                    1,
                    Decimal("45.00"),
                    0.28,
                ),
            ],
        )
        self.assertIs(order.raw, payload)

    def test_payment_statuses(self):
        base = self.server.add_order(cod=False)

        def status(client=self.client, **changes):
            payload = copy.deepcopy(base)
            payload.update(changes)
            return client.parse_order(payload).payment_status

        self.assertEqual(status(financial_status="paid"), "paid")
        self.assertEqual(status(financial_status="partially_refunded"), "paid")
        self.assertEqual(status(financial_status="authorized"), "paid")
        self.assertEqual(status(financial_status="refunded"), "refunded")
        # pending with a COD gateway: cash to collect (names compared without case)
        self.assertEqual(
            status(financial_status="pending", payment_gateway_names=[COD_GATEWAY]),
            "cod",
        )
        self.assertEqual(
            status(
                financial_status="pending", payment_gateway_names=["CASH_ON_DELIVERY"]
            ),
            "cod",
        )
        # pending otherwise (bank transfer not received): not to ship
        self.assertEqual(
            status(
                financial_status="pending", payment_gateway_names=["Virement bancaire"]
            ),
            "pending",
        )
        self.assertEqual(status(financial_status="partially_paid"), "pending")
        self.assertEqual(status(financial_status="voided"), "pending")
        # the merchant's own COD gateway names
        custom = self.make_client(cod_gateways=("Paiement à la livraison",))
        self.assertEqual(
            status(
                custom,
                financial_status="pending",
                payment_gateway_names=["Paiement à la livraison"],
            ),
            "cod",
        )
        self.assertEqual(
            status(
                custom, financial_status="pending", payment_gateway_names=[COD_GATEWAY]
            ),
            "pending",
        )
        # cancelled wins over everything
        cancelled = self.client.parse_order(
            {
                **base,
                "financial_status": "paid",
                "cancelled_at": "2024-11-04T10:00:00+01:00",
            }
        )
        self.assertEqual(cancelled.payment_status, "cancelled")
        self.assertTrue(cancelled.cancelled)
        self.assertFalse(cancelled.importable)

    def test_order_edits_and_missing_parts(self):
        payload = self.server.add_order(cod=True)
        payload["line_items"].append(
            {**payload["line_items"][0], "id": 99, "current_quantity": 0}
        )
        payload["shipping_address"]["phone"] = None
        order = self.client.parse_order(payload)
        # the removed item is not shipped; the order's phone stands in
        self.assertNotIn("99", [line.external_id for line in order.lines])
        self.assertEqual(order.shipping.phone, payload["phone"])
        bare = self.client.parse_order(
            {
                "id": 42,
                "name": "#42",
                "total_price": "10.00",
                "financial_status": "paid",
            }
        )
        self.assertEqual(
            (bare.external_id, bare.lines, bare.shipping.street), ("42", [], "")
        )
        self.assertEqual(
            self.client.parse_order({"id": "43", "total_price": 5}).name, "43"
        )

    def test_bad_payloads(self):
        good = self.server.add_order(cod=True)
        cases = {
            "not an object": (["id", 1], "JSON object"),
            "no id": ({**good, "id": None}, "no valid id"),
            "bool id": ({**good, "id": True}, "no valid id"),
            "text id": ({**good, "id": "abc"}, "no valid id"),
            "total with a comma": (
                {**good, "total_price": "12,50"},
                "total_price '12,50' is not a number",
            ),
            "negative total": (
                {**good, "total_price": "-3"},
                "total_price '-3' is not a valid amount",
            ),
            "no total": ({**good, "total_price": None}, "total_price is missing"),
            "infinite total": (
                {**good, "total_price": "Infinity"},
                "is not a valid amount",
            ),
            "line items not a list": (
                {**good, "line_items": {"a": 1}},
                "line_items is not a list",
            ),
            "line without id": (
                {**good, "line_items": [{"sku": "X", "quantity": 1}]},
                "has no id",
            ),
            "bad quantity": (
                {
                    **good,
                    "line_items": [
                        {**good["line_items"][0], "current_quantity": "two"}
                    ],
                },
                "quantity 'two' is not a number",
            ),
            "half a quantity": (
                {
                    **good,
                    "line_items": [{**good["line_items"][0], "current_quantity": 1.5}],
                },
                "is not whole",
            ),
            "bad price": (
                {**good, "line_items": [{**good["line_items"][0], "price": [1]}]},
                "price [1] is not a number",
            ),
            "address not an object": (
                {**good, "shipping_address": "Casablanca"},
                "shipping_address is not an object",
            ),
            "bad date": (
                {**good, "created_at": "yesterday"},
                "'yesterday' is not a date",
            ),
            "gateways not a list": (
                {**good, "financial_status": "pending", "payment_gateway_names": "cod"},
                "payment_gateway_names is not a list",
            ),
        }
        for case, (payload, message) in cases.items():
            with self.subTest(case), self.assertRaises(ShopPayloadError) as caught:
                self.client.parse_order(payload)
            self.assertIn(message, caught.exception.message)
            self.assertFalse(caught.exception.transient)
        for payload in (None, "{}", 12, []):
            with self.assertRaises(ShopPayloadError):
                self.client.parse_order(payload)

    def test_a_bad_order_in_a_page_leaves_the_others_readable(self):
        orders = self.server.add_orders(3)
        self.server.orders[orders[1]["id"]]["total_price"] = "n/a"
        with self.assertRaises(ShopPayloadError) as caught:
            self.client.fetch_orders()
        error = caught.exception
        self.assertIn(orders[1]["name"], error.message)
        self.assertEqual([ref for ref, _message in error.bad], [orders[1]["id"]])
        self.assertEqual(
            [o.external_id for o in error.page.orders],
            [str(orders[0]["id"]), str(orders[2]["id"])],
        )

    def test_recorded_page(self):
        recorded = json.loads(RECORDED_PAGE.read_text(encoding="utf-8"))["orders"]
        self.assertEqual(len(recorded), 50)
        parsed = [self.client.parse_order(payload) for payload in recorded]
        statuses = [o.payment_status for o in parsed]
        self.assertGreater(statuses.count("cod"), 20)
        self.assertGreater(statuses.count("paid"), 10)
        self.assertIn("pending", statuses)
        self.assertIn("cancelled", statuses)
        self.assertTrue(all(o.shipping.country_code == "MA" for o in parsed))
        self.assertTrue(
            all(o.lines and all(line.sku for line in o.lines) for o in parsed)
        )
        self.assertTrue(all(o.total > 0 and o.currency == "MAD" for o in parsed))
        # recorded with order=updated_at asc
        stamps = [datetime.fromisoformat(o.updated_at) for o in parsed]
        self.assertEqual(stamps, sorted(stamps))
        # 120 orders derived from it: distinct ids and names, three pages of 50
        loaded = self.server.load_recorded(120)
        self.assertEqual(len({o["id"] for o in loaded}), 120)
        self.assertEqual(len({o["name"] for o in loaded}), 120)
        seen, cursor, pages = [], None, 0
        while True:
            page = self.client.fetch_orders(cursor=cursor, limit=50)
            seen += [o.external_id for o in page.orders]
            pages += 1
            cursor = page.next_cursor
            if not cursor:
                break
        self.assertEqual(pages, 3)
        self.assertEqual(seen, [str(o["id"]) for o in loaded])

    # ------------------------------------------------------------------
    # Errors

    def test_rate_limited_with_retry_after(self):
        self.server.add_orders(2)
        self.server.fail_next(429, retry_after=3.5)
        with self.assertRaises(ShopRateLimited) as caught:
            self.client.fetch_orders()
        self.assertEqual(caught.exception.retry_after, 3.5)
        self.assertEqual(caught.exception.status, 429)
        self.assertTrue(caught.exception.transient)
        # without Retry-After: 2 seconds
        self.server.fail_next(429, retry_after=None)
        with self.assertRaises(ShopRateLimited) as caught:
            self.client.fetch_orders()
        self.assertEqual(caught.exception.retry_after, 2.0)
        # the shop answers again
        self.assertEqual(len(self.client.fetch_orders().orders), 2)

    def test_full_call_bucket_stops_the_next_call(self):
        self.server.add_orders(2)
        clock = [1000.0]
        with patch.object(sc, "_now", lambda: clock[0]):
            self.server.set_call_limit(39, 40)
            self.client.fetch_orders()
            self.client.fetch_orders()  # 39/40: still room
            self.server.set_call_limit(40, 40)
            page = self.client.fetch_orders()  # this answer is fine...
            self.assertEqual(len(page.orders), 2)
            sent = len(self.server.requests)
            # ...but the next call, from any client of this shop, waits
            with self.assertRaises(ShopRateLimited) as caught:
                self.make_client().push_tracking(
                    page.orders[0].external_id, "MA1", "", ""
                )
            self.assertEqual(len(self.server.requests), sent)
            self.assertGreaterEqual(caught.exception.retry_after, 1.0)
            self.assertTrue(caught.exception.transient)
            # another shop is not concerned
            with ShopifyTestServer() as other:
                sc.ShopifyClient(other.url, other.token).fetch_orders()
            # once the bucket has leaked, calls go again
            self.server.set_call_limit(3, 40)
            clock[0] += caught.exception.retry_after
            self.assertEqual(len(self.client.fetch_orders().orders), 2)

    def test_wrong_token_or_missing_scope(self):
        client = self.make_client(token="shpat_wrong")
        with self.assertRaises(ShopAuthError) as caught:
            client.fetch_orders()
        self.assertEqual(caught.exception.status, 401)
        self.assertFalse(caught.exception.transient)
        self.assertIn("Invalid API key or access token", caught.exception.message)
        self.server.fail_next(403)
        with self.assertRaises(ShopAuthError) as caught:
            self.client.fetch_orders()
        self.assertIn(
            "write_merchant_managed_fulfillment_orders", caught.exception.message
        )
        with self.assertRaises(ShopAuthError):
            sc.ShopifyClient(self.server.url, "")

    def test_server_errors_are_transient(self):
        for status in (500, 503):
            self.server.fail_next(status)
            with self.subTest(status), self.assertRaises(ShopError) as caught:
                self.client.fetch_orders()
            self.assertTrue(caught.exception.transient)
            self.assertEqual(caught.exception.status, status)
            self.assertNotIsInstance(caught.exception, ShopRateLimited | ShopAuthError)

    def test_unprocessable_is_not_transient(self):
        self.server.fail_next(422)
        with self.assertRaises(ShopError) as caught:
            self.client.fetch_orders()
        self.assertFalse(caught.exception.transient)
        self.assertEqual(caught.exception.status, 422)
        self.assertIn(
            "base: The request could not be processed.", caught.exception.message
        )

    def test_timeout_and_refused_connection_are_transient(self):
        self.server.add_orders(1)
        self.server.slow_next(5)
        client = self.make_client(timeout=(0.3, 0.3))
        with (
            patch.object(
                Connection, "_urlopen", autospec=True, side_effect=Connection._urlopen
            ) as urlopen,
            self.assertRaises(ShopError) as caught,
        ):
            client.fetch_orders()
        # one call, given up after the client's timeout (no retry inside the client)
        self.assertEqual(urlopen.call_count, 1)
        self.assertEqual(urlopen.call_args.args[0].timeout, 0.3)
        self.assertTrue(caught.exception.transient)
        self.assertIn("did not answer within 0.3 s", caught.exception.message)
        refused = sc.ShopifyClient(f"http://127.0.0.1:{free_closed_port()}", "shpat_x")
        with self.assertRaises(ShopError) as caught:
            refused.fetch_orders()
        self.assertTrue(caught.exception.transient)
        self.assertIn("Cannot reach Shopify", caught.exception.message)

    def test_session_is_cleared_and_never_shared_between_shops(self):
        other = ShopifyTestServer().start()
        self.addCleanup(other.stop)
        mine = {str(o["id"]) for o in self.server.add_orders(3)}
        theirs = {str(o["id"]) for o in other.add_orders(2)}
        clients = [
            (self.client, mine),
            (sc.ShopifyClient(other.url, other.token), theirs),
        ]
        failures = []

        def work(client, expected):
            for _i in range(15):
                try:
                    got = {o.external_id for o in client.fetch_orders().orders}
                except ShopError as err:  # a token sent to the other shop: 401
                    failures.append(err.message)
                    return
                if got != expected:
                    failures.append(f"{client.site} got orders of another shop")

        threads = [threading.Thread(target=work, args=pair) for pair in clients * 2]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(failures, [])
        self.assertEqual(len(self.server.requests) + len(other.requests), 60)
        # nothing of a shop stays in the library's global state
        self.assertIsNone(shopify.ShopifyResource.site)
        self.assertNotIn("X-Shopify-Access-Token", shopify.ShopifyResource.headers)

    def test_domains_and_versions(self):
        client = sc.ShopifyClient("https://Atlas.myshopify.com/admin", "shpat_x")
        self.assertEqual(client.site, "https://atlas.myshopify.com/admin/api/2024-07")
        self.assertEqual(client.shop_domain, "atlas.myshopify.com")
        self.assertEqual(
            sc.ShopifyClient("atlas", "shpat_x", api_version="2024-10").site,
            "https://atlas.myshopify.com/admin/api/2024-10",
        )
        self.assertEqual(self.client.site, f"{self.server.url}/admin/api/2024-07")
        self.assertEqual(self.client.shop_domain, self.server.shop_domain)
        self.assertEqual(
            sc.shop_domain_of(" ATLAS.myshopify.com/ "), "atlas.myshopify.com"
        )
        for domain in ("", "shop.example.com", "ftp://atlas.myshopify.com"):
            with self.subTest(domain), self.assertRaises(ShopError):
                sc.ShopifyClient(domain, "shpat_x")
        with self.assertRaises(ShopError):
            sc.ShopifyClient("atlas", "shpat_x", api_version="latest")
        self.assertEqual(
            self.client.fetch_shop()["myshopify_domain"], self.server.shop_domain
        )

    # ------------------------------------------------------------------
    # Tracking out

    def test_push_tracking_creates_one_fulfillment_with_the_tracking_info(self):
        order = self.server.add_order(cod=True)
        ref = self.client.push_tracking(
            order["id"],
            "TMS0001234MA",
            "https://tms.example.com/track/abc",
            "TMS Express",
        )
        self.assertEqual(len(self.server.fulfillments), 1)
        created = self.server.fulfillments[0]
        self.assertEqual(ref, str(created["id"]))
        self.assertEqual(
            created["tracking_info"],
            {
                "number": "TMS0001234MA",
                "url": "https://tms.example.com/track/abc",
                "company": "TMS Express",
            },
        )
        self.assertIs(created["notify_customer"], True)
        fo = self.server.fulfillment_orders[order["id"]][0]
        self.assertEqual(
            created["line_items_by_fulfillment_order"],
            [
                {
                    "fulfillment_order_id": fo["id"],
                    "fulfillment_order_line_items": [
                        {"id": line["id"], "quantity": line["quantity"]}
                        for line in fo["line_items"]
                    ],
                }
            ],
        )
        self.assertEqual(
            self.server.orders[order["id"]]["fulfillment_status"], "fulfilled"
        )
        self.assertEqual(fo["status"], "closed")
        self.assertEqual(
            [
                (r["method"], r["path"].split("/2024-07/")[1])
                for r in self.server.requests
            ],
            [
                ("GET", f"orders/{order['id']}/fulfillment_orders.json"),
                ("POST", "fulfillments.json"),
            ],
        )
        # a retry (the job ran twice) creates nothing and answers the same id
        self.assertEqual(
            self.client.push_tracking(
                order["id"], "tms0001234ma", "https://x", "TMS Express"
            ),
            ref,
        )
        self.assertEqual(len(self.server.fulfillments), 1)
        self.assertEqual(len(self.api_requests("POST")), 1)
        # another tracking number on a fulfilled order: refused, not retried
        with self.assertRaises(ShopError) as caught:
            self.client.push_tracking(order["id"], "OTHER", "", "")
        self.assertFalse(caught.exception.transient)
        self.assertIn("nothing left to fulfil", caught.exception.message)

    def test_push_tracking_when_the_answer_was_lost(self):
        order = self.server.add_order(cod=False)
        self.server.slow_next(5, method="POST")
        with self.assertRaises(ShopError) as caught:
            self.make_client(timeout=0.3).push_tracking(
                order["id"], "TMS9", "https://t/9", "TMS"
            )
        self.assertTrue(caught.exception.transient)
        # Shopify created it all the same; the retry finds it
        self.assertTrue(wait_until(lambda: len(self.server.fulfillments) == 1))
        ref = self.client.push_tracking(order["id"], "TMS9", "https://t/9", "TMS")
        self.assertEqual(ref, str(self.server.fulfillments[0]["id"]))
        self.assertEqual(len(self.server.fulfillments), 1)

    def test_push_tracking_without_url_nor_carrier(self):
        order = self.server.add_order()
        self.client.push_tracking(order["id"], " TMS5 ", None, "")
        self.assertEqual(
            self.server.fulfillments[0]["tracking_info"], {"number": "TMS5"}
        )
        with self.assertRaises(ShopError):
            self.client.push_tracking(order["id"], "", None, "")

    def test_push_tracking_on_a_cancelled_order(self):
        order = self.server.add_order(cod=True)
        self.server.cancel_order(order["id"])
        with self.assertRaises(ShopError) as caught:
            self.client.push_tracking(order["id"], "TMS1", "https://t/1", "TMS")
        self.assertFalse(caught.exception.transient)
        self.assertIn("closed", caught.exception.message)
        self.assertEqual(self.api_requests("POST"), [])

    def test_push_tracking_refused_by_the_shop(self):
        order = self.server.add_order()
        self.server.fail_next(422, method="POST")
        with self.assertRaises(ShopError) as caught:
            self.client.push_tracking(order["id"], "TMS1", "https://t/1", "TMS")
        self.assertFalse(caught.exception.transient)
        self.assertEqual(caught.exception.status, 422)
        self.assertIn("The request could not be processed.", caught.exception.message)

    def test_push_tracking_with_items_at_two_locations(self):
        order = self.server.add_order(
            line_items=[{"quantity": 1}, {"quantity": 2}],
        )
        fo = self.server.fulfillment_orders[order["id"]][0]
        second = copy.deepcopy(fo)
        second.update(
            id=fo["id"] + 500, assigned_location_id=fo["assigned_location_id"] + 1
        )
        fo["line_items"], second["line_items"] = (
            fo["line_items"][:1],
            fo["line_items"][1:],
        )
        second["line_items"][0]["fulfillment_order_id"] = second["id"]
        self.server.fulfillment_orders[order["id"]].append(second)
        ref = self.client.push_tracking(order["id"], "TMS2", "https://t/2", "TMS")
        self.assertEqual(ref, ",".join(str(f["id"]) for f in self.server.fulfillments))
        self.assertEqual(len(self.server.fulfillments), 2)
        self.assertEqual(
            self.server.orders[order["id"]]["fulfillment_status"], "fulfilled"
        )
        self.client.push_delivered(order["id"], "TMS2", ref)
        self.assertEqual(
            {e["fulfillment_id"] for e in self.server.fulfillment_events},
            {f["id"] for f in self.server.fulfillments},
        )

    def test_push_delivered(self):
        order = self.server.add_order(cod=True)
        ref = self.client.push_tracking(order["id"], "TMS7", "https://t/7", "TMS")
        event_ref = self.client.push_delivered(order["id"], "TMS7", ref)
        self.assertEqual(len(self.server.fulfillment_events), 1)
        event = self.server.fulfillment_events[0]
        self.assertEqual(event_ref, str(event["id"]))
        self.assertEqual(
            (event["status"], str(event["fulfillment_id"])), ("delivered", ref)
        )
        post = self.api_requests("POST")[-1]
        self.assertEqual(
            post["path"],
            f"/admin/api/2024-07/orders/{order['id']}/fulfillments/{ref}/events.json",
        )
        self.assertEqual(post["json"], {"event": {"status": "delivered"}})
        self.assertEqual(
            self.server.orders[order["id"]]["fulfillments"][0]["shipment_status"],
            "delivered",
        )
        # without the reference: found by tracking number, and not told twice
        self.assertEqual(self.client.push_delivered(order["id"], "TMS7"), "")
        self.assertEqual(len(self.server.fulfillment_events), 1)
        with self.assertRaises(ShopError) as caught:
            self.client.push_delivered(order["id"], "UNKNOWN")
        self.assertFalse(caught.exception.transient)
        with self.assertRaises(ShopError) as caught:
            self.client.push_delivered(order["id"], "TMS7", "987654")
        self.assertEqual(caught.exception.status, 404)

    def test_push_delivered_finds_the_fulfillment_by_tracking_number(self):
        order = self.server.add_order(cod=True)
        ref = self.client.push_tracking(order["id"], "TMS8", "https://t/8", "TMS")
        self.assertTrue(self.client.push_delivered(order["id"], "tms8"))
        self.assertEqual(str(self.server.fulfillment_events[0]["fulfillment_id"]), ref)

    # ------------------------------------------------------------------
    # Webhooks

    def test_webhook_signature(self):
        order = self.server.add_order(cod=True)
        body, headers = self.server.webhook_request("orders/create", order)
        secret = self.server.webhook_secret
        self.assertTrue(verify_signature(secret, body, headers[sc.SIGNATURE_HEADER]))
        self.assertEqual(headers[sc.TOPIC_HEADER], "orders/create")
        self.assertEqual(headers[sc.SHOP_HEADER], self.client.shop_domain)
        self.assertEqual(headers[sc.API_VERSION_HEADER], "2024-07")
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(
            self.client.parse_order(json.loads(body)).external_id, str(order["id"])
        )
        # every delivery has its own id (what a receiver deduplicates on)
        _body, again = self.server.webhook_request("orders/create", order)
        self.assertNotEqual(again[sc.WEBHOOK_ID_HEADER], headers[sc.WEBHOOK_ID_HEADER])
        # tampered body, wrong secret, missing signature
        tampered = body.replace(order["total_price"].encode(), b"1.00")
        self.assertNotEqual(tampered, body)
        self.assertFalse(
            verify_signature(secret, tampered, headers[sc.SIGNATURE_HEADER])
        )
        self.assertFalse(
            verify_signature("another-secret", body, headers[sc.SIGNATURE_HEADER])
        )
        self.assertFalse(verify_signature(secret, body, ""))
        self.assertFalse(verify_signature("", body, headers[sc.SIGNATURE_HEADER]))
        # by order id, after a cancellation
        self.server.cancel_order(order["id"])
        body, headers = self.server.webhook_request("orders/cancelled", order["id"])
        self.assertTrue(verify_signature(secret, body, headers[sc.SIGNATURE_HEADER]))
        self.assertTrue(self.client.parse_order(json.loads(body)).cancelled)
