# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest import SkipTest

from odoo.tests import TransactionCase, tagged

LATE = ("met_late", "breached")


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """What a new user opens on the demo database: running contracts, parcels with
    their SLA, penalties on the carriers' bills and the clients' reports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sahara = cls.env.ref(
            "tms_3pl.tms_carrier_contract_sahara_demo", raise_if_not_found=False
        )
        if not cls.sahara:
            raise SkipTest("the demo data of tms_3pl is not loaded")
        cls.garonne = cls.env.ref("tms_3pl.tms_carrier_contract_garonne_demo")
        cls.companies = cls.env.ref("tms_core.res_company_ma_demo") | cls.env.ref(
            "tms_core.res_company_fr_demo"
        )

    def test_demo_companies_keep_their_currency_and_country(self):
        """The generic chart the penalties need does not make them American."""
        morocco, france = self.companies
        self.assertEqual(morocco.currency_id.name, "MAD")
        self.assertEqual(morocco.account_fiscal_country_id.code, "MA")
        self.assertEqual(france.currency_id.name, "EUR")
        self.assertEqual(france.account_fiscal_country_id.code, "FR")
        penalty = self.env["tms.carrier.penalty"].search(
            [("company_id", "=", morocco.id)], limit=1
        )
        self.assertEqual(penalty.move_id.currency_id.name, "MAD")

    def test_subcontractors_serve_their_zones_under_running_contracts(self):
        self.assertEqual(set((self.sahara | self.garonne).mapped("state")), {"running"})
        carrier = self.env.ref("tms_core.tms_carrier_ma_subcontractor_demo")
        self.assertIn(
            "Agadir: Mon/Wed/Fri", carrier.zone_line_ids.mapped("display_name")
        )
        self.assertTrue(self.sahara.rate_ids and self.sahara.penalty_rule_ids)

    def test_demo_parcels_have_their_sla(self):
        Parcel = self.env["tms.parcel"]
        for company in self.companies:
            parcels = Parcel.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "!=", "cancelled"),
                    ("date_shipping", "!=", False),
                ]
            )
            self.assertTrue(parcels, company.name)
            self.assertFalse(
                parcels.filtered(lambda p: not p.sla_policy_id or not p.sla_state),
                f"every parcel of {company.name} has its SLA",
            )
            self.assertTrue(
                parcels.filtered(lambda p: p.sla_state in LATE), company.name
            )
        j1 = self.env.ref("tms_3pl.tms_sla_policy_ma_j1_casablanca_demo")
        casablanca = Parcel.search(
            [
                ("service_id", "=", j1.service_id.id),
                ("zone_id", "in", j1.zone_ids.ids),
                ("shipper_id", "!=", j1.partner_id.id),
            ]
        )
        self.assertEqual(casablanca.sla_policy_id, j1)

    def test_penalties_on_the_carriers_bills_with_their_parcels(self):
        for contract in self.sahara | self.garonne:
            penalties = self.env["tms.carrier.penalty"].search(
                [("contract_id", "=", contract.id)]
            )
            self.assertTrue(penalties, contract.display_name)
            self.assertEqual(
                set(penalties.parcel_id.mapped("sla_state")) - set(LATE), set()
            )
            moves = penalties.move_id
            self.assertTrue(moves)
            self.assertEqual(
                set(moves.mapped("move_type")) - {"in_invoice", "in_refund"}, set()
            )
            self.assertEqual(moves.commercial_partner_id, contract.partner_id)
            # the Late Parcels button of each line lists them
            billed = penalties.filtered("move_line_id")
            self.assertTrue(billed)
            self.assertEqual(billed.move_line_id.tms_penalty_ids, billed)

    def test_client_sla_reports_of_the_month(self):
        reports = self.env["tms.sla.client.report"].search(
            [("company_id", "in", self.companies.ids)]
        )
        self.assertEqual(reports.company_id, self.companies)
        self.assertEqual(set(reports.mapped("state")), {"draft"})
        self.assertTrue(all(report.parcel_count for report in reports))
