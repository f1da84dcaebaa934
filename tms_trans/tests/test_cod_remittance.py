# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .cod_common import CodCommon


class CodRemittanceCommon(CodCommon):
    def _counted_round(self):
        tms_round, parcels = self._standard_round()
        sheet = tms_round.cod_sheet_ids.with_user(self.cashier)
        sheet.action_count_as_declared()
        sheet.action_confirm()
        return sheet, parcels

    def _prepare(self):
        return (
            self.env["tms.cod.remittance"]
            .with_user(self.cashier)
            ._tms_prepare(self.company_ma)
        )


@tagged("post_install", "-at_install")
class TestCodRemittance(CodRemittanceCommon):
    """What the cashiers confirmed goes back to each shipper, less the fees."""

    def setUp(self):
        super().setUp()
        self.shipper_b.write({"tms_cod_fee_custom": True, "tms_cod_fee": 5.0})
        self.sheet, self.parcels = self._counted_round()

    def test_remittance_per_shipper_net_of_fees(self):
        remittances = self._prepare()
        self.assertEqual(remittances.shipper_id, self.shipper_a | self.shipper_b)
        rem_a = remittances.filtered(lambda r: r.shipper_id == self.shipper_a)
        rem_b = remittances - rem_a
        # company default fee for A, A's two parcels
        self.assertEqual(rem_a.parcel_count, 2)
        self.assertEqual(rem_a.collected_total, 550.0)
        self.assertEqual(rem_a.fee_total, 20.0)
        self.assertEqual(rem_a.net_amount, 530.0)
        # B's own fee
        self.assertEqual(rem_b.fee_total, 5.0)
        self.assertEqual(rem_b.net_amount, 95.0)
        # prepared once: nothing more to prepare
        self.assertFalse(self._prepare())
        remittances.with_user(self.cashier).action_pay()
        self.assertEqual(set(remittances.mapped("state")), {"paid"})
        payment = rem_a.payment_id
        self.assertEqual(payment.payment_type, "outbound")
        self.assertEqual(payment.partner_id, self.shipper_a)
        self.assertEqual(payment.amount, 530.0)
        self.assertEqual(payment.state, "in_process")
        fee_line = rem_a.move_id.line_ids.filtered(
            lambda li: li.account_id == self.fee_income
        )
        self.assertEqual(fee_line.credit, 20.0)
        # the shippers' COD payable is settled and reconciled
        payable_lines = self.env["account.move.line"].search(
            [("account_id", "=", self.cod_payable.id), ("parent_state", "=", "posted")]
        )
        self.assertAlmostEqual(sum(payable_lines.mapped("balance")), 0.0)
        self.assertTrue(all(payable_lines.mapped("reconciled")))
        self.assertTrue(all(self.sheet.line_ids.mapped("remitted")))
        self.assertEqual(
            self.env["tms.cod.sheet"]._tms_cod_invariant_problems(self.company_ma), []
        )

    def test_open_invoices_are_netted(self):
        self.shipper_a.tms_cod_net_invoices = True
        invoice = (
            self.env["account.move"]
            .with_company(self.company_ma)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.shipper_a.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Deliveries",
                                "quantity": 1,
                                "price_unit": 120.0,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        rem_a = self._prepare().filtered(lambda r: r.shipper_id == self.shipper_a)
        rem_a.with_user(self.cashier).action_pay()
        self.assertEqual(rem_a.netted_amount, 120.0)
        self.assertEqual(rem_a.invoice_ids, invoice)
        self.assertEqual(rem_a.net_amount, 410.0)
        self.assertEqual(rem_a.payment_id.amount, 410.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_fees_above_the_collection_change_nothing(self):
        rem_a = self._prepare().filtered(lambda r: r.shipper_id == self.shipper_a)
        self.shipper_a.tms_cod_net_invoices = False
        rem_a.line_ids[0].fee = 600.0
        with self.assertRaisesRegex(UserError, "exceed"):
            rem_a.with_user(self.cashier).action_pay()
        self.assertEqual(rem_a.state, "draft")
        self.assertFalse(rem_a.payment_id)
        self.assertFalse(
            self.env["account.payment"].search([("partner_id", "=", self.shipper_a.id)])
        )

    def test_only_cashiers_pay(self):
        rem = self._prepare()
        with self.assertRaises(AccessError):
            rem.with_user(self.user_ma).action_pay()
        self.assertEqual(set(rem.mapped("state")), {"draft"})
        self.assertFalse(
            self.env["tms.cod.remittance"].with_user(self.user_fr).search([])
        )


@tagged("post_install", "-at_install")
class TestCodInvariant(CodRemittanceCommon):
    """Nothing collected goes unaccounted: checked daily, said where people look."""

    def _notes(self):
        return self.company_ma.partner_id.message_ids.filtered(
            lambda m: "does not add up" in (m.body or "")
        )

    def test_all_adds_up_then_nothing_is_said(self):
        self._counted_round()
        self.env["tms.cod.sheet"]._cron_tms_check_cod()
        self.assertFalse(self._notes())

    def test_a_parcel_off_its_sheet_is_reported(self):
        tms_round, parcels = self._standard_round()
        line = tms_round.cod_sheet_ids.line_ids.filtered(
            lambda li: li.parcel_id == parcels[0]
        )
        line.unlink()
        self.env["tms.cod.sheet"]._cron_tms_check_cod()
        note = self._notes()
        self.assertEqual(len(note), 1)
        self.assertIn(parcels[0].tracking_number, note.body)
        self.assertIn("0 cash sheets", note.body)
        self.assertTrue(
            self.company_ma.partner_id.activity_ids.filtered(
                lambda a: a.summary == "Cash on delivery does not add up"
            )
        )

    def test_money_moved_off_the_payable_is_reported(self):
        self._counted_round()
        misc = self.env["account.journal"].search(
            [("company_id", "=", self.company_ma.id), ("type", "=", "general")],
            limit=1,
        )
        move = self.env["account.move"].create(
            {
                "journal_id": misc.id,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": self.cod_payable.id,
                            "partner_id": self.shipper_a.id,
                            "debit": 50.0,
                        }
                    ),
                    Command.create({"account_id": self.fee_income.id, "credit": 50.0}),
                ],
            }
        )
        move.action_post()
        problems = self.env["tms.cod.sheet"]._tms_cod_invariant_problems(
            self.company_ma
        )
        self.assertEqual(len(problems), 1)
        self.assertIn("COD payable account holds", problems[0])


@tagged("post_install", "-at_install")
class TestCodPortal(HttpCase, CodRemittanceCommon):
    """The shipper's portal: its own COD figures and remittances, never another's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = cls.env.ref("base.group_portal")
        cls.portal_users = {}
        for shipper, login in [
            (cls.shipper_a, "atlas_portal"),
            (cls.shipper_b, "souk_portal"),
        ]:
            cls.portal_users[shipper] = cls.env["res.users"].create(
                {
                    "name": f"{shipper.name} portal",
                    "login": login,
                    "password": login,
                    "partner_id": cls.env["res.partner"]
                    .create(
                        {
                            "name": f"{shipper.name} contact",
                            "parent_id": shipper.id,
                            "company_id": cls.company_ma.id,
                        }
                    )
                    .id,
                    "company_id": cls.company_ma.id,
                    "company_ids": [Command.set(cls.company_ma.ids)],
                    "groups_id": [Command.set(portal.ids)],
                }
            )

    def test_shipper_sees_its_figures_and_remittances_only(self):
        self._counted_round()
        remittances = self._prepare()
        remittances.with_user(self.cashier).action_pay()
        rem_a = remittances.filtered(lambda r: r.shipper_id == self.shipper_a)
        rem_b = remittances - rem_a
        # a second round delivered but not counted yet: in transit to the cashier
        self._finished_round(
            [("Karim Alaoui", self.shipper_a, 80.0, (80.0, "card", "AUTH 9", None))]
        )
        self.authenticate("atlas_portal", "atlas_portal")
        page = self.url_open("/my/cod")
        self.assertEqual(page.status_code, 200, page.text[-3000:])
        self.assertIn(rem_a.name, page.text)
        self.assertNotIn(rem_b.name, page.text)
        figures = self.env["tms.cod.remittance"]._tms_portal_figures(self.shipper_a)
        self.assertEqual(
            figures,
            {"collected": 550.0, "in_transit": 80.0, "remitted": 550.0, "held": 0.0},
        )
        statement = self.url_open(rem_a.get_portal_url(report_type="pdf"))
        self.assertEqual(statement.status_code, 200)
        self.assertIn(self.parcels_text(rem_a), statement.text)
        # another shipper's statement is not served
        other = self.url_open(f"/my/cod/remittances/{rem_b.id}?report_type=pdf")
        self.assertNotIn(rem_b.name, other.text)

    def parcels_text(self, remittance):
        return remittance.line_ids[0].parcel_id.tracking_number
