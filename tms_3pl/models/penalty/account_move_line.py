# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    tms_penalty_ids = fields.One2many(
        "tms.carrier.penalty", "move_line_id", string="Late Parcels", readonly=True
    )
    tms_client_penalty_ids = fields.One2many(
        "tms.carrier.penalty",
        "client_move_line_id",
        string="Late Parcels Credited",
        readonly=True,
    )
    tms_has_penalties = fields.Boolean(compute="_compute_tms_has_penalties")

    def _compute_tms_has_penalties(self):
        # sudo: whether a line has parcels behind it, for the button listing them
        penalties = (
            self.env["tms.carrier.penalty"]
            .sudo()
            .search_fetch(
                [
                    "|",
                    ("move_line_id", "in", self.ids),
                    ("client_move_line_id", "in", self.ids),
                ],
                ["move_line_id", "client_move_line_id"],
            )
        )
        line_ids = set(penalties.move_line_id.ids) | set(
            penalties.client_move_line_id.ids
        )
        for line in self:
            line.tms_has_penalties = line.id in line_ids

    def action_view_tms_penalties(self):
        """The parcels behind a penalty line, with why each was late."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_3pl.tms_carrier_penalty_action"
        )
        action["domain"] = [
            "|",
            ("move_line_id", "=", self.id),
            ("client_move_line_id", "=", self.id),
        ]
        action["context"] = {}
        return action
