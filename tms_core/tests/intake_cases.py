# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One table of bad parcel inputs, run through every channel that creates parcels
(the REST API here; the spreadsheet import and shop orders in tms_ec): each channel
must refuse the item with the same message and create nothing for it.

Each case: ``(name, changes to a valid item, field path, error code, English
message)``. A valid item is :func:`valid_item`; ``changes`` is applied with
:func:`apply_changes` (``"recipient.phone": "12"`` sets a nested key, ``None``
removes it)."""

import copy


def valid_item(reference="CASE-OK"):
    """A valid Moroccan parcel in the intake schema's shape."""
    return {
        "reference": reference,
        "service": "STD",
        "recipient": {
            "name": "Fatima Zahra Benali",
            "phone": "0612345678",
            "street": "12 Rue Ibnou Mounir",
            "city": "Casablanca",
            "zip": "20250",
            "country": "MA",
        },
        "weight": 1.5,
        "cod_amount": 299.0,
        "lines": [{"description": "Caftan", "quantity": 1}],
    }


BAD_INPUTS = [
    (
        "missing recipient name",
        {"recipient.name": None},
        "recipient.name",
        "required",
        "recipient.name is required.",
    ),
    (
        "bad phone",
        {"recipient.phone": "06123"},
        "recipient.phone",
        "invalid_phone",
        "The phone number 06123 is not valid for Morocco.",
    ),
    (
        "unknown service",
        {"service": "TURBO"},
        "service",
        "unknown_service",
        "No active service has the code TURBO.",
    ),
    (
        "negative weight",
        {"weight": -2},
        "weight",
        "invalid_value",
        "weight must be at least 0.",
    ),
    (
        "COD not a number",
        {"cod_amount": "lots"},
        "cod_amount",
        "invalid_type",
        "cod_amount must be a number.",
    ),
    (
        "negative COD",
        {"cod_amount": -50},
        "cod_amount",
        "invalid_value",
        "cod_amount must be at least 0.",
    ),
    (
        "too long reference",
        {"reference": "R" * 300},
        "reference",
        "too_long",
        "reference is longer than 256 characters.",
    ),
    (
        "empty lines quantity",
        {"lines": [{"description": "Caftan", "quantity": 0}]},
        "lines[0].quantity",
        "invalid_value",
        "lines[0].quantity must be greater than 0.",
    ),
    (
        "address without city",
        {"recipient.city": None},
        "recipient.city",
        "required",
        "recipient.city is required.",
    ),
]


# Cases a channel cannot express, with the reason: ``{channel: {case name: why}}``.
CHANNEL_SKIPS = {
    "shop": {
        "missing recipient name": "a shop order always names its recipient: the "
        "customer's name, e-mail or the order's number stand in",
        "unknown service": "a shop order names no service: its shop's settings do",
        "COD not a number": "the shop's client reads the order's total as a number",
        "empty lines quantity": "a shop line without a quantity counts one",
    },
}
# Cases a channel imports all the same, the message as a warning: ``{channel:
# {case name: why}}``.
CHANNEL_WARNINGS = {
    "shop": {
        "bad phone": "the shop took the order already: the phone is checked with the "
        "customer before delivery (option lenient_phone)",
    },
}


def apply_changes(item, changes):
    """A copy of ``item`` with ``changes`` (dotted keys, None removes)."""
    item = copy.deepcopy(item)
    for path, value in changes.items():
        target = item
        *parents, key = path.split(".")
        for parent in parents:
            target = target[parent]
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    return item
