# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    tms_hub_id = fields.Many2one(
        "tms.hub",
        string="Hub",
        domain="[('company_id', 'in', company_ids)]",
        help="Where this user works: the scan screen starts with this hub.",
    )

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["tms_hub_id"]

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["tms_hub_id"]
