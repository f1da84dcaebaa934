# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.tms_core.models.notification.tms_webhook import (
    PARAM_ALLOW_PRIVATE,
    WEBHOOK_MAX_ATTEMPTS,
)

from ..tools import webhook as wh
from .test_notifications import NotificationCommon, trap_jobs
from .test_webhook_tools import LocalReceiver


def run_job(job):
    """Perform a job as the job runner does: ("done", None), or ("retry", seconds
    until the next attempt) when it failed in a way worth retrying."""
    try:
        job.perform()
    except RetryableJobError:
        return "retry", job._get_retry_seconds()
    return "done", None


class WebhookCommon(HttpCase, NotificationCommon):
    """HttpCase: jobs log failed attempts through a cursor of their own, which tests
    share with the test transaction only in the registry's test mode."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test receivers listen on 127.0.0.1
        cls.env["ir.config_parameter"].sudo().set_param(PARAM_ALLOW_PRIVATE, "True")

    def _webhook(self, url, codes=("confirmed",), **vals):
        values = {
            "name": "Shop",
            "company_id": self.company_ma.id,
            "url": url,
            "trigger_ids": [Command.set([self._trigger(c).id for c in codes])],
            "responsible_id": self.manager_ma.id,
        }
        values.update(vals)
        return self.env["tms.webhook"].with_user(self.manager_ma).create(values)

    def _check_signed(self, request, secret):
        """The receiver's side: the raw body is signed with the secret, recently."""
        headers = request["headers"]
        wh.verify(secret, request["body"], headers["X-TMS-Signature"])
        payload = json.loads(request["body"])
        self.assertEqual(headers["X-TMS-Event-Id"], payload["id"])
        self.assertEqual(headers["X-TMS-Event-Type"], payload["type"])
        return payload


@tagged("post_install", "-at_install")
class TestWebhookDelivery(WebhookCommon):
    def test_signed_documented_payload_from_a_background_job(self):
        with LocalReceiver() as receiver:
            webhook = self._webhook(receiver.url, codes=("created", "confirmed"))
            secret = webhook.sudo().secret
            with trap_jobs() as trap:
                # an operator, who may not even read webhooks, scans
                parcel = self._create_parcel(client_reference="SO-42").with_user(
                    self.user_ma
                )
                parcel.action_confirm()
                trap.assert_jobs_count(2)
                trap.perform_enqueued_jobs()
                # nothing left the server before the jobs ran
                self.assertEqual(receiver.requests, [])
                trap.assert_jobs_count(2, only=webhook._tms_deliver)
                for job in trap.enqueued_jobs:
                    self.assertEqual(job.max_retries, WEBHOOK_MAX_ATTEMPTS)
                trap.perform_enqueued_jobs()
            self.assertEqual(len(receiver.requests), 2)
            created, confirmed = (
                self._check_signed(request, secret) for request in receiver.requests
            )
        self.assertEqual(created["type"], "parcel.created")
        self.assertEqual(confirmed["type"], "parcel.state_changed")
        self.assertNotEqual(created["id"], confirmed["id"])
        self.assertEqual(
            confirmed["parcel"],
            {
                "tracking_number": parcel.tracking_number,
                "client_reference": "SO-42",
                "state": "confirmed",
                "previous_state": "draft",
                "hub": None,
                "event_time": confirmed["parcel"]["event_time"],
                "date_promised": confirmed["parcel"]["date_promised"],
                "failure_reason": None,
                "tracking_url": parcel._tms_public_tracking_url(),
            },
        )
        self.assertTrue(confirmed["occurred_at"].endswith("Z"))
        # no personal data of the recipient
        body = b"".join(request["body"] for request in receiver.requests).decode()
        for personal in ("Fatima", "612345678", "Ibnou", "fatima@"):
            self.assertNotIn(personal, body)
        deliveries = webhook.delivery_ids
        self.assertEqual(deliveries.mapped("state"), ["success", "success"])
        self.assertEqual(deliveries.mapped("status_code"), [200, 200])
        self.assertEqual(deliveries.parcel_id, parcel)

    def test_500_then_200_is_retried_with_backoff_and_logged(self):
        responses = [(500, "down"), (503, "still down"), (200, '{"ok": true}')]
        with LocalReceiver(responses) as receiver:
            webhook = self._webhook(receiver.url)
            parcel = self._create_parcel()
            with trap_jobs() as trap:
                parcel.action_confirm()
                trap.perform_enqueued_jobs()
                [job] = trap.enqueued_jobs
                self.assertEqual(run_job(job), ("retry", 30))
                self.assertEqual(webhook.failure_count, 1)
                self.assertEqual(run_job(job), ("retry", 60))
                self.assertEqual(webhook.failure_count, 2)
                self.assertEqual(run_job(job), ("done", None))
            requests = receiver.requests
        deliveries = webhook.delivery_ids.sorted("id")
        self.assertEqual(deliveries.mapped("attempt"), [1, 2, 3])
        self.assertEqual(deliveries.mapped("state"), ["failed", "failed", "success"])
        self.assertEqual(deliveries.mapped("status_code"), [500, 503, 200])
        self.assertEqual(deliveries.mapped("response_excerpt")[0], "down")
        self.assertIn("503", deliveries[1].error)
        self.assertEqual(len(set(deliveries.mapped("event_uuid"))), 1)
        self.assertEqual(webhook.failure_count, 0)
        self.assertEqual(webhook.last_delivery_state, "success")
        # at least once: the same event, signed again at each attempt
        self.assertEqual(len(requests), 3)
        self.assertEqual(len({r["headers"]["X-TMS-Event-Id"] for r in requests}), 1)
        self.assertEqual(len({r["body"] for r in requests}), 1)
        secret = webhook.sudo().secret
        for request in requests:
            self._check_signed(request, secret)

    def test_retries_end_after_the_last_attempt(self):
        with LocalReceiver([(500, "down")]) as receiver:
            webhook = self._webhook(receiver.url, failure_threshold=100)
            parcel = self._create_parcel()
            with trap_jobs() as trap:
                parcel.action_confirm()
                trap.perform_enqueued_jobs()
                [job] = trap.enqueued_jobs
                delays = [run_job(job)[1] for _i in range(WEBHOOK_MAX_ATTEMPTS - 1)]
                # (not assertRaises: it would roll the attempt's log back)
                gave_up = False
                try:
                    job.perform()
                except FailedJobError:
                    gave_up = True
        self.assertTrue(gave_up)
        # exponential backoff, about four hours in all
        self.assertEqual(delays, [30, 60, 120, 240, 480, 960, 1920, 3840, 7680])
        self.assertEqual(len(webhook.delivery_ids), WEBHOOK_MAX_ATTEMPTS)
        self.assertEqual(set(webhook.delivery_ids.mapped("state")), {"failed"})

    def test_disabled_after_repeated_failures_then_nothing_lost(self):
        with LocalReceiver([(500, "down")]) as receiver:
            webhook = self._webhook(receiver.url, failure_threshold=3)
            first, second = self._create_parcel(), self._create_parcel()
            with trap_jobs() as trap:
                first.action_confirm()
                trap.perform_enqueued_jobs()
                [job] = trap.enqueued_jobs
                self.assertEqual(run_job(job)[0], "retry")
                self.assertEqual(run_job(job)[0], "retry")
                # the third failure in a row disables it: no more retries
                self.assertEqual(run_job(job), ("done", None))
                trap.enqueued_jobs.clear()
                self.assertTrue(webhook.auto_disabled)
                self.assertTrue(webhook.date_disabled)
                # while disabled, events are held, not sent and not lost
                second.action_confirm()
                trap.perform_enqueued_jobs()
                trap.perform_enqueued_jobs()
                self.assertEqual(len(receiver.requests), 3)
                held = webhook.delivery_ids.filtered(lambda d: d.state == "skipped")
                self.assertEqual(held.parcel_id, second)
                # the responsible and the managers are told
                alert = webhook.message_ids.filtered(
                    lambda m: self.manager_ma.partner_id in m.partner_ids
                )
                self.assertIn("disabled after 3 failed attempts", alert.body)
                activity = webhook.activity_ids
                self.assertEqual(activity.user_id, self.manager_ma)
                self.assertEqual(
                    activity.activity_type_id,
                    self.env.ref("mail.mail_activity_data_warning"),
                )
                # fixed receiver: enable, then re-send what failed or was held
                receiver.responses = [(200, "ok")]
                manager_webhook = webhook.with_user(self.manager_ma)
                with self.assertRaises(UserError):
                    manager_webhook.action_resend_failed()
                manager_webhook.action_enable()
                self.assertFalse(webhook.activity_ids)
                manager_webhook.action_resend_failed()
                trap.perform_enqueued_jobs()  # the re-send job
                trap.assert_jobs_count(2, only=webhook._tms_deliver)
                trap.perform_enqueued_jobs()
        self.assertEqual(len(receiver.requests), 5)
        delivered = webhook.delivery_ids.filtered(lambda d: d.state == "success")
        self.assertEqual(delivered.parcel_id, first | second)
        self.assertEqual(webhook.failure_count, 0)

    def test_send_test_button(self):
        with LocalReceiver([(200, '{"received": true}'), (500, "no")]) as receiver:
            webhook = self._webhook(receiver.url)
            with trap_jobs() as trap:
                action = webhook.with_user(self.manager_ma).action_send_test()
                self.assertEqual(action["tag"], "display_notification")
                self.assertEqual(receiver.requests, [])
                trap.assert_jobs_count(1, only=webhook._tms_deliver)
                trap.perform_enqueued_jobs()
                self.assertEqual(webhook.last_delivery_state, "success")
                self.assertEqual(webhook.last_delivery_status, 200)
                # a failing test is shown, not retried, and does not count
                webhook.action_send_test()
                [job] = trap.enqueued_jobs
                self.assertEqual(run_job(job), ("done", None))
            payload = self._check_signed(receiver.requests[0], webhook.sudo().secret)
        self.assertEqual(payload["type"], "webhook.test")
        self.assertTrue(payload["test"])
        self.assertEqual(webhook.last_delivery_state, "failed")
        self.assertEqual(webhook.last_delivery_status, 500)
        self.assertEqual(webhook.failure_count, 0)
        self.assertTrue(all(webhook.delivery_ids.mapped("is_test")))

    def test_scope_company_and_shipper(self):
        other_shipper = self.env["res.partner"].create(
            {"name": "Other shop", "company_id": self.company_ma.id}
        )
        self._webhook("https://shop.example.com/hook", shipper_id=other_shipper.id)
        self.env["tms.webhook"].create(
            {
                "name": "French",
                "company_id": self.company_fr.id,
                "url": "https://fr.example.com/hook",
                "trigger_ids": [Command.set([self._trigger("confirmed").id])],
            }
        )
        with trap_jobs() as trap:
            self._create_parcel().action_confirm()
            trap.assert_jobs_count(0)
            self._create_parcel(shipper_id=other_shipper.id).action_confirm()
            trap.assert_jobs_count(1)

    def test_private_addresses_refused(self):
        with LocalReceiver() as receiver:
            webhook = self._webhook(receiver.url)
            self.env["ir.config_parameter"].sudo().set_param(PARAM_ALLOW_PRIVATE, "")
            with self.assertRaises(ValidationError):
                self._webhook("http://169.254.169.254/latest/meta-data")
            with self.assertRaises(ValidationError):
                self._webhook("ftp://shop.example.com/hook")
            with trap_jobs() as trap:
                self._create_parcel().action_confirm()
                trap.perform_enqueued_jobs()
                [job] = trap.enqueued_jobs
                self.assertEqual(run_job(job)[0], "retry")
            self.assertEqual(receiver.requests, [])
        self.assertIn("private", webhook.delivery_ids.error)


@tagged("post_install", "-at_install")
class TestWebhookSecurity(WebhookCommon):
    def test_secret_shown_once_and_rotated(self):
        with LocalReceiver() as receiver:
            webhook = self._webhook(receiver.url)
            as_manager = webhook.with_user(self.manager_ma)
            with self.assertRaises(AccessError):
                as_manager.read(["secret"])
            secret = webhook.sudo().secret
            self.assertTrue(secret.startswith("whsec_"))
            self.assertEqual(as_manager.secret_hint, f"whsec_…{secret[-4:]}")
            action = as_manager.action_reveal_secret()
            self.assertIn(secret, action["params"]["message"])
            with self.assertRaises(UserError):
                as_manager.action_reveal_secret()
            action = as_manager.action_rotate_secret()
            new_secret = webhook.sudo().secret
            self.assertNotEqual(new_secret, secret)
            self.assertIn(new_secret, action["params"]["message"])
            with trap_jobs() as trap:
                as_manager.action_send_test()
                trap.perform_enqueued_jobs()
            request = receiver.requests[0]
        # for a day, receivers may check with either secret
        self.assertEqual(request["headers"]["X-TMS-Signature"].count("v1="), 2)
        for key in (secret, new_secret):
            wh.verify(key, request["body"], request["headers"]["X-TMS-Signature"])

    def test_who_sees_webhooks(self):
        webhook = self._webhook("https://shop.example.com/hook")
        webhook.sudo().write(
            {
                "delivery_ids": [
                    Command.create(
                        {
                            "event_uuid": "evt_x",
                            "event_type": "parcel.created",
                            "attempt": 1,
                            "state": "success",
                        }
                    )
                ]
            }
        )
        Webhook = self.env["tms.webhook"]
        Delivery = self.env["tms.webhook.delivery"]
        self.assertEqual(Webhook.with_user(self.manager_ma).search([]), webhook)
        self.assertEqual(len(Delivery.with_user(self.manager_ma).search([])), 1)
        # another company's manager sees neither, nor opens them
        self.assertFalse(Webhook.with_user(self.manager_fr).search([]))
        self.assertFalse(Delivery.with_user(self.manager_fr).search([]))
        with self.assertRaises(AccessError):
            webhook.with_user(self.manager_fr).read(["url"])
        with self.assertRaises(AccessError):
            webhook.with_user(self.manager_fr).action_send_test()
        # operators, drivers, portal users and anonymous visitors have no access
        portal = self.env["res.users"].create(
            {
                "name": "Portal",
                "login": "portal_hook",
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        public = self.env.ref("base.public_user")
        for user in (self.user_ma, self.driver_ma, portal, public):
            with self.assertRaises(AccessError):
                Webhook.with_user(user).search([])
            with self.assertRaises(AccessError):
                Delivery.with_user(user).search([])
        # the log cannot be rewritten by hand, nor the secret shown again, nor the
        # failure counting changed
        with self.assertRaises(AccessError):
            webhook.delivery_ids.with_user(self.manager_ma).write({"state": "failed"})
        for vals in ({"secret_revealed": False}, {"failure_count": 0}):
            with self.assertRaises(UserError):
                webhook.with_user(self.manager_ma).write(vals)
