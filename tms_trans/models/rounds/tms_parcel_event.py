# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rounds follow their driver's events: a round starts at the first event of the day on
one of its parcels (out for delivery, delivered, failed) and finishes when every stop
is done or failed. The stops' states follow their parcels (a stored compute)."""

from odoo import fields, models

ROUND_START_STATES = ("out_for_delivery", "delivered", "failed")


class TmsParcelEvent(models.Model):
    _inherit = "tms.parcel.event"

    def _apply_to_parcels(self, events):
        result = super()._apply_to_parcels(events)
        started = events.filtered(lambda e: e.state in ROUND_START_STATES)
        # sudo: a driver's event moves the round he drives, which he may only read.
        rounds = started.parcel_id.sudo().round_id
        if rounds:
            first = min(started.mapped("event_date"))
            rounds.filtered(lambda r: r.state in ("draft", "planned")).write(
                {"state": "started", "date_started": first}
            )
            rounds.flush_recordset()
            finished = rounds.filtered(
                lambda r: r.state == "started"
                and r.stop_ids
                and all(s.state != "pending" for s in r.stop_ids)
            )
            finished.write({"state": "done", "date_done": fields.Datetime.now()})
        return result
