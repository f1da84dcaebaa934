# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

import requests

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, tagged

from odoo.addons.queue_job.exception import FailedJobError
from odoo.addons.tms_core.models.notification.tms_notification_log import (
    SMS_MAX_ATTEMPTS,
)

from ..tools import sms_gateway as sg
from .test_notifications import trap_jobs
from .test_webhook_tools import LocalReceiver, free_closed_port, no_test_timeout
from .test_webhooks import WebhookCommon, run_job

TWILIO = sg.GatewayConfig(
    url="https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json",
    method="POST",
    auth_type="basic",
    username="AC123",
    secret="token",
    content_type="form",
    body_template="To={to}&From={sender}&Body={message}",
    sender="+15005550006",
    success_json_path="sid",
)
JSON_PROVIDER = sg.GatewayConfig(
    url="https://sms.example.ma/api/v1/messages",
    auth_type="bearer",
    secret="tok",
    content_type="json",
    body_template='{"to": "{to_digits}", "from": "{sender}", "text": "{message}", '
    '"options": {"unicode": true, "tags": ["tms"]}}',
    sender="COLISEXP",
    success_json_path="status",
    success_json_value="ok",
)


class TestSmsGatewayTools(BaseCase):
    """Building requests and reading answers, without the database."""

    def test_twilio_request(self):
        request = sg.build_request(TWILIO, "+212612345678", "Parcel & co {to}")
        self.assertEqual(request["method"], "POST")
        self.assertEqual(request["auth"], ("AC123", "token"))
        self.assertEqual(
            request["data"],
            [
                ("To", "+212612345678"),
                ("From", "+15005550006"),
                ("Body", "Parcel & co {to}"),
            ],
        )
        self.assertEqual(request["timeout"], 10.0)
        self.assertFalse(request["allow_redirects"])

    def test_json_request(self):
        request = sg.build_request(JSON_PROVIDER, "+212612345678", 'Say "hi"\nمرحبا')
        self.assertEqual(request["headers"]["Authorization"], "Bearer tok")
        self.assertEqual(
            request["json"],
            {
                "to": "212612345678",
                "from": "COLISEXP",
                "text": 'Say "hi"\nمرحبا',
                "options": {"unicode": True, "tags": ["tms"]},
            },
        )

    def test_get_with_an_api_key(self):
        config = sg.GatewayConfig(
            url="https://sms.example.fr/send",
            method="GET",
            auth_type="header",
            header_name="X-API-Key",
            secret="k3y",
            body_template="key={secret}&dest={to_digits}&msg={message}",
        )
        request = sg.build_request(config, "+33612345678", "Bonjour")
        self.assertEqual(request["headers"]["X-API-Key"], "k3y")
        self.assertEqual(
            request["params"],
            [("key", "k3y"), ("dest", "33612345678"), ("msg", "Bonjour")],
        )
        self.assertNotIn("data", request)

    def test_config_errors(self):
        for config in (
            sg.GatewayConfig(url="ftp://x"),
            sg.GatewayConfig(url="https://x", auth_type="header"),
            sg.GatewayConfig(url="https://x", method="GET", content_type="json"),
            sg.GatewayConfig(url="https://x", content_type="json", body_template="{"),
            sg.GatewayConfig(url="https://x", timeout=0),
            sg.GatewayConfig(url="https://x", method="PUT"),
        ):
            with self.assertRaises(sg.SmsGatewayConfigError, msg=config):
                sg.build_request(config, "+212612345678", "x")

    def test_success_checks(self):
        sg.check_response(TWILIO, 201, '{"sid": "SM1", "status": "queued"}')
        sg.check_response(JSON_PROVIDER, 200, '{"status": "OK"}')
        failures = [
            (TWILIO, 401, '{"code": 20003}'),
            (TWILIO, 201, "not json"),
            (TWILIO, 201, '{"sid": null}'),
            (JSON_PROVIDER, 200, '{"status": "error", "message": "no credit"}'),
            (JSON_PROVIDER, 500, '{"status": "ok"}'),
        ]
        for config, status, text in failures:
            with self.assertRaises(sg.SmsGatewayError, msg=text) as caught:
                sg.check_response(config, status, text)
            self.assertEqual(caught.exception.status_code, status)
            self.assertEqual(caught.exception.response_excerpt, text)
        nested = sg.GatewayConfig(
            url="https://x",
            success_json_path="messages.0.status",
            success_substring="SM",
        )
        sg.check_response(nested, 200, '{"messages": [{"status": "0", "id": "SM9"}]}')
        with self.assertRaises(sg.SmsGatewayError):
            sg.check_response(nested, 200, '{"messages": []}')
        with self.assertRaises(sg.SmsGatewayError):
            sg.check_response(nested, 200, '{"messages": [{"status": "0"}]}')

    def test_send_over_http(self):
        answers = [(200, '{"status": "ok", "id": 7}'), (500, '{"status": "down"}')]
        with LocalReceiver(answers) as receiver:
            config = sg.GatewayConfig(
                url=receiver.url,
                auth_type="basic",
                username="user",
                secret="pass",
                body_template="To={to}&Body={message}",
                success_json_path="status",
                success_json_value="ok",
            )
            result = sg.send(config, "+212612345678", "Colis & suivi")
            self.assertEqual(result.status_code, 200)
            with self.assertRaises(sg.SmsGatewayError) as caught:
                sg.send(config, "+212612345678", "again")
            request = receiver.requests[0]
        self.assertEqual(caught.exception.status_code, 500)
        self.assertIn("500", caught.exception.message)
        self.assertEqual(
            parse_qs(request["body"].decode()),
            {"To": ["+212612345678"], "Body": ["Colis & suivi"]},
        )
        self.assertEqual(
            request["headers"]["Authorization"],
            "Basic " + base64.b64encode(b"user:pass").decode(),
        )

    def test_unreachable_and_slow_gateways_raise_clearly(self):
        config = sg.GatewayConfig(url=f"http://127.0.0.1:{free_closed_port()}/sms")
        with self.assertRaises(sg.SmsGatewayError) as caught:
            sg.send(config, "+212612345678", "x")
        self.assertIn("Cannot reach", caught.exception.message)
        with LocalReceiver([(200, "{}")], delay=1.5) as receiver, no_test_timeout(self):
            slow = sg.GatewayConfig(url=receiver.url, timeout=0.3)
            session = requests.Session()
            with (
                patch.object(session, "request", wraps=session.request) as request,
                self.assertRaises(sg.SmsGatewayError) as caught,
            ):
                sg.send(slow, "+212612345678", "x", session=session)
            # one request, given up after the gateway's timeout (no retry inside)
            self.assertEqual(request.call_count, 1)
            self.assertEqual(request.call_args.kwargs["timeout"], 0.3)
        self.assertIn("did not answer within 0.3 s", caught.exception.message)


@tagged("post_install", "-at_install")
class TestSmsGateway(WebhookCommon):
    """SMS through an HTTP gateway: a local fake gateway, over real HTTP."""

    def _gateway(self, url, **vals):
        values = {
            "name": "Fake gateway",
            "company_id": self.company_ma.id,
            "url": url,
            "auth_type": "basic",
            "username": "ACME",
            "secret": "s3cret",
            "body_template": "To={to}&From={sender}&Body={message}",
            "sender": "COLISEXP",
            "success_json_path": "status",
            "success_json_value": "ok",
        }
        values.update(vals)
        return self.env["tms.sms.gateway"].create(values)

    def _sms_rule(self, gateway):
        return self._rule(
            channel="sms",
            sms_template_id=self.sms_status.id,
            sms_gateway_id=gateway.id,
        )

    def test_500_then_200_is_retried_and_logged(self):
        answers = [(500, '{"status": "down"}'), (200, '{"status": "ok"}')]
        with LocalReceiver(answers) as receiver:
            self._sms_rule(self._gateway(receiver.url))
            parcel = self._create_parcel()
            with trap_jobs() as trap:
                parcel.action_confirm()  # the scan
                # the scan does not wait for the gateway: nothing is sent yet
                self.assertEqual(receiver.requests, [])
                trap.perform_enqueued_jobs()
                self.assertEqual(receiver.requests, [])
                log = parcel.notification_log_ids
                self.assertEqual(log.state, "pending")
                [job] = trap.enqueued_jobs
                self.assertEqual(job.max_retries, SMS_MAX_ATTEMPTS)
                self.assertEqual(run_job(job), ("retry", 30))
                self.assertEqual(log.state, "retrying")
                self.assertEqual(log.attempt_count, 1)
                self.assertIn("500", log.error)
                self.assertEqual(log.response_excerpt, '{"status": "down"}')
                self.assertEqual(run_job(job), ("done", None))
            requests = receiver.requests
        self.assertEqual(log.state, "sent")
        self.assertEqual(log.attempt_count, 2)
        self.assertFalse(log.error)
        self.assertTrue(log.date_sent)
        self.assertEqual(len(requests), 2)
        form = parse_qs(requests[1]["body"].decode())
        self.assertEqual(form["To"], ["+212612345678"])
        self.assertEqual(form["From"], ["COLISEXP"])
        self.assertEqual(form["Body"], [log.body])
        self.assertIn(parcel.tracking_number, log.body)
        self.assertIn(parcel._tms_public_tracking_url(), log.body)
        self.assertEqual(
            requests[1]["headers"]["Authorization"],
            "Basic " + base64.b64encode(b"ACME:s3cret").decode(),
        )
        self.assertTrue(
            any(
                "+212612345678" in (body or "")
                for body in parcel.message_ids.mapped("body")
            )
        )

    def test_body_in_the_recipient_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.recipient_ma.lang = "fr_FR"
        self.sms_status.with_context(
            lang="fr_FR"
        ).body = "Colis {{ object.tracking_number }} suivi"
        with LocalReceiver([(200, '{"status": "ok"}')]) as receiver:
            self._sms_rule(self._gateway(receiver.url))
            parcel = self._create_parcel()
            with trap_jobs() as trap:
                parcel.action_confirm()
                trap.perform_enqueued_jobs()
                trap.perform_enqueued_jobs()
            form = parse_qs(receiver.requests[0]["body"].decode())
        self.assertEqual(form["Body"], [f"Colis {parcel.tracking_number} suivi"])

    def test_gives_up_visibly_and_can_be_sent_again(self):
        with LocalReceiver([(200, '{"status": "no credit"}')]) as receiver:
            gateway = self._gateway(receiver.url)
            self._sms_rule(gateway)
            parcel = self._create_parcel()
            with trap_jobs() as trap:
                parcel.action_confirm()
                trap.perform_enqueued_jobs()
                [job] = trap.enqueued_jobs
                trap.enqueued_jobs.clear()
                for _i in range(SMS_MAX_ATTEMPTS - 1):
                    self.assertEqual(run_job(job)[0], "retry")
                gave_up = False
                try:
                    job.perform()
                except FailedJobError:
                    gave_up = True
                self.assertTrue(gave_up)
                log = parcel.notification_log_ids
                self.assertEqual(log.state, "failed")
                self.assertEqual(log.attempt_count, SMS_MAX_ATTEMPTS)
                self.assertIn("no credit", log.error + log.response_excerpt)
                self.assertTrue(
                    any(
                        f"failed after {SMS_MAX_ATTEMPTS} attempts" in (body or "")
                        for body in parcel.message_ids.mapped("body")
                    )
                )
                # the provider topped up: a manager sends it again
                receiver.responses = [(200, '{"status": "ok"}')]
                log.with_user(self.manager_ma).action_retry()
                trap.assert_jobs_count(1)
                trap.perform_enqueued_jobs()
        self.assertEqual(log.state, "sent")
        self.assertEqual(len(receiver.requests), SMS_MAX_ATTEMPTS + 1)

    def test_unreachable_gateway_never_blocks_the_scan(self):
        gateway = self._gateway(f"http://127.0.0.1:{free_closed_port()}/sms")
        self._sms_rule(gateway)
        parcels = self._create_parcel() | self._create_parcel()
        with trap_jobs() as trap:
            parcels.action_confirm()
            self.assertEqual(parcels.mapped("state"), ["confirmed", "confirmed"])
            trap.perform_enqueued_jobs()
            jobs = list(trap.enqueued_jobs)
            self.assertEqual(len(jobs), 2)  # one per SMS
            for job in jobs:
                self.assertEqual(run_job(job)[0], "retry")
        logs = parcels.notification_log_ids
        self.assertEqual(logs.mapped("state"), ["retrying", "retrying"])
        self.assertTrue(all("Cannot reach" in error for error in logs.mapped("error")))

    def test_archived_gateway_fails_at_once(self):
        with LocalReceiver() as receiver:
            gateway = self._gateway(receiver.url)
            self._sms_rule(gateway)
            parcel = self._create_parcel()
            with trap_jobs() as trap:
                parcel.action_confirm()
                trap.perform_enqueued_jobs()
                gateway.active = False
                [job] = trap.enqueued_jobs
                gave_up = False
                try:
                    job.perform()
                except FailedJobError:
                    gave_up = True
            self.assertEqual(receiver.requests, [])
        self.assertTrue(gave_up)
        self.assertEqual(parcel.notification_log_ids.state, "failed")

    def test_configuration_checks(self):
        with self.assertRaises(ValidationError):
            self._gateway(
                "https://x.example.com", content_type="json", body_template="{"
            )
        with self.assertRaises(ValidationError):
            self._gateway("https://x.example.com", auth_type="header")
        with self.assertRaises(ValidationError):
            self._gateway("sms.example.com/send")

    def test_who_sees_gateways_and_secrets(self):
        gateway = self._gateway("https://sms.example.ma/send")
        Gateway = self.env["tms.sms.gateway"]
        # managers pick gateways in rules but neither read the secret nor edit them
        self.assertEqual(Gateway.with_user(self.manager_ma).search([]), gateway)
        with self.assertRaises(AccessError):
            gateway.with_user(self.manager_ma).read(["secret"])
        with self.assertRaises(AccessError):
            gateway.with_user(self.manager_ma).write({"url": "https://evil.example"})
        self.assertFalse(Gateway.with_user(self.manager_fr).search([]))
        with self.assertRaises(AccessError):
            gateway.with_user(self.manager_fr).read(["url"])
        for user in (self.user_ma, self.driver_ma, self.env.ref("base.public_user")):
            with self.assertRaises(AccessError):
                Gateway.with_user(user).search([])
        # an admin of the company sees and changes everything
        admin = self._create_tms_user("admin_ma", self.company_ma, "group_tms_admin")
        self.assertEqual(gateway.with_user(admin).secret, "s3cret")
        # a rule cannot use another company's gateway
        other = self._gateway(
            "https://sms.example.fr/send", company_id=self.company_fr.id
        )
        with self.assertRaises(UserError):
            self._sms_rule(other)

    def test_request_never_redirected(self):
        answers = [(302, "")]
        with LocalReceiver(answers) as receiver:
            config = sg.GatewayConfig(url=receiver.url)
            with self.assertRaises(sg.SmsGatewayError) as caught:
                sg.send(config, "+212612345678", "x")
        self.assertEqual(caught.exception.status_code, 302)
        self.assertEqual(urlsplit(receiver.requests[0]["path"]).path, "/hook")
