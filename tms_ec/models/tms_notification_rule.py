# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, models

from .tms_return import NOTIFY_STEPS, RETURN_TRIGGER_PREFIX


class TmsNotificationRule(models.Model):
    _inherit = "tms.notification.rule"

    @api.model
    def _tms_ec_return_rule_name(self, step, channel):
        """The name of a default return rule, in the context's language."""
        _ = self.env._
        events = {
            "requested": _("return requested"),
            "approved": _("return approved"),
            "refused": _("return refused"),
            "in_transit": _("return in transit"),
            "received": _("return received"),
            "inspected": _("return inspected"),
            "refunded": _("return refunded"),
            "done": _("return closed"),
        }
        if channel == "email":
            return _("Customer: %(event)s (email)", event=events[step])
        return _("Customer: %(event)s (SMS)", event=events[step])

    @api.model
    def _tms_ec_create_return_rules(self, companies=None):
        """Give the companies (all of them by default) the rules telling customers
        about their returns, once: for each step, an email and an SMS to the customer
        with the step's templates (data/tms_return_notification_data.xml). Run when
        the module is installed or updated, and with a company's first return
        notification; a company that already has return rules, even archived, gets
        none, and rules archived or deleted are never created again."""
        # sudo: default configuration of the companies, written on install or update,
        # or by whoever's action notifies a company's first return
        Rule = self.sudo().with_context(active_test=False, lang="en_US")
        companies = (
            (companies or self.env["res.company"].sudo().search([]))
            .sudo()
            .filtered(lambda company: not company.tms_return_rules_created)
        )
        if not companies:
            return Rule.browse()
        with_rules = Rule.search(
            [
                ("company_id", "in", companies.ids),
                ("trigger_ids.res_model", "=", "tms.return"),
            ]
        ).company_id
        specs = []
        for sequence, step in enumerate(NOTIFY_STEPS, start=100):
            trigger = self.env.ref(
                f"tms_ec.tms_notification_trigger_{RETURN_TRIGGER_PREFIX}{step}",
                raise_if_not_found=False,
            )
            for channel, kind in (("email", "mail"), ("sms", "sms")):
                template = self.env.ref(
                    f"tms_ec.tms_return_{kind}_template_{step}",
                    raise_if_not_found=False,
                )
                if trigger and template:
                    specs.append((sequence, step, channel, trigger, template))
        todo = [(company, spec) for company in companies - with_rules for spec in specs]
        rules = Rule.create(
            [
                {
                    "name": Rule._tms_ec_return_rule_name(step, channel),
                    "sequence": sequence,
                    "company_id": company.id,
                    "trigger_ids": [Command.set(trigger.ids)],
                    "audience": "recipient",
                    "channel": channel,
                    "mail_template_id": template.id if channel == "email" else False,
                    "sms_template_id": template.id if channel == "sms" else False,
                }
                for company, (sequence, step, channel, trigger, template) in todo
            ]
        )
        # their names in the other languages of the database
        langs = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        if langs:
            names = {
                (step, channel): {
                    lang: Rule.with_context(lang=lang)._tms_ec_return_rule_name(
                        step, channel
                    )
                    for lang in langs
                }
                for _sequence, step, channel, _trigger, _template in specs
            }
            for rule, (_company, spec) in zip(rules, todo, strict=True):
                rule._update_field_translations("name", names[spec[1], spec[2]])
        companies.write({"tms_return_rules_created": True})
        return rules
