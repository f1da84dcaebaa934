# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsFailureReason(models.Model):
    _name = "tms.failure.reason"
    _description = "Delivery Failure Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code for scanners and the API.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share it.")
    next_action = fields.Selection(
        [
            ("retry", "Retry Delivery"),
            ("return", "Return to Shipper"),
            ("hold", "Hold at Hub"),
        ],
        required=True,
        default="retry",
        help="What usually follows a failed attempt for this reason.",
    )
    requires_note = fields.Boolean(help="The driver must add a note with this reason.")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A failure reason code must be unique per company.",
        ),
    ]
