# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    tms_gs1_company_prefix = fields.Char(
        string="GS1 Company Prefix",
        size=12,
        help="Your GS1 company prefix (4 to 12 digits): containers (bags, cages, "
        "pallets) are numbered with SSCC-18 codes built from it.",
    )

    @api.constrains("tms_gs1_company_prefix")
    def _check_tms_gs1_company_prefix(self):
        for company in self:
            prefix = company.tms_gs1_company_prefix
            if prefix and not re.fullmatch(r"\d{4,12}", prefix):
                raise ValidationError(
                    self.env._(
                        "A GS1 company prefix has 4 to 12 digits, not %(prefix)s.",
                        prefix=prefix,
                    )
                )
