# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.tms_device.tools import raw_tcp

# print jobs sent by one run of a printer; it runs again at once while some are left
SEND_BATCH_SIZE = 50
# the identity key of a printer's send run: printer id, then its eta (or "now")
SEND_RUN_KEY = "tms.printer.send:{printer_id}:{eta}"
# queue.job states of a run that has not started yet
SEND_RUN_WAITING = ("wait_dependencies", "pending", "enqueued")

PRINTER_LANGUAGES = [("zpl", "ZPL II"), ("escpos", "ESC/POS"), ("pdf", "PDF")]
# the label format each printer language takes
LANGUAGE_FORMAT = {"zpl": "zpl", "escpos": "escpos", "pdf": "pdf"}


class TmsPrinter(models.Model):
    """A label or receipt printer.

    ``connection`` says how jobs reach it: ``network`` sends raw bytes from the Odoo
    server to ``host:port`` (TCP 9100, Zebra and most thermal printers), ``download``
    lets the user download the file and print it himself; other modules add their own
    (the hardware box adds ``box``) together with a ``tms.print.job._send_<connection>``
    method.
    """

    _name = "tms.printer"
    _description = "Printer"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    language = fields.Selection(
        PRINTER_LANGUAGES,
        required=True,
        default="zpl",
        help="What the printer understands: ZPL II (Zebra and compatible label "
        "printers), ESC/POS (receipt printers) or PDF (office printers, or a "
        "downloaded file).",
    )
    dpi = fields.Integer(
        string="Resolution (dpi)",
        default=203,
        help="ZPL printers print at 203 dpi (8 dots/mm) or 300 dpi (12 dots/mm).",
    )
    width_mm = fields.Integer(
        string="Width (mm)",
        default=100,
        help="Label width; the paper width for ESC/POS printers (80 mm).",
    )
    height_mm = fields.Integer(
        string="Height (mm)",
        default=150,
        help="Label height; ignored by ESC/POS printers (continuous paper).",
    )
    connection = fields.Selection(
        [("network", "Network (raw TCP 9100)"), ("download", "Download")],
        required=True,
        default="network",
        help="Network: the Odoo server sends the labels to the printer's address; it "
        "must be able to reach it. Download: the user downloads the file.",
    )
    host = fields.Char(help="IP address or host name of a network printer.")
    port = fields.Integer(default=9100)
    hub_id = fields.Many2one(
        "tms.hub",
        string="Hub",
        check_company=True,
        index="btree_not_null",
        help="Where the printer stands; the hub's default printer is chosen among "
        "these.",
    )
    label_layout_id = fields.Many2one(
        "tms.label.layout",
        string="Label Layout",
        check_company=True,
        help="Layout used for this printer when none is chosen; the company's default "
        "layout otherwise.",
    )
    status = fields.Selection(
        [("unknown", "Unknown"), ("online", "Online"), ("offline", "Offline")],
        default="unknown",
        readonly=True,
        copy=False,
        help="Updated by the Check button and by every attempt to send a job.",
    )
    status_date = fields.Datetime(string="Status Checked On", readonly=True, copy=False)
    status_message = fields.Char(readonly=True, copy=False)
    job_ids = fields.One2many("tms.print.job", "printer_id", string="Print Jobs")
    job_queued_count = fields.Integer(compute="_compute_job_counts")
    job_failed_count = fields.Integer(compute="_compute_job_counts")

    _sql_constraints = [
        (
            "port_valid",
            "CHECK(port IS NULL OR (port > 0 AND port < 65536))",
            "A TCP port is a number between 1 and 65535.",
        ),
    ]

    def _compute_job_counts(self):
        counts = {
            (printer.id, state): count
            for printer, state, count in self.env["tms.print.job"]._read_group(
                [("printer_id", "in", self.ids), ("state", "in", ("queued", "failed"))],
                ["printer_id", "state"],
                ["__count"],
            )
        }
        for printer in self:
            printer.job_queued_count = counts.get((printer.id, "queued"), 0)
            printer.job_failed_count = counts.get((printer.id, "failed"), 0)

    @api.constrains("connection", "host", "language", "dpi", "width_mm", "height_mm")
    def _check_settings(self):
        for printer in self:
            if printer.connection == "network" and not (printer.host or "").strip():
                raise ValidationError(
                    self.env._(
                        "Printer %(printer)s is on the network: give its IP address "
                        "or host name.",
                        printer=printer.name,
                    )
                )
            if printer.language == "zpl" and printer.dpi not in (203, 300):
                raise ValidationError(
                    self.env._(
                        "ZPL printer %(printer)s: the resolution is 203 or 300 dpi.",
                        printer=printer.name,
                    )
                )
            if not (20 <= printer.width_mm <= 300) or not (
                printer.language == "escpos" or 20 <= printer.height_mm <= 400
            ):
                raise ValidationError(
                    self.env._(
                        "Printer %(printer)s: a label is 20 to 300 mm wide and 20 to "
                        "400 mm high.",
                        printer=printer.name,
                    )
                )

    @api.onchange("language")
    def _onchange_language(self):
        if self.language == "escpos":
            self.width_mm = 80
        elif self.language == "pdf" and self.connection == "network":
            self.connection = "download"

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_check_status(self):
        """Try to reach each network printer (a TCP connection, a few seconds at most)
        and show the result."""
        self._tms_check_status()
        if len(self) == 1:
            kind = "success" if self.status == "online" else "warning"
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.name,
                    "message": self.status_message,
                    "type": kind,
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return True

    def action_view_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_print_job_action"
        )
        action["domain"] = [("printer_id", "=", self.id)]
        action["context"] = {"default_printer_id": self.id}
        return action

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    def _tms_check_status(self):
        for printer in self:
            if printer.connection != "network":
                printer._tms_set_status(
                    "unknown",
                    self.env._("Only network printers can be checked from Odoo."),
                )
                continue
            try:
                # a printer that does not answer within raw_tcp.PROBE_TIMEOUT (3 s)
                # is reported offline
                raw_tcp.probe(printer.host, printer.port)
            except OSError as error:
                printer._tms_set_status(
                    "offline",
                    self.env._(
                        "%(host)s:%(port)s does not answer: %(error)s",
                        host=printer.host,
                        port=printer.port,
                        error=error.strerror or str(error),
                    ),
                )
            else:
                printer._tms_set_status(
                    "online",
                    self.env._(
                        "%(host)s:%(port)s answers.",
                        host=printer.host,
                        port=printer.port,
                    ),
                )

    def _tms_set_status(self, status, message):
        self.write(
            {
                "status": status,
                "status_message": message,
                "status_date": fields.Datetime.now(),
            }
        )

    def _tms_is_sent_by_server(self):
        """Whether the Odoo server sends the jobs itself (the printer's send runs),
        rather than a user downloading them or another device fetching them."""
        self.ensure_one()
        return self.connection == "network"

    def _tms_label_format(self):
        self.ensure_one()
        return LANGUAGE_FORMAT[self.language]

    @api.model
    def _tms_default_printer(self, hub=None):
        """The printer a user prints to unless he picks one: his own default printer,
        else the default printer of ``hub``, else none."""
        user_printer = self.env.user.user_default_printer_id
        if user_printer and user_printer.company_id == self.env.company:
            return user_printer
        if hub and hub.default_printer_id:
            return hub.default_printer_id
        return self.browse()

    def _tms_ensure_usable(self):
        for printer in self:
            if not printer.active:
                raise UserError(
                    self.env._("Printer %(printer)s is archived.", printer=printer.name)
                )

    # ----------------------------------------------------------------------------------
    # send runs (queue_job)
    # ----------------------------------------------------------------------------------
    def _tms_send_due_jobs(self):
        """Queue job, one per printer at a time: send the printer's queued print jobs
        that are due, oldest first, record how each went and enqueue the next run for
        the jobs still waiting.

        A send that fails never raises: it is recorded on its print job (state,
        attempts, error, next attempt date), and raising would roll back the jobs
        already printed by this run, which the next run would print again. The
        transaction is committed by the job runner.
        """
        self.ensure_one()
        # sudo: background work of the company, run as the user who queued the labels,
        # who may not write the printer's status; the company is the printer's.
        printer = self.sudo().exists()
        if not printer.active:
            return self.env._("The printer is archived or deleted: nothing sent.")
        printer = printer.with_company(printer.company_id)
        jobs = printer.env["tms.print.job"].search(
            [
                ("printer_id", "=", printer.id),
                ("state", "=", "queued"),
                ("next_attempt_date", "<=", fields.Datetime.now()),
            ],
            order="next_attempt_date, id",
            limit=SEND_BATCH_SIZE,
        )
        if not jobs:
            return self.env._("No print job due.")
        # another run of the printer may be sending some of them: it keeps them
        locked_ids = {
            row[0]
            for row in printer.env.execute_query(
                SQL(
                    "SELECT id FROM tms_print_job WHERE id IN %s AND state = 'queued' "
                    "FOR UPDATE SKIP LOCKED",
                    tuple(jobs.ids),
                )
            )
        }
        locked = jobs.filtered(lambda j: j.id in locked_ids)
        locked._send()
        # the jobs the other run holds are rescheduled by that run
        printer._tms_schedule_send(exclude_jobs=jobs - locked)
        return self.env._(
            "%(count)s print jobs tried, %(printed)s printed or handed over.",
            count=len(locked),
            printed=len(locked.filtered(lambda j: j.state in ("done", "sent"))),
        )

    def _tms_schedule_send(self, exclude_jobs=None):
        """Enqueue a send run of each printer for its earliest queued job that waits
        for a (new) attempt, if any; ``exclude_jobs`` are left out."""
        domain = [
            ("printer_id", "in", self.ids),
            ("state", "=", "queued"),
            ("next_attempt_date", "!=", False),
        ]
        if exclude_jobs:
            domain.append(("id", "not in", exclude_jobs.ids))
        for printer, next_date in (
            self.env["tms.print.job"]
            .sudo()
            ._read_group(domain, ["printer_id"], ["next_attempt_date:min"])
        ):
            printer.with_env(self.env)._tms_enqueue_send(next_date)

    def _tms_enqueue_send(self, eta=None):
        """Enqueue a send run of each printer at ``eta`` (now when empty or past),
        unless a run that has not started yet comes at that time or earlier (it
        sends the jobs due by then, and enqueues the next run itself)."""
        now = fields.Datetime.now()
        if eta and eta <= now:
            eta = None
        # sudo: users who print do not read the job queue; only the printer's own
        # send runs are looked up
        QueueJob = self.env["queue.job"].sudo()
        for printer in self:
            waiting_run_domain = [
                (
                    "identity_key",
                    "=like",
                    SEND_RUN_KEY.format(printer_id=printer.id, eta="%"),
                ),
                ("state", "in", SEND_RUN_WAITING),
                "|",
                ("eta", "=", False),
                ("eta", "<=", eta or now),
            ]
            if QueueJob.search_count(waiting_run_domain, limit=1):
                continue
            printer.with_delay(
                eta=eta,
                identity_key=SEND_RUN_KEY.format(
                    printer_id=printer.id,
                    eta=fields.Datetime.to_string(eta) if eta else "now",
                ),
                description=self.env._("Print on %(printer)s", printer=printer.name),
            )._tms_send_due_jobs()
