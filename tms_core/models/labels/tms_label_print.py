# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

LABEL_FORMATS = [("pdf", "PDF"), ("zpl", "ZPL II"), ("escpos", "ESC/POS")]


class TmsLabelPrint(models.Model):
    """One printing of a parcel's label: who, when, on which printer, the how-manyth
    time. Append-only, like the tracking events."""

    _name = "tms.label.print"
    _description = "Label Print"
    _order = "id desc"

    parcel_id = fields.Many2one(
        "tms.parcel", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="parcel_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Printed By",
        default=lambda self: self.env.user,
        readonly=True,
        required=True,
    )
    date = fields.Datetime(default=fields.Datetime.now, readonly=True, required=True)
    label_format = fields.Selection(LABEL_FORMATS, string="Format", readonly=True)
    printer_id = fields.Many2one("tms.printer", readonly=True, ondelete="set null")
    job_id = fields.Many2one(
        "tms.print.job", string="Print Job", readonly=True, ondelete="set null"
    )
    batch_id = fields.Many2one(
        "tms.label.batch", string="Batch", readonly=True, ondelete="set null"
    )
    copies = fields.Integer(default=1, readonly=True)
    print_number = fields.Integer(
        readonly=True,
        help="1 for the first print of the label, 2 for the first reprint…",
    )
    is_reprint = fields.Boolean(string="Reprint", readonly=True)
    is_return = fields.Boolean(string="Return Label", readonly=True)
