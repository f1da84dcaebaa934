# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The parcel's SLA: its policy, clock start, due time, at-risk time and milestone
gates (computed when it is created and again when what they depend on changes, pauses
included), and its state on track / at risk / breached / met / met late. The due times
come from ``tools/sla.py``; the job moving parcels at risk or breached, and their
alerts, are below."""

import uuid
from datetime import timedelta

import pytz
from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools import split_every

from odoo.addons.tms_core.models.notification.tms_parcel_event import _iso

from ...tools import sla

SLA_STATES = [
    (sla.ON_TRACK, "On Track"),
    (sla.AT_RISK, "At Risk"),
    (sla.BREACHED, "Breached"),
    (sla.MET, "Met"),
    (sla.MET_LATE, "Met Late"),
]
RISK_CAUSES = [
    ("time", "Time Used"),
    ("pickup", "Not Picked Up in Time"),
    ("hub", "Not at Destination Hub in Time"),
]
SLA_COMPUTED_FIELDS = (
    "sla_date_start",
    "sla_date_due",
    "sla_date_at_risk",
    "sla_date_pickup_due",
    "sla_date_hub_due",
    "sla_paused",
    "sla_state",
    "sla_risk_cause",
)
# Public holidays are loaded for this many days after the latest clock start.
LEAVES_HORIZON = timedelta(days=400)
# _tms_sla_recompute() writes this many parcels per SQL update
RECOMPUTE_CHUNK = 1000


def _to_local(value, tz):
    return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)


def _to_utc(value, tz):
    return (
        tz.localize(value, is_dst=False)
        .astimezone(pytz.utc)
        .replace(tzinfo=None, microsecond=0)
    )


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    sla_policy_id = fields.Many2one(
        "tms.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        help="The client's promise for the parcel's service and zone.",
    )
    sla_date_start = fields.Datetime(
        string="SLA Clock Start",
        compute="_compute_sla",
        store=True,
        precompute=True,
        help="The handover (or pickup) moved to working time and past the cut-off.",
    )
    sla_date_due = fields.Datetime(
        string="SLA Due",
        compute="_compute_sla",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="Deliver by then (no grace): the policy's delay on its working calendar, "
        "pauses excluded, moved to a delivery day.",
    )
    sla_date_at_risk = fields.Datetime(
        string="At Risk From",
        compute="_compute_sla",
        store=True,
        precompute=True,
    )
    sla_date_pickup_due = fields.Datetime(
        string="Pickup Due",
        compute="_compute_sla",
        store=True,
        precompute=True,
    )
    sla_date_hub_due = fields.Datetime(
        string="Destination Hub Due",
        compute="_compute_sla",
        store=True,
        precompute=True,
    )
    sla_date_at_destination = fields.Datetime(
        string="At Destination Hub On", readonly=True, copy=False
    )
    sla_has_pause = fields.Boolean(
        string="SLA Clock Was Paused", readonly=True, copy=False
    )
    sla_paused = fields.Boolean(
        string="SLA Clock Paused",
        compute="_compute_sla",
        store=True,
        precompute=True,
        help="The last event's reason stops the clock until the next event.",
    )
    sla_state = fields.Selection(
        SLA_STATES,
        string="SLA",
        compute="_compute_sla",
        store=True,
        precompute=True,
        index="btree_not_null",
        copy=False,
    )
    sla_risk_cause = fields.Selection(
        RISK_CAUSES,
        string="At Risk Because",
        compute="_compute_sla",
        store=True,
        precompute=True,
        copy=False,
    )
    sla_alerted_state = fields.Selection(
        SLA_STATES,
        string="Alerted SLA State",
        readonly=True,
        copy=False,
        help="The SLA state the account manager was last alerted of.",
    )
    sla_client_id = fields.Many2one(
        "res.partner",
        string="Client",
        related="shipper_id.commercial_partner_id",
        store=True,
        index="btree_not_null",
    )

    # ----------------------------------------------------------------------------------
    # computes
    # ----------------------------------------------------------------------------------
    @api.depends("company_id", "shipper_id", "service_id", "zone_id")
    def _compute_sla_policy_id(self):
        policies = self.env["tms.sla.policy"]._tms_match(self)
        for parcel in self:
            parcel.sla_policy_id = policies[parcel]

    @api.depends(
        "sla_policy_id",
        "date_shipping",
        "date_picked_up",
        "date_delivered",
        "sla_date_at_destination",
        "carrier_id",
        "zone_id",
    )
    def _compute_sla(self):
        for parcel, vals in self._tms_sla_all_values().items():
            parcel.update(vals)

    def _tms_sla_all_values(self):
        """``{parcel: SLA field values}`` of every parcel of ``self`` (empty values
        for a parcel without policy, shipping date, or cancelled)."""
        now = fields.Datetime.now().replace(microsecond=0)
        todo = self.filtered(
            lambda p: p.sla_policy_id and p.date_shipping and p.state != "cancelled"
        )
        result = dict.fromkeys(self - todo, dict.fromkeys(SLA_COMPUTED_FIELDS, False))
        if not todo:
            return result
        calendars = todo._tms_sla_work_calendars()
        events = todo._tms_sla_pause_events()
        for parcel in todo:
            work, tz = calendars[parcel]
            result[parcel] = parcel._tms_sla_values(
                work, tz, events.get(parcel.id), now
            )
        return result

    def _tms_sla_values(self, work, tz, pause_events, now):
        """The SLA fields of the parcel on ``work`` (a tools.sla.WorkCalendar in
        ``tz``), given its ``(date, pauses)`` events when it had pauses."""
        self.ensure_one()
        policy = self.sla_policy_id
        local_now = _to_local(now, tz)
        pauses, paused = [], False
        if pause_events:
            local_events = [(_to_local(date, tz), flag) for date, flag in pause_events]
            pauses = sla.pause_intervals(local_events, local_now)
            paused = pause_events[-1][1]
        handover = _to_local(self.date_shipping, tz)
        start = handover
        if policy.clock_start == "pickup" and self.date_picked_up:
            start = _to_local(self.date_picked_up, tz)
        delay = {"days": int(policy.delay)}
        if policy.delay_unit == "hours":
            delay = {"hours": policy.delay}
        cutoff = policy.cutoff_time or None
        begin, due = sla.due_time(
            work,
            start,
            cutoff=cutoff,
            delivery_weekdays=set(policy.weekday_ids.mapped("code")),
            pauses=pauses,
            **delay,
        )
        at_risk = sla.share_time(work, begin, due, policy.at_risk_share / 100, pauses)
        gate_begin = sla.clock_start(work, handover, cutoff)
        pickup_due = hub_due = None
        if policy.pickup_gate_hours:
            pickup_due = work.add_hours(gate_begin, policy.pickup_gate_hours)
        if policy.hub_gate_hours:
            hub_due = work.add_hours(gate_begin, policy.hub_gate_hours)
        delivered = self.date_delivered and _to_local(self.date_delivered, tz)
        state = sla.sla_state(
            local_now, due, None if paused else at_risk, delivered or None
        )
        cause = False
        if state == sla.AT_RISK:
            cause = "time"
        elif state == sla.ON_TRACK and not paused:
            picked_up = self.date_picked_up and _to_local(self.date_picked_up, tz)
            at_hub = self.sla_date_at_destination and _to_local(
                self.sla_date_at_destination, tz
            )
            if pickup_due and (picked_up or local_now) > pickup_due:
                state, cause = sla.AT_RISK, "pickup"
            elif hub_due and (at_hub or local_now) > hub_due:
                state, cause = sla.AT_RISK, "hub"
        return {
            "sla_date_start": _to_utc(begin, tz),
            "sla_date_due": _to_utc(due, tz),
            "sla_date_at_risk": _to_utc(at_risk, tz),
            "sla_date_pickup_due": pickup_due and _to_utc(pickup_due, tz),
            "sla_date_hub_due": hub_due and _to_utc(hub_due, tz),
            "sla_paused": paused,
            "sla_state": state,
            "sla_risk_cause": cause,
        }

    def _tms_sla_calendar(self):
        """The resource.calendar of the parcel's SLA: the policy's, else the
        carrier's, else the zone's, else the company's."""
        self.ensure_one()
        return (
            self.sla_policy_id.resource_calendar_id
            or self.carrier_id.resource_calendar_id
            or self.zone_id.resource_calendar_id
            or self.company_id.resource_calendar_id
        )

    def _tms_sla_work_calendars(self):
        """``{parcel: (tools.sla.WorkCalendar, tz)}``, each calendar built once with
        its public holidays (leaves without a resource) over the parcels' dates."""
        # sudo: calendars and leaves are configuration the SLA reads whoever records
        # the event (a driver may not read resource.calendar.leaves)
        # lists, not recordset unions: those would be quadratic on large batches
        by_calendar = {}
        for parcel in self:
            calendar = parcel.sudo()._tms_sla_calendar()
            by_calendar.setdefault(calendar, []).append(parcel)
        result = {}
        for calendar, parcels in by_calendar.items():
            dates = [parcel.date_shipping for parcel in parcels]
            first = min(dates) - timedelta(days=2)
            last = max(dates) + LEAVES_HORIZON
            built = self._tms_sla_build_calendar(calendar, first, last)
            for parcel in parcels:
                result[parcel] = built
        return result

    @api.model
    def _tms_sla_build_calendar(self, calendar, date_from, date_to):
        """A resource.calendar as plain data for tools/sla.py, in its time zone."""
        tz = pytz.timezone(calendar.tz or "UTC") if calendar else pytz.utc
        if not calendar:
            weekly = {day: [(8.0, 17.0)] for day in range(5)}
            return sla.WorkCalendar(weekly), tz
        weekly = {}
        for attendance in calendar.attendance_ids:
            if attendance.resource_id or attendance.day_period == "lunch":
                continue
            if calendar.two_weeks_calendar and attendance.week_type != "0":
                continue
            weekly.setdefault(int(attendance.dayofweek), []).append(
                (attendance.hour_from, attendance.hour_to)
            )
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("calendar_id", "in", [False, calendar.id]),
                    ("resource_id", "=", False),
                    ("company_id", "in", [False, calendar.company_id.id]),
                    ("date_from", "<", date_to),
                    ("date_to", ">", date_from),
                ]
            )
        )
        holidays = [
            (_to_local(leave.date_from, tz), _to_local(leave.date_to, tz))
            for leave in leaves
        ]
        return sla.WorkCalendar(weekly, holidays), tz

    def _tms_sla_pause_events(self):
        """``{parcel id: [(date, pauses), ...]}`` of the parcels that had a pause,
        from their applied events, in time order."""
        parcels = self.filtered(lambda p: p.sla_has_pause and isinstance(p.id, int))
        if not parcels:
            return {}
        events = (
            self.env["tms.parcel.event"]
            .sudo()
            .search_fetch(
                [("parcel_id", "in", parcels.ids), ("is_applied", "=", True)],
                ["parcel_id", "event_date", "failure_reason_id"],
                order="event_date, id",
            )
        )
        reasons = {p.id: p.sla_policy_id.pause_reason_ids for p in parcels}
        result = {}
        for event in events:
            parcel_id = event.parcel_id.id
            result.setdefault(parcel_id, []).append(
                (
                    event.event_date,
                    bool(event.failure_reason_id)
                    and event.failure_reason_id in reasons[parcel_id],
                )
            )
        return result

    def _tms_sla_recompute(self):
        """Compute the SLA fields again (a pause began or ended, time passed) and
        write them in one SQL update per chunk of parcels, whatever their number."""
        parcels = self.filtered("id")
        if not parcels:
            return
        parcels.flush_recordset()
        rows = [
            (
                parcel.id,
                vals["sla_date_start"] or None,
                vals["sla_date_due"] or None,
                vals["sla_date_at_risk"] or None,
                vals["sla_date_pickup_due"] or None,
                vals["sla_date_hub_due"] or None,
                bool(vals["sla_paused"]),
                vals["sla_state"] or None,
                vals["sla_risk_cause"] or None,
            )
            for parcel, vals in parcels._tms_sla_all_values().items()
        ]
        for chunk in split_every(RECOMPUTE_CHUNK, rows):
            execute_values(
                self.env.cr._obj,
                """
                UPDATE tms_parcel p
                   SET sla_date_start = v.date_start::timestamp,
                       sla_date_due = v.date_due::timestamp,
                       sla_date_at_risk = v.date_at_risk::timestamp,
                       sla_date_pickup_due = v.date_pickup_due::timestamp,
                       sla_date_hub_due = v.date_hub_due::timestamp,
                       sla_paused = v.paused,
                       sla_state = v.state,
                       sla_risk_cause = v.risk_cause
                  FROM (VALUES %s) AS v(id, date_start, date_due, date_at_risk,
                                        date_pickup_due, date_hub_due, paused,
                                        state, risk_cause)
                 WHERE p.id = v.id
                """,
                chunk,
                page_size=RECOMPUTE_CHUNK,
            )
        parcels.invalidate_recordset(SLA_COMPUTED_FIELDS)
        parcels.modified(SLA_COMPUTED_FIELDS)

    # ----------------------------------------------------------------------------------
    # monitoring
    # ----------------------------------------------------------------------------------
    @api.model
    def _cron_tms_sla_update(self):
        """Move parcels at risk or breached (in SQL, whatever their number), then
        alert the account managers and run the notification rules of the parcels
        that changed state."""
        now = fields.Datetime.now().replace(microsecond=0)
        # paused parcels' due times move with the clock: compute them again first
        paused = self.search(
            [("sla_paused", "=", True), ("sla_state", "in", ("on_track", "at_risk"))]
        )
        paused._tms_sla_recompute()
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE tms_parcel
               SET sla_state = 'breached', sla_risk_cause = NULL
             WHERE sla_state IN ('on_track', 'at_risk')
               AND sla_date_due < %(now)s
               AND state NOT IN ('delivered', 'cancelled')
               AND NOT COALESCE(sla_paused, FALSE)
            """,
            {"now": now},
        )
        self.env.cr.execute(
            """
            UPDATE tms_parcel
               SET sla_state = 'at_risk',
                   sla_risk_cause = CASE
                       WHEN sla_date_at_risk <= %(now)s THEN 'time'
                       WHEN sla_date_pickup_due < %(now)s
                            AND date_picked_up IS NULL THEN 'pickup'
                       ELSE 'hub' END
             WHERE sla_state = 'on_track'
               AND state NOT IN ('delivered', 'cancelled')
               AND NOT COALESCE(sla_paused, FALSE)
               AND (sla_date_at_risk <= %(now)s
                    OR (sla_date_pickup_due < %(now)s AND date_picked_up IS NULL)
                    OR (sla_date_hub_due < %(now)s
                        AND sla_date_at_destination IS NULL))
            """,
            {"now": now},
        )
        self.invalidate_model(["sla_state", "sla_risk_cause"])
        self.env.cr.execute(
            """
            SELECT id FROM tms_parcel
             WHERE sla_state IN ('at_risk', 'breached')
               AND sla_alerted_state IS DISTINCT FROM sla_state
               AND state != 'cancelled'
             ORDER BY id
            """
        )
        to_alert = self.browse([row[0] for row in self.env.cr.fetchall()])
        to_alert._tms_sla_alert()
        return len(to_alert)

    def _tms_sla_alert(self):
        """An activity for the account manager of each parcel (one per parcel, that
        a breach updates), and the notifications of the company's rules reacting to
        "SLA at risk" or "SLA breached"."""
        if not self:
            return
        activity_type = self.env.ref("tms_3pl.mail_activity_type_sla_alert")
        open_activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        activity_by_parcel = {act.res_id: act for act in open_activities}
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        to_create = []
        for parcel in self:
            summary = parcel._tms_sla_alert_summary()
            activity = activity_by_parcel.get(parcel.id)
            if activity:
                activity.write({"summary": summary, "date_deadline": today})
                continue
            user = parcel.sla_policy_id.user_id or parcel.sla_client_id.user_id
            if not user:
                continue
            to_create.append(
                {
                    "res_model_id": model_id,
                    "res_id": parcel.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "user_id": user.id,
                    "date_deadline": today,
                }
            )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            to_create
        )
        self._tms_sla_notify()
        for state in (sla.AT_RISK, sla.BREACHED):
            self.filtered(lambda p, s=state: p.sla_state == s).write(
                {"sla_alerted_state": state}
            )

    def _tms_sla_alert_summary(self):
        self.ensure_one()
        due = fields.Datetime.context_timestamp(self, self.sla_date_due)
        if self.sla_state == sla.BREACHED:
            return self.env._(
                "SLA breached: due %(due)s", due=due.strftime("%Y-%m-%d %H:%M")
            )
        causes = dict(self._fields["sla_risk_cause"]._description_selection(self.env))
        return self.env._(
            "SLA at risk (%(cause)s): due %(due)s",
            cause=causes.get(self.sla_risk_cause, ""),
            due=due.strftime("%Y-%m-%d %H:%M"),
        )

    def _tms_sla_notify(self):
        """Notification logs of the rules reacting to the parcels' new SLA state,
        sent the way tracking events' are (tms_core's notification engine), and a
        delivery to each webhook subscribed to that state (``parcel.sla_at_risk``,
        ``parcel.sla_breached``), in the background with its retries."""
        Event = self.env["tms.parcel.event"]
        Rule = self.env["tms.notification.rule"].sudo()
        Webhook = self.env["tms.webhook"].sudo()
        log_vals, deliveries = [], []
        for parcel in self:
            code = f"sla_{parcel.sla_state}"
            rule_ids, webhooks = Event._tms_notification_subscriptions(
                parcel.company_id.id
            ).get(code, ((), ()))
            for rule in Rule.browse(rule_ids):
                log_vals.append(parcel._tms_notification_log_vals(rule, Event))
            deliveries += [
                (Webhook.browse(webhook_id), parcel)
                for webhook_id, shipper_id in webhooks
                if not shipper_id or shipper_id == parcel.shipper_id.id
            ]
        if log_vals:
            logs = self.env["tms.notification.log"].sudo().create(log_vals)
            logs._tms_send()
        if deliveries:
            db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
            for webhook, parcel in deliveries:
                payload = parcel._tms_sla_webhook_payload(db_uuid)
                webhook._tms_enqueue_delivery(
                    payload["id"], payload["type"], payload, parcel.id
                )

    def _tms_sla_webhook_payload(self, db_uuid=None):
        """The JSON body of a parcel becoming at risk or breached (readme/USAGE.md):
        the parcel as in tms_core's ``parcel.state_changed``, plus its SLA; no
        personal data; the same id for every attempt and every webhook."""
        self.ensure_one()
        namespace = uuid.UUID(db_uuid) if db_uuid else uuid.NAMESPACE_URL
        key = f"tms.parcel.sla/{self.id}/{self.sla_state}/{self.sla_date_due}"
        return {
            "id": f"evt_{uuid.uuid5(namespace, key).hex}",
            "type": f"parcel.sla_{self.sla_state}",
            "occurred_at": _iso(fields.Datetime.now()),
            "api_version": 1,
            "parcel": {
                "tracking_number": self.tracking_number,
                "client_reference": self.client_reference or None,
                "state": self.state,
                "date_promised": _iso(self.date_promised),
                "tracking_url": self._tms_public_tracking_url(),
                "sla": {
                    "state": self.sla_state,
                    "policy": self.sla_policy_id.name,
                    "due": _iso(self.sla_date_due),
                    "at_risk_since": _iso(self.sla_date_at_risk),
                    "risk_cause": self.sla_risk_cause or None,
                },
            },
        }
