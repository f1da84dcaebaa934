# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Pickup stops: parcels awaiting pickup at a shipper of the depot's area are picked
up by the rounds that deliver, and the optimisation plans both."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import TmsTransCommon, trap_jobs


@tagged("post_install", "-at_install")
class TestPickups(TmsTransCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        Partner = cls.env["res.partner"]
        # in the Casablanca zone (zip 20...), with its place
        cls.shop = Partner.create(
            {
                "name": "Souk Digital",
                "street": "7 Rue Allal Ben Abdellah",
                "city": "Casablanca",
                "zip": "20100",
                "country_id": cls.morocco.id,
                "mobile": "+212600000001",
                "partner_latitude": 33.5920,
                "partner_longitude": -7.6050,
                "company_id": cls.company_ma.id,
            }
        )
        # in no zone of the depot
        cls.far_shop = Partner.create(
            {
                "name": "Boutique Rabat",
                "city": "Rabat",
                "zip": "10000",
                "country_id": cls.morocco.id,
                "partner_latitude": 34.0,
                "partner_longitude": -6.85,
                "company_id": cls.company_ma.id,
            }
        )

    def _awaiting_pickup(self, shipper, recipient, **vals):
        return self._create_parcel(
            state="confirmed",
            shipper_id=shipper.id,
            recipient_id=recipient.id,
            **vals,
        )

    def test_parcels_awaiting_pickup_become_pickup_stops_on_the_rounds(self):
        deliveries = self._parcel_at_hub(
            self.places["Karim Alaoui"]
        ) | self._parcel_at_hub(self.places["Nadia Berrada"])
        pickups = self._awaiting_pickup(
            self.shop, self.places["Salma Idrissi"], weight=2.0
        ) | self._awaiting_pickup(self.shop, self.places["Youssef Tazi"], weight=3.0)
        far = self._awaiting_pickup(self.far_shop, self.places["Salma Idrissi"])
        later = self._awaiting_pickup(
            self.shop,
            self.places["Karim Alaoui"],
            date_shipping=fields.Datetime.to_datetime(self.tomorrow)
            + timedelta(days=2),
        )
        rounds, _action = self._plan(self.van_a)
        stop = pickups.pickup_stop_id
        self.assertEqual(len(stop), 1, "one pickup stop per shipper")
        self.assertEqual(stop.kind, "pickup")
        self.assertEqual(stop.partner_id, self.shop)
        self.assertEqual((stop.street, stop.phone), (self.shop.street, "+212600000001"))
        self.assertEqual(stop.coordinate_source, "partner")
        self.assertEqual((stop.parcel_count, stop.weight), (2, 5.0))
        self.assertEqual(stop.round_id, rounds, "in the same round as the deliveries")
        self.assertEqual(rounds.stop_ids, deliveries.round_stop_id | stop)
        self.assertEqual(stop.state, "pending")
        self.assertFalse(pickups.round_stop_id, "their delivery is planned later")
        self.assertFalse((far | later).pickup_stop_id)

        # picked up: the stop is done; once at the depot they are planned for
        # delivery, and the pickup stop keeps its parcels and its state
        rounds.action_plan()
        self._event(pickups, "picked_up")
        self.assertEqual(stop.state, "done")
        self.assertEqual(rounds.state, "started", "the pickup scan starts the round")
        self._event(pickups, "at_hub", hub_id=self.hub_cas.id)
        self._plan(self.van_b)
        self.assertTrue(all(p.round_stop_id.kind == "delivery" for p in pickups))
        self.assertEqual(stop.pickup_parcel_ids, pickups)
        self.assertEqual(stop.state, "done")
        self._event(deliveries, "delivered")
        self.assertEqual(rounds.state, "done")

    def test_optimisation_plans_pickups_and_deliveries_in_one_round(self):
        for name in ("Karim Alaoui", "Nadia Berrada"):
            self._parcel_at_hub(self.places[name], weight=4.0)
        pickups = self._awaiting_pickup(
            self.shop, self.places["Salma Idrissi"], weight=6.0
        )
        rounds, _action = self._plan(self.van_a)
        stop = pickups.pickup_stop_id
        # the van leaves with 8 kg and brings 6 kg back: 10 kg is enough only if
        # the pickup comes after one delivery at least
        tiny = self.env["fleet.vehicle.model.category"].create(
            {"name": "Scooter", "weight_capacity": 10.0}
        )
        self.van_a.category_id = tiny
        stops, vehicles = (
            self.env["tms.round.optimization"]
            .create(
                {
                    "company_id": self.company_ma.id,
                    "round_ids": [fields.Command.set(rounds.ids)],
                    "hub_id": self.hub_cas.id,
                    "date": self.tomorrow,
                }
            )
            ._tms_problem()
        )
        problem_stop = next(s for s in stops if s.id == stop.id)
        self.assertEqual((problem_stop.kind, problem_stop.weight), ("pickup", 6.0))
        wizard = self.env["tms.round.optimize.wizard"].create(
            {
                "round_ids": [fields.Command.set(rounds.ids)],
                "time_budget": 1,
                "backend": "ortools",
            }
        )
        with trap_jobs() as trap:
            run = self.env["tms.round.optimization"].browse(
                wizard.action_optimize()["res_id"]
            )
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(run.unassigned_count, 0)
        (route,) = run.result["routes"]
        order = [stop_id for stop_id, _arrival, _departure in route["visits"]]
        self.assertEqual(len(order), 3)
        self.assertNotEqual(order[0], stop.id, "not loaded beyond 10 kg")
        run.action_apply()
        self.assertEqual(stop.round_id, rounds)
