# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsParcelEvent(models.Model):
    _inherit = "tms.parcel.event"

    # Where the parcel is now and whose it is, to group events (failed attempts on the
    # dashboard) by hub and shipper without storing a copy on each event.
    parcel_hub_id = fields.Many2one(
        related="parcel_id.hub_id", string="Parcel's Current Hub"
    )
    parcel_shipper_id = fields.Many2one(
        related="parcel_id.shipper_id", string="Shipper"
    )

    def _apply_to_parcels(self, events):
        result = super()._apply_to_parcels(events)
        # a flagged parcel that moved on is checked again at once: its exception is
        # cleared (and the activity marked done) unless it is still late or stuck
        flagged = events.parcel_id.filtered("tms_exception")
        if flagged:
            # sudo: _record() checked the user's access to these parcels; lowering the
            # flag and closing the activity follow from the event, not from an edit the
            # user needs the right to make (drivers cannot edit parcels)
            flagged.sudo()._tms_refresh_exceptions()
        return result
