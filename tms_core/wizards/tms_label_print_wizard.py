# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.labels.tms_label_print import LABEL_FORMATS

ORDERS = [
    ("selection", "As selected"),
    ("tracking_number", "Tracking number"),
    ("sort_code", "Sort code, then recipient city"),
    ("recipient_city", "Recipient city"),
]


class TmsLabelPrintWizard(models.TransientModel):
    _name = "tms.label.print.wizard"
    _description = "Print Parcel Labels"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    parcel_ids = fields.Many2many(
        "tms.parcel",
        "tms_label_print_wizard_parcel_rel",
        "wizard_id",
        "parcel_id",
        string="Parcels",
        check_company=True,
    )
    parcel_order = fields.Json(help="The parcels' ids as they were selected.")
    parcel_count = fields.Integer(compute="_compute_parcel_count")
    printer_id = fields.Many2one(
        "tms.printer",
        string="Printer",
        check_company=True,
        help="Where the labels are sent. Empty: they are downloaded as a file in the "
        "chosen format (a PDF prints on any printer).",
    )
    label_format = fields.Selection(
        LABEL_FORMATS,
        string="Format",
        required=True,
        compute="_compute_label_format",
        store=True,
        readonly=False,
        precompute=True,
    )
    layout_id = fields.Many2one(
        "tms.label.layout",
        string="Layout",
        check_company=True,
        compute="_compute_layout_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    order = fields.Selection(ORDERS, required=True, default="selection")
    copies = fields.Integer(default=1, required=True)
    is_return = fields.Boolean(
        string="Return Labels",
        help="Labels for sending the parcels back: from the recipient to the shipper.",
    )
    reprint_count = fields.Integer(compute="_compute_parcel_count")
    background = fields.Boolean(compute="_compute_parcel_count")

    @api.depends("parcel_ids")
    def _compute_parcel_count(self):
        threshold = self.env["tms.label.batch"]._tms_background_threshold()
        for wizard in self:
            wizard.parcel_count = len(wizard.parcel_ids)
            wizard.reprint_count = len(
                wizard.parcel_ids.filtered(lambda p: p.label_print_count)
            )
            wizard.background = wizard.parcel_count > threshold

    @api.depends("printer_id")
    def _compute_label_format(self):
        for wizard in self:
            if wizard.printer_id:
                wizard.label_format = wizard.printer_id._tms_label_format()
            elif not wizard.label_format:
                wizard.label_format = "pdf"

    @api.depends("printer_id", "company_id")
    def _compute_layout_id(self):
        for wizard in self:
            wizard.layout_id = wizard.printer_id.label_layout_id or (
                wizard.layout_id
                or self.env["tms.label.layout"]._tms_default_layout(wizard.company_id)
            )

    @api.constrains("copies")
    def _check_copies(self):
        if any(not 1 <= wizard.copies <= 10 for wizard in self):
            raise UserError(self.env._("Print 1 to 10 copies of each label."))

    @api.model
    def _tms_open_for(self, parcels):
        """The wizard's window for ``parcels`` (printed in this order)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_label_print_wizard_action"
        )
        action["context"] = {
            "active_model": "tms.parcel",
            "active_ids": parcels.ids,
            "active_id": parcels[:1].id,
        }
        return action

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        parcels = self._tms_context_parcels()
        if parcels:
            values["parcel_ids"] = [fields.Command.set(parcels.ids)]
            values["parcel_order"] = parcels.ids
            values["company_id"] = parcels[0].company_id.id
            if "printer_id" in fields_list and not values.get("printer_id"):
                printer = self.env["tms.printer"]._tms_default_printer(
                    self._tms_hub_for(parcels)
                )
                if printer.company_id == parcels[0].company_id:
                    values["printer_id"] = printer.id
        return values

    def _tms_context_parcels(self):
        context = self.env.context
        model = context.get("active_model")
        ids = context.get("active_ids") or (
            [context["active_id"]] if context.get("active_id") else []
        )
        if model == "tms.parcel":
            return self.env["tms.parcel"].browse(ids).exists()
        if model == "stock.picking":
            pickings = self.env["stock.picking"].browse(ids).exists()
            parcels = pickings.tms_parcel_ids
            if not parcels:
                raise UserError(
                    self.env._(
                        "%(transfer)s has no parcels: create them first.",
                        transfer=", ".join(pickings.mapped("name")),
                    )
                )
            return parcels.sorted("id")
        return self.env["tms.parcel"]

    @api.model
    def _tms_hub_for(self, parcels):
        """Where the labels are printed: the parcels' current hub, else the hub of
        their transfer's warehouse."""
        if len(parcels.hub_id) == 1:
            return parcels.hub_id
        warehouses = parcels.picking_id.picking_type_id.warehouse_id
        if len(warehouses) == 1:
            return self.env["tms.hub"].search(
                [("warehouse_id", "=", warehouses.id)], limit=1
            )
        return self.env["tms.hub"]

    def _tms_ordered_parcels(self):
        self.ensure_one()
        parcels = self.parcel_ids
        if self.order == "selection":
            position = {pid: index for index, pid in enumerate(self.parcel_order or [])}
            return parcels.sorted(lambda p: (position.get(p.id, len(position)), p.id))
        if self.order == "tracking_number":
            return parcels.sorted(lambda p: p.tracking_number or "")
        if self.order == "sort_code":
            return parcels.sorted(
                lambda p: (
                    p.destination_hub_id.code or p.zone_id.code or "",
                    p.zone_id.code or "",
                    p.recipient_city or "",
                    p.tracking_number or "",
                )
            )
        return parcels.sorted(
            lambda p: ((p.recipient_city or "").upper(), p.tracking_number or "")
        )

    def action_print(self):
        self.ensure_one()
        if not self.parcel_ids:
            raise UserError(self.env._("Select the parcels whose labels to print."))
        printer = self.printer_id
        if printer:
            printer._tms_ensure_usable()
            if printer._tms_label_format() != self.label_format:
                raise UserError(
                    self.env._(
                        "Printer %(printer)s prints %(language)s, not the chosen "
                        "format.",
                        printer=printer.name,
                        language=dict(
                            printer._fields["language"]._description_selection(self.env)
                        )[printer.language],
                    )
                )
        batch = self.env["tms.label.batch"]._tms_create_batch(
            self._tms_ordered_parcels(),
            self.label_format,
            layout=self.layout_id,
            printer=printer,
            copies=self.copies,
            is_return=self.is_return,
        )
        action = batch._tms_result_action()
        if action["type"] == "ir.actions.act_url":
            # A download does not leave the page: the dialog would stay open with
            # the old counts, inviting a second print. Download, say what was made
            # and close it.
            count = batch.parcel_count * batch.copies
            label_format = dict(
                self._fields["label_format"]._description_selection(self.env)
            )[batch.label_format]
            action = {
                "type": "ir.actions.client",
                "tag": "tms_label_download",
                "params": {
                    "url": action["url"],
                    "message": (
                        self.env._(
                            "%(count)s labels downloaded as %(format)s.",
                            count=count,
                            format=label_format,
                        )
                        if count > 1
                        else self.env._(
                            "1 label downloaded as %(format)s.", format=label_format
                        )
                    ),
                },
            }
        return action
