# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Business side of the REST API v1 (``/api/tms/v1``).

The controller (``controllers/api.py``) only parses the request and turns the result of
these methods into HTTP responses: validation of payloads, batched creation, search,
serialisation, events and cancellation live here, under the key owner's access rights.
"""

import base64
import binascii
import math
import re
from datetime import datetime, timezone

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize

from .tms_parcel import INITIAL_STATES, MAX_DIMENSION_CM, PARCEL_STATES

API_PREFIX = "/api/tms/v1"
MAX_BATCH_SIZE = 1000
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_LINES = 200
MAX_TEXT_LENGTH = 256
MAX_NOTE_LENGTH = 2000
DEFAULT_CREATE_STATE = "confirmed"
# The rate limit (res.company.tms_api_rate_limit) counts requests per key and minute.
RATE_WINDOW_SECONDS = 60

PARCEL_KEYS = {
    "reference",
    "service",
    "shipper",
    "recipient",
    "weight",
    "length",
    "width",
    "height",
    "declared_value",
    "cod_amount",
    "cod_currency",
    "lines",
    "state",
}
ADDRESS_KEYS = {
    "name",
    "phone",
    "email",
    "street",
    "street2",
    "zip",
    "city",
    "country",
    "state",
}
SHIPPER_KEYS = ADDRESS_KEYS | {"id", "ref"}
LINE_KEYS = {"sku", "description", "quantity", "weight", "value"}
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
        prepared, item_errors = self._tms_api_prepare_parcels(payloads)
        if item_errors:
            flat = [error for item in item_errors for error in item["errors"]]
            raise self._tms_api_validation_error(
                flat, item_errors if batch else item_errors[0]["errors"]
            )
        self._tms_api_resolve_partners(prepared)
        return (
            self.env["tms.parcel"]
            .with_context(
                tms_event_source="api",
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
            .create([item["vals"] for item in prepared])
        )

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

    @api.model
    def _tms_api_prepare_parcels(self, payloads):
        """Return ``(prepared, errors)``: for each payload ``{"vals", "recipient",
        "shipper"}`` (parcel values without partners yet), and the errors per index.
        Every lookup (services, countries, currencies, shippers) is one query for the
        whole batch."""
        lookups = self._tms_api_lookups(payloads)
        prepared, item_errors = [], []
        for index, payload in enumerate(payloads):
            errors = FieldErrors()
            prepared.append(self._tms_api_prepare_parcel(payload, lookups, errors))
            if errors:
                item_errors.append({"index": index, "errors": errors})
        return prepared, item_errors

    @api.model
    def _tms_api_lookups(self, payloads):
        company = self.env.company
        parcels = [p for p in payloads if isinstance(p, dict)]
        recipients = [
            p["recipient"] for p in parcels if isinstance(p.get("recipient"), dict)
        ]
        shippers = [p["shipper"] for p in parcels if isinstance(p.get("shipper"), dict)]

        def strings(items, key, upper=False):
            values = {
                v.strip() for v in (i.get(key) for i in items) if isinstance(v, str)
            }
            return [v.upper() if upper else v for v in values if v]

        services = self.env["tms.service"].search(
            [
                ("code", "in", strings(parcels, "service")),
                ("company_id", "in", [company.id, False]),
            ]
        )
        # A company's own service wins over a shared one with the same code.
        service_by_code = {
            s.code: s for s in services.sorted(lambda s: bool(s.company_id))
        }
        countries = self.env["res.country"].search(
            [("code", "in", strings(recipients + shippers, "country", upper=True))]
        )
        country_ids = (countries | company.country_id).ids
        states = self.env["res.country.state"].search(
            [
                ("country_id", "in", country_ids),
                ("code", "in", strings(recipients + shippers, "state", upper=True)),
            ]
        )
        currencies = self.env["res.currency"].search(
            [("name", "in", strings(parcels, "cod_currency", upper=True))]
        )
        shipper_ids = [
            s["id"] for s in shippers if isinstance(s.get("id"), int) and s["id"] > 0
        ] + [
            p["shipper"]
            for p in parcels
            if type(p.get("shipper")) is int and p["shipper"] > 0
        ]
        shipper_refs = strings([s for s in shippers if "id" not in s], "ref")
        Partner = self.env["res.partner"]
        known_shippers = Partner.search(
            [
                ("company_id", "in", [company.id, False]),
                "|",
                ("id", "in", shipper_ids),
                ("ref", "in", shipper_refs),
            ]
        )
        return {
            "services": service_by_code,
            "countries": {c.code.upper(): c for c in countries},
            "states": {(s.country_id.id, s.code.upper()): s for s in states},
            "currencies": {c.name.upper(): c for c in currencies},
            "shippers_by_id": {p.id: p for p in known_shippers},
            "shippers_by_ref": {p.ref: p for p in known_shippers.sorted("id") if p.ref},
        }

    @api.model
    def _tms_api_prepare_parcel(self, payload, lookups, errors):
        if not isinstance(payload, dict):
            errors.add("", "invalid_type", self.env._("A parcel is a JSON object."))
            return None
        self._tms_api_check_keys(payload, PARCEL_KEYS, errors)
        company = self.env.company
        vals = {
            "company_id": company.id,
            "client_reference": self._tms_api_text(payload, "reference", errors),
        }
        state = payload.get("state", DEFAULT_CREATE_STATE)
        if state not in INITIAL_STATES:
            errors.add(
                "state",
                "invalid_value",
                self.env._(
                    "A new parcel is draft or confirmed, not %(state)s.", state=state
                ),
            )
        vals["state"] = state
        code = self._tms_api_text(payload, "service", errors, required=True)
        if code:
            service = lookups["services"].get(code)
            if service:
                vals["service_id"] = service.id
            else:
                errors.add(
                    "service",
                    "unknown_service",
                    self.env._("No active service has the code %(code)s.", code=code),
                )
        recipient = payload.get("recipient")
        if not isinstance(recipient, dict):
            if recipient is None:
                errors.add(
                    "recipient", "required", self.env._("recipient is required.")
                )
            else:
                errors.add(
                    "recipient", "invalid_type", self.env._("recipient is an object.")
                )
            recipient = None
        else:
            recipient = self._tms_api_prepare_address(
                recipient, "recipient", lookups, errors
            )
        vals.update(self._tms_api_prepare_measures(payload, lookups, errors))
        return {
            "vals": vals,
            "recipient": recipient,
            "shipper": self._tms_api_prepare_shipper(
                payload.get("shipper"), lookups, errors
            ),
        }

    @api.model
    def _tms_api_prepare_measures(self, payload, lookups, errors):
        """Weight, dimensions, amounts and contents of a parcel payload."""
        company = self.env.company
        max_weight = company.tms_max_parcel_weight
        vals = {}
        for key in ("length", "width", "height"):
            value = self._tms_api_number(payload, key, errors, maximum=MAX_DIMENSION_CM)
            if value is not None:
                vals[key] = value
        for key in ("declared_value", "cod_amount"):
            value = self._tms_api_number(payload, key, errors)
            if value is not None:
                vals[key] = value
        currency_code = self._tms_api_text(payload, "cod_currency", errors)
        if currency_code:
            currency = lookups["currencies"].get(currency_code.upper())
            if currency:
                vals["cod_currency_id"] = currency.id
            else:
                errors.add(
                    "cod_currency",
                    "unknown_currency",
                    self.env._(
                        "%(code)s is not an active currency (ISO 4217 code, like MAD).",
                        code=currency_code,
                    ),
                )
        lines, lines_weight = self._tms_api_prepare_lines(payload.get("lines"), errors)
        if lines:
            vals["line_ids"] = lines
        weight = self._tms_api_number(
            payload, "weight", errors, maximum=max_weight or None
        )
        if weight is not None:
            vals["weight"] = weight
        elif max_weight and lines_weight > max_weight:
            errors.add(
                "lines",
                "too_large",
                self.env._(
                    "The contents weigh %(weight)s kg, more than the %(max)s kg a "
                    "parcel may weigh.",
                    weight=lines_weight,
                    max=max_weight,
                ),
            )
        return vals

    @api.model
    def _tms_api_prepare_lines(self, lines, errors):
        """Return ``(commands, total weight)`` of the ``lines`` of a parcel payload."""
        if lines is None:
            return [], 0.0
        if not isinstance(lines, list):
            errors.add(
                "lines", "invalid_type", self.env._("lines is a list of objects.")
            )
            return [], 0.0
        if len(lines) > MAX_LINES:
            errors.add(
                "lines",
                "too_large",
                self.env._(
                    "A parcel holds at most %(max)s content lines.", max=MAX_LINES
                ),
            )
            return [], 0.0
        commands, total = [], 0.0
        for i, line in enumerate(lines):
            prefix = f"lines[{i}]"
            if not isinstance(line, dict):
                errors.add(
                    prefix, "invalid_type", self.env._("A content line is an object.")
                )
                continue
            self._tms_api_check_keys(line, LINE_KEYS, errors, prefix)
            sku = self._tms_api_text(line, "sku", errors, prefix)
            description = self._tms_api_text(line, "description", errors, prefix) or sku
            if not description:
                errors.add(
                    f"{prefix}.description",
                    "required",
                    self.env._("A content line needs a description or a SKU."),
                )
            quantity = self._tms_api_number(
                line, "quantity", errors, prefix, positive=True
            )
            quantity = 1.0 if quantity is None else quantity
            weight = self._tms_api_number(line, "weight", errors, prefix) or 0.0
            value = self._tms_api_number(line, "value", errors, prefix) or 0.0
            total += quantity * weight
            commands.append(
                Command.create(
                    {
                        "name": description,
                        "sku": sku,
                        "quantity": quantity,
                        "weight": weight,
                        "value": value,
                    }
                )
            )
        return commands, total

    @api.model
    def _tms_api_prepare_address(self, data, prefix, lookups, errors, recipient=True):
        """Partner values of a recipient (name, phone, street and city required, the
        phone must be valid) or of a new shipper (name required)."""
        self._tms_api_check_keys(
            data, ADDRESS_KEYS if recipient else SHIPPER_KEYS, errors, prefix
        )
        company = self.env.company
        country = company.country_id
        country_code = self._tms_api_text(data, "country", errors, prefix)
        if country_code:
            country = lookups["countries"].get(country_code.upper())
            if not country:
                errors.add(
                    f"{prefix}.country",
                    "unknown_country",
                    self.env._(
                        "%(code)s is not a country code (ISO 3166 alpha-2, like MA).",
                        code=country_code,
                    ),
                )
                country = self.env["res.country"]
        state = self.env["res.country.state"]
        state_code = self._tms_api_text(data, "state", errors, prefix)
        if state_code and country:
            state = lookups["states"].get((country.id, state_code.upper()), state)
            if not state:
                errors.add(
                    f"{prefix}.state",
                    "unknown_state",
                    self.env._(
                        "%(code)s is not a state of %(country)s.",
                        code=state_code,
                        country=country.name,
                    ),
                )
        phone = self._tms_api_text(data, "phone", errors, prefix, required=recipient)
        if phone:
            try:
                phone = self.env["tms.parcel"]._tms_format_phone(
                    phone, country, strict=True
                )
            except UserError as error:
                errors.add(f"{prefix}.phone", "invalid_phone", error.args[0])
        email = self._tms_api_text(data, "email", errors, prefix)
        if email and not email_normalize(email):
            errors.add(
                f"{prefix}.email",
                "invalid_email",
                self.env._("%(email)s is not an email address.", email=email),
            )
        return {
            "name": self._tms_api_text(data, "name", errors, prefix, required=True),
            "phone": phone,
            "email": email,
            "street": self._tms_api_text(
                data, "street", errors, prefix, required=recipient
            ),
            "street2": self._tms_api_text(data, "street2", errors, prefix),
            "zip": self._tms_api_text(data, "zip", errors, prefix),
            "city": self._tms_api_text(
                data, "city", errors, prefix, required=recipient
            ),
            "state_id": state.id,
            "country_id": country.id,
        }

    @api.model
    def _tms_api_prepare_shipper(self, shipper, lookups, errors):
        """Return a partner (given by id or ``ref``), partner values to find or create
        (a shipper object), or None."""
        if shipper is None:
            return None
        if type(shipper) is int:
            shipper = {"id": shipper}
        if not isinstance(shipper, dict):
            errors.add(
                "shipper",
                "invalid_type",
                self.env._("shipper is a partner id or an object."),
            )
            return None
        if "id" in shipper or (shipper.get("ref") and "name" not in shipper):
            if "id" in shipper:
                self._tms_api_check_keys(shipper, {"id"}, errors, "shipper")
                partner = lookups["shippers_by_id"].get(shipper["id"])
            else:
                self._tms_api_check_keys(shipper, {"ref"}, errors, "shipper")
                partner = lookups["shippers_by_ref"].get(shipper["ref"])
            if not partner:
                errors.add(
                    "shipper",
                    "unknown_shipper",
                    self.env._(
                        "No contact of your company matches the shipper %(shipper)s.",
                        shipper=shipper.get("id") or shipper.get("ref"),
                    ),
                )
            return partner
        vals = self._tms_api_prepare_address(
            shipper, "shipper", lookups, errors, recipient=False
        )
        vals["ref"] = self._tms_api_text(shipper, "ref", errors, "shipper")
        return vals

    @api.model
    def _tms_api_partner_sudo(self):
        # sudo: creating parcels includes creating their shipper and recipient contacts,
        # even for users without the Contact Creation group. The rights to create
        # parcels are checked first (_tms_api_create_parcels); the contacts belong to
        # the user's company.
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        )

    @api.model
    def _tms_api_resolve_partners(self, prepared):
        """Find or create the shippers given as objects and the recipients of valid
        prepared payloads (a search and a ``create`` call each for the whole batch),
        then put them in the parcel values."""
        self._tms_api_resolve_shippers(
            [item for item in prepared if isinstance(item["shipper"], dict)]
        )
        recipients = self._tms_api_resolve_recipients(
            [item["recipient"] for item in prepared]
        )
        for item, partner in zip(prepared, recipients, strict=True):
            recipient = item["recipient"]
            item["vals"].update(
                shipper_id=item["shipper"].id if item["shipper"] else False,
                recipient_id=partner.id,
                recipient_name=recipient["name"],
                recipient_phone=recipient["phone"],
                recipient_email=recipient["email"],
                recipient_street=recipient["street"],
                recipient_street2=recipient["street2"],
                recipient_zip=recipient["zip"],
                recipient_city=recipient["city"],
                recipient_state_id=recipient["state_id"],
                recipient_country_id=recipient["country_id"],
            )

    @api.model
    def _tms_api_resolve_shippers(self, items):
        """Replace the shipper values of ``items`` by a contact of the company with the
        same ``ref``, or else the same name and email (or phone), creating the missing
        ones."""
        if not items:
            return
        company = self.env.company
        specs = [item["shipper"] for item in items]
        candidates = self.env["res.partner"].search(
            [
                ("company_id", "in", [company.id, False]),
                "|",
                ("ref", "in", [s["ref"] for s in specs if s["ref"]]),
                ("name", "in", [s["name"] for s in specs]),
            ]
        )
        found = {}
        for partner in candidates.sorted("id", reverse=True):
            for key in self._tms_api_shipper_keys(partner):
                found[key] = partner

        def match(spec):
            keys = self._tms_api_shipper_keys(spec)
            return next((found[key] for key in keys if key in found), None)

        new_vals, pending = [], {}
        for spec in specs:
            if match(spec):
                continue
            keys = self._tms_api_shipper_keys(spec)
            index = next((pending[key] for key in keys if key in pending), None)
            if index is None:
                index = len(new_vals)
                new_vals.append(dict(spec, company_id=company.id, is_company=True))
            for key in keys:
                pending.setdefault(key, index)
        created = self._tms_api_partner_sudo().create(new_vals).sudo(False)
        for key, index in pending.items():
            found.setdefault(key, created[index])
        for item in items:
            item["shipper"] = match(item["shipper"])

    @api.model
    def _tms_api_resolve_recipients(self, recipients):
        """The delivery contact of each recipient's values: an existing one of the
        company with the same name, phone and address, else a new one (one per distinct
        recipient of the batch).

        Recipients are contacts of their own, not children of the shipper: a child
        contact would be synchronised with its parent one by one, and a shop's data
        (its exports, its erasure) must not include the people it ships to."""
        company = self.env.company
        Partner = self.env["res.partner"]
        candidates = Partner.search(
            [
                ("type", "=", "delivery"),
                ("company_id", "=", company.id),
                ("phone", "in", list({r["phone"] for r in recipients})),
            ]
        )
        found = {}
        for partner in candidates.sorted("id", reverse=True):
            found[self._tms_api_recipient_key(partner)] = partner
        missing = {}
        for recipient in recipients:
            key = self._tms_api_recipient_key(recipient)
            if key not in found and key not in missing:
                missing[key] = dict(recipient, type="delivery", company_id=company.id)
        created = (
            self._tms_api_partner_sudo().create(list(missing.values())).sudo(False)
        )
        found.update(zip(missing, created, strict=True))
        return [
            found[self._tms_api_recipient_key(recipient)] for recipient in recipients
        ]

    @api.model
    def _tms_api_shipper_keys(self, shipper):
        """Keys matching a shipper (a partner or values): its ``ref`` first when it has
        one, then its name with its email or phone."""

        def norm(value):
            return (value or "").strip().casefold()

        keys = [("ref", shipper["ref"])] if shipper["ref"] else []
        keys.append(
            ("name", norm(shipper["name"]), norm(shipper["email"] or shipper["phone"]))
        )
        return keys

    @api.model
    def _tms_api_recipient_key(self, recipient):
        """What identifies a recipient (a partner or values): name, phone, address."""

        def norm(value):
            return (value or "").strip().casefold()

        country = recipient["country_id"]
        return (
            norm(recipient["name"]),
            recipient["phone"],
            norm(recipient["street"]),
            norm(recipient["street2"]),
            norm(recipient["zip"]),
            norm(recipient["city"]),
            country if isinstance(country, int) else country.id,
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
    def _tms_api_check_keys(self, data, allowed, errors, prefix=""):
        for key in sorted(set(data) - allowed):
            field = f"{prefix}.{key}" if prefix else key
            errors.add(
                field,
                "unknown_field",
                self.env._("%(field)s is not a known field.", field=field),
            )

    @api.model
    def _tms_api_text(
        self, data, key, errors, prefix="", required=False, max_length=MAX_TEXT_LENGTH
    ):
        """The stripped string ``data[key]``, False when absent or empty."""
        field = f"{prefix}.{key}" if prefix else key
        value = data.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if required:
                errors.add(
                    field, "required", self.env._("%(field)s is required.", field=field)
                )
            return False
        if not isinstance(value, str):
            errors.add(
                field, "invalid_type", self.env._("%(field)s is a string.", field=field)
            )
            return False
        if len(value) > max_length:
            errors.add(
                field,
                "too_long",
                self.env._(
                    "%(field)s is longer than %(max)s characters.",
                    field=field,
                    max=max_length,
                ),
            )
            return False
        return value

    @api.model
    def _tms_api_number(
        self, data, key, errors, prefix="", minimum=0, maximum=None, positive=False
    ):
        """The number ``data[key]`` as a float, None when absent or invalid."""
        field = f"{prefix}.{key}" if prefix else key
        value = data.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            errors.add(
                field,
                "invalid_type",
                self.env._("%(field)s must be a number.", field=field),
            )
            return None
        if positive and value <= 0:
            errors.add(
                field,
                "invalid_value",
                self.env._("%(field)s must be greater than 0.", field=field),
            )
            return None
        if value < minimum:
            errors.add(
                field,
                "invalid_value",
                self.env._(
                    "%(field)s must be at least %(min)s.", field=field, min=minimum
                ),
            )
            return None
        if maximum is not None and value > maximum:
            errors.add(
                field,
                "too_large",
                self.env._(
                    "%(field)s must be at most %(max)s.", field=field, max=maximum
                ),
            )
            return None
        return float(value)
