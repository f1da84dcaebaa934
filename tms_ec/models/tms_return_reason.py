# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

DISPOSITIONS = [
    ("restock", "Restock"),
    ("refund", "Refund"),
    ("repair", "Repair"),
    ("scrap", "Scrap"),
]


class TmsReturnReason(models.Model):
    _name = "tms.return.reason"
    _description = "Return Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code for the API and the rules.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share it.")
    merchant_fault = fields.Boolean(
        help="The merchant is at fault (damaged, wrong or defective item): the return "
        "is free for the customer and may be approved automatically."
    )
    auto_approve = fields.Boolean(
        string="Approve Automatically",
        help="Requests for this reason, within the shipper's return window, are "
        "approved without waiting for the merchant (shippers whose return approval is "
        "'By reason').",
    )
    default_disposition = fields.Selection(
        DISPOSITIONS,
        help="The disposition proposed after inspection when the item passes it.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A return reason code must be unique per company.",
        ),
    ]

    def _tms_ec_available(self, company):
        """The active reasons customers of ``company`` may choose from."""
        return self.search(
            [("company_id", "in", [False, company.id])], order="sequence, name, id"
        )
