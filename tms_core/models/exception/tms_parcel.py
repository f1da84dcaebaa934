# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Exceptions: parcels stuck in a state longer than its threshold, or past their
promised date. A job flags them and gives each one activity for the responsible user;
the next applied tracking event re-checks the parcel and closes the activity when it
moved on.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

# A parcel in one of these states is finished (or not shipped yet): never an exception.
CLOSED_STATES = ("draft", "delivered", "returned", "cancelled")
EXCEPTION_REASONS = [("stuck", "Stuck"), ("late", "Late")]
# New exceptions (each with an activity) raised per run of the job; the job runs again
# at once while some are left (ir.cron progress).
EXCEPTION_BATCH_SIZE = 1000


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    tms_exception = fields.Boolean(
        string="Exception",
        readonly=True,
        copy=False,
        index=True,
        help="Stuck in its state longer than the threshold or past its promised date; "
        "checked every 30 minutes and cleared as soon as it no longer is.",
    )
    tms_exception_reason = fields.Selection(
        EXCEPTION_REASONS,
        string="Exception Reason",
        readonly=True,
        copy=False,
        help="Late: past its promised date and not delivered. Stuck: longer in its "
        "state than the threshold allows. A late parcel is reported as late even when "
        "it is also stuck.",
    )
    tms_exception_date = fields.Datetime(
        string="Exception Since", readonly=True, copy=False
    )
    tms_exception_threshold_id = fields.Many2one(
        "tms.state.threshold",
        string="Threshold",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The threshold of the parcel's state (and hub) when it was checked.",
    )
    tms_delivery_punctuality = fields.Selection(
        [("on_time", "On Time"), ("late", "Late")],
        string="Delivery Punctuality",
        compute="_compute_tms_delivery_punctuality",
        store=True,
        help="On time when delivered by the promised date; empty until delivered, or "
        "when the parcel had no promised date.",
    )

    @api.depends("date_delivered", "date_promised")
    def _compute_tms_delivery_punctuality(self):
        for parcel in self:
            if parcel.date_delivered and parcel.date_promised:
                parcel.tms_delivery_punctuality = (
                    "on_time"
                    if parcel.date_delivered <= parcel.date_promised
                    else "late"
                )
            else:
                parcel.tms_delivery_punctuality = False

    # ----------------------------------------------------------------------------------
    # job
    # ----------------------------------------------------------------------------------
    @api.model
    def _cron_tms_exceptions(self, batch_size=EXCEPTION_BATCH_SIZE):
        """Flag the parcels that became exceptions, clear those that no longer are."""
        # sudo: the job watches the parcels of every company, whoever runs it
        parcels = self.sudo()
        now = fields.Datetime.now()
        found = parcels._tms_find_exceptions(now)
        flagged = parcels.search_fetch(
            [("tms_exception", "=", True)],
            ["tms_exception_reason", "tms_exception_threshold_id"],
        )
        done, remaining = parcels._tms_sync_exceptions(flagged, found, now, batch_size)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done, remaining

    def _tms_refresh_exceptions(self):
        """Check again the flagged parcels of ``self`` (after a tracking event): clear
        those that are no longer exceptions, update the reason of the others."""
        flagged = self.filtered("tms_exception")
        if flagged:
            now = fields.Datetime.now()
            found = flagged._tms_find_exceptions(now, flagged.ids)
            flagged._tms_sync_exceptions(flagged, found, now, batch_size=0)

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_find_exceptions(self, now, parcel_ids=None):
        """The parcels that are exceptions at ``now`` (among ``parcel_ids`` if given),
        as ``{parcel id: (reason, threshold id or None)}``, in one query.

        A parcel matches the active threshold of its company and state for its current
        hub, else the company-wide one (no hub).
        """
        self.env["tms.parcel"].flush_model(
            ["company_id", "state", "hub_id", "last_event_date", "date_promised"]
        )
        self.env["tms.state.threshold"].flush_model()
        scope = SQL("TRUE")
        if parcel_ids is not None:
            if not parcel_ids:
                return {}
            scope = SQL("p.id IN %s", tuple(parcel_ids))
        rows = self.env.execute_query(
            SQL(
                """
                WITH matched AS (
                    SELECT DISTINCT ON (p.id)
                           p.id AS parcel_id, t.id AS threshold_id, t.max_hours
                      FROM tms_parcel p
                      JOIN tms_state_threshold t
                        ON t.company_id = p.company_id
                       AND t.state = p.state
                       AND t.active
                       AND (t.hub_id IS NULL OR t.hub_id = p.hub_id)
                     WHERE p.state NOT IN %(closed)s AND %(scope)s
                  ORDER BY p.id, t.hub_id IS NULL, t.id
                )
                SELECT p.id,
                       COALESCE(p.date_promised < %(now)s, FALSE) AS late,
                       m.threshold_id
                  FROM tms_parcel p
             LEFT JOIN matched m ON m.parcel_id = p.id
                 WHERE p.state NOT IN %(closed)s AND %(scope)s
                   AND (p.date_promised < %(now)s
                        OR p.last_event_date
                           < %(now)s - m.max_hours * INTERVAL '1 hour')
                """,
                closed=CLOSED_STATES,
                scope=scope,
                now=now,
            )
        )
        return {
            parcel_id: ("late" if late else "stuck", threshold_id)
            for parcel_id, late, threshold_id in rows
        }

    @api.model
    def _tms_sync_exceptions(self, flagged, found, now, batch_size):
        """Make the flags match ``found`` (see :meth:`_tms_find_exceptions`).

        ``flagged`` are the parcels flagged so far among those checked. At most
        ``batch_size`` new exceptions are raised (all when 0); returns how many were
        raised and how many are left for the next run.
        """
        to_clear = flagged.filtered(lambda p: p.id not in found)
        changes = defaultdict(list)
        for parcel in flagged - to_clear:
            reason, threshold_id = found[parcel.id]
            if (
                parcel.tms_exception_reason != reason
                or parcel.tms_exception_threshold_id.id != (threshold_id or False)
            ):
                changes[reason, threshold_id].append(parcel.id)
        for (reason, threshold_id), parcel_ids in changes.items():
            self.browse(parcel_ids).write(
                {
                    "tms_exception_reason": reason,
                    "tms_exception_threshold_id": threshold_id,
                }
            )
        to_clear._tms_clear_exceptions()

        new_ids = sorted(set(found) - set(flagged.ids))
        remaining = 0
        if batch_size and len(new_ids) > batch_size:
            remaining = len(new_ids) - batch_size
            new_ids = new_ids[:batch_size]
        new_by_key = defaultdict(list)
        for parcel_id in new_ids:
            new_by_key[found[parcel_id]].append(parcel_id)
        for (reason, threshold_id), parcel_ids in new_by_key.items():
            self.browse(parcel_ids).write(
                {
                    "tms_exception": True,
                    "tms_exception_reason": reason,
                    "tms_exception_date": now,
                    "tms_exception_threshold_id": threshold_id,
                }
            )
        self.browse(new_ids)._tms_schedule_exception_activities()
        return len(new_ids), remaining

    def _tms_clear_exceptions(self):
        """Lower the flag of ``self`` and mark their exception activities done."""
        if not self:
            return
        self.write(
            {
                "tms_exception": False,
                "tms_exception_reason": False,
                "tms_exception_date": False,
                "tms_exception_threshold_id": False,
            }
        )
        activities = self._tms_exception_activities()
        if not activities:
            return
        states = dict(self._fields["state"]._description_selection(self.env))
        state_by_parcel = {parcel.id: parcel.state for parcel in self}
        by_state = defaultdict(lambda: self.env["mail.activity"])
        for activity in activities:
            by_state[state_by_parcel[activity.res_id]] |= activity
        for state, state_activities in by_state.items():
            state_activities.action_feedback(
                feedback=self.env._(
                    "No longer an exception: the parcel is now %(state)s.",
                    state=states[state],
                )
            )

    def _tms_exception_activities(self):
        """The open exception activities of ``self``."""
        activity_type = self.env.ref(
            "tms_core.mail_activity_type_tms_exception", raise_if_not_found=False
        )
        if not activity_type or not self:
            return self.env["mail.activity"]
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _tms_schedule_exception_activities(self):
        """Give each parcel of ``self`` one exception activity for its responsible,
        unless it already has an open one."""
        activity_type = self.env.ref(
            "tms_core.mail_activity_type_tms_exception", raise_if_not_found=False
        )
        if not activity_type or not self:
            return self.env["mail.activity"]
        has_activity = set(self._tms_exception_activities().mapped("res_id"))
        parcels = self.filtered(lambda p: p.id not in has_activity)
        responsible = parcels._tms_exception_responsibles()
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        summaries = {}
        vals_list = []
        for parcel in parcels:
            user = responsible[parcel]
            key = (
                parcel.tms_exception_reason,
                parcel.tms_exception_threshold_id,
                user.lang,
            )
            if key not in summaries:
                summaries[key] = parcel.with_context(
                    lang=user.lang or self.env.lang
                )._tms_exception_summary()
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": parcel.id,
                    "activity_type_id": activity_type.id,
                    "summary": summaries[key],
                    "user_id": user.id,
                    "date_deadline": today,
                }
            )
        # quick update: the activities show in each user's activity menu; no email per
        # parcel when dozens get stuck at once
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    def _tms_exception_summary(self):
        self.ensure_one()
        if self.tms_exception_reason == "late":
            return self.env._("Past its promised delivery date")
        threshold = self.tms_exception_threshold_id
        states = dict(self._fields["state"]._description_selection(self.env))
        hours = f"{threshold.max_hours:g}"
        return self.env._(
            "%(state)s for more than %(hours)s hours",
            state=states.get(threshold.state, ""),
            hours=hours,
        )

    def _tms_exception_responsibles(self):
        """The user who handles each parcel's exception: its threshold's responsible,
        else the first TMS manager of its company (an empty user when there is none).
        """
        result = {}
        todo = self.env["tms.parcel"]
        for parcel in self:
            user = parcel.tms_exception_threshold_id.user_id
            if user.active:
                result[parcel] = user
            else:
                todo |= parcel
        if todo:
            managers = self.env["res.users"].search(
                [
                    ("groups_id", "in", self.env.ref("tms_core.group_tms_manager").id),
                    ("share", "=", False),
                    ("company_ids", "in", todo.company_id.ids),
                ],
                order="id",
            )
            manager_by_company = {}
            for manager in managers:
                for company in manager.company_ids:
                    manager_by_company.setdefault(company, manager)
            for parcel in todo:
                result[parcel] = manager_by_company.get(
                    parcel.company_id, self.env["res.users"]
                )
        return result
