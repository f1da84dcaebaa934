"""Route optimisation quality on the standard VRPTW instances (no database needed).

Solomon's 56 instances of 100 customers and Gehring & Homberger's of 200
(``tms_trans/data/vrp/``), under the DIMACS convention: Euclidean distances truncated
to one decimal, travel time equal to distance, the total distance as objective. Each
solver gets the same time budget on the same machine, one after the other:

- ``ortools``: our planner with its OR-Tools backend (``tms_trans/tools/vrp``);
- ``pyvrp``: our planner with its PyVRP backend;
- ``peer_pyvrp``: PyVRP (MIT) alone, every customer required;
- ``peer_vroom``: VROOM (BSD-2-Clause) through pyvroom, exploration level 5, 2 threads,
  the budget as its timeout.

One benchmark per instance and solver, ``vrp_<instance>_<solver>`` (``--only
'vrp_c101_*'``). Its time is the solve's wall-clock time; its note the distance, the
vehicles used, the gap to the best-known distance (``best_known.csv``) and whether every
customer is served, with the time windows and capacities checked by our checker.

Options, through the environment (``./tms bench --vrp-time 10 --vrp-instances
C101,R101`` sets them): ``TMS_VRP_TIME`` seconds per 100 customers (default 30;
200-customer instances get twice as long), ``TMS_VRP_INSTANCES`` names separated by
commas, or ``solomon``, ``homberger``, ``all`` (default: C101, C201, R101, R201, RC101,
RC201).
Peers missing (``requirements-bench.txt`` not installed) are reported, not failed.

Without Odoo: ``python -m tests.benchmarks.bench_vrp --vrp-time 10 --vrp-instances
C101`` prints one table with a column per solver.
"""

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

if __package__:
    from . import Benchmark
else:  # pragma: no cover - run as a script
    Benchmark = None

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INSTANCES = ["C101", "C201", "R101", "R201", "RC101", "RC201"]
SOLVERS = ["ortools", "pyvrp", "peer_pyvrp", "peer_vroom"]


def _vrp(submodule):
    """tms_trans/tools/vrp/<submodule>, imported by path (no Odoo needed)."""
    name = "tms_trans_tools_vrp"
    if name not in sys.modules:
        init = ROOT / "tms_trans" / "tools" / "vrp" / "__init__.py"
        spec = importlib.util.spec_from_file_location(
            name, init, submodule_search_locations=[str(init.parent)]
        )
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        spec.loader.exec_module(package)
    return importlib.import_module(f"{name}.{submodule}")


def instance_list(spec):
    solomon = _vrp("solomon")
    if not spec:
        return list(DEFAULT_INSTANCES)
    names = []
    for part in spec.split(","):
        part = part.strip()
        if part in ("solomon", "all"):
            names += solomon.instance_names("solomon")
        if part in ("homberger", "all"):
            names += solomon.instance_names("homberger")
        if part and part not in ("solomon", "homberger", "all"):
            names.append(part.upper())
    return list(dict.fromkeys(names))


def budget(stops, seconds):
    return seconds * max(1, len(stops) / 100)


def _ours(backend):
    def run(stops, vehicles, matrix, seconds):
        solver = _vrp("solver")
        solution = solver.solve(
            stops, vehicles, matrix, time_limit=seconds, backend=backend
        )
        routes = [
            [visit.stop_id for visit in route.visits]
            for route in solution.routes
            if route.visits
        ]
        return routes, "; ".join(solution.notes)

    return run


def _peer_pyvrp(stops, vehicles, matrix, seconds):
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    model = Model()
    n_vehicles = len(vehicles)
    # matrix points: the depot once per vehicle, then the customers
    points = [0] + list(range(n_vehicles, n_vehicles + len(stops)))
    locations = [model.add_location(0, 0) for _p in points]
    depot = model.add_depot(
        locations[0], tw_early=vehicles[0].shift[0], tw_late=vehicles[0].shift[1]
    )
    model.add_vehicle_type(
        n_vehicles,
        capacity=[vehicles[0].max_count],
        start_depot=depot,
        end_depot=depot,
        tw_early=vehicles[0].shift[0],
        tw_late=vehicles[0].shift[1],
    )
    for k, stop in enumerate(stops, start=1):
        model.add_client(
            locations[k],
            delivery=[stop.count],
            service_duration=stop.service,
            tw_early=stop.window[0],
            tw_late=stop.window[1],
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
    result = model.solve(stop=MaxRuntime(seconds), display=False)
    if not result.best.is_feasible():
        return [], "no feasible plan"
    routes = [
        [stops[a.idx].id for a in route.schedule() if a.is_client()]
        for route in result.best.routes()
    ]
    return routes, ""


def _peer_vroom(stops, vehicles, matrix, seconds):
    from datetime import timedelta

    import vroom

    n_vehicles = len(vehicles)
    points = [0] + list(range(n_vehicles, n_vehicles + len(stops)))
    table = [[matrix.duration[a][b] for b in points] for a in points]
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=table)
    for k, vehicle in enumerate(vehicles):
        problem.add_vehicle(
            vroom.Vehicle(
                k,
                start=0,
                end=0,
                capacity=[vehicle.max_count],
                time_window=vroom.TimeWindow(*vehicle.shift),
            )
        )
    for k, stop in enumerate(stops, start=1):
        problem.add_job(
            vroom.Job(
                stop.id,
                location=k,
                default_service=stop.service,
                delivery=[stop.count],
                time_windows=[vroom.TimeWindow(*stop.window)],
            )
        )
    solution = problem.solve(
        exploration_level=5, nb_threads=2, timeout=timedelta(seconds=seconds)
    )
    frame = solution.routes
    routes = []
    for _vehicle, rows in frame[frame["type"] == "job"].groupby("vehicle_id"):
        routes.append([int(i) for i in rows.sort_values("arrival")["id"]])
    return routes, ""


RUNNERS = {
    "ortools": _ours("ortools"),
    "pyvrp": _ours("pyvrp"),
    "peer_pyvrp": _peer_pyvrp,
    "peer_vroom": _peer_vroom,
}


def measure(name, solver_name, seconds):
    """One solve: a dict with distance, vehicles, gap, seconds, served, note."""
    solomon = _vrp("solomon")
    problem = _vrp("problem")
    checker = _vrp("checker")
    stops, vehicles, matrix = solomon.load(name)
    best = solomon.best_known().get(name)
    limit = budget(stops, seconds)
    started = time.perf_counter()
    try:
        routes, note = RUNNERS[solver_name](stops, vehicles, matrix, limit)
    except ImportError as error:
        return {"error": f"{error.name} not installed (requirements-bench.txt)"}
    elapsed = time.perf_counter() - started
    # recompute everything from the routes, with our checker, whoever made them
    by_id = {stop.id: stop for stop in stops}
    plan_routes, served = [], set()
    for k, ids in enumerate(routes):
        clock, here, visits, length = vehicles[k].shift[0], k, [], 0
        for stop_id in ids:
            stop, there = by_id[stop_id], len(vehicles) + stop_id - 1
            clock = max(clock + matrix.duration[here][there], stop.window[0])
            visits.append(problem.Visit(stop_id, clock, clock + stop.service))
            length += matrix.distance[here][there]
            clock, here = clock + stop.service, there
            served.add(stop_id)
        length += matrix.distance[here][k]
        clock += matrix.duration[here][k]
        plan_routes.append(
            problem.Route(k, visits, length, clock, vehicles[k].shift[0], clock)
        )
    plan_routes += [
        problem.Route(k, [], 0, 0, v.shift[0], v.shift[0])
        for k, v in enumerate(vehicles)
        if k >= len(routes)
    ]
    unassigned = {s.id: "cost" for s in stops if s.id not in served}
    distance = sum(r.distance for r in plan_routes)
    plan = problem.Solution(
        plan_routes, unassigned, distance, 0, solver_name, elapsed, "feasible"
    )
    problems = checker.check(stops, vehicles, matrix, plan)
    value = distance / solomon.SCALE
    return {
        "distance": value,
        "vehicles": len([r for r in routes if r]),
        "gap_pct": None if best is None else 100 * (value - best) / best,
        "best_known": best,
        "seconds": elapsed,
        "budget": limit,
        "served": len(served),
        "customers": len(stops),
        "feasible": not problems and len(served) == len(stops),
        "violations": problems[:3],
        "note": note,
    }


def describe(result):
    if "error" in result:
        return result["error"]
    gap = "n/a" if result["gap_pct"] is None else f"{result['gap_pct']:+.2f} %"
    text = (
        f"distance {result['distance']:.1f}, {result['vehicles']} vehicles, gap {gap} "
        f"(best known {result['best_known']}), "
        f"{result['served']}/{result['customers']} served"
    )
    if result["violations"]:
        text += f", INFEASIBLE: {'; '.join(result['violations'])}"
    if result["note"]:
        text += f" ({result['note']})"
    return text


def _make(name, solver_name):
    def run(ctx):
        seconds = float(os.environ.get("TMS_VRP_TIME", "30"))
        result = measure(name, solver_name, seconds)
        out = {"note": describe(result), "count": result.get("customers", 0)}
        if "error" not in result:
            out["target_met"] = result["feasible"] and (result["gap_pct"] or 0) <= (
                0.005 if name.startswith("C") else 1.0 if "_" not in name else 3.0
            )
            out.update({k: v for k, v in result.items() if k != "note"})
        return out

    run.__doc__ = f"{name} solved by {solver_name} within the VRP time budget."
    target = "best known" if name.startswith("C") else "gap <= 1 %"
    if "_" in name:
        target = "gap <= 3 %"
    return Benchmark(
        name=f"vrp_{name.lower()}_{solver_name}",
        run=run,
        size=200 if "_" in name else 100,
        target=target,
    )


BENCHMARKS = (
    [
        _make(name, solver_name)
        for name in instance_list(os.environ.get("TMS_VRP_INSTANCES", ""))
        for solver_name in SOLVERS
    ]
    if Benchmark
    else []
)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_vrp")
    parser.add_argument(
        "--vrp-time", type=float, default=float(os.environ.get("TMS_VRP_TIME", "30"))
    )
    parser.add_argument(
        "--vrp-instances", default=os.environ.get("TMS_VRP_INSTANCES", "")
    )
    parser.add_argument("--solvers", default=",".join(SOLVERS))
    args = parser.parse_args(argv)
    solvers = args.solvers.split(",")
    header = ["instance", "best known"] + solvers
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _h in header) + "|")
    gaps = {s: [] for s in solvers}
    for name in instance_list(args.vrp_instances):
        cells = [name, ""]
        for solver_name in solvers:
            result = measure(name, solver_name, args.vrp_time)
            if "error" in result:
                cells.append(result["error"])
                continue
            cells[1] = f"{result['best_known']}"
            flag = "" if result["feasible"] else " INFEASIBLE"
            cells.append(
                f"{result['distance']:.1f} / {result['vehicles']} veh / "
                f"{result['gap_pct']:+.2f} % / {result['seconds']:.1f} s{flag}"
            )
            gaps[solver_name].append(result["gap_pct"])
        print("| " + " | ".join(cells) + " |", flush=True)
    averages = [
        f"avg {sum(g) / len(g):+.2f} %, max {max(g):+.2f} %" if g else ""
        for g in gaps.values()
    ]
    print("| average | | " + " | ".join(averages) + " |")
    print(f"\nbudget {args.vrp_time:g} s per 100 customers, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
