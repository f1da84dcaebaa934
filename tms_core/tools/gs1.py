"""GS1 element strings and SSCC-18 codes, with no ORM.

A GS1-128 barcode holds element strings: an application identifier (AI) of two to four
digits followed by its data, e.g. ``(00)376104250021234569`` for a logistic unit's SSCC
(Serial Shipping Container Code). Scanners send them in one of these forms:

- the raw data, optionally after a symbology identifier (``]C1`` for GS1-128, ``]d2``
  for GS1 DataMatrix, ``]Q3`` for GS1 QR Code) and with the FNC1 character (ASCII 29,
  "group separator") after every variable-length element;
- the human-readable interpretation printed under the bars, with the AIs between
  parentheses: ``(00) 3 7610425 002123456 9``.

An SSCC-18 is an extension digit, the GS1 company prefix, a serial reference and a
mod-10 check digit (the GTIN algorithm, weights 3 and 1 from the right), 18 digits in
all.

What python-stdnum (a requirement of Odoo itself) does here:

- the check digit is :func:`stdnum.ean.calc_check_digit` (the GS1 mod-10 algorithm,
  whatever the length: stdnum's own ``ean.validate`` only takes 8 to 14 digits, so
  the SSCC's 18 are checked here with it);
- the AI table is stdnum's ``gs1_ai`` database, the one :mod:`stdnum.gs1_128` reads
  (from the GS1 list of application identifiers): which AIs exist, how long their
  data is and whether an FNC1 ends it.

:func:`stdnum.gs1_128.info` itself is not used to split a code: it converts the values
(dates, numbers) where callers want them as printed, does not check an SSCC's check
digit, and reads neither symbology identifiers nor the human-readable form with
spaces. Odoo's ``barcodes_gs1_nomenclature`` module parses GS1 through nomenclature
records configured per company (and silently drops an element whose check digit is
wrong). A scan screen needs to tell "wrong check digit" (``code='check_digit'``) from
"not GS1" (``code='format'``) without any configuration, hence :func:`parse`.
"""

import re

from stdnum import ean, numdb

FNC1 = "\x1d"
SYMBOLOGY_IDENTIFIERS = ("]C1", "]d2", "]Q3", "]e0", "]J1")
SSCC_AI = "00"
SSCC_LENGTH = 18
# python-stdnum's table of GS1 application identifiers (see stdnum/gs1_ai.dat)
AI_TABLE = numdb.get("gs1_ai")
HUMAN_READABLE_RE = re.compile(r"^(?:\(\d{2,4}\)[^()]*)+$")
HUMAN_READABLE_PART_RE = re.compile(r"\((\d{2,4})\)([^()]*)")


class Gs1Error(ValueError):
    """A GS1 code that is malformed (``code='format'``) or whose check digit is wrong
    (``code='check_digit'``)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def check_digit(digits):
    """Return the GS1 mod-10 check digit to append to a string of digits."""
    if not (isinstance(digits, str) and digits.isdigit()):
        raise Gs1Error(
            "format", f"A GS1 check digit is computed on digits, not {digits!r}."
        )
    return int(ean.calc_check_digit(digits))


def sscc_make(company_prefix, serial, extension_digit=0):
    """Build an SSCC-18 from a GS1 company prefix (4 to 12 digits) and a serial
    reference (an int that must fit in the digits the prefix leaves)."""
    prefix = company_prefix or ""
    if not re.fullmatch(r"\d{4,12}", prefix):
        raise Gs1Error(
            "format", f"A GS1 company prefix has 4 to 12 digits, not {prefix!r}."
        )
    if not (isinstance(extension_digit, int) and 0 <= extension_digit <= 9):
        raise Gs1Error(
            "format", f"An SSCC extension digit is 0 to 9, not {extension_digit!r}."
        )
    width = SSCC_LENGTH - 2 - len(prefix)
    serial = int(serial)
    if serial < 0 or serial >= 10**width:
        raise Gs1Error(
            "format",
            f"With the company prefix {prefix}, SSCC serials go from 0 to "
            f"{10**width - 1}, not {serial}.",
        )
    body = f"{extension_digit}{prefix}{serial:0{width}d}"
    return f"{body}{check_digit(body)}"


def sscc_validate(sscc):
    """Return ``sscc`` (18 digits) when its check digit is right; raise
    :class:`Gs1Error` otherwise."""
    if not (isinstance(sscc, str) and len(sscc) == SSCC_LENGTH and sscc.isdigit()):
        raise Gs1Error("format", f"An SSCC has 18 digits, not {sscc!r}.")
    expected = check_digit(sscc[:-1])
    if int(sscc[-1]) != expected:
        raise Gs1Error(
            "check_digit",
            f"SSCC {sscc} has a wrong check digit: {sscc[-1]} instead of {expected}.",
        )
    return sscc


def sscc_is_valid(sscc):
    try:
        sscc_validate(sscc)
    except Gs1Error:
        return False
    return True


def _strip_symbology(code):
    for identifier in SYMBOLOGY_IDENTIFIERS:
        if code.startswith(identifier):
            return code[len(identifier) :], True
    if code.startswith(FNC1):
        return code[1:], True
    return code, False


def looks_like_gs1(code):
    """Whether a scanned code is meant as GS1 element strings: it carries a GS1
    symbology identifier or an FNC1, is written with AIs in parentheses, or is an
    SSCC with its AI (20 digits starting with 00)."""
    code = (code or "").strip()
    _rest, marked = _strip_symbology(code)
    if marked or FNC1 in code:
        return True
    if HUMAN_READABLE_RE.match(code):
        return True
    return len(code) == 20 and code.isdigit() and code.startswith(SSCC_AI)


def _max_length(ai_format):
    """The longest value of a format of stdnum's AI table: ``N18``, ``X..20``,
    ``N6..12``, ``N3+N..15``, ``N13[+X..17]`` (the last number of every part)."""
    return sum(
        int(re.search(r"(\d+)[\[\]]?$", part).group(1)) for part in ai_format.split("+")
    )


def _split_element(code, data):
    """Split the element string at the start of ``data`` (a part of ``code``):
    return ``(ai, value, rest)``, ``rest`` without the FNC1 that ended the element."""
    found = AI_TABLE.info(data)
    ai, properties = found[0] if found else ("", {})
    if not properties or not data.startswith(ai):
        raise Gs1Error("format", f"{code!r} is not a GS1 code.")
    data = data[len(ai) :]
    if properties.get("type") == "decimal":
        # a measure's AI ends with the position of the decimal point: (3103) is a net
        # weight in kg with 3 decimals
        if not data[:1].isdigit():
            raise Gs1Error("format", f"{code!r} is not a GS1 code.")
        ai, data = ai + data[0], data[1:]
    length = _max_length(properties["format"])
    if properties.get("fnc1"):
        # variable length (or fixed, but still ended by FNC1): up to the FNC1, the end
        # of the data or the longest value, as stdnum.gs1_128 reads it
        end = data.find(FNC1)
        value = data[: min(length, len(data) if end < 0 else end)]
    else:
        value = data[:length]
        if len(value) != length:
            raise Gs1Error(
                "format", f"The GS1 element ({ai}) of {code!r} is too short."
            )
    rest = data[len(value) :]
    if rest.startswith(FNC1):
        rest = rest[1:]
    return ai, value, rest


def parse(code):
    """Split a GS1 code into its element strings, with python-stdnum's AI table.

    Return a dict ``{ai: value}`` in the order of the code, the values as strings, as
    printed; the SSCC of an AI (00) is checked. Raise :class:`Gs1Error` for a code
    that is not well-formed GS1 (``code='format'``: an unknown AI, a value too short,
    an AI in parentheses whose value does not fit it) or an SSCC with a wrong check
    digit (``code='check_digit'``).
    """
    code = (code or "").strip()
    data, _marked = _strip_symbology(code)
    elements = {}
    if HUMAN_READABLE_RE.match(data):
        # the AIs are written out: each value must be exactly the one of its AI
        for written_ai, value in HUMAN_READABLE_PART_RE.findall(data):
            ai, value, rest = _split_element(
                code, written_ai + re.sub(r"\s", "", value)
            )
            if ai != written_ai or rest:
                raise Gs1Error(
                    "format", f"The GS1 element ({written_ai}) of {code!r} is wrong."
                )
            elements[ai] = value
    else:
        while data:
            ai, value, data = _split_element(code, data)
            elements[ai] = value
    if not elements or any(not value for value in elements.values()):
        raise Gs1Error("format", f"{code!r} is not a GS1 code.")
    if SSCC_AI in elements:
        sscc_validate(elements[SSCC_AI])
    return elements
