# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.tms_core.models.labels.tms_print_job import TmsPrintError

# jobs handed to the browsers of one user in one call
CLAIM_BATCH_SIZE = 5
# a job nobody's browser took for this long may be taken by any operator's browser
ORPHAN_DELAY = timedelta(minutes=2)
# a browser that took a job and did not report for this long has lost it
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_MESSAGE_LENGTH = 500


class TmsPrintJob(models.Model):
    """Jobs for printers on a hardware box.

    The server cannot reach the box: ``_send_box`` only marks the job as waiting for
    a browser (``box_pending``, still queued). The web client service of a browser on
    the warehouse network takes it (``tms_box_claim_jobs``: the job is then
    ``sent``), posts the bytes to the box and reports the result
    (``action_box_result``): done, or a failure that is retried on the usual
    schedule (the printer's send run hands it back to the browsers when it is due).
    A job never lost: a browser that took a job and went away gives it back
    after ``CLAIM_TIMEOUT`` (cron), and the box ignores a job it has already printed
    (the job key), so a job is not printed twice either.
    """

    _inherit = "tms.print.job"

    box_pending = fields.Boolean(
        string="Waiting for a Browser",
        readonly=True,
        copy=False,
        index=True,
        help="The job waits for Odoo to be open in a browser on the box's network, "
        "which sends it to the box.",
    )
    box_pending_date = fields.Datetime(readonly=True, copy=False)
    box_claim_date = fields.Datetime(
        string="Taken On",
        readonly=True,
        copy=False,
        help="When a browser took the job to send it to the box.",
    )
    box_claim_user_id = fields.Many2one(
        "res.users", string="Taken By", readonly=True, copy=False
    )
    box_id = fields.Many2one(related="printer_id.box_id", string="Box")

    # ----------------------------------------------------------------------------------
    # sending
    # ----------------------------------------------------------------------------------
    def _tms_dispatch(self):
        """Box jobs are handed to the browsers at once: no I/O here, only flags."""
        box_jobs = self.filtered(
            lambda j: j.state == "queued" and j.printer_id.connection == "box"
        )
        if box_jobs:
            box_jobs.check_access("write")
            # _send() records the outcome on the printer too (its status), which
            # operators may not write; the job access checked above is theirs
            box_jobs.sudo()._send()
            # a job refused at once (the box is unpaired) waits for its next attempt
            box_jobs.sudo()._tms_schedule_next_run()
            self.env["bus.bus"]._sendone(
                self.env.user.partner_id, "tms_hw_proxy/jobs", {"job_ids": box_jobs.ids}
            )
        return super(TmsPrintJob, self - box_jobs)._tms_dispatch()

    def _send_box(self):
        """Queue the job for the browsers: it stays queued, flagged ``box_pending``."""
        printer = self.printer_id
        box = printer.box_id
        if not box or not printer.device_id:
            raise TmsPrintError(
                self.env._(
                    "Printer %(printer)s has no box or device.", printer=printer.name
                )
            )
        if box.state == "unpaired":
            raise TmsPrintError(
                self.env._(
                    "Box %(box)s is not paired: pair it again (Configuration > "
                    "Hardware Boxes).",
                    box=box.name,
                )
            )
        self.write(
            {
                "box_pending": True,
                "box_pending_date": fields.Datetime.now(),
                "box_claim_date": False,
                "box_claim_user_id": False,
            }
        )
        return "queued"

    # ----------------------------------------------------------------------------------
    # called by the web client service
    # ----------------------------------------------------------------------------------
    @api.model
    def tms_box_claim_jobs(self, limit=CLAIM_BATCH_SIZE):
        """Hand this browser the box jobs it should send now, with their bytes.

        A browser takes the jobs its user asked for, and any job that has been
        waiting for more than two minutes (its user closed Odoo). Taken jobs are
        ``sent``; two browsers never take the same job.
        """
        if not self.env.user.has_group("tms_core.group_tms_user"):
            return []
        self.check_access("write")
        now = fields.Datetime.now()
        jobs = self.search(
            [
                ("state", "=", "queued"),
                ("box_pending", "=", True),
                ("printer_id.connection", "=", "box"),
                "|",
                ("user_id", "=", self.env.uid),
                ("box_pending_date", "<=", now - ORPHAN_DELAY),
            ],
            order="id",
            limit=max(1, min(int(limit or CLAIM_BATCH_SIZE), 50)),
        )
        if not jobs:
            return []
        self.env.cr.execute(
            "SELECT id FROM tms_print_job WHERE id IN %s AND box_pending "
            "FOR UPDATE SKIP LOCKED",
            [tuple(jobs.ids)],
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        jobs = jobs.filtered(lambda j: j.id in locked)
        jobs.write(
            {
                "state": "sent",
                "box_pending": False,
                "box_claim_date": now,
                "box_claim_user_id": self.env.uid,
            }
        )
        database_uuid = (
            self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        )
        payloads = []
        for job in jobs:
            try:
                data = job._tms_payload()
            except TmsPrintError as error:
                job.sudo()._tms_register_failure(str(error))
                continue
            payloads.append(
                {
                    "id": job.id,
                    "name": job.name,
                    "box_id": job.printer_id.box_id.id,
                    "device": job.printer_id.device_id.identifier,
                    "printer": job.printer_id.name,
                    "job_key": f"{database_uuid}-{job.id}",
                    "data": base64.b64encode(data).decode(),
                }
            )
        return payloads

    def action_box_result(self, ok, message=None):
        """The browser reports what the box did with jobs it took.

        ``ok``: printed (done). Otherwise ``message`` says why; the job is queued
        for a later try, or failed after too many. A repeated or late report changes
        nothing. Returns the jobs' states.
        """
        self.check_access("write")
        reason_text = str(message or "").strip()[:MAX_MESSAGE_LENGTH] or self.env._(
            "no reason given"
        )
        for job in self:
            if job.printer_id.connection != "box":
                continue
            printer = job.printer_id
            # operators write jobs, not printers; the job outcome sets the printer
            # status (online / offline), hence sudo after the check above
            if ok and job.state in ("sent", "queued"):
                job.sudo().write({"box_pending": False})
                job.sudo()._tms_register_success("done")
            elif not ok and job.state == "sent":
                reason = self.env._(
                    "Box %(box)s, printer %(printer)s: %(reason)s",
                    box=printer.box_id.name,
                    printer=printer.name,
                    reason=reason_text,
                )
                job.sudo().write({"box_pending": False, "box_claim_date": False})
                job.sudo()._tms_register_failure(reason)
                printer.sudo()._tms_set_status("offline", reason)
        self.sudo()._tms_schedule_next_run()
        return [{"id": job.id, "state": job.state, "error": job.error} for job in self]

    # ----------------------------------------------------------------------------------
    # cron
    # ----------------------------------------------------------------------------------
    @api.model
    def _cron_box_reclaim(self):
        """Jobs taken by a browser that never reported: try them again."""
        jobs = self.search(
            [
                ("state", "=", "sent"),
                ("printer_id.connection", "=", "box"),
                ("box_claim_date", "<=", fields.Datetime.now() - CLAIM_TIMEOUT),
            ]
        )
        for job in jobs:
            job.write({"box_claim_date": False})
            job._tms_register_failure(
                self.env._(
                    "The browser that took this job (%(user)s) did not say whether "
                    "the box printed it: it is tried again (the box does not print a "
                    "job twice).",
                    user=job.box_claim_user_id.name or "-",
                )
            )
        jobs._tms_schedule_next_run()
