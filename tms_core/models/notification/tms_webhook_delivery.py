# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json

from odoo import api, fields, models
from odoo.exceptions import UserError


class TmsWebhookDelivery(models.Model):
    """One attempt to deliver one event to one webhook: the log receivers and
    integrators look at when something did not arrive."""

    _name = "tms.webhook.delivery"
    _description = "Webhook Delivery Attempt"
    _order = "id desc"
    _rec_name = "event_uuid"

    webhook_id = fields.Many2one(
        "tms.webhook", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="webhook_id.company_id", store=True, index=True
    )
    parcel_id = fields.Many2one(
        "tms.parcel", readonly=True, index="btree_not_null", ondelete="set null"
    )
    event_uuid = fields.Char(
        string="Event ID",
        required=True,
        readonly=True,
        index=True,
        help="The X-TMS-Event-Id header: the same for every attempt of one event, so "
        "that receivers can ignore a repeat.",
    )
    event_type = fields.Char(required=True, readonly=True)
    payload = fields.Text(readonly=True, help="The JSON body, as sent and signed.")
    attempt = fields.Integer(readonly=True)
    state = fields.Selection(
        [
            ("success", "Delivered"),
            ("failed", "Failed"),
            ("skipped", "Held"),
        ],
        required=True,
        readonly=True,
        index=True,
        help="Held: not sent because the webhook was disabled after repeated failures; "
        "sent again with 'Re-send failed deliveries' once it is enabled.",
    )
    status_code = fields.Integer(string="HTTP Status", readonly=True)
    response_excerpt = fields.Text(string="Response", readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    error = fields.Text(readonly=True)
    is_test = fields.Boolean(readonly=True)

    @api.depends("event_type", "attempt")
    def _compute_display_name(self):
        for delivery in self:
            delivery.display_name = f"{delivery.event_type} #{delivery.attempt}"

    def action_resend(self):
        """Deliver these events again (a new series of attempts, same event ids)."""
        self.check_access("read")
        self.webhook_id.check_access("write")
        if self.webhook_id.filtered("auto_disabled"):
            raise UserError(
                self.env._("Enable the webhook again before re-sending its events.")
            )
        latest = {}
        for delivery in self.sorted("id"):
            latest[(delivery.webhook_id, delivery.event_uuid)] = delivery
        for (webhook, event_uuid), delivery in latest.items():
            webhook._tms_enqueue_delivery(
                event_uuid,
                delivery.event_type,
                json.loads(delivery.payload),
                delivery.parcel_id.id,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s event(s) will be delivered again in the background.",
                    count=len(latest),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
