# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""GPS breadcrumbs of started rounds: the driver's route, consent, interval,
retention and the dispatcher map."""

import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import TmsTransCommon

GPS_URL = "/tms/driver/gps"


@tagged("post_install", "-at_install")
class TestGps(HttpCase, TmsTransCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.driver_a, cls.driver_b):
            user.password = f"{user.login}-password"
        cls.company_ma.tms_gps_interval = 30

    def setUp(self):
        super().setUp()
        for partner in list(self.places.values())[:2]:
            self._parcel_at_hub(partner)
        self.round, _action = self._plan(self.van_a)
        self.round.action_plan()

    def _points(self, count, step=30, start=None):
        start = start or fields.Datetime.now() - timedelta(minutes=10)
        return [
            {
                "t": fields.Datetime.to_string(start + timedelta(seconds=i * step)),
                "lat": 33.57 + i / 1000,
                "lon": -7.59 - i / 1000,
                "acc": 12.5,
            }
            for i in range(count)
        ]

    def _post(self, login, points, round_id=None):
        self.authenticate(login, f"{login}-password")
        response = self.url_open(
            GPS_URL,
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "round_id": round_id or self.round.id,
                        "points": points,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        return response.json()["result"]

    def _stored(self):
        return self.env["tms.round.position"].search([("round_id", "=", self.round.id)])

    def test_driver_with_consent_posts_a_batch_once(self):
        self.driver_a.with_user(self.driver_a).tms_gps_consent = True
        self.round.action_start()
        points = self._points(5)
        result = self._post("driver_a", points)
        self.assertEqual(result["accepted"], 5, result)
        self.assertEqual(result["interval"], 30)
        # the phone did not get the answer and sends the batch again
        result = self._post("driver_a", points)
        self.assertEqual((result["accepted"], result["duplicates"]), (0, 5))
        stored = self._stored()
        self.assertEqual(len(stored), 5)
        self.assertEqual(stored.driver_id, self.driver_a)
        self.assertAlmostEqual(stored[0].accuracy, 12.5)

    def test_refused_without_consent_when_not_started_or_not_his(self):
        self.round.action_start()
        result = self._post("driver_a", self._points(2))
        self.assertEqual(result["error"]["code"], "refused")
        self.driver_a.with_user(self.driver_a).tms_gps_consent = True
        self.driver_b.with_user(self.driver_b).tms_gps_consent = True
        result = self._post("driver_b", self._points(2))
        self.assertEqual(result["error"]["code"], "not_found")
        self.round.action_finish()
        result = self._post("driver_a", self._points(2))
        self.assertEqual(result["error"]["code"], "refused")
        self.assertFalse(self._stored())

    def test_bad_points_and_points_closer_than_the_interval(self):
        self.driver_a.with_user(self.driver_a).tms_gps_consent = True
        self.round.action_start()
        points = self._points(6, step=10)
        points.append({"t": points[0]["t"], "lat": 95, "lon": 0})
        points.append({"lat": 33.5})
        future = fields.Datetime.now() + timedelta(hours=1)
        points.append({"t": fields.Datetime.to_string(future), "lat": 33, "lon": -7})
        result = self._post("driver_a", points)
        self.assertEqual(result["rejected"], [6, 7, 8])
        # 10 s apart with a 30 s interval: one point in three is kept
        self.assertEqual((result["accepted"], result["skipped"]), (2, 4))

    def test_consent_is_the_drivers_own(self):
        admin = self.env.ref("base.user_admin")
        with self.assertRaises(AccessError):
            self.driver_a.with_user(admin).write({"tms_gps_consent": True})
        self.driver_a.with_user(self.driver_a).write({"tms_gps_consent": True})
        self.assertTrue(self.driver_a.tms_gps_consent)
        # turning it off for him is allowed
        self.driver_a.with_user(admin).write({"tms_gps_consent": False})
        self.assertFalse(self.driver_a.tms_gps_consent)

    def test_old_points_deleted_by_the_cron(self):
        now = fields.Datetime.now().replace(microsecond=0)
        Position = self.env["tms.round.position"]
        Position._tms_insert(
            [
                (self.round.id, self.driver_a.id, now - timedelta(days=40), 33, -7, 5),
                (self.round.id, self.driver_a.id, now - timedelta(days=2), 33, -7, 5),
            ]
        )
        self.company_ma.tms_gps_retention_days = 30
        Position._cron_tms_gps_cleanup()
        self.assertEqual(len(self._stored()), 1)
        self.assertEqual(self._stored().recorded_at, now - timedelta(days=2))

    def test_map_shows_the_breadcrumbs_of_started_rounds(self):
        self.driver_a.with_user(self.driver_a).tms_gps_consent = True
        self.round.action_start()
        self.round.with_user(self.driver_a)._tms_gps_record(self._points(3))
        data = (
            self.env["tms.round"]
            .with_user(self.user_ma)
            .tms_map_data(
                date=fields.Date.to_string(self.tomorrow), hub_id=self.hub_cas.id
            )
        )
        round_data = next(r for r in data["rounds"] if r["id"] == self.round.id)
        self.assertEqual(len(round_data["breadcrumbs"]), 3)
        self.assertEqual(round_data["last_position"][:2], [33.572, -7.592])
