# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One intake for new parcels, whatever brings them: the REST API, a spreadsheet
import, a shop order. Each channel parses its own input into items of the schema of
``tools/intake.py``; this service validates them, finds services, shippers and
recipients for the whole batch at once and creates the valid parcels in one call."""

from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ...tools import intake


class TmsParcelIntake(models.AbstractModel):
    _name = "tms.parcel.intake"
    _description = "Parcel Intake"

    # ----------------------------------------------------------------------------
    # the whole intake
    # ----------------------------------------------------------------------------
    @api.model
    def _tms_intake(self, items, channel, options=None, extra_vals=None):
        """Validate ``items`` and create the parcels of the valid ones (one
        ``create`` call). ``extra_vals``: parcel values per item set by the channel
        (links to its own records, a recipient contact it already knows). Return,
        per item, ``{"parcel": tms.parcel or None, "errors": [{"field", "code",
        "message"}], "warnings": [...]}`` (warnings: what ``options`` let through,
        e.g. ``lenient_phone``)."""
        prepared = self._tms_intake_prepare(items, options)
        parcels = self._tms_intake_create(prepared, channel, options, extra_vals)
        parcel_iter = iter(parcels)
        return [
            {
                "parcel": None if item["errors"] else next(parcel_iter),
                "errors": item["errors"],
                "warnings": item["warnings"],
            }
            for item in prepared
        ]

    @api.model
    def _tms_intake_prepare(self, items, options=None):
        """Validate every item. Return per item ``{"vals", "recipient", "shipper",
        "errors", "warnings"}``: parcel values without partners yet, the
        recipient's partner values, the shipper (id, values of a new one, or None)
        and the errors and warnings with their translated message. Every lookup
        is one query for the whole batch."""
        options = options or {}
        context = self._tms_intake_context(items, options)
        labels = options.get("labels") or {}
        prepared = []
        for item in items:
            errors = intake.Errors()
            result = intake.validate_parcel(item, context, errors) or {
                "vals": {},
                "recipient": None,
                "shipper": None,
            }
            result["errors"] = self._tms_intake_messages(errors, labels)
            result["warnings"] = self._tms_intake_messages(errors.warnings, labels)
            prepared.append(result)
        return prepared

    @api.model
    def _tms_intake_create(self, prepared, channel, options=None, extra_vals=None):
        """Create the parcels of the prepared items without errors, with their
        shippers and recipients, in one ``create`` call; return them in the order of
        the items."""
        options = options or {}
        company = self._tms_intake_company(options)
        extra_vals = extra_vals or [{}] * len(prepared)
        valid = [
            (item, extra)
            for item, extra in zip(prepared, extra_vals, strict=True)
            if not item["errors"]
        ]
        if not valid:
            return self.env["tms.parcel"]
        items = []
        for item, extra in valid:
            # a contact the channel already knows (a shop order's delivery address)
            item["known_recipient"] = bool(extra.get("recipient_id"))
            items.append(item)
        self._tms_intake_resolve_partners(items, options)
        vals_list = []
        for item, extra in valid:
            vals = dict(item["vals"], company_id=company.id)
            if vals.get("line_ids"):
                vals["line_ids"] = [Command.create(line) for line in vals["line_ids"]]
            vals.update(extra)
            vals_list.append(vals)
        return (
            self.env["tms.parcel"]
            .with_company(company)
            .with_context(
                tms_event_source=channel,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                **options.get("create_context", {}),
            )
            .create(vals_list)
        )

    # ----------------------------------------------------------------------------
    # lookups
    # ----------------------------------------------------------------------------
    @api.model
    def _tms_intake_company(self, options):
        return options.get("company") or self.env.company

    @api.model
    def _tms_intake_context(self, items, options):
        """The :class:`~..tools.intake.IntakeContext` of a batch: the services,
        countries, states, currencies and shippers its items name, one search each."""
        from ..parcel.tms_parcel import INITIAL_STATES, MAX_DIMENSION_CM

        company = self._tms_intake_company(options)
        parcels = [item for item in items if isinstance(item, dict)]
        recipients = [
            p["recipient"] for p in parcels if isinstance(p.get("recipient"), dict)
        ]
        shippers = [p["shipper"] for p in parcels if isinstance(p.get("shipper"), dict)]
        services = self.env["tms.service"].search(
            [
                ("code", "in", intake.codes(parcels, "service")),
                ("company_id", "in", [company.id, False]),
            ]
        )
        # A company's own service wins over a shared one with the same code.
        service_ids = {
            s.code: s.id for s in services.sorted(lambda s: bool(s.company_id))
        }
        addresses = recipients + shippers
        countries = (
            self.env["res.country"].search(
                [("code", "in", intake.codes(addresses, "country", upper=True))]
            )
            | company.country_id
        )
        states = self.env["res.country.state"].search(
            [
                ("country_id", "in", countries.ids),
                ("code", "in", intake.codes(addresses, "state", upper=True)),
            ]
        )
        currencies = self.env["res.currency"].search(
            [("name", "in", intake.codes(parcels, "cod_currency", upper=True))]
        )
        shipper_ids = [
            s["id"] for s in shippers if isinstance(s.get("id"), int) and s["id"] > 0
        ] + [
            p["shipper"]
            for p in parcels
            if type(p.get("shipper")) is int and p["shipper"] > 0
        ]
        shipper_refs = intake.codes([s for s in shippers if "id" not in s], "ref")
        known_shippers = self.env["res.partner"]
        if shipper_ids or shipper_refs:
            known_shippers = known_shippers.search(
                [
                    ("company_id", "in", [company.id, False]),
                    "|",
                    ("id", "in", shipper_ids),
                    ("ref", "in", shipper_refs),
                ]
            )
        country_by_code = {c.code.upper(): c for c in countries}
        Parcel = self.env["tms.parcel"]

        def format_phone(number, country_code):
            country = country_by_code.get(country_code) or company.country_id
            try:
                return Parcel._tms_format_phone(number, country, strict=True)
            except UserError as error:
                raise ValueError(number) from error

        return intake.IntakeContext(
            services=service_ids,
            countries={code: (c.id, c.name) for code, c in country_by_code.items()},
            states={(s.country_id.id, s.code.upper()): s.id for s in states},
            currencies={c.name.upper(): c.id for c in currencies},
            shippers_by_id=set(known_shippers.ids),
            shippers_by_ref={
                p.ref: p.id for p in known_shippers.sorted("id", reverse=True) if p.ref
            },
            default_country=(company.country_id.code or "").upper(),
            max_weight=company.tms_max_parcel_weight or intake.DEFAULT_MAX_WEIGHT,
            max_dimension=MAX_DIMENSION_CM,
            initial_states=INITIAL_STATES,
            format_phone=format_phone,
            allowed_keys=options.get("allowed_keys", intake.PARCEL_KEYS),
            partial=options.get("partial", False),
            lenient_phone=options.get("lenient_phone", False),
        )

    # ----------------------------------------------------------------------------
    # messages
    # ----------------------------------------------------------------------------
    @api.model
    def _tms_intake_messages(self, errors, labels=None):
        """``[{"field", "code", "message"}]`` of ``(path, code, params)`` errors;
        ``labels`` names the fields in the messages (the path by default)."""
        labels = labels or {}
        return [
            {
                "field": path,
                "code": code,
                "message": self._tms_intake_message(
                    code, dict(params, field=labels.get(path, path))
                ),
            }
            for path, code, params in errors
        ]

    @api.model
    def _tms_intake_message(self, code, params):
        """The translated message of an error ``code`` of ``tools/intake.py``."""
        _ = self.env._
        rule, kind, field = params.get("rule"), params.get("type"), params["field"]
        if "message" in params:
            return params["message"]
        if code == "required":
            if rule == "line":
                return _("A content line needs a description or a SKU.")
            return _("%(field)s is required.", field=field)
        if code == "invalid_type":
            messages = {
                "string": _("%(field)s is a string.", field=field),
                "number": _("%(field)s must be a number.", field=field),
                "object": _("%(field)s is an object.", field=field),
                "list": _("%(field)s is a list of objects.", field=field),
                "line": _("A content line is an object."),
                "parcel": _("A parcel is a JSON object."),
                "shipper": _("%(field)s is a partner id or an object.", field=field),
            }
            return messages.get(kind, messages["string"])
        if code == "too_long":
            return _(
                "%(field)s is longer than %(max)s characters.",
                field=field,
                max=params["max"],
            )
        if code == "invalid_value":
            if rule == "positive":
                return _("%(field)s must be greater than 0.", field=field)
            if rule == "initial_state":
                return _(
                    "A new parcel is draft or confirmed, not %(state)s.",
                    state=params["value"],
                )
            return _(
                "%(field)s must be at least %(min)s.", field=field, min=params["min"]
            )
        if code == "too_large":
            if rule == "count":
                return _(
                    "A parcel holds at most %(max)s content lines.", max=params["max"]
                )
            if rule == "weight":
                return _(
                    "The contents weigh %(weight)s kg, more than the %(max)s kg a "
                    "parcel may weigh.",
                    weight=params["weight"],
                    max=params["max"],
                )
            return _(
                "%(field)s must be at most %(max)s.",
                field=field,
                max=format(params["max"], "g"),
            )
        messages = {
            "unknown_field": lambda: _("%(field)s is not a known field.", field=field),
            "unknown_service": lambda: _(
                "No active service has the code %(code)s.", code=params["code"]
            ),
            "unknown_currency": lambda: _(
                "%(code)s is not an active currency (ISO 4217 code, like MAD).",
                code=params["code"],
            ),
            "unknown_country": lambda: _(
                "%(code)s is not a country code (ISO 3166 alpha-2, like MA).",
                code=params["code"],
            ),
            "unknown_state": lambda: _(
                "%(code)s is not a state of %(country)s.",
                code=params["code"],
                country=params["country"],
            ),
            "invalid_phone": lambda: _(
                "The phone number %(phone)s is not valid for %(country)s.",
                phone=params["phone"],
                country=params["country"],
            ),
            "invalid_email": lambda: _(
                "%(email)s is not an email address.", email=params["email"]
            ),
            "unknown_shipper": lambda: _(
                "No contact of your company matches the shipper %(shipper)s.",
                shipper=params["shipper"],
            ),
        }
        return messages[code]() if code in messages else code

    # ----------------------------------------------------------------------------
    # shippers and recipients
    # ----------------------------------------------------------------------------
    @api.model
    def _tms_intake_partner_sudo(self):
        # sudo: creating parcels includes creating their shipper and recipient contacts,
        # even for users without the Contact Creation group. The channels check the
        # rights to create parcels first; the contacts belong to the parcels' company.
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                tracking_disable=True,
            )
        )

    @api.model
    def _tms_intake_resolve_partners(self, prepared, options=None):
        """Find or create the shippers given as objects and the recipients of valid
        prepared items (a search and a ``create`` call each for the whole batch),
        then put them in the parcel values."""
        options = options or {}
        default_shipper = options.get("shipper") or self.env["res.partner"]
        self._tms_intake_resolve_shippers(
            [item for item in prepared if isinstance(item["shipper"], dict)], options
        )
        for item in prepared:
            if isinstance(item["shipper"], int):
                item["shipper"] = self.env["res.partner"].browse(item["shipper"])
            item["shipper"] = item["shipper"] or default_shipper
        to_find = [item for item in prepared if not item.get("known_recipient")]
        found = iter(self._tms_intake_resolve_recipients(to_find, options))
        recipients = [
            self.env["res.partner"] if item.get("known_recipient") else next(found)
            for item in prepared
        ]
        for item, partner in zip(prepared, recipients, strict=True):
            recipient = item["recipient"]
            item["vals"].update(
                shipper_id=item["shipper"].id,
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
    def _tms_intake_resolve_shippers(self, items, options):
        """Replace the shipper values of ``items`` by a contact of the company with the
        same ``ref``, or else the same name and email (or phone), creating the missing
        ones."""
        if not items:
            return
        company = self._tms_intake_company(options)
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
            for key in self._tms_intake_shipper_keys(partner):
                found[key] = partner

        def match(spec):
            keys = self._tms_intake_shipper_keys(spec)
            return next((found[key] for key in keys if key in found), None)

        new_vals, pending = [], {}
        for spec in specs:
            if match(spec):
                continue
            keys = self._tms_intake_shipper_keys(spec)
            index = next((pending[key] for key in keys if key in pending), None)
            if index is None:
                index = len(new_vals)
                new_vals.append(dict(spec, company_id=company.id, is_company=True))
            for key in keys:
                pending.setdefault(key, index)
        created = self._tms_intake_partner_sudo().create(new_vals).sudo(False)
        for key, index in pending.items():
            found.setdefault(key, created[index])
        for item in items:
            item["shipper"] = match(item["shipper"])

    @api.model
    def _tms_intake_shipper_keys(self, shipper):
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
    def _tms_intake_recipient_policy(self, options):
        return (
            options.get("recipient_policy")
            or self._tms_intake_company(options).tms_recipient_policy
            or "contact"
        )

    @api.model
    def _tms_intake_resolve_recipients(self, prepared, options):
        """The contact of each item's recipient, as the company's recipient policy
        says (``res.company.tms_recipient_policy``): found by
        :meth:`_tms_intake_match_recipients`, else created, once per distinct
        recipient of the batch; an empty recordset with the policy "No Contact"."""
        Partner = self.env["res.partner"]
        policy = self._tms_intake_recipient_policy(options)
        if policy == "none":
            return [Partner] * len(prepared)
        company = self._tms_intake_company(options)
        recipients = [item["recipient"] for item in prepared]
        shippers = [item["shipper"] for item in prepared]
        found = self._tms_intake_match_recipients(recipients, shippers, policy, company)
        missing = {}
        for recipient, shipper, partner in zip(
            recipients, shippers, found, strict=True
        ):
            if partner:
                continue
            key = self._tms_intake_recipient_key(recipient, shipper, policy)
            if key not in missing:
                missing[key] = dict(recipient, type="delivery", company_id=company.id)
                if policy == "shipper_address" and shipper:
                    missing[key]["parent_id"] = shipper.id
        created = dict(
            zip(
                missing,
                self._tms_intake_partner_sudo()
                .create(list(missing.values()))
                .sudo(False),
                strict=True,
            )
        )
        return [
            partner
            or created[self._tms_intake_recipient_key(recipient, shipper, policy)]
            for recipient, shipper, partner in zip(
                recipients, shippers, found, strict=True
            )
        ]

    @api.model
    def _tms_intake_match_recipients(self, recipients, shippers, policy, company):
        """The existing contact of each recipient (partner values), or an empty
        recordset; one search for the whole batch. Override to match otherwise.

        ``contact``: a delivery contact of the company with the same name, phone and
        address; recipients are contacts of their own, not children of the shipper,
        so that a shop's data (its exports, its erasure) does not include the people
        it ships to. ``shipper_address``: a delivery address of the recipient's
        shipper with the same phone (normalised) or email."""
        Partner = self.env["res.partner"]
        if policy == "shipper_address":
            shipper_ids = {s.id for s in shippers if s}
            phones = [r["phone"] for r in recipients if r["phone"]]
            emails = [r["email"].lower() for r in recipients if r["email"]]
            candidates = Partner.search(
                [
                    ("type", "=", "delivery"),
                    ("parent_id", "in", list(shipper_ids)),
                    "|",
                    ("phone_sanitized", "in", phones),
                    ("email_normalized", "in", emails),
                ],
                order="id",
            )
            by_phone, by_email = {}, {}
            for partner in candidates:
                parent_id = partner.parent_id.id
                by_phone.setdefault((parent_id, partner.phone_sanitized), partner)
                by_email.setdefault((parent_id, partner.email_normalized), partner)
            return [
                by_phone.get((shipper.id, recipient["phone"]))
                or by_email.get((shipper.id, (recipient["email"] or "").lower()))
                or Partner
                if shipper
                else Partner
                for recipient, shipper in zip(recipients, shippers, strict=True)
            ]
        candidates = Partner.search(
            [
                ("type", "=", "delivery"),
                ("company_id", "=", company.id),
                ("phone", "in", list({r["phone"] for r in recipients})),
            ]
        )
        found = {}
        for partner in candidates.sorted("id", reverse=True):
            found[self._tms_intake_recipient_key(partner)] = partner
        return [
            found.get(self._tms_intake_recipient_key(recipient), Partner)
            for recipient in recipients
        ]

    @api.model
    def _tms_intake_recipient_key(self, recipient, shipper=None, policy="contact"):
        """What identifies a recipient (a partner or values): name, phone, address
        (and the shipper, when the recipient is an address of the shipper)."""

        def norm(value):
            return (value or "").strip().casefold()

        country = recipient["country_id"]
        key = (
            norm(recipient["name"]),
            recipient["phone"],
            norm(recipient["street"]),
            norm(recipient["street2"]),
            norm(recipient["zip"]),
            norm(recipient["city"]),
            country if isinstance(country, int) else country.id,
        )
        if policy == "shipper_address":
            # an address of the shipper is the same person by phone or email
            person = recipient["phone"] or norm(recipient["email"]) or key
            key = (shipper.id if shipper else False, person)
        return key
