# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The driver turns the sharing of his position on or off from his phone app: his
own consent only, read back with the app's data and the company's interval."""

import json

from odoo.tests import HttpCase, tagged

from .common import TmsTransCommon


@tagged("post_install", "-at_install")
class TestDriverGpsConsent(HttpCase, TmsTransCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.driver_a, cls.driver_b):
            user.password = f"{user.login}-password"
        cls.company_ma.tms_gps_interval = 45

    def _call(self, login, url, **params):
        self.authenticate(login, f"{login}-password")
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        return response.json()["result"]

    def test_driver_turns_his_own_sharing_on_and_off(self):
        data = self._call("driver_a", "/tms/driver/data")
        self.assertEqual(data["gps"], {"consent": False, "interval": 45})
        result = self._call("driver_a", "/tms/driver/gps/consent", consent=True)
        self.assertEqual(result, {"consent": True, "interval": 45})
        self.assertTrue(self.driver_a.tms_gps_consent)
        data = self._call("driver_a", "/tms/driver/data")
        self.assertTrue(data["gps"]["consent"])
        result = self._call(
            "driver_a",
            "/tms/driver/gps/consent",
            consent=False,
            user_id=self.driver_a.id,
        )
        self.assertFalse(result["consent"])
        self.assertFalse(self.driver_a.tms_gps_consent)

    def test_refused_for_another_user(self):
        result = self._call(
            "driver_a",
            "/tms/driver/gps/consent",
            consent=True,
            user_id=self.driver_b.id,
        )
        self.assertEqual(result["error"]["code"], "refused")
        self.assertFalse(self.driver_b.tms_gps_consent)
        self.assertFalse(self.driver_a.tms_gps_consent)
        # and the other way round: his given consent is not taken back by another
        self.driver_b.with_user(self.driver_b).tms_gps_consent = True
        result = self._call(
            "driver_a",
            "/tms/driver/gps/consent",
            consent=False,
            user_id=self.driver_b.id,
        )
        self.assertEqual(result["error"]["code"], "refused")
        self.assertTrue(self.driver_b.tms_gps_consent)
