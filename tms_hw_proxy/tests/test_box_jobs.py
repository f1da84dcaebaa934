# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The main Odoo's side: boxes, devices, box printers and their jobs."""

import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.tms_core.tests.common import trap_jobs

from .common import HwCommon

ZPL = b"^XA^FO40,40^BCN,120,Y,N,N^FDRR123456785MA^FS^XZ"


def status_answer(box_identifier, devices, paired=True):
    return {
        "box_id": box_identifier,
        "name": "box-dock1",
        "version": "18.0.1.0.0",
        "paired": paired,
        "devices": devices,
    }


ZEBRA = {
    "id": "zebra",
    "name": "Zebra dock 1",
    "type": "printer",
    "connection": "network",
    "language": "zpl",
    "status": "online",
}
SCANNER = {
    "id": "scanner-1",
    "type": "scanner",
    "connection": "serial",
    "status": "online",
}


@tagged("post_install", "-at_install")
class BoxCommon(HwCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_ma = cls._create_tms_user(
            "manager_ma", cls.company_ma, "group_tms_manager"
        )
        cls.user_ma2 = cls._create_tms_user(
            "operator_ma2", cls.company_ma, "group_tms_user"
        )
        cls.driver_ma = cls._create_tms_user(
            "driver_ma", cls.company_ma, "group_tms_driver"
        )
        cls.box_ma = cls._paired_box(
            cls.company_ma, "box-ma-1", "https://box-ma.local:8069"
        )
        cls.box_fr = cls._paired_box(
            cls.company_fr, "box-fr-1", "https://box-fr.local:8069"
        )
        cls.zebra_ma = cls.box_ma.device_ids.filtered(lambda d: d.identifier == "zebra")
        cls.printer_ma = cls.env["tms.printer"].create(
            {
                "name": "Dock 1 Zebra",
                "company_id": cls.company_ma.id,
                "language": "zpl",
                "connection": "box",
                "box_id": cls.box_ma.id,
                "device_id": cls.zebra_ma.id,
            }
        )
        cls.printer_fr = cls.env["tms.printer"].create(
            {
                "name": "Paris Zebra",
                "company_id": cls.company_fr.id,
                "language": "zpl",
                "connection": "box",
                "box_id": cls.box_fr.id,
                "device_id": cls.box_fr.device_ids.filtered(
                    lambda d: d.identifier == "zebra"
                ).id,
            }
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "tms_core.print_job_max_attempts", 3
        )

    @classmethod
    def _paired_box(cls, company, identifier, url):
        box = cls.env["tms.hw.box"].create(
            {"name": f"Box {identifier}", "url": url, "company_id": company.id}
        )
        box._tms_register_pairing(
            dict(
                status_answer(identifier, [ZEBRA, SCANNER]), token=f"tok-{identifier}"
            ),
            "https://odoo.example.com",
        )
        return box

    def _print(self, user=None, printer=None, data=ZPL):
        user = user or self.user_ma
        printer = (printer or self.printer_ma).with_user(user)
        return (
            self.env["tms.print.job"]
            .with_user(user)
            .with_company(printer.company_id)
            ._tms_create_jobs(printer, [{"data": data, "name": "Test label"}])
        )


@tagged("post_install", "-at_install")
class TestBoxJobs(BoxCommon):
    def test_box_job_waits_for_a_browser(self):
        job = self._print()
        self.assertEqual(job.state, "queued")
        self.assertTrue(job.box_pending)
        self.assertFalse(job.next_attempt_date, "no send run sends it")
        self.assertEqual(job.attempt_count, 0)
        self.assertEqual(job.attachment_id.raw, ZPL, "the file stays downloadable")

    def test_browser_takes_the_job_with_its_bytes(self):
        job = self._print()
        taken = self.env["tms.print.job"].with_user(self.user_ma).tms_box_claim_jobs()
        self.assertEqual(len(taken), 1)
        payload = taken[0]
        self.assertEqual(payload["id"], job.id)
        self.assertEqual(base64.b64decode(payload["data"]), ZPL)
        self.assertEqual(payload["device"], "zebra")
        self.assertEqual(payload["box_id"], self.box_ma.id)
        self.assertTrue(payload["job_key"].endswith(f"-{job.id}"))
        self.assertEqual(job.state, "sent")
        self.assertFalse(job.box_pending)
        self.assertEqual(job.box_claim_user_id, self.user_ma)
        # another tab or browser gets nothing: never two browsers on one job
        self.assertEqual(
            self.env["tms.print.job"].with_user(self.user_ma).tms_box_claim_jobs(), []
        )

    def test_ok_result_marks_the_job_done(self):
        job = self._print()
        self.env["tms.print.job"].with_user(self.user_ma).tms_box_claim_jobs()
        result = job.with_user(self.user_ma).action_box_result(True, "")
        self.assertEqual(result, [{"id": job.id, "state": "done", "error": False}])
        self.assertEqual(job.state, "done")
        self.assertTrue(job.date_done)
        self.assertEqual(job.attempt_count, 1)
        self.assertTrue(job.attempt_ids.filtered("success"))
        self.assertEqual(self.printer_ma.status, "online")
        # a repeated report changes nothing
        job.with_user(self.user_ma).action_box_result(False, "late duplicate")
        self.assertEqual(job.state, "done")
        self.assertEqual(job.attempt_count, 1)

    def test_failure_keeps_the_reason_and_retries_later(self):
        trap = self.enterContext(trap_jobs())
        job = self._print()
        self.env["tms.print.job"].with_user(self.user_ma).tms_box_claim_jobs()
        job.with_user(self.user_ma).action_box_result(
            False, "[Errno 111] Connection refused"
        )
        self.assertEqual(job.state, "queued")
        self.assertIn("Connection refused", job.error)
        self.assertIn(self.box_ma.name, job.error)
        self.assertEqual(job.attempt_count, 1)
        self.assertGreater(job.next_attempt_date, fields.Datetime.now())
        self.assertFalse(job.box_pending, "not before its next attempt date")
        self.assertEqual(self.printer_ma.status, "offline")
        self.assertIn("Connection refused", self.printer_ma.status_message)
        failed_attempt = job.attempt_ids.filtered(lambda a: not a.success)
        self.assertEqual(failed_attempt.user_id, self.user_ma)
        self.assertEqual(
            self.env["tms.print.job"].with_user(self.user_ma).tms_box_claim_jobs(), []
        )
        # the printer's run, enqueued for the next attempt, hands it back to the
        # browsers when it is due
        self.assertEqual(
            [(run.recordset, run.method_name, run.eta) for run in trap.enqueued_jobs],
            [(self.printer_ma, "_tms_send_due_jobs", job.next_attempt_date)],
        )
        job.sudo().next_attempt_date = fields.Datetime.now() - timedelta(seconds=1)
        trap.perform_enqueued_jobs()
        self.assertEqual(job.state, "queued")
        self.assertTrue(job.box_pending)
        self.assertEqual(job.attempt_count, 1, "handing over is not an attempt")
        taken = self.env["tms.print.job"].with_user(self.user_ma).tms_box_claim_jobs()
        self.assertEqual([t["id"] for t in taken], [job.id])
        job.with_user(self.user_ma).action_box_result(True)
        self.assertEqual(job.state, "done")
        self.assertEqual(self.printer_ma.status, "online")

    def test_too_many_failures_fail_the_job_visibly(self):
        job = self._print()
        for __ in range(3):
            job.sudo().write({"state": "queued", "box_pending": True})
            self.env["tms.print.job"].with_user(self.user_ma).tms_box_claim_jobs()
            job.with_user(self.user_ma).action_box_result(False, "paper out")
        self.assertEqual(job.state, "failed")
        self.assertFalse(job.next_attempt_date)
        self.assertIn("paper out", job.error)
        failed = (
            self.env["tms.print.job"]
            .with_user(self.user_ma)
            .search([("state", "=", "failed")])
        )
        self.assertIn(job, failed, "visible in the Print Jobs list")
        # the user retries: a new series of tries, handed to the browsers at once
        job.with_user(self.user_ma).action_retry()
        self.assertEqual(job.state, "queued")
        self.assertTrue(job.box_pending)
        self.assertEqual(job.attempt_count, 0)

    def test_failure_report_on_a_job_not_taken_is_ignored(self):
        job = self._print()
        job.with_user(self.user_ma).action_box_result(False, "spurious")
        self.assertEqual(job.state, "queued")
        self.assertTrue(job.box_pending)
        self.assertFalse(job.error)

    def test_download_stays_possible(self):
        job = self._print()
        action = job.with_user(self.user_ma).action_download()
        self.assertIn(f"/web/content/{job.attachment_id.id}", action["url"])
        self.assertEqual(job.state, "done")
        self.assertEqual(
            self.env["tms.print.job"].with_user(self.user_ma).tms_box_claim_jobs(), []
        )

    def test_jobs_of_others_are_taken_only_when_orphaned(self):
        job = self._print(user=self.user_ma)
        self.assertEqual(
            self.env["tms.print.job"].with_user(self.user_ma2).tms_box_claim_jobs(), []
        )
        job.sudo().box_pending_date = fields.Datetime.now() - timedelta(minutes=3)
        taken = self.env["tms.print.job"].with_user(self.user_ma2).tms_box_claim_jobs()
        self.assertEqual([t["id"] for t in taken], [job.id])

    def test_lost_browser_gives_the_job_back(self):
        job = self._print()
        self.env["tms.print.job"].with_user(self.user_ma).tms_box_claim_jobs()
        self.env["tms.print.job"]._cron_box_reclaim()
        self.assertEqual(job.state, "sent", "not before the claim timeout")
        job.sudo().box_claim_date = fields.Datetime.now() - timedelta(minutes=11)
        with trap_jobs() as trap:
            self.env["tms.print.job"]._cron_box_reclaim()
        self.assertEqual(job.state, "queued")
        self.assertIn("did not say", job.error)
        self.assertEqual(job.attempt_count, 1)
        self.assertTrue(job.next_attempt_date)
        self.assertEqual(
            [(run.recordset, run.method_name, run.eta) for run in trap.enqueued_jobs],
            [(self.printer_ma, "_tms_send_due_jobs", job.next_attempt_date)],
        )

    def test_unpaired_box_fails_the_attempt_with_the_reason(self):
        self.box_ma.action_unpair()
        self.assertEqual(self.box_ma.state, "unpaired")
        with trap_jobs() as trap:
            job = self._print()
        self.assertEqual(job.state, "queued")
        self.assertFalse(job.box_pending)
        self.assertIn("not paired", job.error)
        self.assertEqual(self.printer_ma.status, "offline")
        # tried again at its next attempt, by the printer's run
        self.assertEqual(
            [(run.recordset, run.method_name, run.eta) for run in trap.enqueued_jobs],
            [(self.printer_ma, "_tms_send_due_jobs", job.next_attempt_date)],
        )

    def test_other_company_cannot_see_or_act_on_the_jobs(self):
        job = self._print()
        other = self.env["tms.print.job"].with_user(self.user_fr)
        self.assertFalse(other.search([("id", "=", job.id)]))
        self.assertEqual(other.tms_box_claim_jobs(), [])
        self.assertEqual(job.state, "queued")
        with self.assertRaises(AccessError):
            job.with_user(self.user_fr).action_box_result(True)
        self.assertEqual(job.state, "queued")
        self.env["tms.print.job"].with_user(self.user_ma).tms_box_claim_jobs()
        with self.assertRaises(AccessError):
            job.with_user(self.user_fr).action_box_result(False, "hijack")
        self.assertEqual(job.state, "sent")
        # nor the box, its token or its devices
        self.assertFalse(
            self.env["tms.hw.box"]
            .with_user(self.user_fr)
            .search([("id", "=", self.box_ma.id)])
        )
        with self.assertRaises(AccessError):
            self.box_ma.with_user(self.user_fr).tms_report_status(False, None, "x")
        config = self.env["tms.hw.box"].with_user(self.user_fr).tms_client_config()
        self.assertEqual([b["id"] for b in config["boxes"]], [self.box_fr.id])

    def test_drivers_and_anonymous_side(self):
        self.assertEqual(
            self.env["tms.hw.box"].with_user(self.driver_ma).tms_client_config(),
            {"boxes": []},
        )
        self._print()
        self.assertEqual(
            self.env["tms.print.job"].with_user(self.driver_ma).tms_box_claim_jobs(), []
        )


@tagged("post_install", "-at_install")
class TestBoxes(BoxCommon):
    def test_client_config_gives_the_token_to_operators_only_through_the_rpc(self):
        with self.assertRaises(AccessError):
            self.box_ma.with_user(self.user_ma).read(["token"])
        config = self.env["tms.hw.box"].with_user(self.user_ma).tms_client_config()
        self.assertEqual(
            config["boxes"],
            [
                {
                    "id": self.box_ma.id,
                    "name": self.box_ma.name,
                    "url": "https://box-ma.local:8069",
                    "token": "tok-box-ma-1",
                    "state": "paired",
                    "scanners": ["scanner-1"],
                }
            ],
        )

    def test_scanner_reads_go_to_the_assigned_screens(self):
        scanner = self.box_ma.device_ids.filtered(lambda d: d.device_type == "scanner")
        scanner.user_ids = self.user_ma2
        mine = self.env["tms.hw.box"].with_user(self.user_ma).tms_client_config()
        theirs = self.env["tms.hw.box"].with_user(self.user_ma2).tms_client_config()
        self.assertEqual(mine["boxes"][0]["scanners"], [])
        self.assertEqual(theirs["boxes"][0]["scanners"], ["scanner-1"])

    def test_status_report_updates_devices_and_printers(self):
        box = self.box_ma.with_user(self.user_ma)
        zebra_off = dict(ZEBRA, status="offline", status_message="connection refused")
        new_printer = dict(ZEBRA, id="epson", connection="usb", language="escpos")
        state = box.tms_report_status(
            True, status_answer("box-ma-1", [zebra_off, new_printer, {"junk": 1}, "x"])
        )
        self.assertEqual(state, "paired")
        devices = {d.identifier: d for d in self.box_ma.device_ids}
        self.assertEqual(set(devices), {"zebra", "scanner-1", "epson"})
        self.assertEqual(devices["zebra"].status, "offline")
        self.assertEqual(devices["epson"].language, "escpos")
        self.assertEqual(devices["scanner-1"].status, "offline", "no longer reported")
        self.assertEqual(self.printer_ma.status, "offline")
        self.assertIn("connection refused", self.printer_ma.status_message)
        box.tms_report_status(True, status_answer("box-ma-1", [ZEBRA]))
        self.assertEqual(self.printer_ma.status, "online")

    def test_unreachable_box_shows_offline(self):
        self.box_ma.with_user(self.user_ma).tms_report_status(
            False, None, "The box does not answer"
        )
        self.assertEqual(self.box_ma.state, "offline")
        self.assertEqual(self.printer_ma.status, "offline")
        self.printer_ma.with_user(self.manager_ma).action_check_status()
        self.assertEqual(self.printer_ma.status, "offline")
        self.assertIn("does not answer", self.printer_ma.status_message)
        # back online
        self.box_ma.with_user(self.user_ma).tms_report_status(
            True, status_answer("box-ma-1", [ZEBRA])
        )
        self.assertEqual(self.box_ma.state, "paired")
        self.assertEqual(self.printer_ma.status, "online")

    def test_another_box_at_the_same_address(self):
        self.box_ma.with_user(self.user_ma).tms_report_status(
            True, status_answer("someone-else", [ZEBRA])
        )
        self.assertEqual(self.box_ma.state, "offline")
        self.assertIn("Another box", self.box_ma.status_message)

    def test_box_reset_shows_unpaired(self):
        self.box_ma.with_user(self.user_ma).tms_report_status(
            True, status_answer("box-ma-1", [ZEBRA], paired=False)
        )
        self.assertEqual(self.box_ma.state, "unpaired")

    def test_pairing_wizard(self):
        wizard = (
            self.env["tms.hw.box.pair.wizard"]
            .with_user(self.manager_ma)
            .with_company(self.company_ma)
            .create(
                {
                    "name": "Dock 2",
                    "url": "HTTPS://Box-Dock2.local:8069/",
                    "code": " K7QF-2M9X ",
                }
            )
        )
        action = wizard.action_pair()
        self.assertEqual(action["tag"], "tms_hw_proxy.pair_box")
        self.assertEqual(action["params"]["url"], "https://box-dock2.local:8069")
        self.assertEqual(action["params"]["code"], "K7QF-2M9X")
        with self.assertRaises(UserError):
            wizard.tms_register_pairing({"paired": True})
        result = wizard.tms_register_pairing(
            dict(status_answer("box-dock2", [ZEBRA]), token="secret-token"),
            "https://odoo.example.com",
        )
        box = self.env["tms.hw.box"].browse(result["res_id"])
        self.assertEqual(box.state, "paired")
        self.assertEqual(box.token, "secret-token")
        self.assertEqual(box.company_id, self.company_ma)
        self.assertEqual(box.url, "https://box-dock2.local:8069")
        self.assertEqual(box.device_ids.mapped("identifier"), ["zebra"])
        # pairing the same box again updates it
        again = wizard.copy().tms_register_pairing(
            dict(status_answer("box-dock2", [ZEBRA]), token="new-token"), None
        )
        self.assertEqual(again["res_id"], box.id)
        self.assertEqual(box.token, "new-token")

    def test_pairing_wizard_bad_input_and_operators(self):
        wizard = (
            self.env["tms.hw.box.pair.wizard"]
            .with_user(self.manager_ma)
            .create({"name": "X", "url": "box.local/web", "code": "AAAA"})
        )
        with self.assertRaises(UserError):
            wizard.action_pair()
        with self.assertRaises(AccessError):
            self.env["tms.hw.box.pair.wizard"].with_user(self.user_ma).create(
                {"name": "X", "url": "https://box.local", "code": "AAAA"}
            )
        with self.assertRaises(UserError):
            wizard.with_user(self.user_ma).tms_register_pairing(
                dict(status_answer("x", []), token="t"), None
            )

    def test_box_url_is_validated(self):
        with self.assertRaises(ValidationError):
            self.env["tms.hw.box"].create({"name": "Bad", "url": "box.local:8069"})

    def test_box_printer_settings(self):
        printer_vals = {
            "name": "P",
            "company_id": self.company_ma.id,
            "connection": "box",
        }
        with self.assertRaises(ValidationError):
            self.env["tms.printer"].create(printer_vals)
        scanner = self.box_ma.device_ids.filtered(lambda d: d.device_type == "scanner")
        with self.assertRaises(ValidationError):
            self.env["tms.printer"].create(
                dict(printer_vals, box_id=self.box_ma.id, device_id=scanner.id)
            )
        with self.assertRaises(ValidationError):
            self.env["tms.printer"].create(
                dict(
                    printer_vals,
                    box_id=self.box_ma.id,
                    device_id=self.zebra_ma.id,
                    language="pdf",
                )
            )  # fmt: skip
        with self.assertRaises(UserError):  # another company's box
            self.env["tms.printer"].create(
                dict(
                    printer_vals,
                    box_id=self.box_ma.id,
                    device_id=self.box_fr.device_ids[:1].id,
                )
            )
