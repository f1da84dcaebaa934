# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""REST API v1: JSON over HTTP, authenticated with Odoo API keys (``auth='bearer'``).

Thin on purpose: parse the request, call one ``tms.api`` method, turn its result or
its error into a JSON response (``{"error": {"code", "message", "details"}}`` on
errors). The OpenAPI document of these routes is ``static/api/openapi.json``; a
route another module adds is marked there with ``x-tms-module``.
"""

import functools
import json
import re

import psycopg2

from odoo import http
from odoo.exceptions import AccessDenied, AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import file_open

from ..models.api.tms_api import API_PREFIX, TmsApiError, error_body
from ..models.parcel.tms_parcel_event import TmsTransitionError

BEARER_RE = re.compile(r"^bearer\s+(.+)$", re.IGNORECASE)
API_ROUTE = {"type": "http", "auth": "bearer", "csrf": False, "save_session": False}


@functools.cache
def _openapi_document():
    with file_open("tms_core/static/api/openapi.json", "rb") as document:
        return json.load(document)


def openapi_document(installed_modules):
    """The OpenAPI document of this database: operations that another module adds
    (marked ``x-tms-module``) are left out when that module is not installed."""
    document = _openapi_document()
    paths = {}
    for path, item in document["paths"].items():
        kept = {
            key: value
            for key, value in item.items()
            if not isinstance(value, dict)
            or value.get("x-tms-module", "tms_core") in installed_modules
        }
        if set(kept) - {"parameters", "summary", "description"}:
            paths[path] = kept
    return dict(document, paths=paths)


class TmsApiController(http.Controller):
    @http.route(
        f"{API_PREFIX}/openapi.json",
        type="http",
        auth="none",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def tms_api_openapi(self, **_query):
        document = dict(
            openapi_document(request.env.registry._init_modules),
            servers=[{"url": request.httprequest.host_url.rstrip("/") + API_PREFIX}],
        )
        return request.make_json_response(document)

    @http.route(f"{API_PREFIX}/parcels", methods=["POST"], **API_ROUTE)
    def tms_api_parcel_create(self, **_query):
        return self._tms_serve(
            lambda api: api._tms_api_create(
                self._tms_json_body(), self._tms_idempotency_key()
            )
        )

    @http.route(f"{API_PREFIX}/parcels", methods=["GET"], **API_ROUTE)
    def tms_api_parcel_list(self, **_query):
        params = request.httprequest.args.to_dict(flat=True)
        return self._tms_serve(lambda api: (200, api._tms_api_list(params), {}))

    @http.route(
        f"{API_PREFIX}/parcels/<string:tracking_number>", methods=["GET"], **API_ROUTE
    )
    def tms_api_parcel_get(self, tracking_number, **_query):
        def get(api):
            parcel = api._tms_api_get_parcel(tracking_number)
            return 200, api._tms_api_parcel_data(parcel, details=True)[0], {}

        return self._tms_serve(get)

    @http.route(
        f"{API_PREFIX}/parcels/<string:tracking_number>/events",
        methods=["POST"],
        **API_ROUTE,
    )
    def tms_api_parcel_event(self, tracking_number, **_query):
        return self._tms_serve(
            lambda api: api._tms_api_add_event(
                tracking_number, self._tms_json_body(), self._tms_idempotency_key()
            )
        )

    @http.route(
        f"{API_PREFIX}/parcels/<string:tracking_number>/cancel",
        methods=["POST"],
        **API_ROUTE,
    )
    def tms_api_parcel_cancel(self, tracking_number, **_query):
        return self._tms_serve(
            lambda api: api._tms_api_cancel(
                tracking_number, self._tms_json_body(required=False)
            )
        )

    # ----------------------------------------------------------------------------
    # helpers
    # ----------------------------------------------------------------------------
    def _tms_serve(self, handler):
        """Pick the companies, count the request against the rate limit, run
        ``handler(env['tms.api'])`` -> ``(status, body, headers)`` in a savepoint (an
        error leaves nothing behind) and answer in JSON."""
        headers = {}
        try:
            companies, headers = request.env["tms.api"]._tms_api_begin(
                self._tms_bearer_token(),
                request.httprequest.headers.get("X-Company-Id"),
            )
            request.update_context(allowed_company_ids=companies.ids)
            with request.env.cr.savepoint():
                status, body, extra_headers = handler(request.env["tms.api"])
            headers.update(extra_headers)
            return request.make_json_response(
                body, headers=list(headers.items()), status=status
            )
        except TmsApiError as error:
            headers.update(error.headers)
            return self._tms_error(
                error.status, error.code, error.message, error.details, headers
            )
        except TmsTransitionError as error:
            details = {"from_state": error.from_state, "to_state": error.to_state}
            return self._tms_error(
                409, "forbidden_transition", error.args[0], details, headers
            )
        except MissingError as error:
            return self._tms_error(404, "not_found", error.args[0], None, headers)
        except (AccessError, AccessDenied) as error:
            return self._tms_error(403, "forbidden", error.args[0], None, headers)
        except UserError as error:  # ValidationError included
            return self._tms_error(
                422, "validation_error", error.args[0], None, headers
            )
        except psycopg2.IntegrityError:
            message = request.env._("The data breaks a database constraint.")
            return self._tms_error(422, "validation_error", message, None, headers)

    def _tms_error(self, status, code, message, details, headers):
        return request.make_json_response(
            error_body(code, message, details),
            headers=list(headers.items()),
            status=status,
        )

    def _tms_json_body(self, required=True):
        """The request body, a JSON object; ``{}`` for an empty optional body."""
        data = request.httprequest.get_data()
        if not data.strip():
            if not required:
                return {}
            raise TmsApiError(
                400,
                "missing_body",
                request.env._(
                    "Send a JSON object with the header Content-Type: "
                    "application/json."
                ),
            )
        try:
            body = json.loads(data)
        except (ValueError, UnicodeDecodeError) as error:
            raise TmsApiError(
                400,
                "invalid_json",
                request.env._(
                    "The body is not valid JSON: %(error)s", error=str(error)
                ),
            ) from error
        if not isinstance(body, dict):
            raise TmsApiError(
                400, "invalid_body", request.env._("The body must be a JSON object.")
            )
        return body

    def _tms_bearer_token(self):
        match = BEARER_RE.match(request.httprequest.headers.get("Authorization", ""))
        return match.group(1) if match else None

    def _tms_idempotency_key(self):
        return (
            request.httprequest.headers.get("Idempotency-Key") or ""
        ).strip() or None
