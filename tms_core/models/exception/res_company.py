# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # sudo: whoever may create a company gets it ready for parcels; the default
        # stuck thresholds are configuration that comes with the company, not data the
        # creator (a settings administrator) needs TMS rights for
        self.env["tms.state.threshold"].sudo()._tms_create_defaults(companies)
        return companies
