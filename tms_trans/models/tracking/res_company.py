# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    tms_eta_margin_minutes = fields.Integer(
        string="ETA Margin (min)",
        default=30,
        help="Recipients are told an arrival window: the estimated arrival at their "
        "stop, this many minutes before and after.",
    )
    tms_track_show_driver = fields.Boolean(
        string="Show the Driver's Position",
        help="On the public tracking page, recipients whose stop is among the next "
        "ones see where the driver was last seen. Off by default.",
    )
    tms_track_driver_stops = fields.Integer(
        string="Show the Driver Within (stops)",
        default=3,
        help="The driver's position is shown when the recipient's stop is one of "
        "this many next stops of the round.",
    )
    tms_gps_interval = fields.Integer(
        string="GPS Interval (s)",
        default=30,
        help="How often the driver's phone records its position while a round is "
        "started; closer points are not kept.",
    )
    tms_gps_retention_days = fields.Integer(
        string="Keep GPS Points (days)",
        default=30,
        help="GPS points older than this are deleted every night.",
    )
