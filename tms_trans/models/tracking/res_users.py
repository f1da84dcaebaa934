# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError


class ResUsers(models.Model):
    _inherit = "res.users"

    tms_gps_consent = fields.Boolean(
        string="Share My Position During Rounds",
        copy=False,
        help="While one of your rounds is started, your phone sends its position so "
        "that dispatchers see the round on the map. Only you can turn this on.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["tms_gps_consent"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["tms_gps_consent"]

    def write(self, vals):
        # consent is the driver's own decision: nobody else may give it for him
        if vals.get("tms_gps_consent") and not self.env.su and self != self.env.user:
            raise AccessError(
                self.env._("Only drivers themselves can agree to share their position.")
            )
        return super().write(vals)
