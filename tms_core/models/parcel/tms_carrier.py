# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsCarrier(models.Model):
    _name = "tms.carrier"
    _description = "Carrier"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    carrier_type = fields.Selection(
        [("own", "Own Fleet"), ("subcontractor", "Subcontractor")],
        required=True,
        default="own",
        tracking=True,
    )
    partner_id = fields.Many2one("res.partner", check_company=True)
    tracking_url = fields.Char(
        string="Tracking URL",
        help="The carrier's tracking page; {tracking_number} is replaced by the "
        "number.",
    )
