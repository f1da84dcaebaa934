# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Routes of the proof of delivery PDF (customer portal, REST API) and of the GPS
points the driver's phone sends during a round. Thin: check who asks, call one
model method, answer."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.tms_core.controllers.api import API_PREFIX, API_ROUTE, TmsApiController
from odoo.addons.tms_core.controllers.portal import TmsCustomerPortal
from odoo.addons.tms_core.models.api.tms_api import TmsApiError


def _pdf_headers(parcel, extra=None):
    return [
        *(extra or []),
        ("Content-Type", "application/pdf"),
        (
            "Content-Disposition",
            f'attachment; filename="{parcel._tms_pod_filename()}"',
        ),
        ("Cache-Control", "private, no-store"),
    ]


class TmsTrackingPortal(TmsCustomerPortal):
    @http.route(
        "/my/parcels/<int:parcel_id>/pod.pdf", type="http", auth="user", website=True
    )
    def portal_my_parcel_pod_pdf(self, parcel_id, **_kw):
        """The proof of delivery PDF of a delivered parcel the customer may read."""
        try:
            # no access token: the proof of delivery needs the customer's login
            parcel_sudo = self._document_check_access("tms.parcel", parcel_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        if parcel_sudo.state != "delivered":
            raise NotFound()
        pdf = parcel_sudo._tms_pod_pdf()
        return request.make_response(pdf, headers=_pdf_headers(parcel_sudo))


class TmsTrackingApi(TmsApiController):
    @http.route(
        f"{API_PREFIX}/parcels/<string:tracking_number>/pod",
        methods=["GET"],
        **API_ROUTE,
    )
    def tms_api_parcel_pod(self, tracking_number, **_query):
        """``GET /parcels/<number>/pod``: the proof of delivery PDF; the same keys,
        rate limit and errors as the other routes (404 for a parcel the key's owner
        may not see, 409 ``not_delivered``)."""
        found = {}

        def get(api):
            parcel = api._tms_api_get_parcel(tracking_number)
            if parcel.state != "delivered":
                raise TmsApiError(
                    409,
                    "not_delivered",
                    api.env._(
                        "Parcel %(number)s is not delivered: it has no proof of "
                        "delivery.",
                        number=parcel.tracking_number,
                    ),
                )
            found["parcel"] = parcel
            found["pdf"] = parcel._tms_pod_pdf()
            return 200, None, {}

        response = self._tms_serve(get)
        if "pdf" not in found:
            return response
        # the rate limit headers of the JSON answer, on the PDF
        extra = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower().startswith(("x-ratelimit", "ratelimit"))
        ]
        return request.make_response(
            found["pdf"], headers=_pdf_headers(found["parcel"], extra)
        )


class TmsGpsController(http.Controller):
    @http.route("/tms/driver/gps", type="json", auth="user", methods=["POST"])
    def tms_driver_gps(self, round_id=None, points=None, **_kw):
        """A batch of positions of the driver's started round (readme/USAGE.md)."""
        try:
            tms_round = request.env["tms.round"].browse(int(round_id or 0)).exists()
            if not tms_round:
                raise MissingError(request.env._("This round does not exist."))
            tms_round.check_access("read")
            return tms_round._tms_gps_record(points)
        except (TypeError, ValueError):
            return self._tms_gps_error("invalid", request.env._("Invalid round."))
        except (AccessError, MissingError) as error:
            return self._tms_gps_error("not_found", error.args[0])
        except UserError as error:
            return self._tms_gps_error("refused", error.args[0])

    @http.route("/tms/driver/gps/consent", type="json", auth="user", methods=["POST"])
    def tms_driver_gps_consent(self, consent=False, user_id=None, **_kw):
        """The driver turns his own position sharing on or off from the app; answers
        ``{"consent", "interval"}``."""
        try:
            return request.env["tms.driver.app"].set_gps_consent(
                consent, user_id=user_id
            )
        except AccessError as error:
            return self._tms_gps_error("refused", error.args[0])

    def _tms_gps_error(self, code, message):
        return {"error": {"code": code, "message": message}}
