# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

import werkzeug.exceptions

from odoo import models
from odoo.exceptions import AccessDenied, AccessError, MissingError
from odoo.http import SessionExpiredException, request

from .tms_api import API_PREFIX, error_body


class IrHttp(models.AbstractModel):
    """Errors that Odoo handles before the API's controller runs (a missing or wrong API
    key, an unknown route or method under ``/api/tms/v1/``) use the API's error shape
    too."""

    _inherit = "ir.http"

    @classmethod
    def _match(cls, path_info):
        try:
            return super()._match(path_info)
        except werkzeug.exceptions.MethodNotAllowed as error:
            if path_info.startswith(f"{API_PREFIX}/"):
                error.error_response = cls._tms_api_error_response(error)
            raise

    @classmethod
    def _handle_error(cls, exception):
        if request and request.httprequest.path.startswith(f"{API_PREFIX}/"):
            return cls._tms_api_error_response(exception)
        return super()._handle_error(exception)

    @classmethod
    def _tms_api_error_response(cls, exception):
        env = request.env
        headers = []
        if isinstance(
            exception,
            werkzeug.exceptions.Unauthorized | AccessDenied | SessionExpiredException,
        ):
            status, code = 401, "unauthorized"
            message = env._(
                "Send a valid API key in the header Authorization: Bearer <key>."
            )
            headers.append(("WWW-Authenticate", "Bearer"))
        elif isinstance(exception, werkzeug.exceptions.NotFound | MissingError):
            status, code, message = 404, "not_found", env._("No such resource.")
        elif isinstance(exception, werkzeug.exceptions.MethodNotAllowed):
            status, code = 405, "method_not_allowed"
            message = env._("This method is not allowed on this resource.")
            headers.append(("Allow", ", ".join(exception.valid_methods or [])))
        elif isinstance(exception, AccessError):
            status, code, message = 403, "forbidden", exception.args[0]
        elif (
            isinstance(exception, werkzeug.exceptions.HTTPException)
            and (exception.code or 500) < 500
        ):
            status = exception.code
            code = re.sub(r"\W+", "_", exception.name.lower())
            message = exception.description
        else:
            # Never show the details of an unexpected error; Odoo logs it.
            status, code = 500, "internal_error"
            message = env._("An unexpected error occurred; it was logged.")
        return request.make_json_response(
            error_body(code, message), headers=headers, status=status
        )
