# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rounds built by drawing on the dispatcher map: the parcels waiting at the depot and
the stops of the pool or of draft rounds drawn around go to a new round (the first
free van and its driver) or to a draft round; locked stops stay; bad input and foreign
records change nothing."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TmsTransCommon


@tagged("post_install", "-at_install")
class TestDispatchMapDraw(TmsTransCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher = cls.env["res.users"].create(
            {
                "name": "Draw Dispatcher",
                "login": "draw_dispatcher",
                "company_id": cls.company_ma.id,
                "company_ids": [Command.set(cls.company_ma.ids)],
                "groups_id": [Command.set([cls.env.ref("tms_core.group_tms_user").id])],
            }
        )

    def _assign(self, user=None, parcels=None, stops=None, tms_round=None, **kw):
        Round = self.env["tms.round"].with_user(user or self.dispatcher)
        return Round.tms_map_assign(
            kw.get("date", str(self.tomorrow)),
            kw.get("hub_id", self.hub_cas.id),
            parcel_ids=parcels.ids if parcels else [],
            stop_ids=stops.ids if stops else [],
            round_id=tms_round.id if tms_round else False,
        )

    def _snapshot(self):
        """What a refused call must leave untouched: rounds, stops and where every
        stop and parcel is."""
        stops = self.env["tms.round.stop"].search([])
        parcels = self.env["tms.parcel"].search([])
        return (
            self.env["tms.round"].search([]).ids,
            [(s.id, s.round_id.id, s.sequence) for s in stops],
            [(p.id, p.round_stop_id.id) for p in parcels],
        )

    def test_map_shows_the_parcels_waiting_at_the_depot(self):
        karim = self._parcel_at_hub(self.places["Karim Alaoui"], cod_amount=120.0)
        lost = self._parcel_at_hub(self.lost_partner)
        planned = self._parcel_at_hub(self.places["Salma Idrissi"])
        self._plan(self.van_a, parcels=planned)
        data = (
            self.env["tms.round"]
            .with_user(self.dispatcher)
            ._tms_map_data(date=str(self.tomorrow), hub_id=self.hub_cas.id)
        )
        waiting = {p["id"]: p for p in data["parcels"]}
        self.assertEqual(set(waiting), {karim.id, lost.id})
        self.assertEqual(waiting[karim.id]["position"], [33.595, -7.6187])
        self.assertEqual(waiting[karim.id]["cod_amount"], 120.0)
        self.assertEqual(waiting[karim.id]["tracking_number"], karim.tracking_number)
        self.assertIsNone(waiting[lost.id]["position"])

    def test_new_round_from_drawn_parcels_and_a_pool_stop(self):
        karim = self._parcel_at_hub(self.places["Karim Alaoui"], cod_amount=100.0)
        salma = self._parcel_at_hub(self.places["Salma Idrissi"])
        youssef = self._parcel_at_hub(self.places["Youssef Tazi"])
        # planned without a vehicle: Youssef's stop waits in the pool
        self._plan(self.env["fleet.vehicle"], parcels=youssef)
        pool = youssef.round_stop_id
        self.assertFalse(pool.round_id)
        result = self._assign(parcels=karim | salma, stops=pool)
        tms_round = self.env["tms.round"].browse(result["round_id"])
        self.assertEqual(tms_round.state, "draft")
        self.assertEqual(tms_round.date, self.tomorrow)
        self.assertEqual(tms_round.hub_id, self.hub_cas)
        # the first free van, with the user behind its driver, as Plan Rounds does
        self.assertEqual(tms_round.vehicle_id, self.van_a)
        self.assertEqual(tms_round.driver_id, self.driver_a)
        self.assertEqual(tms_round.parcel_ids, karim | salma | youssef)
        self.assertEqual(tms_round.stop_count, 3)
        self.assertEqual(tms_round.cod_total, 100.0)
        self.assertTrue(all(tms_round.stop_ids.mapped("planned_arrival")))
        self.assertEqual(result["type"], "success")
        self.assertIn(tms_round.name, result["message"])
        self.assertIn("3 parcels on 3 stops", result["message"])
        # a second drawing takes the next free van
        nadia = self._parcel_at_hub(self.places["Nadia Berrada"])
        second = self.env["tms.round"].browse(self._assign(parcels=nadia)["round_id"])
        self.assertEqual(second.vehicle_id, self.van_b)

    def test_add_to_a_draft_round_leaves_locked_stops_and_says_so(self):
        karim = self._parcel_at_hub(self.places["Karim Alaoui"])
        salma = self._parcel_at_hub(self.places["Salma Idrissi"])
        (round_a,), _action = self._plan(self.van_a, parcels=karim | salma)
        karim.round_stop_id.locked = True
        round_b = self.env["tms.round"].create(
            {
                "company_id": self.company_ma.id,
                "hub_id": self.hub_cas.id,
                "date": self.tomorrow,
                "vehicle_id": self.van_b.id,
            }
        )
        nadia = self._parcel_at_hub(self.places["Nadia Berrada"])
        result = self._assign(parcels=nadia, stops=round_a.stop_ids, tms_round=round_b)
        self.assertEqual(result["round_id"], round_b.id)
        self.assertEqual(round_b.parcel_ids, salma | nadia)
        self.assertEqual(round_a.parcel_ids, karim)
        self.assertEqual(result["type"], "warning")
        self.assertIn("1 locked stops were not moved", result["message"])
        self.assertIn("Karim Alaoui", result["message"])
        # the moved stop is timed on its new round, the old round is re-timed
        self.assertEqual(round_a.stop_count, 1)
        self.assertTrue(all(round_b.stop_ids.mapped("planned_arrival")))

    def test_only_locked_stops_is_refused(self):
        karim = self._parcel_at_hub(self.places["Karim Alaoui"])
        (round_a,), _action = self._plan(self.van_a, parcels=karim)
        round_a.stop_ids.locked = True
        before = self._snapshot()
        with self.assertRaisesRegex(UserError, "locked"):
            self._assign(stops=round_a.stop_ids)
        self.assertEqual(self._snapshot(), before)

    def test_bad_input_changes_nothing(self):
        waiting = self._parcel_at_hub(self.places["Karim Alaoui"])
        delivered = self._parcel_at_hub(self.places["Salma Idrissi"])
        delivered.driver_id = self.driver_a
        self._event(delivered, "out_for_delivery")
        self._event(delivered, "delivered")
        self.assertEqual(delivered.state, "delivered")
        rabat = self.env["tms.hub"].create(
            {
                "name": "Rabat Depot",
                "code": "RBA",
                "hub_type": "depot",
                "company_id": self.company_ma.id,
            }
        )
        elsewhere = self._parcel_at_hub(self.places["Nadia Berrada"], hub=rabat)
        on_planned = self._parcel_at_hub(self.places["Youssef Tazi"])
        (planned_round,), _action = self._plan(self.van_b, parcels=on_planned)
        planned_round.action_plan()
        today = self.env["tms.round"].create(
            {
                "company_id": self.company_ma.id,
                "hub_id": self.hub_cas.id,
                "date": self.tomorrow - timedelta(days=1),
            }
        )
        cases = [
            ("nothing drawn", {}),
            ("a delivered parcel", {"parcels": waiting | delivered}),
            ("a parcel at another depot", {"parcels": waiting | elsewhere}),
            ("a parcel already on a round", {"parcels": on_planned}),
            ("a stop of a planned round", {"stops": planned_round.stop_ids}),
            (
                "a planned round as target",
                {"parcels": waiting, "tms_round": planned_round},
            ),
            ("a draft round of another day", {"parcels": waiting, "tms_round": today}),
        ]
        before = self._snapshot()
        for label, kwargs in cases:
            with self.subTest(label), self.assertRaises(UserError):
                self._assign(**kwargs)
            self.assertEqual(self._snapshot(), before, label)
        self.assertFalse(waiting.round_stop_id)

    def test_a_user_of_another_company_cannot_use_foreign_parcels(self):
        karim = self._parcel_at_hub(self.places["Karim Alaoui"])
        (round_a,), _action = self._plan(self.van_a, parcels=karim)
        salma = self._parcel_at_hub(self.places["Salma Idrissi"])
        before = self._snapshot()
        with self.assertRaises(AccessError):
            self._assign(user=self.user_fr, parcels=salma)
        with self.assertRaises(AccessError):
            self._assign(user=self.user_fr, parcels=salma, hub_id=self.hub_par.id)
        with self.assertRaises(AccessError):
            self._assign(
                user=self.user_fr, stops=round_a.stop_ids, hub_id=self.hub_par.id
            )
        self.assertEqual(self._snapshot(), before)

    def test_drivers_cannot_build_rounds(self):
        salma = self._parcel_at_hub(self.places["Salma Idrissi"])
        before = self._snapshot()
        with self.assertRaises(AccessError):
            self._assign(user=self.driver_a, parcels=salma)
        self.assertEqual(self._snapshot(), before)
