# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""ESC/POS parcel slips for 80 mm (and 58 mm) receipt printers, with python-escpos.

Receipt paper is a stream: the blocks of the label come one under the other, the
sort code in large type, the tracking number as a Code128 barcode printed by the
printer, the tracking link as a native QR code, then a cut. Text with Arabic letters
is shaped and printed as a raster image (receipt printer fonts cannot join Arabic).
"""

import contextlib
import io

from escpos.printer import Dummy
from PIL import ImageOps

from .arabic_text import has_arabic, text_image
from .label_data import RETURN_BANNER

# printable dots and characters of font A per line, by paper width
PAPER = {80: (576, 48), 58: (384, 32)}
TEXT_DOTS = 24  # font A is 12 x 24 dots


class EscposLabelBuilder:
    def __init__(self, layout):
        self.layout = layout
        paper = 80 if layout.width_mm >= 70 else 58
        self.dots, self.chars = PAPER[paper]

    def _printer(self):
        printer = Dummy()
        # the paper width, for images; on this instance only (profiles are shared)
        printer.profile.profile_data = dict(
            printer.profile.profile_data,
            media={"width": {"mm": self.dots // 8, "pixels": self.dots}, "dpi": 203},
        )
        return printer

    def build(self, data):
        return self.build_many([data])

    def build_many(self, labels):
        printer = self._printer()
        # python-escpos prints "Using hardware barcode renderer" on stdout for every
        # barcode; Odoo logs on stderr
        with contextlib.redirect_stdout(io.StringIO()):
            for data in labels:
                self._label(printer, data)
        return printer.output

    # --------------------------------------------------------------------------------
    def _line(self, printer, text, bold=False, align="left", size=1):
        """One line of text, cut to the paper width; Arabic as an image."""
        if not text:
            return
        if has_arabic(text):
            image = text_image(
                text,
                TEXT_DOTS * size,
                max_width_px=self.dots,
                bold=bold,
                align="right" if align == "left" else align,
            )
            printer.image(image, impl="bitImageRaster")
            return
        printer.set(
            align=align,
            bold=bold,
            normal_textsize=size == 1,
            double_width=size >= 2,
            double_height=size >= 2,
        )
        printer.text(text[: self.chars // size] + "\n")

    def _rule(self, printer):
        printer.set(align="left", bold=False, normal_textsize=True)
        printer.text("-" * self.chars + "\n")

    def _address(self, printer, caption, block, name_size):
        self._line(printer, caption)
        self._line(printer, block.name, bold=True, size=name_size)
        for line in block.lines:
            self._line(printer, line)
        if self.layout.show_phone and block.phone:
            self._line(printer, block.phone, bold=True)

    def _label(self, printer, data):
        layout = self.layout
        captions = layout.captions
        printer.hw("INIT")
        self._line(printer, data.company_name, bold=True, align="center")
        self._line(printer, f"{data.service}  {data.date_text}", align="center")
        self._line(
            printer,
            f"{captions['parcel']} {data.parcel_count}",
            bold=True,
            align="center",
        )
        if data.is_return:
            banner = text_image(RETURN_BANNER, TEXT_DOTS * 2, self.dots, align="center")
            printer.image(ImageOps.invert(banner.convert("L")), impl="bitImageRaster")
        self._rule(printer)
        if layout.show_shipper:
            self._address(printer, captions["from"], data.shipper, 1)
            self._rule(printer)
        self._address(printer, captions["to"], data.recipient, 2)
        self._rule(printer)
        if layout.show_sort_code and data.sort_code:
            printer.set(align="center", bold=True, custom_size=True, width=4, height=4)
            printer.text(data.sort_code[: self.chars // 4] + "\n")
            if data.zone_code and data.zone_code != data.sort_code:
                self._line(printer, data.zone_code, bold=True, align="center", size=2)
        self._line(printer, f"{captions['weight']}: {data.weight_text}")
        if layout.show_cod and data.cod_amount is not None:
            self._line(printer, captions["cod"], bold=True)
            printer.set(
                align="left",
                invert=True,
                bold=True,
                double_width=True,
                double_height=True,
            )
            printer.text(f" {data.cod_text} "[: self.chars // 2] + "\n")
            printer.set(invert=False, normal_textsize=True, bold=False)
        self._rule(printer)
        printer.set(align="center", normal_textsize=True, bold=False)
        printer.barcode(
            "{B" + data.tracking_number,
            "CODE128",
            height=80,
            width=3 if self.dots >= 576 else 2,
            pos="BELOW",
            function_type="B",
        )
        if layout.show_qr and data.qr_url:
            printer.set(align="center")
            printer.qr(data.qr_url, native=True, size=6 if self.dots >= 576 else 4)
        if layout.show_reference and data.reference:
            self._line(printer, f"{captions['reference']} {data.reference}")
        if layout.show_contents and data.contents:
            self._line(printer, f"{captions['contents']}: {data.contents}")
        printer.cut()


def render_labels(labels, layout):
    """ESC/POS bytes for ``labels`` (a list of :class:`~.label_data.LabelData`), in
    order, each ending with a paper cut."""
    return EscposLabelBuilder(layout).build_many(labels)
