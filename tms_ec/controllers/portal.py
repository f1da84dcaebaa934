# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Returns for customers: the "Return items" form of a delivered parcel (from the
portal's parcel page, or from the public tracking page after the second factor), the
return's page with the QR code to show at a hub, its printable label, and the
portal's "Returns" list.

Thin on purpose: check who may see what, call one model method and render. The rules
(who may return, until when, which items and how many) are model methods an
integrator may override: ``tms.parcel._tms_ec_is_recipient``,
``_tms_ec_return_eligibility`` and ``_tms_ec_returnable_lines``, and
``tms.return._tms_ec_request_from_form`` with ``_tms_ec_check_return_request``.
"""

import hmac

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.tms_core.controllers.portal import (
    TRACK_HEADERS,
    TRACK_ROUTE,
    TmsTrackController,
    _tms_can_read,
)
from odoo.addons.tms_core.controllers.portal import (
    TmsCustomerPortal as TmsPortal,
)
from odoo.addons.tms_core.models.portal.tms_parcel import ACCESS_TOKEN_RE

# Up to this many items of a line, the quantity is a drop-down list (easier on phones).
MAX_SELECT_QUANTITY = 50


class TmsEcReturnForm:
    """The "Return items" form, shared by the tracking page's flow and the portal's
    parcel page."""

    def _tms_ec_return_form_values(self, parcel_sudo, post=None, error=None):
        """What the "Return items" form shows: the parcel's content lines with what
        is left to return, the reasons, and what was typed (after an error)."""
        post = post or {}
        lines = []
        for returnable in parcel_sudo._tms_ec_returnable_lines():
            line, left = returnable["line"], returnable["left"]
            lines.append(
                {
                    "id": line.id,
                    "name": line.name,
                    "sku": line.sku or "",
                    "delivered": returnable["delivered"],
                    "left": left,
                    "choices": list(range(int(left) + 1))
                    if left == int(left) and left <= MAX_SELECT_QUANTITY
                    else None,
                    "quantity": post.get(f"qty_{line.id}", ""),
                    "reason_id": post.get(f"reason_{line.id}", ""),
                }
            )
        deadline = parcel_sudo._tms_ec_return_eligibility()["deadline"]
        return {
            "parcel": parcel_sudo,
            "public": parcel_sudo._tms_public_data(),
            "lines": lines,
            "reasons": request.env["tms.return.reason"]
            .sudo()
            ._tms_ec_available(parcel_sudo.company_id),
            "can_return": parcel_sudo._tms_ec_can_return(),
            "deadline": parcel_sudo._tms_public_date(deadline) if deadline else "",
            "comment": post.get("comment", ""),
            "error": error,
            "merchant": parcel_sudo.shipper_id.commercial_partner_id.name or "",
            "res_company": parcel_sudo.company_id,
        }

    def _tms_ec_return_submit(self, parcel_sudo, post):
        """Create the return from the posted form; ``(return, None)`` or ``(None,
        error message)``. The caller checked that the visitor may return the parcel's
        items."""
        try:
            with request.env.cr.savepoint():
                # sudo: the caller checked that the visitor is the parcel's recipient
                # (by login or by the second factor); every business rule is checked
                # by the model itself.
                ret = (
                    request.env["tms.return"]
                    .sudo()
                    ._tms_ec_request_from_form(parcel_sudo, post)
                )
        except UserError as error:
            return None, error.args[0]
        return ret, None


class TmsEcTrack(TmsEcReturnForm, TmsTrackController):
    """The public tracking page offers the recipient to return items once the second
    factor revealed the delivery details."""

    def _tms_render_parcel(self, parcel_sudo, lookup, reveal_error=None, status=200):
        response = super()._tms_render_parcel(
            parcel_sudo, lookup, reveal_error=reveal_error, status=status
        )
        qcontext = getattr(response, "qcontext", None)
        if (
            qcontext is not None
            and parcel_sudo
            and qcontext.get("details")
            and self._tms_ec_may_return(parcel_sudo)
            and parcel_sudo._tms_ec_can_return()
        ):
            qcontext["tms_ec_return_url"] = f"/track/{parcel_sudo.access_token}/return"
        return response

    def _tms_ec_may_return(self, parcel_sudo):
        """The visitor proved to be the recipient: the second factor on this parcel in
        this session, or the recipient's own login."""
        return self._tms_is_revealed(parcel_sudo) or (
            _tms_can_read(parcel_sudo)
            and parcel_sudo._tms_ec_is_recipient(request.env.user)
        )

    @http.route("/track/<string:token>/return", methods=["GET", "POST"], **TRACK_ROUTE)
    def tms_ec_track_return(self, token, **post):
        limited = self._tms_rate_limited()
        if limited:
            return limited
        parcel_sudo = request.env["tms.parcel"]._tms_track_find_by_token(token)
        if not parcel_sudo:
            return self._tms_render({"not_found": True}, 404)
        if not self._tms_ec_may_return(parcel_sudo):
            # the second factor first, on the tracking page
            return request.redirect(f"/track/{parcel_sudo.access_token}", code=303)
        values = {
            "form_action": f"/track/{parcel_sudo.access_token}/return",
            "back_url": f"/track/{parcel_sudo.access_token}",
            "page_name": "tms_return_request",
            # the tracking page's flow: no portal breadcrumbs, logged in or not
            "no_breadcrumbs": True,
        }
        if request.httprequest.method == "POST":
            ret, error = self._tms_ec_return_submit(parcel_sudo, post)
            if ret:
                return request.redirect(
                    f"/return/{ret._portal_ensure_token()}", code=303
                )
            values.update(self._tms_ec_return_form_values(parcel_sudo, post, error))
            return self._tms_ec_render_form(values, 400)
        values.update(self._tms_ec_return_form_values(parcel_sudo))
        return self._tms_ec_render_form(values)

    def _tms_ec_render_form(self, values, status=200):
        return request.render(
            "tms_ec.tms_return_request_page",
            values,
            status=status,
            headers=TRACK_HEADERS,
        )


class TmsEcPortal(TmsEcReturnForm, TmsPortal):
    """The portal's returns: the list, a return's page with its QR code, the label,
    and the "Return items" form of a delivered parcel."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "tms_return_count" in counters:
            Return = request.env["tms.return"]
            values["tms_return_count"] = (
                Return.search_count(Return._tms_ec_portal_domain())
                if Return.has_access("read")
                else 0
            )
        return values

    # ----------------------------------------------------------------------------------
    # list and page of a return
    # ----------------------------------------------------------------------------------
    @http.route(
        ["/my/returns", "/my/returns/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_returns(self, page=1, **_kw):
        Return = request.env["tms.return"]
        domain = Return._tms_ec_portal_domain()
        total = Return.search_count(domain) if Return.has_access("read") else 0
        pager = portal_pager(
            url="/my/returns", total=total, page=page, step=self._items_per_page
        )
        returns = Return
        if total:
            returns = Return.search(
                domain, limit=self._items_per_page, offset=pager["offset"]
            )
        request.session["my_tms_returns_history"] = returns.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: searched under the portal record rules; the return parcel's
                # number and the other party's name are shown
                "returns": returns.sudo(),
                "page_name": "tms_returns",
                "default_url": "/my/returns",
                "pager": pager,
            }
        )
        return request.render("tms_ec.portal_my_returns", values)

    @http.route("/my/returns/<int:return_id>", type="http", auth="public", website=True)
    def portal_my_return(self, return_id, access_token=None, **kw):
        try:
            ret_sudo = self._document_check_access(
                "tms.return", return_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return self._tms_ec_render_return(ret_sudo, access_token, **kw)

    @http.route(
        "/my/returns/<int:return_id>/decide",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_return_decide(self, return_id, decision=None, refusal_reason=None):
        """The merchant approves or refuses a return request that waits for it."""
        try:
            # no access token: deciding needs the merchant's login
            ret_sudo = self._document_check_access("tms.return", return_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        if decision not in ("approve", "refuse"):
            raise NotFound()
        try:
            with request.env.cr.savepoint():
                # under the user's own rights: the model checks they are the
                # return's merchant (ret_sudo is the superuser's record)
                request.env["tms.return"].browse(ret_sudo.id)._tms_ec_merchant_decide(
                    decision == "approve", refusal_reason
                )
        except AccessError as error:
            raise Forbidden() from error
        except UserError as error:
            return self._tms_ec_render_return(
                ret_sudo,
                None,
                decision_error=error.args[0],
                refusal_reason=refusal_reason,
                status=400,
            )
        return request.redirect(f"/my/returns/{ret_sudo.id}", code=303)

    @http.route(
        "/return/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def tms_ec_return_by_token(self, token, **kw):
        """The return's page from the link of the emails and SMS."""
        ret_sudo = self._tms_ec_find_by_token(token)
        if not ret_sudo:
            raise NotFound()
        return self._tms_ec_render_return(ret_sudo, token, **kw)

    @http.route(
        "/my/returns/<int:return_id>/label",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def portal_my_return_label(self, return_id, access_token=None, **_kw):
        """The printable return label (PDF), for those who prefer to stick one."""
        try:
            ret_sudo = self._document_check_access(
                "tms.return", return_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        parcel_sudo = ret_sudo.return_parcel_id
        if not parcel_sudo or parcel_sudo.state == "cancelled":
            raise NotFound()
        pdf = parcel_sudo._tms_render_labels("pdf", is_return=True)
        filename = f"{parcel_sudo.tracking_number}-return.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", str(len(pdf))),
                ("Content-Disposition", f'inline; filename="{filename}"'),
                *TRACK_HEADERS.items(),
            ],
        )

    # ----------------------------------------------------------------------------------
    # "Return items" of a delivered parcel
    # ----------------------------------------------------------------------------------
    @http.route(
        "/my/parcels/<int:parcel_id>/return",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_parcel_return(self, parcel_id, **post):
        try:
            # no access token: returning items needs the recipient's login (or the
            # second factor of the public tracking page)
            parcel_sudo = self._document_check_access("tms.parcel", parcel_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        if not parcel_sudo._tms_ec_is_recipient(request.env.user):
            raise Forbidden()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "form_action": f"/my/parcels/{parcel_sudo.id}/return",
                "back_url": f"/my/parcels/{parcel_sudo.id}",
                "page_name": "tms_return_request",
            }
        )
        if request.httprequest.method == "POST":
            ret, error = self._tms_ec_return_submit(parcel_sudo, post)
            if ret:
                return request.redirect(f"/my/returns/{ret.id}", code=303)
            values.update(self._tms_ec_return_form_values(parcel_sudo, post, error))
            return request.render("tms_ec.tms_return_request_page", values, status=400)
        values.update(self._tms_ec_return_form_values(parcel_sudo))
        return request.render("tms_ec.tms_return_request_page", values)

    # ----------------------------------------------------------------------------------
    # helpers
    # ----------------------------------------------------------------------------------
    def _tms_ec_find_by_token(self, token):
        if not isinstance(token, str) or not ACCESS_TOKEN_RE.match(token):
            return request.env["tms.return"]
        # sudo: the token (122 random bits) is the link to one return, sent to its
        # customer; compared in constant time below
        ret = (
            request.env["tms.return"]
            .sudo()
            .search([("access_token", "=", token)], limit=1)
        )
        if ret and hmac.compare_digest(ret.access_token, token):
            return ret
        return request.env["tms.return"]

    def _tms_ec_render_return(
        self,
        ret_sudo,
        access_token,
        decision_error=None,
        refusal_reason=None,
        status=200,
        **kw,
    ):
        # the shop sees the request to decide on, never the customer's drop-off code
        is_merchant = ret_sudo._tms_ec_is_merchant(request.env.user)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "ret": ret_sudo,
                "page_name": "tms_return",
                "is_merchant": is_merchant,
                "can_decide": ret_sudo._tms_ec_merchant_can_decide(request.env.user),
                "decision_error": decision_error,
                "refusal_reason": refusal_reason or "",
                "hubs": ret_sudo._tms_ec_dropoff_hubs()
                if ret_sudo._tms_ec_shows_qr() and not is_merchant
                else [],
                "timeline": ret_sudo._tms_ec_timeline(),
                "inspection": ret_sudo._tms_ec_inspection_summary(),
                "label_url": ret_sudo._tms_ec_label_url()
                if ret_sudo.return_parcel_id
                else "",
                "res_company": ret_sudo.company_id,
            }
        )
        values = self._get_page_view_values(
            ret_sudo, access_token, values, "my_tms_returns_history", False, **kw
        )
        response = request.render("tms_ec.portal_my_return", values, status=status)
        response.headers.update(TRACK_HEADERS)
        return response
