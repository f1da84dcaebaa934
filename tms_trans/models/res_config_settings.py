# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    tms_road_factor = fields.Float(related="company_id.tms_road_factor", readonly=False)
    tms_average_speed = fields.Float(
        related="company_id.tms_average_speed", readonly=False
    )
    tms_osrm_url = fields.Char(related="company_id.tms_osrm_url", readonly=False)
    tms_osrm_timeout = fields.Integer(
        related="company_id.tms_osrm_timeout", readonly=False
    )
    tms_co2_per_km = fields.Float(related="company_id.tms_co2_per_km", readonly=False)
    tms_stop_service_minutes = fields.Float(
        related="company_id.tms_stop_service_minutes", readonly=False
    )
