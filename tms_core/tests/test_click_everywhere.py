# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Odoo's click-everywhere bot over the suite's apps, as each kind of user.

The bot (web/static/src/webclient/clickbot/clickbot.js) opens every menu of an app,
switches to each of its views and clicks each filter; an error dialog or a failed
call fails the test. It covers the menus of tms_ec and tms_hw_proxy too when they are
installed.
"""

import logging

from odoo.tests import HttpCase, tagged

_logger = logging.getLogger(__name__)

MODULES = ("tms_core", "tms_ec", "tms_hw_proxy")
CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('%s');"
)


@tagged("post_install", "-at_install")
class TestClickEverywhere(HttpCase):
    allow_end_on_form = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tms_user = cls.env["res.users"].create(
            {
                "name": "Back Office Clicker",
                "login": "tms_clicker",
                "password": "tms_clicker",
                "groups_id": [(6, 0, [cls.env.ref("tms_core.group_tms_user").id])],
            }
        )

    def _apps(self, user):
        """xmlids of the suite's apps (root menus) that ``user`` sees."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        apps = [menus[app_id] for app_id in menus["root"]["children"]]
        return [app["xmlid"] for app in apps if app["xmlid"].split(".")[0] in MODULES]

    def _click_everywhere(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        if not user:
            self.skipTest(f"no {login} user (demo data not loaded)")
        if "tour_enabled" in user._fields:
            user.tour_enabled = False
        apps = self._apps(user)
        self.assertTrue(apps, f"{login} sees a Transport app")
        for xmlid in apps:
            with self.subTest(login=login, app=xmlid):
                _logger.info("Clicking everywhere in %s as %s", xmlid, login)
                self.browser_js(
                    "/odoo",
                    CLICKBOT % xmlid,
                    "odoo.isReady === true",
                    login=login,
                    timeout=1800,
                    success_signal="clickbot test succeeded",
                )

    def test_click_everywhere_as_admin(self):
        self._click_everywhere("admin")

    def test_click_everywhere_as_tms_user(self):
        self._click_everywhere("tms_clicker")

    def test_click_everywhere_as_demo_operator(self):
        self._click_everywhere("operator")

    def test_click_everywhere_as_demo_driver(self):
        self._click_everywhere("driver")
