# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Business side of the REST API v1 (``/api/tms/v1``).

The controller (``controllers/api.py``) only parses the request and turns the result of
these methods into HTTP responses: validation of payloads, batched creation, search,
serialisation, events and cancellation live here, under the key owner's access rights.
"""

import base64
import binascii
import re
from datetime import datetime, timezone

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from ...tools import intake
from ...tools.intake import MAX_NOTE_LENGTH, MAX_TEXT_LENGTH
from ..parcel.tms_parcel import PARCEL_STATES

API_PREFIX = "/api/tms/v1"
MAX_BATCH_SIZE = 1000
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# The rate limit (res.company.tms_api_rate_limit) counts requests per key and minute.
RATE_WINDOW_SECONDS = 60

# what a client may send for a parcel: the intake schema without the delivery note
PARCEL_KEYS = intake.PARCEL_KEYS - {"note"}
EVENT_KEYS = {
    "state",
    "event_time",
    "hub",
    "location",
    "latitude",
    "longitude",
    "failure_reason",
    "note",
    "device",
    "idempotency_key",
}
CANCEL_KEYS = {"note"}
LIST_PARAMETERS = {
    "state",
    "updated_since",
    "created_after",
    "created_before",
    "reference",
    "shipper",
    "shipper_ref",
    "service",
    "cursor",
    "limit",
}
CURSOR_RE = re.compile(r"^v1:(\d{1,18})$")


class TmsApiError(Exception):
    """An error the API returns as ``{"error": {"code", "message", "details"}}`` with
    the HTTP ``status``."""

    def __init__(self, status, code, message, details=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = dict(headers or {})


def error_body(code, message, details=None):
    return {"error": {"code": code, "message": message, "details": details}}


def format_datetime(value):
    """ISO 8601 in UTC (``2026-03-01T08:30:00Z``) of a naive UTC datetime, or None."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def parse_datetime(value):
    """Return the naive UTC datetime of an ISO 8601 string (UTC when it has no offset),
    or None when it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def encode_cursor(record_id):
    return base64.urlsafe_b64encode(f"v1:{record_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """Return the id a cursor points after, or None for a cursor we did not make."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode(
            "ascii"
        )
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    match = CURSOR_RE.match(text)
    return int(match.group(1)) if match else None


class FieldErrors(list):
    """Errors of one payload: ``[{"field", "code", "message"}]``."""

    def add(self, field, code, message):
        self.append({"field": field, "code": code, "message": message})


class TmsApi(models.AbstractModel):
    _name = "tms.api"
    _description = "TMS REST API"

    # ----------------------------------------------------------------------------
    # request context: rights, companies, rate limit
    # ----------------------------------------------------------------------------
    @api.model
    def _tms_api_check_access(self, operation="read"):
        """Readers need the TMS driver group (drivers see their own parcels through the
        record rules); creating and cancelling parcels need the TMS user group."""
        if operation == "read":
            if not self.env.user.has_group("tms_core.group_tms_driver"):
                raise AccessError(
                    self.env._(
                        "The owner of this API key may not read parcels: they need the "
                        "Transport Management Driver or User group."
                    )
                )
        elif not self.env.user.has_group("tms_core.group_tms_user"):
            raise AccessError(
                self.env._(
                    "The owner of this API key may not create or cancel parcels: they "
                    "need the Transport Management User group."
                )
            )

    @api.model
    def _tms_api_companies(self, company_header=None):
        """The companies a request works in: the one of the ``X-Company-Id`` header (one
        of the user's companies), else all the user's companies, their main one first
        (new parcels belong to the first)."""
        user = self.env.user
        if not company_header:
            return user.company_id | user.company_ids
        try:
            company_id = int(company_header)
        except ValueError:
            raise TmsApiError(
                400,
                "invalid_header",
                self.env._(
                    "The X-Company-Id header must be a company id (an integer)."
                ),
            ) from None
        if company_id not in user.company_ids.ids:
            raise TmsApiError(
                403,
                "company_not_allowed",
                self.env._(
                    "The owner of this API key does not work for company %(company)s.",
                    company=company_id,
                ),
            )
        return self.env["res.company"].browse(company_id)

    @api.model
    def _tms_api_begin(self, token, company_header=None):
        """Choose the request's companies and count the request against the key's rate
        limit. Return ``(companies, headers)``, the headers telling the limit."""
        company_error = None
        try:
            companies = self._tms_api_companies(company_header)
        except TmsApiError as error:
            # A refused company header still counts as a request.
            companies, company_error = self.env.user.company_id, error
        # sudo: the limit is a setting of one of the user's own companies, chosen by
        # _tms_api_companies.
        limit = companies[:1].sudo().tms_api_rate_limit
        hit = self.env["tms.rate.limit"]._tms_hit(
            "api", self._tms_api_rate_subject(token), limit, RATE_WINDOW_SECONDS
        )
        headers = {}
        if hit:
            headers = {
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(hit.remaining),
                "X-RateLimit-Reset": str(hit.retry_after),
            }
            if not hit.allowed:
                raise TmsApiError(
                    429,
                    "rate_limited",
                    self.env._(
                        "Too many requests: this API key may send %(limit)s requests a "
                        "minute. Retry in %(seconds)s seconds.",
                        limit=limit,
                        seconds=hit.retry_after,
                    ),
                    headers=dict(headers, **{"Retry-After": str(hit.retry_after)}),
                )
        if company_error:
            company_error.headers.update(headers)
            raise company_error
        return companies, headers

    @api.model
    def _tms_api_rate_subject(self, token):
        """What the rate limit counts: the API key ``token``, else (a browser session)
        the user.

        The key is identified by its secret rather than by its record: Odoo's bearer
        authentication checked ``token`` before the controller ran, and
        ``res.users.apikeys._check_credentials`` tells only the key's user, not which
        of the user's keys matched. A key's secret belongs to that key alone, and the
        rate limiter stores only a keyed hash of it."""
        return f"key:{token}" if token else f"user:{self.env.uid}"

    # ----------------------------------------------------------------------------
    # create
    # ----------------------------------------------------------------------------
    @api.model
    def _tms_api_create(self, body, idempotency_key=None):
        """Create the parcel(s) of a ``POST /parcels`` body: one parcel object, or
        ``{"parcels": [...]}``. With an idempotency key, a retry returns the first
        response. Return ``(status, body, headers)``."""
        batch = "parcels" in body
        if batch:
            if set(body) != {"parcels"} or not isinstance(body["parcels"], list):
                raise TmsApiError(
                    400,
                    "invalid_body",
                    self.env._(
                        'A batch is {"parcels": [...]}: a list of parcels and nothing '
                        "else."
                    ),
                )
            payloads = body["parcels"]
        else:
            payloads = [body]

        def create():
            parcels = self._tms_api_create_parcels(payloads, batch=batch)
            data = self._tms_api_parcel_data(parcels)
            return 201, {"parcels": data} if batch else data[0]

        if not idempotency_key:
            status, response = create()
            return status, response, {}
        Request = self.env["tms.api.request"]
        request_hash = Request._tms_request_hash("POST /parcels", body)
        status, response, replayed = Request._tms_run_once(
            idempotency_key, request_hash, create
        )
        return status, response, {"Idempotent-Replayed": "true"} if replayed else {}

    @api.model
    def _tms_api_create_parcels(self, payloads, batch=True):
        """Validate every payload, then create all the parcels (with their shippers and
        recipients) in a few batched calls, or none: the errors of all payloads are
        reported together, ``[{"index": i, "errors": [...]}]`` for a batch."""
        self._tms_api_check_access("write")
        self.env["tms.parcel"].check_access("create")
        if not payloads:
            raise TmsApiError(
                422, "empty_batch", self.env._("The batch holds no parcel to create.")
            )
        if len(payloads) > MAX_BATCH_SIZE:
            raise TmsApiError(
                422,
                "batch_too_large",
                self.env._(
                    "A batch holds at most %(max)s parcels, not %(count)s: split it.",
                    max=MAX_BATCH_SIZE,
                    count=len(payloads),
                ),
            )
        Intake = self.env["tms.parcel.intake"]
        options = {"company": self.env.company, "allowed_keys": PARCEL_KEYS}
        prepared = Intake._tms_intake_prepare(payloads, options)
        item_errors = [
            {"index": index, "errors": item["errors"]}
            for index, item in enumerate(prepared)
            if item["errors"]
        ]
        if item_errors:
            flat = [error for item in item_errors for error in item["errors"]]
            raise self._tms_api_validation_error(
                flat, item_errors if batch else item_errors[0]["errors"]
            )
        return Intake._tms_intake_create(prepared, "api", options)

    @api.model
    def _tms_api_validation_error(self, errors, details):
        """A 400 when a required field is missing, else a 422; ``details`` list every
        error either way."""
        if any(error["code"] == "required" for error in errors):
            return TmsApiError(
                400,
                "missing_field",
                self.env._("Required fields are missing; see the details."),
                details,
            )
        return TmsApiError(
            422,
            "validation_error",
            self.env._("The data is invalid; see the details."),
            details,
        )

    # ----------------------------------------------------------------------------
    # read
    # ----------------------------------------------------------------------------
    @api.model
    def _tms_api_get_parcel(self, tracking_number):
        """The parcel with this tracking number among those the user may see; a 422 for
        a number that is not one (its code says whether the format or the check digit is
        wrong), a 404 when no visible parcel has it (another company's parcel included,
        so that its existence does not leak)."""
        self._tms_api_check_access("read")
        Parcel = self.env["tms.parcel"]
        try:
            number = Parcel._tms_parse_tracking_number(tracking_number)
        except UserError as error:
            reason = getattr(error.__cause__, "code", None) or "format"
            raise TmsApiError(
                422, f"invalid_tracking_number_{reason}", error.args[0]
            ) from error
        parcel = Parcel.search([("tracking_number", "=", number)], limit=1)
        if not parcel:
            raise TmsApiError(
                404,
                "not_found",
                self.env._(
                    "No parcel has the tracking number %(number)s.", number=number
                ),
            )
        return parcel

    @api.model
    def _tms_api_list(self, params):
        """``GET /parcels``: the parcels matching the filters, newest first, a page at a
        time (``limit``, at most 200) with an opaque cursor to the next page."""
        self._tms_api_check_access("read")
        unknown = sorted(set(params) - LIST_PARAMETERS)
        if unknown:
            raise self._tms_api_bad_parameter(
                unknown[0],
                self.env._(
                    "Unknown parameter; the filters are: %(names)s.",
                    names=", ".join(sorted(LIST_PARAMETERS)),
                ),
            )
        domain = self._tms_api_list_domain(params)
        limit = params.get("limit") or str(DEFAULT_PAGE_SIZE)
        if not limit.isdigit() or not 1 <= int(limit) <= MAX_PAGE_SIZE:
            raise self._tms_api_bad_parameter(
                "limit",
                self.env._(
                    "limit must be a number from 1 to %(max)s.", max=MAX_PAGE_SIZE
                ),
            )
        limit = int(limit)
        page_domain = list(domain)
        if params.get("cursor"):
            after_id = decode_cursor(params["cursor"])
            if after_id is None:
                raise TmsApiError(
                    400,
                    "invalid_cursor",
                    self.env._("This cursor is not one returned by a previous page."),
                )
            page_domain.append(("id", "<", after_id))
        Parcel = self.env["tms.parcel"]
        parcels = Parcel.search(page_domain, limit=limit + 1, order="id desc")
        next_cursor = (
            encode_cursor(parcels[limit - 1].id) if len(parcels) > limit else None
        )
        parcels = parcels[:limit]
        return {
            "parcels": self._tms_api_parcel_data(parcels),
            "next_cursor": next_cursor,
            "total": Parcel.search_count(domain),
        }

    @api.model
    def _tms_api_list_domain(self, params):
        domain = []
        if params.get("state"):
            states = [s.strip() for s in params["state"].split(",") if s.strip()]
            valid = dict(PARCEL_STATES)
            wrong = [s for s in states if s not in valid]
            if wrong:
                raise self._tms_api_bad_parameter(
                    "state",
                    self.env._(
                        "%(state)s is not a parcel state; the states are: %(states)s.",
                        state=wrong[0],
                        states=", ".join(valid),
                    ),
                )
            domain.append(("state", "in", states))
        for name, field, operator in (
            ("updated_since", "write_date", ">="),
            ("created_after", "create_date", ">="),
            ("created_before", "create_date", "<"),
        ):
            if params.get(name):
                moment = parse_datetime(params[name])
                if not moment:
                    raise self._tms_api_bad_parameter(
                        name,
                        self.env._(
                            "%(name)s is an ISO 8601 date and time, like "
                            "2026-03-01T08:30:00Z.",
                            name=name,
                        ),
                    )
                domain.append((field, operator, moment))
        if params.get("shipper"):
            if not params["shipper"].isdigit():
                raise self._tms_api_bad_parameter(
                    "shipper", self.env._("shipper is a contact id (an integer).")
                )
            domain.append(("shipper_id", "=", int(params["shipper"])))
        for name, field in (
            ("reference", "client_reference"),
            ("shipper_ref", "shipper_id.ref"),
            ("service", "service_id.code"),
        ):
            if params.get(name):
                domain.append((field, "=", params[name]))
        return domain

    @api.model
    def _tms_api_bad_parameter(self, name, message):
        return TmsApiError(
            400,
            "invalid_parameter",
            message,
            [{"field": name, "code": "invalid_value", "message": message}],
        )

    @api.model
    def _tms_api_parcel_data(self, parcels, details=False):
        """Serialise parcels (their contents and events too with ``details``); fields of
        related records are read once for the whole recordset (prefetching)."""
        result = []
        for parcel in parcels:
            shipper = parcel.shipper_id
            data = {
                "tracking_number": parcel.tracking_number,
                "state": parcel.state,
                "reference": parcel.client_reference or None,
                "service": parcel.service_id.code or None,
                "company_id": parcel.company_id.id,
                "shipper": {
                    "id": shipper.id,
                    "name": shipper.name,
                    "ref": shipper.ref or None,
                }
                if shipper
                else None,
                "recipient": {
                    "name": parcel.recipient_name or None,
                    "phone": parcel.recipient_phone or None,
                    "email": parcel.recipient_email or None,
                    "street": parcel.recipient_street or None,
                    "street2": parcel.recipient_street2 or None,
                    "zip": parcel.recipient_zip or None,
                    "city": parcel.recipient_city or None,
                    "state": parcel.recipient_state_id.code or None,
                    "country": parcel.recipient_country_id.code or None,
                },
                "weight": parcel.weight,
                "length": parcel.length,
                "width": parcel.width,
                "height": parcel.height,
                "volumetric_weight": parcel.volumetric_weight,
                "chargeable_weight": parcel.chargeable_weight,
                "currency": parcel.currency_id.name,
                "declared_value": parcel.declared_value,
                "cod_amount": parcel.cod_amount,
                "cod_currency": parcel.cod_currency_id.name or None,
                "failed_attempt_count": parcel.failed_attempt_count,
                "date_promised": format_datetime(parcel.date_promised),
                "date_picked_up": format_datetime(parcel.date_picked_up),
                "date_delivered": format_datetime(parcel.date_delivered),
                "last_event_date": format_datetime(parcel.last_event_date),
                "created_at": format_datetime(parcel.create_date),
                "updated_at": format_datetime(parcel.write_date),
            }
            if details:
                data["lines"] = [
                    {
                        "sku": line.sku or None,
                        "description": line.name,
                        "quantity": line.quantity,
                        "weight": line.weight,
                        "value": line.value,
                    }
                    for line in parcel.line_ids
                ]
                data["events"] = self._tms_api_event_data(
                    parcel.event_ids.sorted(lambda e: (e.event_date, e.id))
                )
            result.append(data)
        return result

    @api.model
    def _tms_api_event_data(self, events):
        return [
            {
                "id": event.id,
                "state": event.state,
                "previous_state": event.previous_state or None,
                "event_time": format_datetime(event.event_date),
                "recorded_at": format_datetime(event.record_date),
                "source": event.source,
                "hub": event.hub_id.code or None,
                "location": event.location or None,
                "latitude": event.latitude
                if event.latitude or event.longitude
                else None,
                "longitude": event.longitude
                if event.latitude or event.longitude
                else None,
                "failure_reason": event.failure_reason_id.code or None,
                "note": event.note or None,
                "device": event.device or None,
                "idempotency_key": event.idempotency_key or None,
                "applied": event.is_applied,
            }
            for event in events
        ]

    # ----------------------------------------------------------------------------
    # events and cancellation
    # ----------------------------------------------------------------------------
    @api.model
    def _tms_api_add_event(self, tracking_number, payload, idempotency_key=None):
        """Record a tracking event (a scan) sent by the API. A repeated idempotency key
        returns the first event (status 200) and records nothing. Return ``(status,
        body, headers)``."""
        parcel = self._tms_api_get_parcel(tracking_number)
        vals = self._tms_api_prepare_event(parcel, payload, idempotency_key)
        Event = self.env["tms.parcel.event"]
        replayed = bool(vals.get("idempotency_key")) and bool(
            Event.search_count(
                [
                    ("parcel_id", "=", parcel.id),
                    ("idempotency_key", "=", vals["idempotency_key"]),
                ],
                limit=1,
            )
        )
        event = Event._record([vals])
        body = {
            "event": self._tms_api_event_data(event)[0],
            "parcel": self._tms_api_parcel_data(parcel)[0],
        }
        return (
            (200 if replayed else 201),
            body,
            {"Idempotent-Replayed": "true"} if replayed else {},
        )

    @api.model
    def _tms_api_prepare_event(self, parcel, payload, idempotency_key=None):
        errors = FieldErrors()
        self._tms_api_check_keys(payload, EVENT_KEYS, errors)
        vals = {"parcel_id": parcel.id, "source": "api"}
        state = self._tms_api_text(payload, "state", errors, required=True)
        if state and state not in dict(PARCEL_STATES):
            errors.add(
                "state",
                "invalid_value",
                self.env._(
                    "%(state)s is not a parcel state; the states are: %(states)s.",
                    state=state,
                    states=", ".join(dict(PARCEL_STATES)),
                ),
            )
        vals["state"] = state
        if payload.get("event_time") is not None:
            vals["event_date"] = parse_datetime(payload["event_time"])
            if not vals["event_date"]:
                errors.add(
                    "event_time",
                    "invalid_datetime",
                    self.env._(
                        "event_time is an ISO 8601 date and time, like "
                        "2026-03-01T08:30:00+01:00."
                    ),
                )
        for key in ("location", "device"):
            vals[key] = self._tms_api_text(payload, key, errors)
        vals["note"] = self._tms_api_text(
            payload, "note", errors, max_length=MAX_NOTE_LENGTH
        )
        vals["idempotency_key"] = (
            self._tms_api_text(payload, "idempotency_key", errors)
            or idempotency_key
            or False
        )
        latitude = self._tms_api_number(
            payload, "latitude", errors, minimum=-90, maximum=90
        )
        longitude = self._tms_api_number(
            payload, "longitude", errors, minimum=-180, maximum=180
        )
        given = {
            key for key in ("latitude", "longitude") if payload.get(key) is not None
        }
        if len(given) == 1:
            errors.add(
                "latitude" if "longitude" in given else "longitude",
                "required",
                self.env._("A position needs both latitude and longitude."),
            )
        elif latitude is not None and longitude is not None:
            vals.update(latitude=latitude, longitude=longitude)
        hub_code = self._tms_api_text(payload, "hub", errors)
        if hub_code:
            hub = self.env["tms.hub"].search(
                [("code", "=", hub_code), ("company_id", "=", parcel.company_id.id)],
                limit=1,
            )
            vals["hub_id"] = hub.id
            if not hub:
                errors.add(
                    "hub",
                    "unknown_hub",
                    self.env._("No hub has the code %(code)s.", code=hub_code),
                )
        reason_code = self._tms_api_text(payload, "failure_reason", errors)
        if reason_code:
            reason = self.env["tms.failure.reason"].search(
                [
                    ("code", "=", reason_code),
                    ("company_id", "in", [parcel.company_id.id, False]),
                ],
                order="company_id",
                limit=1,
            )
            vals["failure_reason_id"] = reason.id
            if not reason:
                errors.add(
                    "failure_reason",
                    "unknown_failure_reason",
                    self.env._(
                        "No failure reason has the code %(code)s.", code=reason_code
                    ),
                )
            elif reason.requires_note and not vals["note"]:
                errors.add(
                    "note",
                    "required",
                    self.env._(
                        "The failure reason %(reason)s needs a note.",
                        reason=reason.name,
                    ),
                )
        if errors:
            raise self._tms_api_validation_error(errors, errors)
        return vals

    @api.model
    def _tms_api_cancel(self, tracking_number, payload):
        """Cancel a parcel (an API event). Cancelling a cancelled parcel changes nothing
        and succeeds, so that a retry is safe. Return ``(status, body, headers)``."""
        self._tms_api_check_access("write")
        parcel = self._tms_api_get_parcel(tracking_number)
        errors = FieldErrors()
        self._tms_api_check_keys(payload, CANCEL_KEYS, errors)
        note = self._tms_api_text(payload, "note", errors, max_length=MAX_NOTE_LENGTH)
        if errors:
            raise self._tms_api_validation_error(errors, errors)
        if parcel.state != "cancelled":
            parcel._set_state("cancelled", source="api", note=note)
        return 200, self._tms_api_parcel_data(parcel)[0], {}

    # ----------------------------------------------------------------------------
    # validation helpers
    # ----------------------------------------------------------------------------
    @api.model
    def _tms_api_add_errors(self, errors, found):
        errors.extend(self.env["tms.parcel.intake"]._tms_intake_messages(found))

    @api.model
    def _tms_api_check_keys(self, data, allowed, errors, prefix=""):
        found = intake.Errors()
        intake.check_keys(data, allowed, found, prefix)
        self._tms_api_add_errors(errors, found)

    @api.model
    def _tms_api_text(
        self, data, key, errors, prefix="", required=False, max_length=MAX_TEXT_LENGTH
    ):
        """The stripped string ``data[key]``, False when absent or empty."""
        found = intake.Errors()
        value = intake.text(data, key, found, prefix, required, max_length)
        self._tms_api_add_errors(errors, found)
        return value

    @api.model
    def _tms_api_number(self, data, key, errors, prefix="", minimum=0, maximum=None):
        """The number ``data[key]`` as a float, None when absent or invalid."""
        found = intake.Errors()
        value = intake.number(data, key, found, prefix, minimum, maximum)
        self._tms_api_add_errors(errors, found)
        return value
