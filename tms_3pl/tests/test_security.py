# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import Tms3plCommon


@tagged("post_install", "-at_install")
class TestSecurity(Tms3plCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carrier = cls.env["tms.carrier"].create(
            {"name": "Atlas Fret", "company_id": cls.company_ma.id}
        )
        cls.contract = cls.env["tms.carrier.contract"].create(
            {
                "name": "2026",
                "carrier_id": cls.carrier.id,
                "zone_line_ids": [(0, 0, {"zone_id": cls.zone_cas.id})],
                "rate_ids": [(0, 0, {"price": 20})],
            }
        )

    def test_another_company_sees_nothing(self):
        for model in (
            "tms.sla.policy",
            "tms.carrier.contract",
            "tms.carrier.contract.zone",
            "tms.carrier.rate",
        ):
            with self.subTest(model=model):
                self.assertFalse(
                    self.env[model].with_user(self.user_fr).search([]),
                )
        with self.assertRaises(AccessError):
            self.policy.with_user(self.user_fr).read(["name"])
        with self.assertRaises(AccessError):
            self.contract.with_user(self.user_fr).read(["name"])

    def test_operators_read_managers_write(self):
        policy = self.policy.with_user(self.user_ma)
        self.assertEqual(policy.name, "Atlas J+1")
        with self.assertRaises(AccessError):
            policy.write({"delay": 2})
        with self.assertRaises(AccessError):
            self.contract.with_user(self.user_ma).write({"daily_capacity": 10})
        self.policy.with_user(self.manager_ma).write({"delay": 2})
        self.contract.with_user(self.manager_ma).write({"daily_capacity": 10})
        self.assertEqual(self.contract.daily_capacity, 10)
