# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    pickup_stop_id = fields.Many2one(
        "tms.round.stop",
        string="Pickup Stop",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="The stop where a round picks the parcel up at its shipper; its "
        "delivery is planned on another stop once it is at the depot.",
    )
