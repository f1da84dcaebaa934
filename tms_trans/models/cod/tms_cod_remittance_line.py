# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsCodRemittanceLine(models.Model):
    """One parcel's cash on delivery paid back to its shipper, less the fee."""

    _name = "tms.cod.remittance.line"
    _description = "COD Remittance Line"
    _order = "remittance_id, id"

    remittance_id = fields.Many2one(
        "tms.cod.remittance", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="remittance_id.currency_id")
    sheet_line_id = fields.Many2one(
        "tms.cod.sheet.line", required=True, ondelete="restrict", index=True
    )
    parcel_id = fields.Many2one(related="sheet_line_id.parcel_id", store=True)
    client_reference = fields.Char(related="parcel_id.client_reference")
    date_delivered = fields.Datetime(related="parcel_id.date_delivered")
    collected_amount = fields.Monetary(
        string="Collected", related="sheet_line_id.collected_amount", store=True
    )
    fee = fields.Monetary()

    _sql_constraints = [
        (
            "sheet_line_uniq",
            "UNIQUE(sheet_line_id)",
            "A parcel's cash on delivery is remitted once.",
        ),
    ]
