# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..tools.shop_base import hmac_sha256_base64
from .shop_servers.shopify_server import ShopifyTestServer
from .shop_servers.woocommerce_server import WooCommerceTestServer
from .test_ec_import import EcCommon


@tagged("post_install", "-at_install")
class TestEcWebhooks(HttpCase, EcCommon):
    def setUp(self):
        super().setUp()
        self.woo = self.enterContext(WooCommerceTestServer())
        self.shopify = self.enterContext(ShopifyTestServer())
        self.woo_backend = self._woo_backend(self.woo)
        self.shopify_backend = self._shopify_backend(self.shopify)

    def _post(self, backend, body, headers, shop_type=None):
        url = f"/tms_ec/webhook/{shop_type or backend.shop_type}/{backend.id}"
        return self.url_open(url, data=body, headers=headers)

    def _events(self, backend):
        return self.env["tms.ec.webhook.event"].search(
            [("backend_id", "=", backend.id)], order="id"
        )

    def test_signed_woocommerce_order_becomes_a_confirmed_sale_order(self):
        payload = self.woo.add_order()
        body, headers = self.woo.webhook_request("order.created", payload)
        response = self._post(self.woo_backend, body, headers)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["result"], "imported")
        order = self._orders(self.woo_backend)
        self.assertEqual(order.external_id, str(payload["id"]))
        self.assertEqual(order.sale_order_id.state, "sale")
        self.assertEqual(order.cod_amount, float(payload["total"]))
        event = self._events(self.woo_backend)
        self.assertEqual(event.state, "done")
        self.assertEqual(event.topic, "order.created")
        self.assertTrue(
            event.webhook_id.startswith(headers["X-WC-Webhook-Delivery-ID"] + ":")
        )
        self.assertEqual(event.ec_order_id, order)
        run = order.log_ids.run_id
        self.assertEqual(run.trigger, "webhook")
        self.assertEqual(order.log_ids.result, "imported")
        # the day's webhooks share one run
        body, headers = self.woo.webhook_request("order.created", self.woo.add_order())
        self.assertEqual(self._post(self.woo_backend, body, headers).status_code, 200)
        self.assertEqual(len(run.log_ids), 2)
        # the shop never heard from us: all came from the webhook
        self.assertEqual(self.woo.requests, [])

    def test_signed_shopify_orders_create_then_cancelled(self):
        waiting = self.shopify.add_order(cod=True)
        shipped = self.shopify.add_order(cod=True)
        for payload in (waiting, shipped):
            body, headers = self.shopify.webhook_request("orders/create", payload)
            response = self._post(self.shopify_backend, body, headers)
            self.assertEqual(response.status_code, 200, response.text)
        order_waiting, order_shipped = self._orders(self.shopify_backend)
        parcel_waiting = order_waiting.parcel_ids
        parcel_shipped = order_shipped.parcel_ids
        self.assertEqual(parcel_waiting.cod_amount, float(waiting["total_price"]))
        grams = sum(item["grams"] * item["quantity"] for item in waiting["line_items"])
        self.assertAlmostEqual(parcel_waiting.weight, grams / 1000, places=3)
        self.assertEqual(parcel_waiting.client_reference, waiting["name"])
        self.assertTrue(parcel_waiting.recipient_phone.startswith("+212"))
        parcel_shipped._set_state("picked_up", source="scan")
        for payload in (waiting, shipped):
            cancelled = self.shopify.cancel_order(payload["id"])
            body, headers = self.shopify.webhook_request("orders/cancelled", cancelled)
            response = self._post(self.shopify_backend, body, headers)
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(response.json()["result"], "cancelled")
        self.assertEqual(parcel_waiting.state, "cancelled")
        self.assertEqual(parcel_shipped.state, "picked_up")
        self.assertEqual(order_waiting.state, "cancelled")
        self.assertEqual(order_shipped.state, "cancelled")
        self.assertIn("NOT cancelled", order_shipped.log_ids[0].reason)
        self.assertIn(
            "NOT cancelled", "".join(order_shipped.message_ids.mapped("body"))
        )

    def test_woocommerce_cancellation_cancels_the_sale_order(self):
        payload = self.woo.add_order()
        body, headers = self.woo.webhook_request("order.created", payload)
        self._post(self.woo_backend, body, headers)
        sale_order = self._orders(self.woo_backend).sale_order_id
        self.assertEqual(sale_order.state, "sale")
        body, headers = self.woo.webhook_request(
            "order.updated", self.woo.cancel_order(payload["id"])
        )
        response = self._post(self.woo_backend, body, headers)
        self.assertEqual(response.json()["result"], "cancelled")
        self.assertEqual(sale_order.state, "cancel")
        self.assertEqual(sale_order.picking_ids.mapped("state"), ["cancel"])

    def test_unpaid_order_waits_for_its_payment(self):
        payload = self.woo.add_order(status="pending", payment_method="stripe")
        body, headers = self.woo.webhook_request("order.created", payload)
        response = self._post(self.woo_backend, body, headers)
        self.assertEqual(response.json()["result"], "skipped")
        self.assertFalse(self._orders(self.woo_backend))
        log = self.env["tms.ec.sync.log"].search(
            [
                ("backend_id", "=", self.woo_backend.id),
                ("external_id", "=", str(payload["id"])),
            ]
        )
        self.assertIn("pending", log.reason)
        payload.update(status="processing", date_paid_gmt=payload["date_created_gmt"])
        body, headers = self.woo.webhook_request("order.updated", payload)
        response = self._post(self.woo_backend, body, headers)
        self.assertEqual(response.json()["result"], "imported")
        self.assertEqual(self._orders(self.woo_backend).payment_status, "paid")

    def test_bad_signatures_are_rejected_and_change_nothing(self):
        payload = self.shopify.add_order()
        body, headers = self.shopify.webhook_request("orders/create", payload)
        tampered = body.replace(
            json.dumps(payload["total_price"]).encode(), b'"1.00"', 1
        )
        self.assertNotEqual(tampered, body)
        wrong_secret = ShopifyTestServer(
            webhook_secret="not-the-secret", shop_domain=self.shopify.shop_domain
        )
        wrong_body, wrong_headers = wrong_secret.webhook_request(
            "orders/create", payload
        )
        unsigned = {k: v for k, v in headers.items() if k != "X-Shopify-Hmac-Sha256"}
        for data, request_headers in (
            (tampered, headers),
            (wrong_body, wrong_headers),
            (body, unsigned),
        ):
            response = self._post(self.shopify_backend, data, request_headers)
            self.assertEqual(response.status_code, 401)
            self.assertEqual(response.json()["error"], "invalid_signature")
        self.assertFalse(self._orders(self.shopify_backend))
        self.assertFalse(
            self.env["tms.ec.sync.log"].search(
                [("backend_id", "=", self.shopify_backend.id)]
            )
        )
        events = self._events(self.shopify_backend)
        self.assertEqual(events.mapped("state"), ["rejected"] * 3)
        self.assertIn("Missing signature", events[2].reason)
        # the genuine delivery of the same id is still processed afterwards
        response = self._post(self.shopify_backend, body, headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self._orders(self.shopify_backend)), 1)
        # the WooCommerce shop's secret does not sign for the Shopify shop
        woo_body, woo_headers = self.woo.webhook_request(
            "order.created", self.woo.add_order()
        )
        response = self._post(self.woo_backend, woo_body, woo_headers, "shopify")
        self.assertEqual(response.status_code, 404)

    def test_replayed_delivery_is_a_duplicate_and_changes_nothing(self):
        payload = self.woo.add_order()
        body, headers = self.woo.webhook_request("order.created", payload)
        self.assertEqual(self._post(self.woo_backend, body, headers).status_code, 200)
        order = self._orders(self.woo_backend)
        sale_order = order.sale_order_id
        for _replay in range(2):
            response = self._post(self.woo_backend, body, headers)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json()["result"], "duplicate")
        self.assertEqual(self._orders(self.woo_backend), order)
        self.assertEqual(len(order.log_ids), 1)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [
                    ("company_id", "=", self.company_ma.id),
                    ("client_order_ref", "=", sale_order.client_order_ref),
                ]
            ),
            1,
        )
        self.assertEqual(
            self._events(self.woo_backend).mapped("state"),
            ["done", "duplicate", "duplicate"],
        )
        # WooCommerce's delivery id only hashes the webhook id and the second: a
        # cancellation sent within the same second shares it, and is not a replay
        cancelled = dict(payload, status="cancelled")
        cancel_body, cancel_headers = self.woo.webhook_request(
            "order.updated", cancelled
        )
        cancel_headers["X-WC-Webhook-Delivery-ID"] = headers["X-WC-Webhook-Delivery-ID"]
        response = self._post(self.woo_backend, cancel_body, cancel_headers)
        self.assertNotEqual(response.json()["result"], "duplicate")
        self.assertEqual(order.state, "cancelled")
        # the same order in a new delivery (the shop's update): logged, skipped
        body, headers = self.woo.webhook_request("order.updated", payload)
        response = self._post(self.woo_backend, body, headers)
        self.assertEqual(response.json()["result"], "skipped")
        self.assertEqual(self._orders(self.woo_backend), order)

    def test_pings_bad_payloads_and_unknown_shops(self):
        # WooCommerce checks the URL when the webhook is saved: unsigned form post
        response = self.url_open(
            f"/tms_ec/webhook/woocommerce/{self.woo_backend.id}",
            data={"webhook_id": "11"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["result"], "ping")
        # signed but not JSON
        body, headers = self.woo.webhook_request("order.created", {"id": 1})
        body = b"{not json"
        headers["X-WC-Webhook-Signature"] = self._woo_sign(body)
        response = self._post(self.woo_backend, body, headers)
        self.assertEqual(response.status_code, 400)
        # signed JSON that is no order
        body = json.dumps({"id": "abc"}).encode()
        headers["X-WC-Webhook-Signature"] = self._woo_sign(body)
        headers["X-WC-Webhook-Delivery-ID"] = "delivery-bad-order"
        response = self._post(self.woo_backend, body, headers)
        self.assertEqual(response.status_code, 400)
        # a topic the connector does not use
        body, headers = self.woo.webhook_request("order.created", self.woo.add_order())
        headers["X-WC-Webhook-Topic"] = "order.deleted"
        response = self._post(self.woo_backend, body, headers)
        self.assertEqual(response.json()["result"], "ignored")
        self.assertFalse(self._orders(self.woo_backend))
        events = self._events(self.woo_backend)
        self.assertEqual(events.mapped("state"), ["done", "failed", "failed", "done"])
        self.assertIn("JSON", events[1].reason)
        # unknown or archived shops
        body, headers = self.woo.webhook_request("order.created", self.woo.add_order())
        response = self.url_open(
            "/tms_ec/webhook/woocommerce/999999", data=body, headers=headers
        )
        self.assertEqual(response.status_code, 404)
        self.woo_backend.active = False
        self.assertEqual(self._post(self.woo_backend, body, headers).status_code, 404)
        self.assertFalse(self._orders(self.woo_backend))

    def test_other_company_cannot_see_the_webhook_events(self):
        body, headers = self.woo.webhook_request("order.created", self.woo.add_order())
        self._post(self.woo_backend, body, headers)
        event = self._events(self.woo_backend)
        self.assertTrue(event.with_user(self.user_ma).read(["state"]))
        with self.assertRaises(AccessError):
            event.with_user(self.user_fr).read(["state"])

    def _woo_sign(self, body):
        return hmac_sha256_base64(self.woo.webhook_secret, body)
