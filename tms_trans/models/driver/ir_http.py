# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """A driver who is not also a TMS user lands in the driver app (instead of the
        first app of the menu, Discuss), unless a home action was set on his user."""
        info = super().session_info()
        user = self.env.user
        if (
            not info.get("home_action_id")
            and user._is_internal()
            and user.has_group("tms_core.group_tms_driver")
            and not user.has_group("tms_core.group_tms_user")
        ):
            action = self.env.ref(
                "tms_trans.tms_driver_app_action", raise_if_not_found=False
            )
            info["home_action_id"] = action.id if action else False
        return info
