# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Estimated arrivals of a started round (tools/eta.py), without Odoo."""

import importlib.util
import unittest
from datetime import datetime, timedelta
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "tms_trans_tools_eta", Path(__file__).resolve().parents[1] / "tools" / "eta.py"
)
eta = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eta)

T0 = datetime(2026, 3, 2, 8, 0)
MIN = timedelta(minutes=1)


def plan():
    """Three stops: travel 20, 10 (then a wait for a window), 15 min; 5 min each."""
    return [
        eta.PlannedStop("a", T0 + 20 * MIN, T0 + 25 * MIN),
        eta.PlannedStop("b", T0 + 35 * MIN, T0 + 40 * MIN),
        eta.PlannedStop("c", T0 + 60 * MIN, T0 + 65 * MIN),
    ]


class TestEta(unittest.TestCase):
    def test_on_time_keeps_the_plan(self):
        estimates = eta.estimate_arrivals(T0 + 5 * MIN, plan(), T0, T0)
        self.assertEqual([e.arrival for e in estimates], [s.arrival for s in plan()])
        self.assertFalse(any(e.late for e in estimates))

    def test_ahead_of_plan_never_promises_earlier(self):
        # started 15 minutes early: arrivals stay those announced
        estimates = eta.estimate_arrivals(T0 - 15 * MIN, plan(), T0, T0 - 15 * MIN)
        self.assertEqual([e.arrival for e in estimates], [s.arrival for s in plan()])

    def test_late_start_moves_every_stop(self):
        # left the depot 30 minutes late
        estimates = eta.estimate_arrivals(T0 + 30 * MIN, plan(), T0, T0 + 30 * MIN)
        self.assertEqual(estimates[0].arrival, T0 + 50 * MIN)
        self.assertEqual(estimates[1].arrival, T0 + 65 * MIN)
        # the plan's gap before c counts as travel: the delay passes on whole
        self.assertEqual(estimates[2].arrival, T0 + 90 * MIN)
        self.assertEqual(estimates[2].delay, 30 * MIN)
        self.assertTrue(all(e.late for e in estimates))

    def test_a_stop_still_to_do_is_not_reached_before_now(self):
        # nothing heard from the driver since the start; it is now 8:45
        estimates = eta.estimate_arrivals(T0 + 45 * MIN, plan(), T0, T0)
        self.assertEqual(estimates[0].arrival, T0 + 45 * MIN)
        self.assertEqual(estimates[0].delay, 25 * MIN)
        self.assertEqual(estimates[1].arrival, T0 + 60 * MIN)

    def test_small_delay_is_not_late(self):
        estimates = eta.estimate_arrivals(T0 + 25 * MIN, plan(), T0, T0)
        self.assertEqual(estimates[0].delay, 5 * MIN)
        self.assertFalse(estimates[0].late)

    def test_window_and_stops_before(self):
        estimate = eta.Estimate("a", T0, timedelta(0), False)
        self.assertEqual(estimate.window(30 * MIN), (T0 - 30 * MIN, T0 + 30 * MIN))
        self.assertEqual(eta.stops_before([4, 7, 9], 9), 2)
        self.assertIsNone(eta.stops_before([4, 7], 9))
