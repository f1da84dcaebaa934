# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Plan Rounds: the parcels ready at a depot (or a selection of parcels) become stops,
one per address, spread over one round per vehicle. The first order is a sweep around
the depot; the optimisation improves it."""

import math
import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


def _norm(text):
    return re.sub(r"[\W_]+", " ", (text or "").lower()).strip()


class TmsRoundPlanWizard(models.TransientModel):
    _name = "tms.round.plan.wizard"
    _description = "Plan Rounds"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    hub_id = fields.Many2one(
        "tms.hub",
        string="Depot",
        required=True,
        check_company=True,
        default=lambda self: self._tms_default_hub(),
    )
    date = fields.Date(
        required=True,
        default=lambda self: self.env["tms.round"]._tms_today() + timedelta(days=1),
    )
    zone_ids = fields.Many2many(
        "tms.zone",
        string="Zones",
        check_company=True,
        help="Only the parcels of these zones (all zones when empty).",
    )
    parcel_ids = fields.Many2many(
        "tms.parcel",
        string="Selected Parcels",
        help="Plan these parcels instead of every parcel ready at the depot.",
    )
    vehicle_ids = fields.Many2many(
        "fleet.vehicle",
        string="Vehicles",
        check_company=True,
        default=lambda self: self._tms_default_vehicles(),
        help="One round per vehicle; its driver is the user linked to the vehicle's "
        "driver contact.",
    )
    shift_start = fields.Float(default=8.0)
    shift_end = fields.Float(default=18.0)
    break_start = fields.Float(default=12.0)
    break_duration = fields.Float(default=1.0)
    candidate_count = fields.Integer(
        compute="_compute_candidate_count", string="Parcels to Plan"
    )

    @api.model
    def _tms_default_hub(self):
        """The user's hub, else the company's hub with the most parcels waiting to be
        planned, else its first depot."""
        hub = self.env.user.tms_hub_id.filtered(
            lambda hub: hub.company_id == self.env.company
        )
        if hub:
            return hub
        waiting = self.env["tms.parcel"]._read_group(
            [
                ("company_id", "=", self.env.company.id),
                ("state", "=", "at_hub"),
                ("round_stop_id", "=", False),
                ("hub_id", "!=", False),
            ],
            ["hub_id"],
            ["__count"],
            order="__count desc",
            limit=1,
        )
        if waiting:
            return waiting[0][0]
        return self.env["tms.hub"].search(
            [("company_id", "=", self.env.company.id), ("hub_type", "=", "depot")],
            limit=1,
        )

    @api.model
    def _tms_default_vehicles(self):
        """The company's vehicles that are not on an open round of tomorrow."""
        return self._tms_free_vehicles(
            self.env["tms.round"]._tms_today() + timedelta(days=1)
        )

    @api.model
    def _tms_free_vehicles(self, date):
        """The company's vehicles that are not on an open round of that day."""
        Vehicle = self.env["fleet.vehicle"]
        if not Vehicle.has_access("read"):
            return Vehicle
        busy = self.env["tms.round"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("date", "=", date),
                ("state", "not in", ("done", "cancel")),
            ]
        )
        return Vehicle.search(
            [
                ("company_id", "in", (self.env.company.id, False)),
                ("id", "not in", busy.vehicle_id.ids),
            ]
        )

    @api.depends("hub_id", "zone_ids", "parcel_ids")
    def _compute_candidate_count(self):
        for wizard in self:
            wizard.candidate_count = (
                len(wizard._tms_candidate_parcels()) if wizard.hub_id else 0
            )

    def _tms_candidate_parcels(self):
        """Parcels at the depot, for its area, not on a round or in the pool yet."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "at_hub"),
            ("hub_id", "=", self.hub_id.id),
            ("round_stop_id", "=", False),
            "|",
            ("destination_hub_id", "=", False),
            ("destination_hub_id", "=", self.hub_id.id),
        ]
        if self.parcel_ids:
            domain.append(("id", "in", self.parcel_ids.ids))
        if self.zone_ids:
            domain.append(("zone_id", "in", self.zone_ids.ids))
        return self.env["tms.parcel"].search(domain)

    def action_plan(self):
        self.ensure_one()
        parcels = self._tms_candidate_parcels()
        if not parcels:
            raise UserError(
                self.env._(
                    "No parcel to plan: they must be at depot %(hub)s and not on a "
                    "round yet.",
                    hub=self.hub_id.display_name,
                )
            )
        rounds = self._tms_rounds()
        stops = self._tms_create_stops(parcels)
        self._tms_distribute(stops, rounds)
        missing = stops.filtered(lambda s: s.coordinate_source == "none")
        message = self.env._(
            "%(parcels)s parcels, %(stops)s stops on %(rounds)s rounds.",
            parcels=len(parcels),
            stops=len(stops),
            rounds=len(rounds),
        )
        if missing:
            message += " " + self.env._(
                "%(count)s stops have no coordinates and wait in Stops to Plan: "
                "%(names)s",
                count=len(missing),
                names=", ".join(missing[:10].mapped("display_name")),
            )
        if len(parcels) < len(self.parcel_ids):
            message += " " + self.env._(
                "%(count)s selected parcels were skipped (not at this depot or "
                "already planned).",
                count=len(self.parcel_ids) - len(parcels),
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_trans.tms_round_stop_action"
        )
        action["domain"] = [("date", "=", self.date), ("hub_id", "=", self.hub_id.id)]
        action["context"] = {
            "tms_round_date": fields.Date.to_string(self.date),
            "tms_hub_id": self.hub_id.id,
        }
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Rounds planned"),
                "message": message,
                "type": "warning" if missing else "success",
                "sticky": bool(missing),
                "next": action,
            },
        }

    def _tms_rounds(self):
        """One open round per vehicle for the day and depot (reused if it exists)."""
        Round = self.env["tms.round"]
        existing = Round.search(
            [
                ("date", "=", self.date),
                ("hub_id", "=", self.hub_id.id),
                ("vehicle_id", "in", self.vehicle_ids.ids),
                ("state", "in", ("draft", "planned")),
            ]
        )
        rounds = Round
        vals_list = []
        for vehicle in self.vehicle_ids:
            found = existing.filtered(lambda r, v=vehicle: r.vehicle_id == v)[:1]
            if found:
                rounds |= found
                continue
            vals_list.append(self._prepare_round_vals(vehicle))
        return rounds | Round.create(vals_list)

    def _prepare_round_vals(self, vehicle):
        """A new round of the wizard's day and depot for a vehicle (or none yet),
        driven by the user behind the vehicle's driver."""
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "date": self.date,
            "hub_id": self.hub_id.id,
            "vehicle_id": vehicle.id,
            "driver_id": self.env["tms.round"]._tms_driver_user(vehicle.driver_id).id,
            "shift_start": self.shift_start,
            "shift_end": self.shift_end,
            "break_start": self.break_start,
            "break_duration": self.break_duration,
        }

    def _tms_group_by_address(self, parcels):
        """Parcels to the same place: same recipient, or the same street, city and
        zip once case, punctuation and spaces are ignored."""
        parent = {}

        def find(key):
            while parent.setdefault(key, key) != key:
                key = parent[key]
            return key

        for parcel in parcels:
            keys = [("parcel", parcel.id)]
            if parcel.recipient_id:
                keys.append(("partner", parcel.recipient_id.id))
            if parcel.recipient_street:
                keys.append(
                    (
                        "address",
                        _norm(parcel.recipient_street),
                        _norm(parcel.recipient_city),
                        _norm(parcel.recipient_zip),
                    )
                )
            root = find(keys[0])
            for key in keys[1:]:
                parent[find(key)] = root
        groups = {}
        for parcel in parcels:
            groups.setdefault(find(("parcel", parcel.id)), []).append(parcel.id)
        return [parcels.browse(ids) for ids in groups.values()]

    def _tms_coordinates(self, partners):
        """{partner id: (latitude, longitude, source)} for the partners that have a
        place: their own coordinates, Odoo's geolocation when the module is
        installed, else where an earlier parcel of theirs was delivered."""
        found = {}
        for partner in partners:
            if partner.partner_latitude or partner.partner_longitude:
                found[partner.id] = (
                    partner.partner_latitude,
                    partner.partner_longitude,
                    "partner",
                )
        missing = partners.filtered(lambda p: p.id not in found)
        if missing and "date_localization" in partners._fields:
            for partner in missing:
                try:
                    partner.geo_localize()
                except Exception:  # noqa: BLE001 - a geocoder down is not an error
                    continue
                if partner.partner_latitude or partner.partner_longitude:
                    found[partner.id] = (
                        partner.partner_latitude,
                        partner.partner_longitude,
                        "geolocation",
                    )
            missing = missing.filtered(lambda p: p.id not in found)
        if missing:
            events = self.env["tms.parcel.event"].search(
                [
                    ("parcel_id.recipient_id", "in", missing.ids),
                    ("state", "=", "delivered"),
                    "|",
                    ("latitude", "!=", 0),
                    ("longitude", "!=", 0),
                ],
                order="event_date desc, id desc",
            )
            for event in events:
                partner_id = event.parcel_id.recipient_id.id
                if partner_id not in found:
                    found[partner_id] = (
                        event.latitude,
                        event.longitude,
                        "previous_delivery",
                    )
        return found

    def _tms_create_stops(self, parcels):
        groups = self._tms_group_by_address(parcels)
        coordinates = self._tms_coordinates(parcels.recipient_id)
        service = self.company_id.tms_stop_service_minutes
        vals_list = []
        for group in groups:
            first = group[0]
            place = next(
                (coordinates[p.id] for p in group.recipient_id if p.id in coordinates),
                None,
            )
            latitude, longitude, source = place or (0.0, 0.0, "none")
            vals_list.append(
                {
                    "company_id": self.company_id.id,
                    "date": self.date,
                    "hub_id": self.hub_id.id,
                    "kind": "delivery",
                    "partner_id": first.recipient_id.id,
                    "contact_name": first.recipient_name,
                    "phone": first.recipient_phone,
                    "street": first.recipient_street,
                    "city": first.recipient_city,
                    "zip": first.recipient_zip,
                    "latitude": latitude,
                    "longitude": longitude,
                    "coordinate_source": source,
                    "service_minutes": service,
                    "unassigned_reason": "no_location" if source == "none" else False,
                }
            )
        stops = self.env["tms.round.stop"].create(vals_list)
        for stop, group in zip(stops, groups, strict=True):
            group.write({"round_stop_id": stop.id})
        return stops

    def _tms_distribute(self, stops, rounds):
        """Sweep: stops sorted by their bearing from the depot, cut into one slice
        of about the same number of parcels per round."""
        located = stops.filtered(lambda s: s.coordinate_source != "none")
        if not rounds or not located:
            return
        hub = self.hub_id
        located = located.sorted(
            lambda s: math.atan2(s.latitude - hub.latitude, s.longitude - hub.longitude)
        )
        total = sum(located.mapped("parcel_count")) or 1
        rounds = rounds.sorted("id")
        share = total / len(rounds)
        done = 0
        by_round = {r.id: [] for r in rounds}
        for stop in located:
            index = min(int(done / share), len(rounds) - 1)
            by_round[rounds[index].id].append(stop)
            done += stop.parcel_count
        for round_id, round_stops in by_round.items():
            tms_round = rounds.browse(round_id)
            offset = max(tms_round.stop_ids.mapped("sequence") or [0])
            for position, stop in enumerate(round_stops, start=1):
                stop.with_context(tms_no_schedule=True).write(
                    {"round_id": round_id, "sequence": offset + position}
                )
        rounds._tms_schedule()
