# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command

from .common import TmsTransCommon


class CodCommon(TmsTransCommon):
    """The Moroccan company with its books (the generic chart), a cash journal at the
    Casablanca depot, a COD payable account, a cashier and a hub manager; two shippers;
    and a helper that delivers a round's COD parcels with what the driver declares."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company_ma
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        Account = cls.env["account.account"].with_company(company)
        cls.cod_payable = Account.create(
            {
                "name": "COD payable to shippers",
                "code": "448100",
                "account_type": "liability_payable",
                "reconcile": True,
            }
        )
        cls.fee_income = Account.create(
            {"name": "COD fees", "code": "706900", "account_type": "income"}
        )
        cls.cash_journal = (
            cls.env["account.journal"]
            .with_company(company)
            .create({"name": "Cash Casablanca", "code": "CCAS", "type": "cash"})
        )
        cls.hub_cas.cod_journal_id = cls.cash_journal
        company.write(
            {
                "tms_cod_account_id": cls.cod_payable.id,
                "tms_cod_fee_account_id": cls.fee_income.id,
                "tms_cod_fee": 10.0,
            }
        )
        cls.cashier = cls._create_tms_user("cashier_ma", company, "group_tms_user")
        cls.cashier.groups_id = [
            Command.link(cls.env.ref("tms_trans.group_tms_cod_cashier").id)
        ]
        cls.hub_manager = cls._create_tms_user(
            "hub_manager_ma", company, "group_tms_manager"
        )
        cls.hub_cas.cod_manager_id = cls.hub_manager
        # activities are notified by email: the staff have addresses
        cls.cashier.email = "cashier@colis-express.example.com"
        cls.hub_manager.email = "hub.manager@colis-express.example.com"
        cls.shipper_a = cls.shipper_ma
        cls.shipper_b = cls.env["res.partner"].create(
            {
                "name": "Souk Digital",
                "company_id": company.id,
                "country_id": cls.morocco.id,
                "is_company": True,
            }
        )

    def _finished_round(self, declarations):
        """Plan one round for van A with a parcel per (recipient, shipper, cod,
        declaration), declare and deliver them: returns (round, parcels).
        A declaration is (amount, method, reference, reason), or None for a parcel
        the driver declares nothing for."""
        parcels = self.env["tms.parcel"]
        for recipient, shipper, cod in [d[:3] for d in declarations]:
            parcels |= self._parcel_at_hub(
                self.places[recipient], cod_amount=cod, shipper_id=shipper.id
            )
        self._plan(self.van_a, parcels)
        rounds = parcels.round_id
        rounds.action_plan()
        self._event(parcels, "out_for_delivery")
        for parcel, declaration in zip(
            parcels, [d[3] for d in declarations], strict=False
        ):
            if declaration:
                amount, method, reference, reason = declaration
                parcel.with_user(self.driver_a).sudo()._tms_record_cod_collection(
                    amount, method, reference=reference, reason=reason
                )
        self._event(parcels, "delivered")
        self.assertEqual(rounds.state, "done")
        return rounds, parcels

    def _standard_round(self):
        """Karim pays 350 cash, Salma 200 by cheque (shipper A); Youssef pays 100 of
        150 cash (shipper B); Nadia pays nothing (no COD)."""
        return self._finished_round(
            [
                ("Karim Alaoui", self.shipper_a, 350.0, (350.0, "cash", None, None)),
                (
                    "Salma Idrissi",
                    self.shipper_a,
                    200.0,
                    (200.0, "cheque", "CHQ 0042", None),
                ),
                (
                    "Youssef Tazi",
                    self.shipper_b,
                    150.0,
                    (100.0, "cash", None, "Customer refused one item"),
                ),
                ("Nadia Berrada", self.shipper_a, 0.0, None),
            ]
        )
