# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Notification hook of tracking events: applying events enqueues one background job
per batch when the company has a matching rule or webhook; the job sends the emails and
SMS and enqueues the webhook deliveries. The parcel's side (recipients, message
values, counters) is in ``tms_parcel.py`` beside this file."""

import uuid
from collections import defaultdict

from odoo import api, models, tools

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
