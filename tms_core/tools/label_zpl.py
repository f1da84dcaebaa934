# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""ZPL II labels for Zebra and compatible thermal printers (203 and 300 dpi).

One ``^XA ... ^XZ`` format per label; text in the printer's scalable font 0 with UTF-8
field data (``^CI28``); the tracking number as Code128 with its human-readable line
below; the tracking link as a QR code (model 2). Printer fonts cannot join Arabic
letters, so any text with Arabic letters is drawn with Pillow and sent as a graphic
field (``^GFA``).
"""

import functools
import re

from . import label_plan as lp
from .arabic_text import has_arabic, text_image

# dots per millimetre: Zebra's 203 dpi heads have 8, 300 dpi heads 12
DOTS_PER_MM = {203: 8, 300: 12}
# font 0 (CG Triumvirate Bold Condensed) is about this wide per character, as a
# share of its height: text longer than its box is cut to that many characters
FONT0_CHAR_WIDTH = 0.56
# Code128 module (narrow bar) width, in dots
BARCODE_MODULE = {203: 3, 300: 4}
# QR codes, byte mode, error correction M: the longest text each version holds
QR_CAPACITY_M = (14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362)
ZPL_SPECIAL = ("^", "~", "_")
# PIL's 1-bit images are 1 = white, ZPL's graphic fields 1 = black
INVERT = bytes(255 - value for value in range(256))
RUN_RE = re.compile(r"([0-9A-F])\1+")


def _escape(text):
    """``^FD`` data: the command characters are replaced by ``^FH`` hex escapes."""
    if not any(char in text for char in ZPL_SPECIAL):
        return "^FD" + text
    escaped = "".join(
        f"_{ord(char):02X}" if char in ZPL_SPECIAL else char for char in text
    )
    return "^FH_^FD" + escaped


@functools.lru_cache(maxsize=2048)
def _repeat(count, char):
    """ZPL ASCII compression of ``count`` times ``char``: counts of 20 to 400 are
    the letters g..z, counts of 1 to 19 G..Y."""
    if count == 1:
        return char
    codes = []
    while count > 400:
        codes.append("z" + char)
        count -= 400
    tens, units = divmod(count, 20)
    prefix = (chr(ord("f") + tens) if tens else "") + (
        chr(ord("F") + units) if units else ""
    )
    codes.append(prefix + char)
    return "".join(codes)


def compress_row(row, previous):
    """One row of hex digits in ZPL ASCII compression: ``:`` repeats the previous
    row, ``,`` fills the rest with white, ``!`` with black, and runs of a digit get
    a repeat count."""
    if row == previous:
        return ":"
    stripped = row.rstrip("0")
    tail = ","
    if len(stripped) == len(row):
        stripped = row.rstrip("F")
        tail = "!" if len(stripped) < len(row) else ""
    return RUN_RE.sub(_compress_run, stripped) + tail


def _compress_run(match):
    run = match.group(0)
    return _repeat(len(run), run[0])


def graphic_field(image):
    """A 1-bit ``PIL`` image (0 = black) as a ``^GFA`` graphic field (1 = black
    dot), rows in ZPL ASCII compression."""
    width, height = image.size
    row_bytes = (width + 7) // 8
    data = image.tobytes().translate(INVERT).hex().upper()
    rows = [data[i : i + row_bytes * 2] for i in range(0, len(data), row_bytes * 2)]
    compressed = []
    previous = None
    for row in rows:
        compressed.append(compress_row(row, previous))
        previous = row
    total = row_bytes * height
    return f"^GFA,{total},{total},{row_bytes},{''.join(compressed)}"


@functools.lru_cache(maxsize=1024)
def _text_field(text, size, max_width, bold):
    """``text`` drawn as a graphic field, and its width in dots (cached: the same
    names and cities come back on many labels of a batch)."""
    image = text_image(text, size, max_width, bold=bold, fill_width=False)
    return graphic_field(image), image.size[0]


def qr_modules(value):
    """The side of the QR code of ``value`` in modules (error correction M)."""
    length = len(value.encode())
    for version, capacity in enumerate(QR_CAPACITY_M, start=1):
        if length <= capacity:
            return 17 + 4 * version
    return 17 + 4 * 20


class ZplLabelBuilder:
    """Build ZPL for a :class:`~.label_data.LabelLayout` (its ``dpi``: 203 or
    300)."""

    def __init__(self, layout):
        if layout.dpi not in DOTS_PER_MM:
            raise ValueError(f"ZPL labels are 203 or 300 dpi, not {layout.dpi}")
        self.layout = layout
        self.dpmm = DOTS_PER_MM[layout.dpi]

    def dots(self, mm):
        return int(round(mm * self.dpmm))

    def build(self, data):
        """One label (``^XA`` to ``^XZ``) as bytes."""
        width, height = self.layout.width_mm, self.layout.height_mm
        commands = [
            "^XA",
            "^CI28",
            f"^PW{self.dots(width)}",
            f"^LL{self.dots(height)}",
            "^LH0,0",
        ]
        for item in lp.plan(data, self.layout, width, height):
            commands.append(getattr(self, f"_{type(item).__name__.lower()}")(item))
        commands.append("^XZ")
        return ("\n".join(command for command in commands if command) + "\n").encode()

    def build_many(self, labels):
        """Many labels, one format each, in order, as one stream."""
        return b"".join(self.build(data) for data in labels)

    # one method per plan item -------------------------------------------------------
    def _text(self, item):
        if not item.text:
            return ""
        x, y = self.dots(item.x), self.dots(item.y)
        width, size = self.dots(item.width), self.dots(item.size)
        reverse = "^FR" if item.reverse else ""
        if has_arabic(item.text):
            field, image_width = _text_field(item.text, size, width, item.bold)
            if item.align == "right":
                x += width - image_width
            elif item.align == "center":
                x += (width - image_width) // 2
            return f"^FO{x},{y}{reverse}{field}^FS"
        max_chars = max(int(width / (size * FONT0_CHAR_WIDTH)), 1)
        text = item.text[:max_chars]
        block = ""
        if item.align != "left":
            block = f"^FB{width},1,0,{'R' if item.align == 'right' else 'C'},0"
        return f"^FO{x},{y}^A0N,{size},{size}{block}{reverse}{_escape(text)}^FS"

    def _line(self, item):
        thickness = max(self.dots(item.thickness), 1)
        return (
            f"^FO{self.dots(item.x)},{self.dots(item.y)}"
            f"^GB{self.dots(item.width)},{thickness},{thickness}^FS"
        )

    def _box(self, item):
        width, height = self.dots(item.width), self.dots(item.height)
        thickness = min(width, height) if item.filled else self.dots(item.thickness)
        return (
            f"^FO{self.dots(item.x)},{self.dots(item.y)}"
            f"^GB{width},{height},{max(thickness, 1)}^FS"
        )

    def _barcode(self, item):
        value = item.value.replace(">", "><")
        # subset B (">:"): 11 modules per character, start and check characters,
        # and the 13-module stop pattern
        modules = 11 * (len(item.value) + 2) + 13
        available = self.dots(item.width)
        module = max(min(BARCODE_MODULE[self.layout.dpi], available // modules), 1)
        x = self.dots(item.x) + max((available - modules * module) // 2, 0)
        return (
            f"^BY{module},3,{self.dots(item.height)}\n"
            f"^FO{x},{self.dots(item.y)}^BCN,{self.dots(item.height)},Y,N,N"
            f"{_escape('>:' + value)}^FS"
        )

    def _qrcode(self, item):
        magnification = max(min(self.dots(item.size) // qr_modules(item.value), 10), 1)
        # printers move a QR code down by the current ^BY bar height: reset it first
        return (
            "^BY2,3,1\n"
            f"^FO{self.dots(item.x)},{self.dots(item.y)}^BQN,2,{magnification}"
            f"{_escape('MA,' + item.value)}^FS"
        )

    def _logo(self, item):
        # the company logo is printed on PDF labels only: thermal labels keep their
        # dots for the codes
        return ""


def render_labels(labels, layout):
    """ZPL for ``labels`` (a list of :class:`~.label_data.LabelData`) in order."""
    return ZplLabelBuilder(layout).build_many(labels)
