# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import common as odoo_test_common
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.tms_core.tests.common import TmsCommon

from ..models import tms_ec_backend as backend_module
from ..models.tms_ec_order import parse_shop_datetime
from ..tools import shopify as shopify_tools
from .shop_servers.shopify_server import PRODUCTS as SHOPIFY_PRODUCTS
from .shop_servers.shopify_server import ShopifyTestServer
from .shop_servers.woocommerce_server import PRODUCTS as WOO_PRODUCTS
from .shop_servers.woocommerce_server import WooCommerceTestServer

# queue_job's test helpers register themselves in odoo.tests.common.SETATTR_SOURCES,
# which Odoo 18.0 builds before its introduction lack.
if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}
from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402


class EcCommon(TmsCommon):
    """A Moroccan carrier whose merchant sells the test shops' products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test shops' customers share her phone number, not her e-mail: they
        # are other people
        cls.recipient_ma.email = "fatima@example.com"
        cls.manager_ma = cls._create_tms_user(
            "ec_manager_ma", cls.company_ma, "group_tms_manager"
        )
        cls.warehouse_ma = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_ma.id)], limit=1
        )
        catalogue = {sku: (name, price) for _id, sku, name, price in WOO_PRODUCTS}
        for sku, name, _variant, price, *_ids in SHOPIFY_PRODUCTS:
            catalogue.setdefault(sku, (name, price))
        cls.products = cls.env["product.product"].create(
            [
                {
                    "name": name,
                    "default_code": sku,
                    "type": "consu",
                    "list_price": float(price),
                    "weight": 0.4,
                    "company_id": cls.company_ma.id,
                }
                for sku, (name, price) in catalogue.items()
            ]
        )
        cls.product_by_sku = {p.default_code: p for p in cls.products}

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's test harness compares the timeout with a number: the clients'
        # (connect, read) pair becomes its longest part
        if isinstance(kw.get("timeout"), tuple):
            kw["timeout"] = max(kw["timeout"])
        return super()._request_handler(s, r, **kw)

    def _woo_backend(self, server, **vals):
        values = {
            "name": "Boutique Atlas",
            "company_id": self.company_ma.id,
            "shop_type": "woocommerce",
            "woo_url": server.url,
            "woo_consumer_key": server.consumer_key,
            "woo_consumer_secret": server.consumer_secret,
            "webhook_secret": server.webhook_secret,
            "warehouse_id": self.warehouse_ma.id,
            "service_id": self.service_std.id,
            "shipper_id": self.shipper_ma.id,
            "order_flow": "sale_order",
            "cod_gateways": "cod",
        }
        values.update(vals)
        return self.env["tms.ec.backend"].create(values)

    def _shopify_backend(self, server, **vals):
        values = {
            "name": "Dar Moda",
            "company_id": self.company_ma.id,
            "shop_type": "shopify",
            "shopify_domain": server.url,
            "shopify_token": server.token,
            "webhook_secret": server.webhook_secret,
            "warehouse_id": self.warehouse_ma.id,
            "service_id": self.service_std.id,
            "shipper_id": self.shipper_ma.id,
            "order_flow": "parcel",
        }
        values.update(vals)
        return self.env["tms.ec.backend"].create(values)

    def _orders(self, backend):
        return self.env["tms.ec.order"].search(
            [("backend_id", "=", backend.id)], order="id"
        )

    @contextmanager
    def _page_size(self, size):
        with patch.object(backend_module, "SYNC_PAGE_SIZE", size):
            yield

    def _sync_jobs(self, trap):
        """The trapped sync jobs (not the tracking pushes the new parcels cause)."""
        return [
            job for job in trap.enqueued_jobs if job.method_name == "_tms_ec_sync_page"
        ]

    def _next_sync_job(self, trap):
        job = self._sync_jobs(trap)[0]
        trap.enqueued_jobs.remove(job)
        return job

    def _run_all_jobs(self, trap, limit=20):
        """Run the trapped sync jobs, and those they enqueue, as the job runner
        would; return how many ran."""
        count = 0
        while self._sync_jobs(trap):
            self.assertLess(count, limit, "the sync does not end")
            self._next_sync_job(trap).perform()
            count += 1
        return count

    def _sync(self, backend, trigger="manual"):
        """A whole sync run; return (run, number of page jobs)."""
        with trap_jobs() as trap:
            runs = backend._tms_ec_start_sync(trigger)
            jobs = self._run_all_jobs(trap)
        return runs, jobs


@tagged("post_install", "-at_install")
class TestEcSync(EcCommon):
    def setUp(self):
        super().setUp()
        self.woo = self.enterContext(WooCommerceTestServer())

    def test_manual_sync_imports_three_pages_as_confirmed_sale_orders(self):
        shop_orders = self.woo.add_orders(5)
        backend = self._woo_backend(self.woo)
        with self._page_size(2), trap_jobs() as trap:
            action = backend.with_user(self.manager_ma).action_import_now()
            # the click only enqueues: the shop is not called during the request
            self.assertEqual(self.woo.requests, [])
            self.assertEqual(action["params"]["type"], "info")
            trap.assert_jobs_count(1, only=backend._tms_ec_sync_page)
            trap.assert_jobs_count(1)
            self.assertEqual(self._run_all_jobs(trap), 3)
        run = backend.run_ids
        self.assertEqual(run.state, "done")
        self.assertEqual(run.trigger, "manual")
        self.assertEqual(run.page_count, 3)
        self.assertEqual(run.imported_count, 5)
        self.assertEqual(len(run.log_ids), 5)
        orders = self._orders(backend)
        self.assertEqual(
            orders.mapped("external_id"), [str(o["id"]) for o in shop_orders]
        )
        self.assertEqual(backend.order_count, 5)
        for payload, order in zip(shop_orders, orders, strict=True):
            sale = order.sale_order_id
            self.assertEqual(sale.state, "sale")
            self.assertEqual(sale.company_id, self.company_ma)
            self.assertEqual(sale.warehouse_id, self.warehouse_ma)
            self.assertEqual(sale.client_order_ref, f"#{payload['id']}")
            self.assertEqual(sale.origin, f"Boutique Atlas #{payload['id']}")
            self.assertTrue(sale.picking_ids, "the delivery exists once confirmed")
            product_lines = sale.order_line.filtered(lambda line: line.product_id)
            self.assertEqual(
                sorted(
                    (line.product_id.default_code, line.product_uom_qty)
                    for line in product_lines
                ),
                sorted(
                    (item["sku"], float(item["quantity"]))
                    for item in payload["line_items"]
                ),
            )
            for item in payload["line_items"]:
                line = product_lines.filtered(
                    lambda line, sku=item["sku"]: line.product_id.default_code == sku
                )
                paid = (Decimal(item["total"]) + Decimal(item["total_tax"])) / item[
                    "quantity"
                ]
                self.assertAlmostEqual(line.price_unit, float(paid), places=2)
                self.assertFalse(line.tax_id)
            # cash on delivery: the amount to collect is the order's total
            self.assertEqual(order.payment_status, "cod")
            self.assertEqual(order.cod_amount, float(payload["total"]))
            note = sale.order_line.filtered(lambda line: line.display_type)
            self.assertIn(payload["total"], note.name)
            customer = order.partner_id
            self.assertEqual(sale.partner_id, customer)
            self.assertEqual(customer.email, payload["billing"]["email"])
            self.assertEqual(customer.company_id, self.company_ma)
            self.assertEqual(sale.partner_shipping_id.city, payload["shipping"]["city"])
            self.assertTrue(customer.phone.startswith("+212"), customer.phone)
        self.assertEqual(
            backend.last_sync_date,
            max(parse_shop_datetime(o.shop_updated_at) for o in orders),
        )
        self.assertFalse(backend.sync_cursor)
        self.assertEqual(backend.last_run_id, run)
        # the next sync asks for changes only, and skips what it already has
        requests = len(self.woo.requests)
        run2, _jobs = self._sync(backend)
        self.assertIn("modified_after", self.woo.requests[requests]["query"])
        self.assertEqual(len(self._orders(backend)), 5)
        self.assertFalse(run2.log_ids.filtered(lambda log: log.result != "skipped"))

    def test_cron_imports_parcels_directly(self):
        shop_orders = self.woo.add_orders(3)
        backend = self._woo_backend(self.woo, order_flow="parcel", default_weight=1.2)
        self._woo_backend(self.woo, name="Archived shop", active=False)
        with trap_jobs() as trap:
            self.env["tms.ec.backend"]._cron_tms_ec_sync()
            # one job for each active shop (the database's own shops aside)
            jobs = [
                job
                for job in trap.enqueued_jobs
                if job.recordset.company_id == self.company_ma
            ]
            self.assertEqual([job.recordset for job in jobs], [backend])
            trap.enqueued_jobs[:] = jobs
            self._run_all_jobs(trap)
        self.assertEqual(backend.run_ids.trigger, "cron")
        orders = self._orders(backend)
        self.assertEqual(len(orders), 3)
        for payload, order in zip(shop_orders, orders, strict=True):
            parcel = order.parcel_ids
            self.assertEqual(len(parcel), 1)
            self.assertFalse(order.sale_order_id)
            self.assertTrue(parcel.tracking_number)
            self.assertEqual(parcel.state, "confirmed")
            self.assertEqual(parcel.cod_amount, float(payload["total"]))
            self.assertEqual(parcel.client_reference, order.name)
            self.assertEqual(parcel.shipper_id, self.shipper_ma)
            self.assertEqual(parcel.service_id, self.service_std)
            self.assertEqual(parcel.recipient_city, payload["shipping"]["city"])
            self.assertEqual(parcel.recipient_zip, payload["shipping"]["postcode"])
            self.assertEqual(parcel.recipient_country_id, self.morocco)
            self.assertTrue(parcel.recipient_phone.startswith("+212"))
            self.assertEqual(
                sorted(parcel.line_ids.mapped("sku")),
                sorted(item["sku"] for item in payload["line_items"]),
            )
            # the shop gives no weights: the backend's default weight
            self.assertAlmostEqual(parcel.weight, 1.2)

    def test_resume_after_a_failure_in_the_middle(self):
        self.woo.add_orders(5)
        backend = self._woo_backend(self.woo)
        with self._page_size(2), trap_jobs() as trap:
            backend._tms_ec_start_sync("manual")
            self._next_sync_job(trap).perform()  # page 1
            self.assertEqual(len(self._orders(backend)), 2)
            self.assertEqual(backend.sync_cursor, "2")
            # page 2: the shop fails twice (server error), then answers
            self.woo.fail_next(status=503, count=2)
            job = self._next_sync_job(trap)
            for _attempt in range(2):
                with self.assertRaises(RetryableJobError):
                    job.perform()
            self.assertEqual(len(self._orders(backend)), 2)
            self.assertEqual(backend.sync_cursor, "2")
            job.perform()
            self._run_all_jobs(trap)
        self.assertEqual(len(self._orders(backend)), 5)
        self.assertEqual(backend.run_ids.state, "done")
        self.assertEqual(len(backend.run_ids.log_ids), 5)

    def test_next_run_resumes_a_run_that_failed_for_good(self):
        self.woo.add_orders(5)
        backend = self._woo_backend(self.woo)
        with self._page_size(2), trap_jobs() as trap:
            first = backend._tms_ec_start_sync("cron")
            self._next_sync_job(trap).perform()
            # page 2's job fails for good (queue_job's on_fail_method)
            self._next_sync_job(trap)
            backend._tms_ec_on_sync_page_failed(exc_message="Max. retries reached")
            self.assertEqual(first.state, "failed")
            self.assertIn("Max. retries", backend.sync_error)
            second = backend._tms_ec_start_sync("cron")
            self._run_all_jobs(trap)
        self.assertEqual(second.state, "done")
        self.assertEqual(second.page_count, 2, "it resumed at page 2")
        orders = self._orders(backend)
        self.assertEqual(len(orders), 5)
        self.assertEqual(len(set(orders.mapped("external_id"))), 5)
        self.assertEqual(len(orders.sale_order_id), 5)
        self.assertFalse(backend.sync_error)

    def test_one_sync_at_a_time_and_dead_runs_are_closed(self):
        backend = self._woo_backend(self.woo)
        manager_backend = backend.with_user(self.manager_ma)
        self.assertEqual(manager_backend.action_import_now()["params"]["type"], "info")
        # the job waits in the queue: a second click starts nothing
        self.assertEqual(
            manager_backend.action_import_now()["params"]["type"], "warning"
        )
        run = backend.run_ids
        self.assertEqual(len(run), 1)
        job = self.env["queue.job"].search([("uuid", "=", run.job_uuid)])
        self.assertEqual(job.state, "pending")
        self.assertEqual(job.channel, "root.tms.shop_sync")
        # its job died (cancelled by hand): the next sync closes the run, starts anew
        job.state = "cancelled"
        self.assertEqual(manager_backend.action_import_now()["params"]["type"], "info")
        self.assertEqual(run.state, "failed")
        self.assertIn("Interrupted", run.error)
        self.assertEqual(len(backend.run_ids), 2)

    def test_old_logs_and_webhook_events_are_forgotten(self):
        backend = self._woo_backend(self.woo)
        Run = self.env["tms.ec.sync.run"]
        old_run, new_run = Run.create(
            [
                {"backend_id": backend.id, "trigger": "cron", "state": "done"},
                {"backend_id": backend.id, "trigger": "cron", "state": "done"},
            ]
        )
        old_event, new_event = self.env["tms.ec.webhook.event"].create(
            [
                {"backend_id": backend.id, "state": "rejected"},
                {"backend_id": backend.id, "state": "rejected"},
            ]
        )
        old_date = fields.Datetime.now() - timedelta(days=91)
        old_run.date_start = old_date
        old_event.date_received = old_date
        Run._cron_tms_ec_gc()
        self.assertFalse(old_run.exists())
        self.assertFalse(old_event.exists())
        self.assertTrue(new_run.exists())
        self.assertTrue(new_event.exists())

    def test_rate_limit_is_retried_after_the_delay_asked(self):
        self.woo.add_orders(2)
        backend = self._woo_backend(self.woo)
        self.woo.fail_next(status=429, retry_after=7)
        with trap_jobs() as trap:
            backend._tms_ec_start_sync("cron")
            job = self._next_sync_job(trap)
            with self.assertRaises(RetryableJobError) as caught:
                job.perform()
            self.assertEqual(caught.exception.seconds, 7)
            self.assertFalse(self._orders(backend))
            job.perform()
        self.assertEqual(len(self._orders(backend)), 2)
        self.assertEqual(backend.run_ids.state, "done")

    def test_bad_credentials_fail_the_run_visibly(self):
        self.woo.add_orders(1)
        backend = self._woo_backend(self.woo, woo_consumer_secret="cs_wrong")
        with trap_jobs() as trap:
            run = backend._tms_ec_start_sync("cron")
            job = self._sync_jobs(trap)[0]
            self._run_all_jobs(trap)  # no retry: it does not raise
        self.assertEqual(job.retry, 1)
        self.assertEqual(run.state, "failed")
        self.assertIn("401", run.error + backend.sync_error)
        self.assertEqual(backend.sync_error, run.error)
        self.assertEqual(backend.last_run_state, "failed")
        self.assertIn("sync failed", backend.message_ids[0].body)
        self.assertFalse(self._orders(backend))
        # the test button says so at once
        action = backend.action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        backend.woo_consumer_secret = self.woo.consumer_secret
        self.assertEqual(backend.action_test_connection()["params"]["type"], "success")

    def test_pending_and_unknown_sku_orders_are_skipped_with_the_reason(self):
        pending = self.woo.add_order(status="pending", payment_method="stripe")
        unknown = self.woo.add_order()
        paid = self.woo.add_order(payment_method="stripe")
        sku = unknown["line_items"][0]["sku"]
        # a SKU with no product (here: another product took its place)
        self.product_by_sku[sku].default_code = f"{sku}-OLD"
        if any(item["sku"] == sku for item in paid["line_items"]):
            paid = self.woo.add_order(
                payment_method="stripe",
                line_items=[
                    item for item in unknown["line_items"] if item["sku"] != sku
                ]
                or [self.woo._line_item(WOO_PRODUCTS[0], 1)],
            )
        backend = self._woo_backend(self.woo)
        run, _jobs = self._sync(backend)
        logs = {log.external_id: log for log in run.log_ids}
        self.assertEqual(logs[str(pending["id"])].result, "skipped")
        self.assertIn("pending", logs[str(pending["id"])].reason)
        self.assertEqual(logs[str(unknown["id"])].result, "skipped")
        self.assertIn(f"Unknown SKU {sku}", logs[str(unknown["id"])].reason)
        self.assertEqual(logs[str(paid["id"])].result, "imported")
        orders = self._orders(backend)
        self.assertEqual(orders.mapped("external_id"), [str(paid["id"])])
        self.assertEqual(orders.payment_status, "paid")
        self.assertEqual(orders.cod_amount, 0)
        self.assertFalse(
            self.env["sale.order"].search(
                [
                    ("company_id", "=", self.company_ma.id),
                    (
                        "client_order_ref",
                        "in",
                        [f"#{unknown['id']}", f"#{pending['id']}"],
                    ),
                ]
            )
        )
        self.assertEqual(run.state, "done")
        self.assertEqual(run.skipped_count, len(run.log_ids) - 1)

    def test_customers_matched_by_email_and_bad_phones_imported_with_a_warning(self):
        known = self.env["res.partner"].create(
            {
                "name": "Youssef El Amrani",
                "email": "youssef.elamrani@example.com",
                "street": "1 Avenue Hassan II",
                "city": "Rabat",
                "country_id": self.morocco.id,
                "company_id": self.company_ma.id,
            }
        )
        first = self.woo.add_order(
            billing={"email": "Youssef.ElAmrani@example.com", "phone": "0611223344"},
            shipping={"city": "Agadir", "postcode": "80000", "phone": "0611223344"},
        )
        second = self.woo.add_order(
            billing={"email": "nadia@example.com", "phone": "12"},
            shipping={"phone": "12"},
        )
        known_by_phone = self.env["res.partner"].create(
            {
                "name": "Karim Lahlou",
                "mobile": "0677 00 11 22",
                "country_id": self.morocco.id,
                "company_id": self.company_ma.id,
            }
        )
        third = self.woo.add_order(
            billing={"email": "karim@example.com", "phone": "+212677001122"},
            shipping={"phone": "+212677001122"},
        )
        # another company's contact with this e-mail is not this company's customer
        self.env["res.partner"].create(
            {
                "name": "Nadia",
                "email": "nadia@example.com",
                "company_id": self.company_fr.id,
            }
        )
        backend = self._woo_backend(self.woo)
        run, _jobs = self._sync(backend)
        order_1, order_2, order_3 = self._orders(backend)
        self.assertEqual(order_3.external_id, str(third["id"]))
        self.assertEqual(order_3.partner_id, known_by_phone)
        self.assertEqual(order_2.external_id, str(second["id"]))
        self.assertEqual(order_2.partner_id.company_id, self.company_ma)
        self.assertEqual(order_1.external_id, str(first["id"]))
        self.assertEqual(order_1.partner_id, known)
        # shipped elsewhere: a delivery address under the known customer
        self.assertEqual(order_1.partner_shipping_id.parent_id, known)
        self.assertEqual(order_1.partner_shipping_id.type, "delivery")
        self.assertEqual(order_1.sale_order_id.partner_shipping_id.city, "Agadir")
        log_2 = run.log_ids.filtered(lambda log: log.ec_order_id == order_2)
        self.assertEqual(log_2.result, "imported")
        self.assertIn("The phone number 12 is not valid for Morocco.", log_2.reason)
        self.assertEqual(order_2.partner_id.email, "nadia@example.com")
        self.assertEqual(order_2.partner_id.phone, "12")

    def test_shop_cancellation_cancels_what_is_not_shipped(self):
        sold = self.woo.add_orders(2)
        backend = self._woo_backend(self.woo)
        self._sync(backend)
        parcel_orders = self.woo.add_orders(2)
        backend.order_flow = "parcel"
        self._sync(backend)
        orders = self._orders(backend)
        sale_order = orders[0].sale_order_id
        kept_sale_order = orders[1].sale_order_id
        waiting, shipped = orders[2].parcel_ids, orders[3].parcel_ids
        shipped._set_state("picked_up", source="scan")
        for payload in (sold[0], *parcel_orders):
            self.woo.cancel_order(payload["id"])
        run, _jobs = self._sync(backend)
        self.assertEqual(sale_order.state, "cancel")
        self.assertEqual(sale_order.picking_ids.mapped("state"), ["cancel"])
        self.assertEqual(kept_sale_order.state, "sale")
        self.assertEqual(waiting.state, "cancelled")
        self.assertEqual(shipped.state, "picked_up")
        self.assertEqual(
            orders.mapped("state"), ["cancelled", "imported", "cancelled", "cancelled"]
        )
        logs = {log.ec_order_id: log for log in run.log_ids}
        self.assertEqual(logs[orders[0]].result, "cancelled")
        self.assertIn(sale_order.name, logs[orders[0]].reason)
        self.assertIn(waiting.tracking_number, logs[orders[2]].reason)
        self.assertIn("NOT cancelled", logs[orders[3]].reason)
        self.assertIn(shipped.tracking_number, logs[orders[3]].reason)
        self.assertEqual(run.cancelled_count, 3)
        # cancelled again (the shop sends it again): nothing more happens
        self.woo.cancel_order(parcel_orders[0]["id"])
        run, _jobs = self._sync(backend)
        self.assertEqual(set(run.log_ids.mapped("result")), {"skipped"})

    def test_an_order_imported_meanwhile_is_logged_as_duplicate(self):
        payload = self.woo.add_order()
        backend = self._woo_backend(self.woo)
        client = backend._tms_ec_client()
        shop_order = client.parse_order(payload)
        self._sync(backend)
        other = client.parse_order(self.woo.add_order())
        Order = self.env["tms.ec.order"]
        # as if a webhook had committed it after this page's search: the unique
        # constraint stops the second copy, the rest of the batch goes in
        results = Order._tms_ec_create_orders(backend, [shop_order, other])
        self.assertEqual(results[0]["result"], "skipped")
        self.assertIn("Duplicate", results[0]["reason"])
        self.assertEqual(results[1]["result"], "imported")
        self.assertEqual(len(self._orders(backend)), 2)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [
                    ("company_id", "=", self.company_ma.id),
                    ("client_order_ref", "=", shop_order.name),
                ]
            ),
            1,
        )

    def test_other_company_cannot_see_the_shop_nor_its_orders(self):
        self.woo.add_orders(1)
        backend = self._woo_backend(self.woo)
        run, _jobs = self._sync(backend)
        order = self._orders(backend)
        for record in (backend, order, run, run.log_ids):
            with self.assertRaises(AccessError):
                record.with_user(self.user_fr).read(["display_name"])
        self.assertFalse(
            self.env["tms.ec.order"].with_user(self.user_fr).search_count([])
        )
        # the company's operator reads them, but not the shop's credentials
        self.assertEqual(
            order.with_user(self.user_ma).read(["name"])[0]["name"], order.name
        )
        with self.assertRaises(AccessError):
            backend.with_user(self.user_ma).read(["woo_consumer_secret"])
        with self.assertRaises(AccessError):
            backend.with_user(self.user_ma).action_import_now()


@tagged("post_install", "-at_install")
class TestEcShopifySync(EcCommon):
    def setUp(self):
        super().setUp()
        # the client remembers spent call budgets per shop, process-wide
        self.enterContext(patch.dict(shopify_tools._THROTTLED_UNTIL, clear=True))
        self.shopify = self.enterContext(ShopifyTestServer())

    def test_three_pages_of_parcels_through_a_rate_limit(self):
        shop_orders = self.shopify.add_orders(5, cod=True)
        backend = self._shopify_backend(self.shopify)
        with self._page_size(2), trap_jobs() as trap:
            run = backend._tms_ec_start_sync("cron")
            self._next_sync_job(trap).perform()
            self.shopify.fail_next(429, retry_after=3)
            job = self._next_sync_job(trap)
            with self.assertRaises(RetryableJobError) as caught:
                job.perform()
            self.assertEqual(caught.exception.seconds, 3)
            self.assertEqual(len(self._orders(backend)), 2)
            job.perform()
            self._run_all_jobs(trap)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.page_count, 3)
        self.assertEqual(run.imported_count, 5)
        orders = self._orders(backend)
        self.assertEqual(orders.mapped("name"), [o["name"] for o in shop_orders])
        for payload, order in zip(shop_orders, orders, strict=True):
            parcel = order.parcel_ids
            self.assertRegex(parcel.tracking_number, r"^[A-Z]{2}\d{9}[A-Z]{2}$")
            self.assertEqual(parcel.cod_amount, float(payload["total_price"]))
            self.assertEqual(order.cod_amount, float(payload["total_price"]))
            grams = sum(i["grams"] * i["quantity"] for i in payload["line_items"])
            self.assertAlmostEqual(parcel.weight, grams / 1000, places=3)
            self.assertEqual(
                parcel.recipient_name,
                " ".join(
                    filter(
                        None,
                        (
                            payload["shipping_address"]["first_name"],
                            payload["shipping_address"]["last_name"],
                        ),
                    )
                ),
            )
        self.assertEqual(
            backend.last_sync_date, parse_shop_datetime(shop_orders[-1]["updated_at"])
        )

    def test_a_refused_token_fails_the_run_without_retry(self):
        self.shopify.add_orders(1)
        backend = self._shopify_backend(self.shopify, shopify_token="shpat_revoked")
        run, jobs = self._sync(backend)
        self.assertEqual(jobs, 1)
        self.assertEqual(run.state, "failed")
        self.assertIn("401", backend.sync_error)
        self.assertIn("access token", backend.sync_error)
        self.assertFalse(self._orders(backend))
