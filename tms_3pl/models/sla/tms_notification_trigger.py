# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

SLA_TRIGGER_CODES = ("sla_at_risk", "sla_breached")


class TmsNotificationTrigger(models.Model):
    """A parcel becoming at risk or breached as triggers of notification rules: the
    SLA job sends them through the same templates, languages and logs as parcel
    events."""

    _inherit = "tms.notification.trigger"

    @api.constrains("code", "res_model")
    def _check_code(self):
        sla_triggers = self.filtered(
            lambda t: t.res_model == "tms.parcel" and t.code in SLA_TRIGGER_CODES
        )
        return super(TmsNotificationTrigger, self - sla_triggers)._check_code()
