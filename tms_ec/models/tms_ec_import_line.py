# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class TmsEcImportLine(models.Model):
    """One row of an imported spreadsheet: its values as read, as understood, and
    what became of it."""

    _name = "tms.ec.import.line"
    _description = "Order Import Row"
    _order = "import_id, row_number"
    _rec_name = "row_number"

    import_id = fields.Many2one(
        "tms.ec.import", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="import_id.company_id", store=True, index=True)
    row_number = fields.Integer(
        string="Row", required=True, help="The row number in the spreadsheet."
    )
    reference = fields.Char(
        string="Order Reference",
        index=True,
        help="Rows with the same order reference make one parcel.",
    )
    raw = fields.Json(
        string="Values Read", help="The row's cells, in the file's column order."
    )
    values = fields.Json(
        string="Values Understood",
        help="The row as a parcel of the intake schema (country and service codes, "
        "numbers, the product's id).",
    )
    state = fields.Selection(
        [("valid", "Valid"), ("invalid", "Invalid"), ("imported", "Imported")],
        required=True,
        default="valid",
        index=True,
    )
    errors = fields.Text(help="What is wrong in the row, one problem per line.")
    parcel_id = fields.Many2one(
        "tms.parcel",
        compute="_compute_parcel_id",
        help="The parcel made of the row's order.",
    )
    recipient_name = fields.Char(compute="_compute_summary")
    phone = fields.Char(compute="_compute_summary")
    city = fields.Char(compute="_compute_summary")

    @api.depends("values", "raw", "import_id.header", "import_id.mapping")
    def _compute_summary(self):
        for line in self:
            values = line.values or {}
            # a value that could not be understood is shown as it was typed
            job = line.import_id
            cells = dict(zip(job.header or [], line.raw or [], strict=False))
            typed = {
                target: cells.get(title)
                for title, target in (job.mapping or {}).items()
                if target
            }
            recipient = values.get("recipient") or {}
            line.recipient_name = recipient.get("name") or typed.get("recipient_name")
            line.phone = recipient.get("phone") or typed.get("phone")
            line.city = recipient.get("city") or typed.get("city")

    @api.depends("reference", "state", "import_id.parcel_ids")
    def _compute_parcel_id(self):
        parcels = {}
        imported = self.filtered(lambda line: line.state == "imported")
        for job in imported.import_id:
            found = self.env["tms.parcel"].search_fetch(
                [
                    ("id", "in", job.parcel_ids.ids),
                    ("client_reference", "in", list(set(imported.mapped("reference")))),
                    ("state", "!=", "cancelled"),
                ],
                ["client_reference"],
            )
            for parcel in found:
                parcels[job.id, parcel.client_reference] = parcel
        for line in self:
            line.parcel_id = parcels.get((line.import_id.id, line.reference), False)

    @api.depends("row_number", "reference")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "Row %(row)s (%(reference)s)",
                row=line.row_number,
                reference=line.reference or "-",
            )
