# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The documented security defaults hold on a fresh database, with no setting written:
each test first deletes the system parameters it depends on."""

import re
import uuid
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.tms_core.models.api.tms_api import API_PREFIX
from odoo.addons.tms_core.models.notification.tms_webhook import PARAM_ALLOW_PRIVATE
from odoo.addons.tms_core.models.portal import tms_track_rate
from odoo.addons.tms_core.tests.common import TmsCommon
from odoo.addons.tms_core.tools import webhook as wh


@tagged("post_install", "-at_install")
class TestSecurityDefaults(HttpCase, TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a fresh database: none of these parameters was ever written
        cls.env["ir.config_parameter"].sudo().search(
            [
                (
                    "key",
                    "in",
                    [
                        tms_track_rate.PARAM_LOOKUPS,
                        tms_track_rate.PARAM_REVEAL_ATTEMPTS,
                        PARAM_ALLOW_PRIVATE,
                    ],
                )
            ]
        ).unlink()
        cls.parcel = cls._make_parcel()

    @classmethod
    def _make_parcel(cls):
        return (
            cls.env["tms.parcel"]
            .with_company(cls.company_ma)
            .create(
                {
                    "company_id": cls.company_ma.id,
                    "shipper_id": cls.shipper_ma.id,
                    "recipient_id": cls.recipient_ma.id,
                    "service_id": cls.service_std.id,
                    "weight": 1.5,
                }
            )
        )

    def _reveal(self, answer):
        page = self.url_open("/track")
        csrf_token = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        return self.url_open(
            "/track/reveal",
            data={
                "csrf_token": csrf_token,
                "token": self.parcel.access_token,
                "answer": answer,
            },
            allow_redirects=False,
        )

    # ----------------------------------------------------------------------------------
    # public tracking page
    # ----------------------------------------------------------------------------------
    def test_30_lookups_a_minute_per_address(self):
        self.assertEqual(self.env["tms.track.rate"]._tms_rate_limits()[0], 30)
        number = self.parcel.tracking_number
        # 10 s into a minute: every lookup below falls in this minute
        with freeze_time(fields.Datetime.now().replace(second=10)) as frozen:
            # 29 lookups of this test's address (127.0.0.1) counted directly...
            Rate = self.env["tms.track.rate"]
            for _i in range(29):
                self.assertTrue(Rate._tms_hit_lookup("127.0.0.1")[0])
            # ...the 30th over HTTP is served, the 31st refused until the minute ends
            self.assertEqual(self.url_open(f"/track?number={number}").status_code, 200)
            refused = self.url_open(f"/track?number={number}")
            self.assertEqual(refused.status_code, 429)
            self.assertEqual(refused.headers["Retry-After"], "50")
            # another address is not concerned
            self.assertTrue(Rate._tms_hit_lookup("203.0.113.7")[0])
            frozen.tick(50)
            self.assertEqual(self.url_open(f"/track?number={number}").status_code, 200)

    def test_5_second_factor_attempts_per_parcel_and_15_minutes(self):
        self.assertEqual(self.env["tms.track.rate"]._tms_rate_limits()[1], 5)
        window_start = fields.Datetime.now().replace(
            minute=fields.Datetime.now().minute // 15 * 15, second=0
        )
        with freeze_time(window_start + timedelta(minutes=1)) as frozen:
            for _i in range(5):
                self.assertEqual(self._reveal("1111").status_code, 403)
            # the 6th attempt is locked out, even with the right answer
            locked = self._reveal("5678")
            self.assertEqual(locked.status_code, 429)
            self.assertIn("Try again in 14 minutes", locked.text)
            # until the quarter of an hour ends
            frozen.tick(14 * 60)
            self.assertEqual(self._reveal("5678").status_code, 303)

    def test_revealed_details_last_an_hour(self):
        page_url = f"/track/{self.parcel.access_token}"
        with freeze_time(fields.Datetime.now()) as frozen:
            self.assertEqual(self._reveal("5678").status_code, 303)
            self.assertIn("Ibnou Mounir", self.url_open(page_url).text)
            frozen.tick(59 * 60)
            self.assertIn("Ibnou Mounir", self.url_open(page_url).text)
            frozen.tick(2 * 60)
            self.assertNotIn("Ibnou Mounir", self.url_open(page_url).text)

    def test_access_tokens_are_random_uuids(self):
        other = self._make_parcel()
        for token in (self.parcel.access_token, other.access_token):
            self.assertEqual(len(token), 36)
            self.assertEqual(uuid.UUID(token).version, 4)
        self.assertNotEqual(self.parcel.access_token, other.access_token)

    # ----------------------------------------------------------------------------------
    # REST API
    # ----------------------------------------------------------------------------------
    def test_600_api_requests_a_minute_per_key(self):
        self.assertEqual(self.env.ref("base.main_company").tms_api_rate_limit, 600)
        self.assertEqual(self.company_ma.tms_api_rate_limit, 600)
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.user_ma)
            ._generate(None, "test", fields.Datetime.now() + timedelta(hours=1))
        )
        response = self.url_open(
            API_PREFIX + "/parcels", headers={"Authorization": f"Bearer {key}"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["X-RateLimit-Limit"], "600")
        self.assertEqual(response.headers["X-RateLimit-Remaining"], "599")

    # ----------------------------------------------------------------------------------
    # webhooks
    # ----------------------------------------------------------------------------------
    def _webhook(self, url="https://hooks.example.com/tms"):
        return self.env["tms.webhook"].create(
            {
                "name": "Shop",
                "company_id": self.company_ma.id,
                "url": url,
                "trigger_ids": [
                    Command.set(
                        self.env.ref("tms_core.tms_notification_trigger_confirmed").ids
                    )
                ],
            }
        )

    def test_webhook_secret_has_256_random_bits(self):
        webhook = self._webhook()
        secret = webhook.sudo().secret
        self.assertTrue(secret.startswith("whsec_"))
        # token_urlsafe(32): 32 random bytes, 43 characters
        self.assertEqual(len(secret), len("whsec_") + 43)
        self.assertNotEqual(secret, wh.generate_secret())

    def test_signatures_older_or_newer_than_5_minutes_are_refused(self):
        secret, body = wh.generate_secret(), b'{"id": "evt_1"}'
        with freeze_time(fields.Datetime.now()):
            now = int(fields.Datetime.now().timestamp())
            for offset in (-300, 0, 300):
                header = wh.signature_header(secret, body, now + offset)
                self.assertEqual(wh.verify(secret, body, header), now + offset)
            for offset in (-301, 301):
                header = wh.signature_header(secret, body, now + offset)
                with self.assertRaises(wh.WebhookSignatureError) as caught:
                    wh.verify(secret, body, header)
                self.assertEqual(caught.exception.code, "expired")

    def test_previous_secret_signs_for_24_hours_after_a_rotation(self):
        webhook = self._webhook()
        old_secret = webhook.sudo().secret
        with freeze_time(fields.Datetime.now()) as frozen:
            webhook.action_rotate_secret()
            self.assertEqual(webhook._tms_signing_secrets()[1:], [old_secret])
            frozen.tick(24 * 3600 - 60)
            self.assertEqual(webhook._tms_signing_secrets()[1:], [old_secret])
            frozen.tick(2 * 60)
            self.assertEqual(webhook._tms_signing_secrets(), [webhook.sudo().secret])

    def test_webhooks_to_private_addresses_are_refused(self):
        self.assertFalse(self.env["tms.webhook"]._tms_allow_private_urls())
        for url in (
            "http://127.0.0.1:8069/hook",
            "http://192.168.1.10/hook",
            "http://169.254.169.254/latest/meta-data",
        ):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                self._webhook(url)

    # ----------------------------------------------------------------------------------
    # data protection
    # ----------------------------------------------------------------------------------
    def test_recipients_data_is_kept_unless_a_delay_is_set(self):
        # 0 days, the documented default: the daily job anonymises nothing
        self.assertEqual(self.env.ref("base.main_company").tms_gdpr_anonymize_days, 0)
        self.assertEqual(self.company_ma.tms_gdpr_anonymize_days, 0)
        cron = self.env.ref("tms_core.ir_cron_tms_gdpr_anonymize")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        for state in ("confirmed", "picked_up", "at_hub", "delivered"):
            self.parcel._set_state(state)
        past = fields.Datetime.now() - timedelta(days=3 * 365)
        self.parcel.with_context(tms_event_apply=True).write(
            {"last_event_date": past, "date_delivered": past}
        )
        self.env["tms.parcel"]._cron_tms_gdpr_anonymize()
        self.assertFalse(self.parcel.anonymized)
        self.assertEqual(self.parcel.recipient_zip, "20250")
