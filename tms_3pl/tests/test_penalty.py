# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import THURSDAY, Tms3plCommon

MARCH = date(2026, 3, 1)
# the first of April, when March's penalties are charged
RUN_TIME = datetime(2026, 4, 1, 6, 0)


def _mar(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute)


@tagged("post_install", "-at_install")
class TestPenalty(Tms3plCommon):
    """A carrier whose contract charges 10 for a late parcel and half the freight
    (40 a parcel) for one more than 24 hours late. Parcels handed over on Thursday
    19 March are due Monday 23 March 17:00 (Friday is a holiday)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company_ma, install_demo=False
        )
        cls.carrier_partner = cls.env["res.partner"].create(
            {"name": "Atlas Fret SARL", "company_id": cls.company_ma.id}
        )
        cls.carrier = cls.env["tms.carrier"].create(
            {
                "name": "Atlas Fret",
                "company_id": cls.company_ma.id,
                "partner_id": cls.carrier_partner.id,
            }
        )
        cls.contract = cls.env["tms.carrier.contract"].create(
            {
                "name": "2026",
                "carrier_id": cls.carrier.id,
                "date_start": date(2026, 1, 1),
                "currency_id": cls.company_ma.currency_id.id,
                "rate_ids": [Command.create({"price": 40})],
                "penalty_rule_ids": [
                    Command.create(
                        {"name": "Late", "penalty_type": "fixed", "amount": 10}
                    ),
                    Command.create(
                        {
                            "name": "A day late",
                            "penalty_type": "percent",
                            "percent": 50,
                            "grace_hours": 24,
                        }
                    ),
                ],
            }
        )
        cls.contract.action_start()
        cls.rule_late, cls.rule_day = cls.contract.penalty_rule_ids

    def _late_parcel(self, delivered=None):
        """A parcel of the carrier handed over on Thursday, delivered at
        ``delivered`` (never when None)."""
        with freeze_time(THURSDAY):
            parcel = self._parcel(carrier_id=self.carrier.id)
        if delivered:
            with freeze_time(delivered):
                self._event(parcel, "at_hub", _mar(19, 12), hub_id=self.hub_cas.id)
                self._event(parcel, "delivered", delivered)
        return parcel

    def _run(self, carriers=None):
        with freeze_time(RUN_TIME):
            return (
                self.env["tms.carrier.penalty"]
                .with_company(self.company_ma)
                ._tms_run(MARCH, carriers=carriers)
            )

    def _bill(self, day=date(2026, 3, 31)):
        return (
            self.env["account.move"]
            .with_company(self.company_ma)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": self.carrier_partner.id,
                    "invoice_date": day,
                    "currency_id": self.contract.currency_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Freight March", "quantity": 1, "price_unit": 500}
                        )
                    ],
                }
            )
        )

    def test_amounts_by_rule_on_a_credit_note_without_bill(self):
        late = self._late_parcel(_mar(24, 10))  # 17 h late
        day_late = self._late_parcel(_mar(26, 10))  # 65 h late
        on_time = self._late_parcel(_mar(23, 16))
        lost = self._late_parcel()  # never delivered
        self.assertEqual(on_time.sla_state, "met")

        penalties = self._run()

        self.assertEqual(penalties.parcel_id, late | day_late | lost)
        by_parcel = {p.parcel_id: p for p in penalties}
        self.assertEqual(by_parcel[late].rule_id, self.rule_late)
        self.assertEqual(by_parcel[late].amount, 10)
        self.assertEqual(by_parcel[day_late].rule_id, self.rule_day)
        self.assertEqual(by_parcel[day_late].amount, 20, "half of the 40 freight")
        self.assertEqual(by_parcel[lost].amount, 20)
        self.assertEqual(by_parcel[late].breach_cause, "late")
        self.assertEqual(by_parcel[lost].breach_cause, "undelivered")
        self.assertEqual(by_parcel[late].date_due, _mar(23, 17))
        self.assertEqual(by_parcel[late].date_delivered, _mar(24, 10))
        self.assertEqual(by_parcel[late].late_hours, 17)

        refund = penalties.move_id
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.state, "draft")
        self.assertEqual(refund.partner_id, self.carrier_partner)
        self.assertEqual(refund.invoice_date, date(2026, 3, 31))
        self.assertEqual(refund.amount_total, 50)
        self.assertEqual(refund.tms_penalty_count, 3)
        line_day = by_parcel[day_late].move_line_id
        self.assertEqual(line_day.tms_penalty_ids.parcel_id, day_late | lost)
        self.assertEqual(line_day.price_subtotal, 40)
        self.assertIn("2 late parcels", line_day.name)
        self.assertTrue(line_day.tms_has_penalties)
        action = line_day.action_view_tms_penalties()
        self.assertEqual(
            self.env["tms.carrier.penalty"].search(action["domain"]).parcel_id,
            day_late | lost,
        )
        # a carrier can be shown the events behind each line
        self.assertIn("delivered", by_parcel[day_late].event_ids.mapped("state"))

    def test_lines_go_on_the_open_bill_of_the_month(self):
        bill = self._bill()
        april_bill = self._bill(date(2026, 4, 2))
        self._late_parcel(_mar(24, 10))

        penalties = self._run()

        self.assertEqual(penalties.move_id, bill)
        self.assertEqual(bill.amount_total, 490, "500 of freight less a 10 penalty")
        self.assertEqual(bill.tms_penalty_count, 1)
        self.assertEqual(len(april_bill.invoice_line_ids), 1)
        self.assertFalse(
            self.env["account.move"].search(
                [("move_type", "=", "in_refund"), ("tms_penalty_date", "=", MARCH)]
            )
        )

    def test_posted_bill_is_not_touched(self):
        bill = self._bill()
        bill.action_post()
        self._late_parcel(_mar(24, 10))
        penalties = self._run()
        self.assertEqual(penalties.move_id.move_type, "in_refund")
        self.assertEqual(len(bill.invoice_line_ids), 1)

    def test_monthly_caps(self):
        self.rule_late.monthly_cap = 15
        parcels = [self._late_parcel(_mar(24, 10)) for _i in range(3)]
        penalties = self._run()
        amounts = [
            penalties.filtered(lambda p, x=x: p.parcel_id == x).amount for x in parcels
        ]
        self.assertEqual(amounts, [10, 5, 0])
        self.assertEqual(
            penalties.sorted(lambda p: p.parcel_id.id).mapped("capped"),
            [False, True, True],
        )
        self.assertEqual(penalties.move_id.amount_total, 15)

    def test_contract_cap_covers_every_rule(self):
        self.contract.penalty_monthly_cap = 25
        self._late_parcel(_mar(24, 10))  # 10
        self._late_parcel(_mar(26, 10))  # 20, capped to 15
        penalties = self._run()
        self.assertEqual(sum(penalties.mapped("amount")), 25)
        self.assertEqual(penalties.move_id.amount_total, 25)

    def test_months_end_at_midnight_where_the_company_works(self):
        """Due on Tuesday 31 March at 17:00 UTC is due on 1 April at 02:00 in Tokyo:
        a company working there is charged for it with April's penalties."""
        with freeze_time(_mar(30, 10)):
            parcel = self._parcel(
                date_shipping=_mar(30, 10), carrier_id=self.carrier.id
            )
        self.assertEqual(parcel.sla_date_due, _mar(31, 17))
        self.company_ma.resource_calendar_id.tz = "Asia/Tokyo"
        self.assertFalse(self._run())
        with freeze_time(datetime(2026, 5, 1, 6, 0)):
            april = (
                self.env["tms.carrier.penalty"]
                .with_company(self.company_ma)
                ._tms_run(date(2026, 4, 1))
            )
        self.assertEqual(april.parcel_id, parcel)
        self.assertEqual(set(april.mapped("period_date")), {date(2026, 4, 1)})

    def test_grace_spares_a_slightly_late_parcel(self):
        self.rule_late.grace_hours = 20
        self._late_parcel(_mar(24, 10))  # 17 h late
        self.assertFalse(self._run())

    def test_running_twice_charges_once(self):
        self.rule_late.monthly_cap = 25
        self._late_parcel(_mar(24, 10))
        self._late_parcel(_mar(24, 11))
        first = self._run()
        refund = first.move_id
        self.assertEqual(refund.amount_total, 20)

        self.assertFalse(self._run(), "nothing new to charge")
        self.assertEqual(refund.amount_total, 20)
        self.assertEqual(len(refund.invoice_line_ids), 1)

        # a parcel delivered late since: only it is added, within what is left of
        # the cap
        late_since = self._late_parcel(_mar(24, 12))
        second = self._run()
        self.assertEqual(second.parcel_id, late_since)
        self.assertEqual(second.amount, 5)
        self.assertEqual(second.move_id, refund)
        self.assertEqual(refund.amount_total, 25)
        self.assertEqual(
            self.env["tms.carrier.penalty"].search_count(
                [("contract_id", "=", self.contract.id)]
            ),
            3,
        )

    def test_client_credit_where_the_policy_says_so(self):
        self.policy.write({"client_credit": True, "client_credit_amount": 7})
        late = self._late_parcel(_mar(24, 10))
        lost = self._late_parcel()
        penalties = self._run()
        credit = penalties.client_move_id
        self.assertEqual(len(credit), 1)
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual(credit.partner_id, self.shipper_ma)
        self.assertEqual(credit.amount_total, 14)
        self.assertEqual(
            credit.invoice_line_ids.tms_client_penalty_ids.parcel_id, late | lost
        )
        self.assertEqual(credit.tms_penalty_count, 2)

    def test_no_client_credit_by_default(self):
        self._late_parcel(_mar(24, 10))
        self.assertFalse(self._run().client_move_id)

    def test_wizard_charges_the_chosen_carrier_only(self):
        other = self.carrier.copy({"name": "Rif Express"})
        contract = self.contract.copy({"carrier_id": other.id})
        contract.action_start()
        with freeze_time(THURSDAY):
            other_parcel = self._parcel(carrier_id=other.id)
        self._late_parcel(_mar(24, 10))
        wizard = (
            self.env["tms.penalty.run.wizard"]
            .with_company(self.company_ma)
            .create({"month": "3", "year": 2026, "carrier_ids": [self.carrier.id]})
        )
        with freeze_time(RUN_TIME):
            action = wizard.action_run()
        moves = self.env["account.move"].search(action["domain"])
        self.assertEqual(moves.partner_id, self.carrier_partner)
        self.assertFalse(other_parcel.tms_penalty_ids)

    def test_another_company_sees_nothing(self):
        self._late_parcel(_mar(24, 10))
        penalties = self._run()
        Penalty = self.env["tms.carrier.penalty"]
        self.assertFalse(Penalty.with_user(self.user_fr).search([]))
        self.assertFalse(
            self.env["tms.carrier.penalty.rule"].with_user(self.user_fr).search([])
        )
        with self.assertRaises(AccessError):
            penalties.with_user(self.user_fr).read(["amount"])
        self.assertEqual(Penalty.with_user(self.user_ma).search([]), penalties)
