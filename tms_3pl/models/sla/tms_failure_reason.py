# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsFailureReason(models.Model):
    _inherit = "tms.failure.reason"

    sla_pauses_clock = fields.Boolean(
        string="Pauses the SLA Clock",
        help="New SLA policies stop the clock while a parcel's last event has this "
        "reason (recipient absent, address problem, customs), until its next event.",
    )
