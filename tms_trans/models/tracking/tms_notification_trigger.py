# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

from .tms_round import ROUND_STARTED_TRIGGER


class TmsNotificationTrigger(models.Model):
    """ "Round Started": a trigger of parcels that is no parcel state. Its rules use
    parcel templates; the parcels of the round's delivery stops are notified when
    the round starts (``tms.round._tms_notify_round_started``)."""

    _inherit = "tms.notification.trigger"

    @api.constrains("code", "res_model")
    def _check_code(self):
        return super(
            TmsNotificationTrigger,
            self.filtered(
                lambda t: t.res_model != "tms.parcel" or t.code != ROUND_STARTED_TRIGGER
            ),
        )._check_code()
