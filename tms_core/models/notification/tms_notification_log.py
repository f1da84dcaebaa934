# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError

from ...tools import sms_gateway

_logger = logging.getLogger(__name__)

# Attempts of one SMS through an HTTP gateway (the job's max_retries); the delays
# between them are the retry pattern of its job function (data/tms_notification_data).
SMS_MAX_ATTEMPTS = 8


class TmsNotificationLog(models.Model):
    """One notification (an email or an SMS to one contact about one parcel event, or
    an event of a document of another module about a parcel, such as a return): what
    was sent, to whom, and how it went."""

    _name = "tms.notification.log"
    _description = "Notification Log"
    _order = "id desc"
    _rec_name = "parcel_id"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    parcel_id = fields.Many2one(
        "tms.parcel", required=True, readonly=True, index=True, ondelete="cascade"
    )
    event_id = fields.Many2one(
        "tms.parcel.event", readonly=True, index="btree_not_null", ondelete="cascade"
    )
    event_state = fields.Selection(related="event_id.state", string="Parcel State")
    rule_id = fields.Many2one(
        "tms.notification.rule", readonly=True, index=True, ondelete="set null"
    )
    channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS")], required=True, readonly=True
    )
    audience = fields.Selection(
        [("recipient", "Recipient"), ("shipper", "Shipper")], readonly=True
    )
    sms_gateway_id = fields.Many2one(
        "tms.sms.gateway",
        string="SMS Gateway",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Empty for an SMS sent through Odoo's SMS service.",
    )
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    address = fields.Char(
        string="Sent To", readonly=True, help="The email address or E.164 number."
    )
    lang = fields.Char(string="Language", readonly=True)
    subject = fields.Char(readonly=True)
    body = fields.Text(readonly=True, help="The text of the SMS.")
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("sent", "Sent"),
            ("retrying", "Retrying"),
            ("failed", "Failed"),
            ("skipped", "Not Sent"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        help="Sent: handed to the mail queue, to Odoo's SMS service or accepted by the "
        "SMS gateway. Retrying: the gateway failed, another attempt is planned. Not "
        "sent: no address to send to.",
    )
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    error = fields.Text(readonly=True)
    response_excerpt = fields.Text(string="Gateway Answer", readonly=True)
    date_sent = fields.Datetime(string="Sent On", readonly=True)
    mail_id = fields.Many2one("mail.mail", readonly=True, ondelete="set null")
    job_uuid = fields.Char(string="Job", readonly=True, index="btree_not_null")

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_retry(self):
        """Send again the SMS that failed through a gateway (after fixing it)."""
        self.check_access("read")
        if not self.env.user.has_group("tms_core.group_tms_manager"):
            raise AccessError(
                self.env._("Only TMS managers can send notifications again.")
            )
        logs = self.filtered(
            # a "retrying" SMS still has its job, which tries again by itself
            lambda log: log.sms_gateway_id and log.state == "failed"
        )
        if not logs:
            raise UserError(
                self.env._("Only SMS that failed through a gateway can be sent again.")
            )
        # sudo: logs are written by the system only; the user was just checked to be a
        # TMS manager who may read them.
        logs.sudo().write({"state": "pending", "attempt_count": 0})
        logs.sudo()._tms_enqueue_sms()

    def action_view_job(self):
        self.ensure_one()
        job = self.env["queue.job"].search([("uuid", "=", self.job_uuid)], limit=1)
        if not job:
            raise UserError(
                self.env._("The job of this notification no longer exists.")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "queue.job",
            "res_id": job.id,
            "view_mode": "form",
        }

    # ----------------------------------------------------------------------------------
    # sending
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_prepare_log_vals(self, rule, target, vals):
        """The values of the notification of ``rule`` to ``target`` (``{partner,
        email, phone, lang}``, phone in E.164 or False): ``vals`` (the company, the
        parcel and what the notification is about) with the address of the rule's
        channel, or a log "not sent" when the contact has none."""
        address = target["email"] if rule.channel == "email" else target["phone"]
        vals = dict(
            vals,
            rule_id=rule.id,
            channel=rule.channel,
            audience=rule.audience,
            sms_gateway_id=rule.sms_gateway_id.id if rule.channel == "sms" else False,
            partner_id=target["partner"].id,
            address=address,
            lang=target["lang"],
            state="pending" if address else "skipped",
        )
        if not address:
            vals["error"] = (
                self.env._("No email address.")
                if rule.channel == "email"
                else self.env._("No valid mobile number.")
            )
        return vals

    def _tms_notified_record(self):
        """The document the notification is about, whose templates render it and
        whose chatter tells what was sent: the parcel (other modules add theirs)."""
        self.ensure_one()
        return self.parcel_id

    def _tms_message_log(self, body):
        """A note in the chatter of the notified document."""
        self.ensure_one()
        return self._tms_notified_record()._message_log(body=body)

    def _tms_send(self):
        """Send the pending notifications of ``self``: emails go to the mail queue,
        SMS to Odoo's SMS queue or, through a gateway, to one retried job each. A
        template that cannot be rendered fails its own notification only."""
        to_enqueue = self.browse()
        for log in self.filtered(lambda log: log.state == "pending"):
            try:
                with self.env.cr.savepoint():
                    if log.channel == "email":
                        log._tms_send_email()
                    elif log.sms_gateway_id:
                        log.body = log._tms_render_sms()
                        to_enqueue |= log
                    else:
                        log._tms_send_sms_odoo()
            except (UserError, ValueError) as error:
                log.write({"state": "failed", "error": str(error)})
                _logger.warning("Notification %s not sent: %s", log.id, error)
        to_enqueue._tms_enqueue_sms()

    def _tms_template_context(self):
        """The context templates are rendered in: the contact's language, and the state
        the event moved the parcel to (the parcel may have moved on since)."""
        return {
            "lang": self.lang or "en_US",
            "tms_notification_state": self.event_id.state,
        }

    def _tms_send_email(self):
        self.ensure_one()
        template = self.rule_id.mail_template_id.with_context(
            **self._tms_template_context()
        )
        mail = self.env["mail.mail"].browse(
            template.send_mail(
                self._tms_notified_record().id,
                email_values={
                    # the rule decides who is notified, not the template
                    "email_to": self.address,
                    "email_cc": False,
                    "recipient_ids": [],
                },
                email_layout_xmlid="mail.mail_notification_light",
            )
        )
        self.write(
            {
                "state": "sent",
                "attempt_count": 1,
                "subject": mail.subject,
                "mail_id": mail.id,
                "date_sent": fields.Datetime.now(),
            }
        )
        self._tms_message_log(
            self.env._(
                "Email “%(subject)s” sent to %(address)s (%(rule)s).",
                subject=mail.subject,
                address=self.address,
                rule=self.rule_id.name,
            )
        )

    def _tms_render_sms(self):
        self.ensure_one()
        template = self.rule_id.sms_template_id.with_context(
            **self._tms_template_context()
        )
        record = self._tms_notified_record()
        return template._render_field("body", record.ids)[record.id]

    def _tms_send_sms_odoo(self):
        """Through Odoo's sms module: the SMS lands in the chatter of the notified
        document and in the SMS queue (sent by its scheduled action, through IAP)."""
        self.ensure_one()
        body = self._tms_render_sms()
        partner = self.partner_id
        message = self._tms_notified_record()._message_sms(
            body,
            partner_ids=partner.ids if partner else False,
            sms_numbers=None if partner else [self.address],
            sms_pid_to_number={partner.id: self.address} if partner else None,
            put_in_queue=True,
        )
        self.write(
            {
                "state": "sent",
                "attempt_count": 1,
                "body": body,
                "date_sent": fields.Datetime.now(),
                "error": False,
            }
        )
        return message

    def _tms_enqueue_sms(self):
        """One job per SMS to send through a gateway, retried on failure."""
        for log in self:
            job = log.with_delay(
                max_retries=SMS_MAX_ATTEMPTS,
                description=self.env._(
                    "SMS about parcel %(parcel)s",
                    parcel=log.parcel_id.tracking_number,
                ),
            )._tms_send_sms_gateway()
            log.job_uuid = job.uuid

    def _tms_send_sms_gateway(self):
        """Job: send the SMS through its gateway. A failure is written down in its own
        transaction, then raised as retryable: queue_job tries again later, following
        the job function's retry pattern, and gives up after ``SMS_MAX_ATTEMPTS``."""
        self.ensure_one()
        # sudo: background work of the company; the job runs as the user whose scan
        # triggered it, who need not read gateways or their secrets.
        log = self.sudo()
        if log.state == "sent":
            return self.env._("Already sent.")
        attempt = log.attempt_count + 1
        try:
            if not log.sms_gateway_id.active:
                raise sms_gateway.SmsGatewayConfigError(
                    self.env._(
                        "The SMS gateway %(gateway)s is archived.",
                        gateway=log.sms_gateway_id.name,
                    )
                )
            result = log.sms_gateway_id._tms_send(log.address, log.body)
        except sms_gateway.SmsGatewayError as error:
            permanent = isinstance(error, sms_gateway.SmsGatewayConfigError)
            final = permanent or attempt >= SMS_MAX_ATTEMPTS
            log._tms_record_sms_failure(attempt, error, final)
            if permanent:
                raise FailedJobError(error.message) from error
            raise RetryableJobError(error.message) from error
        log.write(
            {
                "state": "sent",
                "attempt_count": attempt,
                "date_sent": fields.Datetime.now(),
                "response_excerpt": result.response_excerpt,
                "error": False,
            }
        )
        log._tms_message_log(
            self.env._(
                "SMS sent to %(number)s through %(gateway)s: %(text)s",
                number=log.address,
                gateway=log.sms_gateway_id.name,
                text=log.body,
            )
        )
        return self.env._("Sent (HTTP %(status)s).", status=result.status_code)

    def _tms_record_sms_failure(self, attempt, error, final):
        """Write a failed attempt in a transaction of its own: the job's transaction is
        rolled back when it raises to be retried, and the failure must stay visible."""
        self.ensure_one()
        self.env.flush_all()
        vals = {
            "state": "failed" if final else "retrying",
            "attempt_count": attempt,
            "error": error.message,
            "response_excerpt": error.response_excerpt or False,
        }
        with self.env.registry.cursor() as cr:
            log = self.with_env(self.env(cr=cr)).sudo()
            log.write(vals)
            if final:
                log._tms_message_log(
                    self.env._(
                        "SMS to %(number)s failed after %(count)s attempts: %(error)s",
                        number=log.address,
                        count=attempt,
                        error=error.message,
                    )
                )
        self.env.invalidate_all()
        _logger.info(
            "SMS %s to %s through gateway %s failed (attempt %s): %s",
            self.id,
            self.address,
            self.sms_gateway_id.id,
            attempt,
            error.message,
        )
