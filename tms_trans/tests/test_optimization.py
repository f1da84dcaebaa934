# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.vrp.problem import Progress
from .common import TmsTransCommon, trap_jobs


@tagged("post_install", "-at_install")
class TestOptimization(TmsTransCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the run writes its state, progress and result in cursors of their own, as
        # in production; here they share the test's transaction
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)

    def setUp(self):
        super().setUp()
        self.parcels = self.env["tms.parcel"]
        for partner in self.places.values():
            self.parcels |= self._parcel_at_hub(partner)
        self.rounds, _action = self._plan(self.van_a | self.van_b)
        self.round_a = self.rounds.filtered(lambda r: r.vehicle_id == self.van_a)
        self.round_b = self.rounds - self.round_a

    def _optimize(self, rounds, budget=2):
        wizard = self.env["tms.round.optimize.wizard"].create(
            {"round_ids": [(6, 0, rounds.ids)], "time_budget": budget}
        )
        with trap_jobs() as trap:
            action = wizard.action_optimize()
            run = self.env["tms.round.optimization"].browse(action["res_id"])
            self.assertEqual(run.state, "queued")
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        return run

    def _layout(self):
        return {
            stop: (stop.round_id, stop.sequence, stop.planned_arrival)
            for stop in self.rounds.stop_ids
        }

    def test_apply_writes_the_plan_and_keeps_locked_stops(self):
        # a poor plan: everything on round a, Nadia's stop locked on round b
        nadia = self.parcels.filtered(
            lambda p: p.recipient_id == self.places["Nadia Berrada"]
        ).round_stop_id
        self.round_b.stop_ids.write({"round_id": self.round_a.id})
        nadia.write({"round_id": self.round_b.id, "locked": True})
        before_km = sum(self.rounds.mapped("distance_km"))
        run = self._optimize(self.rounds)
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(run.progress, 100.0)
        self.assertAlmostEqual(run.before_distance_km, before_km, places=3)
        self.assertEqual(run.before_vehicle_count, 2)
        self.assertGreater(run.after_distance_km, 0.0)
        self.assertLessEqual(run.after_distance_km, run.before_distance_km + 0.001)
        self.assertGreater(run.after_co2_kg, 0.0)
        self.assertEqual(run.unassigned_count, 0)
        self.assertEqual(run.matrix_source, "haversine")
        # nothing changes before Apply
        self.assertEqual(nadia.round_id, self.round_b)
        self.assertEqual(self.round_a.stop_count, 3)
        run.action_apply()
        self.assertEqual(run.state, "applied")
        self.assertEqual(nadia.round_id, self.round_b, "a locked stop keeps its round")
        self.assertEqual(self.round_b.stop_ids.sorted("sequence")[0], nadia)
        proposed = {
            stop_id: route["round_id"]
            for route in run.result["routes"]
            for stop_id, _arrival, _departure in route["visits"]
        }
        self.assertEqual(
            proposed, {stop.id: stop.round_id.id for stop in self.rounds.stop_ids}
        )
        self.assertTrue(all(self.rounds.stop_ids.mapped("planned_arrival")))
        self.assertAlmostEqual(
            sum(self.rounds.mapped("distance_km")), run.after_distance_km, places=3
        )
        for tms_round in self.rounds.filtered("stop_ids"):
            arrivals = tms_round.stop_ids.sorted("sequence").mapped("planned_arrival")
            self.assertEqual(arrivals, sorted(arrivals), "stops ordered by arrival")
        with self.assertRaises(UserError):
            run.action_apply()

    def test_discard_leaves_the_rounds_as_they_were(self):
        self.round_b.stop_ids.write({"round_id": self.round_a.id})
        layout = self._layout()
        run = self._optimize(self.rounds)
        self.assertEqual(run.state, "done", run.error)
        run.action_discard()
        self.assertEqual(run.state, "discarded")
        self.assertEqual(self._layout(), layout)
        with self.assertRaises(UserError):
            run.action_apply()

    def test_stops_that_do_not_fit_are_left_out_with_their_reason(self):
        tiny = self.env["fleet.vehicle.model.category"].create(
            {"name": "Bicycle", "weight_capacity": 5.0}
        )
        self.van_a.category_id = tiny
        self.van_b.category_id = tiny
        heavy = self.parcels[0]
        heavy.weight = 50.0
        lost = self._parcel_at_hub(self.lost_partner)
        self._plan(self.van_a, parcels=lost)
        self.assertEqual(lost.round_stop_id.unassigned_reason, "no_location")
        run = self._optimize(self.rounds)
        self.assertEqual(run.state, "done", run.error)
        unassigned = run.result["unassigned"]
        self.assertEqual(unassigned[str(heavy.round_stop_id.id)], "capacity")
        self.assertEqual(unassigned[str(lost.round_stop_id.id)], "no_location")
        self.assertEqual(run.unassigned_count, 2)
        self.assertIn("Vehicle capacity exceeded", run.unassigned_summary)
        run.action_apply()
        self.assertFalse(heavy.round_stop_id.round_id, "back to the stops to plan")
        self.assertEqual(heavy.round_stop_id.unassigned_reason, "capacity")
        others = self.rounds.stop_ids
        self.assertEqual(len(others), 3)
        self.assertFalse(any(others.mapped("unassigned_reason")))

    def test_pool_stops_are_placed(self):
        stop = self.round_a.stop_ids[0]
        stop.round_id = False
        run = self._optimize(self.rounds)
        run.action_apply()
        self.assertIn(stop.round_id, self.rounds)

    def test_rounds_of_one_depot_and_day_not_started(self):
        other = self.env["tms.round"].create(
            {
                "company_id": self.company_ma.id,
                "hub_id": self.hub_cas.id,
                "date": self.round_a.date.replace(day=1)
                if self.round_a.date.day != 1
                else self.round_a.date.replace(day=2),
            }
        )
        with self.assertRaisesRegex(UserError, "one depot and one day"):
            self.env["tms.round.optimization"]._tms_start(self.round_a | other)
        self.round_a.action_plan()
        self.round_a.action_start()
        with self.assertRaisesRegex(UserError, "draft or planned"):
            self.env["tms.round.optimization"]._tms_start(self.round_a)

    def test_started_round_refuses_an_old_proposal(self):
        run = self._optimize(self.rounds)
        self.round_a.action_plan()
        self.round_a.action_start()
        with self.assertRaisesRegex(UserError, "started since"):
            run.action_apply()

    def _run(self):
        return self.env["tms.round.optimization"].create(
            {
                "company_id": self.company_ma.id,
                "round_ids": [(6, 0, self.rounds.ids)],
                "hub_id": self.hub_cas.id,
                "date": self.tomorrow,
            }
        )

    def test_progress_is_written_while_the_solver_runs(self):
        run = self._run()
        progress = run._tms_progress_callback()
        progress(
            Progress(
                fraction=0.42,
                elapsed=12.6,
                objective=123456,
                distance=35_250,
                served=3,
                unassigned=1,
            )
        )
        run.invalidate_recordset()
        self.assertEqual(run.progress, 42.0)
        self.assertEqual(run.progress_distance_km, 35.25)
        self.assertEqual(run.progress_served_count, 3)
        self.assertEqual(run.progress_unassigned_count, 1)
        self.assertEqual(run.elapsed, 12.6)
        self.assertEqual(
            run.progress_summary,
            "Best plan so far: 35.2 km, 3 stops served, 1 left out (after 13 s).",
        )
        # no plan yet: no figures
        progress_later = run._tms_progress_callback()
        progress_later(Progress(fraction=0.5, elapsed=15.0))
        run.invalidate_recordset()
        self.assertEqual(run.progress, 50.0)
        self.assertEqual(run.progress_served_count, 0)
        self.assertFalse(run.progress_summary)

    def test_progress_written_about_once_a_second_and_at_the_end(self):
        run = self._run()
        progress = run._tms_progress_callback(interval=3600)
        progress(Progress(fraction=0.1, elapsed=1.0))
        progress(Progress(fraction=0.2, elapsed=2.0, distance=1000, served=1))
        run.invalidate_recordset()
        self.assertEqual(run.progress, 10.0, "the second report came too soon")
        progress(Progress(fraction=1.0, elapsed=3.0, distance=900, served=4))
        run.invalidate_recordset()
        self.assertEqual((run.progress, run.progress_served_count), (100.0, 4))

    def test_run_shows_its_best_plan_and_ends_at_full_progress(self):
        lost = self._parcel_at_hub(self.lost_partner)
        self._plan(self.van_a, parcels=lost)
        reports = []
        callback = type(self.env["tms.round.optimization"])._tms_progress_callback

        def spy(run, interval=1.0):
            write = callback(run, interval=interval)

            def progress(report):
                reports.append(report)
                write(report)

            return progress

        with patch.object(
            type(self.env["tms.round.optimization"]), "_tms_progress_callback", spy
        ):
            run = self._optimize(self.rounds, budget=1)
        self.assertEqual(run.state, "done", run.error)
        self.assertGreaterEqual(len(reports), 2)
        self.assertEqual(reports[-1].fraction, 1.0)
        elapsed = [report.elapsed for report in reports]
        self.assertEqual(elapsed, sorted(elapsed))
        self.assertEqual(run.progress, 100.0)
        self.assertEqual(run.progress_served_count, 4)
        self.assertEqual(run.progress_unassigned_count, 1, "the stop without place")
        self.assertAlmostEqual(
            run.progress_distance_km, run.after_distance_km, places=3
        )
        self.assertGreater(run.progress_distance_km, 0.0)
