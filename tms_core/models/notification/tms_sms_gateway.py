# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...tools import sms_gateway


class TmsSmsGateway(models.Model):
    """An HTTP SMS provider: how to build one request per message and how to tell
    that the provider accepted it."""

    _name = "tms.sms.gateway"
    _description = "SMS Gateway"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    url = fields.Char(
        string="URL",
        required=True,
        help="The provider's send endpoint, e.g. "
        "https://api.twilio.com/2010-04-01/Accounts/<Account SID>/Messages.json",
    )
    method = fields.Selection(
        [("POST", "POST"), ("GET", "GET")], required=True, default="POST"
    )
    auth_type = fields.Selection(
        [
            ("none", "None"),
            ("basic", "Basic (user and password)"),
            ("bearer", "Bearer token"),
            ("header", "API key in a header"),
        ],
        string="Authentication",
        required=True,
        default="none",
    )
    username = fields.Char(
        string="User", help="Basic authentication user (Twilio: the Account SID)."
    )
    secret = fields.Char(
        string="Password / Token",
        groups="tms_core.group_tms_admin",
        copy=False,
        help="Basic authentication password (Twilio: the Auth Token), bearer token or "
        "API key; also available as {secret} in the body template.",
    )
    header_name = fields.Char(
        help="The header carrying the API key, e.g. X-API-Key or Authorization."
    )
    content_type = fields.Selection(
        [("form", "Form (URL-encoded)"), ("json", "JSON")],
        required=True,
        default="form",
        help="Form: the body template is a query string, sent as a form or, for GET, "
        "in the URL. JSON: the body template is a JSON document.",
    )
    body_template = fields.Text(
        required=True,
        default="To={to}&From={sender}&Body={message}",
        help="Placeholders: {to} (E.164, +212612345678), {to_digits} (212612345678), "
        "{message}, {sender}, {secret}.",
    )
    sender = fields.Char(help="Sender name or number, the {sender} placeholder.")
    success_json_path = fields.Char(
        string="Success JSON Path",
        help="Besides an HTTP 2xx status, the answer must hold this JSON value (dotted "
        "path such as status or messages.0.status).",
    )
    success_json_value = fields.Char(
        string="Success JSON Value",
        help="The value expected at the JSON path; empty: any true value.",
    )
    success_substring = fields.Char(
        string="Success Text",
        help="Besides an HTTP 2xx status, the answer must " "contain this text.",
    )
    timeout = fields.Float(
        string="Timeout (s)", default=10.0, help="Longest wait for an answer."
    )
    log_count = fields.Integer(compute="_compute_log_count", string="SMS Sent")

    def _compute_log_count(self):
        counts = dict(
            self.env["tms.notification.log"]._read_group(
                [("sms_gateway_id", "in", self.ids)], ["sms_gateway_id"], ["__count"]
            )
        )
        for gateway in self:
            gateway.log_count = counts.get(gateway, 0)

    @api.constrains(
        "url",
        "method",
        "auth_type",
        "header_name",
        "content_type",
        "body_template",
        "timeout",
    )
    def _check_config(self):
        for gateway in self:
            try:
                sms_gateway.check_config(gateway._tms_config(with_secret=False))
            except sms_gateway.SmsGatewayConfigError as error:
                raise ValidationError(
                    self.env._(
                        "The SMS gateway %(gateway)s cannot send: %(error)s",
                        gateway=gateway.display_name,
                        error=error.message,
                    )
                ) from error

    def _tms_config(self, with_secret=True):
        """The gateway's settings for :mod:`..tools.sms_gateway`."""
        self.ensure_one()
        # sudo: the secret is hidden from everyone but TMS administrators; sending
        # (from a background job) needs it whoever triggered the notification.
        secret = self.sudo().secret if with_secret else ""
        return sms_gateway.GatewayConfig(
            url=self.url or "",
            method=self.method,
            auth_type=self.auth_type,
            username=self.username or "",
            secret=secret or "",
            header_name=self.header_name or "",
            content_type=self.content_type,
            body_template=self.body_template or "",
            sender=self.sender or "",
            success_json_path=self.success_json_path or "",
            success_json_value=self.success_json_value or "",
            success_substring=self.success_substring or "",
            timeout=self.timeout,
        )

    def _tms_send(self, number, message):
        """Send one SMS to ``number`` (E.164); return a
        :class:`..tools.sms_gateway.SmsResult` or raise
        :class:`..tools.sms_gateway.SmsGatewayError`."""
        self.ensure_one()
        return sms_gateway.send(self._tms_config(), number, message)

    def action_view_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_notification_log_action"
        )
        action["domain"] = [("sms_gateway_id", "=", self.id)]
        action["context"] = {}
        return action
