# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math
import random

from odoo import api, models

# demo recipients are placed within this distance of their depot
DEMO_RADIUS_KM = 8.0


class TmsRound(models.Model):
    _inherit = "tms.round"

    @api.model
    def _tms_demo_locate_recipients(self):
        """Demo data only: give the recipients of parcels waiting at a depot
        coordinates around it (the same ones at every install), so that the demo
        rounds have places to go. Real recipients get theirs from the contact,
        geolocation or an earlier delivery."""
        parcels = self.env["tms.parcel"].search(
            [("state", "=", "at_hub"), ("hub_id.latitude", "!=", 0)]
        )
        for parcel in parcels:
            partner = parcel.recipient_id
            if not partner or partner.partner_latitude or partner.partner_longitude:
                continue
            rng = random.Random(partner.id)
            distance = DEMO_RADIUS_KM * math.sqrt(rng.random())
            bearing = rng.uniform(0, 2 * math.pi)
            hub = parcel.hub_id
            partner.write(
                {
                    "partner_latitude": hub.latitude
                    + distance / 111.0 * math.cos(bearing),
                    "partner_longitude": hub.longitude
                    + distance
                    / (111.0 * math.cos(math.radians(hub.latitude)))
                    * math.sin(bearing),
                }
            )
        return True
