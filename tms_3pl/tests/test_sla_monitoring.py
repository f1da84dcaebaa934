# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.tms_core.models.notification.tms_webhook import PARAM_ALLOW_PRIVATE
from odoo.addons.tms_core.tests.test_webhook_tools import LocalReceiver
from odoo.addons.tms_core.tools import webhook as wh

from .common import THURSDAY, Tms3plCommon


def _mar(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute)


@tagged("post_install", "-at_install")
class TestSlaMonitoring(Tms3plCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Template = cls.env["mail.template"]
        model = cls.env["ir.model"]._get("tms.parcel")
        rules = cls.env["tms.notification.rule"]
        for code in ("at_risk", "breached"):
            template = Template.create(
                {
                    "name": f"SLA {code}",
                    "model_id": model.id,
                    "subject": f"Parcel {{{{ object.tracking_number }}}} {code}",
                    "body_html": "<p>Your parcel is late.</p>",
                    "email_to": "{{ object.shipper_id.email }}",
                }
            )
            rules |= rules.create(
                {
                    "name": f"Client: SLA {code}",
                    "company_id": cls.company_ma.id,
                    "trigger_ids": [
                        Command.set(
                            cls.env.ref(
                                f"tms_3pl.tms_notification_trigger_sla_{code}"
                            ).ids
                        )
                    ],
                    "audience": "shipper",
                    "channel": "email",
                    "mail_template_id": template.id,
                }
            )
        cls.rule_at_risk, cls.rule_breached = rules

    def _run_cron(self, now):
        with freeze_time(now):
            return self.env["tms.parcel"]._cron_tms_sla_update()

    def _sla_activities(self, parcels):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "tms.parcel"),
                ("res_id", "in", parcels.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("tms_3pl.mail_activity_type_sla_alert").id,
                ),
            ]
        )

    def _logs(self, parcel, rule):
        return self.env["tms.notification.log"].search(
            [("parcel_id", "=", parcel.id), ("rule_id", "=", rule.id)]
        )

    def test_on_track_then_at_risk_then_breached(self):
        with freeze_time(THURSDAY):
            parcel = self._parcel()
        self._run_cron(_mar(23, 14))
        self.assertEqual(parcel.sla_state, "on_track")
        self.assertFalse(self._sla_activities(parcel))

        self._run_cron(_mar(23, 14, 15))
        self.assertEqual(parcel.sla_state, "at_risk")
        self.assertEqual(parcel.sla_risk_cause, "time")
        activity = self._sla_activities(parcel)
        self.assertEqual(activity.user_id, self.manager_ma)
        self.assertIn("SLA at risk", activity.summary)
        log = self._logs(parcel, self.rule_at_risk)
        self.assertEqual(log.address, "atlas@example.com")
        self.assertEqual(log.state, "sent")

        # a second run alerts nobody again
        self._run_cron(_mar(23, 14, 30))
        self.assertEqual(len(self._logs(parcel, self.rule_at_risk)), 1)

        self._run_cron(_mar(23, 17, 1))
        self.assertEqual(parcel.sla_state, "breached")
        activity = self._sla_activities(parcel)
        self.assertEqual(len(activity), 1, "the breach updates the at-risk activity")
        self.assertIn("SLA breached", activity.summary)
        self.assertEqual(len(self._logs(parcel, self.rule_breached)), 1)

    def test_webhooks_hear_of_a_breach(self):
        """A shop's webhook subscribed to SLA Breached gets a signed
        parcel.sla_breached, in the background; one for another shipper hears
        nothing."""
        self.env["ir.config_parameter"].sudo().set_param(PARAM_ALLOW_PRIVATE, "True")
        breached = self.env.ref("tms_3pl.tms_notification_trigger_sla_breached")
        other_shipper = self.env["res.partner"].create(
            {"name": "Souk Rif", "company_id": self.company_ma.id}
        )
        with freeze_time(THURSDAY):
            parcel = self._parcel(client_reference="SO-77")
        with LocalReceiver() as receiver:
            webhook, _other = self.env["tms.webhook"].create(
                [
                    {
                        "name": name,
                        "company_id": self.company_ma.id,
                        "url": receiver.url,
                        "shipper_id": shipper.id,
                        "trigger_ids": [Command.set(breached.ids)],
                    }
                    for name, shipper in (
                        ("Atlas shop", self.shipper_ma),
                        ("Rif shop", other_shipper),
                    )
                ]
            )
            with trap_jobs() as trap:
                self._run_cron(_mar(23, 14, 15))  # at risk: not subscribed
                trap.assert_jobs_count(0, only=webhook._tms_deliver)
                self._run_cron(_mar(23, 17, 1))
                trap.assert_jobs_count(1, only=webhook._tms_deliver)
                self.assertFalse(receiver.requests, "sent by the job, not the cron")
                trap.perform_enqueued_jobs()
            [request] = receiver.requests
        wh.verify(
            webhook.sudo().secret,
            request["body"],
            request["headers"]["X-TMS-Signature"],
        )
        payload = json.loads(request["body"])
        self.assertEqual(payload["type"], "parcel.sla_breached")
        self.assertEqual(payload["parcel"]["tracking_number"], parcel.tracking_number)
        self.assertEqual(payload["parcel"]["client_reference"], "SO-77")
        self.assertEqual(payload["parcel"]["sla"]["state"], "breached")
        self.assertEqual(payload["parcel"]["sla"]["due"], "2026-03-23T17:00:00Z")
        self.assertEqual(webhook.delivery_ids.mapped("state"), ["success"])
        self.assertEqual(webhook.delivery_ids.parcel_id, parcel)

    def test_paused_parcel_is_not_breached(self):
        with freeze_time(THURSDAY):
            parcel = self._parcel()
        with freeze_time(_mar(23, 9)):
            self._event(parcel, "at_hub", _mar(19, 12), hub_id=self.hub_cas.id)
            self._event(parcel, "out_for_delivery", _mar(23, 8, 30))
            self._event(
                parcel,
                "failed",
                _mar(23, 9),
                failure_reason_id=self.reason_absent.id,
            )
        self._run_cron(_mar(24, 10))
        self.assertTrue(parcel.sla_paused)
        self.assertEqual(parcel.sla_state, "on_track")
        # the clock stopped on Monday 09:00 with 8 working hours left
        self.assertEqual(parcel.sla_date_due, _mar(25, 9))
        self.assertFalse(self._sla_activities(parcel))

    def test_delivered_and_cancelled_parcels_are_left_alone(self):
        with freeze_time(THURSDAY):
            delivered = self._parcel()
            cancelled = self._parcel()
            self._event(delivered, "at_hub", THURSDAY, hub_id=self.hub_cas.id)
            self._event(delivered, "delivered", THURSDAY)
            self._event(cancelled, "cancelled", THURSDAY)
        self._run_cron(_mar(30, 9))
        self.assertEqual(delivered.sla_state, "met")
        self.assertFalse(cancelled.sla_state)
        self.assertFalse(self._sla_activities(delivered | cancelled))

    def test_missed_gates_in_the_job(self):
        self.policy.write({"pickup_gate_hours": 2, "hub_gate_hours": 4})
        with freeze_time(THURSDAY):
            late_pickup = self._parcel()
            late_hub = self._parcel()
            self._event(late_hub, "picked_up", THURSDAY)
        self._run_cron(_mar(19, 13, 30))
        self.assertEqual(late_pickup.sla_state, "at_risk")
        self.assertEqual(late_pickup.sla_risk_cause, "pickup")
        self.assertEqual(late_hub.sla_state, "on_track")
        self._run_cron(_mar(19, 15, 30))
        self.assertEqual(late_hub.sla_state, "at_risk")
        self.assertEqual(late_hub.sla_risk_cause, "hub")

    def test_monitoring_lists_parcels_at_risk_only(self):
        with freeze_time(THURSDAY):
            on_time = self._parcel(date_shipping=_mar(19, 15))
            late = self._parcel()
        self._run_cron(_mar(23, 15))
        action = self.env.ref("tms_3pl.tms_parcel_action_sla")
        self.assertIn("search_default_sla_at_risk", action.context)
        at_risk = self.env["tms.parcel"].search(
            [("sla_policy_id", "!=", False), ("sla_state", "=", "at_risk")]
        )
        self.assertIn(late, at_risk)
        self.assertNotIn(on_time, at_risk)
