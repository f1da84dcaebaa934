# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_return_request import ReturnCommon, notified, trap_jobs

STEPS = (
    "requested",
    "approved",
    "refused",
    "in_transit",
    "received",
    "inspected",
    "refunded",
    "done",
)


@tagged("post_install", "-at_install")
class TestReturnNotificationRules(ReturnCommon):
    """Return notifications go through the notification rules, templates, languages
    and log of parcels."""

    def _run(self, ret, step):
        with trap_jobs() as trap:
            ret._tms_ec_notify(step)
            trap.perform_enqueued_jobs()
        return trap

    def _return_rules(self, company=None, step=None, channel=None):
        domain = [
            ("company_id", "=", (company or self.company_ma).id),
            ("res_model", "=", "tms.return"),
        ]
        if step:
            domain.append(("trigger_ids.code", "=", f"return_{step}"))
        if channel:
            domain.append(("channel", "=", channel))
        return (
            self.env["tms.notification.rule"]
            .with_context(active_test=False)
            .search(domain)
        )

    def _sms(self, ret):
        return self.env["sms.sms"].search(
            [("number", "=", "+212612345678"), ("body", "ilike", ret.name)]
        )

    def test_the_customer_reads_the_same_sms_as_before(self):
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        url = f"{ret.get_base_url()}/return/{ret.access_token}"
        expected = {
            "requested": f"Your return {ret.name} is registered; Boutique Atlas "
            f"will answer soon. {url}",
            "approved": f"Your return {ret.name} is approved. Take the parcel to "
            "one of our drop-off points and show this code: "
            f"{ret.return_tracking_number} {url}",
            "refused": f"Your return {ret.name} was refused by Boutique Atlas. {url}",
            "in_transit": f"Your return {ret.name} is on its way to Boutique Atlas. "
            f"{url}",
            "received": f"Boutique Atlas received your return {ret.name}. {url}",
            "inspected": f"Your return {ret.name} was inspected by Boutique Atlas. "
            f"{url}",
            "refunded": f"Boutique Atlas refunded your return {ret.name}. {url}",
            "done": f"Your return {ret.name} is closed. {url}",
        }
        for step in STEPS:
            self._run(ret, step)
            log = ret.notification_log_ids.filtered(
                lambda line, step=step: line.return_step == step
                and line.channel == "sms"
            )
            self.assertEqual(log.body, expected[step], step)
            self.assertEqual(log.state, "sent")
        self.assertEqual(
            sorted(self._sms(ret).mapped("body")), sorted(expected.values())
        )

    def test_sms_in_the_customers_language_from_the_template(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.recipient_ma.lang = "fr_FR"
        template = self.env.ref("tms_ec.tms_return_sms_template_requested")
        template.with_context(lang="fr_FR").body = (
            "Votre retour {{ object.name }} est enregistré ; "
            "{{ object._tms_ec_merchant_name() }} vous répondra prochainement. "
            "{{ object._tms_ec_public_url() }}"
        )
        ret, _notifications = self._request((0, 1, self.reason_size))
        self._run(ret, "requested")
        url = f"{ret.get_base_url()}/return/{ret.access_token}"
        self.assertEqual(
            self._sms(ret).body,
            f"Votre retour {ret.name} est enregistré ; Boutique Atlas vous répondra "
            f"prochainement. {url}",
        )
        log = ret.notification_log_ids.filtered(lambda line: line.channel == "sms")
        self.assertEqual(log.lang, "fr_FR")

    def test_edited_template_and_archived_rule(self):
        ret, _notifications = self._request((0, 1, self.reason_size))
        self.env.ref(
            "tms_ec.tms_return_sms_template_refused"
        ).body = "{{ object.name }}: sorry, {{ object.refusal_reason }}"
        ret.refusal_reason = "Worn items"
        self._run(ret, "refused")
        self.assertEqual(self._sms(ret).body, f"{ret.name}: sorry, Worn items")
        # the email rule of a step archived: the customer only gets the SMS
        self._return_rules(step="done", channel="email").active = False
        self._run(ret, "done")
        steps = ret.notification_log_ids.filtered(
            lambda line: line.return_step == "done"
        )
        self.assertEqual(steps.mapped("channel"), ["sms"])
        # no active rule for a step: not even a job
        self._return_rules(step="done").active = False
        with trap_jobs() as trap:
            ret._tms_ec_notify("done")
        self.assertFalse(notified(trap))

    def test_notifications_are_logged_like_parcels(self):
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        self._run(ret, "approved")
        logs = ret.notification_log_ids
        self.assertEqual(sorted(logs.mapped("channel")), ["email", "sms"])
        self.assertEqual(ret.notification_count, 2)
        for log in logs:
            self.assertEqual(log.state, "sent")
            self.assertEqual(log.return_step, "approved")
            self.assertEqual(log.parcel_id, self.parcel, "filed under the parcel")
            self.assertEqual(log.rule_id.res_model, "tms.return")
            self.assertEqual(log.lang, "en_US")
        email = logs.filtered(lambda line: line.channel == "email")
        self.assertEqual(email.address, "fatima@example.com")
        self.assertEqual(email.mail_id.model, "tms.return")
        self.assertIn(ret.name, email.subject)
        self.assertIn(
            f"Email “{email.subject}” sent to fatima@example.com",
            "\n".join(ret.message_ids.mapped("body")),
        )
        # no email address: a line "not sent", as for parcels
        self.recipient_ma.email = False
        self.parcel.recipient_email = False
        self._run(ret, "in_transit")
        skipped = ret.notification_log_ids.filtered(
            lambda line: line.return_step == "in_transit" and line.channel == "email"
        )
        self.assertEqual(skipped.state, "skipped")
        self.assertEqual(skipped.error, "No email address.")

    def test_the_merchant_can_be_told_too(self):
        self.shipper_ma.lang = "en_US"
        ret, _notifications = self._request((0, 1, self.reason_size))
        self.env["tms.notification.rule"].create(
            {
                "name": "Merchant: return requested",
                "company_id": self.company_ma.id,
                "trigger_ids": [
                    (
                        6,
                        0,
                        self.env.ref(
                            "tms_ec.tms_notification_trigger_return_requested"
                        ).ids,
                    )
                ],
                "audience": "shipper",
                "channel": "email",
                "mail_template_id": self.env.ref(
                    "tms_ec.tms_return_mail_template_requested"
                ).id,
            }
        )
        self._run(ret, "requested")
        emails = ret.notification_log_ids.filtered(lambda line: line.channel == "email")
        self.assertEqual(
            sorted(emails.mapped("address")),
            ["atlas@example.com", "fatima@example.com"],
        )

    def test_rules_fit_their_events(self):
        Rule = self.env["tms.notification.rule"]
        trigger = self.env.ref("tms_ec.tms_notification_trigger_return_approved")
        parcel_trigger = self.env.ref("tms_core.tms_notification_trigger_delivered")
        parcel_template = self.env.ref("tms_core.tms_mail_template_parcel_status")
        with self.assertRaises(ValidationError):
            Rule.create(
                {
                    "name": "Mixed",
                    "company_id": self.company_ma.id,
                    "trigger_ids": [(6, 0, (trigger | parcel_trigger).ids)],
                    "mail_template_id": parcel_template.id,
                }
            )
        with self.assertRaises(ValidationError):
            Rule.create(
                {
                    "name": "Parcel template for a return",
                    "company_id": self.company_ma.id,
                    "trigger_ids": [(6, 0, trigger.ids)],
                    "mail_template_id": parcel_template.id,
                }
            )
        with self.assertRaises(ValidationError):
            self.env["tms.notification.trigger"].create(
                {
                    "name": "Teleported",
                    "code": "return_teleported",
                    "res_model": "tms.return",
                }
            )
        # webhooks only offer parcel events
        self.assertNotIn(
            trigger,
            self.env["tms.notification.trigger"].search(
                self.env["tms.webhook"]._fields["trigger_ids"].domain
            ),
        )

    def test_default_rules_are_given_once(self):
        company = self.env["res.company"].create(
            {"name": "Retours Express", "country_id": self.morocco.id}
        )
        self.assertFalse(self._return_rules(company))
        Rule = self.env["tms.notification.rule"]
        Rule._tms_ec_create_return_rules(company)
        rules = self._return_rules(company)
        self.assertEqual(len(rules), 2 * len(STEPS), "an email and an SMS per step")
        self.assertEqual(set(rules.mapped("audience")), {"recipient"})
        self.assertEqual(
            rules.filtered(lambda r: r.channel == "sms").sms_template_id,
            self.env["sms.template"].search([("model", "=", "tms.return")]),
        )
        # deleted ones are not created again (on update, or with the next return)
        rules.unlink()
        Rule._tms_ec_create_return_rules()
        self.assertFalse(self._return_rules(company))

    def test_first_return_of_a_new_company_gets_the_default_rules(self):
        self.company_ma.tms_return_rules_created = False
        self._return_rules().unlink()
        ret, notifications = self._request((0, 1, self.reason_size))
        self.assertEqual(notifications, [(ret, "requested")])
        self.assertEqual(len(self._return_rules()), 2 * len(STEPS))
