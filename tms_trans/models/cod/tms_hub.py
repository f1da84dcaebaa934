# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsHub(models.Model):
    _inherit = "tms.hub"

    cod_journal_id = fields.Many2one(
        "account.journal",
        string="COD Cash Journal",
        check_company=True,
        domain="[('type', '=', 'cash')]",
        help="Where the cash on delivery counted at this hub is posted. Its loss and "
        "profit accounts take the differences between what was declared and counted.",
    )
    cod_manager_id = fields.Many2one(
        "res.users",
        string="Hub Manager",
        help="Gets an activity for each cash sheet confirmed with a difference.",
    )
