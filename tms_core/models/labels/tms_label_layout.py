# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...tools.label_data import LabelLayout

# label sizes in millimetres; "a4" is a sheet of several labels
PAPER_FORMATS = [
    ("100x150", '100 × 150 mm (4 × 6")'),
    ("100x100", "100 × 100 mm"),
    ("a6", "A6 (105 × 148 mm)"),
    ("a4", "A4 sheet, several labels per page"),
]
PAPER_SIZES = {"100x150": (100, 150), "100x100": (100, 100), "a6": (105, 148)}
A4_SIZE = (210, 297)


class TmsLabelLayout(models.Model):
    """What a parcel label shows and its size, set per company without code.

    The same layout serves every format: a PDF uses its size (or the A4 sheet grid);
    a ZPL or ESC/POS printer prints the same blocks on its own label or paper size
    when the layout is an A4 sheet.
    """

    _name = "tms.label.layout"
    _description = "Label Layout"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Empty: a layout every company can use.",
    )
    is_default = fields.Boolean(
        string="Default",
        help="The company's layout when a user or printer does not name one.",
    )
    paper_format = fields.Selection(
        PAPER_FORMATS, string="Size", required=True, default="100x150"
    )
    sheet_columns = fields.Integer(
        string="Columns", default=2, help="Labels across an A4 page."
    )
    sheet_rows = fields.Integer(
        string="Rows", default=2, help="Labels down an A4 page."
    )
    lang = fields.Selection(
        selection="_lang_get",
        string="Language",
        help="The language of the label's captions (From, To, Cash on delivery…); "
        "the user's language when empty. Names and addresses print as they are, "
        "Arabic right to left.",
    )
    show_logo = fields.Boolean(string="Company Logo", default=True)
    show_shipper = fields.Boolean(string="Shipper", default=True)
    show_phone = fields.Boolean(string="Recipient Phone", default=True)
    show_reference = fields.Boolean(string="Shipper's Reference", default=True)
    show_contents = fields.Boolean(string="Contents Summary", default=False)
    show_cod = fields.Boolean(
        string="Cash on Delivery", default=True, help="Printed only when there is one."
    )
    show_sort_code = fields.Boolean(
        string="Sort Code",
        default=True,
        help="The destination hub and zone codes in large type, for sorting.",
    )
    show_qr = fields.Boolean(
        string="Tracking QR Code",
        default=True,
        help="A QR code with the parcel's public tracking link.",
    )

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    @api.constrains("sheet_columns", "sheet_rows", "paper_format")
    def _check_sheet(self):
        for layout in self:
            if layout.paper_format == "a4" and not (
                1 <= layout.sheet_columns <= 4 and 1 <= layout.sheet_rows <= 8
            ):
                raise ValidationError(
                    self.env._(
                        "An A4 sheet holds 1 to 4 columns and 1 to 8 rows of labels."
                    )
                )

    @api.constrains("is_default", "company_id")
    def _check_one_default(self):
        for layout in self.filtered("is_default"):
            others = self.search_count(
                [
                    ("id", "!=", layout.id),
                    ("is_default", "=", True),
                    ("company_id", "=", layout.company_id.id),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(company)s already has a default label layout.",
                        company=layout.company_id.display_name
                        or self.env._("Every company"),
                    )
                )

    @api.model
    def _tms_default_layout(self, company=None):
        """The company's default layout, else a shared default, else any layout."""
        company = company or self.env.company
        layouts = self.search(
            [("company_id", "in", [company.id, False])],
            order="is_default desc, company_id, sequence, id",
            limit=1,
        )
        return layouts

    def _tms_tool_layout(self, label_format, printer=None):
        """The plain :class:`LabelLayout` the label builders take, for one format."""
        self.ensure_one()
        if self.paper_format == "a4":
            size = (printer.width_mm, printer.height_mm) if printer else (100, 150)
        else:
            size = PAPER_SIZES[self.paper_format]
        columns = rows = 1
        page_size = size
        if label_format == "pdf" and self.paper_format == "a4":
            columns, rows = self.sheet_columns, self.sheet_rows
            page_size = A4_SIZE
            size = (A4_SIZE[0] / columns, A4_SIZE[1] / rows)
        if label_format == "escpos":
            size = (printer.width_mm if printer else 80, size[1])
        dpi = printer.dpi if printer and printer.language == "zpl" else 203
        lang = self.lang or self.env.lang
        return LabelLayout(
            width_mm=size[0],
            height_mm=size[1],
            page_width_mm=page_size[0],
            page_height_mm=page_size[1],
            columns=columns,
            rows=rows,
            dpi=dpi,
            show_logo=self.show_logo,
            show_shipper=self.show_shipper,
            show_phone=self.show_phone,
            show_reference=self.show_reference,
            show_contents=self.show_contents,
            show_cod=self.show_cod,
            show_sort_code=self.show_sort_code,
            show_qr=self.show_qr,
            captions=self.with_context(lang=lang)._tms_captions(),
        )

    def _tms_captions(self):
        _ = self.env._
        return {
            "from": _("From"),
            "to": _("To"),
            "cod": _("Cash on delivery"),
            "weight": _("Weight"),
            "parcel": _("Parcel"),
            "service": _("Service"),
            "reference": _("Ref."),
            "contents": _("Contents"),
            "date": _("Date"),
            "return": _("RETURN"),
        }
