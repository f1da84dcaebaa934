# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Plan Rounds opened from a batch transfer: the parcels of its transfers, wherever
they wait (a warehouse's own parcels are not at a hub), make the round linked to the
batch."""

from odoo import fields, models

from ..models.batch.stock_picking_batch import PLANNABLE_STATES


class TmsRoundPlanWizard(models.TransientModel):
    _inherit = "tms.round.plan.wizard"

    picking_batch_id = fields.Many2one(
        "stock.picking.batch",
        string="Batch Transfer",
        readonly=True,
        check_company=True,
        help="The parcels of this batch's transfers are planned, on a round linked "
        "to the batch.",
    )

    def _tms_candidate_parcels(self):
        if not self.picking_batch_id:
            return super()._tms_candidate_parcels()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("picking_id", "in", self.picking_batch_id.picking_ids.ids),
            ("round_stop_id", "=", False),
            ("state", "in", PLANNABLE_STATES),
        ]
        if self.parcel_ids:
            domain.append(("id", "in", self.parcel_ids.ids))
        return self.env["tms.parcel"].search(domain)

    def _tms_rounds(self):
        rounds = super()._tms_rounds()
        batch = self.picking_batch_id
        if batch and not batch.tms_round_ids:
            rounds.filtered(lambda r: not r.picking_batch_id)[:1].write(
                {"picking_batch_id": batch.id}
            )
        return rounds
