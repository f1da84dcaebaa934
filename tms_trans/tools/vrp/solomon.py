# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Solomon / Gehring-Homberger VRPTW instances as routing problems.

DIMACS convention: Euclidean distances truncated to one decimal, travel time equal to
distance, the objective is the total distance. Everything is scaled by 10 so that the
solver sees integers: a distance of 12.3 becomes 123, the times too.
"""

import csv
import math
from pathlib import Path

from .problem import Location, Matrix, Stop, Vehicle

SCALE = 10
DATA = Path(__file__).resolve().parents[2] / "data" / "vrp"


def instance_path(name):
    folder = "homberger" if "_" in name else "solomon"
    return DATA / folder / f"{name}.txt"


def instance_names(folder="solomon"):
    return sorted(path.stem for path in (DATA / folder).glob("*.txt"))


def best_known():
    """Instance name -> best-known distance (float), from best_known.csv."""
    with open(DATA / "best_known.csv", newline="") as handle:
        return {
            row["instance"]: float(row["best_known_distance"])
            for row in csv.DictReader(handle)
        }


def parse(text):
    """(name, vehicle count, capacity, customers): each customer a tuple
    (number, x, y, demand, ready, due, service), the depot first."""
    lines = [line.split() for line in text.splitlines() if line.strip()]
    name = lines[0][0]
    number, capacity = None, None
    customers = []
    for k, parts in enumerate(lines):
        if parts[0] == "NUMBER" and parts[1] == "CAPACITY":
            number, capacity = int(lines[k + 1][0]), int(lines[k + 1][1])
        if parts[0].isdigit() and len(parts) == 7:
            customers.append(tuple(int(float(p)) for p in parts))
    return name, number, capacity, customers


def distance(a, b):
    """Scaled DIMACS distance: one decimal, truncated."""
    return int(math.floor(math.hypot(a[1] - b[1], a[2] - b[2]) * SCALE + 1e-9))


def load(name_or_path):
    """(stops, vehicles, matrix) of an instance, in the solver's point order."""
    path = Path(name_or_path)
    if not path.suffix:
        path = instance_path(str(name_or_path))
    name, number, capacity, customers = parse(path.read_text())
    depot, rest = customers[0], customers[1:]
    where = Location(depot[2], depot[1])
    vehicles = [
        Vehicle(
            id=k,
            start=where,
            max_count=capacity,
            shift=(depot[4] * SCALE, depot[5] * SCALE),
        )
        for k in range(number)
    ]
    stops = [
        Stop(
            id=c[0],
            location=Location(c[2], c[1]),
            count=c[3],
            window=(c[4] * SCALE, c[5] * SCALE),
            service=c[6] * SCALE,
        )
        for c in rest
    ]
    # points: each vehicle's start (the depot), then the customers
    places = [depot] * number + rest
    table = [[distance(a, b) for b in places] for a in places]
    matrix = Matrix(
        points=[Location(p[2], p[1]) for p in places],
        distance=table,
        duration=table,
        source="euclidean",
    )
    return stops, vehicles, matrix
