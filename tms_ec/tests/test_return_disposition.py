# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

# queue_job's test helpers register themselves in odoo.tests.common.SETATTR_SOURCES,
# which Odoo 18.0 does not define: define it before importing them.
from odoo.tests import common as odoo_test_common

if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}
from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402
from odoo.addons.tms_core.tests.common import TmsCommon  # noqa: E402

CHECKLIST_OK = {
    "inspection_packaging": "intact",
    "inspection_condition": "new",
    "inspection_accessories_complete": True,
    "inspection_note": "Still in its box.",
}


class ReturnFlowCommon(TmsCommon):
    """A shop's sale order of two products, delivered by a parcel and invoiced; the
    customer returns one pair of sneakers of the two delivered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company_ma
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company, install_demo=False
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        cls.warehouse.out_type_id.write(
            {"tms_parcel_mode": "on_validation", "tms_service_id": cls.service_std.id}
        )
        cls.sneakers = cls.env["product.product"].create(
            {
                "name": "Atlas Sneakers",
                "is_storable": True,
                "list_price": 100.0,
                "invoice_policy": "delivery",
                "company_id": company.id,
            }
        )
        cls.cap = cls.env["product.product"].create(
            {
                "name": "Atlas Cap",
                "is_storable": True,
                "list_price": 30.0,
                "invoice_policy": "delivery",
                "company_id": company.id,
            }
        )
        Quant = cls.env["stock.quant"].with_company(company)
        for product in cls.sneakers | cls.cap:
            Quant._update_available_quantity(product, cls.warehouse.lot_stock_id, 10)
        cls.reason_mind = cls.env["tms.return.reason"].create(
            {
                "name": "Changed my mind",
                "code": "h6_changed_mind",
                "company_id": company.id,
            }
        )
        cls.reason_defective = cls.env["tms.return.reason"].create(
            {
                "name": "Defective item",
                "code": "h6_defective",
                "merchant_fault": True,
                "company_id": company.id,
            }
        )
        cls.manager_ma = cls._create_tms_user(
            "returns_manager_ma", company, "group_tms_manager"
        )
        cls.manager_ma.groups_id = [
            Command.link(cls.env.ref("stock.group_stock_user").id),
            Command.link(cls.env.ref("account.group_account_invoice").id),
        ]
        cls.salesperson = cls._create_tms_user(
            "salesperson_ma", company, "group_tms_user"
        )
        for user in cls.user_ma | cls.user_fr | cls.manager_ma | cls.salesperson:
            user.email = f"{user.login}@example.com"
        cls.salesperson.groups_id = [
            Command.link(cls.env.ref("sales_team.group_sale_salesman").id)
        ]

    # ----------------------------------------------------------------------------------
    # helpers
    # ----------------------------------------------------------------------------------
    def _delivered_order(self, invoice=True, paid=True):
        """A confirmed order, its delivery validated (which creates its parcel), the
        parcel delivered and, unless ``invoice`` is False, the order invoiced (and
        paid unless ``paid`` is False)."""
        order = (
            self.env["sale.order"]
            .with_company(self.company_ma)
            .create(
                {
                    "company_id": self.company_ma.id,
                    "partner_id": self.recipient_ma.id,
                    "user_id": self.salesperson.id,
                    "warehouse_id": self.warehouse.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.sneakers.id, "product_uom_qty": 2}
                        ),
                        Command.create(
                            {"product_id": self.cap.id, "product_uom_qty": 1}
                        ),
                    ],
                }
            )
        )
        order.action_confirm()
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        parcel = picking.tms_parcel_ids
        self.assertEqual(len(parcel), 1, "the delivery created its parcel")
        for state in ("picked_up", "at_hub", "out_for_delivery", "delivered"):
            parcel._set_state(state, source="scan", hub_id=self.hub_cas.id)
        if invoice:
            invoice = order._create_invoices()
            invoice.action_post()
            if paid:
                self._pay(invoice)
        return order, parcel

    def _pay(self, moves):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids
        ).create({})._create_payments()

    def _approved_return(self, parcel, reason=None, quantity=1.0, product=None):
        """The customer's request for ``quantity`` of a product of ``parcel``,
        approved by a TMS user."""
        product = product or self.sneakers
        line = parcel.line_ids.filtered(lambda item: item.product_id == product)
        item = {
            "parcel_line_id": line.id,
            "quantity": quantity,
            "reason_id": (reason or self.reason_mind).id,
        }
        Return = self.env["tms.return"].with_context(tms_ec_no_notify=True)
        rma = Return._tms_ec_request(parcel, [item])
        if rma.state == "requested":
            rma.with_user(self.user_ma).with_context(
                tms_ec_no_notify=True
            ).action_approve()
        self.assertEqual(rma.state, "approved")
        self.assertTrue(rma.return_parcel_id)
        return self.env["tms.return"].browse(rma.id)  # customers are told from now

    def _receive_and_inspect(self, rma, checklist=None, user=None):
        Reception = self.env["tms.return.reception"].with_user(user or self.user_ma)
        result = Reception.scan(rma.return_parcel_id.tracking_number)
        self.assertEqual(result["status"], "ok", result["message"])
        Reception.save_inspection(rma.id, dict(checklist or CHECKLIST_OK), [])
        self.assertEqual(rma.state, "inspected")
        return rma

    def _on_hand(self, product):
        return product.with_context(
            location=self.warehouse.lot_stock_id.id
        ).qty_available

    def _notified_steps(self, trap):
        return [
            job.args[0]
            for job in trap.enqueued_jobs
            if job.method_name == "_tms_ec_send_notification"
        ]


@tagged("post_install", "-at_install")
class TestReturnDisposition(ReturnFlowCommon):
    def test_restock_and_refund_full_flow(self):
        order, parcel = self._delivered_order()
        invoice = order.invoice_ids
        rma = self._approved_return(parcel)
        self.assertEqual(rma.sale_order_id, order)

        # reception: the QR code of the return parcel is its public tracking link
        Reception = self.env["tms.return.reception"].with_user(self.user_ma)
        qr_content = rma.return_parcel_id._tms_public_tracking_url()
        with trap_jobs() as trap:
            result = Reception.scan(qr_content)
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(rma.state, "received")
        self.assertEqual(rma.return_parcel_id.state, "delivered")
        self.assertIn("received", self._notified_steps(trap))
        self.assertEqual(result["return"]["name"], rma.name)
        self.assertEqual(
            [(item["product"], item["quantity"]) for item in result["return"]["items"]],
            [(self.sneakers.display_name, 1.0)],
        )

        # inspection: new, complete, intact -> restock, with a credit note
        with trap_jobs() as trap:
            Reception.save_inspection(rma.id, dict(CHECKLIST_OK), [])
        self.assertEqual(rma.state, "inspected")
        self.assertEqual(self._notified_steps(trap), ["inspected"])
        self.assertEqual(rma.inspection_user_id, self.user_ma)
        self.assertEqual(rma.proposed_disposition, "restock")
        self.assertTrue(rma.proposed_refund)
        self.assertEqual(rma.disposition, "restock")
        self.assertTrue(rma.refund)
        confirm = rma.activity_ids.filtered(
            lambda act: act.summary == rma._tms_confirm_summary()
        )
        self.assertEqual(len(confirm), 1, "a manager is asked to confirm")
        self.assertTrue(confirm.user_id.has_group("tms_core.group_tms_manager"))

        # a TMS user cannot confirm
        with self.assertRaises(AccessError):
            rma.with_user(self.user_ma).action_confirm_disposition()
        self.assertFalse(rma.disposition_date)

        # the manager confirms: the sneaker is back in stock, a credit note is issued
        on_hand = self._on_hand(self.sneakers)
        rma.with_user(self.manager_ma).action_confirm_disposition()
        self.assertEqual(rma.disposition_user_id, self.manager_ma)
        self.assertFalse(rma.activity_ids.filtered(lambda act: act == confirm))
        picking = rma.return_picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.picking_type_id.code, "incoming")
        self.assertEqual(picking.return_id, parcel.picking_id)
        self.assertEqual(self._on_hand(self.sneakers), on_hand + 1)
        credit_note = rma.refund_move_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(
            [(line.product_id, line.quantity) for line in credit_note.invoice_line_ids],
            [(self.sneakers, 1.0)],
            "only the returned pair is credited, not the cap nor the other pair",
        )
        self.assertAlmostEqual(credit_note.amount_untaxed, 100.0)
        self.assertEqual(rma.refund_payment_state, "not_paid")
        self.assertEqual(rma.state, "inspected", "done once the refund is paid")
        self.assertEqual(rma.action_view_return_picking()["res_id"], picking.id)
        self.assertEqual(rma.action_view_refund()["res_id"], credit_note.id)
        # the returns desk still opens the return (no inventory nor invoicing rights)
        form = Form(rma.with_user(self.user_ma))
        self.assertEqual(form.refund_payment_state, "not_paid")
        self.assertEqual(form.disposition, "restock")
        self.assertNotEqual(
            order.invoice_status,
            "to invoice",
            "the order does not ask to invoice the returned pair again",
        )

        # the accountant pays the refund: the return is done, the customer told
        with trap_jobs() as trap:
            self._pay(credit_note)
        self.assertIn(rma.refund_payment_state, ("paid", "in_payment"))
        self.assertEqual(rma.state, "done")
        self.assertEqual(self._notified_steps(trap), ["refunded"])

    def test_refund_of_an_unpaid_invoice(self):
        # cash on delivery not settled yet: the credit note lowers what is owed
        order, parcel = self._delivered_order(paid=False)
        invoice = order.invoice_ids
        rma = self._approved_return(parcel)
        self._receive_and_inspect(rma)
        self.assertTrue(rma.refund)
        with trap_jobs() as trap:
            rma.with_user(self.manager_ma).action_confirm_disposition()
        self.assertEqual(rma.refund_move_id.reversed_entry_id, invoice)
        self.assertEqual(
            rma.refund_payment_state, "paid", "reconciled with the open invoice"
        )
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(rma.state, "done")
        self.assertEqual(self._notified_steps(trap), ["refunded"])

    def test_scrap_damaged_by_customer(self):
        _order, parcel = self._delivered_order()
        rma = self._approved_return(parcel)
        self._receive_and_inspect(
            rma,
            {
                "inspection_packaging": "damaged",
                "inspection_condition": "damaged",
                "inspection_accessories_complete": True,
            },
        )
        self.assertEqual(rma.proposed_disposition, "scrap")
        self.assertFalse(rma.proposed_refund, "damaged by the customer: no refund")
        on_hand = self._on_hand(self.sneakers)
        with trap_jobs() as trap:
            rma.with_user(self.manager_ma).action_confirm_disposition()
        self.assertEqual(rma.return_picking_id.state, "done")
        self.assertEqual(len(rma.scrap_ids), 1)
        self.assertEqual(rma.scrap_ids.state, "done")
        self.assertEqual(rma.scrap_ids.product_id, self.sneakers)
        self.assertEqual(rma.scrap_ids.scrap_qty, 1.0)
        self.assertEqual(
            self._on_hand(self.sneakers),
            on_hand,
            "the pair came back and went to scrap: sellable stock is unchanged",
        )
        self.assertFalse(rma.refund_move_id)
        self.assertEqual(rma.state, "done")
        self.assertEqual(self._notified_steps(trap), ["done"])
        form = Form(rma.with_user(self.manager_ma))
        self.assertEqual(form.scrap_count, 1)
        action = rma.with_user(self.manager_ma).action_view_scraps()
        self.assertEqual(
            self.env["stock.scrap"].search(action["domain"]), rma.scrap_ids
        )

    def test_repair_defective_merchant_fault(self):
        _order, parcel = self._delivered_order()
        rma = self._approved_return(parcel, reason=self.reason_defective)
        self._receive_and_inspect(
            rma,
            {
                "inspection_packaging": "intact",
                "inspection_condition": "defective",
                "inspection_accessories_complete": True,
            },
        )
        self.assertEqual(rma.proposed_disposition, "repair")
        self.assertFalse(rma.refund)
        rma.with_user(self.manager_ma).action_confirm_disposition()
        repair = rma.activity_ids.filtered(
            lambda act: act.summary == "Repair the returned items"
        )
        self.assertEqual(repair.user_id, self.salesperson, "the order's salesperson")
        self.assertFalse(rma.return_picking_id)
        self.assertEqual(rma.state, "inspected")
        with trap_jobs() as trap:
            rma.with_user(self.user_ma).action_mark_repaired()
        self.assertEqual(rma.state, "done")
        self.assertTrue(rma.date_repaired)
        self.assertFalse(rma.activity_ids)
        self.assertEqual(self._notified_steps(trap), ["done"])

    def test_refund_without_invoice_is_refused(self):
        order, parcel = self._delivered_order(invoice=False)
        rma = self._approved_return(parcel)
        self._receive_and_inspect(rma)
        self.assertEqual(rma.proposed_disposition, "restock")
        self.assertFalse(rma.proposed_refund, "nothing was invoiced to refund")
        rma.refund = True
        with self.assertRaisesRegex(UserError, "no posted customer invoice"):
            rma.with_user(self.manager_ma).action_confirm_disposition()
        self.assertFalse(rma.return_picking_id)
        self.assertFalse(rma.disposition_date)
        self.assertEqual(len(order.picking_ids), 1, "no return transfer was made")

    def test_restock_without_delivery_order_is_refused(self):
        # a parcel entered by hand, with no Odoo delivery order behind it
        parcel = self._create_parcel(
            state="confirmed",
            line_ids=[
                Command.create(
                    {"product_id": self.sneakers.id, "quantity": 1, "value": 100}
                )
            ],
        )
        for state in ("picked_up", "at_hub", "out_for_delivery", "delivered"):
            parcel._set_state(state, source="scan", hub_id=self.hub_cas.id)
        rma = self._approved_return(parcel)
        self._receive_and_inspect(rma)
        self.assertEqual(rma.disposition, "restock")
        with self.assertRaisesRegex(UserError, "no done delivery order"):
            rma.with_user(self.manager_ma).action_confirm_disposition()
        self.assertFalse(rma.disposition_date)
        self.assertEqual(rma.state, "inspected")

    def test_proposal_rules(self):
        _order, parcel = self._delivered_order()
        rma = self._approved_return(parcel)
        cases = [
            # (condition, accessories, packaging, merchant fault) -> proposal
            (("new", True, "intact", False), ("restock", True)),
            (("like_new", True, "damaged", False), ("restock", True)),
            (("used", True, "intact", True), ("refund", True)),
            (("used", False, "intact", False), ("restock", False)),
            (("new", False, "missing", True), ("refund", True)),
            (("damaged", True, "intact", False), ("scrap", False)),
            (("damaged", True, "intact", True), ("scrap", True)),
            (("defective", True, "intact", True), ("repair", False)),
            (("defective", True, "intact", False), ("repair", False)),
        ]
        for (condition, accessories, packaging, fault), expected in cases:
            with self.subTest(condition=condition, packaging=packaging, fault=fault):
                rma.line_ids.reason_id = (
                    self.reason_defective if fault else self.reason_mind
                )
                rma.write(
                    {
                        "inspection_condition": condition,
                        "inspection_accessories_complete": accessories,
                        "inspection_packaging": packaging,
                    }
                )
                self.assertEqual(
                    (rma.proposed_disposition, rma.proposed_refund), expected
                )
        # the reason's default disposition, for an item that passes the inspection
        self.reason_mind.default_disposition = "refund"
        rma.line_ids.reason_id = self.reason_mind
        rma.write(
            {
                "inspection_condition": "new",
                "inspection_accessories_complete": True,
                "inspection_packaging": "intact",
            }
        )
        self.assertEqual((rma.proposed_disposition, rma.refund), ("refund", True))
