# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .cod_common import CodCommon


@tagged("post_install", "-at_install")
class TestCodSheet(CodCommon):
    """The driver's cash sheet at the end of the round, counted and confirmed by the
    hub cashier, posted once into the depot's cash journal."""

    def setUp(self):
        super().setUp()
        self.round, self.parcels = self._standard_round()
        self.sheet = self.round.cod_sheet_ids

    def _confirm(self, **counted):
        sheet = self.sheet.with_user(self.cashier)
        sheet.action_count_as_declared()
        if counted:
            sheet.write(counted)
        sheet.action_confirm()
        return sheet

    def test_sheet_is_made_when_the_round_finishes(self):
        sheet = self.sheet
        self.assertEqual(len(sheet), 1)
        self.assertEqual(sheet.driver_id, self.driver_a)
        self.assertEqual(sheet.hub_id, self.hub_cas)
        self.assertEqual(sheet.state, "draft")
        # the parcel without cash on delivery is not on the sheet
        self.assertEqual(sheet.parcel_count, 3)
        self.assertEqual(sheet.expected_total, 700.0)
        self.assertEqual(sheet.declared_total, 650.0)
        self.assertEqual(sheet.declared_cash, 450.0)
        self.assertEqual(sheet.declared_cheque, 200.0)
        self.assertEqual(sheet.declared_card, 0.0)
        short = sheet.line_ids.filtered("has_difference")
        self.assertEqual(short.parcel_id, self.parcels[2])
        self.assertEqual(short.difference, -50.0)
        self.assertEqual(short.difference_reason, "Customer refused one item")
        self.assertTrue(sheet.has_difference)
        # the button on the round opens the same sheet, never a second one
        action = self.round.with_user(self.user_ma).action_cod_sheet()
        self.assertEqual(action["res_id"], sheet.id)
        self.assertEqual(len(self.round.cod_sheet_ids), 1)

    def test_driver_sees_his_own_sheet_only(self):
        self.assertEqual(
            self.env["tms.cod.sheet"].with_user(self.driver_a).search([]), self.sheet
        )
        self.assertFalse(self.env["tms.cod.sheet"].with_user(self.driver_b).search([]))
        with self.assertRaises(AccessError):
            self.sheet.with_user(self.driver_b).read(["declared_total"])

    def test_confirm_posts_one_entry_and_flags_the_parcel(self):
        sheet = self._confirm()
        self.assertEqual(sheet.state, "confirmed")
        self.assertEqual(sheet.cashier_id, self.cashier)
        move = sheet.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.cash_journal)
        cash_account = self.cash_journal.default_account_id
        self.assertEqual(
            sorted(
                move.line_ids.filtered(lambda li: li.account_id == cash_account).mapped(
                    "debit"
                )
            ),
            [200.0, 450.0],
        )
        payable = move.line_ids.filtered(lambda li: li.account_id == self.cod_payable)
        self.assertEqual(
            {(li.partner_id, li.credit) for li in payable},
            {(self.shipper_a, 550.0), (self.shipper_b, 100.0)},
        )
        # the parcel paid short: an activity for the depot's manager
        activity = sheet.activity_ids
        self.assertEqual(activity.user_id, self.hub_manager)
        self.assertIn(self.parcels[2].tracking_number, activity.note)
        # once only
        with self.assertRaisesRegex(UserError, "already confirmed"):
            sheet.action_confirm()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            sheet.counted_cash = 1.0
        self.assertEqual(len(sheet.move_ids), 1)
        # and the driver's declaration is frozen once counted
        with self.assertRaisesRegex(UserError, "already counted"):
            self.parcels[0]._tms_record_cod_collection(300.0, "cash", reason="typo")

    def test_missing_cash_goes_to_the_loss_account_of_the_driver(self):
        sheet = self._confirm(counted_cash=400.0)
        self.assertEqual(sheet.difference, -50.0)
        loss = sheet.move_id.line_ids.filtered(
            lambda li: li.account_id == self.cash_journal.loss_account_id
        )
        self.assertEqual(loss.debit, 50.0)
        self.assertEqual(loss.partner_id, self.driver_a.partner_id)
        self.assertIn("Counted", sheet.activity_ids.note)
        grouped = self.env["tms.cod.sheet"].read_group(
            [("has_difference", "=", True), ("company_id", "=", self.company_ma.id)],
            ["difference:sum"],
            ["driver_id"],
        )
        self.assertEqual(grouped[0]["difference"], -50.0)

    def test_an_operator_cannot_confirm(self):
        sheet = self.sheet.with_user(self.user_ma)
        with self.assertRaises(AccessError):
            sheet.action_confirm()
        self.assertEqual(self.sheet.state, "draft")
        self.assertFalse(self.sheet.move_ids)

    def test_without_a_cash_journal_nothing_is_posted(self):
        self.hub_cas.cod_journal_id = False
        with self.assertRaisesRegex(UserError, "no COD cash journal"):
            self._confirm()
        self.assertEqual(self.sheet.state, "draft")
        self.assertFalse(
            self.env["account.move"].search([("tms_cod_sheet_id", "=", self.sheet.id)])
        )

    def test_another_company_sees_nothing(self):
        self.assertFalse(self.env["tms.cod.sheet"].with_user(self.user_fr).search([]))
        with self.assertRaises(AccessError):
            self.sheet.with_user(self.user_fr).read(["declared_total"])
