# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.osv import expression


class AccountMove(models.Model):
    _inherit = "account.move"

    tms_penalty_date = fields.Date(
        string="SLA Penalties of",
        readonly=True,
        copy=False,
        help="The month whose SLA penalties or credits this credit note holds.",
    )
    tms_penalty_count = fields.Integer(
        string="Late Parcels", compute="_compute_tms_penalty_count"
    )

    def _tms_penalty_domain(self):
        return expression.OR(
            [
                [("move_id", "in", self.ids)],
                [("client_move_id", "in", self.ids)],
            ]
        )

    def _compute_tms_penalty_count(self):
        if not self.ids:
            self.tms_penalty_count = 0
            return
        # sudo: counting the penalties behind a bill the user already reads; the
        # list itself stays under the penalties' access rules
        penalties = (
            self.env["tms.carrier.penalty"]
            .sudo()
            .search_fetch(self._tms_penalty_domain(), ["move_id", "client_move_id"])
        )
        for move in self:
            move.tms_penalty_count = len(
                penalties.filtered(
                    lambda p, m=move: p.move_id == m or p.client_move_id == m
                )
            )

    def action_view_tms_penalties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_3pl.tms_carrier_penalty_action"
        )
        action["domain"] = self._tms_penalty_domain()
        action["context"] = {"search_default_group_by_rule": 1}
        return action
