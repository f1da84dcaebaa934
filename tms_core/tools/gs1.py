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
all. The check digit is Odoo's :func:`odoo.tools.barcode.get_barcode_check_digit`.

Odoo's ``barcodes_gs1_nomenclature`` module parses GS1 through nomenclature records
configured per company (and silently drops an element whose check digit is wrong); a
scan screen needs to tell "wrong check digit" from "not GS1" without any configuration,
hence this small parser.
"""

import re

from odoo.tools.barcode import get_barcode_check_digit

FNC1 = "\x1d"
SYMBOLOGY_IDENTIFIERS = ("]C1", "]d2", "]Q3", "]e0", "]J1")
SSCC_AI = "00"
SSCC_LENGTH = 18
# Element strings whose length is fixed by the first two digits of their AI (GS1
# General Specifications, "predefined length" table): total length, AI included. They
# need no FNC1 after them; every other element ends with FNC1 or the end of the data.
PREDEFINED_LENGTHS = {
    "00": 20,
    "01": 16,
    "02": 16,
    "03": 16,
    "04": 18,
    "11": 8,
    "12": 8,
    "13": 8,
    "14": 8,
    "15": 8,
    "16": 8,
    "17": 8,
    "18": 8,
    "19": 8,
    "20": 4,
    "31": 10,
    "32": 10,
    "33": 10,
    "34": 10,
    "35": 10,
    "36": 10,
    "41": 16,
}
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
    # get_barcode_check_digit() expects the full code and ignores its last digit
    return get_barcode_check_digit(digits + "0")


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


def _ai_length(data):
    """The length of the AI starting ``data``, from its first digits."""
    head = data[:2]
    if head in ("00", "01", "02", "03", "04", "10", "11", "12", "13", "14", "15"):
        return 2
    if head in ("16", "17", "18", "19", "20", "21", "22", "30", "37"):
        return 2
    if head[0] == "9":
        return 2
    if head in ("31", "32", "33", "34", "35", "36", "39", "43", "70", "71", "72"):
        return 4
    if head[0] in ("7", "8"):
        return 4
    return 3


def parse(code):
    """Split a GS1 code into its element strings.

    Return a dict ``{ai: value}`` in the order of the code; the SSCC of an AI (00)
    is checked. Raise :class:`Gs1Error` for a code that is not well-formed GS1 or an
    SSCC with a wrong check digit.
    """
    code = (code or "").strip()
    data, _marked = _strip_symbology(code)
    elements = {}
    if HUMAN_READABLE_RE.match(data):
        for ai, value in HUMAN_READABLE_PART_RE.findall(data):
            elements[ai] = re.sub(r"\s", "", value)
    else:
        while data:
            if not data[:2].isdigit():
                raise Gs1Error("format", f"{code!r} is not a GS1 code.")
            fixed = PREDEFINED_LENGTHS.get(data[:2])
            ai_len = _ai_length(data)
            ai = data[:ai_len]
            if not ai.isdigit() or len(ai) < ai_len:
                raise Gs1Error("format", f"{code!r} is not a GS1 code.")
            if fixed:
                value, data = data[ai_len:fixed], data[fixed:]
                if len(value) != fixed - ai_len:
                    raise Gs1Error(
                        "format", f"The GS1 element ({ai}) of {code!r} is too short."
                    )
            else:
                end = data.find(FNC1)
                end = len(data) if end < 0 else end
                value, data = data[ai_len:end], data[end:]
            if data.startswith(FNC1):
                data = data[1:]
            elements[ai] = value
    if not elements or any(not value for value in elements.values()):
        raise Gs1Error("format", f"{code!r} is not a GS1 code.")
    if SSCC_AI in elements:
        sscc_validate(elements[SSCC_AI])
    return elements
