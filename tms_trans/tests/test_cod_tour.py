# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import HttpCase, tagged

from .cod_common import CodCommon


@tagged("post_install", "-at_install")
class TestCodTour(CodCommon, HttpCase):
    """The cash-on-delivery cycle in the browser: the depot's cashier counts a
    driver's cash sheet with one difference and pays a remittance; the shipper finds
    it in the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.driver_a.name = "COD Tour Driver"
        cls.hub_manager.name = "COD Tour Manager"
        # a cashier with the COD Cashier group only and what it implies
        cls.tour_cashier = cls.env["res.users"].create(
            {
                "name": "COD Tour Cashier",
                "login": "cod_tour_cashier",
                "password": "cod_tour_cashier",
                "email": "cod.tour.cashier@colis-express.example.com",
                "company_id": cls.company_ma.id,
                "company_ids": [Command.set(cls.company_ma.ids)],
                "groups_id": [
                    Command.set([cls.env.ref("tms_trans.group_tms_cod_cashier").id])
                ],
            }
        )
        cls.shipper_b.write({"tms_cod_fee_custom": True, "tms_cod_fee": 5.0})
        portal = cls.env.ref("base.group_portal")
        cls.portal_users = cls.env["res.users"]
        for shipper, login in [
            (cls.shipper_a, "atlas_tour_portal"),
            (cls.shipper_b, "souk_tour_portal"),
        ]:
            contact = cls.env["res.partner"].create(
                {
                    "name": f"{shipper.name} contact",
                    "parent_id": shipper.id,
                    "company_id": cls.company_ma.id,
                }
            )
            cls.portal_users |= cls.env["res.users"].create(
                {
                    "name": f"{shipper.name} portal",
                    "login": login,
                    "password": login,
                    "partner_id": contact.id,
                    "company_id": cls.company_ma.id,
                    "company_ids": [Command.set(cls.company_ma.ids)],
                    "groups_id": [Command.set(portal.ids)],
                }
            )

    def test_cashier_counts_with_a_difference_and_the_shipper_sees_the_remittance(
        self,
    ):
        tms_round, parcels = self._standard_round()
        sheet = tms_round.cod_sheet_ids
        self.assertEqual(sheet.state, "draft")

        self.start_tour("/odoo", "tms_cod_cashier_tour", login="cod_tour_cashier")

        self.env.invalidate_all()
        self.assertEqual(sheet.state, "confirmed")
        self.assertEqual(sheet.cashier_id, self.tour_cashier)
        self.assertEqual(
            (sheet.counted_cash, sheet.counted_cheque, sheet.counted_card),
            (400.0, 200.0, 0.0),
        )
        self.assertEqual(sheet.difference, -50.0)
        # one entry in the depot's cash journal: the money counted, what the
        # shippers are owed, and the 50 missing on the driver's loss
        move = sheet.move_ids
        self.assertEqual(len(move), 1)
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.cash_journal)
        cash_account = self.cash_journal.default_account_id
        self.assertEqual(
            sorted(
                move.line_ids.filtered(lambda li: li.account_id == cash_account).mapped(
                    "debit"
                )
            ),
            [200.0, 400.0],
        )
        self.assertEqual(
            {
                (li.partner_id, li.credit)
                for li in move.line_ids.filtered(
                    lambda li: li.account_id == self.cod_payable
                )
            },
            {(self.shipper_a, 550.0), (self.shipper_b, 100.0)},
        )
        loss = move.line_ids.filtered(
            lambda li: li.account_id == self.cash_journal.loss_account_id
        )
        self.assertEqual(
            (loss.debit, loss.partner_id), (50.0, self.driver_a.partner_id)
        )
        # the difference is the depot manager's to follow: the count and the parcel
        activity = sheet.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.hub_manager)
        self.assertIn("Counted", activity.note)
        self.assertIn(parcels[2].tracking_number, activity.note)

        remittances = self.env["tms.cod.remittance"].search(
            [("company_id", "=", self.company_ma.id)]
        )
        self.assertEqual(remittances.shipper_id, self.shipper_a | self.shipper_b)
        rem_a = remittances.filtered(lambda r: r.shipper_id == self.shipper_a)
        rem_b = remittances - rem_a
        self.assertEqual(rem_a.state, "paid")
        self.assertEqual(rem_a.payment_id.amount, 530.0)
        # the other shipper is paid too: its remittance must stay out of A's portal
        rem_b.with_user(self.cashier).action_pay()

        # the shipper looks on its phone
        self.browser_size = "390x844"
        self.start_tour("/my", "tms_cod_portal_tour", login="atlas_tour_portal")
