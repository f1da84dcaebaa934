# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Estimated arrival at the stops a started round still has to do.

The plan gives every stop a planned arrival and departure; the driver's progress
(the stops done or failed, and when) may put him behind it. From ``now``, the
remaining stops keep their planned travel and service durations: the first arrives
no earlier than the driver's last activity plus its planned travel, nor before
``now`` while it is still to do, and each delay passes on to the next stops (the
plan's gap between two stops is taken as travel: a wait for a time window or the
break may in fact absorb part of a delay, so the estimate errs on the late side). A
driver ahead of the plan does not make arrivals earlier than planned: recipients
are never told to be ready before the time they were given.

No ORM here: plain datetimes (naive UTC) in, :class:`Estimate` out.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

# A round this much behind its plan at a stop is "running late" there.
LATE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class PlannedStop:
    """A stop still to do: ``key`` identifies it for the caller."""

    key: object
    arrival: datetime
    departure: datetime


@dataclass(frozen=True)
class Estimate:
    key: object
    arrival: datetime
    delay: timedelta
    late: bool

    def window(self, margin):
        """The arrival window told to the recipient: the estimate ± ``margin``."""
        return self.arrival - margin, self.arrival + margin


def estimate_arrivals(
    now, remaining, previous_departure, last_activity=None, late_after=LATE_AFTER
):
    """Estimated arrivals at ``remaining`` (:class:`PlannedStop` in the round's
    order, the stops still to do that have a planned time).

    :param now: the current time
    :param previous_departure: the planned departure before the first remaining
        stop (from the last stop done, or the depot)
    :param last_activity: when the driver was last seen done with a stop (or
        started the round); None when unknown
    :param late_after: the delay from which a stop is said to be late
    :return: a list of :class:`Estimate`, in the order of ``remaining``
    """
    estimates = []
    ready = max(now, last_activity) if last_activity else now
    leave = last_activity or previous_departure
    planned_leave = previous_departure
    for stop in remaining:
        travel = max(stop.arrival - planned_leave, timedelta(0))
        service = max(stop.departure - stop.arrival, timedelta(0))
        arrival = max(stop.arrival, leave + travel)
        if not estimates:
            # still to do: the driver is not there yet
            arrival = max(arrival, ready)
        delay = arrival - stop.arrival
        estimates.append(Estimate(stop.key, arrival, delay, delay >= late_after))
        leave = arrival + service
        planned_leave = stop.departure
    return estimates


def stops_before(order, key):
    """How many of ``order`` (the keys of the stops still to do, in the round's
    order) come before ``key``; None when ``key`` is not among them."""
    try:
        return list(order).index(key)
    except ValueError:
        return None
