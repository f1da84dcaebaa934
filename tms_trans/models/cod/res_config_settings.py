# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    tms_cod_account_id = fields.Many2one(
        related="company_id.tms_cod_account_id", readonly=False
    )
    tms_cod_fee_account_id = fields.Many2one(
        related="company_id.tms_cod_fee_account_id", readonly=False
    )
    tms_cod_remit_journal_id = fields.Many2one(
        related="company_id.tms_cod_remit_journal_id", readonly=False
    )
    tms_cod_fee = fields.Monetary(related="company_id.tms_cod_fee", readonly=False)
