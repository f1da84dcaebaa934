# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    tms_parcel_mode = fields.Selection(
        [
            ("none", "Never"),
            ("manual", "With the Create Parcels button"),
            ("on_validation", "Automatically when validated"),
        ],
        string="Parcels",
        default="manual",
        required=True,
        help="How delivery transfers of this type get their parcels: never, when a TMS "
        "user clicks Create Parcels, or automatically when the transfer is validated "
        "(the button stays available before validation).",
    )
    tms_parcel_split = fields.Selection(
        [
            ("package", "One parcel per package"),
            ("picking", "One parcel per transfer"),
        ],
        string="Parcel Split",
        default="package",
        required=True,
        help="Per package: one parcel for each destination package, plus one for the "
        "products not put in a package. Per transfer: one parcel for the whole "
        "transfer.",
    )
    tms_service_id = fields.Many2one(
        "tms.service",
        string="Parcel Service",
        check_company=True,
        help="Transport service of the parcels created from transfers of this type.",
    )
