# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Distance and travel-time matrices: haversine offline, or an OSRM server's ``/table``.

Offline, a leg is the great-circle distance times a road factor, driven at an average
speed. With an OSRM URL, the server's road distances and durations are used, cached per
pair of points in a dict-like ``cache`` the caller keeps between calls; when the server
is down, slow or answers nonsense, the whole matrix falls back to haversine and says why
in ``note``.
"""

import logging
import math

import requests

from .problem import Matrix

_logger = logging.getLogger(__name__)

EARTH_RADIUS_M = 6_371_008.8
# OSRM's default --max-table-size is 100 coordinates per request
OSRM_CHUNK = 50


def haversine(a, b):
    """Great-circle distance in metres between two locations."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = (
        math.sin(dlat / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _leg(a, b, road_factor, speed_kmh):
    metres = round(haversine(a, b) * road_factor)
    return metres, round(metres / (speed_kmh / 3.6))


def haversine_matrix(points, road_factor=1.3, speed_kmh=40, note=""):
    n = len(points)
    distance = [[0] * n for _i in range(n)]
    duration = [[0] * n for _i in range(n)]
    for i in range(n):
        for j in range(n):
            if i != j:
                distance[i][j], duration[i][j] = _leg(
                    points[i], points[j], road_factor, speed_kmh
                )
    return Matrix(list(points), distance, duration, source="haversine", note=note)


def _key(a, b):
    return (
        round(a.latitude, 6),
        round(a.longitude, 6),
        round(b.latitude, 6),
        round(b.longitude, 6),
    )


class OsrmError(Exception):
    pass


def _osrm_table(osrm_url, coords, sources, destinations, timeout):
    """One ``/table`` request: (distances, durations) for sources x destinations."""
    path = ";".join(f"{c.longitude:.6f},{c.latitude:.6f}" for c in coords)
    url = f"{osrm_url.rstrip('/')}/table/v1/driving/{path}"
    params = {
        "annotations": "distance,duration",
        "sources": ";".join(map(str, sources)),
        "destinations": ";".join(map(str, destinations)),
    }
    try:
        response = requests.get(url, params=params, timeout=timeout)
    except requests.Timeout as error:
        raise OsrmError(f"no answer within {timeout} s") from error
    except requests.RequestException as error:
        raise OsrmError(f"unreachable ({error.__class__.__name__})") from error
    if response.status_code != 200:
        raise OsrmError(f"HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError as error:
        raise OsrmError("answer is not JSON") from error
    if data.get("code") != "Ok":
        raise OsrmError(f"code {data.get('code')!r}")
    distances, durations = data.get("distances"), data.get("durations")
    shape_ok = (
        isinstance(distances, list)
        and isinstance(durations, list)
        and len(distances) == len(sources)
        and len(durations) == len(sources)
        and all(len(row) == len(destinations) for row in distances + durations)
    )
    if not shape_ok:
        raise OsrmError("table without distances and durations of the expected size")
    return distances, durations


def _osrm_matrix(points, osrm_url, timeout, cache, road_factor, speed_kmh):
    n = len(points)
    missing = [
        i
        for i in range(n)
        if any(_key(points[i], points[j]) not in cache for j in range(n) if i != j)
    ]
    unroutable = 0
    if missing:
        everyone = list(range(n))
        for s0 in range(0, len(missing), OSRM_CHUNK):
            source_block = missing[s0 : s0 + OSRM_CHUNK]
            for d0 in range(0, n, OSRM_CHUNK):
                dest_block = everyone[d0 : d0 + OSRM_CHUNK]
                coords_idx = list(dict.fromkeys(source_block + dest_block))
                where = {p: k for k, p in enumerate(coords_idx)}
                distances, durations = _osrm_table(
                    osrm_url,
                    [points[p] for p in coords_idx],
                    [where[p] for p in source_block],
                    [where[p] for p in dest_block],
                    timeout,
                )
                for si, i in enumerate(source_block):
                    for di, j in enumerate(dest_block):
                        metres, seconds = distances[si][di], durations[si][di]
                        if i == j:
                            continue
                        if metres is None or seconds is None:
                            unroutable += 1
                            metres, seconds = _leg(
                                points[i], points[j], road_factor, speed_kmh
                            )
                        cache[_key(points[i], points[j])] = (
                            round(metres),
                            round(seconds),
                        )
    distance = [[0] * n for _i in range(n)]
    duration = [[0] * n for _i in range(n)]
    for i in range(n):
        for j in range(n):
            if i != j:
                distance[i][j], duration[i][j] = cache[_key(points[i], points[j])]
    note = ""
    if unroutable:
        note = f"OSRM found no road for {unroutable} legs: haversine used for them"
    return Matrix(list(points), distance, duration, source="osrm", note=note)


def build(points, road_factor=1.3, speed_kmh=40, osrm_url=None, timeout=5, cache=None):
    """The matrix of ``points``: from OSRM if ``osrm_url`` is set, else haversine."""
    if not osrm_url:
        return haversine_matrix(points, road_factor, speed_kmh)
    if cache is None:
        cache = {}
    try:
        return _osrm_matrix(points, osrm_url, timeout, cache, road_factor, speed_kmh)
    except OsrmError as error:
        _logger.warning("OSRM at %s failed (%s): haversine used", osrm_url, error)
        return haversine_matrix(
            points,
            road_factor,
            speed_kmh,
            note=f"OSRM server {error}: distances estimated by haversine",
        )
