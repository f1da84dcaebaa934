# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.tms_core.tests.common import TmsCommon


@tagged("post_install", "-at_install")
class TestStockLink(TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_ma.id)], limit=1
        )
        cls.out_type = cls.warehouse.out_type_id
        cls.out_type.write(
            {
                "tms_parcel_mode": "manual",
                "tms_parcel_split": "package",
                "tms_service_id": cls.service_std.id,
            }
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.mug = cls.env["product.product"].create(
            {
                "name": "Tea Glass",
                "default_code": "GLS-6",
                "is_storable": True,
                "weight": 0.5,
            }
        )
        cls.teapot = cls.env["product.product"].create(
            {
                "name": "Teapot",
                "default_code": "POT-1",
                "is_storable": True,
                "weight": 1.2,
            }
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.mug, cls.stock_location, 100)
        Quant._update_available_quantity(cls.teapot, cls.stock_location, 100)
        cls.package_type = cls.env["stock.package.type"].create(
            {
                "name": "Box M",
                "packaging_length": 400,
                "width": 300,
                "height": 200,
                "base_weight": 0.3,
            }
        )
        cls.warehouse_user = cls._create_stock_user(
            "storekeeper_ma", cls.company_ma, []
        )
        cls.operator = cls._create_stock_user(
            "dispatcher_ma", cls.company_ma, ["tms_core.group_tms_user"]
        )

    @classmethod
    def _create_stock_user(cls, login, company, groups):
        group_ids = [cls.env.ref("stock.group_stock_user").id] + [
            cls.env.ref(group).id for group in groups
        ]
        return cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set(group_ids)],
            }
        )

    def _create_delivery(self, quantities, partner=None, picking_type=None):
        picking_type = picking_type or self.out_type
        picking = (
            self.env["stock.picking"]
            .with_company(self.company_ma)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": (
                        self.recipient_ma if partner is None else partner
                    ).id,
                    "origin": "SO0042",
                    "location_id": picking_type.default_location_src_id.id,
                    "location_dest_id": self.customer_location.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "product_uom": product.uom_id.id,
                                "location_id": picking_type.default_location_src_id.id,
                                "location_dest_id": self.customer_location.id,
                            }
                        )
                        for product, qty in quantities
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        return picking

    def _pack(self, picking, product, package_type=None):
        lines = picking.move_line_ids.filtered(lambda ml: ml.product_id == product)
        picking.action_put_in_pack(move_lines_to_pack=lines)
        package = lines.result_package_id
        self.assertEqual(len(package), 1)
        if package_type:
            package.package_type_id = package_type
        return package

    # ----------------------------------------------------------------------------------
    # the Create Parcels button
    # ----------------------------------------------------------------------------------
    def test_button_creates_one_parcel_per_package(self):
        picking = self._create_delivery([(self.mug, 6), (self.teapot, 1)])
        box_mugs = self._pack(picking, self.mug, self.package_type)
        box_teapot = self._pack(picking, self.teapot)
        box_teapot.shipping_weight = 2.5

        action = picking.with_user(self.operator).action_tms_create_parcels()

        parcels = picking.tms_parcel_ids
        self.assertEqual(len(parcels), 2)
        self.assertEqual(picking.tms_parcel_count, 2)
        self.assertEqual(action["domain"], [("picking_id", "in", picking.ids)])
        self.assertEqual(parcels.package_id, box_mugs | box_teapot)
        mugs = parcels.filtered(lambda p: p.package_id == box_mugs)
        teapot = parcels.filtered(lambda p: p.package_id == box_teapot)
        for parcel in parcels:
            self.assertRegex(parcel.tracking_number, r"^RR\d{9}MA$")
            self.assertEqual(parcel.picking_id, picking)
            self.assertEqual(parcel.company_id, self.company_ma)
            self.assertEqual(parcel.recipient_id, self.recipient_ma)
            self.assertEqual(parcel.recipient_city, "Casablanca")
            self.assertEqual(parcel.shipper_id, self.company_ma.partner_id)
            self.assertEqual(parcel.client_reference, "SO0042")
            self.assertEqual(parcel.service_id, self.service_std)
            self.assertEqual(parcel.state, "draft", "the goods have not left yet")
            self.assertEqual(parcel.create_uid, self.operator)
        self.assertEqual(
            [
                (line.product_id, line.quantity, line.sku, line.weight)
                for line in mugs.line_ids
            ],
            [(self.mug, 6, "GLS-6", 0.5)],
        )
        # the package's computed weight: its type plus its contents
        self.assertAlmostEqual(mugs.weight, 0.3 + 6 * 0.5)
        self.assertEqual((mugs.length, mugs.width, mugs.height), (40, 30, 20))
        # a weighed package: its shipping weight wins
        self.assertAlmostEqual(teapot.weight, 2.5)
        self.assertEqual(teapot.line_ids.product_id, self.teapot)

    def test_button_never_duplicates(self):
        picking = self._create_delivery([(self.mug, 2), (self.teapot, 1)])
        box = self._pack(picking, self.mug)
        self._pack(picking, self.teapot)
        picking.with_user(self.operator).action_tms_create_parcels()
        first = picking.tms_parcel_ids
        with self.assertRaisesRegex(UserError, "already has its parcel"):
            picking.with_user(self.operator).action_tms_create_parcels()
        self.assertEqual(picking.tms_parcel_ids, first)

        # a cancelled parcel no longer counts: its package gets a new one
        cancelled = first.filtered(lambda p: p.package_id == box)
        cancelled.action_cancel()
        picking.with_user(self.operator).action_tms_create_parcels()
        new = picking.tms_parcel_ids - first
        self.assertEqual(len(new), 1)
        self.assertEqual(new.package_id, box)
        self.assertNotEqual(new.tracking_number, cancelled.tracking_number)

    def test_products_not_in_a_package_get_their_own_parcel(self):
        picking = self._create_delivery([(self.mug, 4), (self.teapot, 2)])
        box = self._pack(picking, self.mug)
        picking.with_user(self.operator).action_tms_create_parcels()
        parcels = picking.tms_parcel_ids
        self.assertEqual(len(parcels), 2)
        loose = parcels.filtered(lambda p: not p.package_id)
        self.assertEqual(loose.line_ids.product_id, self.teapot)
        self.assertEqual(loose.line_ids.quantity, 2)
        self.assertAlmostEqual(loose.weight, 2 * 1.2)
        self.assertEqual(parcels.filtered("package_id").package_id, box)

    def test_whole_transfer_mode_makes_one_parcel(self):
        self.out_type.tms_parcel_split = "picking"
        picking = self._create_delivery([(self.mug, 4), (self.teapot, 2)])
        self._pack(picking, self.mug)
        picking.with_user(self.operator).action_tms_create_parcels()
        parcel = picking.tms_parcel_ids
        self.assertEqual(len(parcel), 1)
        self.assertFalse(parcel.package_id)
        self.assertEqual(
            sorted((line.sku, line.quantity) for line in parcel.line_ids),
            [("GLS-6", 4), ("POT-1", 2)],
        )
        self.assertAlmostEqual(parcel.weight, picking.shipping_weight)
        self.assertAlmostEqual(parcel.weight, 4 * 0.5 + 2 * 1.2)
        with self.assertRaises(UserError):
            picking.with_user(self.operator).action_tms_create_parcels()

    def test_consigned_stock_ships_for_its_owner(self):
        picking = self._create_delivery([(self.mug, 1)])
        picking.owner_id = self.shipper_ma
        picking.with_user(self.operator).action_tms_create_parcels()
        self.assertEqual(picking.tms_parcel_ids.shipper_id, self.shipper_ma)

    def test_weights_in_pounds_are_converted(self):
        self.env["ir.config_parameter"].set_param("product.weight_in_lbs", "1")
        self.mug.weight = 2.0  # lb
        picking = self._create_delivery([(self.mug, 1)])
        picking.with_user(self.operator).action_tms_create_parcels()
        parcel = picking.tms_parcel_ids
        self.assertAlmostEqual(parcel.weight, 0.91, places=2)
        self.assertAlmostEqual(parcel.line_ids.weight, 0.91, places=2)

    def test_button_refused_where_it_makes_no_sense(self):
        receipt_type = self.warehouse.in_type_id
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": receipt_type.id,
                "partner_id": self.shipper_ma.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.stock_location.id,
            }
        )
        receipt.action_confirm()
        with self.assertRaisesRegex(UserError, "not a delivery"):
            receipt.with_user(self.operator).action_tms_create_parcels()

        no_address = self._create_delivery(
            [(self.mug, 1)], partner=self.env["res.partner"]
        )
        with self.assertRaisesRegex(UserError, "no delivery address"):
            no_address.with_user(self.operator).action_tms_create_parcels()

        self.out_type.tms_parcel_mode = "none"
        picking = self._create_delivery([(self.mug, 1)])
        with self.assertRaisesRegex(UserError, "does not create parcels"):
            picking.with_user(self.operator).action_tms_create_parcels()
        self.assertFalse(self.env["tms.parcel"].search([("picking_id", "!=", False)]))

    def test_outsiders_cannot_create_parcels(self):
        picking = self._create_delivery([(self.mug, 1)])
        # warehouse staff without TMS rights
        with self.assertRaises(AccessError):
            picking.with_user(self.warehouse_user).action_tms_create_parcels()
        # an operator of another company does not even see the transfer
        operator_fr = self._create_stock_user(
            "dispatcher_fr", self.company_fr, ["tms_core.group_tms_user"]
        )
        with self.assertRaises(AccessError):
            picking.with_user(operator_fr).action_tms_create_parcels()
        self.assertFalse(picking.tms_parcel_ids)

    def test_transfer_form_shows_parcels_to_tms_users_only(self):
        picking = self._create_delivery([(self.mug, 1)])
        picking.with_user(self.operator).action_tms_create_parcels()
        form = Form(picking.with_user(self.operator))
        self.assertEqual(form.tms_parcel_count, 1)
        self.assertEqual(len(form.tms_parcel_ids), 1)
        # the fields are stripped from the form of warehouse staff, which still opens
        form = Form(picking.with_user(self.warehouse_user))
        self.assertNotIn("tms_parcel_ids", form._view["fields"])

    # ----------------------------------------------------------------------------------
    # automatic creation on validation
    # ----------------------------------------------------------------------------------
    def test_validation_creates_parcels_when_configured(self):
        self.out_type.tms_parcel_mode = "on_validation"
        picking = self._create_delivery([(self.mug, 3), (self.teapot, 1)])
        self._pack(picking, self.mug)
        self._pack(picking, self.teapot)
        # validated by warehouse staff who have no TMS rights
        result = picking.with_user(self.warehouse_user).button_validate()
        self.assertIs(result, True)
        self.assertEqual(picking.state, "done")
        parcels = picking.tms_parcel_ids
        self.assertEqual(len(parcels), 2)
        self.assertEqual(set(parcels.mapped("state")), {"confirmed"})
        self.assertEqual(set(parcels.event_ids.mapped("source")), {"system"})
        self.assertEqual(parcels.create_uid, self.warehouse_user)

    def test_validation_with_backorder_ships_what_was_done(self):
        self.out_type.tms_parcel_mode = "on_validation"
        self.out_type.tms_parcel_split = "picking"
        picking = self._create_delivery([(self.mug, 10)])
        picking.move_ids.quantity = 4
        result = picking.button_validate()
        self.assertEqual(result["res_model"], "stock.backorder.confirmation")
        self.assertFalse(
            picking.tms_parcel_ids, "nothing shipped until the wizard is done"
        )
        Form.from_action(self.env, result).save().process()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.tms_parcel_ids.line_ids.quantity, 4)
        backorder = picking.backorder_ids
        self.assertTrue(backorder)
        self.assertFalse(backorder.tms_parcel_ids)

    def test_validation_keeps_parcels_made_before(self):
        self.out_type.tms_parcel_mode = "on_validation"
        picking = self._create_delivery([(self.mug, 2)])
        picking.with_user(self.operator).action_tms_create_parcels()
        before = picking.tms_parcel_ids
        picking.button_validate()
        self.assertEqual(picking.tms_parcel_ids, before)

    def test_validation_in_manual_mode_creates_nothing(self):
        picking = self._create_delivery([(self.mug, 2)])
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.tms_parcel_ids)
        # the button still works afterwards; the goods have left: awaiting pickup
        picking.with_user(self.operator).action_tms_create_parcels()
        self.assertEqual(picking.tms_parcel_ids.state, "confirmed")

    def test_validation_without_address_is_not_blocked(self):
        self.out_type.tms_parcel_mode = "on_validation"
        picking = self._create_delivery(
            [(self.mug, 2)], partner=self.env["res.partner"]
        )
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.tms_parcel_ids)
        self.assertIn("no delivery address", picking.message_ids[0].body)

    def test_internal_transfers_never_make_parcels(self):
        internal = self.warehouse.int_type_id
        internal.tms_parcel_mode = "on_validation"
        picking = (
            self.env["stock.picking"]
            .with_company(self.company_ma)
            .create(
                {
                    "picking_type_id": internal.id,
                    "partner_id": self.recipient_ma.id,
                    "location_id": self.stock_location.id,
                    "location_dest_id": self.stock_location.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.mug.name,
                                "product_id": self.mug.id,
                                "product_uom_qty": 1,
                                "product_uom": self.mug.uom_id.id,
                                "location_id": self.stock_location.id,
                                "location_dest_id": self.stock_location.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.tms_parcel_ids)
