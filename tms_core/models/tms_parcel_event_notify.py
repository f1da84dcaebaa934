# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Notification hooks of parcels and their tracking events: recording events enqueues
one background job per batch when the company has a matching rule or webhook; the job
sends the emails and SMS and enqueues the webhook deliveries."""

import uuid
from collections import defaultdict

import pytz

from odoo import api, fields, models, tools
from odoo.tools.misc import format_date

from .tms_notification_trigger import TRIGGER_CREATED


def _iso(value):
    """A UTC datetime as ISO 8601 with a Z, or None."""
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


class TmsParcelEvent(models.Model):
    _inherit = "tms.parcel.event"

    def _apply_to_parcels(self, events):
        # Hooked here rather than after _record(): ``events`` are exactly the events
        # this call recorded and applied; _record() also returns the events first
        # recorded with a resent idempotency key, which must not notify twice.
        result = super()._apply_to_parcels(events)
        self._tms_enqueue_notifications(events)
        return result

    @api.model
    @tools.ormcache("company_id")
    def _tms_notification_subscriptions(self, company_id):
        """What the company's active rules and webhooks react to, cached (cleared when
        a rule or a webhook changes): ``{trigger code: (rule ids, ((webhook id,
        shipper id or False), ...))}``."""
        # sudo: a cache shared by every user of the company; only ids are kept.
        rules = (
            self.env["tms.notification.rule"]
            .sudo()
            .with_context(active_test=True)
            .search([("company_id", "=", company_id)])
        )
        webhooks = (
            self.env["tms.webhook"]
            .sudo()
            .with_context(active_test=True)
            .search([("company_id", "=", company_id)])
        )
        subscriptions = defaultdict(lambda: ([], []))
        for rule in rules:
            for code in rule.trigger_ids.mapped("code"):
                subscriptions[code][0].append(rule.id)
        for webhook in webhooks:
            for code in webhook.trigger_ids.mapped("code"):
                subscriptions[code][1].append((webhook.id, webhook.shipper_id.id))
        return tools.frozendict(
            {
                code: (tuple(rule_ids), tuple(webhook_specs))
                for code, (rule_ids, webhook_specs) in subscriptions.items()
            }
        )

    def _tms_enqueue_notifications(self, events):
        """Enqueue one job for the events of ``events`` that a rule or a webhook of
        their company reacts to; nothing at all (not even a query, once the company's
        subscriptions are cached) when none does."""
        Trigger = self.env["tms.notification.trigger"]
        subscriptions = {}
        matched = []
        for event in events:
            company_id = event.company_id.id
            if company_id not in subscriptions:
                subscriptions[company_id] = self._tms_notification_subscriptions(
                    company_id
                )
            if not subscriptions[company_id]:
                continue
            rule_ids, webhook_specs = subscriptions[company_id].get(
                Trigger._tms_event_code(event), ((), ())
            )
            if rule_ids or any(
                not shipper_id or shipper_id == event.parcel_id.shipper_id.id
                for _webhook_id, shipper_id in webhook_specs
            ):
                matched.append(event.id)
        if matched:
            self.browse(matched).with_delay(
                description=self.env._(
                    "Notifications of %(count)s tracking event(s)", count=len(matched)
                )
            )._tms_notify()

    def _tms_notify(self):
        """Job: send the emails and SMS the rules ask for these events, and enqueue
        one delivery job per webhook and event. Everything it does stays in its
        transaction until it ends (emails and SMS are queued, not sent), so a failed
        run retried later sends nothing twice."""
        # sudo: notifications are the company's work, run as the user whose scan
        # recorded the events (a driver may not read rules, templates or webhooks);
        # the events were checked when they were recorded.
        events = self.sudo().exists().sorted(lambda e: (e.event_date, e.id))
        if not events:
            return "No events."
        Trigger = self.env["tms.notification.trigger"]
        company_ids = events.company_id.ids
        rules = (
            self.env["tms.notification.rule"]
            .sudo()
            .search([("company_id", "in", company_ids)])
        )
        webhooks = (
            self.env["tms.webhook"].sudo().search([("company_id", "in", company_ids)])
        )
        rule_codes = {rule: set(rule.trigger_ids.mapped("code")) for rule in rules}
        webhook_codes = {
            hook: set(hook.trigger_ids.mapped("code")) for hook in webhooks
        }
        log_vals, deliveries = [], []
        for event in events:
            code = Trigger._tms_event_code(event)
            parcel = event.parcel_id
            for rule, codes in rule_codes.items():
                if rule.company_id == event.company_id and code in codes:
                    log_vals.append(parcel._tms_notification_log_vals(rule, event))
            for webhook, codes in webhook_codes.items():
                if (
                    webhook.company_id == event.company_id
                    and code in codes
                    and (
                        not webhook.shipper_id
                        or webhook.shipper_id == parcel.shipper_id
                    )
                ):
                    deliveries.append((webhook, event))
        logs = self.env["tms.notification.log"].sudo().create(log_vals)
        logs._tms_send()
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        for webhook, event in deliveries:
            payload = event._tms_webhook_payload(db_uuid)
            webhook._tms_enqueue_delivery(
                payload["id"], payload["type"], payload, event.parcel_id.id
            )
        return (
            f"{len(logs)} notification(s), {len(deliveries)} webhook delivery(ies) "
            "enqueued."
        )

    def _tms_webhook_payload(self, db_uuid=None):
        """The documented JSON payload of the event (readme/NOTIFICATIONS.md): no
        personal data, the same for every attempt and every webhook."""
        self.ensure_one()
        parcel = self.parcel_id
        namespace = uuid.UUID(db_uuid) if db_uuid else uuid.NAMESPACE_URL
        code = self.env["tms.notification.trigger"]._tms_event_code(self)
        return {
            "id": f"evt_{uuid.uuid5(namespace, f'tms.parcel.event/{self.id}').hex}",
            "type": "parcel.created"
            if code == TRIGGER_CREATED
            else "parcel.state_changed",
            "occurred_at": _iso(self.record_date),
            "api_version": 1,
            "parcel": {
                "tracking_number": parcel.tracking_number,
                "client_reference": parcel.client_reference or None,
                "state": self.state,
                "previous_state": self.previous_state or None,
                "hub": {"code": self.hub_id.code, "name": self.hub_id.name}
                if self.hub_id
                else None,
                "event_time": _iso(self.event_date),
                "date_promised": _iso(parcel.date_promised),
                "failure_reason": self.failure_reason_id.code or None,
                "tracking_url": parcel._tms_public_tracking_url(),
            },
        }


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
