# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.tms_device.tools import raw_tcp

_logger = logging.getLogger(__name__)

# Failed sends are retried after 1, 2, 4, 8... minutes (at most an hour apart), until
# the job has been tried this many times; both can be changed in the system
# parameters tms_core.print_job_max_attempts and tms_core.print_job_retry_delay.
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_DELAY = 60
MAX_RETRY_DELAY = 3600

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "zpl": "application/vnd.zebra.zpl",
    "escpos": "application/vnd.escpos",
}
FILE_EXTENSIONS = {"pdf": "pdf", "zpl": "zpl", "escpos": "bin"}
JOB_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]


class TmsPrintError(Exception):
    """A printer could not take a job; the message says why (shown to users)."""


class TmsPrintJob(models.Model):
    """Bytes to print on one printer, kept until they are printed.

    A job is created queued. Jobs for printers the server reaches (``network``) are
    sent by their printer's send run, a queue job (``tms.printer._tms_send_due_jobs``,
    enqueued at once, so never inside the user's request); a failure leaves the job
    queued with the reason and a later attempt date, growing exponentially, and the
    printer's next run is enqueued for that date, until the job has been tried
    ``tms_core.print_job_max_attempts`` times: then it is failed, shown in the Print
    Jobs list, and can be retried or downloaded. The job, not the queue job, holds the
    state, the attempts and the error. ``download`` jobs wait for the user to download
    the file.

    Each connection of :class:`TmsPrinter` has a ``_send_<connection>()`` method here
    that sends ``self`` (one job) and returns the job's new state, or raises
    :class:`TmsPrintError` (or :class:`OSError`).
    """

    _name = "tms.print.job"
    _description = "Print Job"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    printer_id = fields.Many2one(
        "tms.printer",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    connection = fields.Selection(related="printer_id.connection")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Requested By",
        default=lambda self: self.env.user,
        readonly=True,
        index=True,
    )
    state = fields.Selection(
        JOB_STATES,
        default="queued",
        required=True,
        copy=False,
        index=True,
        readonly=True,
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="File", readonly=True, ondelete="set null"
    )
    content_type = fields.Char(
        readonly=True, help="The MIME type of the bytes to print."
    )
    label_format = fields.Selection(
        [("pdf", "PDF"), ("zpl", "ZPL II"), ("escpos", "ESC/POS")],
        readonly=True,
        string="Format",
    )
    parcel_ids = fields.Many2many(
        "tms.parcel",
        "tms_print_job_parcel_rel",
        "job_id",
        "parcel_id",
        string="Parcels",
        readonly=True,
    )
    parcel_count = fields.Integer(compute="_compute_parcel_count")
    copies = fields.Integer(
        default=1, help="How many times the file is sent to the printer."
    )
    attempt_count = fields.Integer(readonly=True, copy=False)
    next_attempt_date = fields.Datetime(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the job will be sent (again); empty for jobs nobody sends "
        "automatically (downloads, failed or finished jobs).",
    )
    date_done = fields.Datetime(string="Printed On", readonly=True, copy=False)
    error = fields.Text(
        string="Last Error", readonly=True, copy=False, help="Why the last try failed."
    )
    attempt_ids = fields.One2many(
        "tms.print.job.attempt", "job_id", string="Attempts", readonly=True
    )
    label_batch_id = fields.Many2one(
        "tms.label.batch",
        string="Label Batch",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    _sql_constraints = [
        ("copies_positive", "CHECK(copies > 0)", "Print at least one copy."),
    ]

    def _compute_parcel_count(self):
        for job in self:
            job.parcel_count = len(job.parcel_ids)

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_retry(self):
        """Put failed (or waiting) jobs back in the queue for a new series of tries;
        they are sent in the background within moments."""
        jobs = self.filtered(lambda j: j.state in ("queued", "failed", "sent"))
        if not jobs:
            raise UserError(self.env._("Only queued, sent or failed jobs are retried."))
        server_jobs = jobs.filtered(lambda j: j.printer_id._tms_is_sent_by_server())
        (jobs - server_jobs).write({"state": "queued", "next_attempt_date": False})
        server_jobs.write(
            {
                "state": "queued",
                "attempt_count": 0,
                "next_attempt_date": fields.Datetime.now(),
            }
        )
        jobs._tms_dispatch()
        return True

    def action_cancel(self):
        jobs = self.filtered(lambda j: j.state in ("queued", "failed", "sent"))
        jobs.write({"state": "cancelled", "next_attempt_date": False})
        jobs._tms_log_attempts(
            True, self.env._("Cancelled by %(user)s.", user=self.env.user.name)
        )
        return True

    def action_download(self):
        """Download the job's file (the fallback when a printer cannot be reached).

        A job waiting to be sent is then considered printed by the user, so that it is
        not sent again later and printed twice."""
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(self.env._("This job's file is no longer available."))
        if self.state in ("queued", "failed", "sent"):
            self.write(
                {
                    "state": "done",
                    "date_done": fields.Datetime.now(),
                    "next_attempt_date": False,
                }
            )
            self._tms_log_attempts(
                True,
                self.env._("Downloaded by %(user)s.", user=self.env.user.name),
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def action_download_pdf(self):
        """Render the job's parcels as a PDF, whatever the printer's language: the
        fallback for a thermal printer that is off."""
        self.ensure_one()
        if not self.parcel_ids:
            raise UserError(self.env._("This job has no parcels to render as PDF."))
        return self.parcel_ids._tms_label_download_action("pdf")

    def action_view_parcels(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_parcel_action"
        )
        action["domain"] = [("id", "in", self.parcel_ids.ids)]
        return action

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_create_jobs(self, printer, payloads):
        """Queue one job per payload on ``printer`` and start sending them.

        ``payloads``: a list of dicts with ``data`` (the bytes to print) and,
        optionally, ``name``, ``parcels`` (a ``tms.parcel`` recordset), ``copies``,
        ``label_format`` (the printer's language by default), ``content_type`` and
        ``label_batch_id``.
        Returns the jobs.
        """
        printer.ensure_one()
        printer._tms_ensure_usable()
        now = fields.Datetime.now()
        by_server = printer._tms_is_sent_by_server()
        vals_list = []
        for index, payload in enumerate(payloads, start=1):
            label_format = payload.get("label_format") or printer._tms_label_format()
            parcels = payload.get("parcels") or self.env["tms.parcel"]
            name = payload.get("name") or self._tms_default_job_name(
                printer, parcels, index
            )
            vals_list.append(
                {
                    "name": name,
                    "printer_id": printer.id,
                    "company_id": printer.company_id.id,
                    "label_format": label_format,
                    "content_type": payload.get("content_type")
                    or CONTENT_TYPES.get(label_format, "application/octet-stream"),
                    "parcel_ids": [fields.Command.set(parcels.ids)],
                    "copies": payload.get("copies") or 1,
                    "next_attempt_date": now if by_server else False,
                    "label_batch_id": payload.get("label_batch_id", False),
                }
            )
        jobs = self.create(vals_list)
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": "{}.{}".format(
                        job.name, FILE_EXTENSIONS.get(job.label_format, "bin")
                    ),
                    "raw": payload["data"],
                    "mimetype": job.content_type,
                    "res_model": self._name,
                    "res_id": job.id,
                    "company_id": job.company_id.id,
                }
                for job, payload in zip(jobs, payloads, strict=True)
            ]
        )
        for job, attachment in zip(jobs, attachments, strict=True):
            job.attachment_id = attachment
        jobs._tms_dispatch()
        return jobs

    @api.model
    def _tms_default_job_name(self, printer, parcels, index):
        if not parcels:
            return f"{printer.name} #{index}"
        first = parcels[0].tracking_number
        if len(parcels) == 1:
            return first
        return self.env._(
            "%(first)s and %(count)s more", first=first, count=len(parcels) - 1
        )

    def _tms_dispatch(self):
        """Start sending queued jobs: the jobs of server-reached printers are sent in
        the background, now, by a send run of their printer. Other modules hook their
        connections here."""
        self.filtered(
            lambda j: j.state == "queued" and j.next_attempt_date
        ).printer_id._tms_enqueue_send()

    def _tms_payload(self):
        """The bytes to send to the printer (the file, once per copy)."""
        self.ensure_one()
        if not self.attachment_id:
            raise TmsPrintError(self.env._("The job's file has been deleted."))
        data = self.attachment_id.raw or b""
        return data * max(self.copies, 1)

    def _send(self):
        """Send each job of ``self`` now, through its printer's connection, and record
        the attempt. A failure leaves the job queued for a later try (or failed once
        it has been tried too often); jobs to a printer that just failed are not tried
        again in the same run (they would each wait for the same timeout). The caller
        enqueues the next run (``_tms_schedule_next_run``)."""
        unreachable = {}
        for job in self:
            if job.state != "queued":
                continue
            printer = job.printer_id
            if printer in unreachable:
                job._tms_register_failure(unreachable[printer], tried=False)
                continue
            method = getattr(job, f"_send_{printer.connection}", None)
            start = time.monotonic()
            try:
                if method is None:
                    raise TmsPrintError(
                        self.env._(
                            "Jobs cannot be sent to %(connection)s printers.",
                            connection=printer.connection,
                        )
                    )
                new_state = method()
            except (TmsPrintError, OSError) as error:
                reason = self._tms_error_message(printer, error)
                unreachable[printer] = reason
                job._tms_register_failure(reason, duration=time.monotonic() - start)
                printer._tms_set_status("offline", reason)
            else:
                job._tms_register_success(new_state, time.monotonic() - start)

    def _tms_error_message(self, printer, error):
        if isinstance(error, TmsPrintError):
            return str(error)
        if raw_tcp.is_timeout(error):
            return self.env._(
                "%(printer)s (%(host)s:%(port)s) did not answer in time: is it on "
                "and connected?",
                printer=printer.name,
                host=printer.host,
                port=printer.port,
            )
        return self.env._(
            "%(printer)s (%(host)s:%(port)s) cannot be reached: %(error)s",
            printer=printer.name,
            host=printer.host,
            port=printer.port,
            error=error.strerror or str(error),
        )

    def _send_network(self):
        """Send the bytes over raw TCP (port 9100) and close: Zebra and ESC/POS network
        printers print what they receive and answer nothing."""
        # raw_tcp's timeouts (5 s to connect, 10 s for each chunk of data): an
        # unplugged printer never holds a worker for long
        raw_tcp.send(self.printer_id.host, self.printer_id.port, self._tms_payload())
        return "done"

    def _send_download(self):
        """Nothing to send: the job waits until the user downloads its file."""
        return "queued"

    def _tms_register_success(self, new_state, duration=0.0):
        self.ensure_one()
        vals = {"attempt_count": self.attempt_count + 1, "error": False}
        if new_state == "done":
            vals.update(
                state="done", date_done=fields.Datetime.now(), next_attempt_date=False
            )
            message = self.env._(
                "Sent to %(printer)s (%(size)s bytes).",
                printer=self.printer_id.name,
                size=len(self.attachment_id.raw or b"") * self.copies,
            )
            self.printer_id._tms_set_status("online", message)
        elif new_state == "sent":
            vals.update(state="sent", next_attempt_date=False)
            message = self.env._(
                "Handed over to %(printer)s; waiting for its answer.",
                printer=self.printer_id.name,
            )
        else:
            # waiting for someone else (a download): not an attempt
            vals = {"next_attempt_date": False}
            message = False
        self.write(vals)
        if message:
            self._tms_log_attempts(True, message, duration=duration)

    def _tms_register_failure(self, reason, duration=0.0, tried=True):
        """Count a failed try: queue the job for a later one, or fail it for good when
        it has been tried too often."""
        self.ensure_one()
        max_attempts, base_delay = self._tms_retry_settings()
        attempt_count = self.attempt_count + 1
        vals = {"attempt_count": attempt_count, "error": reason}
        if attempt_count >= max_attempts:
            vals.update(state="failed", next_attempt_date=False)
        else:
            delay = min(base_delay * 2 ** (attempt_count - 1), MAX_RETRY_DELAY)
            vals.update(
                state="queued",
                next_attempt_date=fields.Datetime.now() + timedelta(seconds=delay),
            )
        self.write(vals)
        if not tried:
            reason = self.env._(
                "Not tried: the printer failed just before. %(reason)s", reason=reason
            )
        self._tms_log_attempts(False, reason, duration=duration)
        _logger.info(
            "Print job %s failed (attempt %s/%s): %s",
            self.id,
            attempt_count,
            max_attempts,
            reason,
        )

    def _tms_retry_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        try:
            max_attempts = int(
                params.get_param(
                    "tms_core.print_job_max_attempts", DEFAULT_MAX_ATTEMPTS
                )
            )
            delay = int(
                params.get_param("tms_core.print_job_retry_delay", DEFAULT_RETRY_DELAY)
            )
        except ValueError:
            max_attempts, delay = DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_DELAY
        return max(max_attempts, 1), max(delay, 1)

    def _tms_log_attempts(self, success, message, duration=0.0):
        self.env["tms.print.job.attempt"].create(
            [
                {
                    "job_id": job.id,
                    "success": success,
                    "message": message,
                    "duration": duration,
                }
                for job in self
            ]
        )

    def _tms_schedule_next_run(self):
        """Enqueue the send run of the jobs' printers for their next due job."""
        self.printer_id._tms_schedule_send()


class TmsPrintJobAttempt(models.Model):
    _name = "tms.print.job.attempt"
    _description = "Print Job Attempt"
    _order = "id desc"

    job_id = fields.Many2one(
        "tms.print.job", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="job_id.company_id", store=True, index=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    success = fields.Boolean()
    message = fields.Text()
    duration = fields.Float(string="Duration (s)", digits=(16, 2))
