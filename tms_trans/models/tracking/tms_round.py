# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A round on its way: estimated arrivals at the stops left (``../../tools/eta.py``),
the notification of its recipients when it starts (trigger ``round_started`` of the
notification engine), the driver's GPS points and their place on the dispatcher
map."""

from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ...tools import eta as eta_tools

ROUND_STARTED_TRIGGER = "round_started"
# at most this many points in one request; the phone sends the rest next time
GPS_MAX_BATCH = 500
# points from the future (a phone's clock ahead) are refused beyond this
GPS_CLOCK_SKEW = timedelta(minutes=5)
# points closer than this share of the interval to the previous one are not kept
GPS_INTERVAL_TOLERANCE = 0.8


class TmsRound(models.Model):
    _inherit = "tms.round"

    position_count = fields.Integer(
        compute="_compute_position_count", string="GPS Points"
    )

    def _compute_position_count(self):
        counts = dict(
            self.env["tms.round.position"]._read_group(
                [("round_id", "in", self.ids)], ["round_id"], ["__count"]
            )
        )
        for tms_round in self:
            tms_round.position_count = counts.get(tms_round, 0)

    def write(self, vals):
        starting = self.browse()
        if vals.get("state") == "started":
            starting = self.filtered(lambda r: r.state != "started")
        result = super().write(vals)
        if starting:
            starting._tms_enqueue_round_started()
        return result

    # ----------------------------------------------------------------------------------
    # estimated arrivals
    # ----------------------------------------------------------------------------------
    def _tms_pending_stops(self):
        """The stops still to do, in the round's order."""
        self.ensure_one()
        return self.stop_ids.filtered(lambda s: s.state == "pending").sorted(
            lambda s: (s.sequence, s.id)
        )

    def _tms_last_activity(self):
        """When the driver was last seen done with a stop (his latest delivered or
        failed event on the round's parcels), else when the round started."""
        self.ensure_one()
        Event = self.env["tms.parcel.event"].sudo()
        latest = Event.search(
            [
                ("parcel_id", "in", self.stop_ids.parcel_ids.ids),
                ("state", "in", ("delivered", "failed")),
            ],
            order="event_date desc",
            limit=1,
        ).event_date
        moments = [moment for moment in (latest, self.date_started) if moment]
        return max(moments) if moments else None

    def _tms_eta(self, now=None):
        """``{stop id: Estimate}`` for the stops still to do that have a planned
        time, from ``now`` and the driver's progress (only for a started round: a
        planned round keeps its planned times)."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        stops = self._tms_pending_stops().filtered("planned_arrival")
        if not stops:
            return {}
        previous = self.stop_ids.filtered(
            lambda s: s.planned_departure
            and s.planned_departure <= stops[0].planned_arrival
            and s not in stops
        )
        previous_departure = max(
            previous.mapped("planned_departure") or [self.date_start or now]
        )
        planned = [
            eta_tools.PlannedStop(
                stop.id,
                stop.planned_arrival,
                stop.planned_departure or stop.planned_arrival,
            )
            for stop in stops
        ]
        if self.state != "started":
            return {
                p.key: eta_tools.Estimate(p.key, p.arrival, timedelta(0), False)
                for p in planned
            }
        estimates = eta_tools.estimate_arrivals(
            now, planned, previous_departure, self._tms_last_activity()
        )
        return {estimate.key: estimate for estimate in estimates}

    # ----------------------------------------------------------------------------------
    # the recipients are told the round has started
    # ----------------------------------------------------------------------------------
    def _tms_enqueue_round_started(self):
        """One background job per round whose company has a rule or a webhook for
        the trigger "Round Started"; nothing when none has."""
        Event = self.env["tms.parcel.event"]
        for tms_round in self:
            rule_ids, webhooks = Event._tms_notification_subscriptions(
                tms_round.company_id.id
            ).get(ROUND_STARTED_TRIGGER, ((), ()))
            if rule_ids or webhooks:
                tms_round.with_delay(
                    description=self.env._(
                        "Round %(round)s started: notify its recipients",
                        round=tms_round.name,
                    )
                )._tms_notify_round_started()

    def _tms_round_started_parcels(self):
        """The parcels told the round has started: those of its delivery stops still
        to do that are not delivered, failed or back yet."""
        self.ensure_one()
        stops = self._tms_pending_stops().filtered(lambda s: s.kind == "delivery")
        return stops.parcel_ids.filtered(
            lambda p: p.state not in ("delivered", "failed", "returning", "returned")
            and p.state not in ("cancelled", "lost")
        )

    def _tms_notify_round_started(self):
        """Job: the notification logs of the company's rules for "Round Started",
        one per rule and parcel, sent through the notification engine (the
        templates render the parcel in the contact's language, with its ETA
        window), and a ``parcel.round_started`` delivery per webhook and parcel
        (its own job, with retries). Everything stays in the job's transaction: a
        retried run sends nothing twice."""
        self.ensure_one()
        # sudo: the company's notifications, run as whoever started the round (a
        # driver may not read rules, templates or recipients' contacts)
        tms_round = self.sudo().exists()
        if not tms_round:
            return "Round deleted."
        rules = (
            self.env["tms.notification.rule"]
            .sudo()
            .search(
                [
                    ("company_id", "=", tms_round.company_id.id),
                    ("trigger_ids.code", "=", ROUND_STARTED_TRIGGER),
                ]
            )
        )
        Log = self.env["tms.notification.log"].sudo()
        log_vals = [
            Log._tms_prepare_log_vals(
                rule,
                parcel._tms_notification_target(rule.audience),
                {"company_id": parcel.company_id.id, "parcel_id": parcel.id},
            )
            for parcel in tms_round._tms_round_started_parcels()
            for rule in rules
        ]
        logs = Log.create(log_vals)
        logs._tms_send()
        deliveries = tms_round._tms_round_started_webhooks()
        return f"{len(logs)} notification(s), {deliveries} webhook delivery(ies)"

    def _tms_round_started_webhooks(self):
        """Enqueue the deliveries of ``parcel.round_started`` to the company's
        webhooks for "Round Started" (those of one shipper: its parcels only);
        return how many."""
        self.ensure_one()
        webhooks = (
            self.env["tms.webhook"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("trigger_ids.code", "=", ROUND_STARTED_TRIGGER),
                ]
            )
        )
        if not webhooks:
            return 0
        parcels = self._tms_round_started_parcels()
        estimates = self._tms_eta()
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        count = 0
        for webhook in webhooks:
            for parcel in parcels:
                if webhook.shipper_id and webhook.shipper_id != parcel.shipper_id:
                    continue
                payload = parcel._tms_round_started_payload(self, estimates, db_uuid)
                webhook._tms_enqueue_delivery(
                    payload["id"], payload["type"], payload, parcel.id
                )
                count += 1
        return count

    # ----------------------------------------------------------------------------------
    # GPS breadcrumbs
    # ----------------------------------------------------------------------------------
    def _tms_gps_check(self):
        """Raise unless the current user may send positions of this round now: he is
        its driver, it is started, and he agreed to share his position."""
        self.ensure_one()
        user = self.env.user
        if self.driver_id != user:
            raise AccessError(
                self.env._("Only the round's driver sends its positions.")
            )
        if self.state != "started":
            raise UserError(
                self.env._(
                    "Round %(round)s is not started: positions are recorded only "
                    "during a round.",
                    round=self.name,
                )
            )
        if not user.tms_gps_consent:
            raise UserError(
                self.env._(
                    "You have not agreed to share your position: turn it on in your "
                    "preferences first."
                )
            )

    @api.model
    def _tms_gps_parse(self, point, now):
        """``(recorded_at, latitude, longitude, accuracy)`` of one point sent by the
        phone, or None when it is not a valid point."""
        if not isinstance(point, dict):
            return None
        try:
            latitude = float(point["lat"])
            longitude = float(point["lon"])
            accuracy = float(point.get("acc") or 0.0)
            stamp = point["t"]
            if isinstance(stamp, int | float) and not isinstance(stamp, bool):
                recorded_at = datetime.fromtimestamp(
                    stamp / 1000.0, tz=timezone.utc
                ).replace(tzinfo=None)
            else:
                recorded_at = fields.Datetime.to_datetime(
                    str(stamp).replace("T", " ").removesuffix("Z")[:19]
                )
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            return None
        if (
            not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
            or (latitude == 0 and longitude == 0)
            or not recorded_at
            or recorded_at > now + GPS_CLOCK_SKEW
            or accuracy < 0
        ):
            return None
        return recorded_at.replace(microsecond=0), latitude, longitude, accuracy

    def _tms_gps_record(self, points):
        """Store a batch of positions of this round sent by its driver's phone.

        :param points: list of ``{"t", "lat", "lon", "acc"}`` (see readme/USAGE.md)
        :return: ``{"accepted", "duplicates", "skipped", "rejected", "interval"}``
        """
        self.ensure_one()
        self._tms_gps_check()
        if not isinstance(points, list):
            raise UserError(self.env._("Send the points as a list."))
        if len(points) > GPS_MAX_BATCH:
            raise UserError(
                self.env._(
                    "Send at most %(count)s points at a time.", count=GPS_MAX_BATCH
                )
            )
        now = fields.Datetime.now()
        interval = max(self.company_id.tms_gps_interval, 1)
        min_gap = timedelta(seconds=interval * GPS_INTERVAL_TOLERANCE)
        Position = self.env["tms.round.position"]
        parsed, rejected = [], []
        for index, point in enumerate(points):
            value = self._tms_gps_parse(point, now)
            if value is None:
                rejected.append(index)
            else:
                parsed.append(value)
        parsed.sort()
        last = Position._tms_last_position(self.id)
        previous = last[2] if last else None
        rows, skipped = [], 0
        for recorded_at, latitude, longitude, accuracy in parsed:
            if (
                previous
                and recorded_at != previous
                and (abs(recorded_at - previous) < min_gap)
            ):
                skipped += 1
                continue
            rows.append(
                (self.id, self.env.uid, recorded_at, latitude, longitude, accuracy)
            )
            previous = recorded_at
        inserted = Position._tms_insert(rows)
        return {
            "accepted": inserted,
            "duplicates": len(rows) - inserted,
            "skipped": skipped,
            "rejected": rejected,
            "interval": interval,
        }

    @api.model
    def tms_map_data(self, date=None, hub_id=None):
        """The map's data with the GPS points of each started round
        (``breadcrumbs``: ``[[lat, lon, time], ...]``) and its last known position
        (``last_position``)."""
        data = super().tms_map_data(date=date, hub_id=hub_id)
        started = [r["id"] for r in data.get("rounds", []) if r["state"] == "started"]
        # the rounds were read under the user's record rules just above
        points = self.env["tms.round.position"]._tms_points_by_round(started)
        for round_data in data.get("rounds", []):
            crumbs = points.get(round_data["id"], [])
            round_data["breadcrumbs"] = crumbs
            round_data["last_position"] = crumbs[-1] if crumbs else False
        return data
