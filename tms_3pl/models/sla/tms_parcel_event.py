# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class TmsParcelEvent(models.Model):
    _inherit = "tms.parcel.event"

    def _apply_to_parcels(self, events):
        """The SLA's side of an event: the first arrival at the destination hub is
        dated (the hub gate), and an event whose reason pauses the clock, or the
        event ending a pause, or a cancellation, computes the SLA again. Other events
        cost nothing here; pickups and deliveries recompute it through the dates
        tms_core writes."""
        result = super()._apply_to_parcels(events)
        to_recompute = self.env["tms.parcel"]
        pausing = self.env["tms.parcel"]
        arrivals = {}
        # sudo: _record() checked the user's access to these parcels; a driver or a
        # portal customer recording an event may not read the company's SLA policies
        for event in events.sudo():
            parcel = event.parcel_id
            if not parcel.sla_policy_id:
                continue
            reason = event.failure_reason_id
            if reason and reason in parcel.sla_policy_id.pause_reason_ids:
                pausing |= parcel
                to_recompute |= parcel
            elif parcel.sla_paused or event.state == "cancelled":
                to_recompute |= parcel
            if (
                event.state == "at_hub"
                and event.hub_id
                and event.hub_id == parcel.destination_hub_id
                and not parcel.sla_date_at_destination
                and parcel.id not in arrivals
            ):
                arrivals[parcel.id] = event.event_date
        # sudo: effects of events checked by _record(), as in tms_core's hook
        Parcel = self.env["tms.parcel"].sudo().with_context(mail_notrack=True)
        if pausing:
            Parcel.browse(pausing.ids).write({"sla_has_pause": True})
        for parcel_id, date in arrivals.items():
            Parcel.browse(parcel_id).write({"sla_date_at_destination": date})
        if to_recompute:
            Parcel.browse(to_recompute.ids)._tms_sla_recompute()
        return result
