# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_RETURN_WINDOW_DAYS = 14


class ResCompany(models.Model):
    _inherit = "res.company"

    tms_return_window_days = fields.Integer(
        string="Return Window (days)",
        default=DEFAULT_RETURN_WINDOW_DAYS,
        help="Days after delivery during which customers may ask to return items, "
        "unless the shipper has its own window.",
    )
    tms_return_rules_created = fields.Boolean(
        string="Return Notification Rules Created",
        readonly=True,
        copy=False,
        help="The default return notification rules were given to the company once "
        "(on install or update, or with its first return): archived or deleted, "
        "they are not created again.",
    )

    @api.constrains("tms_return_window_days")
    def _check_tms_return_window_days(self):
        if any(company.tms_return_window_days < 0 for company in self):
            raise ValidationError(
                self.env._("The return window cannot be a negative number of days.")
            )
