# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsSlaPolicy(models.Model):
    _inherit = "tms.sla.policy"

    company_currency_id = fields.Many2one(related="company_id.currency_id")
    client_credit = fields.Boolean(
        string="Credit the Client",
        tracking=True,
        help="For each parcel its carrier is penalised for, the client gets a credit "
        "on its monthly credit note.",
    )
    client_credit_amount = fields.Monetary(
        string="Credit per Late Parcel",
        currency_field="company_currency_id",
        tracking=True,
    )
    client_credit_product_id = fields.Many2one(
        "product.product",
        string="Credit Product",
        check_company=True,
        domain=[("type", "=", "service")],
        default=lambda self: self.env.ref(
            "tms_3pl.product_sla_penalty", raise_if_not_found=False
        ),
    )

    _sql_constraints = [
        (
            "client_credit_positive",
            "CHECK(client_credit_amount >= 0)",
            "A client credit cannot be negative.",
        ),
    ]
