# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round


class StockPicking(models.Model):
    _inherit = "stock.picking"

    tms_parcel_ids = fields.One2many(
        "tms.parcel",
        "picking_id",
        string="Parcels",
        readonly=True,
        groups="tms_core.group_tms_user",
    )
    tms_parcel_count = fields.Integer(
        string="Parcel Count",
        compute="_compute_tms_parcel_count",
        groups="tms_core.group_tms_user",
    )
    tms_parcel_mode = fields.Selection(
        related="picking_type_id.tms_parcel_mode", string="Parcel Creation"
    )

    def _compute_tms_parcel_count(self):
        counts = dict(
            self.env["tms.parcel"]._read_group(
                [("picking_id", "in", self.ids)], ["picking_id"], ["__count"]
            )
        )
        for picking in self:
            picking.tms_parcel_count = counts.get(picking, 0)

    # ----------------------------------------------------------------------------------
    # stock flow
    # ----------------------------------------------------------------------------------
    def _action_done(self):
        # _action_done, not button_validate: every way of validating a transfer ends
        # here (the Validate button, the backorder wizard that calls it again, batch
        # transfers, the barcode app, code calling _action_done directly), while
        # button_validate may stop early on a wizard and run again later.
        result = super()._action_done()
        to_parcel = self.filtered(
            lambda p: p.state == "done"
            and p.picking_type_code == "outgoing"
            and p.picking_type_id.tms_parcel_mode == "on_validation"
        )
        if to_parcel:
            to_parcel._tms_create_parcels_on_validation()
        return result

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_tms_create_parcels(self):
        """Create the parcels the transfers do not have yet; open them."""
        for picking in self:
            error = picking._tms_parcel_creation_error()
            if error:
                raise UserError(error)
        parcels = self._tms_create_parcels(source="manual")
        if not parcels:
            raise UserError(
                self.env._(
                    "Every package already has its parcel (%(transfers)s). Cancel a "
                    "parcel to create it again.",
                    transfers=", ".join(self.mapped("name")),
                )
            )
        return self.action_view_tms_parcels()

    def action_view_tms_parcels(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_parcel_action"
        )
        parcels = self.env["tms.parcel"].search([("picking_id", "in", self.ids)])
        action["domain"] = [("picking_id", "in", self.ids)]
        action["context"] = {"default_picking_id": self.id if len(self) == 1 else False}
        if len(parcels) == 1:
            action["views"] = [(False, "form")]
            action["view_mode"] = "form"
            action["res_id"] = parcels.id
        return action

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    def _tms_parcel_creation_error(self):
        """Return why parcels cannot be created for this transfer, or None."""
        self.ensure_one()
        if self.picking_type_code != "outgoing":
            return self.env._(
                "%(transfer)s is not a delivery: parcels are created from outgoing "
                "transfers only.",
                transfer=self.name,
            )
        if self.picking_type_id.tms_parcel_mode == "none":
            return self.env._(
                "The operation type %(type)s does not create parcels: change its "
                "Parcels setting first.",
                type=self.picking_type_id.display_name,
            )
        if self.state in ("draft", "cancel"):
            return self.env._(
                "%(transfer)s is draft or cancelled: mark it as to do first.",
                transfer=self.name,
            )
        if not self.partner_id:
            return self.env._(
                "%(transfer)s has no delivery address: set the contact to deliver to "
                "before creating its parcels.",
                transfer=self.name,
            )
        return None

    def _tms_create_parcels_on_validation(self):
        """Create the parcels of transfers just validated, unless they have some.

        Transfers without a delivery address get a note instead of blocking the
        validation.
        """
        # The user validating may be warehouse staff without TMS rights: the
        # operation type, set by a manager, asks for parcels on validation. Check that
        # the user may change these transfers (stock already did, this makes it
        # explicit) before creating the parcels as superuser; create_uid and the
        # events' author stay the user.
        self.check_access("write")
        pickings = self.sudo()
        with_parcels = (
            self.env["tms.parcel"]
            .sudo()
            .search([("picking_id", "in", pickings.ids), ("state", "!=", "cancelled")])
            .picking_id
        )
        pickings -= with_parcels
        no_address = pickings.filtered(lambda p: not p.partner_id)
        for picking in no_address:
            picking._message_log(
                body=self.env._(
                    "No parcel was created: the transfer has no delivery address. Set "
                    "one and click Create Parcels."
                )
            )
        return (pickings - no_address)._tms_create_parcels(source="system")

    def _tms_create_parcels(self, source="manual"):
        """Create, in one call per company, the parcels the transfers in ``self`` miss.

        One parcel per destination package without a parcel (plus one for the
        products not in a package), or one for the whole transfer, as the operation
        type says. A package that already has a non-cancelled parcel of the transfer
        is skipped, and so is a whole transfer that already has one. Return the new
        parcels.
        """
        Parcel = self.env["tms.parcel"]
        existing = Parcel.search(
            [("picking_id", "in", self.ids), ("state", "!=", "cancelled")]
        )
        taken = {(parcel.picking_id.id, parcel.package_id.id) for parcel in existing}
        vals_by_company = defaultdict(list)
        for picking in self:
            vals_list = picking._tms_prepare_parcel_vals_list(taken)
            vals_by_company[picking.company_id].extend(vals_list)
        parcels = Parcel
        for company, vals_list in vals_by_company.items():
            if vals_list:
                parcels |= (
                    Parcel.with_company(company)
                    .with_context(tms_event_source=source)
                    .create(vals_list)
                )
        return parcels

    def _tms_prepare_parcel_vals_list(self, taken):
        """Return the values of the parcels to create for this transfer.

        ``taken`` holds ``(picking id, package id or False)`` pairs that already have a
        non-cancelled parcel.
        """
        self.ensure_one()
        picking_type = self.picking_type_id
        if picking_type.tms_parcel_split == "picking" and any(
            picking_id == self.id for picking_id, _package_id in taken
        ):
            return []
        move_lines = self.move_line_ids.filtered(
            lambda ml: ml.product_id
            and float_compare(
                ml.quantity, 0.0, precision_rounding=ml.product_uom_id.rounding
            )
            > 0
        )
        if picking_type.tms_parcel_split == "package" and move_lines:
            groups = defaultdict(lambda: self.env["stock.move.line"])
            for move_line in move_lines:
                groups[move_line.result_package_id] |= move_line
            package_weights = move_lines.result_package_id._get_weight(self.id)
        else:
            groups = {self.env["stock.quant.package"]: move_lines}
            package_weights = {}
        vals_list = []
        for package, lines in groups.items():
            if (self.id, package.id) in taken:
                continue
            line_vals = self._tms_prepare_parcel_line_vals(lines)
            if not line_vals:
                continue
            if package:
                weight = package.shipping_weight or package_weights.get(package, 0.0)
            elif picking_type.tms_parcel_split == "picking":
                weight = self.shipping_weight
            else:
                weight = self.weight_bulk
            vals = self._tms_prepare_parcel_vals(package, line_vals, weight)
            vals_list.append(vals)
        return vals_list

    def _tms_prepare_parcel_vals(self, package, line_vals, weight):
        """Values of one parcel of this transfer: ``package`` may be empty (the
        whole transfer or its products not in a package); ``weight`` is in the
        database's weight unit."""
        self.ensure_one()
        vals = {
            "company_id": self.company_id.id,
            "state": "confirmed" if self.state == "done" else "draft",
            "picking_id": self.id,
            "package_id": package.id,
            # Consigned stock (an owner on the transfer) ships on behalf of its owner,
            # as a logistics provider does for its clients; else the company ships its
            # own goods.
            "shipper_id": (self.owner_id or self.company_id.partner_id).id,
            "recipient_id": self.partner_id.id,
            "client_reference": self.origin or self.name,
            "service_id": self.picking_type_id.tms_service_id.id,
            "line_ids": [fields.Command.create(line) for line in line_vals],
        }
        weight_kg = self._tms_to_kg(weight)
        if weight_kg:
            vals["weight"] = weight_kg
        package_type = package.package_type_id
        if package_type:
            vals.update(
                length=self._tms_to_cm(package_type.packaging_length),
                width=self._tms_to_cm(package_type.width),
                height=self._tms_to_cm(package_type.height),
            )
        return vals

    def _tms_prepare_parcel_line_vals(self, move_lines):
        """Content lines from move lines, one per product, or from the transfer's moves
        when nothing is reserved or done yet."""
        quantities = defaultdict(float)
        for move_line in move_lines:
            quantities[move_line.product_id] += (
                move_line.product_uom_id._compute_quantity(
                    move_line.quantity, move_line.product_id.uom_id, round=False
                )
            )
        if not move_lines:
            for move in self.move_ids.filtered(lambda m: m.state != "cancel"):
                quantities[move.product_id] += move.product_uom._compute_quantity(
                    move.product_uom_qty, move.product_id.uom_id, round=False
                )
        return [
            {
                "product_id": product.id,
                "quantity": quantity,
                "sku": product.default_code,
                "weight": self._tms_to_kg(product.weight),
            }
            for product, quantity in quantities.items()
            if float_compare(quantity, 0.0, precision_rounding=product.uom_id.rounding)
            > 0
        ]

    @api.model
    def _tms_to_kg(self, weight):
        uom = self.env["product.template"]._get_weight_uom_id_from_ir_config_parameter()
        kg = self.env.ref("uom.product_uom_kgm")
        if not weight or uom == kg:
            return weight
        return float_round(
            uom._compute_quantity(weight, kg, round=False), precision_digits=3
        )

    @api.model
    def _tms_to_cm(self, length):
        uom = self.env["product.template"]._get_length_uom_id_from_ir_config_parameter()
        if not length:
            return 0.0
        cm = self.env.ref("uom.product_uom_cm")
        return float_round(
            uom._compute_quantity(length, cm, round=False), precision_digits=2
        )
