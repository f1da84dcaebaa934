# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Plan Rounds with pickups: the parcels awaiting pickup at a shipper of the depot's
area (the shipper's address lies in one of its zones), handed over by the planned
day, become pickup stops, one per shipper, in the same rounds as the deliveries."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import models


class TmsRoundPlanWizard(models.TransientModel):
    _inherit = "tms.round.plan.wizard"

    def _tms_candidate_parcels(self):
        parcels = super()._tms_candidate_parcels()
        if self.picking_batch_id:
            return parcels
        return parcels | self._tms_pickup_parcels()

    def _tms_pickup_parcels(self):
        """Parcels awaiting pickup at a shipper of this depot's area (and of the
        zones chosen), handed over by the planned day, not on a pickup stop yet.
        Parcels of a warehouse transfer are the company's own: not picked up."""
        self.ensure_one()
        day_after = datetime.combine(self.date + timedelta(days=1), time.min)
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "confirmed"),
            ("shipper_id", "!=", False),
            ("picking_id", "=", False),
            ("pickup_stop_id", "=", False),
            "|",
            ("date_shipping", "=", False),
            ("date_shipping", "<", day_after),
        ]
        if self.parcel_ids:
            domain.append(("id", "in", self.parcel_ids.ids))
        parcels = self.env["tms.parcel"].search(domain)
        shippers = parcels.shipper_id
        zones = self.env["tms.zone"]._find_zones(
            [
                (
                    self.company_id.id,
                    shipper.country_id.id,
                    shipper.state_id.id,
                    shipper.city,
                    shipper.zip,
                )
                for shipper in shippers
            ]
        )
        ours = {
            shipper
            for shipper, zone in zip(shippers, zones, strict=True)
            if zone.hub_id == self.hub_id
            and (not self.zone_ids or zone in self.zone_ids)
        }
        return parcels.filtered(lambda p: p.shipper_id in ours)

    def _tms_create_stops(self, parcels):
        pickups = parcels & self._tms_pickup_parcels() if parcels else parcels
        stops = self.env["tms.round.stop"]
        if parcels - pickups:
            stops |= super()._tms_create_stops(parcels - pickups)
        if pickups:
            stops |= self._tms_create_pickup_stops(pickups)
        return stops

    def _tms_create_pickup_stops(self, parcels):
        """One pickup stop per shipper, at the shipper's address."""
        by_shipper = defaultdict(lambda: self.env["tms.parcel"])
        for parcel in parcels:
            by_shipper[parcel.shipper_id] |= parcel
        coordinates = self._tms_coordinates(parcels.shipper_id)
        service = self.company_id.tms_stop_service_minutes
        vals_list = []
        for shipper in by_shipper:
            latitude, longitude, source = coordinates.get(
                shipper.id, (0.0, 0.0, "none")
            )
            vals_list.append(
                {
                    "company_id": self.company_id.id,
                    "date": self.date,
                    "hub_id": self.hub_id.id,
                    "kind": "pickup",
                    "partner_id": shipper.id,
                    "contact_name": shipper.name,
                    "phone": shipper.mobile or shipper.phone,
                    "street": shipper.street,
                    "city": shipper.city,
                    "zip": shipper.zip,
                    "latitude": latitude,
                    "longitude": longitude,
                    "coordinate_source": source,
                    "service_minutes": service,
                    "unassigned_reason": "no_location" if source == "none" else False,
                }
            )
        stops = self.env["tms.round.stop"].create(vals_list)
        for stop, group in zip(stops, by_shipper.values(), strict=True):
            group.write({"pickup_stop_id": stop.id})
        return stops
