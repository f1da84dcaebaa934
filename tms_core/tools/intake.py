# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The parcel intake schema: what a new parcel may hold, whatever channel brings it
(the REST API, a spreadsheet import, a shop order).

Pure Python, no ORM: :func:`validate_parcel` takes an item in the schema's shape (a
plain dict, as the API's JSON body) and an :class:`IntakeContext` holding the codes the
database knows (services, countries, currencies, shippers) as plain values, and returns
the cleaned values. Errors are ``(field path, code, params)`` tuples; the model turns
them into translated messages (``tms.parcel.intake``).

An item::

    {
        "reference": "CMD-1001",           # the shipper's order number
        "service": "STD",                  # service code
        "state": "confirmed",              # draft or confirmed
        "shipper": 42 | {"id": 42} | {"ref": "SOUK"} | {address..., "ref"},
        "recipient": {"name", "phone", "email", "street", "street2", "zip", "city",
                      "state", "country"},  # country: ISO code, state: its code
        "weight": 1.2, "length": 30, "width": 20, "height": 10,   # kg, cm
        "declared_value": 0, "cod_amount": 250, "cod_currency": "MAD",
        "note": "Call before delivery",
        "lines": [{"sku", "description", "quantity", "weight", "value"}],
    }
"""

import math
from dataclasses import dataclass, field

from odoo.tools.mail import email_normalize

MAX_LINES = 200
MAX_TEXT_LENGTH = 256
MAX_NOTE_LENGTH = 2000
# heaviest parcel (kg) when the company sets no maximum
DEFAULT_MAX_WEIGHT = 1000.0
DEFAULT_STATE = "confirmed"

PARCEL_KEYS = frozenset(
    {
        "reference",
        "service",
        "shipper",
        "recipient",
        "weight",
        "length",
        "width",
        "height",
        "declared_value",
        "cod_amount",
        "cod_currency",
        "note",
        "lines",
        "state",
    }
)
ADDRESS_KEYS = frozenset(
    {"name", "phone", "email", "street", "street2", "zip", "city", "country", "state"}
)
SHIPPER_KEYS = ADDRESS_KEYS | {"id", "ref"}
LINE_KEYS = frozenset({"sku", "description", "quantity", "weight", "value"})
# a product the channel already found, for the lines (not a key clients send)
LINE_INTERNAL_KEYS = frozenset({"product_id"})


class Errors(list):
    """Errors of one item: ``[(field path, code, params)]``; ``warnings``: the
    problems a lenient channel lets through, in the same shape."""

    def __init__(self, *args):
        super().__init__(*args)
        self.warnings = []

    def add(self, path, error_code, **params):
        self.append((path, error_code, params))

    def warn(self, path, error_code, **params):
        self.warnings.append((path, error_code, params))

    def paths(self):
        return {path for path, _code, _params in self}


@dataclass
class IntakeContext:
    """What the database knows, as plain values, and the limits of the company.

    ``countries``: ``{CODE: (id, name)}``; ``states``: ``{(country id, CODE): id}``;
    ``services``, ``currencies``: ``{CODE: id}`` (service codes as they are);
    ``shippers_by_id``: ids of the shippers that may be named; ``shippers_by_ref``:
    ``{ref: id}``; ``format_phone(number, country code)`` returns the number in E.164
    or raises ValueError. ``allowed_keys``: the parcel keys accepted (others are
    ``unknown_field``), None to ignore unknown keys. ``partial``: no ``required``
    error (a part of an item, e.g. one spreadsheet row of a multi-row order).
    ``lenient_phone``: a phone number not valid for the country is a warning, kept
    as given, not an error (shop orders: the shop took the order already)."""

    services: dict = field(default_factory=dict)
    countries: dict = field(default_factory=dict)
    states: dict = field(default_factory=dict)
    currencies: dict = field(default_factory=dict)
    shippers_by_id: set = field(default_factory=set)
    shippers_by_ref: dict = field(default_factory=dict)
    default_country: str = ""
    max_weight: float = DEFAULT_MAX_WEIGHT
    max_dimension: float = 1000.0
    initial_states: tuple = ("draft", "confirmed")
    default_state: str = DEFAULT_STATE
    format_phone: object = None
    allowed_keys: frozenset = PARCEL_KEYS
    partial: bool = False
    lenient_phone: bool = False


def codes(items, key, upper=False):
    """The distinct non-empty stripped strings ``item[key]`` of dict ``items``."""
    values = set()
    for item in items:
        value = item.get(key) if isinstance(item, dict) else None
        if isinstance(value, str) and value.strip():
            values.add(value.strip().upper() if upper else value.strip())
    return sorted(values)


def check_keys(data, allowed, errors, prefix=""):
    if allowed is None:
        return
    for key in sorted(set(data) - set(allowed)):
        errors.add(_path(prefix, key), "unknown_field")


def _path(prefix, key):
    return f"{prefix}.{key}" if prefix else key


def text(data, key, errors, prefix="", required=False, max_length=MAX_TEXT_LENGTH):
    """The stripped string ``data[key]``, False when absent, empty or invalid."""
    path = _path(prefix, key)
    value = data.get(key)
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "" or value is False:
        if required:
            errors.add(path, "required")
        return False
    if not isinstance(value, str):
        errors.add(path, "invalid_type", type="string")
        return False
    if len(value) > max_length:
        errors.add(path, "too_long", max=max_length)
        return False
    return value


def number(data, key, errors, prefix="", minimum=0, maximum=None, positive=False):
    """The number ``data[key]`` as a float, None when absent or invalid."""
    path = _path(prefix, key)
    value = data.get(key)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
    ):
        errors.add(path, "invalid_type", type="number", value=value)
        return None
    if positive and value <= 0:
        errors.add(path, "invalid_value", rule="positive", value=value)
        return None
    if value < minimum:
        errors.add(path, "invalid_value", rule="minimum", min=minimum, value=value)
        return None
    if maximum is not None and value > maximum:
        errors.add(path, "too_large", max=maximum, value=value)
        return None
    return float(value)


def validate_parcel(item, context, errors):
    """Return the cleaned values of ``item`` (see the module's docstring): parcel
    field values (``client_reference``, ``state``, ``service_id``, measures,
    ``cod_currency_id``, ``note``), ``recipient`` (partner values: name, phone,
    email, street, street2, zip, city, state_id, country_id), ``shipper`` (None, a
    partner id or the values of a new one), ``lines`` and ``lines_weight``. Errors go
    to ``errors``; the values of the bad fields are left out."""
    if not isinstance(item, dict):
        errors.add("", "invalid_type", type="parcel")
        return None
    required = not context.partial
    check_keys(item, context.allowed_keys, errors)
    vals = {"client_reference": text(item, "reference", errors)}
    state = item.get("state", context.default_state)
    if state not in context.initial_states:
        errors.add("state", "invalid_value", rule="initial_state", value=state)
    vals["state"] = state
    code = text(item, "service", errors, required=required)
    if code:
        if code in context.services:
            vals["service_id"] = context.services[code]
        else:
            errors.add("service", "unknown_service", code=code)
    note = text(item, "note", errors, max_length=MAX_NOTE_LENGTH)
    if note:
        vals["note"] = note
    recipient = item.get("recipient")
    if not isinstance(recipient, dict):
        if recipient is None:
            if required:
                errors.add("recipient", "required")
        else:
            errors.add("recipient", "invalid_type", type="object")
        recipient = None
    else:
        recipient = validate_address(recipient, "recipient", context, errors)
    vals.update(_validate_measures(item, context, errors))
    lines, lines_weight = validate_lines(item.get("lines"), context, errors)
    if lines:
        vals["line_ids"] = lines
    if (
        "weight" not in vals
        and context.max_weight
        and lines_weight > context.max_weight
    ):
        errors.add(
            "lines",
            "too_large",
            rule="weight",
            weight=lines_weight,
            max=context.max_weight,
        )
    return {
        "vals": vals,
        "recipient": recipient,
        "shipper": validate_shipper(item.get("shipper"), context, errors),
    }


def _validate_measures(item, context, errors):
    vals = {}
    for key in ("length", "width", "height"):
        value = number(item, key, errors, maximum=context.max_dimension)
        if value is not None:
            vals[key] = value
    for key in ("declared_value", "cod_amount"):
        value = number(item, key, errors)
        if value is not None:
            vals[key] = value
    currency = text(item, "cod_currency", errors)
    if currency:
        if currency.upper() in context.currencies:
            vals["cod_currency_id"] = context.currencies[currency.upper()]
        else:
            errors.add("cod_currency", "unknown_currency", code=currency)
    weight = number(item, "weight", errors, maximum=context.max_weight or None)
    if weight is not None:
        vals["weight"] = weight
    return vals


def validate_lines(lines, context, errors):
    """Return ``(line values, total weight)`` of the ``lines`` of an item."""
    if lines is None:
        return [], 0.0
    if not isinstance(lines, list):
        errors.add("lines", "invalid_type", type="list")
        return [], 0.0
    if len(lines) > MAX_LINES:
        errors.add("lines", "too_large", rule="count", max=MAX_LINES)
        return [], 0.0
    allowed = None
    if context.allowed_keys is not None:
        allowed = LINE_KEYS | LINE_INTERNAL_KEYS
    result, total = [], 0.0
    for i, line in enumerate(lines):
        prefix = f"lines[{i}]"
        if not isinstance(line, dict):
            errors.add(prefix, "invalid_type", type="line")
            continue
        check_keys(line, allowed, errors, prefix)
        sku = text(line, "sku", errors, prefix)
        description = text(line, "description", errors, prefix) or sku
        if not description:
            errors.add(f"{prefix}.description", "required", rule="line")
        quantity = number(line, "quantity", errors, prefix, positive=True)
        quantity = 1.0 if quantity is None else quantity
        weight = number(line, "weight", errors, prefix) or 0.0
        value = number(line, "value", errors, prefix) or 0.0
        total += quantity * weight
        values = {
            "name": description,
            "sku": sku,
            "quantity": quantity,
            "weight": weight,
            "value": value,
        }
        if line.get("product_id"):
            values["product_id"] = line["product_id"]
        result.append(values)
    return result, total


def validate_address(data, prefix, context, errors, recipient=True):
    """Partner values of a recipient (name, phone, street and city required, the
    phone must be valid for the country) or of a new shipper (name required)."""
    required = not context.partial
    if context.allowed_keys is not None:
        check_keys(data, ADDRESS_KEYS if recipient else SHIPPER_KEYS, errors, prefix)
    country_code = context.default_country or ""
    country_id = context.countries.get(country_code, (False, ""))[0]
    given_country = text(data, "country", errors, prefix)
    if given_country:
        country_code = given_country.upper()
        if country_code in context.countries:
            country_id = context.countries[country_code][0]
        else:
            errors.add(f"{prefix}.country", "unknown_country", code=given_country)
            country_code, country_id = "", False
    state_id = False
    state_code = text(data, "state", errors, prefix)
    if state_code and country_id:
        state_id = context.states.get((country_id, state_code.upper()), False)
        if not state_id:
            errors.add(
                f"{prefix}.state",
                "unknown_state",
                code=state_code,
                country=context.countries[country_code][1],
            )
    phone = text(data, "phone", errors, prefix, required=required and recipient)
    if phone and context.format_phone:
        try:
            phone = context.format_phone(phone, country_code)
        except ValueError:
            report = errors.warn if context.lenient_phone else errors.add
            report(
                f"{prefix}.phone",
                "invalid_phone",
                phone=phone,
                country=context.countries.get(country_code, (False, "-"))[1],
            )
    email = text(data, "email", errors, prefix)
    if email and not email_normalize(email):
        errors.add(f"{prefix}.email", "invalid_email", email=email)
    return {
        "name": text(data, "name", errors, prefix, required=required),
        "phone": phone,
        "email": email,
        "street": text(data, "street", errors, prefix, required=required and recipient),
        "street2": text(data, "street2", errors, prefix),
        "zip": text(data, "zip", errors, prefix),
        "city": text(data, "city", errors, prefix, required=required and recipient),
        "state_id": state_id,
        "country_id": country_id,
    }


def validate_shipper(shipper, context, errors):
    """Return the id of a known shipper (given by id or ``ref``), the values of a
    shipper to find or create (a shipper object), or None."""
    if shipper is None or shipper is False:
        return None
    if type(shipper) is int:
        shipper = {"id": shipper}
    if not isinstance(shipper, dict):
        errors.add("shipper", "invalid_type", type="shipper")
        return None
    if "id" in shipper or (shipper.get("ref") and "name" not in shipper):
        given = "id" if "id" in shipper else "ref"
        if context.allowed_keys is not None:
            check_keys(shipper, {given}, errors, "shipper")
        if given == "id":
            known = shipper["id"] if shipper["id"] in context.shippers_by_id else None
        else:
            known = context.shippers_by_ref.get(shipper["ref"])
        if not known:
            errors.add("shipper", "unknown_shipper", shipper=shipper[given])
        return known
    vals = validate_address(shipper, "shipper", context, errors, recipient=False)
    vals["ref"] = text(shipper, "ref", errors, "shipper")
    return vals
