# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsPrinter(models.Model):
    """Printers on a hardware box: the browsers of the warehouse send them the jobs
    (``tms.print.job._send_box``)."""

    _inherit = "tms.printer"

    connection = fields.Selection(
        selection_add=[("box", "Hardware box")],
        ondelete={"box": "set download"},
        help="Network: the Odoo server sends the labels to the printer's address; it "
        "must be able to reach it. Download: the user downloads the file. Hardware "
        "box: the browsers of the warehouse send the labels to a box on their "
        "network, which prints them.",
    )
    box_id = fields.Many2one(
        "tms.hw.box",
        string="Box",
        check_company=True,
        index="btree_not_null",
        help="The hardware box the printer is attached to.",
    )
    device_id = fields.Many2one(
        "tms.hw.device",
        string="Device",
        check_company=True,
        index="btree_not_null",
        domain="[('box_id', '=', box_id), ('device_type', '=', 'printer')]",
        help="The printer as the box knows it.",
    )

    @api.constrains("connection", "box_id", "device_id", "language")
    def _check_box_settings(self):
        for printer in self.filtered(lambda p: p.connection == "box"):
            if not printer.box_id or not printer.device_id:
                raise ValidationError(
                    self.env._(
                        "Printer %(printer)s is on a hardware box: choose the box "
                        "and the device.",
                        printer=printer.name,
                    )
                )
            if printer.device_id.box_id != printer.box_id:
                raise ValidationError(
                    self.env._(
                        "Device %(device)s is not on box %(box)s.",
                        device=printer.device_id.display_name,
                        box=printer.box_id.name,
                    )
                )
            if printer.device_id.device_type != "printer":
                raise ValidationError(
                    self.env._(
                        "Device %(device)s is a scanner, not a printer.",
                        device=printer.device_id.display_name,
                    )
                )
            if printer.language == "pdf":
                raise ValidationError(
                    self.env._(
                        "A hardware box sends raw ZPL or ESC/POS to its printers: "
                        "printer %(printer)s cannot print PDF through it.",
                        printer=printer.name,
                    )
                )

    @api.onchange("box_id")
    def _onchange_box_id(self):
        if self.device_id and self.device_id.box_id != self.box_id:
            self.device_id = False

    @api.onchange("device_id")
    def _onchange_device_id(self):
        if self.device_id.language in ("zpl", "escpos"):
            self.language = self.device_id.language

    def action_check_box(self):
        """Ask this browser to call the printer's box and report its devices."""
        self.ensure_one()
        return self.box_id.action_check()

    def _tms_is_sent_by_server(self):
        # Box jobs are queued by the server for the browsers, and queued again by
        # the printer's send run after a failure: they follow the server's retry
        # schedule.
        self.ensure_one()
        return self.connection == "box" or super()._tms_is_sent_by_server()

    def _tms_check_status(self):
        """Box printers: the server cannot reach them; show what the box last
        reported (the browsers refresh it every minute)."""
        box_printers = self.filtered(lambda p: p.connection == "box")
        for printer in box_printers:
            if printer.box_id.state == "offline":
                printer._tms_set_status(
                    "offline",
                    self.env._(
                        "Box %(box)s does not answer: %(reason)s",
                        box=printer.box_id.name,
                        reason=printer.box_id.status_message or "",
                    ),
                )
            else:
                printer.device_id._tms_update_printers()
        return super(TmsPrinter, self - box_printers)._tms_check_status()
