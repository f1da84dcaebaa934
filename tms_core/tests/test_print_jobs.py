# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import socket
import threading
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.migration import load_script
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.tms_core.tests.common import TmsCommon, trap_jobs


class TcpPrinter:
    """A network printer on 127.0.0.1: accepts connections and keeps the bytes of
    each one, like a Zebra on port 9100."""

    def __init__(self, port=0):
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen(8)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.received = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, _address = self.server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(5)
                chunks = []
                while True:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                self.received.append(b"".join(chunks))

    def wait_for(self, count, timeout=5):
        deadline = threading.Event()
        for _i in range(int(timeout / 0.05)):
            if len(self.received) >= count:
                return
            deadline.wait(0.05)

    def close(self):
        self._stop.set()
        self.thread.join(2)
        self.server.close()


def free_port():
    """A port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestPrintJobs(TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "tms_core.print_job_max_attempts", "3"
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "tms_core.print_job_retry_delay", "60"
        )
        cls.Job = cls.env["tms.print.job"]
        cls.download_printer = cls.env["tms.printer"].create(
            {
                "name": "Office PDF",
                "language": "pdf",
                "connection": "download",
                "company_id": cls.company_ma.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.listener = TcpPrinter()
        self.addCleanup(self.listener.close)
        self.printer = self.env["tms.printer"].create(
            {
                "name": "Zebra dock 1",
                "language": "zpl",
                "connection": "network",
                "host": "127.0.0.1",
                "port": self.listener.port,
                "company_id": self.company_ma.id,
            }
        )

    def _make_past_due(self, jobs):
        jobs.write({"next_attempt_date": fields.Datetime.now() - timedelta(seconds=1)})

    def _run_printer(self, trap, printer=None, eta=None, due_jobs=None):
        """Check that one send run of the printer is enqueued, at ``eta`` (None: now),
        then perform it as the job runner would once it is due (``due_jobs`` are made
        due first)."""
        printer = printer or self.printer
        self.assertEqual(
            [(job.recordset, job.method_name, job.eta) for job in trap.enqueued_jobs],
            [(printer, "_tms_send_due_jobs", eta)],
        )
        if due_jobs:
            self._make_past_due(due_jobs)
        trap.perform_enqueued_jobs()

    def test_network_job_is_sent_by_a_queued_run(self):
        parcel = self._create_parcel()
        with trap_jobs() as trap:
            job = self.Job._tms_create_jobs(
                self.printer, [{"data": b"^XA^FDhello^FS^XZ", "parcels": parcel}]
            )
            # queued, not sent inside the request: the printer's run is enqueued
            self.assertEqual(job.state, "queued")
            self.assertTrue(job.next_attempt_date)
            self.assertEqual(job.name, parcel.tracking_number)
            self.assertEqual(job.content_type, "application/vnd.zebra.zpl")
            self.assertEqual(job.attachment_id.raw, b"^XA^FDhello^FS^XZ")
            trap.assert_enqueued_job(
                self.printer._tms_send_due_jobs,
                properties={"eta": None, "description": "Print on Zebra dock 1"},
            )
            self._run_printer(trap)
            # nothing left to send: no next run
            trap.assert_jobs_count(0)
        self.listener.wait_for(1)
        self.assertEqual(self.listener.received, [b"^XA^FDhello^FS^XZ"])
        self.assertEqual(job.state, "done")
        self.assertTrue(job.date_done)
        self.assertFalse(job.next_attempt_date)
        self.assertEqual(job.attempt_count, 1)
        self.assertTrue(job.attempt_ids.success)
        self.assertEqual(self.printer.status, "online")

    def test_copies_are_sent_each(self):
        job = self.Job._tms_create_jobs(
            self.printer, [{"data": b"^XA^XZ", "copies": 3}]
        )
        job._send()
        self.listener.wait_for(1)
        self.assertEqual(self.listener.received, [b"^XA^XZ^XA^XZ^XA^XZ"])

    @mute_logger("odoo.addons.tms_core.models.labels.tms_print_job")
    def test_unreachable_printer_retried_with_backoff_then_failed(self):
        port = free_port()
        self.printer.port = port
        trap = self.enterContext(trap_jobs())
        first, second = self.Job._tms_create_jobs(
            self.printer, [{"data": b"^XA^XZ"}, {"data": b"^XA^FDtwo^FS^XZ"}]
        )
        before = fields.Datetime.now()
        self._run_printer(trap)
        # nothing is lost: still queued, with the reason and a later attempt
        for job in first | second:
            self.assertEqual(job.state, "queued")
            self.assertEqual(job.attempt_count, 1)
            self.assertIn("cannot be reached", job.error)
            self.assertIn(f"127.0.0.1:{port}", job.error)
            delay = (job.next_attempt_date - before).total_seconds()
            self.assertTrue(55 <= delay <= 65, delay)
        # the second job was not tried against the printer that just failed
        self.assertIn("Not tried", second.attempt_ids.message)
        self.assertEqual(self.printer.status, "offline")
        self.assertIn("cannot be reached", self.printer.status_message)
        # not due yet: a run leaves them alone
        self.printer._tms_send_due_jobs()
        self.assertEqual(first.attempt_count, 1)
        # second try, by the run enqueued for their next attempt: the delay doubles
        before = fields.Datetime.now()
        self._run_printer(trap, eta=first.next_attempt_date, due_jobs=first | second)
        self.assertEqual(first.attempt_count, 2)
        delay = (first.next_attempt_date - before).total_seconds()
        self.assertTrue(115 <= delay <= 125, delay)
        # third try: the maximum (3 here), the jobs fail for good, visibly
        self._run_printer(trap, eta=first.next_attempt_date, due_jobs=first | second)
        self.assertEqual((first | second).mapped("state"), ["failed", "failed"])
        trap.assert_jobs_count(0)
        self.assertFalse(first.next_attempt_date)
        self.assertEqual(len(first.attempt_ids), 3)
        self.assertFalse(any(first.attempt_ids.mapped("success")))
        failed = self.Job.search([("state", "=", "failed")])
        self.assertIn(first, failed)
        # the printer is back: Retry sends them again
        listener = TcpPrinter(port)
        self.addCleanup(listener.close)
        (first | second).action_retry()
        self.assertEqual((first | second).mapped("state"), ["queued", "queued"])
        self.assertEqual(first.attempt_count, 0)
        self._run_printer(trap)
        listener.wait_for(2)
        self.assertEqual(
            sorted(listener.received), sorted([b"^XA^XZ", b"^XA^FDtwo^FS^XZ"])
        )
        self.assertEqual((first | second).mapped("state"), ["done", "done"])
        self.assertFalse(first.error)
        self.assertEqual(self.printer.status, "online")

    @mute_logger("odoo.addons.tms_core.models.labels.tms_print_job")
    def test_printed_job_is_not_sent_again_when_the_next_one_fails(self):
        trap = self.enterContext(trap_jobs())
        first, second = self.Job._tms_create_jobs(
            self.printer, [{"data": b"^XA^FDone^FS^XZ"}, {"data": b"^XA^FDtwo^FS^XZ"}]
        )
        second.attachment_id.unlink()
        # the run prints the first job, the second fails: the run still ends well
        self._run_printer(trap)
        self.listener.wait_for(1)
        self.assertEqual(first.state, "done")
        self.assertEqual(second.state, "queued")
        self.assertEqual(second.attempt_count, 1)
        self.assertIn("file has been deleted", second.error)
        # the file is back: the next run, at the second job's next attempt, sends it
        # and only it
        second.attachment_id = self.env["ir.attachment"].create(
            {
                "name": "two.zpl",
                "raw": b"^XA^FDtwo^FS^XZ",
                "res_model": "tms.print.job",
                "res_id": second.id,
            }
        )
        self._run_printer(trap, eta=second.next_attempt_date, due_jobs=second)
        self.listener.wait_for(2)
        self.assertEqual(
            self.listener.received, [b"^XA^FDone^FS^XZ", b"^XA^FDtwo^FS^XZ"]
        )
        self.assertEqual(
            sum(len(data) for data in self.listener.received),
            len(b"^XA^FDone^FS^XZ") + len(b"^XA^FDtwo^FS^XZ"),
        )
        self.assertEqual((first | second).mapped("state"), ["done", "done"])
        self.assertEqual(first.attempt_count, 1)
        self.assertEqual(len(first.attempt_ids), 1)
        trap.assert_jobs_count(0)

    @mute_logger("odoo.addons.tms_core.models.labels.tms_print_job")
    def test_retry_enqueues_a_run_now(self):
        port = free_port()
        self.printer.port = port
        trap = self.enterContext(trap_jobs())
        job = self.Job._tms_create_jobs(self.printer, [{"data": b"^XA^XZ"}])
        self._run_printer(trap)
        self.assertEqual(job.attempt_count, 1)
        retry_date = job.next_attempt_date
        self.assertTrue(retry_date > fields.Datetime.now())
        # the printer is back and the user does not wait for the next attempt
        listener = TcpPrinter(port)
        self.addCleanup(listener.close)
        job.action_retry()
        self.assertEqual(
            sorted(
                (run.eta for run in trap.enqueued_jobs),
                key=lambda eta: eta or fields.Datetime.now(),
            ),
            [None, retry_date],
        )
        trap.perform_enqueued_jobs()
        listener.wait_for(1)
        self.assertEqual(listener.received, [b"^XA^XZ"])
        self.assertEqual(job.state, "done")
        self.assertEqual(job.attempt_count, 1)
        trap.assert_jobs_count(0)

    def test_one_waiting_run_per_printer(self):
        runs_domain = [
            ("method_name", "=", "_tms_send_due_jobs"),
            ("identity_key", "=like", f"tms.printer.send:{self.printer.id}:%"),
        ]
        QueueJob = self.env["queue.job"]
        self.Job._tms_create_jobs(self.printer, [{"data": b"^XA^XZ"}])
        self.Job._tms_create_jobs(self.printer, [{"data": b"^XA^XZ"}])
        run = QueueJob.search(runs_domain)
        self.assertEqual(len(run), 1, "the waiting run sends both jobs")
        self.assertEqual(run.channel, "root.tms.print")
        self.assertEqual(run.name, "Print on Zebra dock 1")
        self.assertFalse(run.eta)
        run.state = "done"
        # a run is planned for the next attempt; a later one is not needed
        in_a_minute = fields.Datetime.now() + timedelta(minutes=1)
        self.printer._tms_enqueue_send(in_a_minute)
        self.printer._tms_enqueue_send(in_a_minute + timedelta(minutes=1))
        self.assertEqual(
            QueueJob.search(runs_domain + [("state", "=", "pending")]).mapped("eta"),
            [in_a_minute],
        )
        # a job to print now does not wait for the planned run
        self.printer._tms_enqueue_send()
        self.assertEqual(
            sorted(
                QueueJob.search(runs_domain + [("state", "=", "pending")]).mapped(
                    "eta"
                ),
                key=bool,
            ),
            [False, in_a_minute],
        )

    def test_upgrade_enqueues_the_runs_of_waiting_jobs(self):
        """The upgrade from the print job cron removes it and enqueues a run for each
        printer with jobs waiting for an attempt, at the earliest."""
        script = load_script(
            "tms_core/migrations/18.0.1.2.0/post-migrate.py",
            "tms_core_post_migrate_18_0_1_2_0",
        )
        cron = self.env["ir.cron"].create(
            {
                "name": "TMS: send queued print jobs",
                "model_id": self.env["ir.model"]._get_id("tms.print.job"),
                "state": "code",
                "code": "model._cron_retry()",
                "interval_number": 1,
                "interval_type": "minutes",
            }
        )
        action = cron.ir_actions_server_id
        self.env["ir.model.data"].create(
            {
                "module": "tms_core",
                "name": "ir_cron_tms_print_job_retry",
                "model": "ir.cron",
                "res_id": cron.id,
                "noupdate": True,
            }
        )
        other_printer = self.printer.copy({"name": "Zebra dock 2"})
        idle_printer = self.printer.copy({"name": "Zebra dock 3"})
        now = fields.Datetime.now()
        self.Job.create(
            [
                {
                    "name": name,
                    "printer_id": printer.id,
                    "company_id": self.company_ma.id,
                    "state": state,
                    "next_attempt_date": date,
                }
                for name, printer, state, date in [
                    ("later", self.printer, "queued", now + timedelta(minutes=4)),
                    ("soon", self.printer, "queued", now + timedelta(minutes=2)),
                    ("due", other_printer, "queued", now - timedelta(minutes=1)),
                    ("failed", idle_printer, "failed", False),
                    ("download", self.download_printer, "queued", False),
                ]
            ]
        )
        with trap_jobs() as trap:
            script.migrate(self.env.cr, "18.0.1.1.0")
        self.assertFalse(cron.exists())
        self.assertFalse(action.exists())
        self.assertFalse(
            self.env.ref(
                "tms_core.ir_cron_tms_print_job_retry", raise_if_not_found=False
            )
        )
        self.assertEqual(
            sorted(
                (run.recordset.name, run.method_name, run.eta)
                for run in trap.enqueued_jobs
            ),
            [
                ("Zebra dock 1", "_tms_send_due_jobs", now + timedelta(minutes=2)),
                ("Zebra dock 2", "_tms_send_due_jobs", None),
            ],
        )

    @mute_logger("odoo.addons.tms_core.models.labels.tms_print_job")
    def test_download_is_the_fallback(self):
        self.printer.port = free_port()
        trap = self.enterContext(trap_jobs())
        job = self.Job._tms_create_jobs(self.printer, [{"data": b"^XA^XZ"}])
        self._run_printer(trap)
        self.assertEqual(job.state, "queued")
        retry_date = job.next_attempt_date
        action = job.action_download()
        self.assertEqual(
            action["url"], f"/web/content/{job.attachment_id.id}?download=true"
        )
        # downloaded, so no longer sent later (it would print twice)
        self.assertEqual(job.state, "done")
        self.assertFalse(job.next_attempt_date)
        self.assertIn("Downloaded by", job.attempt_ids.sorted("id")[-1].message)
        # the run enqueued for the retry finds nothing to send
        self._run_printer(trap, eta=retry_date)
        self.assertEqual(job.attempt_count, 1)
        trap.assert_jobs_count(0)

    def test_pdf_fallback_of_a_thermal_job(self):
        parcel = self._create_parcel()
        job = self.Job._tms_create_jobs(
            self.printer, [{"data": b"^XA^XZ", "parcels": parcel}]
        )
        action = job.action_download_pdf()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        self.assertTrue(
            self.env["ir.attachment"].browse(attachment_id).raw.startswith(b"%PDF")
        )
        self.assertEqual(parcel.label_print_ids.label_format, "pdf")

    def test_download_printer_waits_for_the_user(self):
        with trap_jobs() as trap:
            job = self.Job._tms_create_jobs(
                self.download_printer, [{"data": b"%PDF-1.4 labels"}]
            )
            trap.assert_jobs_count(0)
        self.assertEqual(job.state, "queued")
        self.assertFalse(job.next_attempt_date)
        self.assertEqual(job.content_type, "application/pdf")
        self.download_printer._tms_send_due_jobs()
        self.assertEqual(job.state, "queued")
        self.assertFalse(job.attempt_ids)
        job.action_download()
        self.assertEqual(job.state, "done")

    def test_cancel(self):
        trap = self.enterContext(trap_jobs())
        job = self.Job._tms_create_jobs(self.printer, [{"data": b"^XA^XZ"}])
        job.action_cancel()
        self.assertEqual(job.state, "cancelled")
        self._run_printer(trap)
        self.assertEqual(self.listener.received, [])
        with self.assertRaises(UserError):
            job.action_retry()

    def test_archived_printer_is_refused_and_not_sent(self):
        trap = self.enterContext(trap_jobs())
        job = self.Job._tms_create_jobs(self.printer, [{"data": b"^XA^XZ"}])
        self.printer.active = False
        self._run_printer(trap)
        self.assertEqual(job.state, "queued")
        with self.assertRaises(UserError):
            self.Job._tms_create_jobs(self.printer, [{"data": b"^XA^XZ"}])

    def test_check_status(self):
        action = self.printer.action_check_status()
        self.assertEqual(self.printer.status, "online")
        self.assertEqual(action["params"]["type"], "success")
        self.printer.port = free_port()
        action = self.printer.action_check_status()
        self.assertEqual(self.printer.status, "offline")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertTrue(self.printer.status_date)
        self.download_printer.action_check_status()
        self.assertEqual(self.download_printer.status, "unknown")

    def test_printer_settings_are_checked(self):
        with self.assertRaises(ValidationError):
            self.env["tms.printer"].create(
                {"name": "No host", "connection": "network", "language": "zpl"}
            )
        with self.assertRaises(ValidationError):
            self.printer.dpi = 600
        with self.assertRaises(ValidationError):
            self.printer.width_mm = 5

    def test_other_company_cannot_see_or_retry(self):
        job = self.Job._tms_create_jobs(self.printer, [{"data": b"^XA^XZ"}])
        self.assertFalse(self.Job.with_user(self.user_fr).search([("id", "=", job.id)]))
        with self.assertRaises(AccessError):
            job.with_user(self.user_fr).action_retry()
        with self.assertRaises(AccessError):
            self.printer.with_user(self.user_fr).read(["host"])
        # an operator of the company sees it and may retry; only managers edit printers
        job.with_user(self.user_ma).action_retry()
        with self.assertRaises(AccessError):
            self.printer.with_user(self.user_ma).write({"host": "10.0.0.9"})

    def test_user_and_hub_default_printer(self):
        Printer = self.env["tms.printer"]
        self.assertFalse(Printer.with_user(self.user_ma)._tms_default_printer())
        self.hub_cas.default_printer_id = self.printer
        self.assertEqual(
            Printer.with_user(self.user_ma)
            .with_company(self.company_ma)
            ._tms_default_printer(self.hub_cas),
            self.printer,
        )
        # a user's own default printer wins; he may set it in his preferences
        self.user_ma.with_user(self.user_ma).write(
            {"user_default_printer_id": self.download_printer.id}
        )
        self.assertEqual(
            Printer.with_user(self.user_ma)
            .with_company(self.company_ma)
            ._tms_default_printer(self.hub_cas),
            self.download_printer,
        )
