# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The client's SLA figures on its portal: ``/my/sla`` lists its monthly reports
with their figures, ``/my/sla/<id>`` prints one. Access goes through the reports'
portal record rule (the client's own reports only)."""

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class TmsSlaPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "tms_sla_report_count" in counters:
            Report = request.env["tms.sla.client.report"]
            values["tms_sla_report_count"] = (
                Report.search_count([]) if Report.has_access("read") else 0
            )
        return values

    @http.route("/my/sla", type="http", auth="user", website=True)
    def portal_my_sla(self, **_kw):
        Report = request.env["tms.sla.client.report"]
        reports = Report.search([]) if Report.has_access("read") else Report
        values = self._prepare_portal_layout_values()
        values.update({"reports": reports, "page_name": "tms_sla"})
        return request.render("tms_3pl.portal_my_sla", values)

    @http.route("/my/sla/<int:report_id>", type="http", auth="public", website=True)
    def portal_my_sla_report(self, report_id, access_token=None, **_kw):
        try:
            report_sudo = self._document_check_access(
                "tms.sla.client.report", report_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._show_report(
            model=report_sudo,
            report_type="pdf",
            report_ref="tms_3pl.action_report_sla_client",
            download=_kw.get("download") == "true",
        )
