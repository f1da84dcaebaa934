# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

# States of a return parcel meaning it left the customer: its return is in transit.
RETURN_PARCEL_MOVING_STATES = ("picked_up", "at_hub", "in_transit", "out_for_delivery")


class TmsParcelEvent(models.Model):
    _inherit = "tms.parcel.event"

    def _apply_to_parcels(self, events):
        """Return parcels move their returns: dropped at a hub or on its way -> the
        return is in transit; delivered to the merchant -> received."""
        result = super()._apply_to_parcels(events)
        if not events:
            return result
        # sudo: the hub operator or driver who scanned the parcel may not read
        # returns; the events were checked by _record(), their effect on the return
        # is the system's. One light query: scans are the busiest path of the suite.
        return_of_parcel = {
            parcel.id: parcel.tms_return_id.id
            for parcel in self.env["tms.parcel"]
            .sudo()
            .search_fetch(
                [("id", "in", events.parcel_id.ids), ("tms_return_id", "!=", False)],
                ["tms_return_id"],
            )
        }
        if not return_of_parcel:
            return result
        moving, delivered = [], []
        for event in events.sorted(lambda e: (e.event_date, e.id)):
            return_id = return_of_parcel.get(event.parcel_id.id)
            if not return_id:
                continue
            if event.state == "delivered":
                delivered.append(return_id)
            elif event.state in RETURN_PARCEL_MOVING_STATES:
                moving.append(return_id)
        Return = self.env["tms.return"].sudo()
        if moving:
            Return.browse(moving)._tms_ec_follow_return_parcel("moving")
        if delivered:
            Return.browse(delivered)._tms_ec_follow_return_parcel("delivered")
        return result
