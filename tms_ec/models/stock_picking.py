# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _tms_create_parcels(self, source="manual"):
        # Which transfers put the amount to collect on their first parcel is decided
        # once for the whole batch: two deliveries of one cash-on-delivery order
        # validated together must not both collect its total.
        cod_pickings = self._tms_ec_cod_pickings()
        return super(
            StockPicking,
            self.with_context(tms_ec_cod_picking_ids=tuple(cod_pickings.ids)),
        )._tms_create_parcels(source=source)

    def _tms_prepare_parcel_vals_list(self, taken):
        vals_list = super()._tms_prepare_parcel_vals_list(taken)
        sale = self.sale_id
        if vals_list and sale.tms_ec_is_cod:
            cod_picking_ids = self.env.context.get("tms_ec_cod_picking_ids")
            if cod_picking_ids is None:
                cod_picking_ids = self._tms_ec_cod_pickings().ids
            if self.id in cod_picking_ids:
                vals_list[0].update(
                    cod_amount=sale.tms_ec_cod_amount,
                    cod_currency_id=sale.currency_id.id,
                )
        return vals_list

    def _tms_prepare_parcel_vals(self, package, line_vals, weight):
        vals = super()._tms_prepare_parcel_vals(package, line_vals, weight)
        sale = self.sale_id
        shop_order = sale.tms_ec_order_id
        if not shop_order:
            return vals
        backend = shop_order.backend_id
        recipient = sale.partner_shipping_id or self.partner_id
        vals.update(
            tms_ec_order_id=shop_order.id,
            # what the merchant and the customer call the order (#1001)
            client_reference=shop_order.name,
            recipient_id=recipient.id,
        )
        if backend.shipper_id:
            vals["shipper_id"] = backend.shipper_id.id
        if backend.service_id:
            vals["service_id"] = backend.service_id.id
        if not recipient.mobile and not recipient.phone:
            # shops often keep the phone on the customer, not on the address
            customer = sale.partner_id
            phone = customer.mobile or customer.phone
            if phone:
                vals["recipient_phone"] = phone
        if "weight" not in vals and not any(line.get("weight") for line in line_vals):
            vals["weight"] = backend.default_weight
        return vals

    def _tms_ec_cod_pickings(self):
        """The transfers of ``self`` whose first parcel collects the total of their
        cash-on-delivery shop order: one per order, and none for an order that
        already has a parcel collecting it."""
        pickings = self.filtered(lambda p: p.sale_id.tms_ec_is_cod)
        if not pickings:
            return self.browse()
        orders = pickings.sale_id.tms_ec_order_id
        # sudo: whether another parcel of the order already collects its total must
        # count every parcel, including those the user may not read.
        collecting = (
            self.env["tms.parcel"]
            .sudo()
            .search(
                [
                    ("tms_ec_order_id", "in", orders.ids),
                    ("state", "!=", "cancelled"),
                    ("cod_amount", ">", 0),
                ]
            )
            .tms_ec_order_id
        )
        result = self.browse()
        for picking in pickings.sorted("id"):
            order = picking.sale_id.tms_ec_order_id
            if order.id not in collecting.ids:
                collecting |= order
                result |= picking
        return result
