# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResPartner(models.Model):
    """A shipper's cash-on-delivery terms, until rate cards exist."""

    _inherit = "res.partner"

    tms_cod_fee_custom = fields.Boolean(
        string="Own COD Fee",
        help="Keep this fee per parcel from the shipper's remittances instead of the "
        "company's default.",
    )
    tms_cod_fee = fields.Float(
        string="COD Fee per Parcel", digits="Product Price", default=0.0
    )
    tms_cod_net_invoices = fields.Boolean(
        string="Net COD against Invoices",
        help="Pay the shipper's open customer invoices out of their remittances.",
    )

    def _tms_cod_fee_per_parcel(self, company):
        """The fee kept per COD parcel for this shipper (a commercial partner)."""
        self.ensure_one()
        return self.tms_cod_fee if self.tms_cod_fee_custom else company.tms_cod_fee
