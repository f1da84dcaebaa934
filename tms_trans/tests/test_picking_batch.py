# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rounds of parcels that come from warehouse transfers and the batch transfers
(``stock_fleet``'s vehicle and driver) that hold those transfers."""

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import TmsTransCommon


@tagged("post_install", "-at_install")
class TestPickingBatch(TmsTransCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_ma.id)], limit=1
        )
        cls.hub_cas.warehouse_id = cls.warehouse

    def _transfer(self, partner):
        picking_type = self.warehouse.out_type_id
        return (
            self.env["stock.picking"]
            .with_company(self.company_ma)
            .create(
                {
                    "company_id": self.company_ma.id,
                    "picking_type_id": picking_type.id,
                    "partner_id": partner.id,
                    "location_id": picking_type.default_location_src_id.id,
                    "location_dest_id": self.env.ref(
                        "stock.stock_location_customers"
                    ).id,
                }
            )
        )

    def _transfer_parcels(self, names, at_hub=True):
        parcels = self.env["tms.parcel"]
        for name in names:
            partner = self.places[name]
            picking = self._transfer(partner)
            if at_hub:
                parcel = self._parcel_at_hub(partner, picking_id=picking.id)
            else:
                parcel = self._create_parcel(
                    state="confirmed", recipient_id=partner.id, picking_id=picking.id
                )
            parcels |= parcel
        return parcels

    def test_round_of_transfers_holds_them_in_a_batch_with_its_vehicle(self):
        parcels = self._transfer_parcels(["Karim Alaoui", "Salma Idrissi"])
        other = self._parcel_at_hub(self.places["Youssef Tazi"])
        rounds, _action = self._plan(self.van_a, parcels=parcels | other)
        batch = rounds.picking_batch_id
        self.assertEqual(len(batch), 1)
        self.assertEqual(batch.picking_ids, parcels.picking_id)
        self.assertEqual(batch.vehicle_id, self.van_a)
        self.assertEqual(batch.driver_id, self.driver_a.partner_id)
        self.assertEqual(batch.tms_round_ids, rounds)
        # the round's vehicle and driver change: the batch follows
        self.van_b.category_id = self.van_model.category_id
        rounds.write({"vehicle_id": self.van_b.id})
        self.assertEqual(batch.vehicle_id, self.van_b)
        rounds.write({"driver_id": self.driver_b.id})
        self.assertEqual(batch.driver_id, self.driver_b.partner_id)
        self.assertTrue(batch.vehicle_category_id)
        self.assertEqual(batch.vehicle_category_id, self.van_b.category_id)

    def test_round_without_transfers_has_no_batch(self):
        parcels = self._parcel_at_hub(self.places["Karim Alaoui"])
        rounds, _action = self._plan(self.van_a, parcels=parcels)
        self.assertFalse(rounds.picking_batch_id)

    def test_stop_moved_to_another_round_takes_its_transfer_along(self):
        parcels = self._transfer_parcels(["Karim Alaoui", "Nadia Berrada"])
        rounds, _action = self._plan(self.van_a | self.van_b, parcels=parcels)
        round_a = rounds.filtered(lambda r: r.vehicle_id == self.van_a)
        round_b = rounds - round_a
        self.assertEqual((round_a.stop_count, round_b.stop_count), (1, 1))
        self.assertEqual(
            round_a.picking_batch_id.picking_ids, round_a.parcel_ids.picking_id
        )
        self.assertEqual(
            round_b.picking_batch_id.picking_ids, round_b.parcel_ids.picking_id
        )
        self.assertEqual(round_b.picking_batch_id.vehicle_id, self.van_b)
        picking = round_a.parcel_ids.picking_id
        round_a.stop_ids.round_id = round_b
        self.assertEqual(round_b.picking_batch_id.picking_ids, parcels.picking_id)
        self.assertFalse(round_a.picking_batch_id.picking_ids)
        self.assertEqual(picking.batch_id, round_b.picking_batch_id)

    def test_plan_round_from_a_batch(self):
        # the warehouse's own parcels wait for their round at the warehouse
        parcels = self._transfer_parcels(
            ["Karim Alaoui", "Salma Idrissi", "Youssef Tazi"], at_hub=False
        )
        batch = self.env["stock.picking.batch"].create(
            {
                "company_id": self.company_ma.id,
                "picking_ids": [fields.Command.set(parcels.picking_id.ids)],
                "vehicle_id": self.van_b.id,
                "scheduled_date": fields.Datetime.to_datetime(self.tomorrow).replace(
                    hour=9
                ),
            }
        )
        action = batch.action_tms_plan_round()
        self.assertEqual(action["res_model"], "tms.round.plan.wizard")
        wizard = Form(
            self.env["tms.round.plan.wizard"].with_context(**action["context"])
        )
        self.assertEqual(wizard.hub_id, self.hub_cas)
        self.assertEqual(wizard.date, self.tomorrow)
        self.assertEqual(wizard.candidate_count, 3)
        wizard.save().action_plan()
        tms_round = batch.tms_round_ids
        self.assertEqual(len(tms_round), 1)
        self.assertEqual(tms_round.vehicle_id, self.van_b)
        self.assertEqual(tms_round.driver_id, self.driver_b)
        self.assertEqual(tms_round.parcel_ids, parcels)
        self.assertEqual(tms_round.stop_count, 3)
        self.assertEqual(batch.picking_ids, parcels.picking_id)
        self.assertEqual(batch.driver_id, self.driver_b.partner_id)
        # everything is planned: nothing left to plan from the batch
        with self.assertRaisesRegex(UserError, "No parcel"):
            batch.action_tms_plan_round()
