# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The PyVRP backend (hybrid genetic search, MIT), behind the same interface.

It models capacities (loads with depot deliveries and pickups brought back), time
windows, service times, shifts, maximum durations and optional stops with a prize. A
problem with what it does not model here (breaks, pickups feeding a delivery, stops
locked to a vehicle or a rank) is handed to the OR-Tools backend, with a note.
"""

from . import ortools_solver
from .problem import Route, Visit
from .solver import VOLUME_SCALE, WEIGHT_SCALE

BIG = 2**40


def unsupported(prepared):
    """Why PyVRP cannot take this problem, or ""."""
    if prepared.pairs:
        return "pickups feeding a delivery"
    if any(v.break_window and v.break_duration > 0 for v in prepared.vehicles):
        return "breaks"
    if any(s.vehicle is not None or s.rank is not None for s in prepared.routed):
        return "locked stops"
    return ""


class _Watch:
    """PyVRP's stopping criterion (called with the best cost at every iteration)
    and search callbacks (told of each new best plan), reporting to a
    :class:`~.solver.Reporter`."""

    def __init__(self, time_limit, reporter):
        from pyvrp.stop import MaxRuntime

        self.limit = MaxRuntime(max(0.1, time_limit))
        self.reporter = reporter

    def __call__(self, best_cost):
        if self.reporter:
            self.reporter.tick()
        return self.limit(best_cost)

    def callbacks(self):
        from pyvrp.IteratedLocalSearch import IteratedLocalSearchCallbacks

        reporter = self.reporter

        class Callbacks(IteratedLocalSearchCallbacks):
            def on_start(self, ils):
                self.on_best(ils.initial_solution)

            def on_best(self, best):
                if reporter and best.is_feasible():
                    reporter.record(
                        int(best.distance_cost()), best.distance(), best.num_clients()
                    )

        return Callbacks()


def solve(prepared, time_limit=30, reporter=None):
    """``reporter``: a :class:`~.solver.Reporter` told of each better plan."""
    reason = unsupported(prepared)
    if reason:
        solution = ortools_solver.solve(
            prepared, time_limit=time_limit, reporter=reporter
        )
        solution.notes.append(f"PyVRP does not model {reason}: OR-Tools planned it")
        return solution
    try:
        from pyvrp import Model, SolveParams
        from pyvrp.IteratedLocalSearch import IteratedLocalSearchParams
    except ImportError:  # Python 3.10, or not installed
        solution = ortools_solver.solve(
            prepared, time_limit=time_limit, reporter=reporter
        )
        solution.notes.append("PyVRP is not installed: OR-Tools planned it")
        return solution

    layout, matrix, vehicles = prepared.layout, prepared.matrix, prepared.vehicles
    model = Model()
    depot_points = sorted(set(layout.start_index) | set(layout.end_index))
    points = depot_points + [layout.stop_index[s.id] for s in prepared.routed]
    locations = [
        model.add_location(matrix.points[p].longitude, matrix.points[p].latitude)
        for p in points
    ]
    depots = {p: model.add_depot(locations[k]) for k, p in enumerate(depot_points)}

    quantities = []
    for attribute, limit_name, scale in (
        ("weight", "max_weight", WEIGHT_SCALE),
        ("volume", "max_volume", VOLUME_SCALE),
        ("count", "max_count", 1),
    ):
        if any(getattr(v, limit_name) is not None for v in vehicles):
            quantities.append((attribute, limit_name, scale))

    # identical vehicles make one type: the search does not try their permutations
    types, members = {}, {}
    for v, vehicle in enumerate(vehicles):
        capacity = tuple(
            BIG
            if getattr(vehicle, limit) is None
            else round(getattr(vehicle, limit) * scale)
            for _attribute, limit, scale in quantities
        )
        key = (
            (vehicle.start.latitude, vehicle.start.longitude),
            None
            if vehicle.end is None
            else (vehicle.end.latitude, vehicle.end.longitude),
            capacity,
            tuple(vehicle.shift),
            vehicle.max_duration,
            vehicle.cost_per_km,
        )
        members.setdefault(key, []).append(v)
        types.setdefault(key, (v, capacity))
    costs = {vehicle.cost_per_km for vehicle in vehicles}
    vehicle_types = []
    for key, (v, capacity) in types.items():
        vehicle = vehicles[v]
        vehicle_types.append(
            model.add_vehicle_type(
                num_available=len(members[key]),
                capacity=list(capacity),
                start_depot=depots[layout.start_index[v]],
                end_depot=depots[layout.end_index[v]],
                tw_early=int(vehicle.shift[0]),
                tw_late=int(vehicle.shift[1]),
                shift_duration=int(vehicle.max_duration)
                if vehicle.max_duration is not None
                else BIG,
                unit_distance_cost=1
                if len(costs) == 1
                else round(vehicle.cost_per_km * 100),
            )
        )

    default = prepared.default_penalty(matrix.distance)
    for k, stop in enumerate(prepared.routed):
        amounts = [
            round(getattr(stop, attribute) * scale)
            for attribute, _l, scale in quantities
        ]
        delivery = amounts if stop.kind == "delivery" else [0] * len(amounts)
        pickup = amounts if stop.kind == "pickup" else [0] * len(amounts)
        window = stop.window or (0, BIG)
        model.add_client(
            locations[len(depot_points) + k],
            delivery=delivery,
            pickup=pickup,
            service_duration=int(stop.service),
            tw_early=int(window[0]),
            tw_late=int(window[1]),
            prize=default if stop.penalty is None else int(stop.penalty),
            required=False,
        )
    for a, pa in enumerate(points):
        for b, pb in enumerate(points):
            if a != b:
                model.add_edge(
                    locations[a],
                    locations[b],
                    matrix.distance[pa][pb],
                    matrix.duration[pa][pb],
                )

    watch = _Watch(time_limit, reporter)
    params = SolveParams(ils=IteratedLocalSearchParams(callbacks=watch.callbacks()))
    result = model.solve(stop=watch, display=False, params=params)
    best = result.best
    if not best.is_feasible():
        solution = ortools_solver.solve(
            prepared, time_limit=time_limit, reporter=reporter
        )
        solution.notes.append("PyVRP found no feasible plan: OR-Tools planned it")
        return solution
    return _solution(prepared, best, depot_points, points, members, list(types))


def _solution(prepared, best, depot_points, points, members, type_keys):
    matrix = prepared.matrix
    free = {key: list(members[key]) for key in type_keys}
    routes = {}
    served = set()
    for route in best.routes():
        v = free[type_keys[route.vehicle_type()]].pop(0)
        vehicle = prepared.vehicles[v]
        visits = []
        for activity in route.schedule():
            if not activity.is_client():
                continue
            stop = prepared.routed[activity.idx]
            visits.append(
                Visit(
                    stop.id,
                    activity.start_time,
                    activity.start_time + int(stop.service),
                )
            )
            served.add(stop.id)
        path = [prepared.layout.start_index[v]]
        path += [prepared.layout.stop_index[visit.stop_id] for visit in visits]
        path.append(prepared.layout.end_index[v])
        length = sum(
            matrix.distance[a][b] for a, b in zip(path, path[1:], strict=False)
        )
        start, end = route.start_time(), route.end_time()
        routes[v] = Route(vehicle.id, visits, length, end - start, start, end)
    all_routes = []
    for v, vehicle in enumerate(prepared.vehicles):
        empty = Route(vehicle.id, [], 0, 0, vehicle.shift[0], vehicle.shift[0])
        all_routes.append(routes.get(v, empty))
    return prepared.solution(all_routes, served, "pyvrp", int(best.distance_cost()))
