# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("tms_core.res_company_ma_demo")
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Dashboard Manager",
                "login": "dash_tour_manager",
                "password": "dash_tour_manager",
                "company_id": cls.company.id,
                "company_ids": [(6, 0, cls.company.ids)],
                "groups_id": [(6, 0, [cls.env.ref("tms_core.group_tms_manager").id])],
            }
        )
        # a parcel waiting for pickup for three days, on top of the demo data
        now = fields.Datetime.now()
        cls.env["tms.parcel"].create(
            {
                "company_id": cls.company.id,
                "state": "confirmed",
                "date_shipping": now - timedelta(days=3),
                "date_promised": now + timedelta(days=3),
            }
        )
        cls.env["tms.parcel"]._cron_tms_exceptions()

    def test_dashboard_tour(self):
        self.start_tour(
            "/odoo/action-tms_core.tms_dashboard_action",
            "tms_dashboard_tour",
            login="dash_tour_manager",
            timeout=120,
        )

    def test_dashboard_menu_for_managers_only(self):
        menu = self.env.ref("tms_core.tms_dashboard_menu")
        operator = self.env.ref("tms_core.user_operator_demo")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.manager)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(operator)._visible_menu_ids())
