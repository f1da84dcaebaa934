# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    round_stop_id = fields.Many2one(
        "tms.round.stop",
        string="Round Stop",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        tracking=True,
    )
    round_id = fields.Many2one(
        related="round_stop_id.round_id",
        store=True,
        string="Round",
        index="btree_not_null",
    )

    def action_plan_rounds(self):
        """Plan rounds with the selected parcels (list action)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_trans.tms_round_plan_wizard_action"
        )
        hubs = self.hub_id
        action["context"] = {
            "default_parcel_ids": self.ids,
            "default_hub_id": hubs.id if len(hubs) == 1 else False,
        }
        return action
