# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The shipper's cash on delivery in the customer portal: the figures (collected,
in transit to a cashier, remitted, held) and the paid remittances with their
statements. Thin: the figures come from ``tms.cod.remittance._tms_portal_figures``."""

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class TmsCodPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "tms_cod_remittance_count" in counters:
            Remittance = request.env["tms.cod.remittance"]
            values["tms_cod_remittance_count"] = (
                Remittance.search_count([("state", "=", "paid")])
                if Remittance.has_access("read")
                else 0
            )
        return values

    @http.route("/my/cod", type="http", auth="user", website=True)
    def portal_my_cod(self, **_kw):
        partner = request.env.user.commercial_partner_id
        Remittance = request.env["tms.cod.remittance"]
        remittances = (
            Remittance.search([("state", "=", "paid")], order="date desc, id desc")
            if Remittance.has_access("read")
            else Remittance
        )
        # sudo: the figures are those of the user's own company contact only, read
        # across sheets and parcels the portal user has no access to as records
        figures = Remittance.sudo()._tms_portal_figures(partner)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "remittances": remittances,
                "figures": figures,
                "currency": request.env.company.currency_id,
                "page_name": "tms_cod",
            }
        )
        return request.render("tms_trans.portal_my_cod", values)

    @http.route(
        "/my/cod/remittances/<int:remittance_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_cod_remittance(
        self, remittance_id, access_token=None, download=False, **_kw
    ):
        try:
            remittance_sudo = self._document_check_access(
                "tms.cod.remittance", remittance_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._show_report(
            model=remittance_sudo,
            report_type="pdf",
            report_ref="tms_trans.tms_cod_remittance_report",
            download=download,
        )
