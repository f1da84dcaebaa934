# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

NEXT_STEPS = [
    ("retry", "Retry Tomorrow"),
    ("hub", "Return to Hub"),
    ("relay", "Relay Point"),
]


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    failure_next_step = fields.Selection(
        NEXT_STEPS,
        string="Next Step",
        readonly=True,
        copy=False,
        tracking=True,
        help="What the driver proposed after the last failed delivery.",
    )
