# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.addons.base.tests.common import BaseCommon


class HwCommon(BaseCommon):
    """Two companies (Morocco, France), each with an operator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_ma = cls.env["res.company"].create(
            {"name": "Colis Express Maroc", "country_id": cls.env.ref("base.ma").id}
        )
        cls.company_fr = cls.env["res.company"].create(
            {"name": "Colis Rapide France", "country_id": cls.env.ref("base.fr").id}
        )
        cls.user_ma = cls._create_tms_user(
            "operator_ma", cls.company_ma, "group_tms_user"
        )
        cls.user_fr = cls._create_tms_user(
            "operator_fr", cls.company_fr, "group_tms_user"
        )

    @classmethod
    def _create_tms_user(cls, login, company, group):
        return cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [cls.env.ref(f"tms_core.{group}").id])],
            }
        )
