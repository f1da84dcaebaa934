# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError

# parcels of a transfer that a round may still take
PLANNABLE_STATES = ("confirmed", "picked_up", "at_hub")


class StockPickingBatch(models.Model):
    _inherit = "stock.picking.batch"

    tms_round_ids = fields.One2many(
        "tms.round", "picking_batch_id", string="Rounds", readonly=True
    )
    tms_round_count = fields.Integer(
        string="Round Count", compute="_compute_tms_round_count"
    )

    def _compute_tms_round_count(self):
        for batch in self:
            batch.tms_round_count = len(batch.tms_round_ids)

    def _tms_parcels_to_plan(self):
        """The parcels of the batch's transfers that are on no round yet."""
        self.ensure_one()
        return self.env["tms.parcel"].search(
            [
                ("picking_id", "in", self.picking_ids.ids),
                ("round_stop_id", "=", False),
                ("state", "in", PLANNABLE_STATES),
            ]
        )

    def _tms_hub(self):
        """The depot of the batch's warehouse, else the planner's usual depot."""
        self.ensure_one()
        warehouse = (
            self.picking_type_id.warehouse_id
            or self.picking_ids.picking_type_id.warehouse_id
        )
        hub = self.env["tms.hub"].search(
            [
                ("warehouse_id", "in", warehouse.ids),
                ("company_id", "=", self.company_id.id),
            ],
            limit=1,
        )
        return hub or self.env["tms.round.plan.wizard"]._tms_default_hub()

    def action_tms_plan_round(self):
        """Open Plan Rounds on the parcels of the batch's transfers, with its
        vehicle: the round made is linked to this batch."""
        self.ensure_one()
        parcels = self._tms_parcels_to_plan()
        if not parcels:
            raise UserError(
                self.env._(
                    "No parcel of the transfers of %(batch)s is waiting for a round: "
                    "create the parcels of the transfers first, or they are already "
                    "planned.",
                    batch=self.display_name,
                )
            )
        context = {
            "default_company_id": self.company_id.id,
            "default_picking_batch_id": self.id,
            "default_parcel_ids": parcels.ids,
            "default_hub_id": self._tms_hub().id,
        }
        if self.vehicle_id:
            context["default_vehicle_ids"] = self.vehicle_id.ids
        if self.scheduled_date:
            context["default_date"] = fields.Date.to_string(
                fields.Date.context_today(self, self.scheduled_date)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan Round"),
            "res_model": "tms.round.plan.wizard",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_tms_view_rounds(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_trans.tms_round_action"
        )
        action["domain"] = [("id", "in", self.tms_round_ids.ids)]
        if len(self.tms_round_ids) == 1:
            action.update(
                view_mode="form", res_id=self.tms_round_ids.id, views=[(False, "form")]
            )
        return action
