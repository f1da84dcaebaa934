# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Shop orders' deliveries: parcels with the shop's values, tracking numbers and
deliveries sent back to the shop by background jobs, their retries and failures."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tests import common as odoo_test_common
from odoo.tools import mute_logger

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.tms_core.tests.common import TmsCommon

from .shop_servers.shopify_server import PRODUCTS as SHOPIFY_PRODUCTS
from .shop_servers.shopify_server import ShopifyTestServer
from .shop_servers.woocommerce_server import PRODUCTS as WOO_PRODUCTS
from .shop_servers.woocommerce_server import WooCommerceTestServer

# queue_job's test helpers register themselves in odoo.tests.common.SETATTR_SOURCES,
# which Odoo 18.0 builds before its introduction lack.
if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}
from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402


def run_job(job):
    """Perform a job as the job runner does: ("done", result), or ("retry", seconds
    until the next attempt) when it failed in a way worth retrying."""
    try:
        result = job.perform()
    except RetryableJobError as error:
        return "retry", job._get_retry_seconds(error.seconds)
    return "done", result


def run_failing_job(job):
    """Run a job that fails through the job runner's own path (which reports the
    failure with the job function's on-fail hook, in a transaction of its own);
    return the error. Not assertRaises: it would roll the report back."""
    try:
        with mute_logger("odoo.addons.queue_job.controllers.main"):
            RunJobController._runjob(job.env, job)
    except FailedJobError as error:
        return error
    raise AssertionError("The job did not fail.")


class EcCommon(HttpCase, TmsCommon):
    """A Moroccan company selling on a Shopify and a WooCommerce test shop (local
    servers); its delivery operation type creates parcels when validated.

    HttpCase: jobs report failures through a cursor of their own, which tests share
    with the test transaction only in the registry's test mode."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company_ma.ids)
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_ma.id)], limit=1
        )
        cls.out_type = cls.warehouse.out_type_id
        cls.out_type.write(
            {
                "tms_parcel_mode": "on_validation",
                "tms_parcel_split": "package",
                "tms_service_id": cls.service_std.id,
            }
        )
        cls.service_express = cls.env["tms.service"].create(
            {
                "name": "Express 24h",
                "code": "EXP24",
                "company_id": cls.company_ma.id,
            }
        )
        skus = {p[0] for p in SHOPIFY_PRODUCTS} | {p[1] for p in WOO_PRODUCTS}
        cls.products = cls.env["product.product"].create(
            [
                {
                    "name": sku,
                    "default_code": sku,
                    "is_storable": True,
                    "weight": 0.5,
                    "list_price": 100.0,
                }
                for sku in sorted(skus)
            ]
        )
        stock = cls.warehouse.lot_stock_id
        for product in cls.products:
            cls.env["stock.quant"]._update_available_quantity(product, stock, 1000)
        cls.backend_shopify = cls._create_backend("Atlas Shopify", shop_type="shopify")
        cls.backend_woo = cls._create_backend(
            "Atlas WooCommerce", shop_type="woocommerce"
        )
        cls.driver_ma = cls._create_tms_user(
            "driver_ma", cls.company_ma, "group_tms_driver"
        )
        cls.manager_ma = cls._create_tms_user(
            "manager_ma", cls.company_ma, "group_tms_manager"
        )

    def setUp(self):
        super().setUp()
        # fresh shops for each test: what they received is this test's only
        self.shopify = ShopifyTestServer().start()
        self.addCleanup(self.shopify.stop)
        self.woo = WooCommerceTestServer().start()
        self.addCleanup(self.woo.stop)
        self.backend_shopify.write(
            {
                "shopify_domain": self.shopify.url,
                "shopify_token": self.shopify.token,
                "webhook_secret": self.shopify.webhook_secret,
            }
        )
        self.backend_woo.write(
            {
                "woo_url": self.woo.url,
                "woo_consumer_key": self.woo.consumer_key,
                "woo_consumer_secret": self.woo.consumer_secret,
                "webhook_secret": self.woo.webhook_secret,
            }
        )

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # The shop clients give requests a (connect, read) timeout pair, which the
        # test request guard of Odoo 18.0 compares with a number.
        timeout = kw.get("timeout")
        if isinstance(timeout, tuple | list):
            kw["timeout"] = max(value for value in timeout if value)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def _create_backend(cls, name, **vals):
        return cls.env["tms.ec.backend"].create(
            dict(
                {
                    "name": name,
                    "company_id": cls.company_ma.id,
                    "warehouse_id": cls.warehouse.id,
                    "service_id": cls.service_express.id,
                    "shipper_id": cls.shipper_ma.id,
                    "order_flow": "sale_order",
                },
                **vals,
            )
        )

    # ----------------------------------------------------------------------------------
    # helpers
    # ----------------------------------------------------------------------------------
    def _shop_order(self, backend, payload, partner_vals=None):
        """A shop order of ``payload`` (as the shop's API gives it) with its
        confirmed sale order, made here without the import (which has its own
        tests)."""
        shop_order = backend._tms_ec_client().parse_order(payload)
        shipping = shop_order.shipping
        partner = self.env["res.partner"].create(
            dict(
                {
                    "name": shipping.name,
                    "street": shipping.street,
                    "city": shipping.city,
                    "zip": shipping.zip,
                    "country_id": self.morocco.id,
                    "phone": shipping.phone,
                    "email": shipping.email or False,
                },
                **(partner_vals or {}),
            )
        )
        order = self.env["tms.ec.order"].create(
            {
                "name": shop_order.name,
                "backend_id": backend.id,
                "external_id": shop_order.external_id,
                "partner_id": partner.id,
                "currency_id": self.company_ma.currency_id.id,
                "amount_total": float(shop_order.total),
                "payment_status": shop_order.payment_status,
                "cod_amount": float(shop_order.total) if shop_order.is_cod else 0.0,
            }
        )
        products = {p.default_code: p for p in self.products}
        sale = (
            self.env["sale.order"]
            .with_company(self.company_ma)
            .create(
                {
                    "partner_id": partner.id,
                    "partner_shipping_id": partner.id,
                    "company_id": self.company_ma.id,
                    "warehouse_id": self.warehouse.id,
                    "tms_ec_order_id": order.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": products[line.sku].id,
                                "product_uom_qty": line.quantity,
                                "price_unit": float(line.price_unit),
                                "tax_id": [Command.set([])],
                            }
                        )
                        for line in shop_order.lines
                    ],
                }
            )
        )
        sale.action_confirm()
        return order, sale

    def _validate_delivery(self, sale, packs=0, user=None):
        """Validate the sale order's delivery, its products put in ``packs``
        packages first (one product per package, the rest loose); return the
        transfer."""
        picking = sale.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(len(picking), 1)
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        for product in picking.move_ids.product_id[:packs]:
            lines = picking.move_line_ids.filtered(
                lambda ml, product=product: ml.product_id == product
            )
            picking.action_put_in_pack(move_lines_to_pack=lines)
        picking.move_ids.picked = True
        if user:
            picking = picking.with_user(user)
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        return picking

    def _move(self, parcels, *states, **vals):
        for state in states:
            self.env["tms.parcel.event"]._record(
                [dict(vals, parcel_id=p.id, state=state) for p in parcels]
            )

    def _deliver(self, parcels, **vals):
        self._move(parcels, "picked_up", "at_hub", "out_for_delivery", "delivered")

    def _messages(self, order):
        return " ".join(str(body) for body in order.message_ids.mapped("body"))

    def _push_jobs(self, trap, method_name):
        return [job for job in trap.enqueued_jobs if job.method_name == method_name]


@tagged("post_install", "-at_install")
class TestEcParcels(EcCommon):
    """A shop order's delivery makes parcels carrying the shop's values."""

    def test_cod_order_parcel_carries_shop_values(self):
        payload = self.shopify.add_order(cod=True)
        order, sale = self._shop_order(self.backend_shopify, payload)
        self.assertEqual(sale.tms_ec_order_id, order)
        self.assertEqual(order.sale_order_id, sale)
        self.assertTrue(sale.tms_ec_is_cod)
        self.assertEqual(sale.tms_ec_cod_amount, order.amount_total)
        picking = self._validate_delivery(sale)
        parcel = picking.tms_parcel_ids
        self.assertEqual(len(parcel), 1)
        self.assertRecordValues(
            parcel,
            [
                {
                    "state": "confirmed",
                    "tms_ec_order_id": order.id,
                    "shipper_id": self.shipper_ma.id,
                    "service_id": self.service_express.id,
                    "client_reference": payload["name"],
                    "recipient_id": sale.partner_shipping_id.id,
                    "recipient_city": sale.partner_shipping_id.city,
                    "cod_amount": float(payload["total_price"]),
                }
            ],
        )
        self.assertTrue(parcel.tracking_number)
        self.assertTrue(parcel.recipient_phone.startswith("+212"))
        self.assertEqual(order.parcel_ids, parcel)

    def test_cod_collected_once_on_the_first_parcel(self):
        payload = self.shopify.add_order(
            cod=True, line_items=[{"quantity": 1}, {"quantity": 2}, {"quantity": 1}]
        )
        order, sale = self._shop_order(self.backend_shopify, payload)
        picking = self._validate_delivery(sale, packs=2)
        parcels = picking.tms_parcel_ids.sorted("id")
        self.assertEqual(len(parcels), 3)
        self.assertEqual(
            parcels.mapped("cod_amount"), [float(payload["total_price"]), 0.0, 0.0]
        )
        self.assertEqual(set(parcels.tms_ec_order_id.ids), {order.id})

    def test_paid_order_collects_nothing(self):
        order, sale = self._shop_order(
            self.backend_shopify, self.shopify.add_order(cod=False)
        )
        self.assertEqual(order.payment_status, "paid")
        self.assertFalse(sale.tms_ec_is_cod)
        parcel = self._validate_delivery(sale).tms_parcel_ids
        self.assertEqual(parcel.cod_amount, 0.0)
        self.assertEqual(parcel.tms_ec_order_id, order)

    def test_phone_of_the_customer_when_the_address_has_none(self):
        order, sale = self._shop_order(
            self.backend_shopify,
            self.shopify.add_order(cod=True),
            partner_vals={"phone": False, "mobile": False},
        )
        customer = self.env["res.partner"].create(
            {"name": "Youssef", "mobile": "0661234567", "country_id": self.morocco.id}
        )
        sale.partner_id = customer
        parcel = self._validate_delivery(sale).tms_parcel_ids
        self.assertEqual(parcel.recipient_id, sale.partner_shipping_id)
        self.assertEqual(parcel.recipient_phone, "+212661234567")

    def test_salesperson_without_transport_rights_opens_the_sale_order(self):
        order, sale = self._shop_order(
            self.backend_shopify, self.shopify.add_order(cod=True)
        )
        salesperson = self.env["res.users"].create(
            {
                "name": "Salesperson",
                "login": "salesperson_ma",
                "company_id": self.company_ma.id,
                "company_ids": [Command.set(self.company_ma.ids)],
                "groups_id": [
                    Command.set([self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        sale.user_id = salesperson
        form = Form(sale.with_user(salesperson))
        self.assertTrue(form.tms_ec_is_cod)
        self.assertEqual(form.tms_ec_cod_amount, order.amount_total)
        with self.assertRaises(AccessError):
            order.with_user(salesperson).read(["name"])

    def test_a_sale_order_not_from_a_shop_is_left_alone(self):
        sale = (
            self.env["sale.order"]
            .with_company(self.company_ma)
            .create(
                {
                    "partner_id": self.recipient_ma.id,
                    "company_id": self.company_ma.id,
                    "warehouse_id": self.warehouse.id,
                    "order_line": [Command.create({"product_id": self.products[0].id})],
                }
            )
        )
        sale.action_confirm()
        self.assertFalse(sale.tms_ec_order_id)
        with trap_jobs() as trap:
            parcel = self._validate_delivery(sale).tms_parcel_ids
            self.assertFalse(self._push_jobs(trap, "_tms_ec_push_tracking"))
        self.assertEqual(len(parcel), 1)
        self.assertFalse(parcel.tms_ec_order_id)
        self.assertEqual(parcel.service_id, self.service_std)
        self.assertEqual(parcel.cod_amount, 0.0)


@tagged("post_install", "-at_install")
class TestEcTrackingPush(EcCommon):
    """Tracking numbers and deliveries reach the shop through background jobs."""

    def test_one_job_per_order_and_one_fulfillment_on_shopify(self):
        payload = self.shopify.add_order(
            cod=True, line_items=[{"quantity": 1}, {"quantity": 1}]
        )
        order, sale = self._shop_order(self.backend_shopify, payload)
        # a storekeeper without transport nor shop rights validates the delivery
        storekeeper = self.env["res.users"].create(
            {
                "name": "Storekeeper",
                "login": "storekeeper_ma",
                "company_id": self.company_ma.id,
                "company_ids": [Command.set(self.company_ma.ids)],
                "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])],
            }
        )
        with trap_jobs() as trap:
            picking = self._validate_delivery(sale, packs=1, user=storekeeper)
            parcels = picking.sudo().tms_parcel_ids.sorted("id")
            self.assertEqual(len(parcels), 2)
            [job] = trap.enqueued_jobs
            self.assertEqual(job.method_name, "_tms_ec_push_tracking")
            self.assertEqual(job.max_retries, 10)
            # nothing left the server in the storekeeper's request
            self.assertEqual(self.shopify.fulfillments, [])
            self.assertEqual(order.state, "imported")
            self.assertEqual(run_job(job)[0], "done")
        [fulfillment] = self.shopify.fulfillments
        first = parcels[0]
        self.assertEqual(
            fulfillment["tracking_info"],
            {
                "number": first.tracking_number,
                "url": first._tms_public_tracking_url(),
                "company": self.company_ma.name,
            },
        )
        self.assertTrue(
            fulfillment["tracking_info"]["url"].endswith(f"/track/{first.access_token}")
        )
        self.assertTrue(fulfillment["notify_customer"])
        self.assertEqual(fulfillment["order_id"], payload["id"])
        self.assertRecordValues(
            order,
            [
                {
                    "state": "shipped",
                    "tracking_pushed": True,
                    "fulfillment_ref": str(fulfillment["id"]),
                    "push_error": False,
                }
            ],
        )
        # Shopify fulfilled the whole order: the second parcel is covered by it
        self.assertEqual(parcels.mapped("tms_ec_tracking_pushed"), [True, True])
        self.assertEqual(
            set(parcels.mapped("tms_ec_tracking_ref")), {str(fulfillment["id"])}
        )
        self.assertIn(first.tracking_number, self._messages(order))
        # sending again sends nothing new
        with trap_jobs() as trap:
            order.action_tms_ec_push_tracking()
            self.assertFalse(trap.enqueued_jobs)
        self.assertEqual(len(self.shopify.fulfillments), 1)

    def test_delivered_once_every_parcel_is_delivered(self):
        payload = self.shopify.add_order(
            cod=True, line_items=[{"quantity": 1}, {"quantity": 1}]
        )
        order, sale = self._shop_order(self.backend_shopify, payload)
        with trap_jobs() as trap:
            parcels = self._validate_delivery(sale, packs=1).tms_parcel_ids.sorted("id")
            trap.perform_enqueued_jobs()
            self._deliver(parcels[0])
            self.assertFalse(trap.enqueued_jobs)  # one parcel is still on its way
            self._move(parcels[1], "picked_up", "at_hub", "out_for_delivery")
            self.assertFalse(trap.enqueued_jobs)
            self._move(parcels[1], "delivered")
            [job] = trap.enqueued_jobs
            self.assertEqual(job.method_name, "_tms_ec_push_delivered")
            self.assertEqual(self.shopify.fulfillment_events, [])
            self.assertEqual(run_job(job)[0], "done")
        [event] = self.shopify.fulfillment_events
        self.assertEqual(event["status"], "delivered")
        self.assertEqual(str(event["fulfillment_id"]), order.fulfillment_ref)
        self.assertRecordValues(
            order, [{"state": "delivered", "delivered_pushed": True}]
        )

    def test_delivered_before_the_tracking_job_ran_sends_both_in_order(self):
        order, sale = self._shop_order(
            self.backend_shopify, self.shopify.add_order(cod=False)
        )
        with trap_jobs() as trap:
            parcel = self._validate_delivery(sale).tms_parcel_ids
            self._deliver(parcel)
            methods = sorted(job.method_name for job in trap.enqueued_jobs)
            self.assertEqual(
                methods, ["_tms_ec_push_delivered", "_tms_ec_push_tracking"]
            )
            delivered = self._push_jobs(trap, "_tms_ec_push_delivered")[0]
            self.assertEqual(run_job(delivered)[0], "done")
            tracking = self._push_jobs(trap, "_tms_ec_push_tracking")[0]
            self.assertEqual(run_job(tracking), ("done", "Nothing to send."))
        self.assertEqual(len(self.shopify.fulfillments), 1)
        self.assertEqual(
            self.shopify.fulfillments[0]["tracking_number"], parcel.tracking_number
        )
        self.assertEqual(len(self.shopify.fulfillment_events), 1)
        self.assertEqual(order.state, "delivered")

    def test_a_driver_delivering_tells_the_shop(self):
        order, sale = self._shop_order(
            self.backend_shopify, self.shopify.add_order(cod=True)
        )
        with trap_jobs() as trap:
            parcel = self._validate_delivery(sale).tms_parcel_ids
            trap.perform_enqueued_jobs()
            self._move(parcel, "picked_up", "at_hub")
            result = (
                self.env["tms.scan"]
                .with_user(self.user_ma)
                .with_context(allowed_company_ids=self.company_ma.ids)
                .scan(
                    parcel.tracking_number,
                    "loaded",
                    {"driver_id": self.driver_ma.id, "idempotency_key": "load-0001"},
                )
            )
            self.assertEqual(result["status"], "ok", result["message"])
            # the driver may not even read shop orders
            with self.assertRaises(AccessError):
                order.with_user(self.driver_ma).read(["name"])
            result = (
                self.env["tms.scan"]
                .with_user(self.driver_ma)
                .with_context(allowed_company_ids=self.company_ma.ids)
                .scan(
                    parcel.tracking_number,
                    "delivered",
                    {"idempotency_key": "deliver-0001"},
                )
            )
            self.assertEqual(result["status"], "ok", result["message"])
            [job] = trap.enqueued_jobs
            self.assertEqual(job.recordset.env.uid, self.driver_ma.id)
            self.assertEqual(run_job(job)[0], "done")
        self.assertEqual(len(self.shopify.fulfillment_events), 1)
        self.assertEqual(order.state, "delivered")

    def test_woocommerce_gets_a_note_per_parcel_then_completed(self):
        payload = self.woo.add_order()
        order, sale = self._shop_order(self.backend_woo, payload)
        self.assertEqual(order.payment_status, "cod")
        lines = len(payload["line_items"])
        with trap_jobs() as trap:
            parcels = self._validate_delivery(sale, packs=lines - 1)
            parcels = parcels.tms_parcel_ids.sorted("id")
            self.assertEqual(len(parcels), lines)
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
            notes = [n for n in self.woo.notes if n["order_id"] == payload["id"]]
            self.assertEqual(len(notes), lines)
            for note, parcel in zip(notes, parcels, strict=True):
                self.assertTrue(note["customer_note"])
                self.assertIn(parcel.tracking_number, note["note"])
                self.assertIn(parcel._tms_public_tracking_url(), note["note"])
                self.assertEqual(parcel.tms_ec_tracking_ref, str(note["id"]))
            self.assertEqual(order.fulfillment_ref, str(notes[0]["id"]))
            self.assertEqual(order.state, "shipped")
            self._deliver(parcels)
            trap.perform_enqueued_jobs()
        self.assertIn(
            {"order_id": payload["id"], "status": "completed"}, self.woo.status_updates
        )
        self.assertEqual(order.state, "delivered")

    def test_rate_limited_push_waits_for_the_shop_then_sends_once(self):
        order, sale = self._shop_order(
            self.backend_shopify, self.shopify.add_order(cod=True)
        )
        with trap_jobs() as trap:
            self._validate_delivery(sale)
            [job] = trap.enqueued_jobs
            self.shopify.fail_next(429, retry_after=7)
            self.assertEqual(run_job(job), ("retry", 7))
            self.assertEqual(self.shopify.fulfillments, [])
            self.assertEqual(order.state, "imported")
            self.assertEqual(run_job(job)[0], "done")
        self.assertEqual(len(self.shopify.fulfillments), 1)
        self.assertEqual(order.state, "shipped")

    def test_shop_down_is_retried_along_the_pattern(self):
        order, sale = self._shop_order(
            self.backend_woo, self.woo.add_order(payment_method="stripe")
        )
        with trap_jobs() as trap:
            self._validate_delivery(sale)
            [job] = trap.enqueued_jobs
            self.woo.fail_next(503, retry_after=None)
            self.assertEqual(run_job(job), ("retry", 60))
            self.woo.fail_next(502, retry_after=None)
            self.assertEqual(run_job(job), ("retry", 120))
            self.assertEqual(run_job(job)[0], "done")
        self.assertEqual(order.state, "shipped")
        self.assertEqual(
            len([n for n in self.woo.notes if n["order_id"] == int(order.external_id)]),
            1,
        )

    def test_refused_push_fails_visibly_and_can_be_sent_again(self):
        order, sale = self._shop_order(
            self.backend_shopify, self.shopify.add_order(cod=True)
        )
        self.backend_shopify.shopify_token = "shpat_revoked"
        with trap_jobs() as trap:
            parcel = self._validate_delivery(sale).tms_parcel_ids
            [job] = trap.enqueued_jobs
            error = run_failing_job(job)
        self.assertIn("401", str(error))
        self.assertEqual(job.state, "failed")
        self.env.invalidate_all()
        self.assertIn("401", order.push_error)
        self.assertEqual(order.state, "imported")
        self.assertFalse(order.tracking_pushed)
        self.assertIn("tracking could not be sent to the shop", self._messages(order))
        [activity] = order.activity_ids
        self.assertEqual(activity.summary, "Shop not updated")
        self.assertIn("401", str(activity.note))
        self.assertEqual(self.shopify.fulfillments, [])
        # a user of another company cannot send it
        with self.assertRaises(AccessError):
            order.with_user(self.user_fr).action_tms_ec_push_tracking()
        # the merchant fixes the token and sends the tracking again
        self.backend_shopify.shopify_token = self.shopify.token
        with trap_jobs() as trap:
            order.with_user(self.manager_ma).action_tms_ec_push_tracking()
            self.assertFalse(order.activity_ids)
            self.assertFalse(order.push_error)
            [job] = trap.enqueued_jobs
            self.assertEqual(run_job(job)[0], "done")
        [fulfillment] = self.shopify.fulfillments
        self.assertEqual(fulfillment["tracking_number"], parcel.tracking_number)
        self.assertEqual(order.state, "shipped")

    def test_nothing_to_send_again_without_parcels(self):
        order, _sale = self._shop_order(
            self.backend_shopify, self.shopify.add_order(cod=True)
        )
        with self.assertRaises(UserError):
            order.action_tms_ec_push_tracking()

    def test_cancelled_order_sends_nothing(self):
        order, sale = self._shop_order(
            self.backend_shopify, self.shopify.add_order(cod=True)
        )
        with trap_jobs() as trap:
            parcel = self._validate_delivery(sale).tms_parcel_ids
            [job] = trap.enqueued_jobs
            order._tms_ec_cancel()
            self.assertEqual(parcel.state, "cancelled")
            self.assertEqual(
                run_job(job), ("done", "The order is cancelled: nothing sent.")
            )
        self.assertEqual(self.shopify.fulfillments, [])
        with self.assertRaises(UserError):
            order.action_tms_ec_push_tracking()

    def test_parcel_flow_order_pushes_its_parcel(self):
        payload = self.shopify.add_order(cod=True)
        shop_order = self.backend_shopify._tms_ec_client().parse_order(payload)
        order = self.env["tms.ec.order"].create(
            {
                "name": shop_order.name,
                "backend_id": self.backend_shopify.id,
                "external_id": shop_order.external_id,
                "payment_status": "cod",
            }
        )
        with trap_jobs() as trap:
            parcel = self._create_parcel(state="confirmed", tms_ec_order_id=order.id)
            trap.perform_enqueued_jobs()
        self.assertEqual(
            self.shopify.fulfillments[0]["tracking_number"], parcel.tracking_number
        )
        self.assertTrue(parcel.tms_ec_tracking_pushed)

    def test_a_draft_parcel_is_sent_once_confirmed(self):
        order, sale = self._shop_order(
            self.backend_shopify, self.shopify.add_order(cod=True)
        )
        self.out_type.tms_parcel_mode = "manual"
        picking = sale.picking_ids
        picking.action_assign()
        with trap_jobs() as trap:
            picking.action_tms_create_parcels()
            parcel = picking.tms_parcel_ids
            self.assertEqual(parcel.state, "draft")
            self.assertFalse(trap.enqueued_jobs)
            parcel.action_confirm()
            [job] = trap.enqueued_jobs
            self.assertEqual(run_job(job)[0], "done")
        self.assertEqual(order.state, "shipped")
