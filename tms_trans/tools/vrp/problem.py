# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The routing problem and its solution, as plain dataclasses.

A stop's window is the range in which its service may begin (seconds from the day's
start); a visit's ``arrival`` is the moment service begins (after any wait) and its
``departure`` that moment plus the service time. A stop's ``rank`` is its 1-based
position in the route of the vehicle it is locked to.
"""

from dataclasses import dataclass, field

REASONS = ("no_location", "window", "capacity", "shift", "locked", "cost")


@dataclass
class Location:
    latitude: float
    longitude: float


@dataclass
class Stop:
    id: object  # the caller's key (e.g. a tms.round.stop id)
    location: Location | None  # None: left unassigned, reason "no_location"
    kind: str = "delivery"  # "delivery" | "pickup"
    weight: float = 0.0  # kg
    volume: float = 0.0  # m3
    count: int = 1  # parcels
    window: tuple[int, int] | None = (
        None  # (earliest, latest) start of service, seconds
    )
    service: int = 0  # seconds on site
    pair: object = (
        None  # id of the delivery stop a pickup feeds (same vehicle, before it)
    )
    vehicle: object = None  # locked to this vehicle id (None = free)
    rank: int | None = None  # locked 1-based position in that vehicle's route
    penalty: int | None = None  # cost of leaving it out (None = solver default, large)


@dataclass
class Vehicle:
    id: object
    start: Location
    end: Location | None = None  # None: back to start
    max_weight: float | None = None
    max_volume: float | None = None
    max_count: int | None = None
    shift: tuple[int, int] = (0, 86400)
    break_window: tuple[int, int] | None = None  # the break lies within it
    break_duration: int = 0
    max_duration: int | None = None
    cost_per_km: float = 1.0


@dataclass
class Matrix:
    """Square, indexed 0..n-1 over ``points``."""

    points: list[Location]
    distance: list[list[int]]
    duration: list[list[int]]
    source: str = "haversine"  # "osrm" | "haversine"
    note: str = ""  # why it fell back to haversine


@dataclass
class Visit:
    stop_id: object
    arrival: int
    departure: int


@dataclass
class Route:
    vehicle_id: object
    visits: list[Visit]
    distance: int
    duration: int
    start: int
    end: int
    break_start: int | None = None


@dataclass
class Progress:
    """What a running search reports: the share of its time budget spent and the
    best plan found so far (``distance`` is None until there is one)."""

    fraction: float  # 0 to 1; 1 once the search is over
    elapsed: float  # seconds since the search started
    objective: int | None = None  # the solver's cost of the best plan (penalties in)
    distance: int | None = None  # metres driven by the best plan
    served: int = 0  # stops it routes
    unassigned: int = 0  # stops it leaves out, those set aside beforehand included


@dataclass
class Solution:
    routes: list[Route]
    unassigned: dict  # stop id -> one of REASONS
    distance: int
    duration: int
    solver: str
    elapsed: float
    status: str  # "feasible" | "optimal" | "no_vehicle"
    objective: int = 0
    notes: list[str] = field(default_factory=list)
