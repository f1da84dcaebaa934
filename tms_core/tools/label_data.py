# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a parcel label says and how it is laid out, as plain data.

The models fill :class:`LabelData` from a parcel and :class:`LabelLayout` from a
``tms.label.layout``; the builders (``label_zpl``, ``label_escpos``, ``label_pdf``)
turn them into bytes and know nothing of the ORM.
"""

import datetime
from dataclasses import dataclass, field

DEFAULT_CAPTIONS = {
    "from": "From",
    "to": "To",
    "cod": "Cash on delivery",
    "weight": "Weight",
    "parcel": "Parcel",
    "service": "Service",
    "reference": "Ref.",
    "contents": "Contents",
    "date": "Date",
    "return": "RETURN",
}
# the return banner says it in the three languages of the suite, whatever the layout's
RETURN_BANNER = "RETOUR / RETURN / إرجاع"


@dataclass
class LabelAddress:
    """A shipper or recipient block: a name, address lines and a phone number."""

    name: str = ""
    lines: list[str] = field(default_factory=list)
    phone: str = ""


@dataclass
class LabelData:
    tracking_number: str
    qr_url: str = ""
    shipper: LabelAddress = field(default_factory=LabelAddress)
    recipient: LabelAddress = field(default_factory=LabelAddress)
    service: str = ""
    weight: float = 0.0
    index: int = 1
    count: int = 1
    cod_amount: float | None = None
    cod_currency: str = ""
    sort_code: str = ""
    zone_code: str = ""
    date: datetime.date | None = None
    company_name: str = ""
    logo: bytes | None = None
    reference: str = ""
    contents: str = ""
    is_return: bool = False
    # "rtl" when the label's captions are in a right-to-left language (Arabic)
    direction: str = "ltr"

    @property
    def parcel_count(self):
        """The parcel's place in its shipment, like "2/3"."""
        return f"{self.index}/{self.count}"

    @property
    def weight_text(self):
        return f"{self.weight:.2f} kg"

    @property
    def cod_text(self):
        if self.cod_amount is None:
            return ""
        return f"{self.cod_amount:.2f} {self.cod_currency}".strip()

    @property
    def date_text(self):
        return self.date.strftime("%d/%m/%Y") if self.date else ""


@dataclass
class LabelLayout:
    """Size and blocks of a label.

    ``width_mm``/``height_mm`` is one label; a PDF page of ``page_width_mm`` x
    ``page_height_mm`` holds ``columns`` x ``rows`` of them (an A4 sheet) or one.
    ``dpi`` is the ZPL printer's resolution (203 or 300).
    """

    width_mm: float = 100
    height_mm: float = 150
    page_width_mm: float | None = None
    page_height_mm: float | None = None
    columns: int = 1
    rows: int = 1
    dpi: int = 203
    show_logo: bool = True
    show_shipper: bool = True
    show_phone: bool = True
    show_reference: bool = True
    show_contents: bool = False
    show_cod: bool = True
    show_sort_code: bool = True
    show_qr: bool = True
    captions: dict = field(default_factory=lambda: dict(DEFAULT_CAPTIONS))

    def __post_init__(self):
        self.page_width_mm = self.page_width_mm or self.width_mm
        self.page_height_mm = self.page_height_mm or self.height_mm
        self.captions = dict(DEFAULT_CAPTIONS, **(self.captions or {}))

    @property
    def labels_per_page(self):
        return self.columns * self.rows
