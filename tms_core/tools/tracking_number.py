"""Tracking numbers: generation and validation, with no ORM.

Two formats are known:

``s10``
    UPU S10 (the format of postal items): two letters (service indicator), an eight-
    digit
    serial, a mod-11 check digit and the two-letter ISO 3166 country code of the issuer,
    e.g. ``RR123456785MA``.  The check digit weights the serial's digits by 8 6 4 2 3 5
    9 7;
    ``11 - sum % 11`` gives it, except 10 which becomes 0 and 11 which becomes 5.
``luhn``
    A numeric number: an optional digit prefix, a zero-padded serial and a Luhn check
    digit,
    e.g. ``10000000424`` (for carriers that need numbers only). The Luhn algorithm is
    python-stdnum's :mod:`stdnum.luhn` (a requirement of Odoo itself); S10's mod-11
    check digit is not Luhn and is computed here.

Every number that enters from outside goes through :func:`parse`, which raises
:class:`TrackingNumberError` with a ``code`` an API can return and a message a user
reads.
"""

import re

from stdnum import luhn

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
S10_RE = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
LUHN_RE = re.compile(r"^\d{8,30}$")
FORMATS = ("s10", "luhn")


class TrackingNumberError(ValueError):
    """A tracking number that is malformed (``code='format'``) or whose check digit is
    wrong (``code='check_digit'``). ``part`` names what is wrong: ``number`` (a number
    from outside), ``indicator``, ``country``, ``serial`` or ``prefix`` (settings used
    to build one). The message is English, for logs: user interfaces translate from
    ``code`` and ``part``."""

    def __init__(self, code, message, part="number"):
        super().__init__(message)
        self.code = code
        self.message = message
        self.part = part


def s10_check_digit(serial):
    """Return the S10 check digit (0-9) of an eight-digit serial."""
    if not (isinstance(serial, str) and len(serial) == 8 and serial.isdigit()):
        raise TrackingNumberError(
            "format", f"An S10 serial has 8 digits, not {serial!r}.", part="serial"
        )
    remainder = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    return {10: 0, 11: 5}.get(check, check)


def s10_make(service_indicator, serial, country_code):
    """Build an S10 number from its parts; ``serial`` is an int or a digit string."""
    indicator = (service_indicator or "").upper()
    country = (country_code or "").upper()
    if not re.fullmatch(r"[A-Z]{2}", indicator):
        raise TrackingNumberError(
            "format",
            f"The S10 service indicator must be two letters, not {indicator!r}.",
            part="indicator",
        )
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise TrackingNumberError(
            "format",
            f"The S10 country code must be two letters, not {country!r}.",
            part="country",
        )
    digits = f"{int(serial):08d}"
    if len(digits) != 8:
        raise TrackingNumberError(
            "format", f"S10 serials stop at 99999999, not {serial}.", part="serial"
        )
    return f"{indicator}{digits}{s10_check_digit(digits)}{country}"


def luhn_check_digit(digits):
    """Return the Luhn check digit to append to a string of digits."""
    return int(luhn.calc_check_digit(digits))


def luhn_make(prefix, serial, length=10):
    """Build a numeric number: ``prefix`` + serial zero-padded to ``length`` + check."""
    prefix = prefix or ""
    if prefix and not prefix.isdigit():
        raise TrackingNumberError(
            "format",
            f"A numeric prefix has digits only, not {prefix!r}.",
            part="prefix",
        )
    body = f"{prefix}{int(serial):0{length}d}"
    return f"{body}{luhn_check_digit(body)}"


def normalize(number):
    """Upper-case a scanned or typed number and drop spaces and dashes around its "
    "parts."""
    return re.sub(r"[\s\-]", "", number or "").upper()


def parse(number):
    """Validate a tracking number of any known format.

    Return ``(format, normalized_number)``; raise :class:`TrackingNumberError` when the
    number matches no format or its check digit is wrong.
    """
    value = normalize(number)
    match = S10_RE.match(value)
    if match:
        _indicator, serial, check, _country = match.groups()
        expected = s10_check_digit(serial)
        if int(check) != expected:
            raise TrackingNumberError(
                "check_digit",
                f"{value} has a wrong check digit: {check} instead of {expected}. "
                "Check the number for a typing or reading error.",
            )
        return "s10", value
    if LUHN_RE.match(value):
        if not luhn.is_valid(value):
            raise TrackingNumberError(
                "check_digit",
                f"{value} has a wrong check digit. "
                "Check the number for a typing or reading error.",
            )
        return "luhn", value
    raise TrackingNumberError(
        "format",
        f"{value or '(empty)'} is not a tracking number: expected two letters, 9 "
        f"digits "
        "and a country code (like RR123456785MA), or a numeric number.",
    )


def is_valid(number):
    try:
        parse(number)
    except TrackingNumberError:
        return False
    return True
