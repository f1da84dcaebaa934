# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Fields whose change alters which events a company's rules or webhooks react to (the
# cached subscriptions of tms.parcel.event._tms_notification_subscriptions).
SUBSCRIPTION_FIELDS = {"active", "company_id", "trigger_ids", "shipper_id"}


class TmsNotificationRule(models.Model):
    """Which events (of parcels, or of the documents other modules add triggers for)
    notify whom, by which channel, with which template."""

    _name = "tms.notification.rule"
    _description = "Notification Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    trigger_ids = fields.Many2many(
        "tms.notification.trigger",
        string="When",
        required=True,
        help="The parcel is created, or reaches one of these states.",
    )
    res_model = fields.Selection(
        selection="_selection_res_model",
        string="Applies To",
        compute="_compute_res_model",
        store=True,
        help="The document the triggers are events of, and the templates render.",
    )
    audience = fields.Selection(
        [("recipient", "Recipient"), ("shipper", "Shipper")],
        string="Notify",
        required=True,
        default="recipient",
        help="Recipient: the email and phone written on the parcel. Shipper: the "
        "shipper contact's email and mobile (or phone).",
    )
    channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS")], required=True, default="email"
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', res_model)]",
        ondelete="restrict",
        help="Rendered in the notified contact's language.",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain="[('model', '=', res_model)]",
        ondelete="restrict",
        help="Rendered in the notified contact's language.",
    )
    sms_gateway_id = fields.Many2one(
        "tms.sms.gateway",
        string="SMS Gateway",
        check_company=True,
        help="Leave empty to send through Odoo's SMS service (IAP credits).",
    )
    log_count = fields.Integer(compute="_compute_log_count", string="Notifications")

    @api.model
    def _selection_res_model(self):
        return (
            self.env["tms.notification.trigger"]
            ._fields["res_model"]
            ._description_selection(self.env)
        )

    @api.depends("trigger_ids.res_model")
    def _compute_res_model(self):
        for rule in self:
            rule.res_model = rule.trigger_ids[:1].res_model or "tms.parcel"

    def _compute_log_count(self):
        counts = dict(
            self.env["tms.notification.log"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.log_count = counts.get(rule, 0)

    @api.constrains("trigger_ids", "channel", "mail_template_id", "sms_template_id")
    def _check_template(self):
        for rule in self:
            if len(set(rule.trigger_ids.mapped("res_model"))) > 1:
                raise ValidationError(
                    self.env._(
                        "The rule %(rule)s reacts to events of different documents "
                        "(%(events)s): make one rule for each, with its own template.",
                        rule=rule.display_name,
                        events=", ".join(rule.trigger_ids.mapped("display_name")),
                    )
                )
            if rule.channel == "email" and not rule.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "The email rule %(rule)s needs an email template.",
                        rule=rule.display_name,
                    )
                )
            if rule.channel == "sms" and not rule.sms_template_id:
                raise ValidationError(
                    self.env._(
                        "The SMS rule %(rule)s needs an SMS template.",
                        rule=rule.display_name,
                    )
                )
            template = (
                rule.mail_template_id
                if rule.channel == "email"
                else rule.sms_template_id
            )
            if template.model != rule.res_model:
                raise ValidationError(
                    self.env._(
                        "The template %(template)s of rule %(rule)s is not a "
                        "template of the document its events are about.",
                        template=template.display_name,
                        rule=rule.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        result = super().write(vals)
        if SUBSCRIPTION_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    def action_view_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_notification_log_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {}
        return action
