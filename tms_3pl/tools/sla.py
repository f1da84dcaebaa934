# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""SLA due times on a working calendar, without Odoo.

Every datetime here is naive and in the calendar's local time; the Odoo side turns the
calendar's attendances and public holidays into a :class:`WorkCalendar` and converts
from and to UTC.

- The **clock starts** when the parcel is handed over during working time and before
  the cut-off; otherwise at the opening of the next working day.
- A delay **in working hours** counts only working time.
- A delay **in working days** (J+1, J+2) ends at the close of the Nth working day after
  the day the clock started (J+0: that same day).
- **Pauses** (intervals the contract allows, e.g. recipient absent) do not count: the
  due time moves by the working time they cover before it.
- With **delivery weekdays**, a due time on another day moves to the close of the next
  working day that is a delivery day.
"""

from datetime import datetime, time, timedelta

# A calendar without a working day would loop for ever: give up after a year.
MAX_DAYS = 400

ON_TRACK = "on_track"
AT_RISK = "at_risk"
BREACHED = "breached"
MET = "met"
MET_LATE = "met_late"


def _at(day, hours):
    """The datetime of ``hours`` (a float, 24.0 being midnight at the day's end) on
    ``day``."""
    return datetime.combine(day, time.min) + timedelta(hours=hours)


def _subtract(intervals, holes):
    """``intervals`` minus ``holes``, both sorted lists of (start, end)."""
    result = []
    for start, end in intervals:
        pieces = [(start, end)]
        for hole_start, hole_end in holes:
            if hole_end <= start or hole_start >= end:
                continue
            cut = []
            for piece_start, piece_end in pieces:
                if hole_end <= piece_start or hole_start >= piece_end:
                    cut.append((piece_start, piece_end))
                    continue
                if piece_start < hole_start:
                    cut.append((piece_start, hole_start))
                if hole_end < piece_end:
                    cut.append((hole_end, piece_end))
            pieces = cut
        result.extend(pieces)
    return result


def _hours(start, end):
    return (end - start).total_seconds() / 3600


class WorkCalendar:
    """A weekly working schedule with days off.

    ``weekly``: ``{weekday: [(hour_from, hour_to), ...]}``, weekday 0 being Monday and
    hours floats (8.5 is 08:30); ``leaves``: ``[(start, end), ...]`` datetimes when
    nobody works (public holidays, closures).
    """

    def __init__(self, weekly, leaves=()):
        self.weekly = {
            int(weekday): sorted((float(a), float(b)) for a, b in slots if b > a)
            for weekday, slots in weekly.items()
        }
        self.leaves = sorted(leaves)
        self._days = {}
        if not any(self.weekly.values()):
            raise ValueError("A working calendar needs working hours.")

    def day_intervals(self, day):
        """The working intervals of ``day`` (a date), holidays taken out."""
        if day not in self._days:
            slots = [
                (_at(day, start), _at(day, end))
                for start, end in self.weekly.get(day.weekday(), [])
            ]
            day_start, day_end = _at(day, 0), _at(day, 24)
            holes = [
                leave
                for leave in self.leaves
                if leave[0] < day_end and leave[1] > day_start
            ]
            self._days[day] = _subtract(slots, holes) if holes else slots
        return self._days[day]

    def is_working_day(self, day):
        return bool(self.day_intervals(day))

    def next_working_day(self, day, weekdays=None):
        """The first working day after ``day`` (among ``weekdays`` when given)."""
        for offset in range(1, MAX_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate) and (
                not weekdays or candidate.weekday() in weekdays
            ):
                return candidate
        raise ValueError("No working day within a year.")

    def day_opening(self, day):
        return self.day_intervals(day)[0][0]

    def day_closing(self, day):
        return self.day_intervals(day)[-1][1]

    def free_intervals(self, start, exclude=()):
        """The working intervals from ``start`` on, outside ``exclude``, in order."""
        exclude = sorted(exclude)
        day = start.date()
        for _offset in range(MAX_DAYS):
            intervals = [
                (max(a, start), b) for a, b in self.day_intervals(day) if b > start
            ]
            yield from _subtract(intervals, exclude) if exclude else intervals
            day += timedelta(days=1)
        raise ValueError("No working time within a year.")

    def work_hours(self, start, end, exclude=()):
        """Working hours between ``start`` and ``end``, ``exclude`` left out."""
        if end <= start:
            return 0.0
        total = 0.0
        for a, b in self.free_intervals(start, exclude):
            if a >= end:
                break
            total += _hours(a, min(b, end))
        return total

    def add_hours(self, start, hours, exclude=()):
        """The moment ``hours`` of working time after ``start``, ``exclude`` left
        out."""
        if hours <= 0:
            return start
        left = hours
        for a, b in self.free_intervals(start, exclude):
            length = _hours(a, b)
            if length >= left:
                return a + timedelta(hours=left)
            left -= length
        raise ValueError("No working time within a year.")  # pragma: no cover


def clock_start(calendar, start, cutoff=None):
    """When the clock starts for a parcel handed over at ``start``: ``start`` itself
    on a working day before its close and the ``cutoff`` (hours, e.g. 14.0);
    otherwise the opening of the next working day."""
    day = start.date()
    if calendar.is_working_day(day):
        hour = _hours(_at(day, 0), start)
        if (cutoff is None or hour <= cutoff) and start < calendar.day_closing(day):
            return max(start, calendar.day_opening(day))
    return calendar.day_opening(calendar.next_working_day(day))


def due_time(
    calendar,
    start,
    hours=None,
    days=None,
    cutoff=None,
    delivery_weekdays=None,
    pauses=(),
):
    """When a parcel handed over at ``start`` must be delivered: after ``hours`` of
    working time, or at the close of the ``days``-th working day (J+1, J+2); pauses
    (``[(start, end), ...]``) do not count; moved to the close of the next delivery
    day when it falls on another weekday (``delivery_weekdays``: 0 is Monday).

    Returns ``(clock start, due time)``."""
    if (hours is None) == (days is None):
        raise ValueError("Give a delay in hours or in days.")
    pauses = sorted(pauses)
    begin = clock_start(calendar, start, cutoff)
    if hours is not None:
        due = calendar.add_hours(begin, hours, pauses)
    else:
        day = begin.date()
        for _index in range(int(days)):
            day = calendar.next_working_day(day)
        due = calendar.day_closing(day)
        paused = (
            calendar.work_hours(begin, due) - calendar.work_hours(begin, due, pauses)
            if pauses
            else 0.0
        )
        if paused > 1e-9:
            due = calendar.add_hours(due, paused, pauses)
    weekdays = set(delivery_weekdays or ())
    if weekdays and not (
        due.weekday() in weekdays and calendar.is_working_day(due.date())
    ):
        due = calendar.day_closing(calendar.next_working_day(due.date(), weekdays))
    return begin, due


def share_time(calendar, begin, due, share, pauses=()):
    """The moment ``share`` (0.8 = 80 %) of the working time from ``begin`` to
    ``due`` is used: from then on the parcel is at risk."""
    pauses = sorted(pauses)
    total = calendar.work_hours(begin, due, pauses)
    if total <= 0:
        return due
    return min(calendar.add_hours(begin, total * share, pauses), due)


def pause_intervals(events, now):
    """The pauses of a parcel from its event log: ``events`` are ``(date, pauses)``
    pairs in time order, ``pauses`` true for an event whose reason stops the clock.
    A pause lasts until the next event that does not pause, or until ``now``."""
    intervals = []
    paused_since = None
    for date, pauses in events:
        if pauses and paused_since is None:
            paused_since = date
        elif not pauses and paused_since is not None:
            if date > paused_since:
                intervals.append((paused_since, date))
            paused_since = None
    if paused_since is not None and now > paused_since:
        intervals.append((paused_since, now))
    return intervals


def sla_state(now, due, at_risk_from=None, delivered=None):
    """The SLA state: met or met late once delivered (on time = by the due time, no
    grace), else breached after the due time, at risk from ``at_risk_from`` on, on
    track before."""
    if delivered is not None:
        return MET if delivered <= due else MET_LATE
    if now > due:
        return BREACHED
    if at_risk_from is not None and now >= at_risk_from:
        return AT_RISK
    return ON_TRACK
