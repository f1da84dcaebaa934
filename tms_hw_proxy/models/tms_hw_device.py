# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class TmsHwDevice(models.Model):
    """A printer or a scanner attached to a hardware box, as the box reports it.

    Devices are created and updated from the box's answers (pairing, status checks);
    people only name them, link printers to them and choose whose screens a scanner
    feeds.
    """

    _name = "tms.hw.device"
    _description = "Hardware Box Device"
    _order = "box_id, device_type, identifier"
    _check_company_auto = True

    box_id = fields.Many2one(
        "tms.hw.box", string="Box", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="box_id.company_id", store=True, index=True, precompute=True
    )
    identifier = fields.Char(
        required=True,
        readonly=True,
        help="The device's id on the box (devices.json, or found on its USB ports).",
    )
    name = fields.Char(required=True)
    device_type = fields.Selection(
        [("printer", "Printer"), ("scanner", "Scanner")],
        string="Type",
        required=True,
        readonly=True,
    )
    language = fields.Selection(
        [("zpl", "ZPL II"), ("escpos", "ESC/POS"), ("raw", "Raw")],
        readonly=True,
        help="What the box was told the printer speaks.",
    )
    connection = fields.Char(
        readonly=True, help="How the box reaches it: network, usb, serial, file."
    )
    status = fields.Selection(
        [
            ("unknown", "Unknown"),
            ("online", "Online"),
            ("offline", "Offline"),
            ("unsupported", "No Driver"),
        ],
        default="unknown",
        required=True,
        readonly=True,
    )
    status_message = fields.Char(readonly=True)
    status_date = fields.Datetime(string="Status Reported On", readonly=True)
    user_ids = fields.Many2many(
        "res.users",
        "tms_hw_device_res_users_rel",
        "device_id",
        "user_id",
        string="Screens Of",
        domain="[('share', '=', False)]",
        help="Scanners: only these users' screens receive the reads (the people "
        "working at this box). Empty: every operator of the company.",
    )
    printer_ids = fields.One2many("tms.printer", "device_id", string="Printers")

    _sql_constraints = [
        (
            "identifier_box_uniq",
            "unique(box_id, identifier)",
            "A box reports each device once.",
        ),
    ]

    @api.depends("name", "box_id.name")
    def _compute_display_name(self):
        for device in self:
            device.display_name = (
                f"{device.name} ({device.box_id.name})"
                if device.box_id
                else device.name
            )

    def _tms_update(self, vals, now):
        """Write the reported values that changed (the name is the user's once set)."""
        for device in self:
            changed = {
                key: value
                for key, value in vals.items()
                if key not in ("identifier", "name") and device[key] != value
            }
            if changed:
                changed["status_date"] = now
                device.write(changed)

    def _tms_update_printers(self):
        """Report each device's status on the printers that print through it."""
        printers = self.env["tms.printer"].search(
            [("device_id", "in", self.ids), ("connection", "=", "box")]
        )
        for printer in printers:
            device = printer.device_id
            status = device.status if device.status in ("online", "offline") else None
            message = self.env._(
                "%(device)s on box %(box)s: %(status)s %(message)s",
                device=device.name,
                box=device.box_id.name,
                status=dict(device._fields["status"]._description_selection(self.env))[
                    device.status
                ],
                message=device.status_message or "",
            ).strip()
            if (status or "unknown", message) != (
                printer.status,
                printer.status_message,
            ):
                printer._tms_set_status(status or "unknown", message)
