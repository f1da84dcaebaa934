# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.tms_core.controllers.api import openapi_document
from odoo.addons.tms_core.models.api.tms_api import API_PREFIX, decode_cursor
from odoo.addons.tms_core.tests.common import TmsCommon
from odoo.addons.tms_core.tools import tracking_number as tn

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
DATE_TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


TYPE_CHECKS = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def schema_errors(document, schema, value, path="$"):
    """The places where ``value`` breaks ``schema`` (the JSON Schema subset the API's
    OpenAPI 3.1 document uses); empty when it is valid."""
    if "$ref" in schema:
        target = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return schema_errors(document, target, value, path)
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not schema_errors(document, s, value)]
        return [] if len(matches) == 1 else [f"{path}: matches {len(matches)} of oneOf"]
    types = schema.get("type")
    types = types if isinstance(types, list) else [types] if types else []
    if types and not any(TYPE_CHECKS[t](value) for t in types):
        return [f"{path}: {value!r} is not of type {types}"]
    errors = _value_errors(schema, value, path)
    if isinstance(value, dict):
        errors += _object_errors(document, schema, value, path)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += schema_errors(document, schema["items"], item, f"{path}[{i}]")
    return errors


def _value_errors(schema, value, path):
    errors = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, str) and schema.get("format") == "date-time":
        if not DATE_TIME_RE.match(value):
            errors.append(f"{path}: {value!r} is not a date-time")
    if TYPE_CHECKS["number"](value):
        if value < schema.get("minimum", value):
            errors.append(f"{path}: {value} < {schema['minimum']}")
        if value > schema.get("maximum", value):
            errors.append(f"{path}: {value} > {schema['maximum']}")
    return errors


def _object_errors(document, schema, value, path):
    properties = schema.get("properties", {})
    errors = [
        f"{path}: missing {key}"
        for key in schema.get("required", [])
        if key not in value
    ]
    for key, item in value.items():
        if key in properties:
            errors += schema_errors(document, properties[key], item, f"{path}.{key}")
        elif schema.get("additionalProperties") is False:
            errors.append(f"{path}: unexpected {key}")
    return errors


@tagged("post_install", "-at_install")
class TestTmsApi(HttpCase, TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the document as this database serves it (routes of modules not installed
        # left out)
        cls.document = openapi_document(cls.env.registry._init_modules)
        (cls.company_ma | cls.company_fr).tms_api_rate_limit = 0
        cls.driver_ma = cls._create_tms_user(
            "driver_ma", cls.company_ma, "group_tms_driver"
        )
        cls.user_both = cls._create_tms_user(
            "operator_both", cls.company_ma, "group_tms_user"
        )
        cls.user_both.company_ids = cls.company_ma | cls.company_fr
        cls.portal_user = cls.env["res.users"].create(
            {
                "name": "Portal Customer",
                "login": "portal_customer",
                "company_id": cls.company_ma.id,
                "company_ids": [(6, 0, cls.company_ma.ids)],
                "groups_id": [(6, 0, [cls.env.ref("base.group_portal").id])],
            }
        )
        cls.plain_user = cls.env["res.users"].create(
            {
                "name": "Accountant",
                "login": "accountant_ma",
                "company_id": cls.company_ma.id,
                "company_ids": [(6, 0, cls.company_ma.ids)],
                "groups_id": [(6, 0, [cls.env.ref("base.group_user").id])],
            }
        )
        cls.key_ma = cls._api_key(cls.user_ma)
        cls.key_fr = cls._api_key(cls.user_fr)
        cls.key_driver = cls._api_key(cls.driver_ma)
        cls.key_both = cls._api_key(cls.user_both)
        cls.parcel_fr = (
            cls.env["tms.parcel"]
            .with_company(cls.company_fr)
            .create(
                {
                    "company_id": cls.company_fr.id,
                    "service_id": cls.service_std.id,
                    "client_reference": "FR-SECRET-1",
                    "recipient_name": "Jeanne Martin",
                    "recipient_city": "Paris",
                    "recipient_country_id": cls.france.id,
                    "weight": 2.0,
                }
            )
        )

    @classmethod
    def _api_key(cls, user, expiration=None):
        expiration = expiration or fields.Datetime.now() + timedelta(hours=12)
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate(None, "test", expiration)
        )

    # ----------------------------------------------------------------------------
    # helpers
    # ----------------------------------------------------------------------------
    def call(
        self, method, path, key=None, body=None, headers=None, data=None, timeout=30
    ):
        headers = dict(headers or {})
        if key:
            headers["Authorization"] = f"Bearer {key}"
        if body is not None:
            data = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        response = self.opener.request(
            method,
            self.base_url() + API_PREFIX + path,
            data=data,
            headers=headers,
            timeout=timeout,
        )
        # The server wrote through its own cursor: read the records afresh.
        self.env.invalidate_all()
        return response

    def payload(self, **values):
        payload = {
            "reference": "ORDER-1",
            "service": "STD",
            "shipper": {"id": self.shipper_ma.id},
            "recipient": {
                "name": "Fatima Zahra Benali",
                "phone": "0612345678",
                "street": "12 Rue Ibnou Mounir",
                "city": "Casablanca",
                "zip": "20250",
                "country": "MA",
            },
            "weight": 1.2,
        }
        payload.update(values)
        return payload

    def assertError(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text)
        body = response.json()
        self.assertEqual(body["error"]["code"], code, body)
        self.assertTrue(body["error"]["message"])
        self.assertValid(body, "Error")
        return body["error"]

    def assertValid(self, value, schema_name):
        errors = schema_errors(
            self.document, {"$ref": f"#/components/schemas/{schema_name}"}, value
        )
        self.assertFalse(
            errors, f"response does not follow the OpenAPI schema: {errors}"
        )

    def create_parcel(self, key=None, **values):
        response = self.call(
            "POST", "/parcels", key or self.key_ma, self.payload(**values)
        )
        self.assertEqual(response.status_code, 201, response.text)
        return self.env["tms.parcel"].search(
            [("tracking_number", "=", response.json()["tracking_number"])]
        )

    # ----------------------------------------------------------------------------
    # OpenAPI document
    # ----------------------------------------------------------------------------
    def test_openapi_document_is_served_without_a_key(self):
        response = self.call("GET", "/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertTrue(document["openapi"].startswith("3."))
        self.assertTrue(document["servers"][0]["url"].endswith(API_PREFIX))
        self.assertEqual(document["paths"], self.document["paths"])

    def test_every_route_is_in_the_openapi_document_and_back(self):
        Http = self.env["ir.http"]
        routes = set()
        for url, endpoint in Http._generate_routing_rules(
            sorted(self.env.registry._init_modules), converters=Http._get_converters()
        ):
            if not url.startswith(f"{API_PREFIX}/"):
                continue
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", url[len(API_PREFIX) :])
            methods = endpoint.routing.get("methods")
            self.assertTrue(methods, f"{url} must list its HTTP methods")
            routes |= {(path, method.lower()) for method in methods}
        documented = {
            (path, method)
            for path, item in self.document["paths"].items()
            for method in item
            if method in HTTP_METHODS
        }
        self.assertIn(("/parcels", "post"), routes)
        self.assertEqual(routes, documented)
        for path, method in documented:
            operation = self.document["paths"][path][method]
            parameters = self.document["paths"][path].get(
                "parameters", []
            ) + operation.get("parameters", [])
            names = {
                self.document["components"]["parameters"][p["$ref"].split("/")[-1]][
                    "name"
                ]
                if "$ref" in p
                else p["name"]
                for p in parameters
            }
            self.assertLessEqual(set(re.findall(r"{(\w+)}", path)), names, path)
            if operation.get("security") != []:
                self.assertIn("401", operation["responses"], f"{method} {path}")
                self.assertIn("429", operation["responses"], f"{method} {path}")

    # ----------------------------------------------------------------------------
    # authentication and errors
    # ----------------------------------------------------------------------------
    def test_missing_or_wrong_key_is_401_in_the_api_error_shape(self):
        expired = self._api_key(
            self.user_ma, fields.Datetime.now() - timedelta(hours=1)
        )
        for key in (None, "not-a-key", self.key_ma[:-4] + "0000", expired):
            response = self.call("GET", "/parcels", key)
            self.assertError(response, 401, "unauthorized")
            self.assertIn("Bearer", response.headers.get("WWW-Authenticate", ""))

    def test_browser_session_without_key_is_refused(self):
        self.user_ma.password = "operator-ma-password"
        self.authenticate("operator_ma", "operator-ma-password")
        self.assertError(self.call("GET", "/parcels"), 401, "unauthorized")

    def test_users_without_tms_rights_get_403(self):
        parcel = self._create_parcel()
        for user in (self.portal_user, self.plain_user):
            key = self._api_key(user)
            self.assertError(self.call("GET", "/parcels", key), 403, "forbidden")
            self.assertError(
                self.call("GET", f"/parcels/{parcel.tracking_number}", key),
                403,
                "forbidden",
            )
            self.assertError(
                self.call("POST", "/parcels", key, self.payload()), 403, "forbidden"
            )
        self.assertFalse(
            self.env["tms.parcel"].search([("client_reference", "=", "ORDER-1")])
        )

    def test_malformed_requests_are_400(self):
        self.assertError(
            self.call(
                "POST",
                "/parcels",
                self.key_ma,
                data="{not json",
                headers={"Content-Type": "application/json"},
            ),
            400,
            "invalid_json",
        )
        self.assertError(
            self.call("POST", "/parcels", self.key_ma, [self.payload()]),
            400,
            "invalid_body",
        )
        self.assertError(
            self.call("POST", "/parcels", self.key_ma), 400, "missing_body"
        )
        self.assertError(
            self.call("POST", "/parcels", self.key_ma, {"parcels": self.payload()}),
            400,
            "invalid_body",
        )
        error = self.assertError(
            self.call("POST", "/parcels", self.key_ma, {}), 400, "missing_field"
        )
        self.assertEqual(
            {e["field"] for e in error["details"]}, {"service", "recipient"}
        )
        self.assertError(
            self.call("GET", "/parcels?limit=500", self.key_ma),
            400,
            "invalid_parameter",
        )
        self.assertError(
            self.call("GET", "/parcels?colour=red", self.key_ma),
            400,
            "invalid_parameter",
        )
        self.assertError(
            self.call("GET", "/parcels?cursor=abc", self.key_ma), 400, "invalid_cursor"
        )
        self.assertError(
            self.call("GET", "/parcels?updated_since=yesterday", self.key_ma),
            400,
            "invalid_parameter",
        )

    def test_unknown_route_and_method_use_the_error_shape(self):
        self.assertError(
            self.call("GET", "/nothing-here", self.key_ma), 404, "not_found"
        )
        response = self.call("DELETE", "/parcels", self.key_ma)
        self.assertError(response, 405, "method_not_allowed")
        self.assertIn("POST", response.headers["Allow"])

    # ----------------------------------------------------------------------------
    # create
    # ----------------------------------------------------------------------------
    def test_create_one_parcel(self):
        payload = self.payload(
            lines=[
                {
                    "sku": "TSHIRT-M",
                    "description": "T-shirt",
                    "quantity": 2,
                    "weight": 0.3,
                }
            ],
            cod_amount=250,
            cod_currency="MAD",
        )
        self.assertValid(payload, "ParcelInput")
        response = self.call("POST", "/parcels", self.key_ma, payload)
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        self.assertValid(body, "Parcel")
        self.assertRegex(body["tracking_number"], r"^RR\d{9}MA$")
        self.assertEqual(body["state"], "confirmed")
        self.assertEqual(body["recipient"]["phone"], "+212612345678")
        parcel = self.env["tms.parcel"].search(
            [("tracking_number", "=", body["tracking_number"])]
        )
        self.assertEqual(parcel.company_id, self.company_ma)
        self.assertEqual(parcel.shipper_id, self.shipper_ma)
        self.assertEqual(parcel.event_ids.source, "api")
        self.assertEqual(parcel.line_ids.sku, "TSHIRT-M")
        self.assertEqual(parcel.cod_amount, 250)
        recipient = parcel.recipient_id
        self.assertEqual(recipient.type, "delivery")
        self.assertEqual(recipient.company_id, self.company_ma)
        self.assertFalse(recipient.parent_id)
        self.assertEqual(recipient.phone, "+212612345678")
        self.assertFalse(
            parcel.message_follower_ids.partner_id & self.user_ma.partner_id
        )

        # Sent again, the same recipient is found, not duplicated.
        again = self.create_parcel(reference="ORDER-2")
        self.assertEqual(again.recipient_id, recipient)

    def test_create_batch_creates_all_with_few_partners(self):
        payloads = [
            self.payload(
                reference=f"BATCH-{i}",
                shipper={
                    "name": "Souk Digital",
                    "email": "ops@souk.example",
                    "ref": "SOUK",
                },
                recipient=dict(self.payload()["recipient"], name=f"Client {i % 3}"),
            )
            for i in range(30)
        ]
        self.assertValid({"parcels": payloads}, "ParcelBatchInput")
        response = self.call("POST", "/parcels", self.key_ma, {"parcels": payloads})
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        self.assertValid(body, "ParcelBatch")
        self.assertEqual(
            [p["reference"] for p in body["parcels"]], [f"BATCH-{i}" for i in range(30)]
        )
        parcels = self.env["tms.parcel"].search(
            [("client_reference", "=like", "BATCH-%")]
        )
        self.assertEqual(len(parcels), 30)
        self.assertEqual(len(parcels.shipper_id), 1)
        self.assertEqual(parcels.shipper_id.ref, "SOUK")
        self.assertEqual(len(parcels.recipient_id), 3)
        self.assertEqual(set(parcels.mapped("state")), {"confirmed"})
        # A second batch reuses the shipper found by its reference.
        self.create_parcel(reference="BATCH-X", shipper={"ref": "SOUK"})
        self.assertEqual(
            self.env["tms.parcel"]
            .search([("client_reference", "=", "BATCH-X")])
            .shipper_id,
            parcels.shipper_id,
        )

    def test_batch_with_invalid_items_creates_nothing_and_reports_each(self):
        payloads = [
            self.payload(reference="ALL-0"),
            self.payload(
                reference="ALL-1",
                recipient=dict(self.payload()["recipient"], phone="12"),
            ),
            self.payload(reference="ALL-2", service="NOPE"),
            self.payload(reference="ALL-3", weight=-1, colour="blue"),
            self.payload(reference="ALL-4", shipper={"id": self.parcel_fr.id + 10**6}),
        ]
        partners_before = self.env["res.partner"].search_count([])
        response = self.call("POST", "/parcels", self.key_ma, {"parcels": payloads})
        error = self.assertError(response, 422, "validation_error")
        codes = {
            item["index"]: {e["code"] for e in item["errors"]}
            for item in error["details"]
        }
        self.assertEqual(
            codes,
            {
                1: {"invalid_phone"},
                2: {"unknown_service"},
                3: {"invalid_value", "unknown_field"},
                4: {"unknown_shipper"},
            },
        )
        fields_1 = [e["field"] for e in error["details"][0]["errors"]]
        self.assertEqual(fields_1, ["recipient.phone"])
        self.assertFalse(
            self.env["tms.parcel"].search([("client_reference", "=like", "ALL-%")])
        )
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)

    def test_single_invalid_parcel_lists_field_errors(self):
        response = self.call(
            "POST",
            "/parcels",
            self.key_ma,
            self.payload(
                recipient=dict(self.payload()["recipient"], country="XX", email="nope"),
                cod_currency="ZZZ",
                length=5000,
                state="delivered",
            ),
        )
        error = self.assertError(response, 422, "validation_error")
        self.assertEqual(
            {(e["field"], e["code"]) for e in error["details"]},
            {
                ("recipient.country", "unknown_country"),
                ("recipient.email", "invalid_email"),
                ("cod_currency", "unknown_currency"),
                ("length", "too_large"),
                ("state", "invalid_value"),
            },
        )

    def test_batch_size_limit(self):
        response = self.call("POST", "/parcels", self.key_ma, {"parcels": [{}] * 1001})
        self.assertError(response, 422, "batch_too_large")
        self.assertError(
            self.call("POST", "/parcels", self.key_ma, {"parcels": []}),
            422,
            "empty_batch",
        )

    def test_shipper_of_another_company_is_refused(self):
        shipper_fr = self.env["res.partner"].create(
            {"name": "Boutique Paris", "company_id": self.company_fr.id}
        )
        response = self.call(
            "POST", "/parcels", self.key_ma, self.payload(shipper=shipper_fr.id)
        )
        error = self.assertError(response, 422, "validation_error")
        self.assertEqual(error["details"][0]["code"], "unknown_shipper")

    def test_queries_to_validate_and_find_partners_do_not_grow_with_the_batch(self):
        Intake = (
            self.env["tms.parcel.intake"]
            .with_user(self.user_ma)
            .with_company(self.company_ma)
        )

        def queries(count):
            # Each parcel with a new shipper and a new recipient: the worst case.
            payloads = [
                self.payload(
                    reference=f"Q-{count}-{i}",
                    cod_currency="MAD",
                    shipper={"name": f"Shop {count}-{i}", "ref": f"SHOP-{count}-{i}"},
                    recipient=dict(
                        self.payload()["recipient"], name=f"Client {count}-{i}"
                    ),
                )
                for i in range(count)
            ]
            before = self.env.cr.sql_log_count
            prepared = Intake._tms_intake_prepare(payloads)
            self.assertFalse([item["errors"] for item in prepared if item["errors"]])
            Intake._tms_intake_resolve_partners(prepared)
            self.env.flush_all()
            self.assertEqual(
                len({item["vals"]["recipient_id"] for item in prepared}), count
            )
            return self.env.cr.sql_log_count - before

        def odoo_partner_queries(count):
            # What creating the same partners costs in Odoo itself: with some
            # modules installed (account), res.partner computes a few fields per
            # record; only what the API adds on top must not grow.
            vals_list = [
                {
                    "name": f"Baseline {count}-{i}",
                    "ref": f"BASE-{count}-{i}",
                    "company_id": self.company_ma.id,
                    "country_id": self.env.ref("base.ma").id,
                }
                for i in range(2 * count)
            ]
            before = self.env.cr.sql_log_count
            self.env["res.partner"].with_company(self.company_ma).create(vals_list)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        queries(2)
        odoo_partner_queries(2)
        small = queries(5) - odoo_partner_queries(5)
        large = queries(100) - odoo_partner_queries(100)
        # 20 times more parcels, not one query more (without the baseline, 100
        # items would cost about 190 more with account installed)
        self.assertLessEqual(large, small)

    # ----------------------------------------------------------------------------
    # idempotency
    # ----------------------------------------------------------------------------
    def test_idempotency_key_makes_a_retried_create_safe(self):
        headers = {"Idempotency-Key": "order-77-attempt"}
        body = {
            "parcels": [
                self.payload(reference="IDEM-1"),
                self.payload(reference="IDEM-2"),
            ]
        }
        first = self.call("POST", "/parcels", self.key_ma, body, headers=headers)
        self.assertEqual(first.status_code, 201, first.text)
        self.assertNotIn("Idempotent-Replayed", first.headers)
        second = self.call("POST", "/parcels", self.key_ma, body, headers=headers)
        self.assertEqual(second.status_code, 201)
        self.assertEqual(second.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(second.json(), first.json())
        self.assertEqual(
            self.env["tms.parcel"].search_count(
                [("client_reference", "=like", "IDEM-%")]
            ),
            2,
        )
        # The same key with another body is an error, not a silent replay.
        other = {"parcels": [self.payload(reference="IDEM-3")]}
        self.assertError(
            self.call("POST", "/parcels", self.key_ma, other, headers=headers),
            422,
            "idempotency_key_reused",
        )
        # Keys belong to their user: another user's identical key is a new request.
        fr_payload = self.payload(
            reference="IDEM-FR",
            shipper=None,
            recipient={
                "name": "Jeanne Martin",
                "phone": "0612345678",
                "street": "1 rue de Rivoli",
                "city": "Paris",
                "country": "FR",
            },
        )
        response = self.call(
            "POST", "/parcels", self.key_fr, fr_payload, headers=headers
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertNotIn("Idempotent-Replayed", response.headers)

    def test_failed_request_does_not_use_up_its_idempotency_key(self):
        headers = {"Idempotency-Key": "retry-after-fix"}
        bad = self.payload(reference="FIX-1", service="NOPE")
        self.assertError(
            self.call("POST", "/parcels", self.key_ma, bad, headers=headers),
            422,
            "validation_error",
        )
        self.assertFalse(
            self.env["tms.api.request"]
            .sudo()
            .search([("idempotency_key", "=", "retry-after-fix")])
        )
        good = self.payload(reference="FIX-1")
        response = self.call("POST", "/parcels", self.key_ma, good, headers=headers)
        self.assertEqual(response.status_code, 201, response.text)
        stored = (
            self.env["tms.api.request"]
            .sudo()
            .search([("idempotency_key", "=", "retry-after-fix")])
        )
        self.assertEqual(
            (stored.user_id, stored.company_id, stored.response_status),
            (self.user_ma, self.company_ma, 201),
        )

    def test_idempotency_key_too_long(self):
        response = self.call(
            "POST",
            "/parcels",
            self.key_ma,
            self.payload(),
            headers={"Idempotency-Key": "k" * 300},
        )
        self.assertError(response, 400, "invalid_idempotency_key")

    # ----------------------------------------------------------------------------
    # read
    # ----------------------------------------------------------------------------
    def test_get_parcel_by_tracking_number(self):
        parcel = self.create_parcel(
            lines=[{"description": "Book", "quantity": 1, "weight": 0.5, "value": 120}]
        )
        number = parcel.tracking_number
        response = self.call("GET", f"/parcels/{number}", self.key_ma)
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertValid(body, "ParcelDetail")
        self.assertEqual(body["tracking_number"], number)
        self.assertEqual([e["state"] for e in body["events"]], ["confirmed"])
        self.assertEqual(body["lines"][0]["description"], "Book")
        # Typed by a person: lower case and spaces are accepted.
        spaced = f"{number[:2].lower()} {number[2:6]} {number[6:]}"
        self.assertEqual(
            self.call("GET", f"/parcels/{spaced}", self.key_ma).status_code, 200
        )

    def test_bad_tracking_numbers_are_422_with_the_reason(self):
        number = self.create_parcel().tracking_number
        wrong_check = f"{number[:10]}{(int(number[10]) + 1) % 10}{number[11:]}"
        self.assertError(
            self.call("GET", f"/parcels/{wrong_check}", self.key_ma),
            422,
            "invalid_tracking_number_check_digit",
        )
        self.assertError(
            self.call("GET", "/parcels/HELLO", self.key_ma),
            422,
            "invalid_tracking_number_format",
        )
        self.assertError(
            self.call(
                "POST",
                f"/parcels/{wrong_check}/events",
                self.key_ma,
                {"state": "at_hub"},
            ),
            422,
            "invalid_tracking_number_check_digit",
        )
        unknown = tn.s10_make("RR", 99999999, "MA")
        self.assertError(
            self.call("GET", f"/parcels/{unknown}", self.key_ma), 404, "not_found"
        )

    def test_list_with_filters_and_cursor(self):
        parcels = self.env["tms.parcel"]
        for i in range(5):
            parcels |= self.create_parcel(
                reference=f"LIST-{i}", state="draft" if i < 2 else "confirmed"
            )
        seen, cursor, pages = [], None, 0
        while True:
            query = "/parcels?limit=2" + (f"&cursor={cursor}" if cursor else "")
            response = self.call("GET", query, self.key_ma)
            self.assertEqual(response.status_code, 200, response.text)
            body = response.json()
            self.assertValid(body, "ParcelPage")
            self.assertLessEqual(len(body["parcels"]), 2)
            seen += [p["tracking_number"] for p in body["parcels"]]
            pages += 1
            cursor = body["next_cursor"]
            if not cursor:
                break
            self.assertIsNotNone(decode_cursor(cursor))
        visible = self.env["tms.parcel"].with_user(self.user_ma).search([])
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(set(seen), set(visible.mapped("tracking_number")))
        self.assertEqual(body["total"], len(visible))
        self.assertEqual(pages, -(-len(visible) // 2))

        body = self.call("GET", "/parcels?state=draft&service=STD", self.key_ma).json()
        self.assertEqual(
            {p["reference"] for p in body["parcels"]}, {"LIST-0", "LIST-1"}
        )
        body = self.call("GET", "/parcels?reference=LIST-3", self.key_ma).json()
        self.assertEqual([p["reference"] for p in body["parcels"]], ["LIST-3"])
        self.assertEqual(body["total"], 1)
        body = self.call(
            "GET",
            f"/parcels?shipper={self.shipper_ma.id}&state=draft,confirmed",
            self.key_ma,
        ).json()
        self.assertEqual(body["total"], 5)
        future = (fields.Datetime.now() + timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        body = self.call("GET", f"/parcels?created_after={future}", self.key_ma).json()
        self.assertEqual(body["total"], 0)
        body = self.call(
            "GET",
            f"/parcels?created_before={future}&updated_since=2020-01-01",
            self.key_ma,
        ).json()
        self.assertEqual(body["total"], len(visible))

    # ----------------------------------------------------------------------------
    # events and cancellation
    # ----------------------------------------------------------------------------
    def test_add_event_moves_the_parcel_once(self):
        parcel = self.create_parcel()
        url = f"/parcels/{parcel.tracking_number}/events"
        scan = {
            "state": "picked_up",
            "hub": "CAS",
            "latitude": 33.57,
            "longitude": -7.59,
            "device": "scanner-7",
            "idempotency_key": "scan-1",
        }
        self.assertValid(scan, "EventInput")
        response = self.call("POST", url, self.key_ma, scan)
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        self.assertValid(body, "EventResult")
        self.assertEqual(body["parcel"]["state"], "picked_up")
        self.assertEqual(body["event"]["hub"], "CAS")
        self.assertEqual(parcel.state, "picked_up")
        event = parcel.event_ids.filtered(lambda e: e.state == "picked_up")
        self.assertEqual(
            (event.source, event.hub_id, event.device),
            ("api", self.hub_cas, "scanner-7"),
        )
        # The scanner resends it: nothing new.
        again = self.call("POST", url, self.key_ma, scan)
        self.assertEqual(again.status_code, 200, again.text)
        self.assertEqual(again.json()["event"]["id"], event.id)
        self.assertEqual(len(parcel.event_ids), 2)
        # The Idempotency-Key header works the same.
        self.assertEqual(
            self.call(
                "POST",
                url,
                self.key_ma,
                {"state": "at_hub", "hub": "CAS"},
                headers={"Idempotency-Key": "scan-2"},
            ).status_code,
            201,
        )
        self.assertEqual(
            self.call(
                "POST",
                url,
                self.key_ma,
                {"state": "at_hub", "hub": "CAS"},
                headers={"Idempotency-Key": "scan-2"},
            ).status_code,
            200,
        )
        self.assertEqual(len(parcel.event_ids), 3)

    def test_forbidden_transition_is_409_and_changes_nothing(self):
        parcel = self.create_parcel()
        url = f"/parcels/{parcel.tracking_number}/events"
        error = self.assertError(
            self.call("POST", url, self.key_ma, {"state": "delivered"}),
            409,
            "forbidden_transition",
        )
        self.assertEqual(
            error["details"], {"from_state": "confirmed", "to_state": "delivered"}
        )
        self.assertEqual(parcel.state, "confirmed")
        self.assertEqual(len(parcel.event_ids), 1)

    def test_invalid_events_are_refused(self):
        parcel = self.create_parcel()
        url = f"/parcels/{parcel.tracking_number}/events"
        future = (fields.Datetime.now() + timedelta(hours=2)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        cases = [
            ({"hub": "CAS"}, 400, "missing_field"),
            ({"state": "teleported"}, 422, "validation_error"),
            ({"state": "picked_up", "hub": "PAR"}, 422, "validation_error"),
            (
                {"state": "picked_up", "latitude": 120, "longitude": 0},
                422,
                "validation_error",
            ),
            ({"state": "picked_up", "latitude": 33.5}, 400, "missing_field"),
            ({"state": "picked_up", "event_time": "soon"}, 422, "validation_error"),
            ({"state": "picked_up", "event_time": future}, 422, "validation_error"),
            ({"state": "picked_up", "failure_reason": "NOPE"}, 422, "validation_error"),
        ]
        for body, status, code in cases:
            with self.subTest(body=body):
                self.assertError(
                    self.call("POST", url, self.key_ma, body), status, code
                )
        self.assertEqual(len(parcel.event_ids), 1)
        self.assertEqual(parcel.state, "confirmed")

    def test_late_event_is_kept_without_moving_the_parcel(self):
        parcel = self.create_parcel()
        url = f"/parcels/{parcel.tracking_number}/events"
        self.call("POST", url, self.key_ma, {"state": "at_hub", "hub": "CAS"})
        earlier = (fields.Datetime.now() - timedelta(hours=3)).strftime(
            "%Y-%m-%dT%H:%M:%S+01:00"
        )
        response = self.call(
            "POST", url, self.key_ma, {"state": "picked_up", "event_time": earlier}
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertFalse(response.json()["event"]["applied"])
        self.assertEqual(parcel.state, "at_hub")

    def test_cancel(self):
        parcel = self.create_parcel()
        url = f"/parcels/{parcel.tracking_number}/cancel"
        response = self.call(
            "POST", url, self.key_ma, {"note": "Order cancelled by the buyer"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertValid(response.json(), "Parcel")
        self.assertEqual(parcel.state, "cancelled")
        self.assertEqual(
            parcel.event_ids.filtered(lambda e: e.state == "cancelled").note,
            "Order cancelled by the buyer",
        )
        # A retry succeeds and records nothing.
        self.assertEqual(self.call("POST", url, self.key_ma).status_code, 200)
        self.assertEqual(len(parcel.event_ids), 2)

        picked = self.create_parcel(reference="PICKED")
        self.call(
            "POST",
            f"/parcels/{picked.tracking_number}/events",
            self.key_ma,
            {"state": "picked_up"},
        )
        self.assertError(
            self.call("POST", f"/parcels/{picked.tracking_number}/cancel", self.key_ma),
            409,
            "forbidden_transition",
        )
        self.assertEqual(picked.state, "picked_up")

    # ----------------------------------------------------------------------------
    # drivers and multi-company
    # ----------------------------------------------------------------------------
    def test_driver_reads_and_scans_only_their_parcels(self):
        mine = self._create_parcel(state="confirmed", driver_id=self.driver_ma.id)
        other = self._create_parcel(state="confirmed")
        self.assertEqual(
            self.call(
                "GET", f"/parcels/{mine.tracking_number}", self.key_driver
            ).status_code,
            200,
        )
        self.assertError(
            self.call("GET", f"/parcels/{other.tracking_number}", self.key_driver),
            404,
            "not_found",
        )
        body = self.call("GET", "/parcels", self.key_driver).json()
        self.assertEqual(
            [p["tracking_number"] for p in body["parcels"]], [mine.tracking_number]
        )
        response = self.call(
            "POST",
            f"/parcels/{mine.tracking_number}/events",
            self.key_driver,
            {"state": "picked_up"},
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertError(
            self.call(
                "POST",
                f"/parcels/{other.tracking_number}/events",
                self.key_driver,
                {"state": "picked_up"},
            ),
            404,
            "not_found",
        )
        self.assertEqual(other.state, "confirmed")
        self.assertError(
            self.call("POST", "/parcels", self.key_driver, self.payload()),
            403,
            "forbidden",
        )
        self.assertError(
            self.call(
                "POST", f"/parcels/{mine.tracking_number}/cancel", self.key_driver
            ),
            403,
            "forbidden",
        )

    def test_company_a_key_cannot_see_or_touch_company_b_parcels(self):
        mine = self.create_parcel()
        number_fr = self.parcel_fr.tracking_number
        events_before = len(self.parcel_fr.event_ids)
        # Another company's parcel does not exist for this key: 404, not 403.
        self.assertError(
            self.call("GET", f"/parcels/{number_fr}", self.key_ma), 404, "not_found"
        )
        self.assertError(
            self.call(
                "POST",
                f"/parcels/{number_fr}/events",
                self.key_ma,
                {"state": "picked_up", "idempotency_key": "x-1"},
            ),
            404,
            "not_found",
        )
        self.assertError(
            self.call("POST", f"/parcels/{number_fr}/cancel", self.key_ma),
            404,
            "not_found",
        )
        self.assertEqual(self.parcel_fr.state, "draft")
        self.assertEqual(len(self.parcel_fr.event_ids), events_before)
        body = self.call("GET", "/parcels?limit=200", self.key_ma).json()
        self.assertNotIn(number_fr, [p["tracking_number"] for p in body["parcels"]])
        self.assertEqual(
            body["total"],
            self.env["tms.parcel"].search_count(
                [("company_id", "=", self.company_ma.id)]
            ),
        )
        body = self.call("GET", "/parcels?reference=FR-SECRET-1", self.key_ma).json()
        self.assertEqual((body["parcels"], body["total"]), ([], 0))
        # A company the key's owner does not work for cannot be chosen.
        self.assertError(
            self.call(
                "GET",
                "/parcels",
                self.key_ma,
                headers={"X-Company-Id": str(self.company_fr.id)},
            ),
            403,
            "company_not_allowed",
        )
        self.assertError(
            self.call(
                "GET", "/parcels", self.key_ma, headers={"X-Company-Id": "paris"}
            ),
            400,
            "invalid_header",
        )
        # And the other way round.
        self.assertError(
            self.call("GET", f"/parcels/{mine.tracking_number}", self.key_fr),
            404,
            "not_found",
        )

    def test_company_header_chooses_among_the_users_companies(self):
        mine = self.create_parcel()
        fr_payload = self.payload(
            reference="FR-1",
            shipper=None,
            recipient={
                "name": "Jeanne Martin",
                "phone": "06 12 34 56 78",
                "street": "1 rue de Rivoli",
                "city": "Paris",
                "country": "FR",
            },
        )
        headers = {"X-Company-Id": str(self.company_fr.id)}
        response = self.call(
            "POST", "/parcels", self.key_both, fr_payload, headers=headers
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        self.assertEqual(body["company_id"], self.company_fr.id)
        self.assertTrue(body["tracking_number"].endswith("FR"))
        self.assertEqual(body["recipient"]["phone"], "+33612345678")
        listed = self.call(
            "GET", "/parcels?limit=200", self.key_both, headers=headers
        ).json()
        self.assertEqual(
            {p["company_id"] for p in listed["parcels"]}, {self.company_fr.id}
        )
        self.assertIn(
            self.parcel_fr.tracking_number,
            [p["tracking_number"] for p in listed["parcels"]],
        )
        everything = self.call("GET", "/parcels?limit=200", self.key_both).json()
        self.assertIn(
            mine.tracking_number, [p["tracking_number"] for p in everything["parcels"]]
        )
        self.assertEqual(
            {p["company_id"] for p in everything["parcels"]},
            {self.company_ma.id, self.company_fr.id},
        )

    # ----------------------------------------------------------------------------
    # rate limit and cleaning
    # ----------------------------------------------------------------------------
    def test_rate_limit_per_key(self):
        self.company_ma.tms_api_rate_limit = 3
        key = self._api_key(self.user_ma)
        other_key = self._api_key(self.user_ma)
        # the clock stands 15 s into a minute: the requests share its window
        with freeze_time(fields.Datetime.now().replace(second=15)) as frozen:
            for remaining in (2, 1, 0):
                response = self.call("GET", "/parcels", key)
                self.assertEqual(response.status_code, 200, response.text)
                self.assertEqual(response.headers["X-RateLimit-Limit"], "3")
                self.assertEqual(
                    response.headers["X-RateLimit-Remaining"], str(remaining)
                )
                self.assertEqual(response.headers["X-RateLimit-Reset"], "45")
            response = self.call(
                "POST", "/parcels", key, self.payload(reference="LIMITED")
            )
            self.assertError(response, 429, "rate_limited")
            # the end of the minute
            self.assertEqual(response.headers["Retry-After"], "45")
            self.assertFalse(
                self.env["tms.parcel"].search([("client_reference", "=", "LIMITED")])
            )
            # Each key has its own counter.
            self.assertEqual(self.call("GET", "/parcels", other_key).status_code, 200)
            # The next minute is a new window.
            frozen.tick(45)
            response = self.call("GET", "/parcels", key)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.headers["X-RateLimit-Remaining"], "2")
        # 0 turns the limit off.
        self.company_ma.tms_api_rate_limit = 0
        response = self.call("GET", "/parcels", key)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("X-RateLimit-Limit", response.headers)

    def test_cron_forgets_old_idempotency_keys_and_rate_windows(self):
        cron = self.env.ref("tms_core.ir_cron_tms_api_gc")
        self.assertIn("_cron_tms_api_gc", cron.code)
        self.create_parcel(reference="GC-OLD")
        self.call(
            "POST",
            "/parcels",
            self.key_ma,
            self.payload(reference="GC-1"),
            headers={"Idempotency-Key": "gc-old"},
        )
        self.call(
            "POST",
            "/parcels",
            self.key_ma,
            self.payload(reference="GC-2"),
            headers={"Idempotency-Key": "gc-new"},
        )
        self.company_ma.tms_api_rate_limit = 100
        self.call("GET", "/parcels", self.key_ma)
        Request = self.env["tms.api.request"].sudo()
        Window = self.env["tms.rate.limit"].sudo()
        cr = self.env.cr
        cr.execute(
            "UPDATE tms_api_request SET create_date = create_date - interval '25 hours'"
            " WHERE idempotency_key = 'gc-old'"
        )
        cr.execute(
            "UPDATE tms_rate_limit SET window_start = window_start - interval '1 hour',"
            " window_end = window_end - interval '1 hour'"
        )
        cr.execute(
            "INSERT INTO tms_rate_limit (rate_key, window_start, window_end, hit_count)"
            " VALUES ('api:current', date_trunc('minute', now() AT TIME ZONE 'UTC'),"
            " date_trunc('minute', now() AT TIME ZONE 'UTC') + interval '1 minute', 1)"
        )
        self.env.invalidate_all()
        self.assertEqual(Window.search_count([]), 2)
        cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(Request.search([]).mapped("idempotency_key"), ["gc-new"])
        self.assertEqual(Window.search_count([]), 1)
