# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reference tables of the demo parcels, read from ``demo/tms_demo_names.json``.

The data file holds, per country code (``MA``, ``FR``): the recipients' cities (weight
among recipients, coordinates, streets with their postcodes), first and last names,
address complements, the shippers with their order number prefix, share of the parcels
and product xmlids, and the contents described without a product; plus the Arabic
names and streets of some Moroccan recipients and the box sizes (cm).

:func:`demo_tables` reads the file once and returns the tables as immutable tuples in
the shape the demo generator unpacks, so that every caller shares one copy safely.
"""

import functools
import json
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "demo" / "tms_demo_names.json"


def _by_country(table, row):
    return {code: tuple(row(item) for item in items) for code, items in table.items()}


@functools.cache
def demo_tables(path=DATA_FILE):
    """The demo reference tables, keyed by constant name.

    ``CITIES[code]``: ``(city, weight, (latitude, longitude), ((street, zip), ...))``;
    ``SHIPPERS[code]``: ``(shipper xmlid, order prefix, share, (product xmlids))``;
    ``FREE_LINES[code]``: ``(description, weight kg, value)``; ``BOXES``:
    ``(length, width, height)``; the name tables are tuples of strings.
    """
    with open(path, encoding="utf-8") as file:
        data = json.load(file)
    return {
        "CITIES": _by_country(
            data["cities"],
            lambda city: (
                city["name"],
                city["weight"],
                tuple(city["coords"]),
                tuple((s["street"], s["zip"]) for s in city["streets"]),
            ),
        ),
        "FIRST_NAMES": _by_country(data["first_names"], str),
        "LAST_NAMES": _by_country(data["last_names"], str),
        "ARABIC_NAMES": tuple(data["arabic_names"]),
        "ARABIC_STREETS": tuple(data["arabic_streets"]),
        "STREET2": _by_country(data["street2"], str),
        "SHIPPERS": _by_country(
            data["shippers"],
            lambda shipper: (
                shipper["xmlid"],
                shipper["order_prefix"],
                shipper["share"],
                tuple(shipper["products"]),
            ),
        ),
        "FREE_LINES": _by_country(
            data["free_lines"],
            lambda line: (line["description"], line["weight"], line["value"]),
        ),
        "BOXES": tuple(tuple(box) for box in data["boxes"]),
    }
