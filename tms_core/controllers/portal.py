# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Tracking for customers: the public page ``/track`` and the portal's "My parcels".

Thin on purpose: validate the input, count the lookup, find the parcel and render
what ``tms.parcel`` returns for the public (``_tms_public_data``) or, after the second
factor or a portal access check, the delivery details (``_tms_delivery_details``).
"""

import time

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

MAX_NUMBER_LENGTH = 40
TRACK_ROUTE = {"type": "http", "auth": "public", "website": True, "sitemap": False}
# Parcels whose delivery details this browser session may see, with when that ends.
REVEAL_SESSION_KEY = "tms_track_revealed"
REVEAL_TTL_SECONDS = 3600
REVEAL_SESSION_MAX = 20
# Tracking pages are nobody's business but the parcel's: never indexed, never stored
# by a cache, and the token in the URL never sent to another site.
TRACK_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def _tms_can_read(parcel_sudo):
    """Whether the current user may read the parcel under their own rights (portal
    record rules, back-office groups), not through a token or a second factor."""
    return parcel_sudo.sudo(False).with_user(request.env.user).has_access("read")


def _tms_pod_response(parcel_sudo, attachment_id=None, download=False):
    """The signature (``attachment_id`` None) or one photo of the proof of delivery
    of a parcel the caller was allowed to see; 404 for anything else."""
    if attachment_id is None:
        if not parcel_sudo.pod_signature:
            raise NotFound()
        stream = request.env["ir.binary"]._get_stream_from(
            parcel_sudo,
            "pod_signature",
            filename=f"{parcel_sudo.tracking_number}-signature.png",
        )
    else:
        photo = parcel_sudo._tms_pod_attachment(attachment_id)
        if not photo:
            raise NotFound()
        stream = request.env["ir.binary"]._get_stream_from(photo)
    response = stream.get_response(as_attachment=bool(download))
    response.headers.update(TRACK_HEADERS)
    response.headers["Cache-Control"] = "private, no-store"
    return response


class TmsTrackController(http.Controller):
    """The public tracking page."""

    @http.route("/track", methods=["GET"], **TRACK_ROUTE)
    def tms_track(self, number=None, **_query):
        # no tracking number is that long: what is cut off is junk anyway
        number = (number or "").strip()[:MAX_NUMBER_LENGTH]
        if not number:
            return self._tms_render({})
        Parcel = request.env["tms.parcel"]
        try:
            number = Parcel._tms_parse_tracking_number(number)
        except UserError as error:
            # a typing error: said at once, nothing looked up or counted
            return self._tms_render({"error": error.args[0], "number": number}, 400)
        limited = self._tms_rate_limited()
        if limited:
            return limited
        parcel_sudo = Parcel._tms_track_find_by_number(number)
        return self._tms_render_parcel(parcel_sudo, {"number": number})

    @http.route("/track/<string:token>", methods=["GET"], **TRACK_ROUTE)
    def tms_track_token(self, token, **_query):
        limited = self._tms_rate_limited()
        if limited:
            return limited
        parcel_sudo = request.env["tms.parcel"]._tms_track_find_by_token(token)
        return self._tms_render_parcel(parcel_sudo, {"token": token})

    @http.route("/track/reveal", methods=["POST"], **TRACK_ROUTE)
    def tms_track_reveal(self, number=None, token=None, answer=None, **_post):
        """The second factor: the last four digits of the recipient's phone or the
        delivery postcode reveal the delivery details, for this parcel and this
        browser session only."""
        Parcel = request.env["tms.parcel"]
        limited = self._tms_rate_limited()
        if limited:
            return limited
        if token:
            lookup = {"token": token}
            parcel_sudo = Parcel._tms_track_find_by_token(token)
        else:
            try:
                lookup = {"number": Parcel._tms_parse_tracking_number(number or "")}
            except UserError as error:
                return self._tms_render({"error": error.args[0]}, 400)
            parcel_sudo = Parcel._tms_track_find_by_number(lookup["number"])
        if not parcel_sudo:
            return self._tms_render_parcel(parcel_sudo, lookup)
        allowed, retry_after = request.env["tms.track.rate"]._tms_hit_reveal(
            parcel_sudo
        )
        if not allowed:
            message = request.env._(
                "Too many attempts for this parcel. Try again in %(minutes)s "
                "minutes.",
                minutes=max(1, round(retry_after / 60)),
            )
            return self._tms_render_parcel(
                parcel_sudo, lookup, reveal_error=message, status=429
            )
        if not parcel_sudo._tms_check_second_factor(answer):
            message = request.env._(
                "This does not match the recipient's phone number or postcode."
            )
            return self._tms_render_parcel(
                parcel_sudo, lookup, reveal_error=message, status=403
            )
        self._tms_remember_reveal(parcel_sudo)
        return request.redirect(self._tms_page_url(lookup), code=303)

    @http.route(
        [
            "/track/pod/<int:parcel_id>/signature",
            "/track/pod/<int:parcel_id>/photo/<int:attachment_id>",
        ],
        methods=["GET"],
        **TRACK_ROUTE,
    )
    def tms_track_pod(self, parcel_id, attachment_id=None, download=False, **_query):
        """A file of the proof of delivery, for a session that passed the second
        factor on this parcel or a customer who may read it."""
        # sudo: browse only; nothing is read unless one of the checks below passes
        parcel_sudo = request.env["tms.parcel"].sudo().browse(parcel_id).exists()
        if not parcel_sudo or not (
            self._tms_is_revealed(parcel_sudo) or _tms_can_read(parcel_sudo)
        ):
            raise NotFound()
        return _tms_pod_response(parcel_sudo, attachment_id, download=bool(download))

    # ----------------------------------------------------------------------------------
    # helpers
    # ----------------------------------------------------------------------------------
    def _tms_rate_limited(self):
        """A 429 page when the visitor's address made too many lookups this minute,
        else None (and the lookup is counted)."""
        allowed, retry_after = request.env["tms.track.rate"]._tms_hit_lookup(
            request.httprequest.remote_addr or ""
        )
        if allowed:
            return None
        return self._tms_render(
            {"retry_after": retry_after},
            429,
            template="tms_core.tms_track_too_many",
            headers={"Retry-After": str(retry_after)},
        )

    def _tms_render_parcel(self, parcel_sudo, lookup, reveal_error=None, status=200):
        if not parcel_sudo:
            # The same page for an unknown number and a wrong link, whatever was
            # typed: it tells nothing about which parcels exist.
            return self._tms_render({"not_found": True}, 404)
        values = {
            "parcel": parcel_sudo._tms_public_data(),
            "lookup": lookup,
            "page_url": self._tms_page_url(lookup),
            "reveal_error": reveal_error,
            # the carrier's logo in the header
            "res_company": parcel_sudo.company_id,
        }
        if "number" in lookup:
            values["number"] = lookup["number"]
        can_read = _tms_can_read(parcel_sudo)
        if can_read or self._tms_is_revealed(parcel_sudo):
            values["details"] = parcel_sudo._tms_delivery_details()
        if can_read and request.env.user.share:
            values["portal_url"] = parcel_sudo.access_url
        return self._tms_render(values, status)

    def _tms_render(self, values, status=200, template=None, headers=None):
        return request.render(
            template or "tms_core.tms_track_page",
            dict(values, page_name="tms_track"),
            status=status,
            headers=dict(TRACK_HEADERS, **(headers or {})),
        )

    def _tms_page_url(self, lookup):
        if "token" in lookup:
            return f"/track/{lookup['token']}"
        return f"/track?number={lookup['number']}"

    def _tms_revealed_parcels(self):
        now = time.time()
        revealed = request.session.get(REVEAL_SESSION_KEY) or {}
        return {
            key: until
            for key, until in revealed.items()
            if isinstance(until, int | float) and until > now
        }

    def _tms_is_revealed(self, parcel_sudo):
        return str(parcel_sudo.id) in self._tms_revealed_parcels()

    def _tms_remember_reveal(self, parcel_sudo):
        revealed = self._tms_revealed_parcels()
        revealed[str(parcel_sudo.id)] = time.time() + REVEAL_TTL_SECONDS
        latest = sorted(revealed.items(), key=lambda item: item[1])
        request.session[REVEAL_SESSION_KEY] = dict(latest[-REVEAL_SESSION_MAX:])


class TmsCustomerPortal(CustomerPortal):
    """ "My parcels": the parcels a logged-in customer sends or receives."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "tms_parcel_count" in counters:
            Parcel = request.env["tms.parcel"]
            values["tms_parcel_count"] = (
                Parcel.search_count(Parcel._tms_portal_domain())
                if Parcel.has_access("read")
                else 0
            )
        return values

    def _tms_parcel_searchbar_sortings(self):
        _ = request.env._
        return {
            "date": {"label": _("Newest"), "order": "id desc"},
            "promised": {
                "label": _("Promised Delivery"),
                "order": "date_promised asc, id desc",
            },
            "number": {"label": _("Tracking Number"), "order": "tracking_number"},
            "state": {"label": _("Status"), "order": "state, id desc"},
        }

    def _tms_parcel_searchbar_filters(self):
        _ = request.env._
        return {
            "all": {"label": _("All")},
            "progress": {"label": _("In Progress")},
            "delivered": {"label": _("Delivered")},
            "problem": {"label": _("Problems")},
        }

    def _tms_parcel_searchbar_inputs(self):
        _ = request.env._
        return {
            "all": {"input": "all", "label": _("Search in All")},
            "number": {"input": "number", "label": _("Search in Tracking Number")},
            "reference": {"input": "reference", "label": _("Search in Reference")},
        }

    def _tms_parcel_search_domain(self, search_in, search):
        if not search:
            return []
        by_number = [("tracking_number", "ilike", search)]
        by_reference = [("client_reference", "ilike", search)]
        if search_in == "number":
            return by_number
        if search_in == "reference":
            return by_reference
        return ["|", *by_number, *by_reference]

    @http.route(
        ["/my/parcels", "/my/parcels/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_parcels(
        self, page=1, sortby=None, filterby=None, search_in="all", search=None, **_kw
    ):
        Parcel = request.env["tms.parcel"]
        sortings = self._tms_parcel_searchbar_sortings()
        filters = self._tms_parcel_searchbar_filters()
        inputs = self._tms_parcel_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        search = (search or "").strip()
        domain = [
            *Parcel._tms_portal_domain(),
            *Parcel._tms_portal_filter_domain(filterby),
            *self._tms_parcel_search_domain(search_in, search),
        ]
        parcels = Parcel
        total = Parcel.search_count(domain) if Parcel.has_access("read") else 0
        pager = portal_pager(
            url="/my/parcels",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
            },
            total=total,
            page=page,
            step=self._items_per_page,
        )
        if total:
            parcels = Parcel.search(
                domain,
                order=sortings[sortby]["order"],
                limit=self._items_per_page,
                offset=pager["offset"],
            )
        request.session["my_tms_parcels_history"] = parcels.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: the parcels were searched under the portal record rules; the
                # other party's name (shipper or recipient) is on the label anyway
                "parcels": parcels.sudo(),
                "state_labels": Parcel._tms_public_state_labels(),
                "page_name": "tms_parcels",
                "default_url": "/my/parcels",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("tms_core.portal_my_parcels", values)

    @http.route("/my/parcels/<int:parcel_id>", type="http", auth="public", website=True)
    def portal_my_parcel(self, parcel_id, access_token=None, **kw):
        try:
            parcel_sudo = self._document_check_access(
                "tms.parcel", parcel_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not _tms_can_read(parcel_sudo):
            # Opened with the access token alone (a notification, the label's QR
            # code): the token is the public tracking link, which shows the public
            # page; the delivery details need the second factor there.
            return request.redirect(f"/track/{parcel_sudo.access_token}")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "parcel": parcel_sudo,
                "public": parcel_sudo._tms_public_data(),
                "details": parcel_sudo._tms_delivery_details(),
                "is_shipper": parcel_sudo.shipper_id.commercial_partner_id
                == request.env.user.commercial_partner_id,
                "page_name": "tms_parcel",
                "res_company": parcel_sudo.company_id,
            }
        )
        values = self._get_page_view_values(
            parcel_sudo, access_token, values, "my_tms_parcels_history", False, **kw
        )
        return request.render("tms_core.portal_my_parcel", values)

    @http.route(
        [
            "/my/parcels/<int:parcel_id>/pod/signature",
            "/my/parcels/<int:parcel_id>/pod/photo/<int:attachment_id>",
        ],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_parcel_pod(self, parcel_id, attachment_id=None, **_kw):
        """Download the proof of delivery: the signature or one photo."""
        try:
            # no access token here: the proof of delivery needs the customer's login
            # (or the second factor of the public page)
            parcel_sudo = self._document_check_access("tms.parcel", parcel_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return _tms_pod_response(parcel_sudo, attachment_id, download=True)
