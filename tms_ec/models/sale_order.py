# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    tms_ec_order_ids = fields.One2many(
        "tms.ec.order", "sale_order_id", string="Shop Orders", readonly=True
    )
    tms_ec_order_id = fields.Many2one(
        "tms.ec.order",
        string="Shop Order",
        compute="_compute_tms_ec_order_id",
        inverse="_inverse_tms_ec_order_id",
        store=True,
        # writable from code (the import); the form shows it read-only
        readonly=False,
        index="btree_not_null",
        copy=False,
        help="The Shopify or WooCommerce order this sale order was imported from; "
        "its deliveries' parcels send their tracking to the shop.",
    )
    tms_ec_backend_id = fields.Many2one(
        related="tms_ec_order_id.backend_id", string="Shop", readonly=True
    )
    tms_ec_is_cod = fields.Boolean(
        string="Cash on Delivery",
        compute="_compute_tms_ec_is_cod",
        store=True,
        help="The shop order is paid on delivery: its first parcel collects the "
        "order's total.",
    )
    tms_ec_cod_amount = fields.Monetary(
        string="Amount to Collect",
        compute="_compute_tms_ec_is_cod",
        store=True,
        help="What the driver collects on delivery: the shop order's total.",
    )

    @api.depends("tms_ec_order_ids")
    def _compute_tms_ec_order_id(self):
        for order in self:
            order.tms_ec_order_id = order.tms_ec_order_ids[:1]

    def _inverse_tms_ec_order_id(self):
        # The link may be set from either side; the shop order's sale_order_id holds
        # it. Shop orders are read-only for salespeople: writing the link takes the
        # right to edit the sale order, checked here.
        self.check_access("write")
        for order in self:
            shop_order = order.tms_ec_order_id
            if shop_order and shop_order.sale_order_id != order:
                shop_order.sudo().sale_order_id = order

    @api.depends(
        "tms_ec_order_id.payment_status",
        "tms_ec_order_id.cod_amount",
        "tms_ec_order_id.amount_total",
        "amount_total",
    )
    def _compute_tms_ec_is_cod(self):
        for order in self:
            shop_order = order.tms_ec_order_id
            is_cod = shop_order.payment_status == "cod"
            order.tms_ec_is_cod = is_cod
            order.tms_ec_cod_amount = (
                (shop_order.cod_amount or shop_order.amount_total or order.amount_total)
                if is_cod
                else 0.0
            )

    def action_view_tms_ec_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "tms.ec.order",
            "res_id": self.tms_ec_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
