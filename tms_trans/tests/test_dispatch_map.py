# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the dispatcher map receives in its one call: the hub's rounds of the day with
their numbered stops and progress, the stops left unassigned with their reason, late
stops, and nothing placed at (0, 0) or taken from another company."""

from datetime import timedelta

from odoo.tests import tagged

from .dispatch_common import DispatchCommon


@tagged("post_install", "-at_install")
class TestDispatchMap(DispatchCommon):
    def _map(self, user=None, **kwargs):
        Round = self.env["tms.round"].with_user(user or self.user_ma)
        kwargs.setdefault("date", str(self.day))
        kwargs.setdefault("hub_id", self.hub_cas.id)
        return Round._tms_map_data(**kwargs)

    def test_map_draws_the_rounds_of_the_day_with_numbered_stops(self):
        data = self._map()
        self.assertEqual(data["hub"]["position"], [33.5731, -7.5898])
        self.assertEqual([r["id"] for r in data["rounds"]], self.round.ids)
        self.assertEqual(data["rounds"][0]["color"], self.round.color)
        stops = [s for s in data["stops"] if s["round_id"] == self.round.id]
        self.assertEqual([s["id"] for s in stops], self.stops.ids)
        self.assertEqual([s["number"] for s in stops], [1, 2, 3])
        self.assertEqual(stops[0]["position"], [33.589, -7.632])
        self.assertEqual(stops[1]["parcel_count"], 1)
        self.assertIn("tile.openstreetmap.org", data["tiles"]["url"])

    def test_map_counts_each_rounds_progress_from_the_parcels(self):
        path = ("confirmed", "picked_up", "at_hub", "out_for_delivery")
        for state in (*path, "delivered"):
            self.stops[0].parcel_ids._set_state(state)
        for state in (*path, "failed"):
            self.stops[1].parcel_ids._set_state(state)
        (progress,) = self._map()["rounds"]
        self.assertEqual(
            (progress["done"], progress["failed"], progress["left"]), (1, 1, 1)
        )
        self.assertEqual(progress["stop_count"], 3)

    def test_map_lists_unassigned_stops_of_the_day_with_their_reason(self):
        pool = self.env["tms.round.stop"].create(
            [
                {
                    "date": self.day,
                    "hub_id": self.hub_cas.id,
                    "company_id": self.company_ma.id,
                    "contact_name": "Nadia Berrada",
                    "latitude": 33.55,
                    "longitude": -7.65,
                    "coordinate_source": "partner",
                    "unassigned_reason": "capacity",
                },
                {
                    "date": self.day + timedelta(days=1),
                    "hub_id": self.hub_cas.id,
                    "company_id": self.company_ma.id,
                    "contact_name": "Another Day",
                },
            ]
        )
        unassigned = [s for s in self._map()["stops"] if not s["round_id"]]
        self.assertEqual([s["id"] for s in unassigned], pool[0].ids)
        self.assertEqual(
            unassigned[0]["unassigned_reason"], "Vehicle capacity exceeded"
        )
        self.assertIsNone(unassigned[0]["number"])

    def test_map_flags_late_stops(self):
        late = self.stops[2]
        self.assertTrue(late.planned_arrival, "the round was scheduled")
        late.window_end = late.planned_arrival - timedelta(hours=1)
        flags = {s["id"]: s["is_late"] for s in self._map()["stops"]}
        self.assertTrue(flags[late.id])
        self.assertFalse(flags[self.stops[0].id])

    def test_map_never_places_a_stop_or_a_depot_at_zero_zero(self):
        nowhere = self._create_stops(
            self.round, [("Sans Adresse", "Douar sans nom", None, None, 0.0)]
        )
        self.hub_cas.write({"latitude": 0.0, "longitude": 0.0})
        data = self._map()
        self.assertIsNone(data["hub"]["position"])
        positions = {s["id"]: s["position"] for s in data["stops"]}
        self.assertIsNone(positions[nowhere.id])
        self.assertNotIn([0.0, 0.0], positions.values())
        self.assertEqual(len([p for p in positions.values() if p]), 3)

    def test_map_shows_nothing_of_another_company(self):
        day = self.day
        round_fr = self._create_round(self.hub_par, day)
        self._create_stops(
            round_fr, [("Jean Dupont", "1 Rue de Rivoli", 48.86, 2.35, 0.0)]
        )
        data = self._map(hub_id=self.hub_par.id)
        self.assertNotIn(self.hub_par.id, [h["id"] for h in data["hubs"]])
        self.assertEqual(data["hub"]["id"], self.hub_cas.id, "falls back to own hub")
        self.assertNotIn(round_fr.id, [r["id"] for r in data["rounds"]])
        self.assertNotIn(round_fr.stop_ids.id, [s["id"] for s in data["stops"]])
        # and the French operator sees the French round only
        data_fr = self._map(user=self.user_fr, hub_id=self.hub_par.id)
        self.assertEqual([r["id"] for r in data_fr["rounds"]], round_fr.ids)

    def test_map_defaults_to_a_hub_with_rounds_that_day(self):
        self.env["tms.hub"].create(
            {
                "name": "Another Depot",
                "code": "AAA",
                "hub_type": "depot",
                "sequence": 1,
                "company_id": self.company_ma.id,
            }
        )
        data = self._map(hub_id=None)
        self.assertEqual(data["hub"]["id"], self.hub_cas.id)
        self.assertEqual(data["date"], str(self.day))

    def test_map_reads_as_many_times_whatever_the_number_of_rounds(self):
        self._map(user=self.env.user)  # caches warm (languages, selections)
        queries = []
        for __ in range(2):
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self._map(user=self.env.user)
            queries.append(self.env.cr.sql_log_count - before)
            extra = self._create_round(self.hub_cas, self.day)
            self._create_stops(
                extra, [("Extra", "9 Rue Extra", 33.58, -7.60, 10.0)] * 2
            )
        self.assertEqual(queries[0], queries[1], "no query per round or per stop")
