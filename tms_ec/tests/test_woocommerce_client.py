# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import socket
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import urlsplit

import requests
from woocommerce.oauth import OAuth

from odoo.tests import BaseCase
from odoo.tests.common import BlockedRequest, _super_send

from ..tools import woocommerce as wc
from ..tools.shop_base import (
    ShopAuthError,
    ShopError,
    ShopPayloadError,
    ShopRateLimited,
    verify_signature,
)
from .shop_servers.woocommerce_server import RECORDED_PAGE, WooCommerceTestServer


def free_closed_port():
    """A local port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestWooCommerceClient(BaseCase):
    """The WooCommerce client against a local store that checks the OAuth 1.0a
    signatures as WooCommerce does, without the database."""

    @classmethod
    def _request_handler(cls, session, request, **kwargs):
        # Odoo's test cases raise every timeout to 10 s (and cannot compare the
        # client's (connect, read) tuple): keep the client's own, local calls only.
        if urlsplit(request.url).hostname != "127.0.0.1":
            raise BlockedRequest(f"External requests verboten (was {request.url})")
        return _super_send(session, request, **kwargs)

    def setUp(self):
        super().setUp()
        self.server = WooCommerceTestServer().start()
        self.addCleanup(self.server.stop)
        self.client = self.make_client()

    def make_client(self, **kwargs):
        kwargs.setdefault("consumer_key", self.server.consumer_key)
        kwargs.setdefault("consumer_secret", self.server.consumer_secret)
        return wc.WooCommerceClient(self.server.url, **kwargs)

    def api_requests(self, method=None):
        return [
            r for r in self.server.requests if method is None or r["method"] == method
        ]

    # Reading orders

    def test_pages_follow_the_modification_order_and_resume_from_a_cursor(self):
        created = self.server.add_orders(25)
        start = datetime(2026, 1, 5, 9, 0)
        for index, order in enumerate(reversed(created)):
            # Modified in the reverse order of their ids.
            self.server.orders[order["id"]].update(
                date_modified_gmt=(start + timedelta(minutes=index)).isoformat()
            )
        pages, cursor = [], None
        while True:
            page = self.client.fetch_orders(cursor=cursor, limit=10)
            pages.append(page)
            cursor = page.next_cursor
            if not cursor:
                break
        self.assertEqual([len(p.orders) for p in pages], [10, 10, 5])
        self.assertEqual([p.next_cursor for p in pages], ["2", "3", None])
        ids = [o.external_id for p in pages for o in p.orders]
        self.assertEqual(ids, [str(o["id"]) for o in reversed(created)])
        queries = [r["query"] for r in self.api_requests("GET")]
        self.assertEqual([q["page"] for q in queries], ["1", "2", "3"])
        for query in queries:
            self.assertEqual(query["orderby"], "modified")
            self.assertEqual(query["order"], "asc")
            self.assertEqual(query["per_page"], "10")
            # Plain http: OAuth 1.0a in the query string, never the secret itself.
            self.assertEqual(query["oauth_signature_method"], "HMAC-SHA256")
            self.assertEqual(query["oauth_consumer_key"], self.server.consumer_key)
            self.assertNotIn(self.server.consumer_secret, json.dumps(query))

        # A sync that stopped after page 1 resumes at page 2 with a new client.
        resumed = self.make_client().fetch_orders(cursor="2", limit=10)
        self.assertEqual(resumed.orders, pages[1].orders)
        self.assertEqual(resumed.next_cursor, "3")

    def test_since_is_sent_in_gmt(self):
        old, recent = self.server.add_orders(2)
        # The store runs on Casablanca time (UTC+1): 09:30 GMT is 10:30 there.
        self.server.orders[old["id"]].update(
            date_modified_gmt="2026-03-02T09:30:00", date_modified="2026-03-02T10:30:00"
        )
        self.server.orders[recent["id"]].update(
            date_modified_gmt="2026-03-02T10:30:00", date_modified="2026-03-02T11:30:00"
        )
        since = datetime(2026, 3, 2, 11, 0, tzinfo=timezone(timedelta(hours=1)))
        page = self.client.fetch_orders(since=since)
        self.assertEqual([o.external_id for o in page.orders], [str(recent["id"])])
        self.assertIsNone(page.next_cursor)
        query = self.server.requests[-1]["query"]
        self.assertEqual(query["modified_after"], "2026-03-02T10:00:00")
        self.assertEqual(query["dates_are_gmt"], "true")
        self.assertEqual(
            page.orders[0].updated_at, "2026-03-02T10:30:00+00:00", "GMT, with offset"
        )

    def test_cash_on_delivery_order(self):
        payload = self.server.add_order(
            customer_note="Appelez-moi avant de livrer SVP",
            shipping={"phone": ""},
            line_items=[
                {
                    "id": 77,
                    "name": "Huile d'argan cosmétique 100 ml",
                    "sku": "ARG-OIL-100",
                    "quantity": 2,
                    "price": 124.1667,
                    "total": "248.33",
                    "total_tax": "49.67",
                }
            ],
        )
        # WooCommerce marks COD orders paid as soon as they are processing.
        self.assertTrue(payload["date_paid_gmt"])
        order = self.client.fetch_order(payload["id"])
        self.assertEqual(order.external_id, str(payload["id"]))
        self.assertEqual(order.name, f"#{payload['id']}")
        self.assertEqual(order.payment_status, "cod")
        self.assertTrue(order.is_cod)
        self.assertTrue(order.importable)
        self.assertFalse(order.cancelled)
        self.assertEqual(order.currency, "MAD")
        self.assertEqual(order.total, Decimal("328.00"))  # 2 x 149 + delivery 30
        self.assertEqual(order.note, "Appelez-moi avant de livrer SVP")
        self.assertTrue(order.created_at.endswith("+00:00"))
        (line,) = order.lines
        self.assertEqual(
            (line.external_id, line.sku, line.quantity, line.price_unit),
            ("77", "ARG-OIL-100", 2.0, Decimal("149.0000")),
        )
        billing = payload["billing"]
        self.assertEqual(order.shipping.country_code, "MA")
        self.assertEqual(order.shipping.street, payload["shipping"]["address_1"])
        self.assertEqual(order.shipping.city, payload["shipping"]["city"])
        self.assertEqual(
            order.shipping.name, f"{billing['first_name']} {billing['last_name']}"
        )
        # No delivery phone given: the billing one, and the billing e-mail.
        self.assertEqual(order.shipping.phone, billing["phone"])
        self.assertEqual(order.shipping.email, billing["email"])
        self.assertEqual(order.customer.email, billing["email"])

    def test_payment_statuses(self):
        cases = [
            ({"status": "on-hold"}, "cod"),
            ({"status": "completed"}, "paid"),  # cash collected
            ({"status": "confirmed"}, "pending"),  # a plugin's status: not imported
            ({"payment_method": "stripe"}, "paid"),
            ({"payment_method": "stripe", "status": "completed"}, "paid"),
            ({"payment_method": "bacs", "status": "on-hold"}, "pending"),
            ({"status": "pending"}, "pending"),
            ({"payment_method": "stripe", "status": "failed"}, "pending"),
            ({"payment_method": "stripe", "status": "refunded"}, "refunded"),
            ({"status": "cancelled"}, "cancelled"),
        ]
        for overrides, expected in cases:
            with self.subTest(**overrides):
                order = self.client.parse_order(self.server.add_order(**overrides))
                self.assertEqual(order.payment_status, expected)
                self.assertEqual(order.importable, expected in ("paid", "cod"))
                self.assertEqual(order.cancelled, expected == "cancelled")
        # A merchant's own cash-on-delivery method id.
        order = self.server.add_order(payment_method="cod_ma")
        self.assertEqual(self.client.parse_order(order).payment_status, "paid")
        client = self.make_client(cod_methods=("cod", "cod_ma"))
        self.assertEqual(client.parse_order(order).payment_status, "cod")

    def test_cancelled_in_the_shop(self):
        payload = self.server.add_order()
        self.server.cancel_order(payload["id"])
        order = self.client.fetch_order(payload["id"])
        self.assertEqual(order.payment_status, "cancelled")
        self.assertTrue(order.cancelled)
        self.assertFalse(order.importable)

    def test_no_shipping_address_uses_billing(self):
        payload = dict(self.server.add_order(), shipping=[])  # PHP's empty array
        order = self.client.parse_order(payload)
        self.assertEqual(order.shipping.street, payload["billing"]["address_1"])
        self.assertEqual(order.shipping.phone, payload["billing"]["phone"])

    def test_bad_payloads(self):
        good = self.server.add_order()
        bad = [
            None,
            [good],
            {k: v for k, v in good.items() if k != "id"},
            dict(good, id="12; DROP"),
            dict(good, id=True),
            dict(good, status=None),
            dict(good, total="abc"),
            dict(good, total=None),
            dict(good, billing="Casablanca"),
            dict(good, line_items={"id": 1}),
            dict(good, line_items=[{"name": "no id", "quantity": 1}]),
            dict(good, line_items=[{"id": 1, "quantity": "two"}]),
        ]
        for payload in bad:
            with self.subTest(payload=repr(payload)[:60]):
                with self.assertRaises(ShopPayloadError):
                    self.client.parse_order(payload)

    def test_a_bad_order_in_a_page_leaves_the_others_readable(self):
        orders = self.server.add_orders(3)
        self.server.orders[orders[1]["id"]]["total"] = "n/a"
        with self.assertRaises(ShopPayloadError) as caught:
            self.client.fetch_orders()
        error = caught.exception
        self.assertEqual([ref for ref, _message in error.bad], [orders[1]["id"]])
        self.assertEqual(
            [o.external_id for o in error.page.orders],
            [str(orders[0]["id"]), str(orders[2]["id"])],
        )

    def test_recorded_page(self):
        page = json.loads(RECORDED_PAGE.read_text(encoding="utf-8"))
        self.assertEqual(len(page), 50)
        orders = [self.client.parse_order(payload) for payload in page]
        statuses = [o.payment_status for o in orders]
        self.assertGreater(statuses.count("cod"), 25)
        self.assertTrue({"paid", "cancelled", "pending", "refunded"} <= set(statuses))
        self.assertTrue(all(o.shipping.country_code == "MA" for o in orders))

        loaded = self.server.load_recorded(120)
        self.assertEqual(len({o["id"] for o in loaded}), 120)
        self.assertEqual(len({o["number"] for o in loaded}), 120)
        first = self.client.fetch_orders(limit=100)
        second = self.client.fetch_orders(cursor=first.next_cursor, limit=100)
        self.assertEqual((len(first.orders), len(second.orders)), (100, 20))
        self.assertIsNone(second.next_cursor)

    # Errors

    def test_rate_limited(self):
        self.server.add_order()
        self.server.fail_next(429, retry_after=7)
        with self.assertRaises(ShopRateLimited) as caught:
            self.client.fetch_orders()
        self.assertEqual(caught.exception.retry_after, 7.0)
        self.assertTrue(caught.exception.transient)
        self.assertEqual(caught.exception.status, 429)
        self.server.fail_next(429, retry_after=None)
        with self.assertRaises(ShopRateLimited) as caught:
            self.client.fetch_orders()
        self.assertEqual(caught.exception.retry_after, 2.0)
        # The store is back.
        self.assertEqual(len(self.client.fetch_orders().orders), 1)

    def test_wrong_secret_is_refused_by_the_store(self):
        self.server.add_order()
        client = self.make_client(consumer_secret="cs_" + "0" * 40)
        with self.assertRaises(ShopAuthError) as caught:
            client.fetch_orders()
        error = caught.exception
        self.assertEqual(error.status, 401)
        self.assertFalse(error.transient)
        self.assertEqual(error.code, "woocommerce_rest_authentication_error")
        self.assertIn("signature", error.message)
        with self.assertRaises(ShopAuthError) as caught:
            self.make_client(consumer_key="ck_unknown").fetch_orders()
        self.assertIn("Consumer key is invalid", caught.exception.message)

    def test_the_store_checks_the_signature_itself(self):
        """Unsigned, tampered and replayed requests are refused: the store does not
        merely look for a key."""
        url = f"{self.server.url}/wp-json/wc/v3/orders"
        unsigned = requests.get(url, params={"consumer_key": "x"}, timeout=5)
        self.assertEqual(unsigned.status_code, 401)
        self.assertEqual(unsigned.json()["code"], "woocommerce_rest_cannot_view")

        signed = OAuth(
            url=f"{url}?page=1",
            consumer_key=self.server.consumer_key,
            consumer_secret=self.server.consumer_secret,
            version="wc/v3",
            method="GET",
        ).get_oauth_url()
        tampered = requests.get(signed.replace("page=1", "page=2"), timeout=5)
        self.assertEqual(tampered.status_code, 401)
        self.assertIn("signature", tampered.json()["message"])
        self.assertEqual(requests.get(signed, timeout=5).status_code, 200)
        replayed = requests.get(signed, timeout=5)
        self.assertEqual(replayed.status_code, 401)
        self.assertIn("nonce", replayed.json()["message"])

    def test_read_only_key_cannot_write(self):
        order = self.server.add_order()
        self.server.permissions = "read"
        with self.assertRaises(ShopAuthError) as caught:
            self.client.push_tracking(order["id"], "MA0001", "https://t.ma/x", "TMS")
        self.assertIn("write permissions", caught.exception.message)
        self.assertEqual(self.server.notes, [])

    def test_server_error_is_transient(self):
        self.server.fail_next(500)
        with self.assertRaises(ShopError) as caught:
            self.client.fetch_orders()
        error = caught.exception
        self.assertTrue(error.transient)
        self.assertEqual(error.status, 500)
        self.assertNotIsInstance(error, ShopAuthError | ShopRateLimited)

    def test_unknown_order_is_not_transient(self):
        with self.assertRaises(ShopError) as caught:
            self.client.fetch_order(999999)
        error = caught.exception
        self.assertFalse(error.transient)
        self.assertEqual(error.status, 404)
        self.assertEqual(error.code, "woocommerce_rest_shop_order_invalid_id")
        self.assertIn("Invalid ID.", error.message)
        sent = len(self.server.requests)
        with self.assertRaises(ShopError):
            self.client.fetch_order("1/notes")
        self.assertEqual(len(self.server.requests), sent, "no request for that id")

    def test_timeout_and_refused_connection_are_transient(self):
        client = self.make_client(timeout=0.3)
        self.server.fail_next(status=None, delay=3)
        with self.assertRaises(ShopError) as caught:
            client.fetch_orders()
        self.assertTrue(caught.exception.transient)
        self.assertIn("did not answer in time", caught.exception.message)

        refused = wc.WooCommerceClient(
            f"http://127.0.0.1:{free_closed_port()}", "ck_x", "cs_x", timeout=2
        )
        with self.assertRaises(ShopError) as caught:
            refused.fetch_orders()
        self.assertTrue(caught.exception.transient)
        self.assertIn("cannot be reached", caught.exception.message)

    def test_store_url(self):
        client = wc.WooCommerceClient(
            "boutique-atlas.ma/", "ck_x", "cs_x", query_string_auth=True
        )
        self.assertEqual(client.api.url, "https://boutique-atlas.ma")
        self.assertTrue(client.api.query_string_auth)
        with self.assertRaises(ShopAuthError):
            wc.WooCommerceClient("https://boutique-atlas.ma", "ck_x", "")

    # Back to the shop

    def test_push_tracking_adds_one_customer_note(self):
        order = self.server.add_order()
        url = "https://tms.example.ma/track/abc123"
        note_id = self.client.push_tracking(order["id"], "MA000123456", url, "Atlas")
        (note,) = self.server.notes
        self.assertEqual(str(note["id"]), note_id)
        self.assertEqual(note["order_id"], order["id"])
        self.assertTrue(note["customer_note"])
        self.assertIn("MA000123456", note["note"])
        self.assertIn(url, note["note"])
        self.assertIn("Atlas", note["note"])
        # A retry (the answer was lost) finds the note and writes no other.
        again = self.make_client().push_tracking(
            order["id"], "MA000123456", url, "Atlas"
        )
        self.assertEqual(again, note_id)
        self.assertEqual(len(self.server.notes), 1)
        self.assertEqual(len(self.api_requests("POST")), 1)
        self.assertEqual(self.server.status_updates, [])

    def test_push_tracking_with_a_translated_note(self):
        order = self.server.add_order()
        client = self.make_client(
            tracking_note="Votre colis {tracking_number} est en route : {tracking_url}"
        )
        client.push_tracking(order["id"], "MA9", "https://t.ma/9", "Atlas")
        self.assertEqual(
            self.server.notes[0]["note"],
            "Votre colis MA9 est en route : https://t.ma/9",
        )

    def test_push_delivered_completes_the_order(self):
        order = self.server.add_order()
        note_id = self.client.push_delivered(order["id"], "MA000123456")
        self.assertEqual(
            self.server.status_updates,
            [{"order_id": order["id"], "status": "completed"}],
        )
        self.assertEqual(self.server.orders[order["id"]]["status"], "completed")
        (note,) = self.server.notes
        self.assertEqual(str(note["id"]), note_id)
        self.assertTrue(note["customer_note"])
        self.assertIn("delivered", note["note"])
        self.assertIn("MA000123456", note["note"])
        # Done again: nothing more in the shop.
        self.assertEqual(
            self.client.push_delivered(order["id"], "MA000123456"), note_id
        )
        self.assertEqual(len(self.server.status_updates), 1)
        self.assertEqual(len(self.server.notes), 1)
        self.assertEqual(self.client.fetch_order(order["id"]).payment_status, "paid")

    def test_push_delivered_leaves_a_cancelled_order(self):
        order = self.server.add_order()
        self.server.cancel_order(order["id"])
        with self.assertRaises(ShopError) as caught:
            self.client.push_delivered(order["id"], "MA000123456")
        self.assertFalse(caught.exception.transient)
        self.assertEqual(self.server.status_updates, [])
        self.assertEqual(self.server.notes, [])

    def test_push_delivered_with_a_status_the_store_does_not_know(self):
        order = self.server.add_order()
        client = self.make_client(shipped_status="delivered")
        with self.assertRaises(ShopError) as caught:
            client.push_delivered(order["id"], "MA000123456")
        self.assertEqual(caught.exception.status, 400)
        self.assertFalse(caught.exception.transient)
        self.assertIn("Invalid parameter(s): status", caught.exception.message)

    # Webhooks

    def test_webhook_signature(self):
        payload = self.server.add_order()
        body, headers = self.server.webhook_request("order.created", payload)
        secret = self.server.webhook_secret
        self.assertTrue(verify_signature(secret, body, headers[wc.SIGNATURE_HEADER]))
        self.assertEqual(headers[wc.TOPIC_HEADER], "order.created")
        self.assertEqual(headers[wc.RESOURCE_HEADER], "order")
        self.assertEqual(headers[wc.EVENT_HEADER], "created")
        self.assertEqual(headers[wc.SOURCE_HEADER], self.server.url + "/")
        self.assertIn(b"\\/wp-json\\/wc\\/v3\\/orders", body, "PHP escapes slashes")
        self.assertEqual(json.loads(body), payload)
        order = self.client.parse_order(json.loads(body))
        self.assertEqual(order.external_id, str(payload["id"]))

        tampered = body.replace(payload["total"].encode(), b"1.00")
        self.assertNotEqual(tampered, body)
        self.assertFalse(
            verify_signature(secret, tampered, headers[wc.SIGNATURE_HEADER])
        )
        self.assertFalse(
            verify_signature("another secret", body, headers[wc.SIGNATURE_HEADER])
        )
        self.assertFalse(verify_signature(secret, body, ""))

        body2, headers2 = self.server.webhook_request("order.updated", payload)
        self.assertEqual(headers2[wc.EVENT_HEADER], "updated")
        self.assertNotEqual(
            headers2[wc.DELIVERY_ID_HEADER], headers[wc.DELIVERY_ID_HEADER]
        )
        self.assertNotEqual(
            headers2[wc.WEBHOOK_ID_HEADER], headers[wc.WEBHOOK_ID_HEADER]
        )
        self.assertEqual(body2, body)

    def test_dates_stay_aware(self):
        # updated_at parses back to the same instant as the GMT field.
        payload = self.server.add_order()
        order = self.client.parse_order(payload)
        moment = datetime.fromisoformat(order.updated_at)
        self.assertEqual(moment.utcoffset(), timedelta(0))
        self.assertEqual(
            moment.replace(tzinfo=None).isoformat(), payload["date_modified_gmt"]
        )
        self.assertLessEqual(moment, datetime.now(timezone.utc) + timedelta(seconds=5))
