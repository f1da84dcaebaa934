# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    tms_cod_sheet_id = fields.Many2one(
        "tms.cod.sheet",
        string="COD Cash Sheet",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    tms_cod_remittance_id = fields.Many2one(
        "tms.cod.remittance",
        string="COD Remittance",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
