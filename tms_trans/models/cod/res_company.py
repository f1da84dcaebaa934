# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    tms_cod_account_id = fields.Many2one(
        "account.account",
        string="COD Payable Account",
        check_company=True,
        domain="[('account_type', '=', 'liability_payable'), ('reconcile', '=', True)]",
        help="Credited with the cash on delivery the cashier receives, per shipper; "
        "debited when it is remitted to them.",
    )
    tms_cod_fee_account_id = fields.Many2one(
        "account.account",
        string="COD Fee Income Account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Credited with the carrier's fees kept from the remittances.",
    )
    tms_cod_remit_journal_id = fields.Many2one(
        "account.journal",
        string="COD Remittance Journal",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="The bank journal the remittances to shippers are paid from.",
    )
    tms_cod_fee = fields.Monetary(
        string="COD Fee per Parcel",
        currency_field="currency_id",
        help="Kept from the remittance for each cash-on-delivery parcel, unless the "
        "shipper has a fee of their own.",
    )
