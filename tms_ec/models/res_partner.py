# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

RETURN_APPROVALS = [
    ("manual", "Manual"),
    ("automatic", "Automatic within the window"),
    ("reason", "By reason"),
]


class ResPartner(models.Model):
    """The return policy of a shipper (an e-merchant): how long its customers may
    return items, who approves the requests and where the returns go."""

    _inherit = "res.partner"

    tms_return_window_days = fields.Integer(
        string="Return Window (days)",
        help="Days after delivery during which the customers of this shipper may ask "
        "to return items. 0: the carrier's default (Settings > Transport).",
    )
    tms_return_approval = fields.Selection(
        RETURN_APPROVALS,
        string="Return Approval",
        default="reason",
        help="Manual: every request waits for the shipper's approval. Automatic: "
        "requests within the window are approved at once. By reason: approved at once "
        "when every item's reason is set to approve automatically (a damaged or wrong "
        "item), else waits.",
    )
    tms_return_address_id = fields.Many2one(
        "res.partner",
        string="Return Address",
        help="Where returned parcels are delivered (a warehouse); the shipper itself "
        "when empty.",
    )

    @api.constrains("tms_return_window_days")
    def _check_tms_return_window_days(self):
        if any(partner.tms_return_window_days < 0 for partner in self):
            raise ValidationError(
                self.env._("The return window cannot be a negative number of days.")
            )

    @api.model
    def _commercial_fields(self):
        # the shop's contacts share its return policy
        return [
            *super()._commercial_fields(),
            "tms_return_window_days",
            "tms_return_approval",
            "tms_return_address_id",
        ]

    def _tms_ec_return_window_days(self, company):
        """Days after delivery during which this shipper's customers may return items
        of a parcel carried by ``company``."""
        self.ensure_one()
        shipper = self.commercial_partner_id
        return shipper.tms_return_window_days or company.tms_return_window_days

    def _tms_ec_return_address(self):
        """The contact returns of this shipper are delivered to."""
        self.ensure_one()
        shipper = self.commercial_partner_id
        return shipper.tms_return_address_id or shipper

    def _tms_ec_return_approval(self):
        self.ensure_one()
        return self.commercial_partner_id.tms_return_approval or "reason"
