# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import logging
import re
from collections import defaultdict

from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import plaintext2html
from odoo.tools.translate import LazyTranslate

from ..tools import spreadsheet

_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

# Imports of up to this many rows run in the user's request; bigger ones run as
# background jobs, one per chunk of about CHUNK_ROWS rows (an order's rows are never
# split between two chunks), chained.
SYNC_ROW_LIMIT = 200
CHUNK_ROWS = 1000
# parcels created per call of tms.parcel.create()
CREATE_BATCH = 500

# The fields a spreadsheet's columns can fill, in the template's order:
# (key, label, required, help, example)
IMPORT_FIELDS = [
    (
        "client_reference",
        _lt("Order Reference"),
        True,
        _lt(
            "Your order number. Rows with the same order number make one parcel "
            "holding each row's product."
        ),
        "CMD-1001",
    ),
    ("recipient_name", _lt("Recipient Name"), True, _lt("Who receives it."), "Fatima"),
    (
        "phone",
        _lt("Phone"),
        True,
        _lt(
            "The recipient's mobile number, national (0612345678) or international "
            "(+212612345678)."
        ),
        "0612345678",
    ),
    ("email", _lt("Email"), False, _lt("For tracking emails."), ""),
    (
        "street",
        _lt("Address"),
        True,
        _lt("Street and number."),
        "12 Rue Ibnou Mounir",
    ),
    (
        "street2",
        _lt("Address Line 2"),
        False,
        _lt("District, building, floor."),
        "Maarif",
    ),
    ("city", _lt("City"), True, _lt("Delivery city."), "Casablanca"),
    ("zip", _lt("ZIP"), False, _lt("Postal code."), "20250"),
    (
        "country",
        _lt("Country"),
        False,
        _lt("Code (MA) or name; the company's country when empty."),
        "MA",
    ),
    (
        "weight",
        _lt("Weight (kg)"),
        False,
        _lt("The parcel's weight; a decimal comma is fine (1,5)."),
        "1.5",
    ),
    ("length", _lt("Length (cm)"), False, _lt("Optional."), ""),
    ("width", _lt("Width (cm)"), False, _lt("Optional."), ""),
    ("height", _lt("Height (cm)"), False, _lt("Optional."), ""),
    (
        "cod_amount",
        _lt("COD Amount"),
        False,
        _lt("Cash to collect on delivery; 0 or empty for a paid order."),
        "299",
    ),
    (
        "declared_value",
        _lt("Declared Value"),
        False,
        _lt("Value of the contents, for insurance."),
        "",
    ),
    (
        "service",
        _lt("Service"),
        False,
        _lt(
            "Code (STD) or name of the delivery service; the import's default "
            "service when empty."
        ),
        "STD",
    ),
    (
        "product",
        _lt("Product / Description"),
        False,
        _lt("A product's internal reference (SKU), or what the parcel holds."),
        "Caftan",
    ),
    ("quantity", _lt("Quantity"), False, _lt("Of the product; 1 when empty."), "1"),
    ("note", _lt("Note"), False, _lt("Delivery instructions."), ""),
]
REQUIRED_FIELDS = [
    key for key, _label, required, _help, _ex in IMPORT_FIELDS if required
]
# the columns' targets -> the paths of the intake schema (tms_core tools/intake.py)
TARGET_PATHS = {
    "client_reference": "reference",
    "recipient_name": "recipient.name",
    "phone": "recipient.phone",
    "email": "recipient.email",
    "street": "recipient.street",
    "street2": "recipient.street2",
    "city": "recipient.city",
    "zip": "recipient.zip",
    "country": "recipient.country",
    "weight": "weight",
    "length": "length",
    "width": "width",
    "height": "height",
    "cod_amount": "cod_amount",
    "declared_value": "declared_value",
    "service": "service",
    "note": "note",
    "product": "lines[0].description",
    "quantity": "lines[0].quantity",
}
NUMBER_TARGETS = ("weight", "length", "width", "height", "cod_amount", "declared_value")
# an order's line lands at lines[i]: its errors are named as the row's line
LINE_INDEX = re.compile(r"^lines\[\d+\]")


class TmsEcImport(models.Model):
    """A spreadsheet of orders turned into parcels: the file, how its columns map to
    parcel fields, each row checked (preview), then the parcels created, all or only
    the valid ones, in the request or in background jobs for big files."""

    _name = "tms.ec.import"
    _description = "Order Import"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, default="/")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Imported By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    shipper_id = fields.Many2one(
        "res.partner",
        string="Shipper",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        help="The merchant whose orders these are.",
    )
    service_id = fields.Many2one(
        "tms.service",
        string="Default Service",
        check_company=True,
        help="For the rows that name no service.",
    )
    file = fields.Binary(required=True, attachment=True, copy=False)
    file_name = fields.Char()
    header = fields.Json(string="Columns", readonly=True, copy=False)
    mapping = fields.Json(
        help="Column title -> field filled; columns not listed are ignored."
    )
    mode = fields.Selection(
        [
            ("all_or_nothing", "All or Nothing"),
            ("valid_only", "Valid Rows Only"),
        ],
        required=True,
        default="all_or_nothing",
        tracking=True,
        help="All or Nothing: one invalid row and no parcel is created. Valid Rows "
        "Only: the valid orders become parcels, the invalid rows are listed to be "
        "fixed and imported again.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("previewed", "Checked"),
            ("running", "Importing"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
    )
    line_ids = fields.One2many("tms.ec.import.line", "import_id", string="Rows")
    invalid_line_ids = fields.One2many(
        "tms.ec.import.line",
        "import_id",
        string="Rows to Fix",
        domain=[("state", "=", "invalid")],
        readonly=True,
    )
    rows_total = fields.Integer(string="Rows in File", readonly=True, copy=False)
    valid_count = fields.Integer(string="Valid Rows", readonly=True, copy=False)
    invalid_count = fields.Integer(string="Invalid Rows", readonly=True, copy=False)
    order_count = fields.Integer(
        string="Orders",
        readonly=True,
        copy=False,
        help="Parcels to create: the distinct order references of the valid rows.",
    )
    rows_to_import = fields.Integer(readonly=True, copy=False)
    rows_done = fields.Integer(string="Rows Imported", readonly=True, copy=False)
    progress = fields.Float(compute="_compute_progress", digits=(16, 1))
    created_count = fields.Integer(string="Parcels Created", readonly=True, copy=False)
    parcel_ids = fields.Many2many(
        "tms.parcel",
        "tms_ec_import_parcel_rel",
        "import_id",
        "parcel_id",
        string="Parcels",
        readonly=True,
        copy=False,
        help="The parcels the import created (cancelled ones included, when a failed "
        "import was undone).",
    )
    date_start = fields.Datetime(readonly=True, copy=False)
    date_done = fields.Datetime(readonly=True, copy=False)
    background = fields.Boolean(
        readonly=True, copy=False, help="Run by background jobs (big files)."
    )
    error_message = fields.Text(readonly=True, copy=False)

    # ----------------------------------------------------------------------------------
    # computes
    # ----------------------------------------------------------------------------------
    @api.depends("state", "rows_done", "rows_to_import")
    def _compute_progress(self):
        for record in self:
            if record.state == "done":
                record.progress = 100.0
            elif record.rows_to_import:
                record.progress = min(
                    100.0, 100.0 * record.rows_done / record.rows_to_import
                )
            else:
                record.progress = 0.0

    # ----------------------------------------------------------------------------------
    # CRUD
    # ----------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = vals.get("file_name") or self.env._("Order import")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running(self):
        if any(record.state == "running" for record in self):
            raise UserError(
                self.env._("An import is running: wait until it is done to delete it.")
            )

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_preview(self):
        """Check every row again (after a change of the file, mapping or service)."""
        for record in self:
            record._tms_preview()
        return True

    def action_import(self):
        """Create the parcels: in the request for small files, else in background
        jobs (the form shows the progress)."""
        self.ensure_one()
        self._tms_check_can_import()
        self._tms_recheck_duplicates()
        self._tms_check_can_import()
        self.write(
            {
                "state": "running",
                "rows_done": 0,
                "rows_to_import": self.valid_count,
                "created_count": 0,
                "date_start": fields.Datetime.now(),
                "date_done": False,
                "error_message": False,
                "background": self.valid_count > SYNC_ROW_LIMIT,
            }
        )
        if self.background:
            self._tms_log(
                self.env._(
                    "Import of %(count)s rows started in the background.",
                    count=self.valid_count,
                )
            )
            self._tms_enqueue_chunk()
        else:
            while self.state == "running" and self._tms_process_chunk():
                pass
        return True

    def action_open_wizard(self):
        """The "Import a File" button of the imports list: the web client calls it
        with the selected imports (none, usually), which the wizard ignores."""
        return self.env["ir.actions.act_window"]._for_xml_id(
            "tms_ec.tms_ec_import_wizard_action"
        )

    def action_view_parcels(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_parcel_action"
        )
        action["domain"] = [("id", "in", self.parcel_ids.ids)]
        action["context"] = {"create": False}
        return action

    def action_download_rejected(self):
        """The invalid rows as a CSV file (the file's columns plus the errors), to
        fix and import again."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/tms_ec/import/{self.id}/rejected.csv",
            "target": "download",
        }

    # ----------------------------------------------------------------------------------
    # business methods: fields and file
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_import_field_labels(self):
        """``{target: label}`` in the user's language, in the template's order."""
        return {key: self.env._(label) for key, label, *_rest in IMPORT_FIELDS}

    @api.model
    def _tms_template(self, file_format):
        """``(content, file name, mimetype)`` of the empty spreadsheet to fill."""
        labels = self._tms_import_field_labels()
        header = list(labels.values())
        if file_format == "csv":
            return (
                spreadsheet.write_csv(header),
                "orders-template.csv",
                "text/csv;charset=utf-8",
            )
        yes, no = self.env._("Yes"), self.env._("No")
        help_rows = [
            [
                self.env._("Column"),
                self.env._("Required"),
                self.env._("Description"),
                self.env._("Example"),
            ]
        ] + [
            [labels[key], yes if required else no, self.env._(help_text), example]
            for key, _label, required, help_text, example in IMPORT_FIELDS
        ]
        content = spreadsheet.write_xlsx(
            header,
            sheet_title=self.env._("Orders"),
            help_rows=help_rows,
            help_title=self.env._("Help"),
        )
        return (
            content,
            "orders-template.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    @api.model
    def _tms_read_file(self, data, file_name=""):
        """The :class:`~..tools.spreadsheet.Sheet` of a file, or a UserError saying
        why it cannot be read."""
        try:
            return spreadsheet.read_spreadsheet(data, file_name)
        except spreadsheet.SpreadsheetError as error:
            raise UserError(self._tms_file_error_message(error)) from error

    @api.model
    def _tms_file_error_message(self, error):
        params = error.params
        messages = {
            "empty": self.env._("The file is empty: it has no column titles."),
            "too_large": self.env._(
                "The file is too big (more than %(size)s MB): split it.",
                size=params.get("limit", 0) // (1024 * 1024),
            ),
            "too_many_rows": self.env._(
                "The file has more than %(limit)s rows: split it.",
                limit=params.get("limit"),
            ),
            "too_many_columns": self.env._(
                "The file has more than %(limit)s columns.", limit=params.get("limit")
            ),
            "xls": self.env._(
                "Old Excel files (.xls) cannot be read: save the file as .xlsx or "
                "CSV."
            ),
            "no_header": self.env._(
                "A column has no title: the first row of the file must give each "
                "column a title."
            ),
            "duplicate_header": self.env._(
                "Two columns have the title %(title)s: rename one.",
                title=params.get("header"),
            ),
        }
        return messages.get(
            error.code,
            self.env._(
                "The file cannot be read as CSV or XLSX: %(detail)s",
                detail=params.get("detail", error.code),
            ),
        )

    def _tms_rejected_csv(self):
        """``(content, file name)``: the invalid rows as they were in the file, with
        a last column listing their errors (ignored when the file comes back)."""
        self.ensure_one()
        header = list(self.header or [])
        lines = self.env["tms.ec.import.line"].search(
            [("import_id", "=", self.id), ("state", "=", "invalid")],
            order="row_number",
        )
        rows = [
            list(line.raw or []) + [" | ".join((line.errors or "").splitlines())]
            for line in lines
        ]
        content = spreadsheet.write_csv(header + [self.env._("Errors")], rows)
        base = re.sub(r"\.[^.]*$", "", self.file_name or "orders") or "orders"
        return content, f"{base}-rejected.csv"

    def _tms_sheet(self):
        self.ensure_one()
        return self._tms_read_file(base64.b64decode(self.file or b""), self.file_name)

    def _tms_check_mapping(self, mapping):
        """Raise a UserError unless each field is filled by one column at most and
        every required field by one."""
        labels = self._tms_import_field_labels()
        targets = [t for t in (mapping or {}).values() if t]
        unknown = [t for t in targets if t not in labels]
        if unknown:
            raise UserError(
                self.env._("Unknown fields: %(fields)s.", fields=", ".join(unknown))
            )
        doubles = sorted({t for t in targets if targets.count(t) > 1})
        if doubles:
            raise UserError(
                self.env._(
                    "Several columns fill %(fields)s: choose one column per field.",
                    fields=", ".join(labels[t] for t in doubles),
                )
            )
        missing = [t for t in REQUIRED_FIELDS if t not in targets]
        if missing:
            raise UserError(
                self.env._(
                    "Choose the columns holding %(fields)s: these fields are required.",
                    fields=", ".join(labels[t] for t in missing),
                )
            )

    # ----------------------------------------------------------------------------------
    # business methods: preview
    # ----------------------------------------------------------------------------------
    def _tms_preview(self):
        """Read the file, check every row (nothing but the import's rows is written)
        and store the rows with their errors and counts."""
        self.ensure_one()
        if self.state == "running":
            raise UserError(self.env._("The import is running."))
        sheet = self._tms_sheet()
        mapping = {
            title: target
            for title, target in (self.mapping or {}).items()
            if title in sheet.header
        }
        self._tms_check_mapping(mapping)
        checked = self._tms_check_rows(sheet, mapping)
        Line = self.env["tms.ec.import.line"]
        self.line_ids.unlink()
        Line.create(
            [
                {
                    "import_id": self.id,
                    "row_number": row["row"],
                    "reference": row["values"].get("reference"),
                    "raw": row["raw"],
                    "values": row["values"],
                    "state": "invalid" if row["errors"] else "valid",
                    "errors": "\n".join(row["errors"]) or False,
                }
                for row in checked
            ]
        )
        valid = [row for row in checked if not row["errors"]]
        self.write(
            {
                "header": sheet.header,
                "state": "previewed",
                "rows_total": len(checked),
                "valid_count": len(valid),
                "invalid_count": len(checked) - len(valid),
                "order_count": len({row["values"]["reference"] for row in valid}),
                "rows_done": 0,
                "rows_to_import": 0,
                "created_count": 0,
                "error_message": False,
            }
        )
        return True

    def _tms_lookups(self, records):
        """Country and service codes by code or name, and products by SKU, of the
        rows (``records``: ``{target: text}`` per row), each found with one query."""
        company = self.company_id
        langs = {self.env.lang or "en_US", "en_US"} | {
            code for code, _name in self.env["res.lang"].get_installed()
        }
        countries = {}
        Country = self.env["res.country"]
        for country in Country.search([]):
            countries[country.code.casefold()] = country.code
        for lang in langs:
            for country in Country.with_context(lang=lang).search([]):
                countries.setdefault(country.name.casefold(), country.code)
        services = {}
        Service = self.env["tms.service"].with_company(company)
        service_domain = [("company_id", "in", [company.id, False])]
        # a company's own service wins over a shared one with the same code
        for lang in langs:
            for service in (
                Service.with_context(lang=lang)
                .search(service_domain)
                .sorted(lambda s: not s.company_id)
            ):
                services.setdefault(service.code.casefold(), service.code)
                services.setdefault(service.name.casefold(), service.code)
        skus = {r.get("product") for r in records if r.get("product")}
        products = {}
        if skus:
            for product in self.env["product.product"].search(
                [
                    ("default_code", "in", list(skus)),
                    ("company_id", "in", [company.id, False]),
                ]
            ):
                products.setdefault(product.default_code, product.id)
        return {"countries": countries, "services": services, "products": products}

    def _tms_intake_options(self):
        """Options of the parcel intake (``tms.parcel.intake``) for this import: its
        company and shipper, and the column titles naming the fields in messages."""
        labels = self._tms_import_field_labels()
        return {
            "company": self.company_id,
            "shipper": self.shipper_id,
            "labels": {path: labels[target] for target, path in TARGET_PATHS.items()},
            "create_context": {"tracking_disable": True},
        }

    def _tms_row_message(self, row_number, message):
        return self.env._("Row %(row)s: %(message)s", row=row_number, message=message)

    def _tms_row_item(self, cells, lookups):
        """A row's cells (``{target: text}``) as a parcel in the intake schema's
        shape: numbers read as people write them, countries and services given by
        code or name turned into their code; what cannot be understood is left as
        typed, for the intake to refuse."""
        item = {}
        for target, path in TARGET_PATHS.items():
            text = cells.get(target, "")
            if not text or path.startswith("lines"):
                continue
            value = text
            if target in NUMBER_TARGETS:
                try:
                    value = spreadsheet.parse_number(text)
                except ValueError:
                    value = text
            elif target == "country":
                value = lookups["countries"].get(text.casefold(), text)
            elif target == "service":
                value = lookups["services"].get(text.casefold(), text)
            if "." in path:
                parent, key = path.split(".")
                item.setdefault(parent, {})[key] = value
            else:
                item[path] = value
        product = cells.get("product", "")
        if product:
            line = {"description": product}
            if product in lookups["products"]:
                line["product_id"] = lookups["products"][product]
            quantity = cells.get("quantity", "")
            if quantity:
                try:
                    line["quantity"] = spreadsheet.parse_number(quantity)
                except ValueError:
                    line["quantity"] = quantity
            item["lines"] = [line]
        return item

    def _tms_order_item(self, items):
        """The parcel of an order's rows (their items): the first value given for
        each field, a content line per row naming a product, the import's default
        service when no row names one."""
        merged = {"recipient": {}}
        lines = []
        for item in items:
            for key, value in item.items():
                if key == "lines":
                    lines.extend(value)
                elif key == "recipient":
                    for sub_key, sub_value in value.items():
                        merged["recipient"].setdefault(sub_key, sub_value)
                else:
                    merged.setdefault(key, value)
        if lines:
            merged["lines"] = lines
        if "service" not in merged and self.service_id:
            merged["service"] = self.service_id.code
        return merged

    def _tms_check_rows(self, sheet, mapping):
        """Check every row with the parcel intake (a row may be part of an order),
        then each order, its rows together: contradictions between its rows, what
        the parcel misses, orders already imported. One bad row makes its whole
        order invalid. Return ``[{"row", "raw", "values", "errors"}]``, ``values``
        being the row's item in the intake schema's shape."""
        column = {target: title for title, target in mapping.items() if target}
        records = []
        for number, raw in sheet.rows:
            cells = dict(zip(sheet.header, raw, strict=True))
            records.append(
                (number, raw, {t: cells.get(title, "") for t, title in column.items()})
            )
        lookups = self._tms_lookups([r[2] for r in records])
        Intake = self.env["tms.parcel.intake"].with_company(self.company_id)
        options = self._tms_intake_options()
        items = [self._tms_row_item(cells, lookups) for _n, _r, cells in records]
        prepared = Intake._tms_intake_prepare(items, dict(options, partial=True))
        labels = options["labels"]
        checked = []
        for (number, raw, cells), item, result in zip(
            records, items, prepared, strict=True
        ):
            errors = [
                self._tms_row_message(number, error["message"])
                for error in result["errors"]
            ]
            if not item.get("reference"):
                errors.insert(
                    0,
                    self._tms_row_message(
                        number,
                        Intake._tms_intake_message(
                            "required", {"field": labels["reference"]}
                        ),
                    ),
                )
            checked.append(
                {
                    "row": number,
                    "raw": raw,
                    "values": item,
                    "errors": errors,
                    "cells": cells,
                    "found": {_line_path(e["field"]) for e in result["errors"]},
                }
            )
        groups = defaultdict(list)
        for row in checked:
            reference = row["values"].get("reference")
            if reference:
                groups[reference].append(row)
        duplicates = self._tms_existing_parcels(list(groups))
        orders = Intake._tms_intake_prepare(
            [
                self._tms_order_item([r["values"] for r in rows])
                for rows in groups.values()
            ],
            options,
        )
        for (reference, rows), order in zip(groups.items(), orders, strict=True):
            self._tms_check_order(
                reference, rows, order["errors"], duplicates.get(reference), labels
            )
        for row in checked:
            del row["cells"], row["found"]
        return checked

    def _tms_check_order(self, reference, rows, order_errors, duplicate, labels):
        """Check the rows of one order together: a value given twice differently,
        the errors of the whole order (``order_errors``, from the intake) its rows
        did not already give, an order already imported (``duplicate``: its parcel's
        tracking number); then one bad row makes them all invalid."""
        first = rows[0]
        merged, given_by = {}, {}
        target_of = {path: target for target, path in TARGET_PATHS.items()}
        for row in rows:
            for path, value in _flat_values(row["values"]):
                if path not in merged:
                    merged[path], given_by[path] = value, row
                elif merged[path] != value:
                    row["errors"].append(
                        self.env._(
                            "Row %(row)s: order %(reference)s is also on row "
                            "%(other)s with another %(field)s (%(value)s).",
                            row=row["row"],
                            reference=reference,
                            other=given_by[path]["row"],
                            field=labels[path],
                            value=row["cells"].get(target_of[path]),
                        )
                    )
        found = set().union(*(row["found"] for row in rows))
        for error in order_errors:
            if _line_path(error["field"]) not in found:
                first["errors"].append(
                    self._tms_row_message(first["row"], error["message"])
                )
        if duplicate:
            first["errors"].append(
                self.env._(
                    "Row %(row)s: order %(reference)s was already imported as "
                    "parcel %(parcel)s.",
                    row=first["row"],
                    reference=reference,
                    parcel=duplicate,
                )
            )
        bad = [row for row in rows if row["errors"]]
        for row in rows:
            if bad and not row["errors"]:
                row["errors"].append(
                    self.env._(
                        "Row %(row)s: order %(reference)s is not imported because "
                        "row %(other)s of the same order has an error.",
                        row=row["row"],
                        reference=reference,
                        other=bad[0]["row"],
                    )
                )

    def _tms_existing_parcels(self, references):
        """``{reference: tracking number}`` of the shipper's parcels (not cancelled)
        already made for these order references."""
        if not references:
            return {}
        parcels = self.env["tms.parcel"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("shipper_id", "=", self.shipper_id.id),
                ("client_reference", "in", references),
                ("state", "!=", "cancelled"),
            ],
            ["client_reference", "tracking_number"],
        )
        return {p.client_reference: p.tracking_number for p in parcels}

    def _tms_recheck_duplicates(self):
        """Orders imported since the preview (by another import, the API...): in
        valid-only mode their rows become invalid; all or nothing refuses to go on."""
        lines = self.line_ids.filtered(lambda line: line.state == "valid")
        duplicates = self._tms_existing_parcels(list(set(lines.mapped("reference"))))
        if not duplicates:
            return
        if self.mode == "all_or_nothing":
            raise UserError(
                self.env._(
                    "Since the check, orders %(references)s were imported as other "
                    "parcels: check the file again.",
                    references=", ".join(sorted(duplicates)[:20]),
                )
            )
        for line in lines.filtered(lambda line: line.reference in duplicates):
            line.write(
                {
                    "state": "invalid",
                    "errors": self.env._(
                        "Row %(row)s: order %(reference)s was already imported as "
                        "parcel %(parcel)s.",
                        row=line.row_number,
                        reference=line.reference,
                        parcel=duplicates[line.reference],
                    ),
                }
            )
        self._tms_update_counts()

    def _tms_update_counts(self):
        counts = dict(
            self.env["tms.ec.import.line"]._read_group(
                [("import_id", "=", self.id)], ["state"], ["__count"]
            )
        )
        self.write(
            {
                "valid_count": counts.get("valid", 0) + counts.get("imported", 0),
                "invalid_count": counts.get("invalid", 0),
            }
        )

    def _tms_check_can_import(self):
        self.ensure_one()
        self.check_access("write")
        self.env["tms.parcel"].check_access("create")
        if self.state != "previewed":
            raise UserError(
                self.env._("Check the file first; an import runs once.")
                if self.state == "draft"
                else self.env._("This import already ran.")
            )
        if self.mode == "all_or_nothing" and self.invalid_count:
            raise UserError(
                self.env._(
                    "%(count)s rows are invalid: nothing was imported. Fix them and "
                    "import the file again, or import the valid rows only.",
                    count=self.invalid_count,
                )
            )
        if not self.valid_count:
            raise UserError(self.env._("No valid row to import."))

    # ----------------------------------------------------------------------------------
    # business methods: import
    # ----------------------------------------------------------------------------------
    def _tms_enqueue_chunk(self):
        self.ensure_one()
        return self.with_delay(
            description=self.env._("Import orders: %(name)s", name=self.name),
        )._tms_import_chunk()

    def _tms_import_chunk(self):
        """Job: create the parcels of the next chunk of rows, then enqueue the next
        chunk, or finish the import."""
        self.ensure_one()
        if self.state != "running":
            return f"Import {self.id} is {self.state}: nothing to do."
        more = self._tms_process_chunk()
        if more and self.state == "running":
            self._tms_enqueue_chunk()
        return f"{self.rows_done}/{self.rows_to_import} rows imported."

    def _tms_next_lines(self):
        """The valid rows of the next orders to import, about CHUNK_ROWS rows, an
        order's rows together; and whether other rows remain after them."""
        Line = self.env["tms.ec.import.line"]
        pending = Line.search_fetch(
            [("import_id", "=", self.id), ("state", "=", "valid")],
            ["reference"],
            order="row_number",
        )
        by_reference = defaultdict(list)
        for line in pending:
            by_reference[line.reference].append(line.id)
        chunk_ids = []
        for ids in by_reference.values():
            if len(chunk_ids) >= CHUNK_ROWS:
                break
            chunk_ids.extend(ids)
        return Line.browse(chunk_ids), len(chunk_ids) < len(pending)

    def _tms_process_chunk(self):
        """Create the parcels of the next chunk in a savepoint. An unexpected error
        rolls the chunk back: all or nothing then cancels the parcels made by earlier
        chunks and fails the import; valid-only marks the chunk's rows invalid and
        goes on. Return whether rows remain to import."""
        lines, more = self._tms_next_lines()
        if lines:
            try:
                with self.env.cr.savepoint():
                    self._tms_create_parcels(lines)
            except OperationalError as error:
                if error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    raise  # queue_job retries the job
                self._tms_chunk_failed(lines, error)
            except Exception as error:  # pylint: disable=broad-except
                self._tms_chunk_failed(lines, error)
        if self.state == "running" and not more:
            self._tms_import_done()
        return more and self.state == "running"

    def _tms_event_source(self):
        sources = self.env["tms.parcel.event"]._fields["source"].get_values(self.env)
        return "import" if "import" in sources else "manual"

    def _tms_create_parcels(self, lines):
        """Create one parcel per order reference of ``lines`` through the parcel
        intake (batches of CREATE_BATCH) and mark the rows imported. An order the
        intake refuses (the data changed since the check) fails the import in all
        or nothing mode; in valid-only mode its rows become invalid."""
        groups = defaultdict(lambda: self.env["tms.ec.import.line"])
        for line in lines:
            groups[line.reference] |= line
        items, extra_vals = [], []
        for group in groups.values():
            item = self._tms_order_item(group.mapped("values"))
            items.append(item)
            # the note of a parcel is HTML
            extra_vals.append(
                {"note": plaintext2html(item["note"])} if item.get("note") else {}
            )
        Intake = self.env["tms.parcel.intake"].with_company(self.company_id)
        options = self._tms_intake_options()
        results = []
        for start in range(0, len(items), CREATE_BATCH):
            results += Intake._tms_intake(
                items[start : start + CREATE_BATCH],
                self._tms_event_source(),
                options,
                extra_vals[start : start + CREATE_BATCH],
            )
        parcels = self.env["tms.parcel"]
        refused = self.env["tms.ec.import.line"]
        for group, result in zip(groups.values(), results, strict=True):
            if result["parcel"]:
                parcels |= result["parcel"]
                continue
            refused |= group
            first = group.sorted("row_number")[0].row_number
            group.write(
                {
                    "state": "invalid",
                    "errors": "\n".join(
                        self._tms_row_message(first, error["message"])
                        for error in result["errors"]
                    ),
                }
            )
        if refused and self.mode == "all_or_nothing":
            raise UserError(refused[0].errors)
        (lines - refused).write({"state": "imported"})
        self.write(
            {
                "parcel_ids": [Command.link(parcel.id) for parcel in parcels],
                "rows_done": self.rows_done + len(lines),
                "created_count": self.created_count + len(parcels),
            }
        )
        if refused:
            self._tms_update_counts()
        return parcels

    def _tms_chunk_failed(self, lines, error):
        """A chunk could not be created (its savepoint is rolled back)."""
        self.env.invalidate_all()
        detail = str(error.args[0] if error.args else error)
        _logger.warning(
            "Order import %s: a chunk of %s rows failed: %s",
            self.id,
            len(lines),
            detail,
        )
        if self.mode == "valid_only":
            for line in lines:
                line.write(
                    {
                        "state": "invalid",
                        "errors": self.env._(
                            "Row %(row)s: the parcel could not be created: "
                            "%(error)s",
                            row=line.row_number,
                            error=detail,
                        ),
                    }
                )
            self.rows_done += len(lines)
            self._tms_update_counts()
            return
        # all or nothing: undo the earlier chunks
        imported = self.line_ids.filtered(lambda line: line.state == "imported")
        parcels = self.parcel_ids.filtered(
            lambda parcel: parcel.state in ("draft", "confirmed")
        )
        if parcels:
            parcels._set_state(
                "cancelled",
                source="system",
                note=self.env._(
                    "Import %(name)s failed: its parcels are cancelled.", name=self.name
                ),
            )
        imported.write({"state": "valid"})
        self.write(
            {
                "state": "failed",
                "error_message": detail,
                "created_count": 0,
                "date_done": fields.Datetime.now(),
            }
        )
        self._tms_notify_end(cancelled=len(parcels))

    def _tms_import_done(self):
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        self._tms_update_counts()
        self._tms_notify_end()

    def _tms_log(self, message):
        """A note in the import's chatter, written by the system (a job may write it,
        and the user may have no email address)."""
        self.message_post(
            body=message,
            author_id=self.env.ref("base.partner_root").id,
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )

    def _tms_notify_end(self, cancelled=0):
        """Tell the user who started the import: a message on the import, a
        notification in their browser and, for a background import, an activity."""
        if self.state == "failed":
            message = self.env._(
                "Import failed: %(error)s. Nothing was imported (%(count)s parcels "
                "created before the error were cancelled).",
                error=self.error_message,
                count=cancelled,
            )
            kind = "danger"
        elif self.invalid_count:
            message = self.env._(
                "Import done: %(parcels)s parcels created, %(invalid)s rows rejected "
                "(download them to fix and import them again).",
                parcels=self.created_count,
                invalid=self.invalid_count,
            )
            kind = "warning"
        else:
            message = self.env._(
                "Import done: %(parcels)s parcels created.",
                parcels=self.created_count,
            )
            kind = "success"
        self._tms_log(message)
        if self.user_id:
            self.user_id._bus_send(
                "simple_notification",
                {"type": kind, "title": self.name, "message": message},
            )
            if self.background:
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=self.user_id.id,
                    summary=message[:200],
                )


def _line_path(path):
    """The path of an error, its content line named as a row's line."""
    return LINE_INDEX.sub("lines[0]", path)


def _flat_values(item):
    """``(path, value)`` of the values of a row's item an order holds once (all but
    its reference and content line)."""
    for key, value in item.items():
        if key == "recipient":
            for sub_key, sub_value in value.items():
                yield f"recipient.{sub_key}", sub_value
        elif key not in ("reference", "lines"):
            yield key, value
