# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import socket

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# A printer that does not answer within this many seconds is reported offline.
CHECK_TIMEOUT = 3.0

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
                with socket.create_connection(
                    (printer.host.strip(), printer.port or 9100), timeout=CHECK_TIMEOUT
                ):
                    pass
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
        """Whether the Odoo server sends the jobs itself (the print job cron), rather
        than a user downloading them or another device fetching them."""
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
