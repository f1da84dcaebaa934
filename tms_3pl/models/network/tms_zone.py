# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsZone(models.Model):
    _inherit = "tms.zone"

    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="The zone's working days and public holidays (its leaves), for SLA "
        "policies of parcels whose carrier has no calendar.",
    )
    carrier_line_ids = fields.One2many(
        "tms.carrier.contract.zone",
        "zone_id",
        string="Carriers",
        domain=[("contract_id.state", "=", "running")],
        readonly=True,
    )
