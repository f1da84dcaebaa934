# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import common as odoo_test_common
from odoo.tests import tagged

from odoo.addons.tms_core.models.notification.tms_parcel_event import TmsParcelEvent
from odoo.addons.tms_core.tests.common import TmsCommon

# queue_job's test helpers register themselves in odoo.tests.common.SETATTR_SOURCES,
# which Odoo 18.0 builds before its introduction lack.
if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}
from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402


class NotificationCommon(TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["tms.parcel.event"]
        cls.Rule = cls.env["tms.notification.rule"]
        cls.recipient_ma.email = "fatima@example.com"
        cls.shipper_ma.write({"email": "atlas@example.com", "mobile": "0661234567"})
        cls.manager_ma = cls._create_tms_user(
            "manager_ma", cls.company_ma, "group_tms_manager"
        )
        cls.manager_fr = cls._create_tms_user(
            "manager_fr", cls.company_fr, "group_tms_manager"
        )
        cls.driver_ma = cls._create_tms_user(
            "driver_ma", cls.company_ma, "group_tms_driver"
        )
        cls.mail_status = cls.env.ref("tms_core.tms_mail_template_parcel_status")
        cls.sms_status = cls.env.ref("tms_core.tms_sms_template_parcel_status")

    @classmethod
    def _trigger(cls, code):
        return cls.env.ref(f"tms_core.tms_notification_trigger_{code}")

    def _rule(self, codes=("confirmed",), company=None, **vals):
        values = {
            "name": "Test rule",
            "company_id": (company or self.company_ma).id,
            "trigger_ids": [Command.set([self._trigger(c).id for c in codes])],
            "audience": "recipient",
            "channel": "email",
            "mail_template_id": self.mail_status.id,
        }
        values.update(vals)
        return self.Rule.create(values)

    def _notify(self, func):
        """Run ``func``, then the notification jobs it enqueued, as the job runner
        would; return the jobs."""
        with trap_jobs() as trap:
            func()
            jobs = list(trap.enqueued_jobs)
            trap.perform_enqueued_jobs()
        return jobs


@tagged("post_install", "-at_install")
class TestNotificationHook(NotificationCommon):
    """Recording events enqueues one job per batch, and only when a rule matches."""

    def _query_count(self, func):
        self.env.flush_all()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_no_matching_rule_costs_nothing(self):
        # a rule of another company and a rule for another state match nothing here
        self._rule(company=self.company_fr)
        self._rule(codes=("delivered",))
        warm, baseline, hooked = (
            self._create_parcel() | self._create_parcel() for _i in range(3)
        )
        jobs_before = self.env["queue.job"].search_count([])
        with trap_jobs() as trap:
            warm.action_confirm()
            with patch.object(
                TmsParcelEvent, "_tms_enqueue_notifications", lambda self, events: None
            ):
                without_hook = self._query_count(baseline.action_confirm)
            with_hook = self._query_count(hooked.action_confirm)
            trap.assert_jobs_count(0)
        self.assertEqual(with_hook, without_hook)
        self.assertEqual(hooked.mapped("state"), ["confirmed", "confirmed"])
        self.assertEqual(self.env["queue.job"].search_count([]), jobs_before)

    def test_one_job_per_batch(self):
        self._rule(codes=("created", "confirmed"))
        with trap_jobs() as trap:
            parcels = self.env["tms.parcel"].create(
                [
                    {
                        "company_id": self.company_ma.id,
                        "recipient_id": self.recipient_ma.id,
                        "service_id": self.service_std.id,
                    }
                    for _i in range(3)
                ]
            )
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(parcels.event_ids._tms_notify)
            parcels.action_confirm()
            trap.assert_jobs_count(2)
            confirmed = parcels.event_ids.filtered(lambda e: e.state == "confirmed")
            self.assertEqual(len(confirmed), 3)
            trap.assert_enqueued_job(confirmed._tms_notify)
            # nothing was sent in the user's transaction
            self.assertFalse(parcels.notification_log_ids)

    def test_rules_are_cached_and_refreshed(self):
        parcel, other = self._create_parcel(), self._create_parcel()
        with trap_jobs() as trap:
            parcel.action_confirm()
            trap.assert_jobs_count(0)
            rule = self._rule(codes=("picked_up",))
            parcel._set_state("picked_up")
            trap.assert_jobs_count(1)
            rule.active = False
            other.action_confirm()
            other._set_state("picked_up")
            trap.assert_jobs_count(1)

    def test_repeated_and_late_events_do_not_notify_again(self):
        self._rule(codes=("picked_up", "at_hub"))
        parcel = self._create_parcel()
        parcel.action_confirm()
        vals = {"parcel_id": parcel.id, "state": "picked_up", "idempotency_key": "k1"}
        with trap_jobs() as trap:
            first = self.Event._record([vals])
            trap.assert_jobs_count(1)
            again = self.Event._record([vals])
            self.assertEqual(again, first)
            trap.assert_jobs_count(1)
            # a late scan (dated before the last event) is kept but does not move the
            # parcel, nor notify
            late = self.Event._record(
                [
                    {
                        "parcel_id": parcel.id,
                        "state": "at_hub",
                        "event_date": fields.Datetime.now() - timedelta(days=1),
                    }
                ]
            )
            self.assertFalse(late.is_applied)
            trap.assert_jobs_count(1)

    def test_job_of_a_driver_scan(self):
        """The job runs as the driver who scanned, who may not read rules, templates
        or the notification log: it still sends."""
        self._rule(codes=("picked_up",))
        parcel = self._create_parcel(driver_id=self.driver_ma.id)
        parcel.action_confirm()
        jobs = self._notify(
            lambda: self.Event.with_user(self.driver_ma)._record(
                [{"parcel_id": parcel.id, "state": "picked_up", "source": "scan"}]
            )
        )
        self.assertEqual(jobs[0].user_id, self.driver_ma.id)
        self.assertEqual(parcel.notification_log_ids.state, "sent")
        with self.assertRaises(AccessError):
            self.env["tms.notification.log"].with_user(self.driver_ma).search([])


@tagged("post_install", "-at_install")
class TestNotificationSending(NotificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.recipient_ma.lang = "fr_FR"
        cls.shipper_ma.lang = "en_US"
        cls.mail_status.with_context(lang="fr_FR").write(
            {
                "subject": "Colis {{ object.tracking_number }} : "
                "{{ object._tms_notification_state_label() }}"
            }
        )
        cls.sms_status.with_context(lang="fr_FR").body = (
            "Colis {{ object.tracking_number }} : "
            "{{ object._tms_notification_state_label() }}. "
            "Suivi : {{ object._tms_public_tracking_url() }}"
        )
        selection = cls.env["ir.model.fields.selection"].search(
            [
                ("field_id.model", "=", "tms.parcel"),
                ("field_id.name", "=", "state"),
                ("value", "=", "confirmed"),
            ]
        )
        selection.with_context(lang="fr_FR").name = "En attente d'enlèvement"

    def test_email_in_each_contact_language(self):
        self._rule()
        self._rule(audience="shipper")
        parcel = self._create_parcel()
        self._notify(parcel.action_confirm)
        logs = parcel.notification_log_ids
        self.assertEqual(logs.mapped("state"), ["sent", "sent"])
        to_recipient = logs.filtered(lambda log: log.audience == "recipient")
        to_shipper = logs - to_recipient
        number = parcel.tracking_number
        self.assertEqual(to_recipient.address, "fatima@example.com")
        self.assertEqual(to_recipient.lang, "fr_FR")
        self.assertEqual(
            to_recipient.subject, f"Colis {number} : En attente d'enlèvement"
        )
        self.assertEqual(to_shipper.address, "atlas@example.com")
        self.assertEqual(to_shipper.subject, f"Parcel {number}: Awaiting Pickup")
        mail = to_recipient.mail_id
        self.assertEqual(mail.email_to, "fatima@example.com")
        self.assertFalse(mail.recipient_ids)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn(parcel._tms_public_tracking_url(), mail.body_html)
        self.assertIn(number, mail.body_html)
        # the recipient does not follow the parcel, and the chatter says what was sent
        self.assertNotIn(self.recipient_ma, parcel.message_partner_ids)
        notes = parcel.message_ids.mapped("body")
        self.assertTrue(any("fatima@example.com" in (body or "") for body in notes))

    def test_state_of_the_event_not_of_the_parcel(self):
        """The parcel moved on before the job ran: each message tells its event's
        state."""
        self._rule(codes=("confirmed", "picked_up"), audience="shipper")
        parcel = self._create_parcel()
        with trap_jobs() as trap:
            parcel.action_confirm()
            parcel._set_state("picked_up")
            trap.perform_enqueued_jobs()
        subjects = sorted(parcel.notification_log_ids.mapped("subject"))
        number = parcel.tracking_number
        self.assertEqual(
            subjects,
            [f"Parcel {number}: Awaiting Pickup", f"Parcel {number}: Picked Up"],
        )

    def test_sms_through_odoo(self):
        self._rule(channel="sms", sms_template_id=self.sms_status.id)
        parcel = self._create_parcel()
        self.assertEqual(parcel.recipient_phone, "+212612345678")
        self._notify(parcel.action_confirm)
        log = parcel.notification_log_ids
        self.assertEqual(log.state, "sent")
        self.assertEqual(log.address, "+212612345678")
        self.assertEqual(
            log.body,
            f"Colis {parcel.tracking_number} : En attente d'enlèvement. "
            f"Suivi : {parcel._tms_public_tracking_url()}",
        )
        sms = self.env["sms.sms"].sudo().search([("number", "=", "+212612345678")])
        self.assertEqual(sms.state, "outgoing")  # queued, sent by Odoo's SMS cron
        self.assertEqual(sms.body, log.body)
        self.assertIn("sms", parcel.message_ids.mapped("message_type"))

    def test_nothing_to_send_to_is_visible(self):
        self._rule()
        self._rule(channel="sms", sms_template_id=self.sms_status.id)
        parcel = self._create_parcel()
        parcel.write({"recipient_email": False, "recipient_phone": "12"})
        self._notify(parcel.action_confirm)
        logs = parcel.notification_log_ids
        self.assertEqual(logs.mapped("state"), ["skipped", "skipped"])
        self.assertEqual(
            sorted(logs.mapped("error")),
            ["No email address.", "No valid mobile number."],
        )

    def test_a_broken_template_fails_alone(self):
        broken = self.mail_status.copy({"subject": "{{ object.no_such_field }}"})
        self._rule(mail_template_id=broken.id)
        self._rule(audience="shipper")
        parcel = self._create_parcel()
        self._notify(parcel.action_confirm)
        logs = parcel.notification_log_ids
        failed = logs.filtered(lambda log: log.state == "failed")
        self.assertEqual(failed.rule_id.mail_template_id, broken)
        self.assertTrue(failed.error)
        self.assertEqual((logs - failed).state, "sent")

    def test_anonymisation_erases_addresses(self):
        self._rule()
        parcel = self._create_parcel()
        self._notify(parcel.action_confirm)
        parcel._tms_anonymize()
        self.assertFalse(parcel.notification_log_ids.address)
        self.assertFalse(parcel.notification_log_ids.partner_id)


@tagged("post_install", "-at_install")
class TestNotificationAccess(NotificationCommon):
    def test_rule_templates_must_fit(self):
        with self.assertRaises(ValidationError):
            self._rule(mail_template_id=False)
        with self.assertRaises(ValidationError):
            self._rule(channel="sms", sms_template_id=False)
        partner_template = self.env["mail.template"].create(
            {"name": "Partner", "model_id": self.env.ref("base.model_res_partner").id}
        )
        with self.assertRaises(ValidationError):
            self._rule(mail_template_id=partner_template.id)

    def test_who_sees_rules_and_logs(self):
        rule = self._rule()
        parcel = self._create_parcel()
        self._notify(parcel.action_confirm)
        log = parcel.notification_log_ids
        # operators read their company's rules and logs, but change no rule
        self.assertEqual(self.Rule.with_user(self.user_ma).search([]), rule)
        self.assertEqual(
            self.env["tms.notification.log"].with_user(self.user_ma).search([]), log
        )
        with self.assertRaises(AccessError):
            rule.with_user(self.user_ma).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.user_ma).create({"name": "x"})
        rule.with_user(self.manager_ma).write({"name": "Changed"})
        # another company's users see neither
        self.assertFalse(self.Rule.with_user(self.manager_fr).search([]))
        self.assertFalse(
            self.env["tms.notification.log"].with_user(self.manager_fr).search([])
        )
        with self.assertRaises(AccessError):
            rule.with_user(self.manager_fr).read(["name"])
        # drivers, portal users and anonymous visitors see nothing of it
        portal = self.env["res.users"].create(
            {
                "name": "Portal",
                "login": "portal_notif",
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        public = self.env.ref("base.public_user")
        for user in (self.driver_ma, portal, public):
            with self.assertRaises(AccessError):
                self.Rule.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["tms.notification.log"].with_user(user).search([])
        # no one writes the log by hand, and only managers send again
        for user in (self.user_ma, self.manager_ma):
            with self.assertRaises(AccessError):
                log.with_user(user).write({"state": "sent"})
        with self.assertRaises(AccessError):
            log.with_user(self.user_ma).action_retry()
