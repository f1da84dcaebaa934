# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Pickup stops: a round picks parcels up at their shipper. A parcel keeps its pickup
stop (``pickup_stop_id``) apart from its delivery stop (``round_stop_id``), so that
once picked up and at the depot it is planned for delivery like any other, and the
pickup stop keeps its parcels and its state."""

from odoo import api, fields, models

from ..rounds.tms_round_stop import FAILED_STATES

# parcel states in which a pickup stop's work for that parcel is not done yet
WAITING_STATES = ("draft", "confirmed")


class TmsRoundStop(models.Model):
    _inherit = "tms.round.stop"

    pickup_parcel_ids = fields.One2many(
        "tms.parcel", "pickup_stop_id", string="Parcels to Pick Up"
    )

    @api.depends(
        "kind",
        "parcel_ids.weight",
        "parcel_ids.length",
        "parcel_ids.width",
        "parcel_ids.height",
        "parcel_ids.cod_amount",
        "pickup_parcel_ids.weight",
        "pickup_parcel_ids.length",
        "pickup_parcel_ids.width",
        "pickup_parcel_ids.height",
    )
    def _compute_parcel_totals(self):
        pickups = self.filtered(lambda s: s.kind == "pickup")
        result = super(TmsRoundStop, self - pickups)._compute_parcel_totals()
        for stop in pickups:
            parcels = stop.pickup_parcel_ids
            stop.parcel_count = len(parcels)
            stop.weight = sum(parcels.mapped("weight"))
            stop.volume = sum(p.length * p.width * p.height for p in parcels) / 1e6
            # cash on delivery is collected at the delivery
            stop.cod_amount = 0.0
        return result

    @api.depends("kind", "parcel_ids.state", "pickup_parcel_ids.state")
    def _compute_state(self):
        pickups = self.filtered(lambda s: s.kind == "pickup")
        result = super(TmsRoundStop, self - pickups)._compute_state()
        for stop in pickups:
            states = stop.pickup_parcel_ids.mapped("state")
            if not states or any(s in WAITING_STATES for s in states):
                stop.state = "pending"
            elif all(s in FAILED_STATES for s in states):
                stop.state = "failed"
            elif any(s in FAILED_STATES for s in states):
                stop.state = "partial"
            else:
                stop.state = "done"
        return result
