# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Notification side of parcels: who is told (email, phone), the values of a message,
and the counters and buttons of the parcel form."""

import pytz

from odoo import api, fields, models
from odoo.tools.misc import format_date


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    notification_log_ids = fields.One2many(
        "tms.notification.log", "parcel_id", string="Notifications", readonly=True
    )
    notification_count = fields.Integer(
        compute="_compute_notification_count", groups="tms_core.group_tms_user"
    )
    webhook_delivery_count = fields.Integer(
        compute="_compute_webhook_delivery_count", groups="tms_core.group_tms_manager"
    )

    def _compute_notification_count(self):
        counts = dict(
            self.env["tms.notification.log"]._read_group(
                [("parcel_id", "in", self.ids)], ["parcel_id"], ["__count"]
            )
        )
        for parcel in self:
            parcel.notification_count = counts.get(parcel, 0)

    def _compute_webhook_delivery_count(self):
        counts = dict(
            self.env["tms.webhook.delivery"]._read_group(
                [("parcel_id", "in", self.ids)], ["parcel_id"], ["__count"]
            )
        )
        for parcel in self:
            parcel.webhook_delivery_count = counts.get(parcel, 0)

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_view_notifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_notification_log_action"
        )
        action["domain"] = [("parcel_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_webhook_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_webhook_delivery_action"
        )
        action["domain"] = [("parcel_id", "=", self.id)]
        action["context"] = {}
        return action

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    @api.model
    def _phone_get_number_fields(self):
        # SMS go to the number written on the parcel (E.164), not to a contact's.
        return ["recipient_phone"]

    @api.model
    def _phone_get_country_field(self):
        return "recipient_country_id"

    def _tms_notification_target(self, audience):
        """``{partner, email, phone, lang}`` of whom a rule notifies: the recipient as
        written on the parcel, or the shipper contact. ``phone`` is E.164, False when
        there is no valid number."""
        self.ensure_one()
        company_lang = self.company_id.partner_id.lang
        if audience == "shipper":
            partner = self.shipper_id
            number = partner.mobile or partner.phone
            phone = False
            if number and self._tms_phone_is_valid(number, partner.country_id):
                phone = self._tms_format_phone(number, partner.country_id)
            return {
                "partner": partner,
                "email": partner.email or False,
                "phone": phone,
                "lang": partner.lang or company_lang,
            }
        partner = self.recipient_id
        return {
            "partner": partner,
            "email": self.recipient_email or False,
            "phone": self.recipient_phone
            if self.recipient_phone and not self.recipient_phone_invalid
            else False,
            "lang": partner.lang or company_lang,
        }

    def _tms_notification_log_vals(self, rule, event):
        """The notification log values of ``rule`` for ``event`` of this parcel; a
        log "not sent" when the contact has no address for the channel."""
        self.ensure_one()
        return self.env["tms.notification.log"]._tms_prepare_log_vals(
            rule,
            self._tms_notification_target(rule.audience),
            {
                "company_id": self.company_id.id,
                "parcel_id": self.id,
                "event_id": event.id,
            },
        )

    def _tms_notification_state_label(self):
        """For templates: the state the notified event moved the parcel to, in the
        rendering language (the parcel may have moved on when the job runs)."""
        self.ensure_one()
        state = self.env.context.get("tms_notification_state") or self.state
        labels = dict(self._fields["state"]._description_selection(self.env))
        return labels.get(state, state)

    def _tms_notification_promised_date(self):
        """For templates: the promised delivery date in the company's time zone and the
        rendering language; empty when there is none."""
        self.ensure_one()
        if not self.date_promised:
            return ""
        tz_name = (
            self.company_id.partner_id.tz
            or self.company_id.resource_calendar_id.tz
            or "UTC"
        )
        local = pytz.utc.localize(self.date_promised).astimezone(pytz.timezone(tz_name))
        return format_date(self.env, local.date(), date_format="medium")

    def _tms_anonymize(self):
        self.check_access("write")
        result = super()._tms_anonymize()
        # sudo: notification logs are written by the system only; the right to erase
        # the parcels' data was just checked. The addresses are the recipient's data.
        self.env["tms.notification.log"].sudo().search(
            [("parcel_id", "in", self.ids), ("audience", "=", "recipient")]
        ).write({"address": False, "partner_id": False, "response_excerpt": False})
        return result
