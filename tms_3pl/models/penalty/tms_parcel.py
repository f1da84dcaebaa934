# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    tms_penalty_ids = fields.One2many(
        "tms.carrier.penalty", "parcel_id", string="Carrier Penalties", readonly=True
    )

    def _tms_sla_breach_causes(self):
        """``{parcel: (cause, failure reason)}``: why each late parcel was late,
        from its event log (one read for all): a failed delivery attempt (and its
        reason), a late pickup or arrival at the destination hub (the policy's gates),
        else delivered late or not delivered."""
        failures = {}
        if self.ids:
            events = (
                self.env["tms.parcel.event"]
                .sudo()
                .search_fetch(
                    [
                        ("parcel_id", "in", self.ids),
                        ("is_applied", "=", True),
                        ("failure_reason_id", "!=", False),
                    ],
                    ["parcel_id", "failure_reason_id"],
                    order="event_date, id",
                )
            )
            for event in events:
                failures[event.parcel_id.id] = event.failure_reason_id
        result = {}
        for parcel in self:
            reason = failures.get(parcel.id)
            if reason:
                result[parcel] = ("failed", reason)
            elif parcel.sla_date_pickup_due and (
                not parcel.date_picked_up
                or parcel.date_picked_up > parcel.sla_date_pickup_due
            ):
                result[parcel] = ("pickup", reason)
            elif parcel.sla_date_hub_due and (
                not parcel.sla_date_at_destination
                or parcel.sla_date_at_destination > parcel.sla_date_hub_due
            ):
                result[parcel] = ("hub", reason)
            elif parcel.date_delivered:
                result[parcel] = ("late", reason)
            else:
                result[parcel] = ("undelivered", reason)
        return {
            parcel: (cause, reason or self.env["tms.failure.reason"])
            for parcel, (cause, reason) in result.items()
        }
