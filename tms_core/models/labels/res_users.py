# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    user_default_printer_id = fields.Many2one(
        "tms.printer",
        string="Default Label Printer",
        domain="[('company_id', 'in', company_ids)]",
        help="Where this user's labels are printed unless he chooses another "
        "printer; the hub's default printer otherwise.",
    )

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["user_default_printer_id"]

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["user_default_printer_id"]
