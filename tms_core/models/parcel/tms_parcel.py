# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import functools
import uuid
from collections import defaultdict
from urllib.parse import quote as url_quote

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import float_round

from odoo.addons.phone_validation.tools.phone_validation import phone_format

from ...tools import tracking_number as tn


@functools.lru_cache(maxsize=65536)
def _e164(number, country_code, phone_code, strict):
    """A phone number in E.164, parsed once per number and country: an import or a
    shop sync checks, matches and stores the same numbers several times. Invalid
    numbers raise each time (exceptions are not cached)."""
    return phone_format(
        number, country_code, phone_code, force_format="E164", raise_exception=strict
    )


PARCEL_STATES = [
    ("draft", "Draft"),
    ("confirmed", "Awaiting Pickup"),
    ("picked_up", "Picked Up"),
    ("at_hub", "At Hub"),
    ("in_transit", "In Transit"),
    ("out_for_delivery", "Out for Delivery"),
    ("delivered", "Delivered"),
    ("failed", "Delivery Failed"),
    ("returning", "Returning"),
    ("returned", "Returned"),
    ("cancelled", "Cancelled"),
    ("lost", "Lost"),
    ("exception", "Exception"),
]
# States a parcel may be created in; every later state comes from an event.
INITIAL_STATES = ("draft", "confirmed")
STATE_ORDER = {state: index for index, (state, _label) in enumerate(PARCEL_STATES)}
MAP_SEARCH_URL = "https://www.google.com/maps/search/?api=1&query="
DEFAULT_VOLUMETRIC_DIVISOR = 5000
MAX_DIMENSION_CM = 1000


class TmsParcel(models.Model):
    _name = "tms.parcel"
    _description = "Parcel"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_name = "tracking_number"
    _rec_names_search = ["tracking_number_search", "client_reference"]
    _check_company_auto = True

    tracking_number = fields.Char(
        copy=False,
        readonly=True,
        index="trigram",
        tracking=True,
        help="Unique and never reused; generated from the company's format when the "
        "parcel is created, or given by the shipper and then checked.",
    )
    tracking_number_search = fields.Char(
        store=False,
        search="_search_tracking_number_search",
        help="Finds a tracking number as it is typed or read out: lower case, "
        "spaces and dashes are ignored.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        PARCEL_STATES,
        default="draft",
        required=True,
        copy=False,
        index=True,
        group_expand="_read_group_expand_state",
        help="Changed only by tracking events, along allowed transitions (the events "
        "are the timeline, so state changes are not repeated in the chatter).",
    )
    client_reference = fields.Char(
        index="btree_not_null",
        help="The shipper's order number.",
    )
    shipper_id = fields.Many2one(
        "res.partner", string="Shipper", index=True, check_company=True, tracking=True
    )
    recipient_id = fields.Many2one(
        "res.partner",
        string="Recipient",
        index=True,
        check_company=True,
        tracking=True,
        help="The delivery contact; its address is copied on the parcel.",
    )
    recipient_name = fields.Char(
        compute="_compute_recipient_address",
        store=True,
        readonly=False,
        precompute=True,
    )
    recipient_phone = fields.Char(
        compute="_compute_recipient_address",
        store=True,
        readonly=False,
        precompute=True,
        help="Normalised to the international E.164 format (+212612345678).",
    )
    recipient_phone_invalid = fields.Boolean(compute="_compute_recipient_phone_invalid")
    recipient_email = fields.Char(
        compute="_compute_recipient_address",
        store=True,
        readonly=False,
        precompute=True,
    )
    recipient_street = fields.Char(
        compute="_compute_recipient_address",
        store=True,
        readonly=False,
        precompute=True,
    )
    recipient_street2 = fields.Char(
        string="Recipient Street 2",
        compute="_compute_recipient_address",
        store=True,
        readonly=False,
        precompute=True,
    )
    recipient_zip = fields.Char(
        string="Recipient ZIP",
        compute="_compute_recipient_address",
        store=True,
        readonly=False,
        precompute=True,
    )
    recipient_city = fields.Char(
        compute="_compute_recipient_address",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
    )
    recipient_state_id = fields.Many2one(
        "res.country.state",
        string="Recipient Region",
        compute="_compute_recipient_address",
        store=True,
        readonly=False,
        precompute=True,
    )
    recipient_country_id = fields.Many2one(
        "res.country",
        compute="_compute_recipient_address",
        store=True,
        readonly=False,
        precompute=True,
    )
    recipient_map_url = fields.Char(
        string="Map",
        compute="_compute_recipient_map_url",
        help="The recipient's address on a map, for the driver.",
    )
    service_id = fields.Many2one(
        "tms.service",
        index=True,
        check_company=True,
        tracking=True,
        ondelete="restrict",
    )
    carrier_id = fields.Many2one(
        "tms.carrier", index="btree_not_null", check_company=True, tracking=True
    )
    zone_id = fields.Many2one(
        "tms.zone",
        compute="_compute_zone_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
    )
    destination_hub_id = fields.Many2one(
        "tms.hub",
        related="zone_id.hub_id",
        store=True,
        string="Destination Hub",
        index="btree_not_null",
    )
    hub_id = fields.Many2one(
        "tms.hub",
        string="Current Hub",
        readonly=True,
        index="btree_not_null",
        check_company=True,
        help="Where the parcel was last scanned.",
    )
    driver_id = fields.Many2one(
        "res.users",
        string="Driver",
        groups="tms_core.group_tms_driver",
        index="btree_not_null",
        tracking=True,
        help="The driver delivering the parcel; drivers only see their own parcels.",
    )
    line_ids = fields.One2many(
        "tms.parcel.line", "parcel_id", string="Contents", copy=True
    )
    weight = fields.Float(
        string="Weight (kg)",
        digits="Stock Weight",
        compute="_compute_weight",
        store=True,
        readonly=False,
        precompute=True,
        help="Actual weight; the sum of the contents' weights unless set by hand.",
    )
    # "length" is a dimension here, not the attribute pylint-odoo knows as deprecated
    length = fields.Float(string="Length (cm)")  # pylint: disable=attribute-deprecated
    width = fields.Float(string="Width (cm)")
    height = fields.Float(string="Height (cm)")
    volumetric_weight = fields.Float(
        string="Volumetric Weight (kg)",
        digits="Stock Weight",
        compute="_compute_volumetric_weight",
        store=True,
        help="Length x width x height (cm) divided by the service's divisor (5000 by "
        "default).",
    )
    chargeable_weight = fields.Float(
        string="Chargeable Weight (kg)",
        digits="Stock Weight",
        compute="_compute_volumetric_weight",
        store=True,
        help="The greater of the actual and the volumetric weight.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    declared_value = fields.Monetary(currency_field="currency_id")
    insured = fields.Boolean()
    insurance_amount = fields.Monetary(currency_field="currency_id")
    cod_amount = fields.Monetary(
        string="Cash on Delivery", currency_field="cod_currency_id", tracking=True
    )
    cod_currency_id = fields.Many2one(
        "res.currency",
        string="COD Currency",
        compute="_compute_cod_currency_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_shipping = fields.Datetime(
        string="Shipping Date",
        default=fields.Datetime.now,
        index=True,
        help="When the shipper hands the parcel over; promised dates count from it.",
    )
    date_promised = fields.Datetime(
        string="Promised Delivery",
        compute="_compute_date_promised",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        help="The service's delay counted in the company's working days and hours, "
        "public holidays excluded.",
    )
    date_picked_up = fields.Datetime(string="Picked Up On", readonly=True, copy=False)
    date_delivered = fields.Datetime(string="Delivered On", readonly=True, copy=False)
    last_event_date = fields.Datetime(readonly=True, copy=False, index="btree_not_null")
    event_ids = fields.One2many(
        "tms.parcel.event", "parcel_id", string="Events", readonly=True
    )
    event_count = fields.Integer(compute="_compute_event_count")
    failed_attempt_count = fields.Integer(readonly=True, copy=False)
    pod_receiver_name = fields.Char(string="Received By", copy=False)
    pod_signature = fields.Image(
        string="Signature", copy=False, attachment=True, max_width=1024, max_height=512
    )
    pod_photo_ids = fields.Many2many(
        "ir.attachment",
        "tms_parcel_pod_photo_rel",
        "parcel_id",
        "attachment_id",
        string="Delivery Photos",
        copy=False,
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        index="btree_not_null",
        check_company=True,
        copy=False,
        ondelete="set null",
    )
    package_id = fields.Many2one(
        "stock.quant.package", index="btree_not_null", copy=False, ondelete="set null"
    )
    # internal: portal customers may read their parcels, not the staff's notes
    note = fields.Html(groups="tms_core.group_tms_driver")

    _sql_constraints = [
        (
            "tracking_number_uniq",
            "unique(tracking_number)",
            "This tracking number is already used by another parcel.",
        ),
        (
            "dimensions_positive",
            "CHECK(length >= 0 AND width >= 0 AND height >= 0)",
            "Dimensions cannot be negative.",
        ),
        (
            "amounts_positive",
            "CHECK(COALESCE(cod_amount, 0) >= 0 AND COALESCE(declared_value, 0) >= 0)",
            "Cash-on-delivery and declared amounts cannot be negative.",
        ),
    ]

    # ----------------------------------------------------------------------------------
    # computes
    # ----------------------------------------------------------------------------------
    def _compute_access_url(self):
        for parcel in self:
            parcel.access_url = f"/my/parcels/{parcel.id}"

    @api.depends("recipient_id")
    def _compute_recipient_address(self):
        for parcel in self:
            partner = parcel.recipient_id
            if not partner:
                continue
            parcel.recipient_name = partner.name
            parcel.recipient_phone = parcel._tms_format_phone(
                partner.mobile or partner.phone, partner.country_id, strict=False
            )
            parcel.recipient_email = partner.email
            parcel.recipient_street = partner.street
            parcel.recipient_street2 = partner.street2
            parcel.recipient_zip = partner.zip
            parcel.recipient_city = partner.city
            parcel.recipient_state_id = partner.state_id
            parcel.recipient_country_id = partner.country_id

    @api.depends(
        "recipient_street",
        "recipient_street2",
        "recipient_zip",
        "recipient_city",
        "recipient_country_id",
    )
    def _compute_recipient_map_url(self):
        for parcel in self:
            parts = [
                parcel.recipient_street,
                parcel.recipient_street2,
                " ".join(filter(None, [parcel.recipient_zip, parcel.recipient_city])),
                parcel.recipient_country_id.name,
            ]
            address = ", ".join(part for part in parts if part)
            parcel.recipient_map_url = (
                f"{MAP_SEARCH_URL}{url_quote(address)}"
                if parcel.recipient_street or parcel.recipient_city
                else False
            )

    @api.depends("recipient_phone", "recipient_country_id")
    def _compute_recipient_phone_invalid(self):
        for parcel in self:
            parcel.recipient_phone_invalid = bool(parcel.recipient_phone) and not (
                parcel._tms_phone_is_valid(
                    parcel.recipient_phone, parcel.recipient_country_id
                )
            )

    @api.depends(
        "company_id",
        "recipient_country_id",
        "recipient_state_id",
        "recipient_city",
        "recipient_zip",
    )
    def _compute_zone_id(self):
        parcels = self.filtered("recipient_country_id")
        (self - parcels).zone_id = False
        zones = self.env["tms.zone"]._find_zones(
            [
                (
                    p.company_id.id,
                    p.recipient_country_id.id,
                    p.recipient_state_id.id,
                    p.recipient_city,
                    p.recipient_zip,
                )
                for p in parcels
            ]
        )
        for parcel, zone in zip(parcels, zones, strict=True):
            parcel.zone_id = zone

    @api.depends("line_ids.weight", "line_ids.quantity")
    def _compute_weight(self):
        for parcel in self:
            if parcel.line_ids:
                parcel.weight = sum(
                    line.weight * line.quantity for line in parcel.line_ids
                )

    @api.depends("weight", "length", "width", "height", "service_id.volumetric_divisor")
    def _compute_volumetric_weight(self):
        for parcel in self:
            divisor = parcel.service_id.volumetric_divisor or DEFAULT_VOLUMETRIC_DIVISOR
            volumetric = parcel.length * parcel.width * parcel.height / divisor
            parcel.volumetric_weight = float_round(volumetric, precision_digits=3)
            parcel.chargeable_weight = max(parcel.weight, parcel.volumetric_weight)

    @api.depends("company_id")
    def _compute_cod_currency_id(self):
        for parcel in self:
            parcel.cod_currency_id = (
                parcel.cod_currency_id or parcel.company_id.currency_id
            )

    @api.depends("service_id", "date_shipping", "company_id")
    def _compute_date_promised(self):
        # parcels of one batch share services, companies and often the shipping time:
        # plan each combination on the calendar once
        promised = {}
        for parcel in self:
            if parcel.service_id and parcel.date_shipping:
                key = (parcel.service_id, parcel.company_id, parcel.date_shipping)
                if key not in promised:
                    promised[key] = parcel.service_id._compute_promised_date(
                        parcel.date_shipping, parcel.company_id
                    )
                parcel.date_promised = promised[key]

    @api.depends("event_ids")
    def _compute_event_count(self):
        counts = dict(
            self.env["tms.parcel.event"]._read_group(
                [("parcel_id", "in", self.ids)], ["parcel_id"], ["__count"]
            )
        )
        for parcel in self:
            parcel.event_count = counts.get(parcel, 0)

    def _search_tracking_number_search(self, operator, value):
        """Tracking numbers as people type or read them out: "rr 000000717 ma" finds
        RR000000717MA (the number as typed is tried too, for partial numbers)."""
        if not isinstance(value, str):
            return [("tracking_number", operator, value)]
        number = tn.normalize(value)
        if operator in expression.NEGATIVE_TERM_OPERATORS:
            return [
                "&",
                ("tracking_number", operator, value),
                ("tracking_number", operator, number),
            ]
        return [
            "|",
            ("tracking_number", operator, value),
            ("tracking_number", operator, number),
        ]

    @api.model
    def _read_group_expand_state(self, states, domain):
        """Groups by state (kanban columns) in the parcel's lifecycle order rather
        than alphabetically; only the states that hold parcels."""
        return sorted(states, key=STATE_ORDER.get)

    # ----------------------------------------------------------------------------------
    # constraints
    # ----------------------------------------------------------------------------------
    @api.constrains("weight", "length", "width", "height", "company_id")
    def _check_weight_dimensions(self):
        for parcel in self:
            max_weight = parcel.company_id.tms_max_parcel_weight
            if parcel.weight < 0 or (max_weight and parcel.weight > max_weight):
                raise ValidationError(
                    self.env._(
                        "Parcel %(parcel)s weighs %(weight)s kg: a weight must be "
                        "between 0 "
                        "and %(max)s kg.",
                        parcel=parcel.display_name,
                        weight=parcel.weight,
                        max=max_weight,
                    )
                )
            if max(parcel.length, parcel.width, parcel.height) > MAX_DIMENSION_CM:
                raise ValidationError(
                    self.env._(
                        "Parcel %(parcel)s has a side longer than %(max)s cm: check "
                        "the "
                        "dimensions (they are in centimetres).",
                        parcel=parcel.display_name,
                        max=MAX_DIMENSION_CM,
                    )
                )

    # ----------------------------------------------------------------------------------
    # CRUD
    # ----------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        initial_states = []
        for vals in vals_list:
            state = vals.pop("state", None) or "draft"
            if state not in INITIAL_STATES:
                raise ValidationError(
                    self.env._(
                        "A new parcel is draft or awaiting pickup, not %(state)s: "
                        "later states come from tracking events.",
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        ).get(state, state),
                    )
                )
            initial_states.append(state)
            self._tms_normalize_vals(vals)
        self._tms_assign_tracking_numbers(vals_list)
        for vals in vals_list:
            # the public tracking link (label QR code, notifications): set here rather
            # than by _portal_ensure_token(), which writes parcels one by one
            vals.setdefault("access_token", str(uuid.uuid4()))
        parcels = super().create(vals_list)
        now = fields.Datetime.now()
        self.env["tms.parcel.event"]._record(
            [
                {
                    "parcel_id": parcel.id,
                    "state": state,
                    "source": self.env.context.get("tms_event_source", "manual"),
                    # a parcel entered after the fact (an import, a late API call)
                    # starts
                    # its timeline when it was shipped
                    "event_date": min(parcel.date_shipping or now, now),
                    "initial": True,
                }
                for parcel, state in zip(parcels, initial_states, strict=True)
            ]
        )
        return parcels

    def write(self, vals):
        vals = dict(vals)
        new_state = None
        # only tms.parcel.event._apply_to_parcels() writes states directly, in superuser
        # mode (a context key alone could come from any RPC client)
        applying_events = self.env.su and self.env.context.get("tms_event_apply")
        if "state" in vals and not applying_events:
            new_state = vals.pop("state")
        if "tracking_number" in vals:
            raise UserError(self.env._("A tracking number cannot be changed."))
        self._tms_normalize_vals(vals)
        result = super().write(vals) if vals else True
        if new_state:
            # A state set by hand (a form, an import) is a manual event like any other:
            # it follows the allowed transitions and lands in the timeline.
            self._set_state(new_state, source="manual")
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(parcel.state != "draft" for parcel in self):
            raise UserError(
                self.env._(
                    "Only draft parcels can be deleted; cancel the others instead. "
                    "Their "
                    "tracking numbers stay reserved."
                )
            )

    def copy_data(self, default=None):
        default = dict(default or {})
        default.setdefault("state", "draft")
        return super().copy_data(default)

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_confirm(self):
        self._set_state("confirmed", source="manual")

    def action_cancel(self):
        self._set_state("cancelled", source="manual")

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_parcel_event_action"
        )
        action["domain"] = [("parcel_id", "=", self.id)]
        action["context"] = {"default_parcel_id": self.id}
        return action

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    def _set_state(self, state, **event_vals):
        """Move each parcel of ``self`` to ``state`` by recording one event each."""
        return self.env["tms.parcel.event"]._record(
            [dict(event_vals, parcel_id=parcel.id, state=state) for parcel in self]
        )

    def _tms_public_tracking_url(self):
        """The public tracking page of the parcel, opened by its access token (not a
        guessable id): what label QR codes and notifications link to."""
        self.ensure_one()
        return f"{self.get_base_url()}/track/{self._portal_ensure_token()}"

    @api.model
    def _tms_parse_tracking_number(self, number):
        """Check a tracking number that comes from outside (scan, API, import).

        Return it normalised; raise a :class:`UserError` saying what is wrong.
        """
        try:
            return tn.parse(number)[1]
        except tn.TrackingNumberError as error:
            if error.code == "check_digit":
                raise UserError(
                    self.env._(
                        "%(number)s has a wrong check digit: check the number for a "
                        "typing "
                        "or reading error.",
                        number=tn.normalize(number),
                    )
                ) from error
            raise UserError(
                self.env._(
                    "%(number)s is not a tracking number: expected two letters, nine "
                    "digits and a country code (like RR123456785MA), or a numeric "
                    "number "
                    "with its check digit.",
                    number=tn.normalize(number) or self.env._("(empty)"),
                )
            ) from error

    @api.model
    def _tms_find_by_tracking_number(self, number):
        """Return the parcel (visible to the user) with this tracking number, checked
        and
        normalised first; an empty recordset when there is none."""
        number = self._tms_parse_tracking_number(number)
        return self.search([("tracking_number", "=", number)], limit=1)

    @api.model
    def _tms_tracking_setting_error(self, error):
        """What is wrong in the settings a tracking number is built from, translated
        (the error of tools/tracking_number.py names the part)."""
        messages = {
            "indicator": self.env._(
                "the S10 service indicator must be two letters (like RR)."
            ),
            "country": self.env._(
                "the S10 country code must be two letters (set the company's country)."
            ),
            "serial": self.env._(
                "the serial is out of range (S10 serials have at most 8 digits)."
            ),
            "prefix": self.env._("a numeric prefix holds digits only."),
        }
        return messages.get(error.part, error.message)

    @api.model
    def _tms_phone_is_valid(self, number, country):
        try:
            self._tms_format_phone(number, country, strict=True)
        except UserError:
            return False
        return True

    @api.model
    def _tms_format_phone(self, number, country, strict=True):
        """Return ``number`` in E.164. An invalid number raises a :class:`UserError`
        when ``strict``, else comes back as it was."""
        if not number:
            return number
        country = country or self.env.company.country_id
        return _e164(number, country.code, country.phone_code, strict)

    @api.model
    def _tms_normalize_vals(self, vals):
        if vals.get("recipient_phone"):
            country = self.env["res.country"].browse(vals.get("recipient_country_id"))
            if not country and len(self) == 1:
                country = self.recipient_country_id
            vals["recipient_phone"] = self._tms_format_phone(
                vals["recipient_phone"], country, strict=False
            )
        if vals.get("tracking_number"):
            vals["tracking_number"] = self._tms_parse_tracking_number(
                vals["tracking_number"]
            )

    @api.model
    def _tms_next_serials(self, sequence, count):
        """Take ``count`` numbers of ``sequence`` at once (one query for a standard
        sequence, instead of one per parcel)."""
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _i in range(count)]
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            [f"ir_sequence_{sequence.id:03d}", count],
        )
        return [sequence.get_next_char(row[0]) for row in self.env.cr.fetchall()]

    @api.model
    def _tms_assign_tracking_numbers(self, vals_list):
        """Give a new tracking number to each ``vals`` without one, from the company's
        format and sequence (one sequence lookup per company, not per parcel)."""
        todo = [vals for vals in vals_list if not vals.get("tracking_number")]
        if not todo:
            return
        services = self.env["tms.service"].browse(
            {vals["service_id"] for vals in todo if vals.get("service_id")}
        )
        indicator_by_service = {s.id: s.s10_service_indicator for s in services}
        by_company = defaultdict(list)
        for vals in todo:
            by_company[vals.get("company_id") or self.env.company.id].append(vals)
        Sequence = self.env["ir.sequence"]
        for company_id, company_vals in by_company.items():
            company = self.env["res.company"].browse(company_id)
            sequence = Sequence.with_company(company).search(
                [
                    ("code", "=", "tms.parcel.tracking"),
                    ("company_id", "in", [company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
            if not sequence:
                raise UserError(
                    self.env._(
                        "No tracking number sequence (code tms.parcel.tracking) "
                        "exists for "
                        "%(company)s.",
                        company=company.display_name,
                    )
                )
            country_code = company._tms_s10_country_code()
            serials = self._tms_next_serials(sequence.sudo(), len(company_vals))
            for vals, serial in zip(company_vals, serials, strict=True):
                try:
                    if company.tms_tracking_format == "luhn":
                        number = tn.luhn_make(company.tms_luhn_prefix, serial)
                    else:
                        indicator = (
                            indicator_by_service.get(vals.get("service_id"))
                            or company.tms_s10_service_indicator
                        )
                        number = tn.s10_make(indicator, serial, country_code)
                except tn.TrackingNumberError as error:
                    raise UserError(
                        self.env._(
                            "Cannot make a tracking number for %(company)s: %(error)s "
                            "Check the company's country and its tracking number "
                            "settings.",
                            company=company.display_name,
                            error=self._tms_tracking_setting_error(error),
                        )
                    ) from error
                vals["tracking_number"] = number
