# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TmsTransCommon


@tagged("post_install", "-at_install")
class TestPlanRounds(TmsTransCommon):
    def test_parcels_to_one_address_make_one_stop(self):
        karim = self.places["Karim Alaoui"]
        # another contact at Karim's address, written differently
        neighbour = karim.copy(
            {"name": "Karim's office", "street": "5, rue TATA ", "zip": "20000"}
        )
        first = self._parcel_at_hub(karim, cod_amount=100.0, weight=2.0)
        second = self._parcel_at_hub(karim, cod_amount=50.0, weight=3.0)
        third = self._parcel_at_hub(neighbour)
        salma = self._parcel_at_hub(self.places["Salma Idrissi"])
        rounds, _action = self._plan(self.van_a)
        self.assertEqual(len(rounds), 1)
        stop = first.round_stop_id
        self.assertEqual(second.round_stop_id, stop)
        self.assertEqual(third.round_stop_id, stop)
        self.assertNotEqual(salma.round_stop_id, stop)
        self.assertEqual(stop.parcel_count, 3)
        self.assertEqual(stop.cod_amount, 150.0)
        self.assertEqual(stop.weight, 2.0 + 3.0 + third.weight)
        self.assertEqual(stop.coordinate_source, "partner")
        self.assertEqual(stop.service_minutes, 5.0)
        self.assertEqual(rounds.stop_count, 2)
        self.assertEqual(rounds.cod_total, 150.0)
        self.assertEqual(rounds.parcel_ids, first | second | third | salma)

    def test_wizard_proposes_the_busy_depot_and_the_free_vans(self):
        """A dispatcher without a hub of their own opens Plan Rounds on the depot
        where parcels wait and with the vans not already on a round tomorrow."""
        rabat = self.env["tms.hub"].create(
            {
                "name": "Rabat Depot",
                "code": "RBA",
                "hub_type": "depot",
                "company_id": self.company_ma.id,
            }
        )
        self._parcel_at_hub(self.places["Karim Alaoui"], hub=rabat)
        self._parcel_at_hub(self.places["Salma Idrissi"], hub=rabat)
        self._parcel_at_hub(self.places["Karim Alaoui"])
        self.env.user.tms_hub_id = False
        self._plan(self.van_c)
        wizard = self.env["tms.round.plan.wizard"].with_company(self.company_ma).new({})
        self.assertEqual(wizard.hub_id, rabat)
        vehicles = wizard.vehicle_ids._origin
        self.assertIn(self.van_a, vehicles)
        self.assertIn(self.van_b, vehicles)
        self.assertNotIn(self.van_c, vehicles)

    def test_a_dispatcher_who_is_a_fleet_officer_sees_every_van(self):
        """Fleet lets its officers read only the vehicles they drive; a dispatcher
        with that Fleet role still gets every free van of the company to plan."""
        dispatcher = self._create_tms_user(
            "dispatcher_fleet", self.company_ma, "group_tms_user"
        )
        dispatcher.groups_id += self.env.ref("fleet.fleet_group_user")
        wizard = (
            self.env["tms.round.plan.wizard"]
            .with_user(dispatcher)
            .with_company(self.company_ma)
            .new({})
        )
        vehicles = wizard.vehicle_ids._origin
        self.assertIn(self.van_a, vehicles)
        self.assertIn(self.van_b, vehicles)
        # reading is all the rule grants: Fleet's rights decide who edits a van
        with self.assertRaises(AccessError):
            self.van_a.with_user(dispatcher).write({"license_plate": "00000-X-0"})

    def test_stops_without_coordinates_are_reported_not_at_zero(self):
        lost = self._parcel_at_hub(self.lost_partner)
        ok = self._parcel_at_hub(self.places["Youssef Tazi"])
        rounds, action = self._plan(self.van_a)
        stop = lost.round_stop_id
        self.assertEqual(stop.coordinate_source, "none")
        self.assertFalse(stop.round_id, "a stop without coordinates waits in the pool")
        self.assertEqual(stop.unassigned_reason, "no_location")
        self.assertFalse(stop.planned_arrival)
        self.assertEqual(ok.round_stop_id.round_id, rounds)
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Omar Lahlou", action["params"]["message"])
        # the round's distance counts the located stop only: depot, Youssef, depot
        self.assertGreater(rounds.distance_km, 0.0)
        self.assertLess(rounds.distance_km, 20.0)

    def test_coordinates_from_an_earlier_delivery(self):
        earlier = self._parcel_at_hub(self.recipient_ma)
        self._event(earlier, "out_for_delivery")
        self._event(earlier, "delivered", latitude=33.5912, longitude=-7.6101)
        parcel = self._parcel_at_hub(self.recipient_ma)
        self._plan(self.van_a)
        stop = parcel.round_stop_id
        self.assertEqual(stop.coordinate_source, "previous_delivery")
        self.assertAlmostEqual(stop.latitude, 33.5912)
        self.assertAlmostEqual(stop.longitude, -7.6101)
        self.assertTrue(stop.round_id)

    def test_one_round_per_vehicle_with_its_driver(self):
        for partner in self.places.values():
            self._parcel_at_hub(partner)
        rounds, _action = self._plan(self.van_a | self.van_b | self.van_c)
        self.assertEqual(len(rounds), 3)
        by_vehicle = {r.vehicle_id: r for r in rounds}
        self.assertEqual(by_vehicle[self.van_a].driver_id, self.driver_a)
        self.assertEqual(by_vehicle[self.van_b].driver_id, self.driver_b)
        self.assertFalse(by_vehicle[self.van_c].driver_id, "that driver has no login")
        self.assertEqual(sum(rounds.mapped("stop_count")), 4)
        self.assertTrue(all(r.stop_count for r in rounds), "the sweep uses every van")
        # planned again: the open rounds are reused, already planned parcels skipped
        extra = self._parcel_at_hub(self.places["Karim Alaoui"])
        rounds_again, _action = self._plan(self.van_a | self.van_b | self.van_c)
        self.assertEqual(rounds_again, rounds)
        self.assertTrue(extra.round_stop_id.round_id)

    def test_only_parcels_ready_at_the_depot(self):
        other_hub = self.env["tms.hub"].create(
            {
                "name": "Rabat Depot",
                "code": "RBA",
                "hub_type": "depot",
                "company_id": self.company_ma.id,
            }
        )
        elsewhere = self._parcel_at_hub(self.places["Karim Alaoui"], hub=other_hub)
        not_there = self._create_parcel(
            state="confirmed", recipient_id=self.places["Salma Idrissi"].id
        )
        self.env["tms.zone"].create(
            {
                "name": "Rabat",
                "code": "RBA-1",
                "company_id": self.company_ma.id,
                "country_id": self.morocco.id,
                "zip_prefixes": "10",
                "hub_id": other_hub.id,
            }
        )
        rabat = self.places["Nadia Berrada"].copy({"city": "Rabat", "zip": "10000"})
        passing_through = self._parcel_at_hub(rabat)
        self.assertEqual(passing_through.destination_hub_id, other_hub)
        with self.assertRaisesRegex(UserError, "No parcel to plan"):
            self._plan(self.van_a)
        ready = self._parcel_at_hub(self.places["Youssef Tazi"])
        self._plan(self.van_a, parcels=elsewhere | not_there | passing_through | ready)
        self.assertTrue(ready.round_stop_id)
        self.assertFalse((elsewhere | not_there | passing_through).round_stop_id)

    def test_plan_from_parcel_selection(self):
        parcels = self._parcel_at_hub(
            self.places["Karim Alaoui"]
        ) | self._parcel_at_hub(self.places["Salma Idrissi"])
        action = parcels.action_plan_rounds()
        self.assertEqual(action["res_model"], "tms.round.plan.wizard")
        self.assertEqual(action["context"]["default_parcel_ids"], parcels.ids)
        self.assertEqual(action["context"]["default_hub_id"], self.hub_cas.id)


@tagged("post_install", "-at_install")
class TestRoundEditing(TmsTransCommon):
    def setUp(self):
        super().setUp()
        for partner in self.places.values():
            self._parcel_at_hub(partner)
        self.rounds, _action = self._plan(self.van_a | self.van_b)
        self.round_a = self.rounds.filtered(lambda r: r.vehicle_id == self.van_a)
        self.round_b = self.rounds - self.round_a

    def test_move_stop_between_rounds(self):
        stop = self.round_a.stop_ids[0]
        count_a, count_b = self.round_a.stop_count, self.round_b.stop_count
        km_b = self.round_b.distance_km
        stop.write({"round_id": self.round_b.id, "sequence": 0})
        self.assertEqual(self.round_a.stop_count, count_a - 1)
        self.assertEqual(self.round_b.stop_count, count_b + 1)
        self.assertEqual(self.round_b.stop_ids.sorted("sequence")[0], stop)
        self.assertNotEqual(self.round_b.distance_km, km_b, "round b rescheduled")
        self.assertTrue(stop.planned_arrival)
        self.assertEqual(
            stop.planned_arrival,
            min(self.round_b.stop_ids.mapped("planned_arrival")),
        )

    def test_move_to_the_pool_and_to_another_depot(self):
        stop = self.round_a.stop_ids[0]
        stop.round_id = False
        self.assertNotIn(stop, self.round_a.stop_ids)
        other_hub = self.env["tms.hub"].create(
            {
                "name": "Rabat Depot",
                "code": "RBA",
                "hub_type": "depot",
                "company_id": self.company_ma.id,
            }
        )
        other_round = self.env["tms.round"].create(
            {
                "company_id": self.company_ma.id,
                "hub_id": other_hub.id,
                "date": self.tomorrow,
            }
        )
        with self.assertRaisesRegex(UserError, "same depot"):
            stop.round_id = other_round

    def test_stops_of_a_finished_round_stay(self):
        stop = self.round_a.stop_ids[0]
        self.round_a.action_plan()
        self.round_a.action_start()
        self.round_a.action_finish()
        with self.assertRaises(UserError):
            stop.round_id = self.round_b

    def test_plan_needs_vehicle_and_driver_and_gives_parcels_to_driver(self):
        self.round_b.driver_id = False
        with self.assertRaisesRegex(UserError, "vehicle and a driver"):
            self.round_b.action_plan()
        self.round_a.action_plan()
        self.assertEqual(self.round_a.state, "planned")
        self.assertEqual(self.round_a.parcel_ids.mapped("driver_id"), self.driver_a)
        # a stop moved onto a planned round goes to its driver too
        stop = self.round_b.stop_ids[0]
        stop.round_id = self.round_a
        self.assertEqual(stop.parcel_ids.driver_id, self.driver_a)

    def test_cancel_sends_stops_back_to_the_pool(self):
        stops = self.round_a.stop_ids
        self.round_a.action_cancel()
        self.assertEqual(self.round_a.state, "cancel")
        self.assertFalse(stops.round_id)
        self.assertEqual(len(self.round_a.stop_ids), 0)

    def test_lock_toggle(self):
        stop = self.round_a.stop_ids[0]
        stop.action_toggle_lock()
        self.assertTrue(stop.locked)
        stop.action_toggle_lock()
        self.assertFalse(stop.locked)

    def test_stop_added_by_hand_takes_the_contact_place(self):
        with Form(self.round_a) as form:
            with form.stop_ids.new() as line:
                line.partner_id = self.places["Youssef Tazi"]
        stop = self.round_a.stop_ids.filtered(
            lambda s: s.partner_id == self.places["Youssef Tazi"] and not s.parcel_ids
        )
        self.assertEqual(stop.coordinate_source, "partner")
        self.assertEqual(stop.street, "8 Rue de Fès")
        self.assertAlmostEqual(stop.latitude, 33.55)
        self.assertEqual((stop.date, stop.hub_id), (self.tomorrow, self.hub_cas))
        self.assertTrue(stop.planned_arrival)

    def test_kanban_shows_empty_rounds_of_the_day(self):
        empty = self.env["tms.round"].create(
            {
                "company_id": self.company_ma.id,
                "hub_id": self.hub_cas.id,
                "date": self.tomorrow,
            }
        )
        groups = (
            self.env["tms.round.stop"]
            .with_context(
                tms_round_date=fields.Date.to_string(self.tomorrow),
                tms_hub_id=self.hub_cas.id,
            )
            .read_group([("date", "=", self.tomorrow)], ["round_id"], ["round_id"])
        )
        round_ids = {g["round_id"][0] for g in groups if g["round_id"]}
        self.assertIn(empty.id, round_ids)
        self.assertIn(self.round_a.id, round_ids)

    def test_late_stop(self):
        stop = self.round_a.stop_ids.sorted("sequence")[-1]
        stop.window_end = stop.planned_arrival - timedelta(minutes=1)
        self.assertTrue(stop.is_late)
        self.assertIn(stop, self.env["tms.round.stop"].search([("is_late", "=", True)]))
        self.assertIn(
            self.round_a,
            self.env["tms.round"].search([("stop_ids.is_late", "=", True)]),
        )


@tagged("post_install", "-at_install")
class TestRoundFromEvents(TmsTransCommon):
    def test_round_starts_and_finishes_with_the_driver_events(self):
        karim = self._parcel_at_hub(self.places["Karim Alaoui"])
        karim_2 = self._parcel_at_hub(self.places["Karim Alaoui"])
        salma = self._parcel_at_hub(self.places["Salma Idrissi"])
        rounds, _action = self._plan(self.van_a)
        rounds.action_plan()
        self._event(karim | karim_2 | salma, "out_for_delivery")
        self.assertEqual(rounds.state, "started")
        self.assertTrue(rounds.date_started)
        self._event(karim, "delivered")
        self.assertEqual(karim.round_stop_id.state, "pending", "one parcel left")
        reason = self.env["tms.failure.reason"].search([], limit=1)
        self._event(karim_2, "failed", failure_reason_id=reason.id)
        self.assertEqual(karim.round_stop_id.state, "partial")
        self.assertEqual(rounds.state, "started")
        self.assertEqual(rounds.stop_left_count, 1)
        self._event(salma, "delivered")
        self.assertEqual(salma.round_stop_id.state, "done")
        self.assertEqual(rounds.state, "done")
        self.assertEqual(rounds.stop_left_count, 0)
        self.assertEqual(rounds.stop_done_count, 2)


@tagged("post_install", "-at_install")
class TestRoundAccess(TmsTransCommon):
    def test_driver_reads_only_his_rounds(self):
        for partner in self.places.values():
            self._parcel_at_hub(partner)
        rounds, _action = self._plan(self.van_a | self.van_b)
        round_a = rounds.filtered(lambda r: r.driver_id == self.driver_a)
        round_b = rounds - round_a
        as_driver = self.env["tms.round"].with_user(self.driver_a)
        self.assertEqual(as_driver.search([("id", "in", rounds.ids)]), round_a)
        with self.assertRaises(AccessError):
            as_driver.browse(round_b.id).read(["name"])
        stops = self.env["tms.round.stop"].with_user(self.driver_a)
        self.assertEqual(stops.search([]), round_a.stop_ids)
        with self.assertRaises(AccessError):
            as_driver.browse(round_a.id).write({"shift_end": 20.0})

    def test_other_company_round_invisible(self):
        self._parcel_at_hub(self.places["Karim Alaoui"])
        rounds, _action = self._plan(self.van_a)
        as_fr = self.env["tms.round"].with_user(self.user_fr)
        self.assertFalse(as_fr.search([("id", "in", rounds.ids)]))
        with self.assertRaises(AccessError):
            as_fr.browse(rounds.id).read(["name"])
        as_ma = self.env["tms.round"].with_user(self.user_ma)
        self.assertEqual(as_ma.search([("id", "in", rounds.ids)]), rounds)
