# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import tracking_number as tn

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors"
)


class ResCompany(models.Model):
    _inherit = "res.company"

    tms_tracking_format = fields.Selection(
        [("s10", "UPU S10 (RR123456785MA)"), ("luhn", "Numeric with Luhn check digit")],
        string="Tracking Number Format",
        default="s10",
        required=True,
    )
    tms_s10_service_indicator = fields.Char(
        string="S10 Service Indicator",
        size=2,
        default="RR",
        help="Two letters starting each S10 tracking number unless the parcel's "
        "service "
        "sets its own.",
    )
    tms_s10_country_code = fields.Char(
        string="S10 Country Code",
        size=2,
        help="ISO 3166 code ending each S10 tracking number; the company's country "
        "when "
        "empty.",
    )
    tms_luhn_prefix = fields.Char(string="Numeric Tracking Prefix", size=6)
    tms_max_parcel_weight = fields.Float(
        string="Maximum Parcel Weight (kg)",
        default=1000.0,
        help="Heavier parcels are refused as input errors.",
    )
    tms_gdpr_anonymize_days = fields.Integer(
        string="Anonymise Recipients After (days)",
        default=0,
        help="Personal data of recipients of parcels delivered or returned more than "
        "this "
        "many days ago is erased by a daily job. 0 disables it.",
    )
    tms_api_rate_limit = fields.Integer(
        string="API Requests per Minute and Key",
        default=600,
        help="Requests above this rate get HTTP 429. 0 disables the limit.",
    )
    tms_map_tile_url = fields.Char(
        string="Map Tiles URL",
        default=DEFAULT_TILE_URL,
        help="Tile server of the maps (dispatch, zones), with {z}, {x} and {y}.",
    )
    tms_map_attribution = fields.Char(
        string="Map Attribution",
        default=DEFAULT_ATTRIBUTION,
        help="Credit line the tile server's licence asks for.",
    )

    @api.model
    def _tms_map_tiles(self):
        """The tile server of the maps of the current company (``url``,
        ``attribution``), OpenStreetMap's by default."""
        company = self.env.company
        return {
            "url": company.tms_map_tile_url or DEFAULT_TILE_URL,
            "attribution": company.tms_map_attribution or DEFAULT_ATTRIBUTION,
        }

    @api.constrains(
        "tms_s10_service_indicator", "tms_s10_country_code", "tms_luhn_prefix"
    )
    def _check_tms_tracking_format(self):
        for company in self:
            try:
                if company.tms_tracking_format == "s10":
                    tn.s10_make(
                        company.tms_s10_service_indicator,
                        0,
                        company._tms_s10_country_code(),
                    )
                else:
                    tn.luhn_make(company.tms_luhn_prefix, 0)
            except tn.TrackingNumberError as error:
                raise ValidationError(
                    self.env._(
                        "The tracking number format of %(company)s is invalid: "
                        "%(error)s",
                        company=company.display_name,
                        error=self.env["tms.parcel"]._tms_tracking_setting_error(error),
                    )
                ) from error

    @api.constrains(
        "tms_max_parcel_weight", "tms_gdpr_anonymize_days", "tms_api_rate_limit"
    )
    def _check_tms_positive(self):
        for company in self:
            if (
                company.tms_max_parcel_weight <= 0
                or company.tms_gdpr_anonymize_days < 0
                or company.tms_api_rate_limit < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The maximum weight must be positive; the anonymisation delay "
                        "and "
                        "the API rate limit cannot be negative."
                    )
                )

    def _tms_s10_country_code(self):
        self.ensure_one()
        return (self.tms_s10_country_code or self.country_id.code or "").upper()
