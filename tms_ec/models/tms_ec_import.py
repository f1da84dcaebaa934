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
from odoo.tools import email_normalize, plaintext2html
from odoo.tools.translate import LazyTranslate

from odoo.addons.tms_core.models.tms_parcel import MAX_DIMENSION_CM

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
# heaviest parcel when the company sets no maximum
DEFAULT_MAX_WEIGHT = 1000.0

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
# targets -> keys of a row's understood values; the others belong to the parcel
TEXT_KEYS = {
    "client_reference": "client_reference",
    "recipient_name": "recipient_name",
    "street": "recipient_street",
    "street2": "recipient_street2",
    "city": "recipient_city",
    "zip": "recipient_zip",
    "note": "note",
}
LINE_KEYS = ("product_id", "description", "quantity")
# keys of a row's understood values -> their targets
VALUE_TARGETS = {value: target for target, value in TEXT_KEYS.items()} | {
    "recipient_phone": "phone",
    "recipient_email": "email",
    "recipient_country_id": "country",
    "service_id": "service",
    "weight": "weight",
    "length": "length",
    "width": "width",
    "height": "height",
    "cod_amount": "cod_amount",
    "declared_value": "declared_value",
    "product_id": "product",
    "description": "product",
    "quantity": "quantity",
}
# what a parcel needs, as keys of the understood values
REQUIRED_VALUES = {
    "recipient_name": "recipient_name",
    "recipient_phone": "phone",
    "recipient_street": "street",
    "recipient_city": "city",
}


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
                    "reference": row["values"].get("client_reference"),
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
                "order_count": len(
                    {row["values"]["client_reference"] for row in valid}
                ),
                "rows_done": 0,
                "rows_to_import": 0,
                "created_count": 0,
                "error_message": False,
            }
        )
        return True

    def _tms_lookups(self, records):
        """Countries, services and products named in the rows (``records``:
        ``{target: text}`` per row), each found with one query."""
        company = self.company_id
        langs = {self.env.lang or "en_US", "en_US"} | {
            code for code, _name in self.env["res.lang"].get_installed()
        }
        countries = {}
        Country = self.env["res.country"]
        for country in Country.search([]):
            countries[country.code.casefold()] = country.id
        for lang in langs:
            for country in Country.with_context(lang=lang).search([]):
                countries.setdefault(country.name.casefold(), country.id)
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
                services.setdefault(service.code.casefold(), service.id)
                services.setdefault(service.name.casefold(), service.id)
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
        max_weight = company.tms_max_parcel_weight or DEFAULT_MAX_WEIGHT
        return {
            "countries": countries,
            "services": services,
            "service_codes": sorted(
                self.env["tms.service"].search(service_domain).mapped("code")
            ),
            "products": products,
            "max_weight": max_weight,
            "country": company.country_id,
            "labels": self._tms_import_field_labels(),
        }

    def _tms_check_rows(self, sheet, mapping):
        """Check every row: each bad cell gives one message. Rows are then grouped by
        order reference (one parcel each): contradictions between an order's rows,
        missing required values, orders already imported. One bad row makes its whole
        order invalid. Return ``[{"row", "raw", "values", "errors"}]``."""
        column = {target: title for title, target in mapping.items() if target}
        records = []
        for number, raw in sheet.rows:
            cells = dict(zip(sheet.header, raw, strict=True))
            records.append(
                (number, raw, {t: cells.get(title, "") for t, title in column.items()})
            )
        lookups = self._tms_lookups([r[2] for r in records])
        checked = []
        for number, raw, cells in records:
            values, errors, bad = self._tms_check_row(number, cells, lookups)
            checked.append(
                {
                    "row": number,
                    "raw": raw,
                    "values": values,
                    "errors": errors,
                    "cells": cells,
                    "bad": bad,
                }
            )
        groups = defaultdict(list)
        for row in checked:
            reference = row["values"].get("client_reference")
            if reference:
                groups[reference].append(row)
        duplicates = self._tms_existing_parcels(list(groups))
        for reference, rows in groups.items():
            self._tms_check_order(reference, rows, duplicates.get(reference), lookups)
        for row in checked:
            del row["cells"], row["bad"]
        return checked

    def _tms_check_order(self, reference, rows, duplicate, lookups):
        """Check the rows of one order together: a value given twice differently,
        a required value given by none, an order already imported (``duplicate``:
        its parcel's tracking number); then one bad row makes them all invalid."""
        labels = lookups["labels"]
        first = rows[0]
        merged, given_by = {}, {}
        for row in rows:
            for key, value in row["values"].items():
                if key in LINE_KEYS or key == "client_reference":
                    continue
                if key not in merged:
                    merged[key], given_by[key] = value, row
                elif merged[key] != value:
                    row["errors"].append(
                        self.env._(
                            "Row %(row)s: order %(reference)s is also on row "
                            "%(other)s with another %(field)s (%(value)s).",
                            row=row["row"],
                            reference=reference,
                            other=given_by[key]["row"],
                            field=labels[VALUE_TARGETS[key]],
                            value=row["cells"].get(VALUE_TARGETS[key]),
                        )
                    )
        for key, target in REQUIRED_VALUES.items():
            if key not in merged and not any(target in r["bad"] for r in rows):
                first["errors"].append(self._tms_missing(first["row"], target))
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

    def _tms_missing(self, row_number, target):
        return self.env._(
            "Row %(row)s: %(field)s is missing.",
            row=row_number,
            field=self._tms_import_field_labels()[target],
        )

    def _tms_check_row(self, number, cells, lookups):
        """Return ``(values, errors, bad)`` of one row: the values understood (only
        those of the non-empty cells), one message per bad cell, and the targets of
        the bad cells."""
        values, errors = {}, []
        for target, key in TEXT_KEYS.items():
            text = cells.get(target, "")
            if text:
                values[key] = text
        if not values.get("client_reference"):
            errors.append(self._tms_missing(number, "client_reference"))
        self._tms_check_contact(number, cells, lookups, values, errors)
        self._tms_check_measures(number, cells, lookups, values, errors)
        self._tms_check_contents(number, cells, lookups, values, errors)
        understood = {VALUE_TARGETS[key] for key in values}
        bad = {target for target, text in cells.items() if text} - understood
        return values, errors, bad

    def _tms_check_contact(self, number, cells, lookups, values, errors):
        """Country, phone (valid for the row's country) and email of a row."""
        country = lookups["country"]
        country_text = cells.get("country", "")
        if country_text:
            country_id = lookups["countries"].get(country_text.casefold())
            if country_id:
                values["recipient_country_id"] = country_id
                country = self.env["res.country"].browse(country_id)
            else:
                errors.append(
                    self.env._(
                        "Row %(row)s: the country %(country)s is unknown (give a code "
                        "like MA or a name like Morocco).",
                        row=number,
                        country=country_text,
                    )
                )
        phone = cells.get("phone", "")
        if phone:
            try:
                values["recipient_phone"] = self.env["tms.parcel"]._tms_format_phone(
                    phone, country, strict=True
                )
            except UserError:
                errors.append(
                    self.env._(
                        "Row %(row)s: the phone number %(phone)s is not valid for "
                        "%(country)s.",
                        row=number,
                        phone=phone,
                        country=country.name or "-",
                    )
                )
        email = cells.get("email", "")
        if email and email_normalize(email):
            values["recipient_email"] = email
        elif email:
            errors.append(
                self.env._(
                    "Row %(row)s: %(email)s is not an email address.",
                    row=number,
                    email=email,
                )
            )

    def _tms_check_measures(self, number, cells, lookups, values, errors):
        """Weight and dimensions (positive, within their maximum) and amounts (not
        negative) of a row."""
        labels = lookups["labels"]
        for target, maximum, unit in (
            ("weight", lookups["max_weight"], "kg"),
            ("length", MAX_DIMENSION_CM, "cm"),
            ("width", MAX_DIMENSION_CM, "cm"),
            ("height", MAX_DIMENSION_CM, "cm"),
        ):
            value = self._tms_number(number, cells, target, errors, labels)
            if value is None:
                continue
            if value <= 0:
                errors.append(self._tms_not_positive(number, cells, target, labels))
            elif value > maximum:
                errors.append(
                    self.env._(
                        "Row %(row)s: %(field)s %(value)s %(unit)s is over the "
                        "maximum of %(max)s %(unit)s.",
                        row=number,
                        field=labels[target],
                        value=cells[target],
                        unit=unit,
                        max=format(maximum, "g"),
                    )
                )
            else:
                values[target] = value
        for target in ("cod_amount", "declared_value"):
            amount = self._tms_number(number, cells, target, errors, labels)
            if amount is not None and amount < 0:
                errors.append(
                    self.env._(
                        "Row %(row)s: %(field)s %(value)s cannot be negative.",
                        row=number,
                        field=labels[target],
                        value=cells[target],
                    )
                )
            elif amount is not None:
                values[target] = amount

    def _tms_check_contents(self, number, cells, lookups, values, errors):
        """Service, product (or description) and quantity of a row."""
        labels = lookups["labels"]
        service_text = cells.get("service", "")
        if service_text:
            service_id = lookups["services"].get(service_text.casefold())
            if service_id:
                values["service_id"] = service_id
            else:
                errors.append(
                    self.env._(
                        "Row %(row)s: the service %(service)s is unknown (use one of "
                        "%(codes)s).",
                        row=number,
                        service=service_text,
                        codes=", ".join(lookups["service_codes"]) or "-",
                    )
                )
        product = cells.get("product", "")
        if not product:
            return
        values["description"] = product
        if product in lookups["products"]:
            values["product_id"] = lookups["products"][product]
        quantity = self._tms_number(number, cells, "quantity", errors, labels)
        if quantity is not None and quantity <= 0:
            errors.append(self._tms_not_positive(number, cells, "quantity", labels))
        elif quantity is not None:
            values["quantity"] = quantity

    def _tms_not_positive(self, number, cells, target, labels):
        return self.env._(
            "Row %(row)s: %(field)s %(value)s is not a positive number.",
            row=number,
            field=labels[target],
            value=cells[target],
        )

    def _tms_number(self, row_number, cells, target, errors, labels):
        try:
            return spreadsheet.parse_number(cells.get(target, ""))
        except ValueError:
            errors.append(
                self.env._(
                    "Row %(row)s: %(field)s %(value)s is not a number.",
                    row=row_number,
                    field=labels[target],
                    value=cells[target],
                )
            )
            return None

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
        """Create one parcel per order reference of ``lines`` (batches of
        CREATE_BATCH) and mark the rows imported."""
        groups = defaultdict(list)
        for line, values in zip(lines, lines.mapped("values"), strict=True):
            groups[line.reference].append(values or {})
        vals_list = [self._tms_parcel_vals(group) for group in groups.values()]
        Parcel = (
            self.env["tms.parcel"]
            .with_company(self.company_id)
            .with_context(
                tms_event_source=self._tms_event_source(),
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                tracking_disable=True,
            )
        )
        parcels = Parcel.browse()
        for start in range(0, len(vals_list), CREATE_BATCH):
            parcels |= Parcel.create(vals_list[start : start + CREATE_BATCH])
        lines.write({"state": "imported"})
        self.write(
            {
                "parcel_ids": [Command.link(parcel.id) for parcel in parcels],
                "rows_done": self.rows_done + len(lines),
                "created_count": self.created_count + len(parcels),
            }
        )
        return parcels

    def _tms_parcel_vals(self, rows):
        """Values of the parcel of an order's rows (their understood values): the
        first value given for each field, a content line per row naming a product."""
        merged = {}
        for values in rows:
            for key, value in values.items():
                merged.setdefault(key, value)
        vals = {
            "company_id": self.company_id.id,
            "shipper_id": self.shipper_id.id,
            "state": "confirmed",
            "client_reference": merged["client_reference"],
            "recipient_name": merged.get("recipient_name"),
            "recipient_phone": merged.get("recipient_phone"),
            "recipient_email": merged.get("recipient_email"),
            "recipient_street": merged.get("recipient_street"),
            "recipient_street2": merged.get("recipient_street2"),
            "recipient_zip": merged.get("recipient_zip"),
            "recipient_city": merged.get("recipient_city"),
            "recipient_country_id": merged.get("recipient_country_id")
            or self.company_id.country_id.id,
            "service_id": merged.get("service_id") or self.service_id.id,
        }
        for key in (
            "weight",
            "length",
            "width",
            "height",
            "cod_amount",
            "declared_value",
        ):
            if merged.get(key) is not None:
                vals[key] = merged[key]
        if merged.get("note"):
            vals["note"] = plaintext2html(merged["note"])
        contents = []
        for values in rows:
            if not values.get("description"):
                continue
            content = {
                "name": values["description"],
                "quantity": values.get("quantity") or 1.0,
            }
            if values.get("product_id"):
                content["product_id"] = values["product_id"]
            contents.append(Command.create(content))
        if contents:
            vals["line_ids"] = contents
        return vals

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
