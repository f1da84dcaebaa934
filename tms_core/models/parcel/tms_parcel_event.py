# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .tms_parcel import PARCEL_STATES

EVENT_SOURCES = [
    ("scan", "Scan"),
    ("api", "API"),
    ("driver", "Driver"),
    ("carrier", "Carrier"),
    ("system", "System"),
    ("manual", "Manual"),
]
# Device clocks drift: an event dated further ahead than this is an input error.
MAX_CLOCK_AHEAD = timedelta(minutes=10)


class TmsTransitionError(UserError):
    """A state change that the transition table does not allow (HTTP 409 in the API)."""

    def __init__(self, message, parcel=None, from_state=None, to_state=None):
        super().__init__(message)
        self.parcel = parcel
        self.from_state = from_state
        self.to_state = to_state


class TmsParcelEvent(models.Model):
    """Append-only tracking history: every status change or scan of a parcel."""

    _name = "tms.parcel.event"
    _description = "Parcel Tracking Event"
    _order = "event_date desc, id desc"
    _rec_name = "state"

    parcel_id = fields.Many2one(
        "tms.parcel", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    tracking_number = fields.Char(related="parcel_id.tracking_number")
    state = fields.Selection(
        PARCEL_STATES, string="New State", required=True, readonly=True
    )
    previous_state = fields.Selection(PARCEL_STATES, readonly=True)
    event_date = fields.Datetime(
        string="Event Time",
        required=True,
        readonly=True,
        help="When it happened, by the device's clock.",
    )
    record_date = fields.Datetime(
        string="Recorded On",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
        help="When the server received it.",
    )
    user_id = fields.Many2one(
        "res.users",
        readonly=True,
        default=lambda self: self.env.user,
        index="btree_not_null",
    )
    hub_id = fields.Many2one("tms.hub", readonly=True, index="btree_not_null")
    location = fields.Char(readonly=True, help="Free text place when it is not a hub.")
    latitude = fields.Float(digits=(10, 7), readonly=True)
    longitude = fields.Float(digits=(10, 7), readonly=True)
    source = fields.Selection(
        EVENT_SOURCES, required=True, default="manual", readonly=True
    )
    device = fields.Char(readonly=True, help="Scanner, phone or system that sent it.")
    failure_reason_id = fields.Many2one("tms.failure.reason", readonly=True)
    note = fields.Text(readonly=True)
    idempotency_key = fields.Char(
        readonly=True,
        index="btree_not_null",
        help="Sent twice, the same key records the event once.",
    )
    is_applied = fields.Boolean(
        string="Moved the Parcel",
        readonly=True,
        help="False for an event that arrived late (dated before the parcel's last "
        "event): "
        "it is kept in the timeline but does not move the parcel back.",
    )

    _sql_constraints = [
        (
            "idempotency_key_uniq",
            "unique(company_id, idempotency_key)",
            "An event with this idempotency key already exists.",
        ),
    ]

    @api.depends("state", "parcel_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for event in self:
            event.display_name = (
                f"{event.parcel_id.tracking_number}: {labels.get(event.state)}"
            )

    @api.constrains("latitude", "longitude")
    def _check_coordinates(self):
        for event in self:
            if not (-90 <= event.latitude <= 90 and -180 <= event.longitude <= 180):
                raise ValidationError(
                    self.env._(
                        "Latitude is between -90 and 90, longitude between -180 and "
                        "180."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._tms_privileged("tms_event_apply"):
            # Events move parcels: they only come through _record(), which checks the
            # transitions and applies them.
            return self._record(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self._tms_privileged("tms_event_anonymize"):
            raise UserError(
                self.env._("Tracking events cannot be changed once recorded.")
            )
        return super().write(vals)

    def _tms_privileged(self, flag):
        """Whether server code asked for ``flag``: a context key alone could come from
        any
        RPC client, superuser mode cannot."""
        return self.env.su and self.env.context.get(flag)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Tracking events cannot be deleted."))

    @api.model
    def _record(self, vals_list):
        """Record events and apply them to their parcels, all or nothing.

        Each ``vals`` holds at least ``parcel_id`` and ``state``; ``event_date``
        defaults
        to now. Returns the events in the order of ``vals_list``: for a repeated
        idempotency key, the event first recorded with it (nothing new is written).

        An event dated before its parcel's last event is kept in the timeline without
        moving the parcel. Any other event must follow an allowed transition, else a
        :class:`TmsTransitionError` is raised and nothing is recorded.
        """
        if not vals_list:
            return self.browse()
        now = fields.Datetime.now().replace(microsecond=0)
        Parcel = self.env["tms.parcel"]
        parcels = Parcel.browse({vals["parcel_id"] for vals in vals_list}).exists()
        if len(parcels) != len({vals["parcel_id"] for vals in vals_list}):
            raise UserError(
                self.env._("A tracking event refers to a parcel that does not exist.")
            )
        # Moving a parcel takes the right to see it and to record events: drivers may
        # scan
        # the parcels assigned to them without being allowed to edit them.
        parcels.check_access("read")
        self.check_access("create")
        # Serialise concurrent events on the same parcels (two scanners, an API retry).
        self.env.cr.execute(
            "SELECT id FROM tms_parcel WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
            [tuple(parcels.ids)],
        )
        parcels.invalidate_recordset(["state", "last_event_date"])
        company_by_parcel = {p.id: p.company_id.id for p in parcels}
        existing = self._tms_events_by_key(vals_list, set(company_by_parcel.values()))
        labels = dict(self._fields["state"]._description_selection(self.env))
        state = {p.id: p.state for p in parcels}
        last_date = {p.id: p.last_event_date for p in parcels}
        dates = [self._tms_event_date(vals, now) for vals in vals_list]
        to_create, position_of_new, reused = [], {}, {}
        for i in sorted(range(len(vals_list)), key=dates.__getitem__):
            vals = dict(vals_list[i], event_date=dates[i], record_date=now)
            parcel_id = vals["parcel_id"]
            company_id = company_by_parcel[parcel_id]
            key = vals.get("idempotency_key")
            if key:
                first = existing.get(
                    (company_id, key), position_of_new.get((company_id, key))
                )
                if first is not None:
                    if not isinstance(first, int) and first.parcel_id.id != parcel_id:
                        raise UserError(
                            self.env._(
                                "The idempotency key %(key)s was already used for "
                                "parcel "
                                "%(parcel)s.",
                                key=key,
                                parcel=first.parcel_id.tracking_number,
                            )
                        )
                    reused[i] = first
                    continue
                position_of_new[(company_id, key)] = len(to_create)
            if vals["state"] not in labels:
                raise ValidationError(
                    self.env._("%(state)s is not a parcel state.", state=vals["state"])
                )
            initial = vals.pop("initial", False)
            late = (
                not initial and last_date[parcel_id] and dates[i] < last_date[parcel_id]
            )
            vals.update(
                company_id=company_id,
                previous_state=False if initial else state[parcel_id],
                is_applied=not late,
            )
            if not late:
                if not initial:
                    self._tms_check_transition(
                        parcels.browse(parcel_id),
                        state[parcel_id],
                        vals["state"],
                        labels,
                    )
                state[parcel_id] = vals["state"]
                last_date[parcel_id] = dates[i]
            to_create.append((i, vals))

        # sudo: access was checked above and every transition was validated.
        events = (
            self.sudo()
            .with_context(tms_event_apply=True)
            .create([v for _i, v in to_create])
        )
        events = events.with_context(tms_event_apply=False).sudo(False)
        result = [None] * len(vals_list)
        for (i, _vals), event in zip(to_create, events, strict=True):
            result[i] = event
        for i, first in reused.items():
            result[i] = events[first] if isinstance(first, int) else first
        self._apply_to_parcels(events.filtered("is_applied"))
        return self.browse([event.id for event in result])

    def _tms_events_by_key(self, vals_list, company_ids):
        """The events already recorded with the idempotency keys of ``vals_list``, by
        (company id, key)."""
        keys = {
            vals["idempotency_key"] for vals in vals_list if vals.get("idempotency_key")
        }
        if not keys:
            return {}
        # sudo: another user's event with the same key (e.g. a driver resending a
        # colleague's scan) must still be found; access to the parcels was checked.
        events = self.sudo().search(
            [
                ("idempotency_key", "in", list(keys)),
                ("company_id", "in", list(company_ids)),
            ]
        )
        return {(e.company_id.id, e.idempotency_key): e.sudo(False) for e in events}

    @api.model
    def _tms_event_date(self, vals, now):
        """The device time of an event, to the second (the precision it is stored at);
        a time ahead of the server's clock by more than a few minutes is refused."""
        event_date = fields.Datetime.to_datetime(vals.get("event_date")) or now
        event_date = event_date.replace(microsecond=0)
        if event_date > now + MAX_CLOCK_AHEAD:
            raise ValidationError(
                self.env._(
                    "The event time %(date)s is in the future: check the device's "
                    "clock.",
                    date=fields.Datetime.to_string(event_date),
                )
            )
        return event_date

    @api.model
    def _tms_check_transition(self, parcel, from_state, to_state, labels):
        if not self.env["tms.parcel.transition"]._is_allowed(from_state, to_state):
            raise TmsTransitionError(
                self.env._(
                    "Parcel %(parcel)s cannot go from %(from)s to %(to)s.",
                    parcel=parcel.tracking_number,
                    **{"from": labels[from_state], "to": labels[to_state]},
                ),
                parcel=parcel,
                from_state=from_state,
                to_state=to_state,
            )

    def _apply_to_parcels(self, events):
        """Write on each parcel what its latest applied events change, grouping parcels
        that get the same values into one write.

        The hook of every feature that reacts to a parcel's move: ``events`` are the
        events ``_record`` just created and applied (never a replayed one). Overrides,
        in the order they run after this method: ``exception/tms_parcel_event.py``
        (exceptions checked again), ``notification/tms_parcel_event.py`` (notification
        and webhook job enqueued), then tms_ec's ``tms_parcel_event_ec.py`` (shop
        updates) and ``tms_parcel_event_return.py`` (returns).
        """
        updates = {}
        for event in events.sorted(lambda e: (e.event_date, e.id)):
            vals = updates.setdefault(event.parcel_id, {})
            vals["state"] = event.state
            vals["last_event_date"] = event.event_date
            if event.hub_id:
                vals["hub_id"] = event.hub_id.id
            if event.state == "picked_up":
                vals["date_picked_up"] = event.event_date
            elif event.state == "delivered":
                vals["date_delivered"] = event.event_date
            elif event.state == "failed":
                vals["failed_attempt_count"] = (
                    vals.get(
                        "failed_attempt_count", event.parcel_id.failed_attempt_count
                    )
                    + 1
                )
        groups = {}
        for parcel, vals in updates.items():
            if "date_picked_up" in vals and parcel.date_picked_up:
                del vals["date_picked_up"]
            signature = tuple(sorted(vals.items()))
            groups.setdefault(signature, self.env["tms.parcel"])
            groups[signature] |= parcel
        for signature, parcels in groups.items():
            # sudo: the events were checked by _record(); their effects are not edits
            # the
            # user needs the right to make by hand (a driver cannot edit parcels).
            # mail_notrack: the events are the parcel's timeline; tracking the same
            # change in the chatter would double every event (a quarter of a scan's
            # cost, and a message per event at a million events)
            parcels.sudo().with_context(tms_event_apply=True, mail_notrack=True).write(
                dict(signature)
            )
