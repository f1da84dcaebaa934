# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


def _position(latitude, longitude):
    """A point the map can draw, or None: an unset position is never drawn at (0, 0)."""
    if not latitude and not longitude:
        return None
    return [latitude, longitude]


class TmsRound(models.Model):
    _inherit = "tms.round"

    @api.model
    def tms_map_data(self, date=None, hub_id=None):
        """The dispatcher map's one call from the web client (a private method cannot
        be called remotely); see :meth:`_tms_map_data`."""
        return self._tms_map_data(date=date, hub_id=hub_id)

    @api.model
    def _tms_map_data(self, date=None, hub_id=None):
        """Everything the dispatcher map draws for one hub and one day, in one call.

        Runs as the user (record rules apply): one search per model, no query per
        round or per stop. Stops of the day's rounds come with the unassigned stops of
        the hub and day (``round_id`` False) and their reason.

        :param date: the day (``YYYY-MM-DD``), today by default
        :param hub_id: the depot; by default the first hub with rounds that day
        :return: dict with ``date``, ``hub``, ``hubs``, ``tiles``, ``rounds``, ``stops``
        """
        date = fields.Date.to_date(date) if date else self._tms_today()
        hubs = self.env["tms.hub"].search_read(
            [("hub_type", "in", ("depot", "agency"))],
            ["name", "latitude", "longitude"],
        )
        hub = next((h for h in hubs if h["id"] == hub_id), None)
        if hub is None and hubs:
            busy = self.search([("date", "=", date)], limit=1).hub_id
            hub = next((h for h in hubs if h["id"] == busy.id), hubs[0])
        rounds = stops = []
        if hub:
            rounds = self.search_read(
                [
                    ("date", "=", date),
                    ("hub_id", "=", hub["id"]),
                    ("state", "!=", "cancel"),
                ],
                [
                    "name",
                    "color",
                    "state",
                    "vehicle_id",
                    "driver_id",
                    "distance_km",
                    "duration_hours",
                    "date_start",
                ],
                order="name, id",
            )
            stops = self.env["tms.round.stop"].search_read(
                [
                    "|",
                    ("round_id", "in", [r["id"] for r in rounds]),
                    "&",
                    "&",
                    ("round_id", "=", False),
                    ("date", "=", date),
                    ("hub_id", "=", hub["id"]),
                ],
                [
                    "round_id",
                    "sequence",
                    "kind",
                    "contact_name",
                    "phone",
                    "street",
                    "zip",
                    "city",
                    "latitude",
                    "longitude",
                    "coordinate_source",
                    "parcel_count",
                    "window_start",
                    "window_end",
                    "planned_arrival",
                    "cod_amount",
                    "state",
                    "is_late",
                    "unassigned_reason",
                    "weight",
                    "locked",
                ],
            )
        return {
            "date": fields.Date.to_string(date),
            "hub": hub
            and {
                "id": hub["id"],
                "name": hub["name"],
                "position": _position(hub["latitude"], hub["longitude"]),
            },
            "hubs": [{"id": h["id"], "name": h["name"]} for h in hubs],
            "tiles": self.env["res.company"]._tms_map_tiles(),
            "currency_id": (
                self.env["tms.hub"].browse(hub["id"]).company_id.currency_id.id
                if hub
                else self.env.company.currency_id.id
            ),
            "rounds": self._tms_map_rounds(rounds, stops),
            "stops": self._tms_map_stops(stops),
            "parcels": self._tms_map_parcels(hub, date),
        }

    @api.model
    def _tms_map_rounds(self, rounds, stops):
        """Rounds with their progress counted from the stops already read."""
        progress = {r["id"]: {"done": 0, "failed": 0, "left": 0} for r in rounds}
        for stop in stops:
            if not stop["round_id"]:
                continue
            counts = progress[stop["round_id"][0]]
            if stop["state"] in ("done", "partial"):
                counts["done"] += 1
            elif stop["state"] == "failed":
                counts["failed"] += 1
            else:
                counts["left"] += 1
        states = dict(self._fields["state"]._description_selection(self.env))
        return [
            {
                "id": r["id"],
                "name": r["name"],
                "color": r["color"],
                "state": r["state"],
                "state_label": states.get(r["state"], r["state"]),
                "vehicle": r["vehicle_id"] and r["vehicle_id"][1],
                "driver": r["driver_id"] and r["driver_id"][1],
                "distance_km": r["distance_km"],
                "duration_hours": r["duration_hours"],
                "date_start": r["date_start"]
                and fields.Datetime.to_string(r["date_start"]),
                **progress[r["id"]],
                "stop_count": sum(progress[r["id"]].values()),
            }
            for r in rounds
        ]

    @api.model
    def _tms_map_stops(self, stops):
        Stop = self.env["tms.round.stop"]
        reasons = dict(
            Stop._fields["unassigned_reason"]._description_selection(self.env)
        )
        kinds = dict(Stop._fields["kind"]._description_selection(self.env))
        numbers = {}
        result = []
        # stops come in the model's order (round, sequence): number them per round
        for stop in stops:
            round_id = stop["round_id"] and stop["round_id"][0]
            number = None
            if round_id:
                number = numbers[round_id] = numbers.get(round_id, 0) + 1
            result.append(
                {
                    "id": stop["id"],
                    "round_id": round_id or False,
                    "number": number,
                    "kind": stop["kind"],
                    "kind_label": kinds.get(stop["kind"], ""),
                    "contact": stop["contact_name"] or "",
                    "phone": stop["phone"] or "",
                    "address": ", ".join(
                        part
                        for part in (
                            stop["street"],
                            " ".join(filter(None, (stop["zip"], stop["city"]))),
                        )
                        if part
                    ),
                    "position": stop["coordinate_source"] != "none"
                    and _position(stop["latitude"], stop["longitude"])
                    or None,
                    "window_start": _datetime(stop["window_start"]),
                    "window_end": _datetime(stop["window_end"]),
                    "planned_arrival": _datetime(stop["planned_arrival"]),
                    "cod_amount": stop["cod_amount"],
                    "state": stop["state"],
                    "is_late": stop["is_late"],
                    "unassigned_reason": not round_id
                    and reasons.get(stop["unassigned_reason"], ""),
                    "parcel_count": stop["parcel_count"],
                    "weight": stop["weight"],
                    "locked": stop["locked"],
                }
            )
        return result

    @api.model
    def _tms_map_parcels(self, hub, date):
        """The parcels waiting at the depot that are on no stop yet (those the Plan
        Rounds wizard would take), placed at their recipient's coordinates."""
        if not hub:
            return []
        hub = self.env["tms.hub"].browse(hub["id"])
        parcels = (
            self.env["tms.round.plan.wizard"]
            .new({"company_id": hub.company_id.id, "hub_id": hub.id, "date": date})
            ._tms_candidate_parcels()
        )
        return [
            {
                "id": parcel.id,
                "tracking_number": parcel.tracking_number or "",
                "contact": parcel.recipient_name or "",
                "address": ", ".join(
                    part
                    for part in (
                        parcel.recipient_street,
                        " ".join(
                            filter(None, (parcel.recipient_zip, parcel.recipient_city))
                        ),
                    )
                    if part
                ),
                "position": _position(
                    parcel.recipient_id.partner_latitude,
                    parcel.recipient_id.partner_longitude,
                ),
                "weight": parcel.weight,
                "cod_amount": parcel.cod_amount,
            }
            for parcel in parcels
        ]

    @api.model
    def tms_map_assign(self, date, hub_id, parcel_ids=(), stop_ids=(), round_id=False):
        """The dispatcher map's selection drawn on the map goes to a new round or to
        a draft round (a private method cannot be called remotely); see
        :meth:`_tms_map_assign`."""
        return self._tms_map_assign(
            date, hub_id, parcel_ids=parcel_ids, stop_ids=stop_ids, round_id=round_id
        )

    @api.model
    def _tms_map_assign(self, date, hub_id, parcel_ids=(), stop_ids=(), round_id=False):
        """Put what the dispatcher drew around on the map on one round.

        Parcels waiting at the depot become stops (one per address) and stops of the
        pool or of draft rounds move, through the Plan Rounds wizard's own steps: the
        new round (``round_id`` False) gets the first vehicle free that day and its
        driver; the stops are appended in the wizard's order around the depot. Locked
        stops stay where they are and the message says so. Bad input (parcels not
        waiting at this depot, delivered, of another company; stops done, of another
        day or depot, on a round that is not a draft) changes nothing.

        Runs as the user: record rules and access rights apply.

        :return: dict with ``round_id``, ``round_name``, ``message`` and ``type``
            (``success`` or ``warning``) for the notification
        """
        Stop = self.env["tms.round.stop"]
        self.check_access("write" if round_id else "create")
        Stop.check_access("write")
        date = fields.Date.to_date(date)
        hub = self.env["tms.hub"].browse(hub_id).exists()
        if not date or not hub:
            raise UserError(self.env._("Choose a day and a depot on the map first."))
        hub.check_access("read")
        parcels = self.env["tms.parcel"].browse(parcel_ids)
        stops = Stop.browse(stop_ids)
        if len(parcels.exists()) != len(set(parcel_ids)) or len(stops.exists()) != len(
            set(stop_ids)
        ):
            raise UserError(
                self.env._("Some of the selected parcels or stops no longer exist.")
            )
        if not parcels and not stops:
            raise UserError(
                self.env._("Draw a shape around parcels or stops on the map first.")
            )
        # foreign parcels and stops raise an access error here, before any change
        parcels.check_access("read")
        stops.check_access("write")
        wizard = (
            self.env["tms.round.plan.wizard"]
            .with_company(hub.company_id)
            .create(
                {
                    "company_id": hub.company_id.id,
                    "hub_id": hub.id,
                    "date": date,
                    "parcel_ids": [fields.Command.set(parcels.ids)],
                }
            )
        )
        if parcels:
            refused = parcels - wizard._tms_candidate_parcels()
            if refused:
                raise UserError(
                    self.env._(
                        "These parcels are not waiting at depot %(hub)s (delivered, "
                        "at another depot or already on a round): %(parcels)s",
                        hub=hub.display_name,
                        parcels=", ".join(refused[:10].mapped("display_name")),
                    )
                )
        refused = stops.filtered(
            lambda s: s.hub_id != hub
            or s.date != date
            or s.state != "pending"
            or (s.round_id and s.round_id.state != "draft")
        )
        if refused:
            raise UserError(
                self.env._(
                    "These stops cannot be moved from the map (done, of another day "
                    "or depot, or on a round that is no longer a draft): %(stops)s",
                    stops=", ".join(refused[:10].mapped("display_name")),
                )
            )
        target = self.browse(round_id).exists() if round_id else self
        if round_id and (
            not target
            or target.state != "draft"
            or target.hub_id != hub
            or target.date != date
        ):
            raise UserError(
                self.env._(
                    "Stops can only be added to a draft round of this day and depot."
                )
            )
        locked = stops.filtered(lambda s: s.locked and s.round_id != target)
        moving = stops - locked - target.stop_ids
        if not parcels and not moving:
            raise UserError(
                self.env._(
                    "Nothing to move: the selected stops are locked or already on "
                    "this round."
                )
            )
        messages = []
        if not target:
            vehicle = wizard._tms_free_vehicles(date)[:1]
            target = self.create(wizard._prepare_round_vals(vehicle))
            if not vehicle:
                messages.append(
                    self.env._("No vehicle is free that day: choose one on the round.")
                )
        if moving:
            moving.write({"round_id": target.id})
        new_stops = wizard._tms_create_stops(parcels) if parcels else Stop
        added = moving | new_stops
        # the wizard's sweep orders them after the round's stops and times the round
        wizard._tms_distribute(added, target)
        messages.insert(
            0,
            self.env._(
                "%(parcels)s parcels on %(stops)s stops added to round %(round)s.",
                parcels=sum(added.mapped("parcel_count")),
                stops=len(added),
                round=target.display_name,
            ),
        )
        missing = added.filtered(
            lambda s: s.coordinate_source == "none" and not s.round_id
        )
        if missing:
            messages.append(
                self.env._(
                    "%(count)s stops have no coordinates and wait in Stops to Plan.",
                    count=len(missing),
                )
            )
        if locked:
            messages.append(
                self.env._(
                    "%(count)s locked stops were not moved: %(stops)s",
                    count=len(locked),
                    stops=", ".join(locked[:10].mapped("display_name")),
                )
            )
        return {
            "round_id": target.id,
            "round_name": target.display_name,
            "message": " ".join(messages),
            "type": "warning" if len(messages) > 1 else "success",
        }


def _datetime(value):
    return value and fields.Datetime.to_string(value)
