# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Route optimisation (tools/vrp): tiny instances against their brute-forced optimum,
the reasons of the stops left out, pickups, locks, breaks, and a checker that catches
each kind of violation. Every plan produced here passes the checker."""

import copy
import importlib.util
import itertools
import random
import sys
import unittest
from pathlib import Path


def _vrp(submodule):
    """Import tools/vrp/<submodule> by path: it needs neither Odoo nor a database."""
    name = "tms_trans_tools_vrp"
    if name not in sys.modules:
        init = Path(__file__).resolve().parents[1] / "tools" / "vrp" / "__init__.py"
        spec = importlib.util.spec_from_file_location(
            name, init, submodule_search_locations=[str(init.parent)]
        )
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        spec.loader.exec_module(package)
    return importlib.import_module(f"{name}.{submodule}")


checker = _vrp("checker")
matrix_tools = _vrp("matrix")
nodes = _vrp("nodes")
solomon = _vrp("solomon")
solver = _vrp("solver")
problem = _vrp("problem")
Location, Stop, Vehicle = problem.Location, problem.Stop, problem.Vehicle

HOUR = 3600
DEPOT = Location(33.5731, -7.5898)  # Casablanca
DAY = (8 * HOUR, 18 * HOUR)
LIMIT = 1  # seconds of search per test: tiny instances


def near(north_km, east_km):
    """A point ``north_km`` north and ``east_km`` east of the depot."""
    return Location(DEPOT.latitude + north_km / 111.2, DEPOT.longitude + east_km / 92.7)


def brute_force(stops, vehicles, matrix):
    """The shortest total distance serving every stop, by enumeration (tiny cases)."""
    layout = nodes.Layout(stops, vehicles)
    best = None
    for owners in itertools.product(range(len(vehicles)), repeat=len(stops)):
        total = 0
        for v, vehicle in enumerate(vehicles):
            mine = [s for s, owner in zip(stops, owners, strict=True) if owner == v]
            if (
                vehicle.max_count is not None
                and sum(s.count for s in mine) > vehicle.max_count
            ):
                break
            shortest = None
            for order in itertools.permutations(mine):
                length = _route_length(order, v, vehicle, layout, matrix)
                if length is not None and (shortest is None or length < shortest):
                    shortest = length
            if shortest is None:
                break
            total += shortest
        else:
            best = total if best is None else min(best, total)
    return best


def _route_length(order, v, vehicle, layout, matrix):
    if not order:
        return 0
    clock, here, length = vehicle.shift[0], layout.start_index[v], 0
    for stop in order:
        there = layout.stop_index[stop.id]
        clock += matrix.duration[here][there]
        length += matrix.distance[here][there]
        if stop.window:
            clock = max(clock, stop.window[0])
            if clock > stop.window[1]:
                return None
        clock += stop.service
        here = there
    clock += matrix.duration[here][layout.end_index[v]]
    if clock > vehicle.shift[1]:
        return None
    return length + matrix.distance[here][layout.end_index[v]]


class VrpCase(unittest.TestCase):
    def plan(self, stops, vehicles, matrix=None, **kwargs):
        if matrix is None:
            matrix = matrix_tools.build(nodes.points(stops, vehicles))
        solution = solver.solve(stops, vehicles, matrix, time_limit=LIMIT, **kwargs)
        self.assertEqual(checker.check(stops, vehicles, matrix, solution), [])
        return solution, matrix

    def route_of(self, solution, vehicle_id):
        route = next(r for r in solution.routes if r.vehicle_id == vehicle_id)
        return [visit.stop_id for visit in route.visits]


class TestOptimum(VrpCase):
    def test_stops_on_a_line(self):
        stops = [Stop(k, near(0, km)) for k, km in enumerate((3, -2, 5, 1, -4))]
        vehicles = [Vehicle("van", DEPOT, shift=DAY)]
        solution, matrix = self.plan(stops, vehicles)
        self.assertEqual(solution.unassigned, {})
        self.assertEqual(solution.distance, brute_force(stops, vehicles, matrix))
        # out to one end and back through the other: twice (5 + 4) km by road
        self.assertAlmostEqual(solution.distance / 1000, 2 * 9 * 1.3, delta=0.2)

    def test_two_vehicles_with_capacity(self):
        rng = random.Random(7)
        stops = [
            Stop(
                k,
                near(rng.uniform(-10, 10), rng.uniform(-10, 10)),
                count=rng.randint(1, 3),
            )
            for k in range(6)
        ]
        vehicles = [Vehicle(name, DEPOT, max_count=6, shift=DAY) for name in ("a", "b")]
        solution, matrix = self.plan(stops, vehicles)
        self.assertEqual(solution.unassigned, {})
        self.assertEqual(solution.distance, brute_force(stops, vehicles, matrix))

    def test_windows_change_the_order(self):
        # geometry says 1, 2, 3 outward; the windows ask for 3 first, then 1 then 2
        stops = [
            Stop(1, near(0, 2), window=(10 * HOUR, 11 * HOUR), service=600),
            Stop(2, near(0, 4), window=(11 * HOUR, 12 * HOUR), service=600),
            Stop(3, near(0, 6), window=(8 * HOUR, 9 * HOUR), service=600),
            Stop(4, near(3, 3), service=600),
        ]
        vehicles = [Vehicle("van", DEPOT, shift=DAY)]
        solution, matrix = self.plan(stops, vehicles)
        self.assertEqual(solution.unassigned, {})
        self.assertEqual(solution.distance, brute_force(stops, vehicles, matrix))
        order = self.route_of(solution, "van")
        self.assertLess(order.index(3), order.index(1))
        self.assertLess(order.index(1), order.index(2))

    def test_solomon_instance_reads_and_solves_feasibly(self):
        stops, vehicles, matrix = solomon.load("C101")
        self.assertEqual((len(stops), len(vehicles)), (100, 25))
        self.assertEqual(vehicles[0].max_count, 200)
        # customer 1 at (45, 68), the depot at (40, 50): 18.68 -> 18.6, scaled by 10
        self.assertEqual(matrix.distance[0][25], 186)
        self.assertEqual(solomon.best_known()["C101"], 827.3)
        solution = solver.solve(
            stops[:25], vehicles, _sub(matrix, 25 + 25), time_limit=LIMIT
        )
        self.assertEqual(
            checker.check(stops[:25], vehicles, _sub(matrix, 50), solution), []
        )
        self.assertEqual(solution.unassigned, {})


def _sub(matrix, n):
    return problem.Matrix(
        matrix.points[:n],
        [row[:n] for row in matrix.distance[:n]],
        [row[:n] for row in matrix.duration[:n]],
    )


class TestUnassigned(VrpCase):
    def test_reasons(self):
        vehicles = [
            Vehicle("small", DEPOT, max_weight=500, shift=DAY),
            Vehicle("big", DEPOT, max_weight=1000, shift=DAY),
        ]
        stops = [
            Stop("fine", near(2, 2), weight=100),
            Stop("nowhere", None),
            Stop("too heavy", near(1, 1), weight=1500),
            # 400 km away: 2 x 520 km of road at 40 km/h does not fit in 10 hours
            Stop("too far", near(400, 0)),
            # 30 km: reachable from 8:00 + 59 min, its window closes at 8:30
            Stop("too early", near(30, 0), window=(7 * HOUR, 8 * HOUR + 1800)),
        ]
        solution, _matrix = self.plan(stops, vehicles)
        self.assertEqual(
            solution.unassigned,
            {
                "nowhere": "no_location",
                "too heavy": "capacity",
                "too far": "shift",
                "too early": "window",
            },
        )
        self.assertEqual(
            self.route_of(solution, "small") + self.route_of(solution, "big"), ["fine"]
        )

    def test_no_room_left_is_cost_and_a_plan_still_comes(self):
        # two far-apart stops, both to be served at 9:00 sharp: one van serves one
        vehicles = [Vehicle("van", DEPOT, shift=DAY)]
        stops = [
            Stop("north", near(20, 0), window=(9 * HOUR, 9 * HOUR)),
            Stop("south", near(-20, 0), window=(9 * HOUR, 9 * HOUR)),
            Stop("east", near(0, 5)),
        ]
        solution, _matrix = self.plan(stops, vehicles)
        self.assertEqual(len(solution.unassigned), 1)
        self.assertEqual(set(solution.unassigned.values()), {"cost"})
        self.assertIn("east", self.route_of(solution, "van"))

    def test_overloaded_day_returns_a_plan(self):
        rng = random.Random(3)
        vehicles = [Vehicle("van", DEPOT, max_count=10, shift=DAY)]
        stops = [
            Stop(k, near(rng.uniform(-8, 8), rng.uniform(-8, 8))) for k in range(25)
        ]
        solution, _matrix = self.plan(stops, vehicles)
        self.assertEqual(len(self.route_of(solution, "van")), 10)
        self.assertEqual(set(solution.unassigned.values()), {"cost"})

    def test_no_vehicle(self):
        stops = [Stop(1, near(1, 1)), Stop(2, None)]
        solution = solver.solve(stops, [], None, time_limit=LIMIT)
        self.assertEqual(solution.status, "no_vehicle")
        self.assertEqual(solution.unassigned, {1: "shift", 2: "no_location"})

    def test_without_location_not_in_the_matrix(self):
        stops = [Stop(1, near(1, 1)), Stop(2, None), Stop(3, near(-1, 2))]
        vehicles = [Vehicle("van", DEPOT, end=near(5, 5))]
        points = nodes.points(stops, vehicles)
        self.assertEqual(points, [DEPOT, near(5, 5), near(1, 1), near(-1, 2)])
        self.assertNotIn(Location(0, 0), points)


class TestConstraints(VrpCase):
    def test_pickup_before_its_delivery_on_one_vehicle(self):
        # the pickup lies beyond its delivery: the nearest-first order would be wrong
        stops = [
            Stop("collect", near(0, 10), kind="pickup", pair="drop", weight=200),
            Stop("drop", near(0, 3), weight=200),
            Stop("other", near(0, -3), weight=50),
        ]
        vehicles = [
            Vehicle("a", DEPOT, max_weight=300, shift=DAY),
            Vehicle("b", DEPOT, max_weight=300, shift=DAY),
        ]
        solution, _matrix = self.plan(stops, vehicles)
        self.assertEqual(solution.unassigned, {})
        routes = [self.route_of(solution, "a"), self.route_of(solution, "b")]
        route = next(r for r in routes if "collect" in r)
        self.assertIn("drop", route)
        self.assertLess(route.index("collect"), route.index("drop"))

    def test_capacity_counts_goods_on_board(self):
        # 250 kg leave the depot; a 100 kg pickup cannot come on board before a drop
        stops = [
            Stop("drop", near(0, 5), weight=250),
            Stop("back", near(0, 1), kind="pickup", weight=100),
        ]
        vehicles = [Vehicle("van", DEPOT, max_weight=300, shift=DAY)]
        solution, _matrix = self.plan(stops, vehicles)
        self.assertEqual(self.route_of(solution, "van"), ["drop", "back"])

    def test_locked_stop_stays_on_its_vehicle(self):
        stops = [
            Stop("here", near(0, 1), vehicle="far"),  # next to the near van's depot
            Stop("there", near(0, 30)),
        ]
        vehicles = [
            Vehicle("near", DEPOT, shift=DAY),
            Vehicle("far", near(0, 30), shift=DAY),
        ]
        solution, _matrix = self.plan(stops, vehicles)
        self.assertIn("here", self.route_of(solution, "far"))

    def test_locked_ranks(self):
        stops = [Stop(k, near(0, km)) for k, km in enumerate((1, 2, 3, 4))]
        # lock the farthest first and the nearest second
        stops[3].vehicle, stops[3].rank = "van", 1
        stops[0].vehicle, stops[0].rank = "van", 2
        vehicles = [Vehicle("van", DEPOT, shift=DAY)]
        solution, _matrix = self.plan(stops, vehicles)
        self.assertEqual(self.route_of(solution, "van")[:2], [3, 0])
        self.assertEqual(solution.unassigned, {})

    def test_break_is_taken(self):
        stops = [
            Stop(k, near(k, 0), service=1800, window=(11 * HOUR, 15 * HOUR))
            for k in range(1, 6)
        ]
        vehicles = [
            Vehicle(
                "van",
                DEPOT,
                shift=DAY,
                break_window=(12 * HOUR, 14 * HOUR),
                break_duration=HOUR,
            )
        ]
        solution, _matrix = self.plan(stops, vehicles)
        route = solution.routes[0]
        self.assertEqual(solution.unassigned, {})
        self.assertIsNotNone(route.break_start)
        start, end = route.break_start, route.break_start + HOUR
        self.assertTrue(12 * HOUR <= start and end <= 14 * HOUR)
        for visit in route.visits:
            self.assertTrue(visit.departure <= start or visit.arrival >= end)

    def test_max_duration(self):
        stops = [Stop(k, near(0, 10 * k)) for k in range(1, 4)]
        # 30 km out and back is 78 km of road, nearly two hours at 40 km/h
        vehicles = [Vehicle("van", DEPOT, shift=DAY, max_duration=90 * 60)]
        solution, _matrix = self.plan(stops, vehicles)
        route = solution.routes[0]
        self.assertLessEqual(route.end - route.start, 90 * 60)
        self.assertEqual(solution.unassigned, {3: "shift"})
        self.assertEqual(self.route_of(solution, "van"), [1, 2])

    def test_route_leaves_in_time_for_its_first_window(self):
        """Not at the shift's start (waiting at the stop), nor so late that the
        first stop is reached at the last minute of its window."""
        for break_duration in (0, 1800):
            with self.subTest(break_duration=break_duration):
                stops = [Stop(1, near(10, 0), window=(10 * HOUR, 11 * HOUR))]
                vehicles = [
                    Vehicle(
                        "van",
                        DEPOT,
                        shift=DAY,
                        break_window=(12 * HOUR, 14 * HOUR),
                        break_duration=break_duration,
                    )
                ]
                solution, matrix = self.plan(stops, vehicles, backend="ortools")
                route = solution.routes[0]
                travel = matrix.duration[0][1]
                self.assertEqual(route.visits[0].arrival, 10 * HOUR)
                self.assertEqual(route.start, 10 * HOUR - travel)
                if not break_duration:
                    self.assertEqual(route.end, 10 * HOUR + matrix.duration[1][0])

    def test_progress_is_reported(self):
        seen = []
        rng = random.Random(5)
        stops = [
            Stop(k, near(rng.uniform(-9, 9), rng.uniform(-9, 9))) for k in range(30)
        ]
        vehicles = [Vehicle("van", DEPOT, shift=DAY)]
        solution, _matrix = self.plan(stops, vehicles, progress=seen.append)
        fractions = [p.fraction for p in seen]
        objectives = [p.objective for p in seen if p.objective is not None]
        self.assertGreater(len(seen), 2)
        self.assertEqual(fractions[-1], 1.0)
        self.assertEqual(fractions, sorted(fractions))
        self.assertEqual(objectives, sorted(objectives, reverse=True))
        self.assertEqual(
            [p.elapsed for p in seen], sorted(p.elapsed for p in seen), "time goes on"
        )
        # the last report is the plan returned; the earlier ones never better it
        last = seen[-1]
        self.assertEqual(last.distance, solution.distance)
        self.assertEqual((last.served, last.unassigned), (30, 0))
        distances = [p.distance for p in seen if p.distance is not None]
        self.assertGreaterEqual(min(distances), solution.distance)
        self.assertEqual(distances, sorted(distances, reverse=True))

    def test_progress_of_pyvrp_and_of_stops_set_aside(self):
        seen = []
        stops = [Stop(k, near(k, -k)) for k in range(1, 6)]
        stops.append(Stop("lost", None))
        vehicles = [Vehicle("van", DEPOT, shift=DAY)]
        solution, _matrix = self.plan(
            stops, vehicles, backend="pyvrp", progress=seen.append
        )
        self.assertEqual(solution.solver, "pyvrp")
        self.assertGreater(
            len(seen), 2, "reported while searching, not only at the end"
        )
        self.assertEqual([p.fraction for p in seen][-1], 1.0)
        fractions = [p.fraction for p in seen]
        self.assertEqual(fractions, sorted(fractions))
        self.assertTrue(all(p.fraction < 1.0 for p in seen[:-1]))
        while_searching = [p for p in seen[:-1] if p.distance is not None]
        self.assertTrue(while_searching, "the best plan so far is reported")
        self.assertEqual((seen[-1].served, seen[-1].unassigned), (5, 1))
        self.assertEqual(seen[-1].distance, solution.distance)

    def test_progress_without_vehicle_ends_at_once(self):
        seen = []
        solver.solve([Stop(1, near(1, 1))], [], None, progress=seen.append)
        self.assertEqual(len(seen), 1)
        self.assertEqual(
            (seen[0].fraction, seen[0].served, seen[0].unassigned), (1.0, 0, 1)
        )


class TestChecker(VrpCase):
    """The checker fails on each kind of violation made by hand in a good plan."""

    def setUp(self):
        super().setUp()
        self.stops = [
            Stop("p", near(0, 2), kind="pickup", pair="d", weight=50),
            Stop("d", near(0, 4), weight=50),
            Stop(
                "w", near(2, 0), weight=100, window=(8 * HOUR, 16 * HOUR), service=300
            ),
            Stop("k", near(-2, 0), vehicle="a", rank=1),
            Stop("x", None),
        ]
        self.vehicles = [
            Vehicle(
                "a",
                DEPOT,
                max_weight=200,
                shift=DAY,
                break_window=(12 * HOUR, 13 * HOUR),
                break_duration=1800,
                max_duration=9 * HOUR,
            ),
            Vehicle("b", DEPOT, max_weight=200, shift=DAY),
        ]
        self.solution, self.matrix = self.plan(self.stops, self.vehicles)

    def broken(self, change):
        solution = copy.deepcopy(self.solution)
        change(solution)
        return checker.check(self.stops, self.vehicles, self.matrix, solution)

    def visit(self, solution, stop_id):
        for route in solution.routes:
            for position, visit in enumerate(route.visits):
                if visit.stop_id == stop_id:
                    return route, position, visit
        raise AssertionError(stop_id)

    def mutate_duplicate(self, solution):
        route, _position, visit = self.visit(solution, "w")
        route.visits.append(copy.copy(visit))

    def mutate_forget(self, solution):
        route, position, _visit = self.visit(solution, "w")
        del route.visits[position]

    def mutate_overload(self, solution):
        self.stops[2].weight = 500

    def mutate_out_of_window(self, solution):
        self.stops[2].window = (17 * HOUR, 18 * HOUR)

    def mutate_too_fast(self, solution):
        _route, _position, visit = self.visit(solution, "w")
        visit.arrival -= 3 * HOUR

    def mutate_shift(self, solution):
        self.vehicles[0].shift = (8 * HOUR, 8 * HOUR + 60)
        self.vehicles[1].shift = (8 * HOUR, 8 * HOUR + 60)

    def mutate_no_break(self, solution):
        for route in solution.routes:
            route.break_start = None

    def mutate_break_during_service(self, solution):
        # a break as the 5-minute service at "w" begins
        route, _position, visit = self.visit(solution, "w")
        for vehicle in self.vehicles:
            vehicle.break_window, vehicle.break_duration = DAY, 1800
        route.break_start = visit.arrival

    def mutate_max_duration(self, solution):
        self.vehicles[0].max_duration = 60
        self.vehicles[1].max_duration = 60

    def mutate_delivery_first(self, solution):
        route, position, _visit = self.visit(solution, "p")
        _route, other, _visit = self.visit(solution, "d")
        route.visits[position], route.visits[other] = (
            route.visits[other],
            route.visits[position],
        )

    def mutate_wrong_vehicle(self, solution):
        self.stops[3].vehicle = "b"

    def mutate_wrong_rank(self, solution):
        self.stops[3].rank = 3

    def mutate_distance(self, solution):
        solution.routes[0].distance += 1

    def mutate_no_location_routed(self, solution):
        solution.unassigned.pop("x")
        solution.routes[0].visits.append(problem.Visit("x", 0, 0))

    def test_each_violation_is_caught(self):
        cases = {
            "visited more than once": self.mutate_duplicate,
            "neither routed nor unassigned": self.mutate_forget,
            "above its capacity": self.mutate_overload,
            "outside its window": self.mutate_out_of_window,
            "too early": self.mutate_too_fast,
            "outside its shift": self.mutate_shift,
            "no break": self.mutate_no_break,
            "overlaps a service": self.mutate_break_during_service,
            "lasts longer": self.mutate_max_duration,
            "not before delivery": self.mutate_delivery_first,
            "locked to b": self.mutate_wrong_vehicle,
            "locked at rank 3": self.mutate_wrong_rank,
            "the matrix gives": self.mutate_distance,
            "has no location but is routed": self.mutate_no_location_routed,
        }
        self.assertTrue(self.route_of(self.solution, "a"))
        for expected, change in cases.items():
            with self.subTest(expected):
                saved = copy.deepcopy((self.stops, self.vehicles))
                try:
                    problems = self.broken(change)
                finally:
                    self.stops[:], self.vehicles[:] = saved
                self.assertTrue(
                    any(expected in p for p in problems),
                    f"{expected!r} not in {problems}",
                )


try:
    import pyvrp  # noqa: F401  (the second backend, Python 3.11+)
except ImportError:  # pragma: no cover
    pyvrp = None


@unittest.skipUnless(pyvrp, "PyVRP is not installed")
class TestPyvrpBackend(VrpCase):
    """The PyVRP backend: same interface, same checker, same optimum."""

    def test_same_optimum(self):
        rng = random.Random(11)
        stops = [
            Stop(
                k,
                near(rng.uniform(-10, 10), rng.uniform(-10, 10)),
                count=rng.randint(1, 3),
                window=(8 * HOUR, rng.choice((10, 18)) * HOUR),
                service=300,
            )
            for k in range(6)
        ]
        stops.append(Stop("nowhere", None))
        vehicles = [Vehicle(name, DEPOT, max_count=7, shift=DAY) for name in ("a", "b")]
        solution, matrix = self.plan(stops, vehicles, backend="pyvrp")
        self.assertEqual(solution.solver, "pyvrp")
        self.assertEqual(solution.unassigned, {"nowhere": "no_location"})
        self.assertEqual(solution.distance, brute_force(stops[:-1], vehicles, matrix))

    def test_reasons_and_pickups_brought_back(self):
        vehicles = [Vehicle("van", DEPOT, max_weight=300, shift=DAY)]
        stops = [
            Stop("drop", near(0, 5), weight=250),
            Stop("back", near(0, 1), kind="pickup", weight=100),
            Stop("too heavy", near(1, 1), weight=400),
            Stop("too early", near(30, 0), window=(7 * HOUR, 8 * HOUR + 1800)),
        ]
        solution, _matrix = self.plan(stops, vehicles, backend="pyvrp")
        self.assertEqual(solution.solver, "pyvrp")
        self.assertEqual(self.route_of(solution, "van"), ["drop", "back"])
        self.assertEqual(
            solution.unassigned, {"too heavy": "capacity", "too early": "window"}
        )

    def test_what_it_does_not_model_goes_to_ortools(self):
        stops = [Stop(1, near(1, 0), vehicle="van"), Stop(2, near(2, 0))]
        vehicles = [Vehicle("van", DEPOT, shift=DAY)]
        solution, _matrix = self.plan(stops, vehicles, backend="pyvrp")
        self.assertEqual(solution.solver, "ortools")
        self.assertEqual(
            solution.notes, ["PyVRP does not model locked stops: OR-Tools planned it"]
        )
