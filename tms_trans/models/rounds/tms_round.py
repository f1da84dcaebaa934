# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A delivery round: a day, a depot hub, a vehicle, a driver, a shift and ordered
stops. Its planned times and kilometres are estimated from the stops' order
(``_tms_schedule``) whenever the stops change; the optimisation runs
(``../optimization/``) propose a better order."""

from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

ROUND_STATES = [
    ("draft", "Draft"),
    ("planned", "Planned"),
    ("started", "Started"),
    ("done", "Finished"),
    ("cancel", "Cancelled"),
]
# rounds whose stops may still be moved, reordered or optimised
OPEN_STATES = ("draft", "planned")


def float_to_time(hours):
    """7.5 -> time(7, 30); 24 and more is the last second of the day."""
    if hours >= 24:
        return time(23, 59, 59)
    minutes = round(max(hours, 0.0) * 60)
    return time(minutes // 60, minutes % 60)


class TmsRound(models.Model):
    _name = "tms.round"
    _description = "Delivery Round"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        required=True,
        default=lambda self: self._tms_today(),
        index=True,
        tracking=True,
    )
    hub_id = fields.Many2one(
        "tms.hub",
        string="Depot",
        required=True,
        check_company=True,
        index=True,
        tracking=True,
        help="Where the round starts and ends.",
    )
    vehicle_id = fields.Many2one(
        "fleet.vehicle", check_company=True, tracking=True, index="btree_not_null"
    )
    driver_id = fields.Many2one(
        "res.users",
        string="Driver",
        tracking=True,
        index="btree_not_null",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("tms_core.group_tms_driver").id)
        ],
        help="The driver sees this round, its stops and its parcels on his phone.",
    )
    shift_start = fields.Float(default=8.0, help="Start of the shift (local time).")
    shift_end = fields.Float(default=18.0, help="End of the shift (local time).")
    break_start = fields.Float(
        default=12.0, help="The break starts within the hour after this time."
    )
    break_duration = fields.Float(default=1.0)
    state = fields.Selection(
        ROUND_STATES,
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    stop_ids = fields.One2many("tms.round.stop", "round_id", string="Stops")
    parcel_ids = fields.Many2many(
        "tms.parcel", compute="_compute_parcel_ids", string="Parcels"
    )
    color = fields.Integer(help="The round's colour on the map and in the kanban.")
    note = fields.Html()
    stop_count = fields.Integer(compute="_compute_totals", string="Stops ")
    parcel_count = fields.Integer(compute="_compute_totals")
    weight = fields.Float(compute="_compute_totals", string="Weight (kg)")
    volume = fields.Float(
        compute="_compute_totals", string="Volume (m³)", digits=(16, 3)
    )
    cod_total = fields.Monetary(
        compute="_compute_totals", string="COD to Collect", currency_field="currency_id"
    )
    load_weight_pct = fields.Float(compute="_compute_totals", string="Load (weight %)")
    load_volume_pct = fields.Float(compute="_compute_totals", string="Load (volume %)")
    stop_done_count = fields.Integer(compute="_compute_totals", string="Delivered")
    stop_failed_count = fields.Integer(compute="_compute_totals", string="Failed")
    stop_left_count = fields.Integer(compute="_compute_totals", string="Left")
    late_count = fields.Integer(compute="_compute_totals", string="Late Stops")
    distance_km = fields.Float(
        string="Distance (km)",
        readonly=True,
        digits=(16, 1),
        help="Estimated from the stops' order, depot to depot.",
    )
    duration_hours = fields.Float(
        string="Duration", readonly=True, help="Planned time from start to return."
    )
    co2_kg = fields.Float(
        string="CO2 (kg)",
        compute="_compute_co2_kg",
        store=True,
        digits=(16, 1),
        help="Distance times the vehicle's CO2 emissions (or the company's default).",
    )
    date_start = fields.Datetime(string="Planned Start", readonly=True)
    date_end = fields.Datetime(string="Planned Return", readonly=True)
    date_started = fields.Datetime(string="Started On", readonly=True, copy=False)
    date_done = fields.Datetime(string="Finished On", readonly=True, copy=False)

    _sql_constraints = [
        (
            "shift_check",
            "CHECK(shift_start >= 0 AND shift_end <= 24 AND shift_start < shift_end)",
            "The shift must start before it ends, within the day.",
        ),
    ]

    @api.depends("stop_ids.parcel_ids")
    def _compute_parcel_ids(self):
        for tms_round in self:
            tms_round.parcel_ids = tms_round.stop_ids.parcel_ids

    @api.depends(
        "stop_ids.parcel_ids.weight",
        "stop_ids.volume",
        "stop_ids.cod_amount",
        "stop_ids.state",
        "stop_ids.is_late",
        "vehicle_id.category_id",
    )
    def _compute_totals(self):
        for tms_round in self:
            stops = tms_round.stop_ids
            tms_round.stop_count = len(stops)
            tms_round.parcel_count = sum(stops.mapped("parcel_count"))
            tms_round.weight = sum(stops.mapped("weight"))
            tms_round.volume = sum(stops.mapped("volume"))
            tms_round.cod_total = sum(stops.mapped("cod_amount"))
            category = tms_round.vehicle_id.category_id
            tms_round.load_weight_pct = (
                100.0 * tms_round.weight / category.weight_capacity
                if category.weight_capacity
                else 0.0
            )
            tms_round.load_volume_pct = (
                100.0 * tms_round.volume / category.volume_capacity
                if category.volume_capacity
                else 0.0
            )
            states = stops.mapped("state")
            tms_round.stop_done_count = states.count("done") + states.count("partial")
            tms_round.stop_failed_count = states.count("failed")
            tms_round.stop_left_count = states.count("pending")
            tms_round.late_count = len(stops.filtered("is_late"))

    @api.depends("distance_km", "vehicle_id.co2", "company_id.tms_co2_per_km")
    def _compute_co2_kg(self):
        for tms_round in self:
            grams = tms_round.vehicle_id.co2 or tms_round.company_id.tms_co2_per_km
            tms_round.co2_kg = tms_round.distance_km * grams / 1000.0

    @api.constrains("break_start", "break_duration", "shift_start", "shift_end")
    def _check_break(self):
        for tms_round in self:
            if tms_round.break_duration < 0 or (
                tms_round.break_duration
                and not (
                    tms_round.shift_start <= tms_round.break_start < tms_round.shift_end
                )
            ):
                raise ValidationError(
                    self.env._(
                        "Round %(round)s: the break must start during the shift.",
                        round=tms_round.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("tms.round")
                    or "/"
                )
        rounds = super().create(vals_list)
        for tms_round in rounds.filtered(lambda r: not r.color):
            tms_round.color = tms_round.id % 11 + 1
        rounds._tms_schedule()
        return rounds

    def write(self, vals):
        result = super().write(vals)
        if {"shift_start", "hub_id", "date", "break_start", "break_duration"} & set(
            vals
        ):
            self._tms_schedule()
        if "driver_id" in vals:
            self.filtered(lambda r: r.state in ("planned", "started"))._tms_set_driver()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(r.state not in ("draft", "cancel") for r in self):
            raise UserError(
                self.env._("Only draft or cancelled rounds can be deleted.")
            )

    def unlink(self):
        # the stops go back to the pool of stops to plan instead of disappearing
        self.stop_ids.write({"round_id": False, "locked": False})
        return super().unlink()

    def action_plan(self):
        for tms_round in self:
            if tms_round.state != "draft":
                continue
            if not tms_round.stop_ids:
                raise UserError(
                    self.env._(
                        "Round %(round)s has no stop to plan.",
                        round=tms_round.display_name,
                    )
                )
            if not tms_round.vehicle_id or not tms_round.driver_id:
                raise UserError(
                    self.env._(
                        "Round %(round)s needs a vehicle and a driver.",
                        round=tms_round.display_name,
                    )
                )
        rounds = self.filtered(lambda r: r.state == "draft")
        rounds.write({"state": "planned"})
        rounds._tms_set_driver()
        return True

    def action_start(self):
        self.filtered(lambda r: r.state in OPEN_STATES).write(
            {"state": "started", "date_started": fields.Datetime.now()}
        )
        return True

    def action_finish(self):
        self.filtered(lambda r: r.state == "started").write(
            {"state": "done", "date_done": fields.Datetime.now()}
        )
        return True

    def action_cancel(self):
        if any(r.state == "done" for r in self):
            raise UserError(self.env._("A finished round cannot be cancelled."))
        # the stops left go back to the pool, to be planned on another round
        self.stop_ids.filtered(lambda s: s.state == "pending").write(
            {"round_id": False, "locked": False}
        )
        self.write({"state": "cancel"})
        return True

    def action_draft(self):
        self.filtered(lambda r: r.state in ("planned", "cancel")).write(
            {"state": "draft"}
        )
        return True

    def action_optimize(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Optimise Rounds"),
            "res_model": "tms.round.optimize.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_round_ids": self.ids},
        }

    def action_view_stops(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_trans.tms_round_stop_action"
        )
        action["domain"] = [("round_id", "in", self.ids)]
        action["context"] = {"default_round_id": self.id if len(self) == 1 else False}
        return action

    def _tms_set_driver(self):
        """The round's parcels go to its driver, who then sees them in the app."""
        for tms_round in self:
            parcels = tms_round.stop_ids.parcel_ids.filtered(
                lambda p, r=tms_round: p.driver_id != r.driver_id
            )
            # sudo: a dispatcher may plan rounds without the right to edit parcels by
            # hand; the driver of a parcel follows the round he checked.
            parcels.sudo().write({"driver_id": tms_round.driver_id.id})

    @api.model
    def _tms_today(self):
        """Today where the current company works (its contact's time zone, else its
        working calendar's, else the user's): the day of its rounds, the same for a
        dispatcher and a driver whose own time zone is not set."""
        # sudo: a time zone name, also for drivers who may not read calendars
        company = self.env.company.sudo()
        name = (
            company.partner_id.tz
            or company.resource_calendar_id.tz
            or self.env.user.tz
            or "UTC"
        )
        return datetime.now(pytz.timezone(name)).date()

    def _tms_tz(self):
        self.ensure_one()
        name = (
            self.hub_id.partner_id.tz
            or self.company_id.partner_id.tz
            or self.env.user.tz
            or "UTC"
        )
        return pytz.timezone(name)

    def _tms_day_start(self):
        """Midnight of the round's day in its local time, as a UTC datetime."""
        self.ensure_one()
        local = self._tms_tz().localize(datetime.combine(self.date, time()))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _tms_to_datetime(self, seconds):
        """Seconds from the local day start -> a naive UTC datetime."""
        self.ensure_one()
        local = self._tms_tz().localize(datetime.combine(self.date, time()))
        return (
            (local + timedelta(seconds=seconds))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )

    def _tms_to_seconds(self, value):
        """A naive UTC datetime -> seconds from the round's local day start."""
        self.ensure_one()
        return int((value - self._tms_day_start()).total_seconds())

    def _tms_depot_location(self):
        self.ensure_one()
        hub = self.hub_id
        if not hub.latitude and not hub.longitude:
            return None
        from ...tools.vrp.problem import Location

        return Location(hub.latitude, hub.longitude)

    def _tms_schedule(self):
        """Estimate the planned arrival of every stop in its current order, the
        distance and the return to the depot; stops without coordinates keep no
        planned time and add nothing."""
        from ...tools.vrp import matrix as vrp_matrix
        from ...tools.vrp.problem import Location

        for tms_round in self:
            stops = tms_round.stop_ids.sorted(lambda s: (s.sequence, s.id))
            located = stops.filtered(lambda s: s.coordinate_source != "none")
            start = int(tms_round.shift_start * 3600)
            depot = tms_round._tms_depot_location()
            vals = {
                "date_start": tms_round._tms_to_datetime(start),
                "date_end": False,
                "distance_km": 0.0,
                "duration_hours": 0.0,
            }
            if depot is None or not located:
                (stops - located).write(
                    {"planned_arrival": False, "planned_departure": False}
                )
                tms_round.write(vals)
                continue
            points = [depot] + [Location(s.latitude, s.longitude) for s in located]
            built = vrp_matrix.build(
                points, **tms_round.company_id._tms_matrix_options()
            )
            clock, distance, previous = start, 0, 0
            break_left = int(tms_round.break_duration * 3600)
            break_at = int(tms_round.break_start * 3600)
            for index, stop in enumerate(located, start=1):
                clock += built.duration[previous][index]
                distance += built.distance[previous][index]
                if break_left and clock >= break_at:
                    clock += break_left
                    break_left = 0
                if stop.window_start:
                    clock = max(clock, tms_round._tms_to_seconds(stop.window_start))
                departure = clock + int(stop.service_minutes * 60)
                stop.write(
                    {
                        "planned_arrival": tms_round._tms_to_datetime(clock),
                        "planned_departure": tms_round._tms_to_datetime(departure),
                    }
                )
                clock, previous = departure, index
            clock += built.duration[previous][0]
            distance += built.distance[previous][0]
            (stops - located).write(
                {"planned_arrival": False, "planned_departure": False}
            )
            vals.update(
                date_end=tms_round._tms_to_datetime(clock),
                distance_km=distance / 1000.0,
                duration_hours=(clock - start) / 3600.0,
            )
            tms_round.write(vals)

    @api.model
    def _tms_driver_user(self, partner):
        """The TMS driver (a user) behind a fleet driver (a contact), if any."""
        if not partner:
            return self.env["res.users"]
        return self.env["res.users"].search(
            [
                ("partner_id", "=", partner.id),
                ("groups_id", "in", self.env.ref("tms_core.group_tms_driver").id),
            ],
            limit=1,
        )
