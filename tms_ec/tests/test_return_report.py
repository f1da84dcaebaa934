# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.tms_core.tests.common import TmsCommon

OLD_DAYS = 200


class MerchantDataMixin:
    """Two merchants of the Moroccan carrier with parcels (cash on delivery, some
    delivered with their contents) and returns, plus a French merchant."""

    @classmethod
    def _setup_merchant_data(cls):
        Partner = cls.env["res.partner"]
        cls.shipper_ma.is_company = True
        cls.other_shipper = Partner.create(
            {
                "name": "Bazar Fes",
                "is_company": True,
                "company_id": cls.company_ma.id,
                "country_id": cls.morocco.id,
            }
        )
        cls.shipper_fr = Partner.create(
            {"name": "Boutique Lyon", "is_company": True, "country_id": cls.france.id}
        )
        Product = cls.env["product.product"]
        cls.product_a = Product.create({"name": "Embroidered Caftan"})
        cls.product_b = Product.create({"name": "Leather Slippers"})
        Reason = cls.env["tms.return.reason"]
        cls.reason_damaged = Reason.create(
            {"name": "Arrived damaged", "code": "H7_DAMAGED", "merchant_fault": True}
        )
        cls.reason_size = Reason.create({"name": "Wrong size", "code": "H7_SIZE"})

        # the merchant's parcels
        cls.p_confirmed = cls._merchant_parcel(
            cod_amount=100.0, client_reference="ATLAS-1"
        )
        cls.p_transit = cls._merchant_parcel(
            cod_amount=50.5, client_reference="ATLAS-2"
        )
        cls.p_delivered1 = cls._merchant_parcel(
            cod_amount=200.0,
            client_reference="ATLAS-3",
            line_ids=[cls._line(cls.product_a, 4), cls._line(cls.product_b, 2)],
        )
        cls.p_delivered2 = cls._merchant_parcel(
            client_reference="ATLAS-4", line_ids=[cls._line(cls.product_a, 6)]
        )
        cls.p_cancelled = cls._merchant_parcel(
            cod_amount=70.0, client_reference="ATLAS-5"
        )
        cls.p_old = cls._merchant_parcel(
            cod_amount=30.0,
            client_reference="ATLAS-6",
            line_ids=[cls._line(cls.product_a, 5)],
        )
        # the other merchant's delivered parcel, of the same product
        cls.o_delivered = cls._merchant_parcel(
            shipper=cls.other_shipper,
            cod_amount=999.0,
            client_reference="BAZAR-1",
            line_ids=[cls._line(cls.product_a, 10)],
        )
        # a French merchant's parcel
        cls.f_delivered = cls._merchant_parcel(
            company=cls.company_fr,
            shipper=cls.shipper_fr,
            client_reference="LYON-1",
            line_ids=[cls._line(cls.product_a, 7)],
        )
        delivered = cls.p_delivered1 | cls.p_delivered2 | cls.p_old | cls.o_delivered
        for state in ("picked_up", "at_hub", "out_for_delivery", "delivered"):
            delivered._set_state(state, hub_id=cls.hub_cas.id)
        for state in ("picked_up", "at_hub", "out_for_delivery", "delivered"):
            cls.f_delivered._set_state(state, hub_id=cls.hub_par.id)
        cls.p_transit._set_state("picked_up", hub_id=cls.hub_cas.id)
        cls.p_cancelled._set_state("cancelled")
        old = fields.Datetime.now() - timedelta(days=OLD_DAYS)
        cls.p_old.date_delivered = old

        # returns
        cls.r1 = cls._return(
            cls.p_delivered1,
            [
                (cls.product_a, 1, cls.reason_damaged),
                (cls.product_b, 1, cls.reason_size),
            ],
        )
        cls.r2 = cls._return(cls.p_delivered2, [(cls.product_a, 2, cls.reason_size)])
        cls.r_cancelled = cls._return(
            cls.p_delivered2, [(cls.product_a, 3, cls.reason_size)]
        )
        cls.r_cancelled.state = "cancelled"
        cls.r_old = cls._return(cls.p_old, [(cls.product_a, 2, cls.reason_damaged)])
        cls.r_old.date_requested = old
        cls.o_return = cls._return(
            cls.o_delivered, [(cls.product_a, 5, cls.reason_damaged)]
        )
        cls.f_return = cls._return(
            cls.f_delivered, [(cls.product_a, 1, cls.reason_damaged)]
        )

    @classmethod
    def _line(cls, product, quantity):
        return Command.create({"product_id": product.id, "quantity": quantity})

    @classmethod
    def _merchant_parcel(cls, shipper=None, company=None, **vals):
        company = company or cls.company_ma
        values = {
            "company_id": company.id,
            "shipper_id": (shipper or cls.shipper_ma).id,
            "recipient_id": cls.recipient_ma.id if company == cls.company_ma else False,
            "service_id": cls.service_std.id,
            "weight": 1.0,
            "state": "confirmed",
            "date_shipping": fields.Datetime.now() - timedelta(hours=8),
        }
        values.update(vals)
        return cls.env["tms.parcel"].with_company(company).create(values)

    @classmethod
    def _return(cls, parcel, items):
        """A return of ``items`` (product, quantity, reason) of ``parcel``, created
        as the back office would, without the approval rules."""
        line_of = {line.product_id: line for line in parcel.line_ids}
        return (
            cls.env["tms.return"]
            .with_context(tms_ec_no_approval_rules=True)
            .create(
                {
                    "origin_parcel_id": parcel.id,
                    "company_id": parcel.company_id.id,
                    "line_ids": [
                        Command.create(
                            {
                                "parcel_line_id": line_of[product].id,
                                "product_id": product.id,
                                "quantity": quantity,
                                "reason_id": reason.id,
                            }
                        )
                        for product, quantity, reason in items
                    ],
                }
            )
        )


@tagged("post_install", "-at_install")
class TestReturnReport(MerchantDataMixin, TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_merchant_data()
        cls.Report = cls.env["tms.return.report"]
        cls.env.flush_all()

    def _by_product(self, domain, aggregates, user=None):
        Report = self.Report.with_user(user) if user else self.Report
        return {
            product: values
            for product, *values in Report._read_group(
                domain, ["product_id"], aggregates
            )
        }

    def test_rows_sum_to_the_returns_and_deliveries(self):
        merchant = [("shipper_id", "=", self.shipper_ma.id)]
        groups = self._by_product(
            merchant, ["delivered_qty:sum", "returned_qty:sum", "return_count:sum"]
        )
        # all time: A delivered 4 + 6 + 5, returned 1 + 2 + 2 (the cancelled return
        # of 3 is not counted); B delivered 2, returned 1
        self.assertEqual(groups[self.product_a], [15.0, 5.0, 3])
        self.assertEqual(groups[self.product_b], [2.0, 1.0, 1])
        # the truth, from the returns and parcels themselves
        lines = self.env["tms.return.line"].search(
            [
                ("return_id.shipper_id", "=", self.shipper_ma.id),
                ("return_id.state", "not in", ("cancelled", "refused")),
            ]
        )
        parcel_lines = self.env["tms.parcel.line"].search(
            [
                ("parcel_id.shipper_id", "=", self.shipper_ma.id),
                ("parcel_id.state", "=", "delivered"),
            ]
        )
        [[delivered, returned, count]] = self.Report._read_group(
            merchant, [], ["delivered_qty:sum", "returned_qty:sum", "return_count:sum"]
        )
        self.assertEqual(delivered, sum(parcel_lines.mapped("quantity")))
        self.assertEqual(returned, sum(lines.mapped("quantity")))
        # a return of two items counts once
        self.assertEqual(count, len(lines.return_id))
        self.assertEqual(count, 3)

    def test_return_rate_is_weighted_by_quantities(self):
        recent = [
            ("shipper_id", "=", self.shipper_ma.id),
            ("date", ">=", fields.Datetime.now() - timedelta(days=30)),
        ]
        groups = self._by_product(
            recent, ["delivered_qty:sum", "returned_qty:sum", "return_rate:sum"]
        )
        # A: 3 returned of 10 delivered (4 + 6), whatever the parcels' sizes
        self.assertEqual(groups[self.product_a][:2], [10.0, 3.0])
        self.assertAlmostEqual(groups[self.product_a][2], 30.0)
        self.assertAlmostEqual(groups[self.product_b][2], 50.0)
        [[rate]] = self.Report._read_group(recent, [], ["return_rate:sum"])
        self.assertAlmostEqual(rate, 4 * 100 / 12)

    def test_pivot_by_product_and_reason(self):
        merchant = [("shipper_id", "=", self.shipper_ma.id)]
        cells = {
            (product, reason): (delivered, returned)
            for product, reason, delivered, returned in self.Report._read_group(
                merchant,
                ["product_id", "reason_id"],
                ["delivered_qty:sum", "returned_qty:sum"],
            )
        }
        Reason = self.env["tms.return.reason"]
        self.assertEqual(
            cells,
            {
                (self.product_a, Reason): (15.0, 0.0),
                (self.product_a, self.reason_damaged): (0.0, 3.0),
                (self.product_a, self.reason_size): (0.0, 2.0),
                (self.product_b, Reason): (2.0, 0.0),
                (self.product_b, self.reason_size): (0.0, 1.0),
            },
        )
        # by month: the old return and delivery are in their own month
        months = self.Report._read_group(merchant, ["date:month"], ["returned_qty:sum"])
        self.assertEqual(sum(returned for _month, returned in months), 6.0)
        self.assertGreaterEqual(len(months), 2)

    def test_new_and_cancelled_returns_show_at_once(self):
        merchant = [("shipper_id", "=", self.shipper_ma.id)]
        [[before]] = self.Report._read_group(merchant, [], ["returned_qty:sum"])
        self._return(self.p_delivered1, [(self.product_b, 1, self.reason_damaged)])
        self.r2.state = "refused"
        self.env.flush_all()
        [[after]] = self.Report._read_group(merchant, [], ["returned_qty:sum"])
        self.assertEqual(after, before + 1 - 2)

    def test_other_company_user_cannot_read(self):
        # the French operator sees the French merchant only
        rows = self.Report.with_user(self.user_fr).search([])
        self.assertTrue(rows)
        self.assertEqual(rows.company_id, self.company_fr)
        self.assertEqual(rows.shipper_id, self.shipper_fr)
        groups = self._by_product(
            [("shipper_id", "=", self.shipper_ma.id)],
            ["returned_qty:sum"],
            user=self.user_fr,
        )
        self.assertEqual(groups, {})
        # and the Moroccan operator never sees the French rows
        rows = self.Report.with_user(self.user_ma).search([])
        self.assertEqual(rows.company_id, self.company_ma)
        self.assertNotIn(self.shipper_fr, rows.shipper_id)

    def test_portal_user_reads_its_own_rows_only(self):
        portal = self.env.ref("base.group_portal")
        users = {}
        for partner in (self.shipper_ma, self.other_shipper):
            users[partner] = self.env["res.users"].create(
                {
                    "name": partner.name,
                    "login": f"h7_report_{partner.id}",
                    "partner_id": partner.id,
                    "company_id": self.company_ma.id,
                    "company_ids": [Command.set(self.company_ma.ids)],
                    "groups_id": [Command.set(portal.ids)],
                }
            )
        for partner, user in users.items():
            rows = self.Report.with_user(user).search([])
            self.assertTrue(rows)
            self.assertEqual(rows.shipper_id, partner)
        # an internal user without the transport groups reads nothing
        employee = self.env["res.users"].create(
            {
                "name": "Accountant",
                "login": "h7_report_employee",
                "company_id": self.company_ma.id,
                "company_ids": [Command.set(self.company_ma.ids)],
                "groups_id": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.Report.with_user(employee).search([])

    def test_portal_stats_of_the_merchant(self):
        contact = self.env["res.partner"].create(
            {"name": "Nadia", "parent_id": self.shipper_ma.id}
        )
        user = self.env["res.users"].create(
            {
                "name": "Nadia",
                "login": "h7_report_nadia",
                "partner_id": contact.id,
                "company_id": self.company_ma.id,
                "company_ids": [Command.set(self.company_ma.ids)],
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        stats = self.Report.with_user(user)._tms_portal_stats(30)
        rows = {row["product_name"]: row for row in stats["rows"]}
        self.assertEqual(set(rows), {"Embroidered Caftan", "Leather Slippers"})
        caftan = rows["Embroidered Caftan"]
        self.assertEqual(caftan["delivered_qty"], 10.0)
        self.assertEqual(caftan["returned_qty"], 3.0)
        self.assertAlmostEqual(caftan["return_rate"], 30.0)
        self.assertEqual(
            caftan["reasons"], [("Wrong size", 2.0), ("Arrived damaged", 1.0)]
        )
        self.assertEqual(stats["total"]["return_count"], 2)
        stats = self.Report.with_user(user)._tms_portal_stats(365)
        self.assertEqual(stats["total"]["delivered_qty"], 17.0)
        self.assertEqual(stats["total"]["returned_qty"], 6.0)
        self.assertEqual(stats["total"]["return_count"], 3)
