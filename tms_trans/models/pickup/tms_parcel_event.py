# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A round also follows its pickups: the driver's pickup scan starts it, and it
finishes when its last stop, a pickup or a delivery, is done."""

from odoo import fields, models


class TmsParcelEvent(models.Model):
    _inherit = "tms.parcel.event"

    def _apply_to_parcels(self, events):
        result = super()._apply_to_parcels(events)
        picked = events.filtered(lambda e: e.state == "picked_up")
        # sudo: a driver's event moves the round he drives, which he may only read.
        rounds = picked.parcel_id.sudo().pickup_stop_id.round_id
        if rounds:
            first = min(picked.mapped("event_date"))
            rounds.filtered(lambda r: r.state in ("draft", "planned")).write(
                {"state": "started", "date_started": first}
            )
            rounds.flush_recordset()
            rounds.filtered(
                lambda r: r.state == "started"
                and all(s.state != "pending" for s in r.stop_ids)
            ).write({"state": "done", "date_done": fields.Datetime.now()})
        return result
