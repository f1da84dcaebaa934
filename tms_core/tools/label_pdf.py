# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""PDF labels with reportlab: one 100 x 150 mm (4 x 6") label per page for thermal
printers, or A4 sheets of several labels for office printers.

Text is drawn with a TrueType font that has Latin and Arabic glyphs (DejaVu Sans, see
:mod:`.arabic_text`); Arabic is shaped and reordered first, so names and addresses
read right to left with joined letters. The tracking number is a Code128 barcode
with its human-readable line, the tracking link a QR code.
"""

import functools
import io

import qrcode
from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from . import label_plan as lp
from .arabic_text import font_path, has_arabic, shape

FONT = "TmsLabelSans"
FONT_BOLD = "TmsLabelSans-Bold"
# narrowest Code128 bar we draw (below 0.25 mm thermal heads and scanners struggle)
MIN_BAR_WIDTH = 0.25 * mm
MAX_BAR_WIDTH = 0.40 * mm
# a font's cap height is about this share of its size: plan sizes are cell heights
ASCENT = 0.78


@functools.lru_cache(maxsize=4)
def register_fonts(path=None, bold_path=None):
    """Register the label fonts with reportlab once per process."""
    pdfmetrics.registerFont(TTFont(FONT, font_path(False, path)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, font_path(True, bold_path)))
    return FONT, FONT_BOLD


class PdfLabelBuilder:
    def __init__(self, layout, font=None, bold_font=None):
        self.layout = layout
        self._font_paths = {False: font, True: bold_font}
        register_fonts(font, bold_font)
        self._images = {}

    def build(self, data):
        return self.build_many([data])

    def build_many(self, labels):
        """All ``labels`` in order, ``layout.labels_per_page`` to a page."""
        layout = self.layout
        page_width, page_height = layout.page_width_mm, layout.page_height_mm
        buffer = io.BytesIO()
        pdf = canvas.Canvas(
            buffer,
            pagesize=(page_width * mm, page_height * mm),
            invariant=1,
            pageCompression=1,
        )
        pdf.setTitle("Labels")
        per_page = layout.labels_per_page
        for index, data in enumerate(labels):
            slot = index % per_page
            if index and not slot:
                pdf.showPage()
            left = (slot % layout.columns) * layout.width_mm
            top = (slot // layout.columns) * layout.height_mm
            for item in lp.plan(data, layout):
                getattr(self, f"_{type(item).__name__.lower()}")(pdf, item, left, top)
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()

    # ---------------------------------------------------------------------------------
    def _x(self, left, x):
        return (left + x) * mm

    def _y(self, top, y):
        """PDF y (from the page bottom) of ``y`` mm below the label's top."""
        return (self.layout.page_height_mm - top - y) * mm

    def _text(self, pdf, item, left, top):
        if not item.text:
            return
        text = item.text
        if has_arabic(text):
            text = shape(text, item.bold, self._font_paths[bool(item.bold)])
        font = FONT_BOLD if item.bold else FONT
        size = item.size * mm
        width = item.width * mm
        text_width = pdfmetrics.stringWidth(text, font, size)
        if text_width > width:
            # shrink to fit, down to 70 %, then cut (from the end of the reading
            # direction: the left of a right-to-left line)
            size = max(size * width / text_width, item.size * mm * 0.7)
            while text and pdfmetrics.stringWidth(text, font, size) > width:
                text = text[1:] if has_arabic(item.text) else text[:-1]
        baseline = self._y(top, item.y) - size * ASCENT
        pdf.setFont(font, size)
        pdf.setFillGray(1 if item.reverse else 0)
        x = self._x(left, item.x)
        if item.align == "right":
            pdf.drawRightString(x + width, baseline, text)
        elif item.align == "center":
            pdf.drawCentredString(x + width / 2, baseline, text)
        else:
            pdf.drawString(x, baseline, text)
        pdf.setFillGray(0)

    def _line(self, pdf, item, left, top):
        pdf.setLineWidth(item.thickness * mm)
        y = self._y(top, item.y)
        pdf.line(self._x(left, item.x), y, self._x(left, item.x + item.width), y)

    def _box(self, pdf, item, left, top):
        pdf.setLineWidth(item.thickness * mm)
        pdf.rect(
            self._x(left, item.x),
            self._y(top, item.y + item.height),
            item.width * mm,
            item.height * mm,
            stroke=1,
            fill=1 if item.filled else 0,
        )

    def _barcode(self, pdf, item, left, top):
        text_size = item.text_size * mm
        barcode = code128.Code128(
            item.value,
            barWidth=MAX_BAR_WIDTH,
            barHeight=item.height * mm,
            humanReadable=True,
            fontName=FONT,
            fontSize=text_size,
        )
        available = item.width * mm
        if barcode.width > available:
            bar_width = max(MAX_BAR_WIDTH * available / barcode.width, MIN_BAR_WIDTH)
            barcode = code128.Code128(
                item.value,
                barWidth=bar_width,
                barHeight=item.height * mm,
                humanReadable=True,
                fontName=FONT,
                fontSize=text_size,
            )
        x = self._x(left, item.x) + max((available - barcode.width) / 2, 0)
        barcode.drawOn(pdf, x, self._y(top, item.y + item.height))

    def _qrcode(self, pdf, item, left, top):
        # qrcode computes the matrix (several times faster than reportlab's QR
        # widget, which makes it twice); each run of dark modules is one rectangle
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, border=2
        )
        code.add_data(item.value)
        code.make(fit=True)
        matrix = code.get_matrix()
        module = item.size * mm / len(matrix)
        x0 = self._x(left, item.x)
        y0 = self._y(top, item.y)
        path = pdf.beginPath()
        for row_index, row in enumerate(matrix):
            y = y0 - (row_index + 1) * module
            start = None
            for col_index, dark in enumerate([*row, False]):
                if dark and start is None:
                    start = col_index
                elif not dark and start is not None:
                    path.rect(
                        x0 + start * module, y, (col_index - start) * module, module
                    )
                    start = None
        pdf.setFillGray(0)
        pdf.drawPath(path, stroke=0, fill=1)

    def _logo(self, pdf, item, left, top):
        key = hash(item.data)
        if key not in self._images:
            self._images[key] = ImageReader(io.BytesIO(item.data))
        pdf.drawImage(
            self._images[key],
            self._x(left, item.x),
            self._y(top, item.y + item.height),
            item.width * mm,
            item.height * mm,
            preserveAspectRatio=True,
            anchor="w",
            mask="auto",
        )


def render_labels(labels, layout):
    """A PDF of ``labels`` (a list of :class:`~.label_data.LabelData`), in order."""
    return PdfLabelBuilder(layout).build_many(labels)
