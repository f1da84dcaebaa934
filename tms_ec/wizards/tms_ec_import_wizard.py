# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

# sample values shown for each column in the mapping step
SAMPLE_ROWS = 3


class TmsEcImportWizard(models.TransientModel):
    """Import orders from a spreadsheet, in three steps: the file and its shipper,
    the columns' meaning, the check of every row; then the import."""

    _name = "tms.ec.import.wizard"
    _description = "Import Orders from a Spreadsheet"
    _check_company_auto = True

    step = fields.Selection(
        [("upload", "File"), ("mapping", "Columns"), ("preview", "Check")],
        required=True,
        default="upload",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    shipper_id = fields.Many2one(
        "res.partner",
        string="Shipper",
        check_company=True,
        help="The merchant whose orders these are; the columns chosen for them are "
        "remembered for their next file.",
    )
    service_id = fields.Many2one(
        "tms.service",
        string="Default Service",
        check_company=True,
        default=lambda self: self._default_service_id(),
        help="For the rows that name no service.",
    )
    mode = fields.Selection(
        [
            ("all_or_nothing", "All or Nothing"),
            ("valid_only", "Valid Rows Only"),
        ],
        required=True,
        default="all_or_nothing",
        help="All or Nothing: one invalid row and no parcel is created. Valid Rows "
        "Only: the valid orders become parcels, the invalid rows are listed to be "
        "fixed and imported again.",
    )
    file = fields.Binary(string="Spreadsheet", attachment=False)
    file_name = fields.Char()
    column_ids = fields.One2many(
        "tms.ec.import.wizard.column", "wizard_id", string="Columns"
    )
    import_id = fields.Many2one("tms.ec.import", readonly=True)
    rows_total = fields.Integer(related="import_id.rows_total")
    valid_count = fields.Integer(related="import_id.valid_count")
    invalid_count = fields.Integer(related="import_id.invalid_count")
    order_count = fields.Integer(related="import_id.order_count")
    invalid_line_ids = fields.One2many(
        related="import_id.invalid_line_ids", string="Rows to Fix"
    )

    @api.model
    def _default_service_id(self):
        return self.env["tms.service"].search(
            [
                ("company_id", "in", [self.env.company.id, False]),
                ("service_type", "=", "standard"),
            ],
            limit=1,
        )

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_read_file(self):
        """File -> columns: read the column titles, guess each one's field from what
        the shipper chose last time or from usual titles (English, French, Arabic)."""
        self.ensure_one()
        if not self.file or not self.shipper_id:
            raise UserError(self.env._("Choose the shipper and the file to import."))
        Import = self.env["tms.ec.import"]
        sheet = Import._tms_read_file(base64.b64decode(self.file), self.file_name)
        if not sheet.rows:
            raise UserError(self.env._("The file has column titles but no rows."))
        guessed = self.env["tms.ec.import.mapping"]._tms_guess(
            self.company_id, self.shipper_id, sheet.header
        )
        targets = Import._tms_import_field_labels()
        commands = [fields.Command.clear()]
        for index, title in enumerate(sheet.header):
            samples = [
                values[index] for _n, values in sheet.rows[:50] if values[index]
            ][:SAMPLE_ROWS]
            target = guessed.get(title) or False
            commands.append(
                fields.Command.create(
                    {
                        "sequence": index,
                        "title": title,
                        "sample": " | ".join(samples),
                        "target": target if target in targets else False,
                    }
                )
            )
        self.write({"column_ids": commands, "step": "mapping"})
        return self._reopen()

    def action_check(self):
        """Columns -> check: remember the shipper's columns, then check every row of
        the file (nothing is created)."""
        self.ensure_one()
        mapping = {column.title: column.target or "" for column in self.column_ids}
        Import = self.env["tms.ec.import"]
        Import._tms_check_mapping(mapping)
        vals = {
            "company_id": self.company_id.id,
            "shipper_id": self.shipper_id.id,
            "service_id": self.service_id.id,
            "mode": self.mode,
            "file": self.file,
            "file_name": self.file_name,
            "mapping": mapping,
        }
        if self.import_id and self.import_id.state in ("draft", "previewed"):
            self.import_id.write(vals)
        else:
            self.import_id = Import.create(vals)
        self.env["tms.ec.import.mapping"]._tms_remember(
            self.company_id,
            self.shipper_id,
            [column.title for column in self.column_ids.sorted("sequence")],
            mapping,
        )
        self.import_id._tms_preview()
        self.step = "preview"
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.step = "mapping" if self.step == "preview" else "upload"
        return self._reopen()

    def action_import(self):
        """Check -> import, in the mode chosen; then show the import."""
        self.ensure_one()
        if not self.import_id:
            raise UserError(self.env._("Check the file first."))
        self.import_id.mode = self.mode
        self.import_id.action_import()
        return self.action_open_import()

    def action_open_import(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "tms.ec.import",
            "res_id": self.import_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Orders"),
        }


class TmsEcImportWizardColumn(models.TransientModel):
    _name = "tms.ec.import.wizard.column"
    _description = "Column of a Spreadsheet to Import"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "tms.ec.import.wizard", required=True, ondelete="cascade"
    )
    sequence = fields.Integer()
    title = fields.Char(string="Column", required=True, readonly=True)
    sample = fields.Char(string="Values", readonly=True)
    target = fields.Selection(
        selection="_selection_target",
        string="Field",
        help="The parcel field this column fills; empty: the column is ignored.",
    )

    @api.model
    def _selection_target(self):
        return list(self.env["tms.ec.import"]._tms_import_field_labels().items())
