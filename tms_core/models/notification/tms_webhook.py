# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import logging
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import str2bool

from odoo.addons.queue_job.exception import RetryableJobError

from ...tools import webhook as wh
from .tms_notification_rule import SUBSCRIPTION_FIELDS

_logger = logging.getLogger(__name__)

# Attempts of one event (the job's max_retries); the delays between them are the
# exponential retry pattern of the job function (data/tms_notification_data.xml).
WEBHOOK_MAX_ATTEMPTS = 10
TEST_EVENT_TYPE = "webhook.test"
# After a rotation, deliveries are signed with both secrets for this long.
PREVIOUS_SECRET_VALIDITY = timedelta(hours=24)
PARAM_ALLOW_PRIVATE = "tms_core.webhook_allow_private_urls"
# Set by the system only (the secret's state, the failure counting), never by a user.
SYSTEM_FIELDS = {
    "secret_hint",
    "secret_revealed",
    "previous_secret_expiry",
    "failure_count",
    "auto_disabled",
    "date_disabled",
}


class TmsWebhook(models.Model):
    """A subscription of an outside system to parcel events, delivered as signed JSON
    POST requests by background jobs."""

    _name = "tms.webhook"
    _description = "Webhook"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    url = fields.Char(
        string="URL",
        required=True,
        tracking=True,
        help="Receives a POST request with a JSON body for each event.",
    )
    trigger_ids = fields.Many2many(
        "tms.notification.trigger",
        string="Events",
        required=True,
        domain=[("res_model", "=", "tms.parcel")],
        help="Parcel created, or a parcel reaching one of these states.",
    )
    shipper_id = fields.Many2one(
        "res.partner",
        string="Shipper",
        check_company=True,
        tracking=True,
        help="Only the parcels of this shipper; empty: every parcel of the company.",
    )
    responsible_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="Gets an activity when the webhook is disabled after repeated failures.",
    )
    secret = fields.Char(groups="base.group_system", copy=False)
    previous_secret = fields.Char(groups="base.group_system", copy=False)
    previous_secret_expiry = fields.Datetime(readonly=True, copy=False)
    secret_hint = fields.Char(
        string="Signing Secret",
        readonly=True,
        copy=False,
        help="Only the end of the secret is shown again once it was revealed.",
    )
    secret_revealed = fields.Boolean(readonly=True, copy=False)
    timeout = fields.Integer(
        string="Timeout (s)", default=10, help="Longest wait for the receiver's answer."
    )
    failure_threshold = fields.Integer(
        string="Disable After",
        default=10,
        help="Consecutive failed attempts after which the webhook is disabled and its "
        "responsible warned.",
    )
    failure_count = fields.Integer(
        string="Consecutive Failures", readonly=True, copy=False
    )
    auto_disabled = fields.Boolean(
        string="Disabled After Failures",
        readonly=True,
        copy=False,
        tracking=True,
        help="Events are held (not lost) until the webhook is enabled again.",
    )
    date_disabled = fields.Datetime(readonly=True, copy=False)
    delivery_ids = fields.One2many(
        "tms.webhook.delivery", "webhook_id", string="Deliveries", readonly=True
    )
    delivery_count = fields.Integer(compute="_compute_delivery_stats")
    last_delivery_id = fields.Many2one(
        "tms.webhook.delivery", compute="_compute_delivery_stats"
    )
    last_delivery_state = fields.Selection(
        [("success", "Delivered"), ("failed", "Failed"), ("skipped", "Held")],
        compute="_compute_delivery_stats",
    )
    last_delivery_status = fields.Integer(compute="_compute_delivery_stats")
    last_delivery_date = fields.Datetime(compute="_compute_delivery_stats")
    last_delivery_error = fields.Text(compute="_compute_delivery_stats")

    # ----------------------------------------------------------------------------------
    # computes and constraints
    # ----------------------------------------------------------------------------------
    def _compute_delivery_stats(self):
        Delivery = self.env["tms.webhook.delivery"]
        stats = {
            webhook: (count, last_id)
            for webhook, count, last_id in Delivery._read_group(
                [("webhook_id", "in", self.ids)], ["webhook_id"], ["__count", "id:max"]
            )
        }
        for webhook in self:
            count, last_id = stats.get(webhook, (0, False))
            last = Delivery.browse(last_id)
            webhook.delivery_count = count
            webhook.last_delivery_id = last
            webhook.last_delivery_state = last.state
            webhook.last_delivery_status = last.status_code
            webhook.last_delivery_date = last.create_date
            webhook.last_delivery_error = last.error

    @api.constrains("url")
    def _check_url(self):
        allow_private = self._tms_allow_private_urls()
        for webhook in self:
            try:
                # No DNS lookup here (the receiver may not exist yet); each delivery
                # checks the resolved address again.
                wh.check_url(webhook.url, allow_private=allow_private, resolve=False)
            except wh.WebhookUrlError as error:
                raise ValidationError(
                    self.env._(
                        "The URL of webhook %(webhook)s is refused: %(error)s",
                        webhook=webhook.display_name,
                        error=str(error),
                    )
                ) from error

    @api.constrains("timeout", "failure_threshold")
    def _check_limits(self):
        for webhook in self:
            if not 1 <= webhook.timeout <= 60:
                raise ValidationError(
                    self.env._("A webhook's timeout is between 1 and 60 seconds.")
                )
            if webhook.failure_threshold < 1:
                raise ValidationError(
                    self.env._(
                        "A webhook is disabled after at least one failed attempt."
                    )
                )

    # ----------------------------------------------------------------------------------
    # CRUD
    # ----------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        webhooks = super().create(vals_list)
        for webhook in webhooks:
            secret = wh.generate_secret()
            # sudo: the secret field is hidden from everyone but system administrators;
            # the user may create the webhook (checked by create), its secret is made
            # here and shown once by action_reveal_secret().
            webhook.sudo().write(
                {"secret": secret, "secret_hint": wh.mask_secret(secret)}
            )
        self.env.registry.clear_cache()
        return webhooks

    def write(self, vals):
        if not self.env.su and SYSTEM_FIELDS & set(vals):
            raise UserError(
                self.env._(
                    "The secret's state and the failure count of a webhook are set "
                    "by the system only."
                )
            )
        result = super().write(vals)
        if SUBSCRIPTION_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    def copy_data(self, default=None):
        default = dict(default or {})
        default.setdefault("active", False)
        vals_list = super().copy_data(default=default)
        for webhook, vals in zip(self, vals_list, strict=True):
            vals["name"] = self.env._("%(name)s (copy)", name=webhook.name)
        return vals_list

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_reveal_secret(self):
        """Show the signing secret, once: afterwards only its end is shown."""
        self.ensure_one()
        self.check_access("write")
        if self.secret_revealed:
            raise UserError(
                self.env._(
                    "The secret was already shown once. Rotate it to get a new one."
                )
            )
        # sudo: the secret field is hidden from all but system administrators, and
        # whether it was shown is the system's to set; the user's right to edit the
        # webhook was just checked.
        webhook = self.sudo()
        webhook.secret_revealed = True
        return self._tms_secret_notification(webhook.secret)

    def action_rotate_secret(self):
        """Make a new secret and show it once; deliveries of the next 24 hours are
        signed with both the new and the old one, so receivers can switch calmly."""
        self.ensure_one()
        self.check_access("write")
        secret = wh.generate_secret()
        # sudo: as in action_reveal_secret().
        webhook = self.sudo()
        webhook.write(
            {
                "previous_secret": webhook.secret,
                "previous_secret_expiry": fields.Datetime.now()
                + PREVIOUS_SECRET_VALIDITY,
                "secret": secret,
                "secret_hint": wh.mask_secret(secret),
                "secret_revealed": True,
            }
        )
        self._message_log(
            body=self.env._(
                "The signing secret was rotated; the previous one stays valid for 24 "
                "hours."
            )
        )
        return self._tms_secret_notification(secret)

    def _tms_secret_notification(self, secret):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Signing secret of %(name)s", name=self.name),
                "message": self.env._(
                    "%(secret)s — copy it into the receiving system now: it will not "
                    "be shown again.",
                    secret=secret,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_send_test(self):
        """Send a signed test event from a background job; its result appears in the
        deliveries (and on the form) a few seconds later."""
        self.check_access("write")
        for webhook in self:
            payload = self._tms_test_payload()
            webhook._tms_enqueue_delivery(payload["id"], payload["type"], payload)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "A signed test event is on its way; reload in a few seconds to "
                    "see the receiver's answer under Deliveries."
                ),
            },
        }

    def action_enable(self):
        """Enable a webhook disabled after repeated failures (once the receiver is
        fixed). Held events are sent with 'Re-send failed deliveries'."""
        self.check_access("write")
        # sudo: the failure counting is the system's to set; the user's right to edit
        # the webhook was just checked.
        self.sudo().write(
            {"auto_disabled": False, "failure_count": 0, "date_disabled": False}
        )
        self.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("mail.mail_activity_data_warning")
        ).action_done()

    def action_resend_failed(self):
        """Deliver again, in the background, every event whose last attempt failed or
        was held while the webhook was disabled."""
        self.check_access("write")
        if self.filtered("auto_disabled"):
            raise UserError(
                self.env._("Enable the webhook again before re-sending its events.")
            )
        for webhook in self:
            webhook.with_delay(
                description=self.env._(
                    "Webhook %(name)s: re-send failed deliveries", name=webhook.name
                ),
            )._tms_resend_failed()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The failed and held events will be delivered again in the "
                    "background."
                ),
            },
        }

    def action_view_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_webhook_delivery_action"
        )
        action["domain"] = [("webhook_id", "=", self.id)]
        action["context"] = {}
        return action

    # ----------------------------------------------------------------------------------
    # delivery
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_allow_private_urls(self):
        """Whether URLs on loopback or private networks are allowed (system parameter
        tms_core.webhook_allow_private_urls, for receivers on the company's LAN)."""
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_ALLOW_PRIVATE)
        return str2bool(value or "false", default=False)

    @api.model
    def _tms_test_payload(self):
        now = fields.Datetime.now()
        return {
            "id": f"evt_test_{uuid.uuid4().hex}",
            "type": TEST_EVENT_TYPE,
            "occurred_at": _iso(now),
            "api_version": 1,
            "test": True,
            "parcel": {
                "tracking_number": "RR000000000MA",
                "client_reference": "TEST-0001",
                "state": "in_transit",
                "previous_state": "at_hub",
                "hub": None,
                "event_time": _iso(now),
                "date_promised": None,
                "failure_reason": None,
                "tracking_url": f"{self.get_base_url()}/track/test",
            },
        }

    def _tms_signing_secrets(self):
        """The secrets a delivery is signed with: the current one, and the previous
        one during the day after a rotation."""
        self.ensure_one()
        # sudo: the secrets are hidden from users; signing is the job's work.
        webhook = self.sudo()
        secrets = [webhook.secret]
        if (
            webhook.previous_secret
            and webhook.previous_secret_expiry
            and webhook.previous_secret_expiry > fields.Datetime.now()
        ):
            secrets.append(webhook.previous_secret)
        return secrets

    def _tms_enqueue_delivery(self, event_uuid, event_type, payload, parcel_id=False):
        self.ensure_one()
        return self.with_delay(
            max_retries=WEBHOOK_MAX_ATTEMPTS,
            description=self.env._(
                "Webhook %(name)s: %(type)s %(event)s",
                name=self.name,
                type=event_type,
                event=event_uuid,
            ),
        )._tms_deliver(event_uuid, event_type, payload, parcel_id)

    def _tms_deliver(self, event_uuid, event_type, payload, parcel_id=False):
        """Job: POST one event, signed, and log the attempt. A failure is logged in a
        transaction of its own and raised as retryable: queue_job tries again with the
        job function's exponential backoff, up to WEBHOOK_MAX_ATTEMPTS times."""
        if not self.exists():
            return "The webhook was deleted."
        self.ensure_one()
        # sudo: background work of the company, run as the user whose scan triggered
        # it, who need not see webhooks or their secrets.
        webhook = self.sudo()
        Delivery = self.env["tms.webhook.delivery"].sudo()
        is_test = event_type == TEST_EVENT_TYPE
        body = wh.encode_payload(payload)
        vals = {
            "webhook_id": webhook.id,
            "parcel_id": parcel_id or False,
            "event_uuid": event_uuid,
            "event_type": event_type,
            "payload": body.decode("utf-8"),
            "is_test": is_test,
            "attempt": Delivery.search_count(
                [("webhook_id", "=", webhook.id), ("event_uuid", "=", event_uuid)]
            )
            + 1,
        }
        if not is_test and (not webhook.active or webhook.auto_disabled):
            Delivery.create(
                dict(
                    vals,
                    state="skipped",
                    error=self.env._("Held: the webhook is disabled."),
                )
            )
            return "Held: the webhook is disabled."
        try:
            wh.check_url(webhook.url, allow_private=self._tms_allow_private_urls())
        except wh.WebhookUrlError as error:
            result = wh.DeliveryResult(False, 0, "", 0, str(error))
        else:
            headers = wh.build_headers(
                webhook._tms_signing_secrets(), body, event_uuid, event_type
            )
            result = wh.post(webhook.url, body, headers, timeout=webhook.timeout)
        vals.update(
            status_code=result.status_code,
            response_excerpt=result.response_excerpt,
            duration_ms=result.duration_ms,
            error=result.error or False,
        )
        if result.ok:
            Delivery.create(dict(vals, state="success"))
            if not is_test and webhook.failure_count:
                webhook.failure_count = 0
            return f"Delivered: HTTP {result.status_code}"
        disabled = webhook._tms_record_failure(
            dict(vals, state="failed"), count=not is_test
        )
        if is_test or disabled:
            return f"Failed: {result.error}"
        raise RetryableJobError(
            f"Attempt {vals['attempt']} to {webhook.url} failed: {result.error}"
        )

    def _tms_record_failure(self, vals, count=True):
        """Log a failed attempt and count it, in a transaction of its own (the job's
        is rolled back when it raises to be retried); disable the webhook when the
        failures in a row reach its threshold. Return whether it was disabled now."""
        self.ensure_one()
        self.env.flush_all()
        disabled = False
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr, su=True)
            webhook = self.with_env(env)
            env["tms.webhook.delivery"].create(vals)
            if count:
                cr.execute(
                    "UPDATE tms_webhook "
                    "SET failure_count = COALESCE(failure_count, 0) + 1 "
                    "WHERE id = %s RETURNING failure_count",
                    [webhook.id],
                )
                failures = cr.fetchone()[0]
                webhook.invalidate_recordset(["failure_count"])
                if failures >= webhook.failure_threshold and not webhook.auto_disabled:
                    webhook._tms_auto_disable(failures, vals.get("error"))
                    disabled = True
        self.env.invalidate_all()
        _logger.info(
            "Webhook %s: attempt %s of event %s failed: %s",
            self.id,
            vals.get("attempt"),
            vals.get("event_uuid"),
            vals.get("error"),
        )
        return disabled

    def _tms_auto_disable(self, failures, error):
        """Disable the webhook and warn its responsible and the company's TMS
        managers."""
        self.ensure_one()
        self.write({"auto_disabled": True, "date_disabled": fields.Datetime.now()})
        managers = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("tms_core.group_tms_manager").id),
                ("company_ids", "in", self.company_id.id),
                ("share", "=", False),
            ]
        )
        message = self.env._(
            "Webhook %(name)s was disabled after %(count)s failed attempts in a row "
            "(last error: %(error)s). New events are held, not lost: fix the receiver "
            "at %(url)s, click Enable, then Re-send failed deliveries.",
            name=self.name,
            count=failures,
            error=error or "-",
            url=self.url,
        )
        self.message_post(
            body=message,
            partner_ids=managers.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            author_id=self.env.ref("base.partner_root").id,
        )
        user = self.responsible_id if self.responsible_id in managers else managers[:1]
        if user:
            self.activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=user.id,
                summary=self.env._("Webhook disabled after repeated failures"),
                note=message,
            )

    def _tms_resend_failed(self):
        """Job: enqueue again each event whose last attempt did not succeed."""
        self.ensure_one()
        Delivery = self.env["tms.webhook.delivery"].sudo()
        latest_ids = [
            last_id
            for _uuid, last_id in Delivery._read_group(
                [("webhook_id", "=", self.id), ("is_test", "=", False)],
                ["event_uuid"],
                ["id:max"],
            )
        ]
        deliveries = Delivery.browse(latest_ids).filtered(
            lambda d: d.state != "success"
        )
        for delivery in deliveries.sorted("id"):
            self._tms_enqueue_delivery(
                delivery.event_uuid,
                delivery.event_type,
                json.loads(delivery.payload),
                delivery.parcel_id.id,
            )
        return f"{len(deliveries)} event(s) enqueued again."


def _iso(value):
    """A UTC datetime as ISO 8601 with a Z."""
    return value.replace(microsecond=0).isoformat() + "Z" if value else None
