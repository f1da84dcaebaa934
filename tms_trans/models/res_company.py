# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    tms_road_factor = fields.Float(
        string="Road Factor",
        default=1.3,
        help="Road distance estimated as the straight-line distance times this factor "
        "when no routing server is configured.",
    )
    tms_average_speed = fields.Float(
        string="Average Speed (km/h)",
        default=40.0,
        help="Speed used to estimate travel times without a routing server.",
    )
    tms_osrm_url = fields.Char(
        string="OSRM Server",
        help="Base URL of an OSRM routing server (e.g. http://osrm:5000). Empty: "
        "distances are estimated offline from the coordinates.",
    )
    tms_osrm_timeout = fields.Integer(
        string="OSRM Timeout (s)",
        default=5,
        help="After this many seconds without an answer, distances are estimated "
        "offline instead, and the optimisation says so.",
    )
    tms_co2_per_km = fields.Float(
        string="CO2 per km (g)",
        default=180.0,
        help="CO2 estimate of a vehicle whose CO2 emissions are not set in Fleet.",
    )
    tms_stop_service_minutes = fields.Float(
        string="Time per Stop (min)",
        default=5.0,
        help="Time spent at each stop (parking, handing over, signature).",
    )

    @api.model
    def _tms_matrix_options(self):
        """The keyword arguments of ``matrix.build`` from the company's settings."""
        company = self or self.env.company
        return {
            "road_factor": company.tms_road_factor or 1.3,
            "speed_kmh": company.tms_average_speed or 40.0,
            "osrm_url": company.tms_osrm_url or None,
            "timeout": company.tms_osrm_timeout or 5,
        }
