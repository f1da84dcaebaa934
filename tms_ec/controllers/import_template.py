# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.http import content_disposition, request


class TmsEcImportController(http.Controller):
    @http.route(
        ["/tms_ec/import/template.xlsx", "/tms_ec/import/template.csv"],
        type="http",
        auth="user",
        methods=["GET"],
    )
    def import_template(self, **kwargs):
        """The empty spreadsheet to fill with orders, its column titles in the
        user's language."""
        file_format = "csv" if request.httprequest.path.endswith(".csv") else "xlsx"
        content, name, mimetype = request.env["tms.ec.import"]._tms_template(
            file_format
        )
        return self._download(content, name, mimetype)

    @http.route(
        "/tms_ec/import/<int:import_id>/rejected.csv",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def import_rejected(self, import_id, **kwargs):
        """The invalid rows of an import (the user's access to it is checked)."""
        record = request.env["tms.ec.import"].browse(import_id).exists()
        if not record:
            raise request.not_found()
        record.check_access("read")
        content, name = record._tms_rejected_csv()
        return self._download(content, name, "text/csv;charset=utf-8")

    def _download(self, content, name, mimetype):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Length", str(len(content))),
                ("Content-Disposition", content_disposition(name)),
            ],
        )
