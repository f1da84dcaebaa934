# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsRound(models.Model):
    """A finished round gets its driver's cash sheet."""

    _inherit = "tms.round"

    cod_sheet_ids = fields.One2many("tms.cod.sheet", "round_id", string="Cash Sheets")
    cod_sheet_count = fields.Integer(compute="_compute_cod_sheet_count")

    def _compute_cod_sheet_count(self):
        counts = dict(
            self.env["tms.cod.sheet"]._read_group(
                [("round_id", "in", self.ids)], ["round_id"], ["__count"]
            )
        )
        for tms_round in self:
            tms_round.cod_sheet_count = counts.get(tms_round, 0)

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "done":
            # sudo: the round finishes at the driver's last event, and his cash sheet
            # is made whoever finished it; drivers only read their sheets.
            self.env["tms.cod.sheet"].sudo()._tms_create_for_rounds(self.sudo())
        return result

    def action_cod_sheet(self):
        """Open the round's cash sheet, made now if the round has none yet."""
        self.ensure_one()
        sheets = self.env["tms.cod.sheet"]._tms_create_for_rounds(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_trans.tms_cod_sheet_action"
        )
        if len(sheets) == 1:
            action.update(res_id=sheets.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("round_id", "=", self.id)]
        return action
