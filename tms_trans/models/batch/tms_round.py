# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A round whose parcels come from warehouse transfers is linked to a batch transfer
(``stock.picking.batch``, with the vehicle and driver ``stock_fleet`` gives it) that
holds those transfers and carries the round's vehicle and driver."""

from collections import defaultdict

from odoo import fields, models

CLOSED_BATCH_STATES = ("done", "cancel")


class TmsRound(models.Model):
    _inherit = "tms.round"

    picking_batch_id = fields.Many2one(
        "stock.picking.batch",
        string="Batch Transfer",
        copy=False,
        readonly=True,
        check_company=True,
        index="btree_not_null",
        help="The batch of the warehouse transfers whose parcels this round "
        "delivers; it follows the round's vehicle and driver.",
    )

    def write(self, vals):
        result = super().write(vals)
        if {"vehicle_id", "driver_id"} & set(vals):
            self._tms_sync_picking_batch()
        return result

    def _tms_schedule(self):
        # called whenever the round's stops change
        result = super()._tms_schedule()
        self._tms_sync_picking_batch()
        return result

    def _tms_sync_picking_batch(self):
        """Keep each round's batch holding the transfers of its parcels, with the
        round's vehicle and driver. A round whose parcels come from transfers gets a
        batch: the one those transfers already share when no other round holds it,
        else a new one. A transfer whose parcels all went to other rounds leaves
        it; a done or cancelled batch is left as it is."""
        Parcel = self.env["tms.parcel"]
        # sudo: the batch follows its round, and a dispatcher plans rounds without
        # Inventory rights; the round itself was checked by the caller's write.
        Batch = self.env["stock.picking.batch"].sudo()
        for tms_round in self:
            batch = tms_round.picking_batch_id.sudo()
            if tms_round.state == "cancel" or batch.state in CLOSED_BATCH_STATES:
                continue
            pickings = tms_round.stop_ids.parcel_ids.picking_id.sudo()
            if not batch:
                if not pickings:
                    continue
                batch = pickings.batch_id
                if (
                    len(batch) != 1
                    or batch.state in CLOSED_BATCH_STATES
                    or batch.tms_round_ids
                ):
                    batch = Batch.create({"company_id": tms_round.company_id.id})
                tms_round.write({"picking_batch_id": batch.id})
            parcels = Parcel.sudo().search(
                [
                    ("picking_id", "in", batch.picking_ids.ids),
                    ("state", "!=", "cancelled"),
                ]
            )
            rounds_of = defaultdict(set)
            for parcel in parcels:
                rounds_of[parcel.picking_id].add(parcel.round_stop_id.round_id)
            elsewhere = batch.picking_ids.filtered(
                lambda p, r=tms_round, rounds_of=rounds_of: rounds_of.get(p)
                and all(other and other != r for other in rounds_of[p])
            )
            commands = [
                fields.Command.link(picking.id)
                for picking in pickings - batch.picking_ids
            ] + [fields.Command.unlink(picking.id) for picking in elsewhere]
            vals = {"picking_ids": commands} if commands else {}
            if batch.vehicle_id != tms_round.vehicle_id:
                vals["vehicle_id"] = tms_round.vehicle_id.id
            driver = tms_round.driver_id.partner_id or tms_round.vehicle_id.driver_id
            if batch.driver_id != driver or "vehicle_id" in vals:
                vals["driver_id"] = driver.id
            if vals:
                batch.write(vals)
