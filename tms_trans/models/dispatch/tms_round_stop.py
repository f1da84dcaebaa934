# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from urllib.parse import quote

from odoo import models

from odoo.addons.tms_core.models.parcel.tms_parcel import MAP_SEARCH_URL


class TmsRoundStop(models.Model):
    _inherit = "tms.round.stop"

    def _tms_sheet_qr_value(self):
        """What the road sheet's QR code holds: the stop on a map, for the driver's
        phone to navigate to (its position, else its address; empty without either)."""
        self.ensure_one()
        if self.latitude or self.longitude:
            return f"{MAP_SEARCH_URL}{self.latitude:.6f},{self.longitude:.6f}"
        address = ", ".join(
            part
            for part in (self.street, " ".join(filter(None, (self.zip, self.city))))
            if part
        )
        return address and f"{MAP_SEARCH_URL}{quote(address)}"
