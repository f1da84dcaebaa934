# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL

WEBHOOK_DEDUPE_INDEX = "tms_ec_webhook_event_webhook_uniq"


class TmsEcWebhookEvent(models.Model):
    """One webhook request received from a shop, accepted or not."""

    _name = "tms.ec.webhook.event"
    _description = "Shop Webhook Event"
    _order = "id desc"
    _rec_name = "webhook_id"

    backend_id = fields.Many2one(
        "tms.ec.backend",
        string="Shop",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    webhook_id = fields.Char(
        string="Webhook ID",
        readonly=True,
        help="The shop's id of this delivery (X-Shopify-Webhook-Id, "
        "X-WC-Webhook-Delivery-ID): the same when the shop sends it again.",
    )
    topic = fields.Char(readonly=True)
    date_received = fields.Datetime(
        string="Received", default=fields.Datetime.now, required=True, readonly=True
    )
    state = fields.Selection(
        [
            ("done", "Processed"),
            ("rejected", "Rejected"),
            ("duplicate", "Duplicate"),
            ("failed", "Failed"),
        ],
        required=True,
        readonly=True,
        index=True,
        help="Rejected: bad or missing signature, nothing was read. Duplicate: this "
        "delivery was already processed. Failed: unreadable payload.",
    )
    reason = fields.Text(readonly=True)
    ec_order_id = fields.Many2one(
        "tms.ec.order",
        string="Shop Order",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    external_id = fields.Char(string="Shop Order ID", readonly=True)

    def init(self):
        # A delivery is processed once: unique among the processed events only, so
        # that rejected attempts and replays can be logged too.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON tms_ec_webhook_event "
                "(backend_id, webhook_id) "
                "WHERE state = 'done' AND webhook_id IS NOT NULL",
                SQL.identifier(WEBHOOK_DEDUPE_INDEX),
            )
        )
