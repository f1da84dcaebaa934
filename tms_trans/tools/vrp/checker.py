# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Checks a plan against its problem, independently of the solver that made it.

``check`` returns the list of violations, empty when the plan is feasible: every stop
routed once or left out with a reason; loads within capacities at every point; service
inside windows and after the travel from the previous place; shifts, breaks and maximum
durations; pickups before their deliveries on the same vehicle; locks honoured;
distances recomputed from the matrix.
"""

from .nodes import Layout
from .problem import REASONS


def _load_violations(route, stops_by_id, vehicle, pickups_paired):
    problems = []
    stops = [stops_by_id[visit.stop_id] for visit in route.visits]
    for attribute, limit_name in (
        ("weight", "max_weight"),
        ("volume", "max_volume"),
        ("count", "max_count"),
    ):
        limit = getattr(vehicle, limit_name)
        if limit is None:
            continue
        # the vehicle leaves with the goods of its depot deliveries
        load = sum(
            getattr(stop, attribute)
            for stop in stops
            if stop.kind == "delivery" and stop.id not in pickups_paired
        )
        loads = [load]
        for stop in stops:
            amount = getattr(stop, attribute)
            load += amount if stop.kind == "pickup" else -amount
            loads.append(load)
        peak = max(loads)
        if peak > limit + 1e-6:
            problems.append(
                f"vehicle {vehicle.id}: {attribute} {peak:g} "
                f"above its capacity {limit:g}"
            )
    return problems


class _Problem:
    """The problem's lookups, shared by the checks."""

    def __init__(self, stops, vehicles, matrix):
        self.stops, self.vehicles, self.matrix = stops, vehicles, matrix
        self.layout = Layout(stops, vehicles)
        self.stops_by_id = {stop.id: stop for stop in stops}
        self.vehicles_by_id = {vehicle.id: k for k, vehicle in enumerate(vehicles)}
        pickups = [s for s in stops if s.kind == "pickup" and s.pair is not None]
        # pickups feeding a delivery and those deliveries: not loaded at the depot
        self.paired = {s.id for s in pickups} | {s.pair for s in pickups}


def check(stops, vehicles, matrix, solution):
    """The violations of ``solution`` (an empty list when it is feasible)."""
    problem = _Problem(stops, vehicles, matrix)
    problems, seen = _coverage_violations(problem, solution)
    total = 0
    used_vehicles = set()
    for route in solution.routes:
        if route.vehicle_id not in problem.vehicles_by_id:
            problems.append(f"route of unknown vehicle {route.vehicle_id}")
            continue
        if route.vehicle_id in used_vehicles:
            problems.append(f"vehicle {route.vehicle_id} has two routes")
        used_vehicles.add(route.vehicle_id)
        total += route.distance
        problems += _route_violations(problem, route)
    problems += _pair_violations(problem, seen)
    if total != solution.distance:
        problems.append(f"total distance {solution.distance}, routes sum to {total}")
    return problems


def _coverage_violations(problem, solution):
    """Every stop routed once or left out with a reason; (problems, seen)."""
    problems, seen = [], {}
    stops_by_id = problem.stops_by_id
    for route in solution.routes:
        for position, visit in enumerate(route.visits, start=1):
            if visit.stop_id in seen:
                problems.append(f"stop {visit.stop_id} visited more than once")
            seen[visit.stop_id] = (route.vehicle_id, position)
    for stop_id, reason in solution.unassigned.items():
        if stop_id in seen:
            problems.append(f"stop {stop_id} both routed and unassigned")
        if reason not in REASONS:
            problems.append(f"stop {stop_id}: unknown reason {reason!r}")
    for stop in problem.stops:
        if stop.id not in seen and stop.id not in solution.unassigned:
            problems.append(f"stop {stop.id} neither routed nor unassigned")
        if stop.location is None and stop.id in seen:
            problems.append(f"stop {stop.id} has no location but is routed")
        partner = stops_by_id.get(stop.pair) if stop.pair is not None else None
        no_location = stop.location is None or (partner and partner.location is None)
        if solution.unassigned.get(stop.id) == "no_location" and not no_location:
            problems.append(
                f"stop {stop.id} has a location but is unassigned as no_location"
            )
    for stop_id in (set(seen) | set(solution.unassigned)) - set(stops_by_id):
        problems.append(f"stop {stop_id} is not in the problem")
    return problems, seen


def _route_violations(problem, route):
    v = problem.vehicles_by_id[route.vehicle_id]
    vehicle, matrix, layout = problem.vehicles[v], problem.matrix, problem.layout
    name = f"vehicle {vehicle.id}"
    visits = [visit for visit in route.visits if visit.stop_id in problem.stops_by_id]
    if not visits:
        if route.distance:
            return [f"{name}: empty route with distance {route.distance}"]
        return []
    problems = []
    points = [layout.start_index[v]]
    points += [layout.stop_index.get(visit.stop_id, points[0]) for visit in visits]
    points.append(layout.end_index[v])
    length = sum(
        matrix.distance[a][b] for a, b in zip(points, points[1:], strict=False)
    )
    if length != route.distance:
        problems.append(f"{name}: distance {route.distance}, the matrix gives {length}")
    begin, finish = vehicle.shift
    if route.start < begin or route.end > finish:
        problems.append(f"{name}: works {route.start}-{route.end}, outside its shift")
    duration = route.end - route.start
    if vehicle.max_duration is not None and duration > vehicle.max_duration:
        problems.append(f"{name}: route lasts longer than {vehicle.max_duration}")
    # times along the route; gaps: (departure, next arrival, travel between)
    gaps = []
    previous_departure, previous_point = route.start, points[0]
    for position, (visit, point) in enumerate(zip(visits, points[1:-1], strict=True)):
        stop = problem.stops_by_id[visit.stop_id]
        travel = matrix.duration[previous_point][point]
        problems += _visit_violations(stop, visit, vehicle, position + 1)
        if visit.arrival < previous_departure + travel:
            problems.append(f"stop {stop.id}: reached at {visit.arrival}, too early")
        gaps.append((previous_departure, visit.arrival, travel))
        previous_departure, previous_point = visit.departure, point
    travel = matrix.duration[previous_point][points[-1]]
    if route.end < previous_departure + travel:
        problems.append(f"{name}: back at {route.end}, too early")
    gaps.append((previous_departure, route.end, travel))
    if vehicle.break_window and vehicle.break_duration > 0:
        problems += _break_violations(route, vehicle, gaps, visits)
    problems += _load_violations(route, problem.stops_by_id, vehicle, problem.paired)
    return problems


def _visit_violations(stop, visit, vehicle, position):
    problems = []
    if visit.departure < visit.arrival + stop.service:
        problems.append(f"stop {stop.id}: left before its service ended")
    if stop.window and not stop.window[0] <= visit.arrival <= stop.window[1]:
        problems.append(
            f"stop {stop.id}: served at {visit.arrival}, outside its window"
        )
    if stop.vehicle is not None and stop.vehicle != vehicle.id:
        problems.append(f"stop {stop.id}: locked to {stop.vehicle}, on {vehicle.id}")
    if stop.rank is not None and stop.vehicle == vehicle.id and stop.rank != position:
        problems.append(f"stop {stop.id}: locked at rank {stop.rank}, at {position}")
    return problems


def _pair_violations(problem, seen):
    problems = []
    for stop in problem.stops:
        if stop.kind != "pickup" or stop.pair not in problem.stops_by_id:
            continue
        pickup, delivery = seen.get(stop.id), seen.get(stop.pair)
        if (pickup is None) != (delivery is None):
            problems.append(
                f"pickup {stop.id} and delivery {stop.pair}: one served alone"
            )
        elif pickup and (pickup[0] != delivery[0] or pickup[1] > delivery[1]):
            problems.append(
                f"pickup {stop.id} not before delivery {stop.pair} on one vehicle"
            )
    return problems


def _break_violations(route, vehicle, gaps, visits):
    name = f"vehicle {vehicle.id}"
    start = route.break_start
    if start is None:
        return [f"{name}: no break"]
    end = start + vehicle.break_duration
    if start < vehicle.break_window[0] or end > vehicle.break_window[1]:
        return [f"{name}: break {start}-{end} outside its window"]
    for visit in visits:
        if start < visit.departure and visit.arrival < end:
            return [f"{name}: break {start}-{end} overlaps a service ({visit.stop_id})"]
    if start < route.start or end > route.end:
        return [f"{name}: break {start}-{end} outside the route"]
    for departure, arrival, travel in gaps:
        if (
            departure <= start
            and end <= arrival
            and arrival - departure >= travel + (end - start)
        ):
            return []
    return [f"{name}: break {start}-{end} leaves no time to drive"]
