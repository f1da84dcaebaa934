# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..res_company import DEFAULT_ATTRIBUTION, DEFAULT_TILE_URL


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
        date = fields.Date.to_date(date) if date else fields.Date.context_today(self)
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
            "tiles": self._tms_map_tiles(),
            "rounds": self._tms_map_rounds(rounds, stops),
            "stops": self._tms_map_stops(stops),
        }

    @api.model
    def _tms_map_tiles(self):
        """The tile server of the company's settings, OpenStreetMap's by default."""
        company = self.env.company
        return {
            "url": company.tms_map_tile_url or DEFAULT_TILE_URL,
            "attribution": company.tms_map_attribution or DEFAULT_ATTRIBUTION,
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
                }
            )
        return result


def _datetime(value):
    return value and fields.Datetime.to_string(value)
