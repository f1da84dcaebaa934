# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Spreadsheet imports check their rows with the parcel intake: a row's understood
values are now an item of the intake schema.

Imports checked before the upgrade but not yet imported hold rows in the former shape:
they are checked again from their file with the new code, so that Import works on them
as before. One that cannot be checked again (its file or mapping no longer valid) goes
back to Draft, its rows removed, with a message in its chatter saying why; the file
stays attached to it.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


def recheck_checked_imports(env):
    """Check again every import in state Checked; returns those sent back to Draft."""
    back_to_draft = env["tms.ec.import"]
    for job in (
        env["tms.ec.import"]
        .with_context(active_test=False)
        .search([("state", "=", "previewed")])
    ):
        try:
            with env.cr.savepoint():
                job._tms_preview()
        except (UserError, ValueError) as error:
            _logger.warning("Import %s could not be checked again: %s", job.id, error)
            job.line_ids.unlink()
            job.write({"state": "draft"})
            job.message_post(
                body=env._(
                    "The rows of this import were checked by an earlier version and "
                    "could not be checked again (%(error)s): check them again before "
                    "importing.",
                    error=error,
                )
            )
            back_to_draft |= job
    return back_to_draft


def migrate(cr, version):
    if not version:
        return
    recheck_checked_imports(api.Environment(cr, SUPERUSER_ID, {}))
