# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A shop order's whole life, as the shops and the users see it: a signed webhook
POSTed to the real route, the sale order, the delivery validated in the warehouse,
the parcel and its label, the scans up to the delivery, and what the shop received
from the background jobs (local Shopify and WooCommerce test servers)."""

import json
import uuid

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_ec_fulfillment import EcCommon, run_job, trap_jobs


@tagged("post_install", "-at_install")
class TestEcEndToEnd(EcCommon):
    # ----------------------------------------------------------------------------------
    # helpers
    # ----------------------------------------------------------------------------------
    def _post(self, backend, body, headers):
        return self.url_open(
            f"/tms_ec/webhook/{backend.shop_type}/{backend.id}",
            data=body,
            headers=headers,
        )

    def _webhook(self, backend, server, topic, payload):
        """POST the signed webhook the shop would send; return the JSON answer."""
        body, headers = server.webhook_request(topic, payload)
        response = self._post(backend, body, headers)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def _orders(self, backend, payload):
        return self.env["tms.ec.order"].search(
            [("backend_id", "=", backend.id), ("external_id", "=", str(payload["id"]))]
        )

    def _scan(self, parcel, operation, user=None, **options):
        user = user or self.user_ma
        options.setdefault("idempotency_key", str(uuid.uuid4()))
        result = (
            self.env["tms.scan"]
            .with_user(user)
            .with_context(allowed_company_ids=self.company_ma.ids)
            .scan(parcel.tracking_number, operation, options)
        )
        self.assertEqual(result["status"], "ok", result["message"])
        return result

    def _journey(self, parcel):
        """Scans from the pickup at the merchant's to the delivery."""
        self._scan(parcel, "pickup")
        self._scan(parcel, "arrival", hub_id=self.hub_cas.id)
        self._scan(parcel, "loaded", driver_id=self.driver_ma.id)
        self._scan(parcel, "delivered", user=self.driver_ma)
        self.assertEqual(parcel.state, "delivered")

    def _order_to_parcel(self, backend, server, topic, payload):
        """Webhook -> confirmed sale order -> delivery validated: the parcel."""
        answer = self._webhook(backend, server, topic, payload)
        self.assertEqual(answer["result"], "imported", answer)
        order = self._orders(backend, payload)
        self.assertEqual(len(order), 1)
        sale = order.sale_order_id
        self.assertEqual(sale.state, "sale")
        self.assertEqual(sale.tms_ec_order_id, order)
        picking = self._validate_delivery(sale)
        parcel = picking.tms_parcel_ids
        self.assertEqual(len(parcel), 1)
        self.assertTrue(parcel.tracking_number)
        self.assertEqual(parcel.tms_ec_order_id, order)
        return order, parcel

    # ----------------------------------------------------------------------------------
    # tests
    # ----------------------------------------------------------------------------------
    def test_shopify_order_from_webhook_to_delivered_in_the_shop(self):
        payload = self.shopify.add_order(cod=True)
        with trap_jobs() as trap:
            order, parcel = self._order_to_parcel(
                self.backend_shopify, self.shopify, "orders/create", payload
            )
            self.assertEqual(order.payment_status, "cod")
            self.assertEqual(parcel.cod_amount, float(payload["total_price"]))
            self.assertEqual(parcel.client_reference, payload["name"])
            self.assertEqual(parcel.shipper_id, self.shipper_ma)
            self.assertTrue(parcel.recipient_phone.startswith("+212"))
            label = parcel._tms_render_labels("zpl")
            self.assertIn(parcel.tracking_number.encode(), label)
            self._journey(parcel)
            # the warehouse, the scanners and the driver never waited for Shopify
            self.assertEqual(self.shopify.fulfillments, [])
            self.assertEqual(
                sorted(job.method_name for job in trap.enqueued_jobs),
                ["_tms_ec_push_delivered", "_tms_ec_push_tracking"],
            )
            trap.perform_enqueued_jobs()
        [fulfillment] = self.shopify.fulfillments
        self.assertEqual(fulfillment["order_id"], payload["id"])
        self.assertEqual(fulfillment["tracking_info"]["number"], parcel.tracking_number)
        self.assertTrue(
            fulfillment["tracking_info"]["url"].endswith(
                f"/track/{parcel.access_token}"
            )
        )
        self.assertEqual(fulfillment["tracking_info"]["company"], self.company_ma.name)
        [event] = self.shopify.fulfillment_events
        self.assertEqual(
            (event["fulfillment_id"], event["status"]),
            (fulfillment["id"], "delivered"),
        )
        self.assertRecordValues(
            order,
            [
                {
                    "state": "delivered",
                    "tracking_pushed": True,
                    "delivered_pushed": True,
                    "fulfillment_ref": str(fulfillment["id"]),
                }
            ],
        )
        # the tracking link the shop sent opens the parcel's public page
        page = self.url_open(f"/track/{parcel.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(parcel.tracking_number, page.text)

    def test_woocommerce_order_from_webhook_to_completed_in_the_shop(self):
        payload = self.woo.add_order()
        with trap_jobs() as trap:
            order, parcel = self._order_to_parcel(
                self.backend_woo, self.woo, "order.created", payload
            )
            self.assertEqual(parcel.cod_amount, float(payload["total"]))
            label = parcel._tms_render_labels("zpl")
            self.assertIn(parcel.tracking_number.encode(), label)
            self._journey(parcel)
            self.assertEqual(self.woo.notes, [])
            trap.perform_enqueued_jobs()
        tracking_note, delivered_note = sorted(
            (n for n in self.woo.notes if n["order_id"] == payload["id"]),
            key=lambda n: n["id"],
        )
        self.assertTrue(tracking_note["customer_note"])
        self.assertIn(parcel.tracking_number, tracking_note["note"])
        self.assertIn(f"/track/{parcel.access_token}", tracking_note["note"])
        self.assertIn(parcel.tracking_number, delivered_note["note"])
        self.assertEqual(
            self.woo.status_updates,
            [{"order_id": payload["id"], "status": "completed"}],
        )
        self.assertEqual(self.woo.orders[payload["id"]]["status"], "completed")
        self.assertEqual(order.state, "delivered")

    def test_tampered_webhook_refused_and_replayed_one_imported_once(self):
        payload = self.shopify.add_order(cod=True)
        body, headers = self.shopify.webhook_request("orders/create", payload)
        # someone changes the amount to collect on the way
        tampered = json.loads(body)
        tampered["total_price"] = "1.00"
        forged = json.dumps(tampered, separators=(",", ":")).encode()
        response = self._post(self.backend_shopify, forged, headers)
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self._orders(self.backend_shopify, payload))
        # the genuine delivery, then the shop sending it again
        self.assertEqual(
            self._post(self.backend_shopify, body, headers).json()["result"],
            "imported",
        )
        response = self._post(self.backend_shopify, body, headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["result"], "duplicate")
        order = self._orders(self.backend_shopify, payload)
        self.assertEqual(len(order), 1)
        self.assertEqual(order.amount_total, float(payload["total_price"]))
        self.assertEqual(
            self.env["sale.order"].search_count([("tms_ec_order_id", "=", order.id)]), 1
        )

    def test_rate_limited_shop_gets_the_tracking_once_after_waiting(self):
        payload = self.shopify.add_order(cod=False)
        with trap_jobs() as trap:
            order, parcel = self._order_to_parcel(
                self.backend_shopify, self.shopify, "orders/create", payload
            )
            [job] = trap.enqueued_jobs
            self.shopify.fail_next(429, retry_after=3)
            self.assertEqual(run_job(job), ("retry", 3))
            self.assertEqual(order.state, "imported")
            self.assertEqual(run_job(job)[0], "done")
        fulfillments = [
            f for f in self.shopify.fulfillments if f["order_id"] == payload["id"]
        ]
        self.assertEqual(len(fulfillments), 1)
        self.assertEqual(fulfillments[0]["tracking_number"], parcel.tracking_number)
        self.assertEqual(order.state, "shipped")

    def test_cancelled_in_the_shop_cancels_the_parcel_and_sends_nothing(self):
        payload = self.shopify.add_order(cod=True)
        with trap_jobs() as trap:
            order, parcel = self._order_to_parcel(
                self.backend_shopify, self.shopify, "orders/create", payload
            )
            cancelled = self.shopify.cancel_order(payload["id"])
            self._webhook(
                self.backend_shopify, self.shopify, "orders/cancelled", cancelled
            )
            self.assertEqual(order.state, "cancelled")
            self.assertEqual(parcel.state, "cancelled")
            trap.perform_enqueued_jobs()
        self.assertEqual(self.shopify.fulfillments, [])
        self.assertFalse(order.tracking_pushed)
        with self.assertRaises(UserError):
            order.action_tms_ec_push_tracking()
