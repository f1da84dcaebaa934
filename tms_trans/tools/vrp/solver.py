# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One entry point, ``solve``, in front of the routing backends.

Before any backend runs, every stop that cannot be served whatever the plan is set
aside with its reason (no location, bigger than every vehicle, out of every shift, a
window no vehicle can reach, locked to a vehicle that is not there); after it ran,
every stop it left out gets its reason the same way, else "cost" (no room in this
plan) or "locked" (its lock prevented it). So a plan always comes back, with the
stops it leaves out and why.
"""

import time

from . import matrix as matrix_tools
from .nodes import Layout
from .problem import Progress, Solution

BACKENDS = ("ortools", "pyvrp")
# weights and volumes in grams and litres in the solver's integer capacities
WEIGHT_SCALE = 1000
VOLUME_SCALE = 1000


class Prepared:
    """The problem as the backends see it: a layout, a matrix, what to route."""

    def __init__(self, stops, vehicles, matrix):
        self.stops = list(stops)
        self.vehicles = list(vehicles)
        self.layout = Layout(self.stops, self.vehicles)
        if matrix is None:
            matrix = matrix_tools.build(self.layout.points)
        if len(matrix.distance) != len(self.layout.points):
            raise ValueError(
                f"matrix has {len(matrix.distance)} points, the problem "
                f"{len(self.layout.points)} (vehicle starts, ends, then located stops)"
            )
        self.matrix = matrix
        self.vehicle_position = {v.id: k for k, v in enumerate(self.vehicles)}
        self.by_id = {stop.id: stop for stop in self.stops}
        self.unassigned = {}
        for stop in self.stops:
            if stop.location is None:
                self.unassigned[stop.id] = "no_location"
                continue
            reason = self.hopeless(stop)
            if reason:
                self.unassigned[stop.id] = reason
        # a pickup and the delivery it feeds are served together or not at all
        self.pairs = []
        for stop in self.stops:
            if stop.kind != "pickup" or stop.pair is None:
                continue
            delivery = self.by_id.get(stop.pair)
            if delivery is None or delivery.location is None:
                if stop.id not in self.unassigned and delivery is not None:
                    self.unassigned[stop.id] = self.unassigned[delivery.id]
                continue
            for one, other in ((stop, delivery), (delivery, stop)):
                if one.id in self.unassigned and other.id not in self.unassigned:
                    self.unassigned[other.id] = self.unassigned[one.id]
            if stop.id not in self.unassigned:
                self.pairs.append((stop.id, delivery.id))
        self.paired = {p for pair in self.pairs for p in pair}
        self.routed = [s for s in self.layout.routable if s.id not in self.unassigned]

    def candidates(self, stop):
        if stop.vehicle is None:
            return list(range(len(self.vehicles)))
        position = self.vehicle_position.get(stop.vehicle)
        return [] if position is None else [position]

    def travel(self, i, j):
        return self.matrix.duration[i][j]

    def hopeless(self, stop):
        """Why ``stop`` can be served by no plan at all, or None."""
        candidates = self.candidates(stop)
        if not candidates:
            return "locked" if self.vehicles else "shift"
        vehicles = [self.vehicles[k] for k in candidates]
        if all(too_big(stop, vehicle) for vehicle in vehicles):
            return "capacity"
        node = self.layout.stop_index[stop.id]
        fits_shift, fits_window = False, False
        for k in candidates:
            vehicle = self.vehicles[k]
            there = self.travel(self.layout.start_index[k], node)
            back = self.travel(node, self.layout.end_index[k])
            begin, finish = vehicle.shift
            own = there + stop.service + back
            if begin + own > finish or (
                vehicle.max_duration is not None and own > vehicle.max_duration
            ):
                continue
            fits_shift = True
            if stop.window is None:
                fits_window = True
                break
            arrival = max(begin + there, stop.window[0])
            if arrival <= stop.window[1] and arrival + stop.service + back <= finish:
                fits_window = True
                break
        if not fits_shift:
            return "shift"
        if not fits_window:
            return "window"
        return None

    def reason_left_out(self, stop):
        reason = self.hopeless(stop)
        if reason:
            return reason
        if stop.rank is not None:
            return "locked"
        return "cost"

    def solution(self, routes, served, solver, objective):
        """The :class:`Solution` of ``routes``: the stops not ``served`` are left out
        with their reason; the caller sets ``elapsed``."""
        unassigned = dict(self.unassigned)
        for stop in self.routed:
            if stop.id not in served:
                unassigned[stop.id] = self.reason_left_out(stop)
        return Solution(
            routes=routes,
            unassigned=unassigned,
            distance=sum(r.distance for r in routes),
            duration=sum(r.duration for r in routes),
            solver=solver,
            elapsed=0.0,
            status="feasible",
            objective=objective,
        )

    def default_penalty(self, cost_matrix):
        biggest = max((max(row) for row in cost_matrix), default=0)
        return 100 * biggest + 100_000


class Reporter:
    """Passes a search's advance to the caller's ``progress(Progress)``: at most
    once per second (once per fiftieth of a shorter budget), the share of the budget
    rising, with the figures of the best plan found so far. The backends tell it of
    each better plan (``better``, then ``record``) and ``tick`` as they search."""

    def __init__(self, progress, time_limit, total):
        self.progress = progress
        self.time_limit = max(float(time_limit), 0.001)
        self.interval = min(1.0, self.time_limit / 50)
        self.total = total
        self.started = time.monotonic()
        self.last = None
        self.best = None  # (objective, distance, served)

    def better(self, objective):
        return self.best is None or objective < self.best[0]

    def record(self, objective, distance, served):
        self.best = (objective, distance, served)

    def tick(self):
        now = time.monotonic()
        if self.last is not None and now - self.last < self.interval:
            return
        self.last = now
        self.report(min(0.99, (now - self.started) / self.time_limit))

    def report(self, fraction, best=None):
        objective, distance, served = best or self.best or (None, None, 0)
        self.progress(
            Progress(
                fraction=fraction,
                elapsed=time.monotonic() - self.started,
                objective=objective,
                distance=distance,
                served=served,
                unassigned=self.total - served,
            )
        )


def too_big(stop, vehicle):
    return (
        (vehicle.max_weight is not None and stop.weight > vehicle.max_weight)
        or (vehicle.max_volume is not None and stop.volume > vehicle.max_volume)
        or (vehicle.max_count is not None and stop.count > vehicle.max_count)
    )


def solve(
    problem_stops,
    vehicles,
    matrix_or_none=None,
    time_limit=30,
    backend="ortools",
    progress=None,
):
    """Plan ``vehicles``' routes through ``problem_stops``; always returns a Solution.

    ``matrix_or_none`` follows ``nodes.points(stops, vehicles)`` (built by haversine
    when None). ``progress``, when given, is called with a :class:`Progress` about
    every second while the search runs (the share of ``time_limit`` spent, the best
    plan so far), and once at the end with the plan returned (share 1).
    """
    started = time.monotonic()
    prepared = Prepared(problem_stops, vehicles, matrix_or_none)
    reporter = Reporter(progress, time_limit, len(prepared.stops)) if progress else None
    if not prepared.vehicles:
        solution = Solution(
            routes=[],
            unassigned={
                s.id: prepared.unassigned.get(s.id, "shift") for s in prepared.stops
            },
            distance=0,
            duration=0,
            solver=backend,
            elapsed=0.0,
            status="no_vehicle",
        )
    else:
        if backend == "pyvrp":
            from . import pyvrp_solver as module
        elif backend == "ortools":
            from . import ortools_solver as module
        else:
            raise ValueError(f"unknown backend {backend!r}, expected one of {BACKENDS}")
        solution = module.solve(prepared, time_limit=time_limit, reporter=reporter)
    solution.elapsed = time.monotonic() - started
    if reporter:
        served = sum(len(route.visits) for route in solution.routes)
        reporter.report(1.0, (solution.objective, solution.distance, served))
    return solution
