# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The merchant's portal pages: the labels of the parcels it ships and its return
statistics. The parcel list and detail pages of tms_core are extended by templates
(``views/tms_merchant_portal_templates.xml``), not here."""

import re

from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

IDS_RE = re.compile(r"^\d{1,12}$")
STATS_PERIODS = (30, 90, 365)


class TmsMerchantPortal(http.Controller):
    @http.route(
        "/my/parcels/labels.pdf",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def tms_ec_portal_labels(self, **_kw):
        """One PDF with the labels of the parcels ``ids`` (``?ids=1,2,3``, or one
        ``ids`` per ticked box of the list), all shipped by the user."""
        parcel_ids = self._tms_ec_parse_ids(request.httprequest.args.getlist("ids"))
        if parcel_ids is None:
            raise BadRequest()
        if not parcel_ids:
            return request.redirect("/my/parcels")
        try:
            parcels = request.env["tms.parcel"]._tms_ec_portal_label_parcels(parcel_ids)
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise Forbidden() from error
        # sudo: each parcel was just checked to be readable by the user and shipped
        # by its commercial partner; layouts, hubs and zones of the label are the
        # carrier's records, which portal users may not read.
        parcels_sudo = parcels.sudo()
        pdf = parcels_sudo._tms_render_labels("pdf")
        parcels_sudo._tms_record_label_prints("pdf")
        filename = (
            f"label-{parcels_sudo.tracking_number}.pdf"
            if len(parcels_sudo) == 1
            else f"labels-{len(parcels_sudo)}.pdf"
        )
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "private, no-store"),
            ],
        )

    @http.route(
        "/my/returns/stats",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def tms_ec_portal_return_stats(self, days=None, **_kw):
        """The merchant's delivered and returned quantities per product."""
        Report = request.env["tms.return.report"]
        if not Report.has_access("read"):
            return request.redirect("/my")
        days = int(days) if days in {str(period) for period in STATS_PERIODS} else 30
        values = {
            "page_name": "tms_ec_return_stats",
            "stats": Report._tms_portal_stats(days),
            "days": days,
            "periods": STATS_PERIODS,
        }
        return request.render("tms_ec.portal_my_return_stats", values)

    @staticmethod
    def _tms_ec_parse_ids(values):
        """The distinct ids of ``values`` (comma-separated strings), in order; None
        when one of them is not a number."""
        ids = []
        for value in values:
            for part in value.split(","):
                part = part.strip()
                if not part:
                    continue
                if not IDS_RE.match(part):
                    return None
                ids.append(int(part))
        return list(dict.fromkeys(ids))
