# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """Tell the web client whether this user works with hardware boxes, so that
        its box service starts only for those users (no call for the others)."""
        info = super().session_info()
        user = self.env.user
        info["tms_hw_proxy_boxes"] = bool(
            user._is_internal()
            and user.has_group("tms_core.group_tms_user")
            and self.env["tms.hw.box"].search_count(
                [("state", "!=", "unpaired")], limit=1
            )
        )
        return info
