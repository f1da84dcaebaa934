# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A stop: one address of a round where one or several parcels are delivered or
picked up. A stop without a round is in the pool of stops to plan."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .tms_round import OPEN_STATES

UNASSIGNED_REASONS = [
    ("no_location", "No coordinates"),
    ("window", "Time window cannot be met"),
    ("capacity", "Vehicle capacity exceeded"),
    ("shift", "Outside the driver's shift"),
    ("locked", "Locked position cannot be kept"),
    ("cost", "Too costly to serve"),
]
COORDINATE_SOURCES = [
    ("partner", "Contact"),
    ("geolocation", "Geolocation"),
    ("previous_delivery", "Earlier delivery"),
    ("none", "None"),
]
# parcel states in which the stop's work for that parcel is over
DONE_STATES = ("delivered",)
FAILED_STATES = ("failed", "returning", "returned", "cancelled", "lost", "exception")


class TmsRoundStop(models.Model):
    _name = "tms.round.stop"
    _description = "Round Stop"
    _order = "round_id, sequence, id"
    _check_company_auto = True

    round_id = fields.Many2one(
        "tms.round",
        string="Round",
        index=True,
        ondelete="set null",
        check_company=True,
        group_expand="_read_group_round_id",
        help="Empty: the stop waits in the pool of stops to plan.",
    )
    round_state = fields.Selection(related="round_id.state", string="Round Status")
    round_color = fields.Integer(related="round_id.color")
    date = fields.Date(required=True, index=True)
    hub_id = fields.Many2one(
        "tms.hub", string="Depot", required=True, check_company=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    sequence = fields.Integer(default=10)
    locked = fields.Boolean(
        help="The optimisation keeps a locked stop on its round at its position."
    )
    kind = fields.Selection(
        [("delivery", "Delivery"), ("pickup", "Pickup")],
        default="delivery",
        required=True,
    )
    partner_id = fields.Many2one("res.partner", string="Address", index=True)
    contact_name = fields.Char(string="Contact")
    phone = fields.Char()
    street = fields.Char()
    city = fields.Char()
    zip = fields.Char()
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    coordinate_source = fields.Selection(
        COORDINATE_SOURCES,
        default="none",
        required=True,
        help="Where the coordinates come from. A stop without coordinates cannot be "
        "optimised and is never placed at (0, 0).",
    )
    parcel_ids = fields.One2many("tms.parcel", "round_stop_id", string="Parcels")
    parcel_count = fields.Integer(compute="_compute_parcel_totals", store=True)
    weight = fields.Float(
        compute="_compute_parcel_totals", store=True, string="Weight (kg)"
    )
    volume = fields.Float(
        compute="_compute_parcel_totals",
        store=True,
        string="Volume (m³)",
        digits=(16, 3),
    )
    cod_amount = fields.Monetary(
        compute="_compute_parcel_totals",
        store=True,
        string="COD",
        currency_field="currency_id",
    )
    window_start = fields.Datetime(help="Earliest arrival.")
    window_end = fields.Datetime(help="Latest arrival.")
    service_minutes = fields.Float(
        string="Service (min)",
        default=lambda self: self.env.company.tms_stop_service_minutes,
    )
    instructions = fields.Text()
    planned_arrival = fields.Datetime(readonly=True)
    planned_departure = fields.Datetime(readonly=True)
    state = fields.Selection(
        [
            ("pending", "To Do"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("partial", "Partly Done"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )
    is_late = fields.Boolean(
        compute="_compute_is_late",
        search="_search_is_late",
        string="Late",
        help="Planned after its time window, or the window is over and the stop is "
        "still to do.",
    )
    unassigned_reason = fields.Selection(
        UNASSIGNED_REASONS,
        help="Why the last optimisation could not place this stop on a round.",
    )

    @api.depends(
        "parcel_ids.weight",
        "parcel_ids.length",
        "parcel_ids.width",
        "parcel_ids.height",
        "parcel_ids.cod_amount",
    )
    def _compute_parcel_totals(self):
        for stop in self:
            parcels = stop.parcel_ids
            stop.parcel_count = len(parcels)
            stop.weight = sum(parcels.mapped("weight"))
            stop.volume = sum(p.length * p.width * p.height for p in parcels) / 1e6
            stop.cod_amount = sum(parcels.mapped("cod_amount"))

    @api.depends("parcel_ids.state")
    def _compute_state(self):
        for stop in self:
            states = stop.parcel_ids.mapped("state")
            if not states or any(s not in DONE_STATES + FAILED_STATES for s in states):
                stop.state = "pending"
            elif all(s in DONE_STATES for s in states):
                stop.state = "done"
            elif all(s in FAILED_STATES for s in states):
                stop.state = "failed"
            else:
                stop.state = "partial"

    @api.depends("planned_arrival", "window_end", "state")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for stop in self:
            stop.is_late = bool(
                stop.window_end
                and (
                    (stop.planned_arrival and stop.planned_arrival > stop.window_end)
                    or (stop.state == "pending" and now > stop.window_end)
                )
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on late stops."))
        now = fields.Datetime.now()
        self.flush_model(["planned_arrival", "window_end", "state"])
        self.env.cr.execute(
            """SELECT id FROM tms_round_stop
                WHERE window_end IS NOT NULL
                  AND (planned_arrival > window_end
                       OR (state = 'pending' AND window_end < %s))""",
            (now,),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        """A stop added by hand takes the contact's address and coordinates."""
        partner = self.partner_id
        if not partner:
            return
        self.contact_name = partner.name
        self.phone = partner.mobile or partner.phone
        self.street = partner.street
        self.city = partner.city
        self.zip = partner.zip
        if partner.partner_latitude or partner.partner_longitude:
            self.latitude = partner.partner_latitude
            self.longitude = partner.partner_longitude
            self.coordinate_source = "partner"

    @api.model
    def _read_group_round_id(self, rounds, domain):
        """The kanban of stops shows a column for every open round of the day even
        when it has no stop yet, so that stops can be dragged onto it."""
        day = self.env.context.get("tms_round_date") or rounds._tms_today()
        extra = [("date", "=", day), ("state", "in", OPEN_STATES)]
        if self.env.context.get("tms_hub_id"):
            extra.append(("hub_id", "=", self.env.context["tms_hub_id"]))
        return rounds | rounds.search(extra)

    def _compute_display_name(self):
        for stop in self:
            stop.display_name = " - ".join(
                part for part in (stop.contact_name, stop.street, stop.city) if part
            ) or self.env._("Stop %(id)s", id=stop.id)

    @api.model_create_multi
    def create(self, vals_list):
        Round = self.env["tms.round"]
        for vals in vals_list:
            if vals.get("round_id"):
                tms_round = Round.browse(vals["round_id"])
                vals.setdefault("date", tms_round.date)
                vals.setdefault("hub_id", tms_round.hub_id.id)
                vals.setdefault("company_id", tms_round.company_id.id)
        stops = super().create(vals_list)
        stops.round_id._tms_schedule()
        return stops

    def write(self, vals):
        if self.env.context.get("tms_no_schedule"):
            # an optimisation being applied: checked and scheduled by its caller
            return super().write(vals)
        moving = "round_id" in vals
        if moving or "sequence" in vals:
            self._tms_check_movable(vals)
        before = self.round_id
        if moving:
            target = self.env["tms.round"].browse(vals["round_id"])
            if target:
                vals = dict(vals, date=target.date, hub_id=target.hub_id.id)
            if "unassigned_reason" not in vals:
                vals["unassigned_reason"] = False
        result = super().write(vals)
        if moving or "sequence" in vals:
            (before | self.round_id)._tms_schedule()
        if moving:
            # the parcels of a stop moved to a planned round go to its driver
            self.round_id.filtered(
                lambda r: r.state in ("planned", "started")
            )._tms_set_driver()
        return result

    def _tms_check_movable(self, vals):
        """Stops still to do may be reordered on a round not finished yet, and moved
        between rounds of the same depot that are not finished yet."""
        live = OPEN_STATES + ("started",)
        target = self.env["tms.round"].browse(vals.get("round_id") or [])
        for stop in self:
            if stop.state != "pending" or (
                stop.round_id and stop.round_id.state not in live
            ):
                raise UserError(
                    self.env._(
                        "Stop %(stop)s cannot be moved: it is done, or its round is "
                        "finished or cancelled.",
                        stop=stop.display_name,
                    )
                )
        if target and target.state not in live:
            raise UserError(
                self.env._(
                    "Round %(round)s is finished or cancelled.",
                    round=target.display_name,
                )
            )
        if target and any(
            s.hub_id != target.hub_id or s.company_id != target.company_id for s in self
        ):
            raise UserError(
                self.env._("A stop can only move to a round of the same depot.")
            )

    def action_toggle_lock(self):
        for stop in self:
            stop.locked = not stop.locked
        return True
