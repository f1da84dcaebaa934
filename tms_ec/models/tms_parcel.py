# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    tms_ec_order_id = fields.Many2one(
        "tms.ec.order",
        string="Shop Order",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups="tms_core.group_tms_user",
    )
    tms_ec_tracking_pushed = fields.Boolean(
        string="Tracking Sent to the Shop",
        readonly=True,
        copy=False,
        groups="tms_core.group_tms_user",
        help="The shop has this parcel's tracking number and link.",
    )
    tms_ec_tracking_ref = fields.Char(
        string="Shop Reference",
        readonly=True,
        copy=False,
        groups="tms_core.group_tms_user",
        help="What the shop created for this parcel's tracking: a fulfillment "
        "(Shopify) or an order note (WooCommerce).",
    )
