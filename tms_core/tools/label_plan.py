# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Where each block of a label goes, in millimetres from the top-left corner.

The ZPL and PDF builders draw the same plan, so a label looks the same on a thermal
printer and on paper; each builder fits the text into the given widths with its own
fonts. ESC/POS paper is a stream, not a page: its builder prints the blocks in the
same order without a plan.
"""

from dataclasses import dataclass

from .arabic_text import has_arabic
from .label_data import RETURN_BANNER

MARGIN = 3.0
# labels lower than this get the compact sizes (100 x 100 mm, A4 sheets of 6)
COMPACT_HEIGHT = 120


@dataclass
class Text:
    x: float
    y: float
    width: float
    size: float
    text: str
    bold: bool = False
    align: str = "left"
    reverse: bool = False


@dataclass
class Line:
    x: float
    y: float
    width: float
    thickness: float = 0.3


@dataclass
class Box:
    x: float
    y: float
    width: float
    height: float
    thickness: float = 0.3
    filled: bool = False


@dataclass
class Barcode:
    """A Code128 barcode centred in ``width``, the human-readable line below it."""

    x: float
    y: float
    width: float
    height: float
    value: str
    text_size: float = 3.0


@dataclass
class QrCode:
    x: float
    y: float
    size: float
    value: str


@dataclass
class Logo:
    x: float
    y: float
    width: float
    height: float
    data: bytes


def _sizes(height):
    if height < COMPACT_HEIGHT:
        return {
            "caption": 2.2,
            "small": 2.6,
            "text": 3.0,
            "name": 3.8,
            "sort": 10.0,
            "zone": 4.0,
            "barcode": 12.0,
            "qr": 17.0,
            "cod": 4.5,
            "header": 3.2,
            "gap": 1.0,
            "address_lines": 2,
        }
    return {
        "caption": 2.5,
        "small": 3.0,
        "text": 3.6,
        "name": 4.8,
        "sort": 15.0,
        "zone": 5.0,
        "barcode": 18.0,
        "qr": 22.0,
        "cod": 6.0,
        "header": 4.0,
        "gap": 1.5,
        "address_lines": 3,
    }


def _address_block(items, x, y, width, data_block, caption, s, layout, name_size, size):
    """Caption, name, address lines and phone; returns the y below the block."""
    items.append(Text(x, y, width, s["caption"], caption, align=_align(caption)))
    y += s["caption"] + 0.6
    if data_block.name:
        items.append(
            Text(
                x,
                y,
                width,
                name_size,
                data_block.name,
                bold=True,
                align=_align(data_block.name),
            )
        )
        y += name_size + 0.8
    for line in data_block.lines[: s["address_lines"]]:
        items.append(Text(x, y, width, size, line, align=_align(line)))
        y += size + 0.6
    if layout.show_phone and data_block.phone:
        items.append(Text(x, y, width, size, data_block.phone, bold=True))
        y += size + 0.6
    return y


def _align(text):
    return "right" if has_arabic(text) else "left"


def plan(data, layout, width=None, height=None):
    """The drawing plan of one label: a list of :class:`Text`, :class:`Line`,
    :class:`Box`, :class:`Barcode`, :class:`QrCode` and :class:`Logo`."""
    width = width or layout.width_mm
    height = height or layout.height_mm
    captions = layout.captions
    s = _sizes(height)
    x = MARGIN
    inner = width - 2 * MARGIN
    items = []
    y = MARGIN
    # header: logo and company name, date; service and parcel count
    name_x = x
    if layout.show_logo and data.logo:
        logo_height = s["header"] * 2 + 1
        items.append(Logo(x, y, logo_height * 2, logo_height, data.logo))
        name_x = x + logo_height * 2 + 2
    header_width = x + inner - name_x
    items.append(
        Text(name_x, y, header_width * 0.65, s["header"], data.company_name, bold=True)
    )
    items.append(
        Text(
            name_x + header_width * 0.65,
            y,
            header_width * 0.35,
            s["small"],
            data.date_text,
            align="right",
        )
    )
    y += s["header"] + 1
    items.append(
        Text(name_x, y, header_width * 0.65, s["header"], data.service, bold=True)
    )
    items.append(
        Text(
            name_x + header_width * 0.65,
            y,
            header_width * 0.35,
            s["header"],
            f"{captions['parcel']} {data.parcel_count}",
            bold=True,
            align="right",
        )
    )
    y += s["header"] + s["gap"]
    if data.is_return:
        banner = s["header"] + 3
        items.append(Box(x, y, inner, banner, filled=True))
        items.append(
            Text(
                x + 1,
                y + 1.5,
                inner - 2,
                s["header"],
                RETURN_BANNER,
                bold=True,
                align="center",
                reverse=True,
            )
        )
        y += banner + s["gap"]
    items.append(Line(x, y, inner))
    y += s["gap"]
    if layout.show_shipper:
        y = _address_block(
            items,
            x,
            y,
            inner,
            data.shipper,
            captions["from"],
            s,
            layout,
            s["text"],
            s["small"],
        )
        y += s["gap"] - 0.6
        items.append(Line(x, y, inner))
        y += s["gap"]
    y = _address_block(
        items,
        x,
        y,
        inner,
        data.recipient,
        captions["to"],
        s,
        layout,
        s["name"],
        s["text"],
    )
    y += s["gap"] - 0.6
    items.append(Line(x, y, inner, thickness=0.5))
    y += s["gap"]
    # sorting row: hub code in large type; weight and cash on delivery on the right
    row_top = y
    left_width = inner * 0.55
    row_height = s["sort"] + s["zone"] + 1
    if layout.show_sort_code and data.sort_code:
        items.append(Text(x, y, left_width, s["sort"], data.sort_code, bold=True))
        if data.zone_code and data.zone_code != data.sort_code:
            items.append(
                Text(x, y + s["sort"] + 1, left_width, s["zone"], data.zone_code)
            )
    right_x = x + left_width + 2
    right_width = inner - left_width - 2
    items.append(
        Text(
            right_x,
            y,
            right_width,
            s["text"],
            f"{captions['weight']}: {data.weight_text}",
        )
    )
    y += s["text"] + 1.5
    if layout.show_cod and data.cod_amount is not None:
        cod_height = s["caption"] + s["cod"] + 3
        items.append(Box(right_x, y, right_width, cod_height, thickness=0.6))
        items.append(
            Text(right_x + 1.5, y + 1, right_width - 3, s["caption"], captions["cod"])
        )
        items.append(
            Text(
                right_x + 1.5,
                y + s["caption"] + 2,
                right_width - 3,
                s["cod"],
                data.cod_text,
                bold=True,
            )
        )
        y += cod_height
    y = max(y, row_top + row_height) + s["gap"]
    items.append(Line(x, y, inner, thickness=0.5))
    y += s["gap"] + 0.5
    items.append(Barcode(x, y, inner, s["barcode"], data.tracking_number))
    y += s["barcode"] + 3.0 + 1.0 + s["gap"]
    # bottom: QR code with the tracking link; reference and contents beside it
    text_x = x
    if layout.show_qr and data.qr_url:
        qr = min(s["qr"], height - MARGIN - y)
        if qr >= 12:
            items.append(QrCode(x, y, qr, data.qr_url))
            text_x = x + qr + 2
    text_width = x + inner - text_x
    if layout.show_reference and data.reference:
        items.append(
            Text(
                text_x,
                y,
                text_width,
                s["small"],
                f"{captions['reference']} {data.reference}",
            )
        )
        y += s["small"] + 0.8
    if layout.show_contents and data.contents:
        items.append(
            Text(
                text_x,
                y,
                text_width,
                s["small"],
                f"{captions['contents']}: {data.contents}",
            )
        )
    return items
