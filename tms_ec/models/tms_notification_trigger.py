# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .tms_return import NOTIFY_STEPS, RETURN_TRIGGER_PREFIX


class TmsNotificationTrigger(models.Model):
    """Return steps as notification triggers: return notifications are rules of the
    same engine as parcels' (templates, languages, logs, retries)."""

    _inherit = "tms.notification.trigger"

    res_model = fields.Selection(
        selection_add=[("tms.return", "Return")],
        ondelete={"tms.return": "cascade"},
    )

    @api.constrains("code", "res_model")
    def _check_code(self):
        result = super()._check_code()
        codes = {f"{RETURN_TRIGGER_PREFIX}{step}" for step in NOTIFY_STEPS}
        for trigger in self.filtered(lambda t: t.res_model == "tms.return"):
            if trigger.code not in codes:
                raise ValidationError(
                    self.env._(
                        "%(code)s is not a step of a return (%(codes)s).",
                        code=trigger.code,
                        codes=", ".join(sorted(codes)),
                    )
                )
        return result
