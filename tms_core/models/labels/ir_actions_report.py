# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import functools
import logging
import subprocess

from odoo import api, models
from odoo.tools import pdf

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)


@functools.cache
def wkhtmltopdf_is_patched():
    """Whether the wkhtmltopdf binary is a "patched Qt" build (wkhtmltopdf.org's).

    Distribution packages (Debian's ``wkhtmltopdf``) are built on the system's Qt: they
    ignore page headers and footers, and fail ("Exit with code 1") on more than one
    document per run, which Odoo passes when several records are printed at once.
    """
    try:
        out = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # no binary: Odoo's own message applies
    return "patched qt" in out.lower()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _run_wkhtmltopdf(self, bodies, *args, **kwargs):
        """Print several records with an unpatched wkhtmltopdf: one run per
        document, then the PDFs joined in order (Odoo then keeps the whole PDF as one
        download)."""
        if len(bodies) < 2 or wkhtmltopdf_is_patched():
            return super()._run_wkhtmltopdf(bodies, *args, **kwargs)
        _logger.info(
            "wkhtmltopdf without patched Qt: printing %s documents one by one",
            len(bodies),
        )
        return pdf.merge_pdf(
            [
                super(IrActionsReport, self)._run_wkhtmltopdf([body], *args, **kwargs)
                for body in bodies
            ]
        )
