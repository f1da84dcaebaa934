# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""An optimisation run over one or several rounds of a depot and a day: a background
job maps the rounds to the pure solver (``tools/vrp``), keeps its proposal and the
before/after figures; the user applies it or discards it. The rounds do not change
until the proposal is applied."""

import logging
import time

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..rounds.tms_round import OPEN_STATES

_logger = logging.getLogger(__name__)

BACKENDS = [("ortools", "OR-Tools"), ("pyvrp", "PyVRP")]


class TmsRoundOptimization(models.Model):
    _name = "tms.round.optimization"
    _description = "Round Optimisation"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    round_ids = fields.Many2many(
        "tms.round", string="Rounds", required=True, check_company=True
    )
    hub_id = fields.Many2one("tms.hub", string="Depot", check_company=True)
    date = fields.Date()
    time_budget = fields.Integer(
        string="Time Budget (s)",
        default=30,
        help="How long the solver searches for a better plan.",
    )
    backend = fields.Selection(
        BACKENDS, string="Solver", default="pyvrp", required=True
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Ready"),
            ("failed", "Failed"),
            ("applied", "Applied"),
            ("discarded", "Discarded"),
        ],
        default="queued",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    progress = fields.Float(
        string="Progress (%)",
        readonly=True,
        copy=False,
        help="The share of the time budget spent; the form follows it while the "
        "solver runs.",
    )
    progress_distance_km = fields.Float(
        string="Best Distance (km)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Kilometres of the best plan found so far.",
    )
    progress_served_count = fields.Integer(
        string="Stops Served", readonly=True, copy=False
    )
    progress_unassigned_count = fields.Integer(
        string="Stops Left Out", readonly=True, copy=False
    )
    progress_summary = fields.Char(compute="_compute_progress_summary")
    before_distance_km = fields.Float(string="Distance Before (km)", digits=(16, 1))
    before_duration_hours = fields.Float(string="Hours Before")
    before_vehicle_count = fields.Integer(string="Vehicles Before")
    before_co2_kg = fields.Float(string="CO2 Before (kg)", digits=(16, 1))
    after_distance_km = fields.Float(string="Distance After (km)", digits=(16, 1))
    after_duration_hours = fields.Float(string="Hours After")
    after_vehicle_count = fields.Integer(string="Vehicles After")
    after_co2_kg = fields.Float(string="CO2 After (kg)", digits=(16, 1))
    result = fields.Json(readonly=True, copy=False)
    unassigned_count = fields.Integer(readonly=True, copy=False)
    unassigned_summary = fields.Html(
        compute="_compute_unassigned_summary", sanitize=False
    )
    matrix_source = fields.Selection(
        [("haversine", "Estimated (straight line)"), ("osrm", "OSRM road network")],
        readonly=True,
    )
    matrix_note = fields.Char(readonly=True)
    solver_status = fields.Char(readonly=True)
    elapsed = fields.Float(string="Solver Time (s)", readonly=True)
    error = fields.Text(readonly=True, copy=False)

    @api.depends("round_ids", "date", "hub_id")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "%(hub)s, %(date)s (%(count)s rounds)",
                hub=run.hub_id.display_name or "",
                date=run.date or "",
                count=len(run.round_ids),
            )

    @api.depends(
        "progress_distance_km",
        "progress_served_count",
        "progress_unassigned_count",
        "elapsed",
    )
    def _compute_progress_summary(self):
        for run in self:
            if not run.progress_served_count and not run.progress_unassigned_count:
                run.progress_summary = False
                continue
            km = f"{run.progress_distance_km:.1f}"
            run.progress_summary = self.env._(
                "Best plan so far: %(km)s km, %(served)s stops served, %(left)s left "
                "out (after %(seconds)s s).",
                km=km,
                served=run.progress_served_count,
                left=run.progress_unassigned_count,
                seconds=round(run.elapsed),
            )

    @api.depends("result")
    def _compute_unassigned_summary(self):
        labels = dict(
            self.env["tms.round.stop"]
            ._fields["unassigned_reason"]
            ._description_selection(self.env)
        )
        for run in self:
            unassigned = (run.result or {}).get("unassigned") or {}
            stops = (
                self.env["tms.round.stop"]
                .browse([int(stop_id) for stop_id in unassigned])
                .exists()
            )
            if not stops:
                run.unassigned_summary = False
                continue
            rows = Markup("").join(
                Markup("<li>%s: %s</li>")
                % (
                    escape(stop.display_name),
                    labels.get(unassigned[str(stop.id)], unassigned[str(stop.id)]),
                )
                for stop in stops
            )
            run.unassigned_summary = Markup("<ul>%s</ul>") % rows

    @api.model
    def _tms_start(self, rounds, time_budget=30, backend="pyvrp"):
        """Create a run for these rounds and queue its job."""
        if not rounds:
            raise UserError(self.env._("Select the rounds to optimise."))
        if len(rounds.hub_id) != 1 or len(set(rounds.mapped("date"))) != 1:
            raise UserError(
                self.env._("Rounds optimised together share one depot and one day.")
            )
        if any(r.state not in OPEN_STATES for r in rounds):
            raise UserError(
                self.env._("Only draft or planned rounds can be optimised.")
            )
        if not rounds.hub_id.latitude and not rounds.hub_id.longitude:
            raise UserError(
                self.env._(
                    "Depot %(hub)s has no coordinates: set its latitude and longitude.",
                    hub=rounds.hub_id.display_name,
                )
            )
        run = self.create(
            {
                "company_id": rounds.company_id.id,
                "round_ids": [fields.Command.set(rounds.ids)],
                "hub_id": rounds.hub_id.id,
                "date": rounds[0].date,
                "time_budget": max(1, int(time_budget)),
                "backend": backend,
            }
        )
        run._tms_store_before()
        run.with_delay(
            description=self.env._(
                "Optimise rounds %(rounds)s", rounds=", ".join(rounds.mapped("name"))
            )
        )._tms_run()
        return run

    def _tms_store_before(self):
        for run in self:
            rounds = run.round_ids
            run.write(
                {
                    "before_distance_km": sum(rounds.mapped("distance_km")),
                    "before_duration_hours": sum(rounds.mapped("duration_hours")),
                    "before_vehicle_count": len(rounds.filtered("stop_ids")),
                    "before_co2_kg": sum(rounds.mapped("co2_kg")),
                }
            )

    def _tms_pool_stops(self):
        """Stops of the depot and day not on any round yet: the run may place them."""
        self.ensure_one()
        return self.env["tms.round.stop"].search(
            [
                ("round_id", "=", False),
                ("hub_id", "=", self.hub_id.id),
                ("date", "=", self.date),
                ("state", "=", "pending"),
            ]
        )

    def _tms_problem(self):
        """The rounds as the solver's vehicles and stops (ids: round and stop ids)."""
        from ...tools.vrp.problem import Location, Stop, Vehicle

        self.ensure_one()
        rounds = self.round_ids
        first = rounds[0]
        depot = first._tms_depot_location()
        vehicles, stops = [], []
        for tms_round in rounds:
            category = tms_round.vehicle_id.category_id
            break_window = None
            break_duration = int(tms_round.break_duration * 3600)
            if break_duration:
                begin = int(tms_round.break_start * 3600)
                break_window = (begin, begin + break_duration + 3600)
            vehicles.append(
                Vehicle(
                    id=tms_round.id,
                    start=depot,
                    max_weight=category.weight_capacity or None,
                    max_volume=category.volume_capacity or None,
                    shift=(
                        int(tms_round.shift_start * 3600),
                        int(tms_round.shift_end * 3600),
                    ),
                    break_window=break_window,
                    break_duration=break_duration,
                )
            )
            rank = 0
            for stop in tms_round.stop_ids.sorted(lambda s: (s.sequence, s.id)):
                if stop.state != "pending":
                    continue
                rank += 1
                stops.append(
                    self._tms_problem_stop(
                        stop,
                        first,
                        Stop,
                        Location,
                        tms_round if stop.locked else None,
                        rank if stop.locked else None,
                    )
                )
        for stop in self._tms_pool_stops():
            stops.append(self._tms_problem_stop(stop, first, Stop, Location))
        return stops, vehicles

    def _tms_problem_stop(self, stop, day, Stop, Location, locked=None, rank=None):
        location = (
            Location(stop.latitude, stop.longitude)
            if stop.coordinate_source != "none"
            else None
        )
        window = None
        if stop.window_start or stop.window_end:
            window = (
                day._tms_to_seconds(stop.window_start) if stop.window_start else 0,
                day._tms_to_seconds(stop.window_end) if stop.window_end else 86400,
            )
        return Stop(
            id=stop.id,
            location=location,
            kind=stop.kind,
            weight=stop.weight,
            volume=stop.volume,
            count=max(stop.parcel_count, 1),
            window=window,
            service=int(stop.service_minutes * 60),
            vehicle=locked.id if locked else None,
            rank=rank,
        )

    def _tms_run(self):
        """Job: solve, store the proposal and its figures. A failure is recorded on
        the run (the user sees why) rather than retried: the same input fails again.

        The run's row is written only in short transactions of their own (its state,
        its progress while the solver searches, its result), never in the job's
        transaction: the form shows the progress at once, and the job's final write
        cannot collide with a progress update committed meanwhile."""
        from ...tools.vrp import matrix as vrp_matrix
        from ...tools.vrp import nodes, solver

        self.ensure_one()
        if self.state != "queued":
            return
        self._tms_write_apart({"state": "running", "progress": 0.0})
        try:
            stops, vehicles = self._tms_problem()
            options = self.company_id._tms_matrix_options()
            built = vrp_matrix.build(nodes.points(stops, vehicles), **options)
            solution = solver.solve(
                stops,
                vehicles,
                built,
                time_limit=self.time_budget,
                backend=self.backend,
                progress=self._tms_progress_callback(),
            )
            vals = self._tms_solution_vals(solution, built)
        except Exception as error:  # noqa: BLE001 - shown on the run, never lost
            _logger.exception("Optimisation %s failed", self.id)
            vals = {"state": "failed", "error": str(error) or repr(error)}
        self._tms_write_apart(vals)

    def _tms_write_apart(self, vals):
        """Write on the run in a transaction of its own, committed at once."""
        with self.env.registry.cursor() as cr:
            self.with_env(self.env(cr=cr)).write(vals)
        self.invalidate_recordset()

    def _tms_progress_callback(self, interval=1.0):
        """The solver's ``progress(Progress)``: the share of the budget spent and the
        best plan so far, written apart (see ``_tms_run``) at most once per
        ``interval`` seconds, and always the last report."""
        last = {"at": None}

        def progress(report):
            now = time.monotonic()
            if (
                report.fraction < 1.0
                and last["at"] is not None
                and now - last["at"] < interval
            ):
                return
            last["at"] = now
            values = (
                round(min(max(float(report.fraction), 0.0), 1.0) * 100.0, 1),
                float(report.elapsed),
                (report.distance or 0) / 1000.0,
                int(report.served) if report.distance is not None else 0,
                int(report.unassigned) if report.distance is not None else 0,
                self.id,
            )
            try:
                with self.env.registry.cursor() as cr:
                    cr.execute(
                        """UPDATE tms_round_optimization
                              SET progress = %s, elapsed = %s,
                                  progress_distance_km = %s,
                                  progress_served_count = %s,
                                  progress_unassigned_count = %s
                            WHERE id = %s""",
                        values,
                    )
            except Exception:  # noqa: BLE001 - progress is cosmetic
                _logger.debug("Progress of optimisation %s not saved", self.id)

        return progress

    def _tms_solution_vals(self, solution, built):
        self.ensure_one()
        rounds = {r.id: r for r in self.round_ids}
        routes = []
        distance = duration = co2 = 0.0
        for route in solution.routes:
            if not route.visits:
                continue
            tms_round = rounds[route.vehicle_id]
            km = route.distance / 1000.0
            distance += km
            duration += route.duration / 3600.0
            co2 += (
                km
                * (tms_round.vehicle_id.co2 or tms_round.company_id.tms_co2_per_km)
                / 1000.0
            )
            routes.append(
                {
                    "round_id": route.vehicle_id,
                    "distance": route.distance,
                    "duration": route.duration,
                    "start": route.start,
                    "end": route.end,
                    "break_start": route.break_start,
                    "visits": [
                        [visit.stop_id, visit.arrival, visit.departure]
                        for visit in route.visits
                    ],
                }
            )
        unassigned = {str(k): v for k, v in solution.unassigned.items()}
        return {
            "state": "done",
            "progress": 100.0,
            "result": {"routes": routes, "unassigned": unassigned},
            "after_distance_km": distance,
            "after_duration_hours": duration,
            "after_vehicle_count": len(routes),
            "after_co2_kg": co2,
            "progress_distance_km": solution.distance / 1000.0,
            "progress_served_count": sum(len(r.visits) for r in solution.routes),
            "progress_unassigned_count": len(unassigned),
            "unassigned_count": len(unassigned),
            "matrix_source": built.source,
            "matrix_note": self._tms_matrix_note(built),
            "solver_status": solution.status,
            "elapsed": solution.elapsed,
        }

    def _tms_matrix_note(self, built):
        """What the user is told about the distances (the solver's note, in English,
        stays in the log)."""
        if not built.note:
            return False
        _logger.info("Round optimisation %s: %s", self.id, built.note)
        if built.source == "haversine":
            return self.env._(
                "The road server did not answer: distances and times are estimated "
                "from straight lines (road factor and average speed of the settings)."
            )
        return self.env._(
            "The road server found no road between some stops: those legs are "
            "estimated from straight lines."
        )

    def action_apply(self):
        """Write the proposal on the rounds: each stop's round, order and planned
        times; stops left out go back to the pool with their reason (a locked stop
        stays where it was)."""
        for run in self:
            if run.state != "done":
                raise UserError(
                    self.env._("Only a finished optimisation can be applied.")
                )
            if any(r.state not in OPEN_STATES for r in run.round_ids):
                raise UserError(
                    self.env._(
                        "A round of this optimisation has started since: optimise "
                        "again."
                    )
                )
            # one schedule per round at the end, not one per stop written
            Stop = self.env["tms.round.stop"].with_context(tms_no_schedule=True)
            for route in run.result["routes"]:
                tms_round = self.env["tms.round"].browse(route["round_id"])
                for position, (stop_id, arrival, departure) in enumerate(
                    route["visits"], start=1
                ):
                    stop = Stop.browse(stop_id).exists()
                    if not stop:
                        continue
                    stop.write(
                        {
                            "round_id": tms_round.id,
                            "date": tms_round.date,
                            "hub_id": tms_round.hub_id.id,
                            "sequence": position,
                            "unassigned_reason": False,
                            "planned_arrival": tms_round._tms_to_datetime(arrival),
                            "planned_departure": tms_round._tms_to_datetime(departure),
                        }
                    )
            unassigned = run.result.get("unassigned") or {}
            for stop in Stop.browse([int(k) for k in unassigned]).exists():
                vals = {"unassigned_reason": unassigned[str(stop.id)]}
                if not stop.locked:
                    vals.update(
                        round_id=False, planned_arrival=False, planned_departure=False
                    )
                stop.write(vals)
            rounds = run.round_ids
            routed = self.env["tms.round"].browse(
                [route["round_id"] for route in run.result["routes"]]
            )
            # rounds the proposal emptied; the others take the solver's own figures
            (rounds - routed)._tms_schedule()
            for route in run.result["routes"]:
                tms_round = self.env["tms.round"].browse(route["round_id"])
                tms_round.write(
                    {
                        "distance_km": route["distance"] / 1000.0,
                        "duration_hours": route["duration"] / 3600.0,
                        "date_start": tms_round._tms_to_datetime(route["start"]),
                        "date_end": tms_round._tms_to_datetime(route["end"]),
                    }
                )
            rounds.filtered(lambda r: r.state == "planned")._tms_set_driver()
            run.state = "applied"
        return True

    def action_discard(self):
        self.filtered(lambda r: r.state in ("queued", "done", "failed")).write(
            {"state": "discarded"}
        )
        return True

    def action_view_rounds(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_trans.tms_round_action"
        )
        action["domain"] = [("id", "in", self.round_ids.ids)]
        return action
