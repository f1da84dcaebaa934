# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""SLA due times (tools/sla.py) on a Monday-to-Friday calendar, 08:00-12:00 and
13:00-17:00, across weekends, a Moroccan Islamic holiday (Eid al-Fitr, Friday 20 March
2026), a French bank holiday (Ascension, Thursday 14 May 2026), cut-offs, delivery
weekdays and pauses."""

import importlib.util
import unittest
from datetime import datetime
from pathlib import Path


def _load_sla():
    """Import tools/sla.py by path: it needs neither Odoo nor a database."""
    path = Path(__file__).resolve().parents[1] / "tools" / "sla.py"
    spec = importlib.util.spec_from_file_location("tms_3pl_tools_sla", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sla = _load_sla()

WEEK = {day: [(8.0, 12.0), (13.0, 17.0)] for day in range(5)}
EID_AL_FITR = (datetime(2026, 3, 20), datetime(2026, 3, 21))
ASCENSION = (datetime(2026, 5, 14), datetime(2026, 5, 15))
# Monday 16 March 2026
MON = 16


def _mar(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute)


def _may(day, hour, minute=0):
    return datetime(2026, 5, day, hour, minute)


MON_WED_FRI = {0, 2, 4}

# (what it checks, start, keyword arguments of due_time, expected due time)
DUE_CASES = [
    ("J+1 before the cut-off", _mar(MON, 10), {"days": 1, "cutoff": 14}, _mar(17, 17)),
    (
        "J+1 after the cut-off starts the next day",
        _mar(MON, 15),
        {"days": 1, "cutoff": 14},
        _mar(18, 17),
    ),
    ("J+1 on a Friday skips the weekend", _mar(13, 10), {"days": 1}, _mar(MON, 17)),
    (
        "handed over on a Saturday: the clock starts on Monday",
        _mar(14, 10),
        {"days": 1},
        _mar(17, 17),
    ),
    ("J+2 across the weekend", _mar(19, 9), {"days": 2}, _mar(23, 17)),
    (
        "J+1 over Eid al-Fitr (Morocco)",
        _mar(19, 10),
        {"days": 1, "holidays": [EID_AL_FITR]},
        _mar(23, 17),
    ),
    (
        "J+1 over Ascension (France)",
        _may(13, 10),
        {"days": 1, "holidays": [ASCENSION]},
        _may(15, 17),
    ),
    (
        "handed over on a bank holiday",
        _may(14, 10),
        {"days": 1, "holidays": [ASCENSION]},
        _may(18, 17),
    ),
    (
        "J+0: the same working day",
        _mar(MON, 9),
        {"days": 0, "cutoff": 12},
        _mar(MON, 17),
    ),
    (
        "J+0 after the cut-off: the next working day",
        _mar(MON, 13),
        {"days": 0, "cutoff": 12},
        _mar(17, 17),
    ),
    ("24 working hours", _mar(MON, 10), {"hours": 24}, _mar(19, 10)),
    ("4 working hours over lunch", _mar(MON, 11), {"hours": 4}, _mar(MON, 16)),
    (
        "working hours over the weekend and a holiday",
        _mar(19, 13),
        {"hours": 8, "holidays": [EID_AL_FITR]},
        _mar(23, 12),
    ),
    (
        "handed over before opening",
        _mar(MON, 6),
        {"hours": 2},
        _mar(MON, 10),
    ),
    (
        "J+1 on a zone delivered Mon/Wed/Fri waits for Wednesday",
        _mar(MON, 10),
        {"days": 1, "delivery_weekdays": MON_WED_FRI},
        _mar(18, 17),
    ),
    (
        "already on a delivery day: unchanged",
        _mar(17, 10),
        {"days": 1, "delivery_weekdays": MON_WED_FRI},
        _mar(18, 17),
    ),
    (
        "delivery day on a holiday moves to the next delivery day",
        _mar(19, 10),
        {"days": 0, "delivery_weekdays": {4}, "holidays": [EID_AL_FITR]},
        _mar(27, 17),
    ),
    (
        "a pause of 3 working hours moves the due time by 3 working hours",
        _mar(MON, 8),
        {"hours": 8, "pauses": [(_mar(MON, 10), _mar(MON, 14))]},
        _mar(17, 11),
    ),
    (
        "a pause of one working day on J+1",
        _mar(MON, 10),
        {"days": 1, "pauses": [(_mar(17, 8), _mar(18, 8))]},
        _mar(18, 17),
    ),
    (
        "a pause over the weekend costs no working time",
        _mar(13, 10),
        {"days": 1, "pauses": [(_mar(13, 18), _mar(MON, 8))]},
        _mar(MON, 17),
    ),
    (
        "a pause after the due time changes nothing",
        _mar(MON, 10),
        {"days": 1, "pauses": [(_mar(18, 9), _mar(18, 10))]},
        _mar(17, 17),
    ),
    (
        "a pause, then the delivery weekday",
        _mar(MON, 10),
        {
            "days": 1,
            "pauses": [(_mar(17, 8), _mar(18, 8))],
            "delivery_weekdays": {4},
        },
        _mar(20, 17),
    ),
]


class TestDueTime(unittest.TestCase):
    def test_due_times(self):
        for label, start, kwargs, expected in DUE_CASES:
            with self.subTest(label):
                kwargs = dict(kwargs)
                calendar = sla.WorkCalendar(WEEK, kwargs.pop("holidays", ()))
                _begin, due = sla.due_time(calendar, start, **kwargs)
                self.assertEqual(due, expected)

    def test_clock_start(self):
        calendar = sla.WorkCalendar(WEEK)
        cases = [
            (_mar(MON, 10), None, _mar(MON, 10)),
            (_mar(MON, 6), None, _mar(MON, 8)),
            (_mar(MON, 14, 30), 14, _mar(17, 8)),
            (_mar(MON, 18), None, _mar(17, 8)),
            (_mar(15, 10), None, _mar(MON, 8)),
        ]
        for start, cutoff, expected in cases:
            with self.subTest(start=start, cutoff=cutoff):
                self.assertEqual(sla.clock_start(calendar, start, cutoff), expected)

    def test_half_day_closure(self):
        calendar = sla.WorkCalendar(WEEK, [(_mar(17, 12), _mar(17, 17))])
        self.assertEqual(
            sla.due_time(calendar, _mar(MON, 13), hours=8)[1], _mar(17, 12)
        )
        self.assertEqual(sla.due_time(calendar, _mar(MON, 10), days=1)[1], _mar(17, 12))

    def test_one_delay_needed(self):
        calendar = sla.WorkCalendar(WEEK)
        with self.assertRaises(ValueError):
            sla.due_time(calendar, _mar(MON, 10))
        with self.assertRaises(ValueError):
            sla.due_time(calendar, _mar(MON, 10), hours=2, days=1)

    def test_calendar_without_working_time(self):
        with self.assertRaises(ValueError):
            sla.WorkCalendar({0: []})

    def test_work_hours(self):
        calendar = sla.WorkCalendar(WEEK, [EID_AL_FITR])
        self.assertEqual(calendar.work_hours(_mar(19, 8), _mar(23, 17)), 16)
        self.assertEqual(
            calendar.work_hours(
                _mar(MON, 8), _mar(MON, 17), [(_mar(MON, 11), _mar(MON, 14))]
            ),
            6,
        )


class TestShareTime(unittest.TestCase):
    def test_eighty_percent(self):
        calendar = sla.WorkCalendar(WEEK)
        self.assertEqual(
            sla.share_time(calendar, _mar(MON, 8), _mar(MON, 17), 0.8),
            _mar(MON, 15, 24),
        )

    def test_eighty_percent_over_two_days(self):
        calendar = sla.WorkCalendar(WEEK)
        # 16 working hours, 12.8 used: Tuesday 13:00 + 0.8 h
        self.assertEqual(
            sla.share_time(calendar, _mar(MON, 8), _mar(17, 17), 0.8),
            _mar(17, 13, 48),
        )

    def test_pause_moves_the_risk(self):
        calendar = sla.WorkCalendar(WEEK)
        pauses = [(_mar(MON, 8), _mar(MON, 12))]
        # 4 working hours left outside the pause; 80 % of them after 13:00
        self.assertEqual(
            sla.share_time(calendar, _mar(MON, 8), _mar(MON, 17), 0.8, pauses),
            _mar(MON, 16, 12),
        )


class TestPausesFromEvents(unittest.TestCase):
    def test_pause_until_next_event(self):
        events = [
            (_mar(MON, 9), False),
            (_mar(MON, 11), True),
            (_mar(17, 9), False),
            (_mar(17, 15), True),
            (_mar(17, 16), True),
        ]
        self.assertEqual(
            sla.pause_intervals(events, now=_mar(18, 10)),
            [(_mar(MON, 11), _mar(17, 9)), (_mar(17, 15), _mar(18, 10))],
        )

    def test_no_pause(self):
        self.assertEqual(sla.pause_intervals([(_mar(MON, 9), False)], _mar(17, 9)), [])


class TestState(unittest.TestCase):
    def test_states(self):
        due = _mar(17, 17)
        risk = _mar(17, 13)
        cases = [
            ("on track", _mar(MON, 10), None, sla.ON_TRACK),
            ("at risk", _mar(17, 14), None, sla.AT_RISK),
            ("breached", _mar(17, 17, 1), None, sla.BREACHED),
            ("met", _mar(18, 9), _mar(17, 17), sla.MET),
            ("met late", _mar(18, 9), _mar(17, 17, 1), sla.MET_LATE),
        ]
        for label, now, delivered, expected in cases:
            with self.subTest(label):
                self.assertEqual(sla.sla_state(now, due, risk, delivered), expected)
