# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Print jobs are retried by a send run per printer (queue_job) instead of the cron
"TMS: send queued print jobs".

The cron was a noupdate record, which an upgrade keeps: it is deleted here, with its
server action. Every printer with print jobs waiting for an attempt gets its send run,
at the earliest of their attempt dates, so that no job waiting for a retry at upgrade
time is forgotten.
"""

from odoo import SUPERUSER_ID, api


def enqueue_waiting_print_jobs(env):
    """Enqueue the send run of every printer with queued jobs to send; returns
    the printers."""
    printers = (
        env["tms.print.job"]
        .search([("state", "=", "queued"), ("next_attempt_date", "!=", False)])
        .printer_id
    )
    printers._tms_schedule_send()
    return printers


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("tms_core.ir_cron_tms_print_job_retry", raise_if_not_found=False)
    if cron:
        # the cron's server action (its code) is a record of its own
        action = cron.ir_actions_server_id
        cron.unlink()
        action.unlink()
    enqueue_waiting_print_jobs(env)
