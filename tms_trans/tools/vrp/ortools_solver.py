# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The OR-Tools routing backend.

Every stop is optional with a penalty (a disjunction), so the search always has a plan
to improve: a first solution by parallel cheapest insertion (time windows, pickups and
deliveries) or path cheapest arc (capacities only), then guided local search until the
time budget is spent.
"""

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from .problem import Route, Visit
from .solver import VOLUME_SCALE, WEIGHT_SCALE

BIG = 10**12


def _capacities(prepared, index_nodes):
    """(name, demand per model node, capacity per vehicle) for each bounded quantity."""
    quantities = (
        (
            "weight",
            "max_weight",
            lambda s: round(s.weight * WEIGHT_SCALE),
            WEIGHT_SCALE,
        ),
        (
            "volume",
            "max_volume",
            lambda s: round(s.volume * VOLUME_SCALE),
            VOLUME_SCALE,
        ),
        ("count", "max_count", lambda s: int(s.count), 1),
    )
    result = []
    for name, attribute, amount, scale in quantities:
        limits = [getattr(vehicle, attribute) for vehicle in prepared.vehicles]
        if all(limit is None for limit in limits):
            continue
        capacity = [BIG if limit is None else round(limit * scale) for limit in limits]
        demand = [0] * len(index_nodes)
        for node, stop in enumerate(index_nodes):
            if stop is not None:
                demand[node] = amount(stop)
        result.append((name, demand, capacity))
    return result


class _Model:
    """The OR-Tools routing model of a prepared problem."""

    def __init__(self, prepared):
        self.prepared = prepared
        layout, matrix = prepared.layout, prepared.matrix
        self.vehicles = prepared.vehicles
        # model nodes: the depots' points, then the stops to route
        depot_points = sorted(set(layout.start_index) | set(layout.end_index))
        self.node_point = depot_points + [
            layout.stop_index[s.id] for s in prepared.routed
        ]
        self.node_stop = [None] * len(depot_points) + list(prepared.routed)
        point_node = {p: n for n, p in enumerate(depot_points)}
        self.stop_node = {
            s.id: len(depot_points) + k for k, s in enumerate(prepared.routed)
        }
        self.manager = pywrapcp.RoutingIndexManager(
            len(self.node_point),
            len(self.vehicles),
            [point_node[p] for p in layout.start_index],
            [point_node[p] for p in layout.end_index],
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.solver = self.routing.solver()
        self.distance = [
            [matrix.distance[a][b] for b in self.node_point] for a in self.node_point
        ]
        self.service = [0 if s is None else int(s.service) for s in self.node_stop]
        self.breaks = {}
        self.ranked = []
        self.cost_matrix = self.distance

    def index(self, stop_id):
        return self.manager.NodeToIndex(self.stop_node[stop_id])

    def build(self):
        self.add_costs()
        self.add_time()
        self.add_breaks()
        self.add_capacities()
        self.add_pairs()
        self.add_locks()
        self.add_disjunctions()

    def add_costs(self):
        """Arc costs: the distance, times each vehicle's cost per km if they differ."""
        routing, costs = self.routing, {v.cost_per_km for v in self.vehicles}
        if len(costs) == 1:
            evaluator = routing.RegisterTransitMatrix(self.distance)
            routing.SetArcCostEvaluatorOfAllVehicles(evaluator)
            return
        evaluators = {}
        for v, vehicle in enumerate(self.vehicles):
            factor = vehicle.cost_per_km
            if factor not in evaluators:
                scaled = [
                    [round(d * factor * 100) for d in row] for row in self.distance
                ]
                evaluators[factor] = routing.RegisterTransitMatrix(scaled)
                if factor == max(costs):
                    self.cost_matrix = scaled
            routing.SetArcCostEvaluatorOfVehicle(evaluators[factor], v)

    def add_time(self):
        """Travel plus the service at the node left; waiting is slack."""
        routing, matrix = self.routing, self.prepared.matrix
        travel_time = [
            [matrix.duration[a][b] + self.service[i] for b in self.node_point]
            for i, a in enumerate(self.node_point)
        ]
        horizon = max(vehicle.shift[1] for vehicle in self.vehicles)
        callback = routing.RegisterTransitMatrix(travel_time)
        routing.AddDimension(callback, horizon, horizon, False, "time")
        self.time = time_dim = routing.GetDimensionOrDie("time")
        for v, vehicle in enumerate(self.vehicles):
            begin, finish = vehicle.shift
            time_dim.CumulVar(routing.Start(v)).SetRange(begin, finish)
            time_dim.CumulVar(routing.End(v)).SetRange(begin, finish)
            if vehicle.max_duration is not None:
                time_dim.SetSpanUpperBoundForVehicle(int(vehicle.max_duration), v)
            # times once the plan is found: back as early as possible first, each
            # stop served as early as possible then, and the start as late as
            # these allow: the route leaves in time for its first window rather
            # than at the shift's start and does not wait on the way
            routing.AddWeightedVariableMinimizedByFinalizer(
                time_dim.CumulVar(routing.End(v)), 3
            )
            routing.AddWeightedVariableMaximizedByFinalizer(
                time_dim.CumulVar(routing.Start(v)), 1
            )
        for stop in self.prepared.routed:
            arrival = time_dim.CumulVar(self.index(stop.id))
            if stop.window is not None:
                earliest = max(0, int(stop.window[0]))
                latest = min(horizon, int(stop.window[1]))
                arrival.SetRange(earliest, latest)
            routing.AddWeightedVariableMinimizedByFinalizer(arrival, 2)

    def add_breaks(self):
        """A break inside the route, never during a service."""
        routing, solver, manager = self.routing, self.solver, self.manager
        size = routing.Size() + len(self.vehicles)
        visit_transit = [
            self.service[manager.IndexToNode(i)] if i < routing.Size() else 0
            for i in range(size)
        ]
        for v, vehicle in enumerate(self.vehicles):
            if not vehicle.break_window or vehicle.break_duration <= 0:
                continue
            duration = int(vehicle.break_duration)
            earliest = max(vehicle.break_window[0], vehicle.shift[0])
            latest = min(vehicle.break_window[1], vehicle.shift[1]) - duration
            if earliest > latest:
                continue
            interval = solver.FixedDurationIntervalVar(
                int(earliest), int(latest), duration, False, f"break {v}"
            )
            solver.Add(interval.StartExpr() >= self.time.CumulVar(routing.Start(v)))
            solver.Add(interval.EndExpr() <= self.time.CumulVar(routing.End(v)))
            self.time.SetBreakIntervalsOfVehicle([interval], v, visit_transit)
            self.breaks[v] = interval

    def add_capacities(self):
        """Loads within capacities; with pickups they rise and fall along the route."""
        routing, routed = self.routing, self.prepared.routed
        paired = self.prepared.paired
        has_pickups = any(s.kind == "pickup" for s in routed)
        loose_pickups = any(s.kind == "pickup" and s.id not in paired for s in routed)
        for name, demand, capacity in _capacities(self.prepared, self.node_stop):
            pairs = list(zip(self.node_stop, demand, strict=True))
            if has_pickups:
                signed = [
                    0 if stop is None else (d if stop.kind == "pickup" else -d)
                    for stop, d in pairs
                ]
                callback = routing.RegisterUnaryTransitVector(signed)
            else:
                callback = routing.RegisterUnaryTransitVector(demand)
            routing.AddDimensionWithVehicleCapacity(
                callback, 0, capacity, not has_pickups, name
            )
            if not loose_pickups:
                continue
            # the vehicle leaves loaded with exactly its depot deliveries
            from_depot = [
                d if stop and stop.kind == "delivery" and stop.id not in paired else 0
                for stop, d in pairs
            ]
            callback = routing.RegisterUnaryTransitVector(from_depot)
            routing.AddDimensionWithVehicleCapacity(
                callback, 0, [BIG] * len(self.vehicles), True, f"{name} from depot"
            )
            load = routing.GetDimensionOrDie(name)
            loaded = routing.GetDimensionOrDie(f"{name} from depot")
            for v in range(len(self.vehicles)):
                self.solver.Add(
                    load.CumulVar(routing.Start(v)) == loaded.CumulVar(routing.End(v))
                )

    def add_pairs(self):
        """Pickups before their deliveries, on the same vehicle."""
        for pickup_id, delivery_id in self.prepared.pairs:
            pickup, delivery = self.index(pickup_id), self.index(delivery_id)
            self.routing.AddPickupAndDelivery(pickup, delivery)
            self.solver.Add(
                self.routing.VehicleVar(pickup) == self.routing.VehicleVar(delivery)
            )
            self.solver.Add(self.time.CumulVar(pickup) <= self.time.CumulVar(delivery))

    def add_locks(self):
        """Locks: a vehicle, and a position in its route (a count dimension)."""
        routed = self.prepared.routed
        self.ranked = [
            s for s in routed if s.rank is not None and s.vehicle is not None
        ]
        if self.ranked:
            self.routing.AddConstantDimension(1, len(self.node_point) + 1, True, "rank")
            rank_dim = self.routing.GetDimensionOrDie("rank")
        for stop in routed:
            if stop.vehicle is None:
                continue
            index = self.index(stop.id)
            position = self.prepared.vehicle_position[stop.vehicle]
            self.routing.SetAllowedVehiclesForIndex([position], index)
            if stop.rank is not None:
                rank_dim.CumulVar(index).SetRange(int(stop.rank), int(stop.rank))

    def add_disjunctions(self):
        """Every stop may be left out, at a price (locked ones at a higher one)."""
        default = self.prepared.default_penalty(self.cost_matrix)
        for stop in self.prepared.routed:
            penalty = default if stop.penalty is None else int(stop.penalty)
            if stop.vehicle is not None:
                penalty *= 10
            self.routing.AddDisjunction([self.index(stop.id)], penalty)

    def parameters(self, time_limit):
        parameters = pywrapcp.DefaultRoutingSearchParameters()
        routed = self.prepared.routed
        tight = self.prepared.pairs or any(s.window for s in routed) or self.breaks
        strategy = routing_enums_pb2.FirstSolutionStrategy
        parameters.first_solution_strategy = (
            strategy.PARALLEL_CHEAPEST_INSERTION
            if tight
            else strategy.PATH_CHEAPEST_ARC
        )
        parameters.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        )
        parameters.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
        return parameters

    def served(self):
        """(metres, stops served) of the plan the search holds now (inside its
        solution callback)."""
        routing, manager = self.routing, self.manager
        length = served = 0
        for v in range(len(self.vehicles)):
            index = routing.Start(v)
            node = manager.IndexToNode(index)
            while not routing.IsEnd(index):
                index = routing.NextVar(index).Value()
                following = manager.IndexToNode(index)
                length += self.distance[node][following]
                node = following
                served += not routing.IsEnd(index)
        return length, served

    def run(self, time_limit, reporter):
        routing = self.routing
        parameters = self.parameters(time_limit)
        if reporter:

            def on_solution():
                objective = routing.CostVar().Value()
                if reporter.better(objective):
                    reporter.record(objective, *self.served())
                reporter.tick()

            routing.AddAtSolutionCallback(on_solution)
        routing.CloseModelWithParameters(parameters)
        assignment = None
        if self.ranked:
            # start from the locked sequences, in their order
            initial = [[] for _v in self.vehicles]
            for stop in sorted(self.ranked, key=lambda s: s.rank):
                position = self.prepared.vehicle_position[stop.vehicle]
                initial[position].append(self.index(stop.id))
            start_from = routing.ReadAssignmentFromRoutes(initial, True)
            if start_from is not None:
                assignment = routing.SolveFromAssignmentWithParameters(
                    start_from, parameters
                )
        if assignment is None:
            assignment = routing.SolveWithParameters(parameters)
        return assignment


def solve(prepared, time_limit=30, reporter=None):
    """``reporter``: a :class:`~.solver.Reporter` told of each better plan."""
    model = _Model(prepared)
    model.build()
    assignment = model.run(time_limit, reporter)
    return _solution(
        prepared,
        model.manager,
        model.routing,
        assignment,
        model.node_stop,
        model.node_point,
        model.breaks,
    )


def _solution(prepared, manager, routing, assignment, node_stop, node_point, breaks):
    matrix = prepared.matrix
    routes = []
    served = set()
    if assignment is None:  # no plan at all: should not happen with disjunctions
        return prepared.solution([], served, "ortools", 0)
    time_dim = routing.GetDimensionOrDie("time")
    for v, vehicle in enumerate(prepared.vehicles):
        index = routing.Start(v)
        start = assignment.Value(time_dim.CumulVar(index))
        visits, length = [], 0
        previous = node_point[manager.IndexToNode(index)]
        index = assignment.Value(routing.NextVar(index))
        while True:
            node = manager.IndexToNode(index)
            point = node_point[node]
            length += matrix.distance[previous][point]
            previous = point
            if routing.IsEnd(index):
                end = assignment.Value(time_dim.CumulVar(index))
                break
            stop = node_stop[node]
            arrival = assignment.Value(time_dim.CumulVar(index))
            visits.append(Visit(stop.id, arrival, arrival + int(stop.service)))
            served.add(stop.id)
            index = assignment.Value(routing.NextVar(index))
        break_start = None
        if v in breaks and visits:
            break_start = assignment.StartValue(breaks[v])
        if not visits:
            start = end = vehicle.shift[0]
            length = 0
        routes.append(
            Route(vehicle.id, visits, length, end - start, start, end, break_start)
        )
    return prepared.solution(routes, served, "ortools", assignment.ObjectiveValue())
