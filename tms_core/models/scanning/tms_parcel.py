# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    container_id = fields.Many2one(
        "tms.container",
        index="btree_not_null",
        check_company=True,
        copy=False,
        readonly=True,
        tracking=True,
        help="The bag, cage or pallet the parcel travels in; scanning it moves all its "
        "parcels.",
    )
