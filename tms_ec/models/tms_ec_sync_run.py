# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models

# Sync runs (with their log) and webhook events are kept this long.
SYNC_LOG_RETENTION = timedelta(days=90)


class TmsEcSyncRun(models.Model):
    """One import of a shop's orders: a sync (scheduled or manual), or the day's
    webhooks of a shop. Its log has one line per order received."""

    _name = "tms.ec.sync.run"
    _description = "Shop Sync Run"
    _order = "id desc"

    backend_id = fields.Many2one(
        "tms.ec.backend",
        string="Shop",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    trigger = fields.Selection(
        [("cron", "Scheduled"), ("manual", "Manual"), ("webhook", "Webhook")],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Done"),
            ("partial", "Done with Errors"),
            ("failed", "Failed"),
        ],
        default="running",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    date_start = fields.Datetime(
        string="Started", default=fields.Datetime.now, required=True, readonly=True
    )
    date_end = fields.Datetime(string="Ended", readonly=True)
    since = fields.Datetime(
        string="Orders Changed Since",
        readonly=True,
        help="The shop's orders created or changed since then were asked for.",
    )
    newest_updated_at = fields.Char(
        readonly=True,
        help="The most recent change date of the orders seen (the shop's time); the "
        "next sync starts there.",
    )
    page_count = fields.Integer(string="Pages", readonly=True)
    error = fields.Text(readonly=True)
    job_uuid = fields.Char(
        string="Job", readonly=True, copy=False, help="The job importing the next page."
    )
    log_ids = fields.One2many("tms.ec.sync.log", "run_id", string="Orders")
    imported_count = fields.Integer(string="Imported", compute="_compute_counts")
    skipped_count = fields.Integer(string="Skipped", compute="_compute_counts")
    cancelled_count = fields.Integer(string="Cancelled", compute="_compute_counts")
    failed_count = fields.Integer(string="Errors", compute="_compute_counts")

    # not stored: webhooks of many requests add lines to the day's run at once, a
    # stored count would make them wait for each other
    @api.depends("log_ids.result")
    def _compute_counts(self):
        counts = {
            (run.id, result): count
            for run, result, count in self.env["tms.ec.sync.log"]._read_group(
                [("run_id", "in", self.ids)], ["run_id", "result"], ["__count"]
            )
        }
        for run in self:
            run.imported_count = counts.get((run.id, "imported"), 0)
            run.skipped_count = counts.get((run.id, "skipped"), 0) + counts.get(
                (run.id, "updated"), 0
            )
            run.cancelled_count = counts.get((run.id, "cancelled"), 0)
            run.failed_count = counts.get((run.id, "error"), 0)

    @api.depends("backend_id", "date_start", "trigger")
    def _compute_display_name(self):
        labels = dict(self._fields["trigger"]._description_selection(self.env))
        for run in self:
            run.display_name = self.env._(
                "%(shop)s: %(trigger)s %(date)s",
                shop=run.backend_id.name,
                trigger=labels.get(run.trigger, ""),
                date=fields.Datetime.to_string(
                    fields.Datetime.context_timestamp(run, run.date_start)
                )
                if run.date_start
                else "",
            )

    def _tms_ec_close(self, error=None):
        """End the run: failed with ``error``, else done (with errors when an order
        could not be imported)."""
        for run in self:
            if error:
                state = "failed"
            else:
                state = "partial" if run.failed_count else "done"
            run.write(
                {
                    "state": state,
                    "date_end": fields.Datetime.now(),
                    "error": error or False,
                    "job_uuid": False,
                }
            )

    @api.model
    def _cron_tms_ec_gc(self):
        """Every day: forget the sync runs (and their log) and the webhook events
        older than 90 days."""
        limit = fields.Datetime.now() - SYNC_LOG_RETENTION
        # sudo: the scheduler cleans the log of every company
        self.sudo().search(
            [("date_start", "<", limit), ("state", "!=", "running")]
        ).unlink()
        self.env["tms.ec.webhook.event"].sudo().search(
            [("date_received", "<", limit)]
        ).unlink()
