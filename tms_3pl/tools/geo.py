# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Zone areas for the map, without Odoo.

A zone is defined by postcodes, cities and regions, not by a shape. Its area on the map
is the shape the user gave it (a GeoJSON Polygon or MultiPolygon, checked here), else
the convex hull of the positions where its parcels were delivered.

GeoJSON positions are ``[longitude, latitude]``.
"""

import json

# Enough for a region's outline; more makes the map slow for nothing.
MAX_POSITIONS = 20000


class GeoJsonError(ValueError):
    """The text is not a GeoJSON area the map can draw: ``code`` says why, with
    ``params`` (the Odoo side words it in the user's language)."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def _check_position(position):
    if (
        not isinstance(position, list | tuple)
        or len(position) < 2
        or not all(
            isinstance(value, int | float) and not isinstance(value, bool)
            for value in position[:2]
        )
    ):
        raise GeoJsonError("bad_position")
    longitude, latitude = position[:2]
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise GeoJsonError("out_of_range", longitude=longitude, latitude=latitude)


def _check_polygon(rings):
    if not isinstance(rings, list) or not rings:
        raise GeoJsonError("no_ring")
    count = 0
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise GeoJsonError("short_ring")
        for position in ring:
            _check_position(position)
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise GeoJsonError("open_ring")
        count += len(ring)
    return count


def parse_area(text):
    """The geometry of ``text`` (a GeoJSON Polygon or MultiPolygon, or a Feature or a
    FeatureCollection of them) as one ``{"type", "coordinates"}`` dict, or None for
    an empty text. Raises :class:`GeoJsonError` otherwise."""
    if not (text or "").strip():
        return None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise GeoJsonError("not_json") from error
    if not isinstance(data, dict):
        raise GeoJsonError("not_object")
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        geometries = [feature.get("geometry") or {} for feature in features]
    elif data.get("type") == "Feature":
        geometries = [data.get("geometry") or {}]
    else:
        geometries = [data]
    polygons = []
    for geometry in geometries:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        coordinates = geometry.get("coordinates") if kind else None
        if kind == "Polygon":
            polygons.append(coordinates)
        elif kind == "MultiPolygon" and isinstance(coordinates, list):
            polygons.extend(coordinates)
        else:
            raise GeoJsonError("bad_type", kind=kind or "?")
    if not polygons:
        raise GeoJsonError("no_polygon")
    count = sum(_check_polygon(rings) for rings in polygons)
    if count > MAX_POSITIONS:
        raise GeoJsonError("too_many", count=count, limit=MAX_POSITIONS)
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _cross(origin, a, b):
    return (a[0] - origin[0]) * (b[1] - origin[1]) - (a[1] - origin[1]) * (
        b[0] - origin[0]
    )


def convex_hull(points):
    """The convex hull of ``points`` ((longitude, latitude) pairs), counter-clockwise,
    without repeating the first point (Andrew's monotone chain)."""
    points = sorted(set(points))
    if len(points) <= 2:
        return points
    lower, upper = [], []
    for point in points:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    for point in reversed(points):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    return lower[:-1] + upper[:-1]


def hull_area(points):
    """The GeoJSON Polygon around ``points`` ((longitude, latitude) pairs), or None
    when they are fewer than 3 or on one line."""
    hull = convex_hull(points)
    if len(hull) < 3:
        return None
    ring = [list(point) for point in hull]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def center(points):
    """The mean of ``points`` ((longitude, latitude) pairs) as (latitude,
    longitude), or None."""
    if not points:
        return None
    return (
        sum(point[1] for point in points) / len(points),
        sum(point[0] for point in points) / len(points),
    )
