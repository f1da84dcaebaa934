# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    tms_eta_margin_minutes = fields.Integer(
        related="company_id.tms_eta_margin_minutes", readonly=False
    )
    tms_track_show_driver = fields.Boolean(
        related="company_id.tms_track_show_driver", readonly=False
    )
    tms_track_driver_stops = fields.Integer(
        related="company_id.tms_track_driver_stops", readonly=False
    )
    tms_gps_interval = fields.Integer(
        related="company_id.tms_gps_interval", readonly=False
    )
    tms_gps_retention_days = fields.Integer(
        related="company_id.tms_gps_retention_days", readonly=False
    )
