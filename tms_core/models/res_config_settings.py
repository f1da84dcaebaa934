# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    tms_tracking_format = fields.Selection(
        related="company_id.tms_tracking_format", readonly=False
    )
    tms_s10_service_indicator = fields.Char(
        related="company_id.tms_s10_service_indicator", readonly=False
    )
    tms_s10_country_code = fields.Char(
        related="company_id.tms_s10_country_code", readonly=False
    )
    tms_luhn_prefix = fields.Char(related="company_id.tms_luhn_prefix", readonly=False)
    tms_max_parcel_weight = fields.Float(
        related="company_id.tms_max_parcel_weight", readonly=False
    )
    tms_gdpr_anonymize_days = fields.Integer(
        related="company_id.tms_gdpr_anonymize_days", readonly=False
    )
    tms_api_rate_limit = fields.Integer(
        related="company_id.tms_api_rate_limit", readonly=False
    )
    tms_map_tile_url = fields.Char(
        related="company_id.tms_map_tile_url", readonly=False
    )
    tms_map_attribution = fields.Char(
        related="company_id.tms_map_attribution", readonly=False
    )
