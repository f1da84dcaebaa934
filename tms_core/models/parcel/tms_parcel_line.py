# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsParcelLine(models.Model):
    _name = "tms.parcel.line"
    _description = "Parcel Content Line"
    _order = "parcel_id, sequence, id"

    parcel_id = fields.Many2one(
        "tms.parcel", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="parcel_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", check_company=True)
    name = fields.Char(
        string="Description",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    sku = fields.Char(
        string="SKU",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    weight = fields.Float(
        string="Unit Weight (kg)",
        digits="Stock Weight",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
    )
    value = fields.Monetary(string="Unit Value", currency_field="currency_id")
    currency_id = fields.Many2one(related="parcel_id.currency_id")

    @api.depends("product_id")
    def _compute_from_product(self):
        for line in self:
            product = line.product_id
            if product:
                line.name = product.display_name
                line.sku = product.default_code
                line.weight = product.weight
            elif not line.name:
                line.name = False

    @api.constrains("quantity", "weight", "value")
    def _check_positive(self):
        for line in self:
            if line.quantity <= 0 or line.weight < 0 or line.value < 0:
                raise ValidationError(
                    self.env._(
                        "Content line %(line)s: the quantity must be positive, the "
                        "weight "
                        "and the value cannot be negative.",
                        line=line.name,
                    )
                )
