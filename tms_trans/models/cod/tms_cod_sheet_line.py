# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class TmsCodSheetLine(models.Model):
    """One COD parcel on a driver's cash sheet: the amount to collect against what he
    declared at the door. A parcel is on one sheet only."""

    _name = "tms.cod.sheet.line"
    _description = "COD Cash Sheet Line"
    _order = "sheet_id, id"
    _check_company_auto = True

    sheet_id = fields.Many2one(
        "tms.cod.sheet", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="sheet_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="sheet_id.currency_id")
    parcel_id = fields.Many2one(
        "tms.parcel",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    shipper_id = fields.Many2one(
        "res.partner",
        compute="_compute_shipper_id",
        store=True,
        index=True,
        help="The shipper the cash is owed to (its company contact).",
    )
    client_reference = fields.Char(related="parcel_id.client_reference")
    expected_amount = fields.Monetary(
        string="To Collect", related="parcel_id.cod_amount", store=True
    )
    collected_amount = fields.Monetary(
        string="Collected", related="parcel_id.cod_collected_amount", store=True
    )
    method = fields.Selection(related="parcel_id.cod_collected_method", store=True)
    reference = fields.Char(related="parcel_id.cod_collected_reference")
    difference_reason = fields.Text(related="parcel_id.cod_difference_reason")
    difference = fields.Monetary(compute="_compute_difference", store=True)
    has_difference = fields.Boolean(compute="_compute_difference", store=True)
    remittance_line_ids = fields.One2many(
        "tms.cod.remittance.line", "sheet_line_id", string="Remittance Lines"
    )
    remitted = fields.Boolean(
        compute="_compute_remitted",
        store=True,
        help="Paid to the shipper by a remittance.",
    )

    _sql_constraints = [
        ("parcel_uniq", "UNIQUE(parcel_id)", "A parcel is on one cash sheet only."),
    ]

    @api.depends("parcel_id.shipper_id.commercial_partner_id")
    def _compute_shipper_id(self):
        for line in self:
            line.shipper_id = line.parcel_id.shipper_id.commercial_partner_id

    @api.depends("expected_amount", "collected_amount", "method")
    def _compute_difference(self):
        for line in self:
            line.difference = line.collected_amount - line.expected_amount
            # not declared at all is a difference too, even for nothing to collect
            line.has_difference = not line.method or not line.currency_id.is_zero(
                line.difference
            )

    @api.depends("remittance_line_ids.remittance_id.state")
    def _compute_remitted(self):
        for line in self:
            line.remitted = any(
                state == "paid"
                for state in line.remittance_line_ids.remittance_id.mapped("state")
            )
