# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields, models
from odoo.tools import float_compare
from odoo.tools.misc import format_datetime

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

    def _tms_ec_returnable_lines(self):
        """The content lines the recipient may send back, with what is left of each:
        ``[{"line": tms.parcel.line, "delivered": float, "left": float}]`` in the
        parcel's order. The "Return items" form lists them and
        ``tms.return._tms_ec_check_return_request`` allows no more than ``left``:
        override to keep lines out of returns (hygiene products, say)."""
        self.ensure_one()
        left = self._tms_ec_returnable_quantities()
        return [
            {"line": line, "delivered": line.quantity, "left": left.get(line.id, 0.0)}
            for line in self.line_ids
        ]

    def _tms_ec_is_recipient(self, user=None):
        """Whether ``user`` (the current user by default) is the recipient of this
        parcel by commercial entity: the one who may return its items when logged in.
        The public user never is. Controllers pass the request's user: the records
        of ``_document_check_access`` belong to the superuser."""
        self.ensure_one()
        user = user or self.env.user
        if user._is_public():
            return False
        # sudo: the recipient is compared, not shown
        recipient = self.sudo().recipient_id.commercial_partner_id
        return bool(recipient) and recipient == user.partner_id.commercial_partner_id

    def _tms_ec_return_eligibility(self, now=None):
        """Whether the recipient may ask to return items of this parcel at all:
        delivered and within the shipper's return window. Return ``{"eligible":
        bool, "refusal": the message saying why not (False when eligible),
        "deadline": the end of the window (False for a parcel not delivered)}``.

        The portal's form, :meth:`_tms_ec_can_return` and
        ``tms.return._tms_ec_request`` all follow it: override it to add a rule."""
        self.ensure_one()
        _ = self.env._
        deadline = self._tms_ec_return_deadline()
        refusal = False
        if self.state != "delivered":
            refusal = _("Only a delivered parcel can be returned.")
        elif not self._tms_ec_within_return_window(now=now):
            refusal = _(
                "The return period of this parcel ended on %(date)s.",
                date=format_datetime(
                    self.env, deadline, tz=self._tms_public_tz(), dt_format="medium"
                )
                if deadline
                else _("its delivery day"),
            )
        return {"eligible": not refusal, "refusal": refusal, "deadline": deadline}

    def _tms_ec_can_return(self):
        """Whether the recipient may still ask to return items of this parcel:
        eligible (:meth:`_tms_ec_return_eligibility`), with items left to return."""
        self.ensure_one()
        if not self._tms_ec_return_eligibility()["eligible"]:
            return False
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        return any(
            float_compare(returnable["left"], 0.0, precision_digits=precision) > 0
            for returnable in self._tms_ec_returnable_lines()
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
