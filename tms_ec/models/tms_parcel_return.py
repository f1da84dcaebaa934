# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields, models
from odoo.tools import float_compare

from .tms_return import CLOSED_WITHOUT_RETURN


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    tms_return_id = fields.Many2one(
        "tms.return",
        string="Return Request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The return request this parcel carries back to the merchant.",
    )
    tms_return_ids = fields.One2many(
        "tms.return",
        "origin_parcel_id",
        string="Returns",
        help="The returns requested on this delivered parcel.",
    )
    tms_return_count = fields.Integer(
        compute="_compute_tms_return_count",
        string="Return Requests",
        groups="tms_core.group_tms_user",
    )

    def _compute_tms_return_count(self):
        counts = dict(
            self.env["tms.return"]._read_group(
                [("origin_parcel_id", "in", self.ids)],
                ["origin_parcel_id"],
                ["__count"],
            )
        )
        for parcel in self:
            parcel.tms_return_count = counts.get(parcel, 0)

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_view_tms_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_ec.tms_return_action"
        )
        action["domain"] = [("origin_parcel_id", "=", self.id)]
        action["context"] = {"default_origin_parcel_id": self.id}
        return action

    # ----------------------------------------------------------------------------------
    # returns
    # ----------------------------------------------------------------------------------
    def _tms_ec_return_deadline(self):
        """When the shipper's return window of this delivered parcel ends; False for a
        parcel not delivered."""
        self.ensure_one()
        if not self.date_delivered:
            return False
        # sudo: the window is the shipper's policy, whoever asks
        shipper = self.sudo().shipper_id
        days = (
            shipper._tms_ec_return_window_days(self.company_id)
            if shipper
            else self.company_id.tms_return_window_days
        )
        return self.date_delivered + timedelta(days=days)

    def _tms_ec_within_return_window(self, now=None):
        self.ensure_one()
        deadline = self._tms_ec_return_deadline()
        return bool(deadline) and (now or fields.Datetime.now()) <= deadline

    def _tms_ec_returnable_quantities(self):
        """``{content line id: quantity}`` the customer may still return: what was
        delivered minus what open returns (not refused or cancelled) already take."""
        self.ensure_one()
        # sudo: every return of the parcel counts, whoever asks; only sums leave
        groups = (
            self.env["tms.return.line"]
            .sudo()
            ._read_group(
                [
                    ("parcel_line_id", "in", self.line_ids.ids),
                    ("return_id.state", "not in", CLOSED_WITHOUT_RETURN),
                ],
                ["parcel_line_id"],
                ["quantity:sum"],
            )
        )
        returned = {line.id: quantity for line, quantity in groups}
        return {
            line.id: max(line.quantity - returned.get(line.id, 0.0), 0.0)
            for line in self.line_ids
        }

    def _tms_ec_can_return(self):
        """Whether the recipient may still ask to return items of this parcel:
        delivered, within the shipper's window, with items left to return."""
        self.ensure_one()
        if self.state != "delivered" or not self._tms_ec_within_return_window():
            return False
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        return any(
            float_compare(quantity, 0.0, precision_digits=precision) > 0
            for quantity in self._tms_ec_returnable_quantities().values()
        )

    # ----------------------------------------------------------------------------------
    # labels
    # ----------------------------------------------------------------------------------
    def _tms_label_data(self, index=1, count=1, is_return=False, caches=None):
        # A return parcel already goes from the customer (its shipper) to the
        # merchant (its recipient): its return label keeps the blocks where they are
        # and only adds the RETURN banner.
        if is_return and self.tms_return_id:
            data = super()._tms_label_data(
                index=index, count=count, is_return=False, caches=caches
            )
            data.is_return = True
            return data
        return super()._tms_label_data(
            index=index, count=count, is_return=is_return, caches=caches
        )
