# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsReturnLine(models.Model):
    _name = "tms.return.line"
    _description = "Returned Item"
    _order = "return_id, id"

    return_id = fields.Many2one(
        "tms.return", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="return_id.company_id", store=True)
    state = fields.Selection(related="return_id.state", string="Return State")
    parcel_line_id = fields.Many2one(
        "tms.parcel.line",
        string="Parcel Content Line",
        ondelete="set null",
        index="btree_not_null",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sale Order Line", ondelete="set null"
    )
    product_id = fields.Many2one(
        "product.product",
        index=True,
        compute="_compute_from_parcel_line",
        store=True,
        readonly=False,
        precompute=True,
    )
    description = fields.Char(
        compute="_compute_from_parcel_line",
        store=True,
        readonly=False,
        precompute=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    reason_id = fields.Many2one("tms.return.reason", string="Reason", required=True)
    merchant_fault = fields.Boolean(related="reason_id.merchant_fault")
    currency_id = fields.Many2one(related="company_id.currency_id")
    value = fields.Monetary(
        string="Unit Value",
        currency_field="currency_id",
        compute="_compute_from_parcel_line",
        store=True,
        readonly=False,
        precompute=True,
        help="The item's declared unit value on the delivered parcel.",
    )

    @api.depends("parcel_line_id")
    def _compute_from_parcel_line(self):
        for line in self:
            parcel_line = line.parcel_line_id
            if not parcel_line:
                continue
            line.product_id = parcel_line.product_id
            line.description = parcel_line.name
            line.value = parcel_line.value

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "Returned item %(item)s: the quantity must be positive.",
                        item=line.description or line.product_id.display_name or "",
                    )
                )

    @api.depends("description", "product_id", "quantity")
    def _compute_display_name(self):
        for line in self:
            name = line.description or line.product_id.display_name or ""
            line.display_name = f"{line.quantity:g} x {name}"
