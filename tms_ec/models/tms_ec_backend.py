# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
import json
import logging
import math
from datetime import datetime, time, timedelta, timezone
from urllib.parse import parse_qs

import psycopg2

from odoo import SUPERUSER_ID, api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError

from ..tools import shopify as shopify_tools
from ..tools import woocommerce as woo_tools
from ..tools.shop_base import (
    ShopError,
    ShopPayloadError,
    ShopRateLimited,
    verify_signature,
)
from .tms_ec_order import parse_shop_datetime
from .tms_ec_webhook_event import WEBHOOK_DEDUPE_INDEX

_logger = logging.getLogger(__name__)

# Orders asked for per page: each page is imported in one job.
SYNC_PAGE_SIZE = 50
# Each sync asks again for the last minute before the previous sync's newest change:
# orders changed in the same second are not lost (already imported ones are skipped).
SYNC_OVERLAP = timedelta(minutes=1)
# A sync page job is tried this many times (transient shop errors, 429s).
SYNC_MAX_RETRIES = 12
# States of a queue job that will still run.
JOB_ALIVE_STATES = ("wait_dependencies", "pending", "enqueued", "started")
WEBHOOK_PATH = "/tms_ec/webhook/{shop_type}/{backend_id}"
# Topics that carry an order to create, update or cancel.
SHOPIFY_ORDER_TOPICS = ("orders/create", "orders/paid", "orders/updated")
SHOPIFY_CANCEL_TOPICS = ("orders/cancelled",)
WOO_ORDER_TOPICS = ("order.created", "order.updated")


class TmsEcBackend(models.Model):
    _name = "tms.ec.backend"
    _description = "Shop Backend"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    shop_type = fields.Selection(
        [("shopify", "Shopify"), ("woocommerce", "WooCommerce")],
        required=True,
        default="shopify",
        tracking=True,
    )
    # Shopify
    shopify_domain = fields.Char(
        string="Shop Domain",
        help="The shop's myshopify.com domain, e.g. atlas-shop.myshopify.com.",
    )
    shopify_token = fields.Char(
        string="Admin API Access Token", groups="tms_core.group_tms_manager"
    )
    shopify_api_version = fields.Char(string="API Version", default="2024-07")
    # WooCommerce
    woo_url = fields.Char(
        string="Site URL",
        help="The WordPress site's URL, e.g. https://shop.example.ma.",
    )
    woo_consumer_key = fields.Char(
        string="Consumer Key", groups="tms_core.group_tms_manager"
    )
    woo_consumer_secret = fields.Char(
        string="Consumer Secret", groups="tms_core.group_tms_manager"
    )
    # both
    webhook_secret = fields.Char(
        groups="tms_core.group_tms_manager",
        help="Shopify: the app's client secret; WooCommerce: the secret set on the "
        "webhooks. Inbound webhooks whose signature does not match are rejected.",
    )
    webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_webhook_url",
        help="Paste it in the shop's webhook settings (see the topics below).",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", check_company=True, help="Warehouse the orders ship from."
    )
    service_id = fields.Many2one("tms.service", string="Parcel Service")
    shipper_id = fields.Many2one(
        "res.partner",
        string="Shipper",
        check_company=True,
        help="Who ships the orders (the merchant); the company when empty.",
    )
    order_flow = fields.Selection(
        [
            ("sale_order", "Sale order and delivery"),
            ("parcel", "Parcel directly (no stock)"),
        ],
        required=True,
        default="sale_order",
        help="Sale order and delivery: each order becomes a confirmed sale order whose "
        "delivery creates the parcels. Parcel directly: each order becomes a parcel "
        "at once, without sale order nor stock.",
    )
    default_weight = fields.Float(
        string="Default Weight (kg)",
        default=1.0,
        help="Parcel weight when the order's products have none.",
    )
    cod_gateways = fields.Char(
        string="Cash-on-Delivery Gateways",
        default="cash_on_delivery,cod,Cash on Delivery (COD)",
        help="Comma-separated payment gateway names (Shopify) or methods "
        "(WooCommerce) meaning cash on delivery: such unpaid orders are imported "
        "with their total as the amount to collect.",
    )
    last_sync_date = fields.Datetime(
        readonly=True, copy=False, help="Orders changed since then are imported next."
    )
    sync_cursor = fields.Char(
        readonly=True,
        copy=False,
        help="Where an interrupted import resumes (the next page).",
    )
    sync_error = fields.Text(
        string="Last Sync Error",
        readonly=True,
        copy=False,
        help="Why the last sync failed (bad credentials, missing scopes); cleared by "
        "the next successful sync.",
    )
    run_ids = fields.One2many("tms.ec.sync.run", "backend_id", string="Sync Runs")
    last_run_id = fields.Many2one(
        "tms.ec.sync.run", string="Last Sync", compute="_compute_counts"
    )
    last_run_state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Done"),
            ("partial", "Done with Errors"),
            ("failed", "Failed"),
        ],
        string="Last Result",
        compute="_compute_counts",
    )
    order_count = fields.Integer(compute="_compute_counts")
    run_count = fields.Integer(compute="_compute_counts")
    webhook_event_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        (
            "default_weight_positive",
            "CHECK(default_weight >= 0)",
            "The default weight cannot be negative.",
        ),
    ]

    # ----------------------------------------------------------------------------------
    # computes
    # ----------------------------------------------------------------------------------
    @api.depends("shop_type")
    def _compute_webhook_url(self):
        for backend in self:
            if not backend.id:
                backend.webhook_url = False
                continue
            backend.webhook_url = backend.get_base_url() + WEBHOOK_PATH.format(
                shop_type=backend.shop_type, backend_id=backend.id
            )

    def _compute_counts(self):
        def count(model, extra=None):
            return {
                backend.id: (total, last_id)
                for backend, total, last_id in self.env[model]._read_group(
                    [("backend_id", "in", self.ids)] + (extra or []),
                    ["backend_id"],
                    ["__count", "id:max"],
                )
            }

        orders = count("tms.ec.order")
        runs = count("tms.ec.sync.run")
        syncs = count("tms.ec.sync.run", [("trigger", "!=", "webhook")])
        events = count("tms.ec.webhook.event")
        Run = self.env["tms.ec.sync.run"]
        for backend in self:
            backend.order_count = orders.get(backend.id, (0, 0))[0]
            backend.run_count = runs.get(backend.id, (0, 0))[0]
            backend.webhook_event_count = events.get(backend.id, (0, 0))[0]
            backend.last_run_id = Run.browse(syncs.get(backend.id, (0, False))[1])
            backend.last_run_state = backend.last_run_id.state

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_test_connection(self):
        """Ask the shop for one order: the credentials, the scopes and the address
        are right when it answers."""
        self.ensure_one()
        self.check_access("write")
        try:
            page = self._tms_ec_client().fetch_orders(limit=1)
        except ShopError as error:
            return self._tms_ec_notification(
                self.env._("Connection to %(shop)s failed", shop=self.name),
                error.message,
                "danger",
            )
        return self._tms_ec_notification(
            self.env._("Connected to %(shop)s", shop=self.name),
            self.env._(
                "The shop answered: %(count)s order(s) on the first page.",
                count=len(page.orders),
            ),
            "success",
        )

    def action_import_now(self):
        """Start a sync in the background (the shop is never called during the
        click)."""
        self.check_access("write")
        runs = self._tms_ec_start_sync("manual")
        if not runs:
            return self._tms_ec_notification(
                self.env._("Import already running"),
                self.env._(
                    "A sync of this shop is still running: its orders will appear in "
                    "a moment."
                ),
                "warning",
            )
        return self._tms_ec_notification(
            self.env._("Import started"),
            self.env._(
                "The orders are imported in the background; see Sync Runs for the "
                "result."
            ),
            "info",
        )

    def action_view_orders(self):
        return self._tms_ec_open("tms_ec.tms_ec_order_action")

    def action_view_runs(self):
        return self._tms_ec_open("tms_ec.tms_ec_sync_run_action")

    def action_view_webhook_events(self):
        return self._tms_ec_open("tms_ec.tms_ec_webhook_event_action")

    def _tms_ec_open(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("backend_id", "=", self.id)]
        action["context"] = {"default_backend_id": self.id}
        return action

    def _tms_ec_notification(self, title, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind,
                "title": title,
                "message": message,
                "sticky": kind == "danger",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ----------------------------------------------------------------------------------
    # shop client
    # ----------------------------------------------------------------------------------
    def _tms_ec_client(self):
        """The ``tools`` client of this shop (``ShopifyClient`` or
        ``WooCommerceClient``), built from its settings. Raises ``ShopError`` when
        a setting is missing."""
        self.ensure_one()
        # sudo: the credentials are hidden from all but TMS managers; the client is
        # built for a call decided by the caller (a manager's button, a job).
        backend = self.sudo()
        gateways = tuple(
            gateway.strip()
            for gateway in (backend.cod_gateways or "").split(",")
            if gateway.strip()
        )
        if backend.shop_type == "shopify":
            return shopify_tools.ShopifyClient(
                backend.shopify_domain,
                backend.shopify_token,
                api_version=backend.shopify_api_version or shopify_tools.API_VERSION,
                cod_gateways=gateways,
            )
        return woo_tools.WooCommerceClient(
            backend.woo_url,
            backend.woo_consumer_key,
            backend.woo_consumer_secret,
            cod_methods=gateways,
        )

    # ----------------------------------------------------------------------------------
    # sync
    # ----------------------------------------------------------------------------------
    @api.model
    def _cron_tms_ec_sync(self):
        """Every 15 minutes: a sync of each active shop of every company."""
        # sudo: the scheduler syncs the shops of every company
        self.sudo().search([])._tms_ec_start_sync("cron")

    def _tms_ec_start_sync(self, trigger):
        """Start a sync run of each backend (but those whose run is still going)
        and enqueue its first page; return the new runs."""
        busy = self._tms_ec_busy_backends()
        backends = self.filtered(lambda b: b.active and b not in busy)
        if not backends:
            return self.env["tms.ec.sync.run"]
        # sudo: runs are the system's log, written for whoever starts the sync
        runs = (
            self.env["tms.ec.sync.run"]
            .sudo()
            .create(
                [
                    {
                        "backend_id": backend.id,
                        "trigger": trigger,
                        "since": backend.last_sync_date - SYNC_OVERLAP
                        if backend.last_sync_date
                        else False,
                    }
                    for backend in backends
                ]
            )
        )
        for backend, run in zip(backends, runs, strict=True):
            backend._tms_ec_enqueue_page(run)
        return runs

    def _tms_ec_busy_backends(self):
        """The backends of ``self`` with a sync whose job will still run; runs whose
        job ended without closing them (failed after its retries, cancelled) are
        closed as failed."""
        Run = self.env["tms.ec.sync.run"].sudo()
        running = Run.search(
            [
                ("backend_id", "in", self.ids),
                ("state", "=", "running"),
                ("trigger", "!=", "webhook"),
            ]
        )
        if not running:
            return self.browse()
        jobs = {
            job.uuid: job
            for job in self.env["queue.job"]
            .sudo()
            .search([("uuid", "in", [r.job_uuid for r in running if r.job_uuid])])
        }
        busy = self.browse()
        for run in running:
            job = jobs.get(run.job_uuid)
            if job and job.state in JOB_ALIVE_STATES:
                busy |= run.backend_id
                continue
            run._tms_ec_close(
                error=self.env._(
                    "Interrupted: the import job ended without finishing (%(state)s). "
                    "%(error)s The next sync resumes where it stopped.",
                    state=job.state if job else self.env._("not found"),
                    error=(job.exc_message or "") if job else "",
                )
            )
        return busy

    def _tms_ec_enqueue_page(self, run):
        self.ensure_one()
        job = self.with_delay(
            max_retries=SYNC_MAX_RETRIES,
            description=self.env._(
                "Shop %(shop)s: import orders (page %(page)s)",
                shop=self.name,
                page=run.page_count + 1,
            ),
        )._tms_ec_sync_page(run)
        # sudo: see _tms_ec_start_sync()
        run.sudo().job_uuid = job.uuid
        return job

    def _tms_ec_sync_page(self, run):
        """Job: import the next page of the run, remember where the next one starts,
        and enqueue it; after the last page, move the backend's sync date to the
        newest change seen. A crash leaves the cursor of the page to do: the retry
        (or the next run) resumes there.

        Rate limits and transient shop errors are retried by queue_job; bad
        credentials fail the run at once, with the shop's message on the backend."""
        self.ensure_one()
        # sudo: the sync is the system's work for the backend's company, whoever
        # triggered it (the scheduler, a manager's button): it creates customers,
        # sale orders and parcels the triggering user may not have rights on.
        backend = self.sudo().with_company(self.company_id)
        run = run.sudo().with_company(self.company_id)
        if run.state != "running":
            return "The run is already closed."
        if not backend.active:
            run._tms_ec_close(error=self.env._("The shop was archived."))
            return "The shop was archived."
        since = run.since.replace(tzinfo=timezone.utc) if run.since else None
        try:
            client = backend._tms_ec_client()
            page = client.fetch_orders(
                since=since, cursor=backend.sync_cursor or None, limit=SYNC_PAGE_SIZE
            )
            bad = []
        except ShopRateLimited as error:
            raise RetryableJobError(
                error.message, seconds=max(1, math.ceil(error.retry_after or 1))
            ) from error
        except ShopPayloadError as error:
            # Some orders of the page cannot be read: import the others when the
            # client says which (log the bad ones), else fail the run.
            page = getattr(error, "page", None)
            if page is None:
                backend._tms_ec_sync_failed(run, error.message)
                return error.message
            bad = getattr(error, "bad", None) or [(None, error.message)]
        except ShopError as error:
            if error.transient:
                raise RetryableJobError(error.message) from error
            backend._tms_ec_sync_failed(run, error.message)
            return error.message
        logs = self.env["tms.ec.order"].sudo()._tms_ec_import(backend, page.orders, run)
        if bad:
            self.env["tms.ec.sync.log"].sudo().create(
                [
                    {
                        "run_id": run.id,
                        "backend_id": backend.id,
                        "external_id": str(ref) if ref else False,
                        "order_name": str(ref) if ref else False,
                        "result": "error",
                        "reason": message,
                    }
                    for ref, message in bad
                ]
            )
        newest = _newest_updated_at(
            [run.newest_updated_at] + [order.updated_at for order in page.orders]
        )
        run.write({"page_count": run.page_count + 1, "newest_updated_at": newest})
        if page.next_cursor:
            backend.sync_cursor = page.next_cursor
            backend._tms_ec_enqueue_page(run)
            return f"Page {run.page_count}: {len(logs)} order(s); next page enqueued."
        vals = {"sync_cursor": False, "sync_error": False}
        if newest:
            vals["last_sync_date"] = parse_shop_datetime(newest)
        backend.write(vals)
        run._tms_ec_close()
        return f"Page {run.page_count}: {len(logs)} order(s); sync done."

    def _tms_ec_sync_failed(self, run, message):
        """A sync that retrying will not fix (credentials, scopes, address): fail the
        run and say why on the backend."""
        self.ensure_one()
        run._tms_ec_close(error=message)
        self.sync_error = message
        self.message_post(
            body=self.env._(
                "The order sync failed: %(error)s Fix the shop's settings, then "
                "click Import Orders Now.",
                error=message,
            )
        )

    def _tms_ec_on_sync_page_failed(self, exc_message=None, **_failure):
        """queue_job's on_fail_method: a page job failed for good (its last retry,
        or an unexpected error). The run is failed; the stored cursor stays, so the
        next sync resumes at that page."""
        # sudo: called by the job runner, as the user who started the sync
        runs = (
            self.env["tms.ec.sync.run"]
            .sudo()
            .search(
                [
                    ("backend_id", "in", self.ids),
                    ("state", "=", "running"),
                    ("trigger", "!=", "webhook"),
                ]
            )
        )
        for run in runs:
            run.backend_id._tms_ec_sync_failed(
                run, exc_message or self.env._("The import job failed.")
            )

    # ----------------------------------------------------------------------------------
    # webhooks
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_ec_receive_webhook(self, shop_type, backend_id, raw_body, headers):
        """Handle one webhook request of a shop; return ``(HTTP status, JSON body)``.

        The signature is checked on the raw body first: nothing else is read or
        changed before it matches (rejected requests are only logged). A delivery
        already processed (same webhook id) is answered ``duplicate`` and changes
        nothing."""
        headers = {str(key).lower(): value for key, value in dict(headers).items()}
        tools = shopify_tools if shop_type == "shopify" else woo_tools
        # sudo: the request is anonymous; the backend is read to find its secret,
        # nothing else happens before the signature matches.
        backend = self.sudo().browse(backend_id).exists()
        if not backend or not backend.active or backend.shop_type != shop_type:
            return 404, {"error": "unknown_shop", "message": "No such shop."}
        topic = headers.get(tools.TOPIC_HEADER.lower()) or ""
        signature = headers.get(tools.SIGNATURE_HEADER.lower())
        if shop_type == "shopify":
            webhook_id = headers.get(shopify_tools.WEBHOOK_ID_HEADER.lower())
        else:
            webhook_id = headers.get(woo_tools.DELIVERY_ID_HEADER.lower())
            if webhook_id:
                # WooCommerce's delivery id hashes the webhook id and the current
                # second: two changes of an order within one second share it. A
                # redelivery resends the same body, so the body's digest tells them
                # apart exactly.
                digest = hashlib.sha256(raw_body or b"").hexdigest()[:16]
                webhook_id = f"{webhook_id}:{digest}"
        if shop_type == "woocommerce" and not topic and _is_woo_ping(raw_body):
            # WooCommerce checks the URL when the webhook is saved: an unsigned
            # form post of the webhook id, which changes nothing here.
            backend._tms_ec_log_webhook(
                False, "ping", "done", self.env._("Webhook URL check (ping).")
            )
            return 200, {"result": "ping"}
        if not verify_signature(backend.webhook_secret, raw_body, signature):
            backend._tms_ec_log_webhook(
                webhook_id,
                topic,
                "rejected",
                self.env._("Missing signature.")
                if not signature
                else self.env._(
                    "Bad signature: the body was changed or the secret differs."
                ),
            )
            return 401, {
                "error": "invalid_signature",
                "message": "Missing or invalid signature.",
            }
        # The signature matches: the request comes from the shop. Its order is
        # imported as the system (OdooBot), not as the anonymous public user.
        return backend.with_user(SUPERUSER_ID)._tms_ec_process_webhook(
            topic, webhook_id, raw_body
        )

    def _tms_ec_process_webhook(self, topic, webhook_id, raw_body):
        """A signed webhook: import, update or cancel its order (local work only)."""
        self.ensure_one()
        backend = self.with_company(self.company_id)
        Event = self.env["tms.ec.webhook.event"]
        if webhook_id and Event.search_count(
            [
                ("backend_id", "=", backend.id),
                ("webhook_id", "=", webhook_id),
                ("state", "=", "done"),
            ],
            limit=1,
        ):
            backend._tms_ec_log_webhook(
                webhook_id,
                topic,
                "duplicate",
                self.env._("Already processed: the shop sent it again."),
            )
            return 200, {"result": "duplicate"}
        if self.shop_type == "shopify":
            handled = SHOPIFY_ORDER_TOPICS + SHOPIFY_CANCEL_TOPICS
        else:
            handled = WOO_ORDER_TOPICS
        try:
            payload = json.loads(raw_body)
        except (ValueError, UnicodeDecodeError):
            payload = None
        if not isinstance(payload, dict):
            backend._tms_ec_log_webhook(
                webhook_id,
                topic,
                "failed",
                self.env._("The body is not a JSON object."),
            )
            return 400, {"error": "bad_payload", "message": "Malformed JSON body."}
        if topic not in handled:
            backend._tms_ec_log_webhook(
                webhook_id,
                topic,
                "done",
                self.env._("Topic %(topic)s is not used.", topic=topic or "-"),
            )
            return 200, {"result": "ignored"}
        try:
            shop_order = backend._tms_ec_client().parse_order(payload)
        except ShopError as error:
            backend._tms_ec_log_webhook(webhook_id, topic, "failed", error.message)
            return 400, {"error": "bad_payload", "message": error.message}
        try:
            with self.env.cr.savepoint():
                # first the event: its unique index makes a concurrent copy of this
                # delivery fail here, before its order is touched
                event = Event.create(
                    {
                        "backend_id": backend.id,
                        "webhook_id": webhook_id or False,
                        "topic": topic,
                        "state": "done",
                        "external_id": shop_order.external_id,
                    }
                )
                run = backend._tms_ec_webhook_run()
                log = self.env["tms.ec.order"]._tms_ec_import(
                    backend, [shop_order], run
                )
                event.write({"ec_order_id": log.ec_order_id.id, "reason": log.reason})
                # written as the system: flushed as the system too, not later in
                # the request's environment (the anonymous user may not read them)
                self.env.flush_all()
        except psycopg2.IntegrityError as error:
            if error.diag.constraint_name != WEBHOOK_DEDUPE_INDEX:
                raise
            backend._tms_ec_log_webhook(
                webhook_id,
                topic,
                "duplicate",
                self.env._("Already processed: the shop sent it again."),
            )
            return 200, {"result": "duplicate"}
        return 200, {"result": log.result, "order": shop_order.name}

    def _tms_ec_log_webhook(self, webhook_id, topic, state, reason):
        self.ensure_one()
        return self.env["tms.ec.webhook.event"].create(
            {
                "backend_id": self.id,
                "webhook_id": webhook_id or False,
                "topic": topic or False,
                "state": state,
                "reason": reason,
            }
        )

    def _tms_ec_webhook_run(self):
        """The run the day's webhooks of the backend are logged in."""
        self.ensure_one()
        Run = self.env["tms.ec.sync.run"]
        today = datetime.combine(fields.Date.today(), time.min)
        run = Run.search(
            [
                ("backend_id", "=", self.id),
                ("trigger", "=", "webhook"),
                ("date_start", ">=", today),
            ],
            order="id desc",
            limit=1,
        )
        return run or Run.create(
            {"backend_id": self.id, "trigger": "webhook", "state": "done"}
        )


def _newest_updated_at(values):
    """The latest of ISO 8601 dates (as given, the shop's text), or None."""
    dated = [
        (parse_shop_datetime(value), value)
        for value in values
        if value and parse_shop_datetime(value)
    ]
    return max(dated)[1] if dated else None


def _is_woo_ping(raw_body):
    """WooCommerce's check of a new webhook's URL: ``webhook_id=<id>``, form
    encoded."""
    try:
        form = parse_qs(raw_body.decode(), strict_parsing=True)
    except (ValueError, UnicodeDecodeError):
        return False
    return set(form) == {"webhook_id"}
