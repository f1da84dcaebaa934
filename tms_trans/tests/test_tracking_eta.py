# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Customers see their driver coming: the notification when the round starts, the
arrival window and the stops before theirs, a late round, the driver's position."""

import json
from datetime import timedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools.misc import format_datetime

from odoo.addons.tms_core.models.notification.tms_webhook import PARAM_ALLOW_PRIVATE
from odoo.addons.tms_core.tests.test_webhook_tools import LocalReceiver

from .common import TmsTransCommon, trap_jobs


@tagged("post_install", "-at_install")
class TestRoundEta(TmsTransCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.places["Karim Alaoui"].lang = "ar_001"
        cls.places["Salma Idrissi"].lang = "fr_FR"
        cls.company_ma.tms_eta_margin_minutes = 30
        cls.trigger = cls.env.ref("tms_trans.tms_notification_trigger_round_started")
        cls.mail_template = cls.env.ref(
            "tms_trans.tms_mail_template_parcel_round_started"
        )

    def setUp(self):
        super().setUp()
        self.parcels = {
            name: self._parcel_at_hub(
                partner, recipient_email=f"{name.split()[0].lower()}@example.com"
            )
            for name, partner in self.places.items()
        }
        rounds, _action = self._plan(self.van_a)
        self.round = rounds
        self.round.action_plan()
        self.stops = self.round.stop_ids.sorted(lambda s: (s.sequence, s.id))

    def _rule(self):
        return self.env["tms.notification.rule"].create(
            {
                "name": "Recipient: driver on his way",
                "company_id": self.company_ma.id,
                "trigger_ids": [Command.set(self.trigger.ids)],
                "audience": "recipient",
                "channel": "email",
                "mail_template_id": self.mail_template.id,
            }
        )

    def _window(self, start, end):
        tz = self.round.parcel_ids[:1]._tms_public_tz()
        return (
            format_datetime(self.env, start, tz=tz, dt_format="HH:mm"),
            format_datetime(self.env, end, tz=tz, dt_format="HH:mm"),
        )

    def test_round_start_notifies_each_recipient_in_their_language(self):
        self._rule()
        with trap_jobs() as trap:
            self.round.action_start()
            trap.assert_jobs_count(1, only=self.round._tms_notify_round_started)
            trap.perform_enqueued_jobs()
        logs = self.env["tms.notification.log"].search(
            [("rule_id.trigger_ids", "in", self.trigger.ids)]
        )
        self.assertEqual(logs.parcel_id, self.round.parcel_ids)
        by_parcel = {log.parcel_id: log for log in logs}
        karim = by_parcel[self.parcels["Karim Alaoui"]]
        salma = by_parcel[self.parcels["Salma Idrissi"]]
        self.assertEqual(karim.lang, "ar_001")
        self.assertEqual(salma.lang, "fr_FR")
        self.assertEqual(set(logs.mapped("state")), {"sent"})
        # the email gives the parcel's arrival window
        stop = salma.parcel_id.round_stop_id
        margin = timedelta(minutes=30)
        start, end = self._window(
            stop.planned_arrival - margin, stop.planned_arrival + margin
        )
        self.assertIn(f"{start} - {end}", salma.mail_id.body_html)
        self.assertIn(salma.parcel_id.tracking_number, salma.mail_id.subject)

    def test_webhooks_hear_the_round_start(self):
        """A webhook subscribed to Round Started (and no rule) gets one signed
        parcel.round_started per parcel of the round, with its arrival window."""
        self.env["ir.config_parameter"].sudo().set_param(PARAM_ALLOW_PRIVATE, "True")
        with LocalReceiver() as receiver:
            webhook = self.env["tms.webhook"].create(
                {
                    "name": "Shop",
                    "company_id": self.company_ma.id,
                    "url": receiver.url,
                    "trigger_ids": [Command.set(self.trigger.ids)],
                }
            )
            with trap_jobs() as trap:
                self.round.action_start()
                trap.assert_jobs_count(1, only=self.round._tms_notify_round_started)
                trap.perform_enqueued_jobs()
                parcels = self.round.parcel_ids
                trap.assert_jobs_count(len(parcels), only=webhook._tms_deliver)
                self.assertFalse(receiver.requests, "sent by their own jobs")
                trap.perform_enqueued_jobs()
            payloads = [json.loads(request["body"]) for request in receiver.requests]
        self.assertEqual({p["type"] for p in payloads}, {"parcel.round_started"})
        by_number = {p["parcel"]["tracking_number"]: p for p in payloads}
        self.assertEqual(set(by_number), set(parcels.mapped("tracking_number")))
        first = self.stops[0].parcel_ids[0]
        delivery = by_number[first.tracking_number]["parcel"]["delivery"]
        self.assertEqual(delivery["stops_before"], 0)
        window = delivery["arrival_window"]
        self.assertTrue(window["start"].endswith("Z"))
        self.assertLess(window["start"], window["end"])
        self.assertEqual(
            set(webhook.delivery_ids.mapped("state")), {"success"}, "all delivered"
        )

    def test_no_rule_no_job_and_only_one_notification_per_start(self):
        with trap_jobs() as trap:
            self.round.action_start()
            trap.assert_jobs_count(0)
        self._rule()
        with trap_jobs() as trap:
            # the driver's first scan on a round already started starts nothing
            self._event(self.round.parcel_ids, "out_for_delivery")
            trap.assert_jobs_count(0, only=self.round._tms_notify_round_started)

    def test_driver_first_scan_starts_the_round_and_notifies(self):
        self._rule()
        with trap_jobs() as trap:
            self._event(self.round.parcel_ids, "out_for_delivery")
            self.assertEqual(self.round.state, "started")
            trap.assert_jobs_count(1, only=self.round._tms_notify_round_started)

    def test_trigger_codes_are_still_checked(self):
        with self.assertRaises(ValidationError):
            self.env["tms.notification.trigger"].create(
                {"name": "Nonsense", "code": "round_nonsense"}
            )

    def test_window_and_stops_before_follow_the_round(self):
        first, second, third, last = self.stops
        parcel = last.parcel_ids
        planned = parcel._tms_round_eta()
        self.assertFalse(planned["started"])
        self.assertEqual(
            (planned["window_start"], planned["window_end"]),
            self._window(
                last.planned_arrival - timedelta(minutes=30),
                last.planned_arrival + timedelta(minutes=30),
            ),
        )
        self._event(self.round.parcel_ids, "out_for_delivery")
        on_time = first.planned_arrival - timedelta(minutes=10)
        eta = parcel._tms_round_eta(now=on_time)
        self.assertEqual(eta["stops_before"], 3)
        self.assertFalse(eta["late"])
        self._event(first.parcel_ids, "delivered")
        reason = self.env["tms.failure.reason"].search([], limit=1)
        self._event(second.parcel_ids, "failed", failure_reason_id=reason.id)
        eta = parcel._tms_round_eta(now=on_time)
        self.assertEqual(eta["stops_before"], 1)
        # the public page gets it too
        self.assertEqual(parcel._tms_public_data()["eta"]["stops_before"], 1)
        # the last parcel's own stop done: no window any more
        self._event(third.parcel_ids | parcel, "delivered")
        self.assertIsNone(parcel._tms_round_eta())

    def test_late_round_moves_the_window_and_says_so(self):
        first, _second, _third, last = self.stops
        self._event(self.round.parcel_ids, "out_for_delivery")
        self.round.date_started = first.planned_arrival - timedelta(minutes=30)
        # 40 minutes after the first stop's planned arrival, nothing delivered yet
        now = first.planned_arrival + timedelta(minutes=40)
        eta = last.parcel_ids._tms_round_eta(now=now)
        self.assertTrue(eta["late"])
        moved = last.planned_arrival + timedelta(minutes=40)
        self.assertEqual(
            (eta["window_start"], eta["window_end"]),
            self._window(moved - timedelta(minutes=30), moved + timedelta(minutes=30)),
        )

    def test_driver_position_only_when_turned_on_and_near(self):
        first, second, _third, last = self.stops
        self.driver_a.tms_gps_consent = True
        self._event(self.round.parcel_ids, "out_for_delivery")
        self.env["tms.round.position"]._tms_insert(
            [
                (
                    self.round.id,
                    self.driver_a.id,
                    first.planned_arrival.replace(microsecond=0),
                    33.5901,
                    -7.6102,
                    8.0,
                )
            ]
        )
        near, far = second.parcel_ids, last.parcel_ids
        self.company_ma.tms_track_driver_stops = 2
        # off by default
        self.assertIsNone(near._tms_round_eta()["driver"])
        self.company_ma.tms_track_show_driver = True
        self.assertEqual(near._tms_round_eta()["driver"]["latitude"], 33.5901)
        self.assertIsNone(far._tms_round_eta()["driver"], "3 stops before: too far")


@tagged("post_install", "-at_install")
class TestTrackingPageEta(HttpCase, TmsTransCommon):
    def test_page_shows_the_window_and_the_stops_before(self):
        parcels = [self._parcel_at_hub(partner) for partner in self.places.values()]
        rounds, _action = self._plan(self.van_a)
        rounds.action_plan()
        self._event(rounds.parcel_ids, "out_for_delivery")
        last = rounds.stop_ids.sorted(lambda s: (s.sequence, s.id))[-1]
        parcel = last.parcel_ids
        self.assertIn(parcel, parcels)
        eta = parcel._tms_round_eta()
        response = self.url_open(f"/track/{parcel._portal_ensure_token()}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("3 stops before yours", response.text)
        self.assertIn(eta["window_start"], response.text)
        self.assertIn(eta["window_end"], response.text)
        self.assertNotIn("o_tms_track_eta_driver", response.text)
        self.assertNotIn("o_tms_track_eta_late", response.text)
