# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Spreadsheets of orders: read CSV and XLSX files into a header and rows, write the
template (and the rejected rows) back. No ORM here.

A merchant's file comes from Excel, LibreOffice, Google Sheets or a shop's export:

- CSV separated by commas, semicolons (French and Moroccan Excel) or tabs, in UTF-8
  with or without a byte order mark, or in Windows-1252 (older Excel);
- XLSX, read with openpyxl in read-only mode (the first worksheet, values only).

Every cell comes back as a stripped string; numbers typed in Excel come back without a
trailing ``.0`` (a phone number 612345678, a quantity 2). Rows keep the number the
spreadsheet shows (the header is row 1), blank rows are skipped.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

DELIMITERS = (",", ";", "\t")
# Files bigger than this are refused before being read (a few hundred thousand rows).
MAX_FILE_SIZE = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003) and other OLE files


class SpreadsheetError(Exception):
    """A file that cannot be read. ``code`` says why (for a translated message):

    ``empty``, ``too_large`` (``limit`` bytes), ``too_many_rows`` (``limit``),
    ``too_many_columns`` (``limit``), ``xls`` (old Excel format), ``unreadable``
    (``detail``), ``no_header``, ``duplicate_header`` (``header``).
    """

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}" if params else code)


@dataclass
class Sheet:
    """A spreadsheet read: ``header`` (column titles) and ``rows``, a list of
    ``(row_number, values)`` with as many values as header columns."""

    header: list
    rows: list = field(default_factory=list)
    delimiter: str = ""
    encoding: str = ""

    def records(self):
        """Yield ``(row_number, {column title: value})``."""
        for number, values in self.rows:
            yield number, dict(zip(self.header, values, strict=True))


# --------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------
def read_spreadsheet(data, filename=""):
    """Read a CSV or XLSX file (``data``: bytes) into a :class:`Sheet`. The format
    comes from the content (an XLSX file is a zip archive), not from the name."""
    if not data:
        raise SpreadsheetError("empty")
    if len(data) > MAX_FILE_SIZE:
        raise SpreadsheetError("too_large", limit=MAX_FILE_SIZE)
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data)
    if data.startswith(OLE_MAGIC) or (filename or "").lower().endswith(".xls"):
        raise SpreadsheetError("xls")
    return read_csv(data)


def decode_text(data):
    """Return ``(text, encoding)``: UTF-8 (a byte order mark dropped), else
    Windows-1252, the encoding of Excel's "CSV" on Western Windows."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    # the 5 bytes cp1252 leaves undefined: Latin-1 maps every byte
    return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text):
    """The delimiter among comma, semicolon and tab that splits the first lines into
    the most columns, consistently (quoted values are taken into account)."""
    sample_lines = text.splitlines()[:20]
    sample = "\n".join(sample_lines)
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        consistent = sum(1 for r in rows if len(r) == width)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(data):
    """Read CSV bytes into a :class:`Sheet` (delimiter and encoding detected)."""
    text, encoding = decode_text(data)
    if not text.strip():
        raise SpreadsheetError("empty")
    delimiter = sniff_delimiter(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        sheet = _build_sheet(enumerate(reader, start=1))
    except csv.Error as error:
        raise SpreadsheetError("unreadable", detail=str(error)) from error
    sheet.delimiter = delimiter
    sheet.encoding = encoding
    return sheet


def read_xlsx(data):
    """Read the first worksheet of XLSX bytes into a :class:`Sheet`."""
    # imported here: reading a CSV file does not need openpyxl
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SpreadsheetError("unreadable", detail=str(error)) from error
    try:
        if not workbook.worksheets:
            raise SpreadsheetError("empty")
        worksheet = workbook.worksheets[0]
        rows = (
            (number, [cell_text(value) for value in values])
            for number, values in enumerate(
                worksheet.iter_rows(values_only=True), start=1
            )
        )
        return _build_sheet(rows)
    finally:
        workbook.close()


def cell_text(value):
    """A cell's value as the text the user sees: ``12`` for the float 12.0, ISO dates,
    ``""`` for empty cells."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time.min:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _build_sheet(numbered_rows):
    """A :class:`Sheet` from ``(row_number, values)``: the first non-blank row is the
    header; blank rows are skipped; rows are cut or padded to the header's width."""
    header = None
    rows = []
    for number, values in numbered_rows:
        values = [cell_text(v) if not isinstance(v, str) else v.strip() for v in values]
        if not any(values):
            continue
        if header is None:
            while values and not values[-1]:
                values.pop()
            if len(values) > MAX_COLUMNS:
                raise SpreadsheetError("too_many_columns", limit=MAX_COLUMNS)
            header = values
            _check_header(header)
            continue
        if len(rows) >= MAX_ROWS:
            raise SpreadsheetError("too_many_rows", limit=MAX_ROWS)
        width = len(header)
        values = values[:width] + [""] * (width - len(values))
        if any(values):
            rows.append((number, values))
    if header is None:
        raise SpreadsheetError("empty")
    return Sheet(header=header, rows=rows)


def _check_header(header):
    seen = set()
    for title in header:
        if not title:
            raise SpreadsheetError("no_header")
        key = normalize_header(title)
        if key in seen:
            raise SpreadsheetError("duplicate_header", header=title)
        seen.add(key)


# --------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------
_SPACES = re.compile(r"[\s\u00a0\u202f']+")
# units and currencies people type after a number: "2 kg", "150 DH", "99,90 MAD", "€"
_UNIT = re.compile(
    r"(?i)\s*(kgs?|g|cm|mad|dhs?|dirhams?|eur|€|usd|\$|د\.م\.?|درهم)\.?$"
)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_number(text):
    """A number written by a person: ``"1,5"`` and ``"1.5"`` (a lone comma is a
    decimal comma, as in French), ``"1 500,50"``, ``"1.500,50"``, ``"1,500.50"``,
    ``"150 DH"``. Return a float, None for an empty text; raise ``ValueError`` for
    anything else."""
    text = (text or "").strip()
    if not text:
        return None
    text = _UNIT.sub("", text)
    text = _SPACES.sub("", text)
    if "," in text and "." in text:
        # the last separator is the decimal one, the other groups thousands
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1:
        text = text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    return float(text)


# --------------------------------------------------------------------------------------
# column titles
# --------------------------------------------------------------------------------------
_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
# Arabic letters written in several ways: alef with hamza or madda, teh marbuta, alef
# maksura (users type them either way); the degree sign of "N° commande" as the "o" of
# "No" and "Nº"
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "°": "o"})


def normalize_header(title):
    """A column title reduced for comparisons: no accents, no case, no spaces nor
    punctuation, Arabic letter variants folded (``"Téléphone "`` -> ``"telephone"``,
    ``"Poids (kg)"`` -> ``"poidskg"``)."""
    text = unicodedata.normalize("NFKD", str(title or ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().translate(_FOLD)
    return _NOT_ALNUM.sub("", text)


def guess_mapping(header, synonyms, known=None):
    """Map each column title of ``header`` to a target (or to ``""``, not imported).

    ``known``: ``{title: target}`` remembered from earlier imports, used first (an
    empty target there means "ignore this column"); ``synonyms``: ``{target: [titles]}``
    compared once normalised. A target gets one column at most: the first one.
    """
    by_title = {}
    for target, titles in synonyms.items():
        for title in titles:
            by_title.setdefault(normalize_header(title), target)
    known = {normalize_header(k): v for k, v in (known or {}).items()}
    mapping, taken = {}, set()
    for title in header:
        key = normalize_header(title)
        if key in known:
            target = known[key]
        else:
            target = by_title.get(key, "")
        if target and target in taken:
            target = ""
        if target:
            taken.add(target)
        mapping[title] = target
    return mapping


# --------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------
def write_csv(header, rows=(), delimiter=","):
    """CSV bytes in UTF-8 with a byte order mark (so that Excel shows accents and
    Arabic right), every value quoted when needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(header, rows=(), sheet_title="Orders", help_rows=None, help_title=""):
    """XLSX bytes: a worksheet with the ``header`` in bold and ``rows``, as text (a
    phone number keeps its leading zero); with ``help_rows`` (lists of strings, the
    first one being titles), a second worksheet explaining the columns."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)

    def add_sheet(title, titles, values, widths=None):
        sheet = workbook.create_sheet(title=title[:31])
        for index, width in enumerate(widths or []):
            sheet.column_dimensions[_column_letter(index)].width = width
        cells = []
        for title_text in titles:
            cell = WriteOnlyCell(sheet, value=title_text)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in values:
            text_cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
                cell.number_format = "@"
                text_cells.append(cell)
            sheet.append(text_cells)

    add_sheet(sheet_title, header, rows, [max(12, len(str(t)) + 4) for t in header])
    if help_rows:
        add_sheet(help_title or "Help", help_rows[0], help_rows[1:], [24, 12, 70, 24])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
