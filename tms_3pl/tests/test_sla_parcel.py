# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from ..models.sla.tms_parcel import TmsParcel
from ..models.sla.tms_sla_policy import TmsSlaPolicy
from .common import THURSDAY, Tms3plCommon


def _mar(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute)


@tagged("post_install", "-at_install")
class TestSlaParcel(Tms3plCommon):
    def test_due_time_skips_the_holiday_and_the_weekend(self):
        with freeze_time(THURSDAY):
            parcel = self._parcel()
        self.assertEqual(parcel.sla_policy_id, self.policy)
        self.assertEqual(parcel.sla_state, "on_track")
        self.assertEqual(parcel.sla_date_start, THURSDAY)
        # Friday is Eid al-Fitr: J+1 is Monday, at closing time
        self.assertEqual(parcel.sla_date_due, _mar(23, 17))
        # 80 % of 14 working hours: Monday 14:12
        self.assertEqual(parcel.sla_date_at_risk, _mar(23, 14, 12))

    def test_after_the_cutoff_the_clock_starts_next_working_day(self):
        with freeze_time(_mar(19, 15)):
            parcel = self._parcel(date_shipping=_mar(19, 15))
        self.assertEqual(parcel.sla_date_start, _mar(23, 8))
        self.assertEqual(parcel.sla_date_due, _mar(24, 17))

    def test_most_specific_policy_wins(self):
        generic = self.env["tms.sla.policy"].create(
            {
                "name": "Everyone 48 h",
                "company_id": self.company_ma.id,
                "delay": 16,
                "delay_unit": "hours",
                "resource_calendar_id": self.calendar.id,
                "sequence": 1,
            }
        )
        zone_policy = self.env["tms.sla.policy"].create(
            {
                "name": "Atlas Casablanca same day",
                "company_id": self.company_ma.id,
                "partner_id": self.shipper_ma.id,
                "zone_ids": [Command.set(self.zone_cas.ids)],
                "delay": 0,
                "resource_calendar_id": self.calendar.id,
            }
        )
        other_shipper = self.env["res.partner"].create(
            {"name": "Other shop", "company_id": self.company_ma.id}
        )
        with freeze_time(THURSDAY):
            atlas = self._parcel()
            other = self._parcel(shipper_id=other_shipper.id)
        self.assertEqual(atlas.sla_policy_id, zone_policy)
        self.assertEqual(atlas.sla_date_due, _mar(19, 17))
        self.assertEqual(other.sla_policy_id, generic)
        # 16 working hours: 6 on Thursday, none on Eid, 8 on Monday, 2 on Tuesday
        self.assertEqual(other.sla_date_due, _mar(24, 10))

    def test_no_policy_no_sla(self):
        self.policy.active = False
        with freeze_time(THURSDAY):
            parcel = self._parcel()
        self.assertFalse(parcel.sla_policy_id)
        self.assertFalse(parcel.sla_state)
        self.assertFalse(parcel.sla_date_due)

    def test_batch_creation_matches_and_plans_once(self):
        match = TmsSlaPolicy._tms_match
        build = TmsParcel._tms_sla_build_calendar
        calls = {"match": 0, "build": 0}

        def counting_match(policy_model, parcels):
            calls["match"] += 1
            return match(policy_model, parcels)

        def counting_build(parcel_model, *args):
            calls["build"] += 1
            return build(parcel_model, *args)

        vals = {
            "company_id": self.company_ma.id,
            "shipper_id": self.shipper_ma.id,
            "recipient_id": self.recipient_ma.id,
            "service_id": self.service_std.id,
            "state": "confirmed",
            "date_shipping": THURSDAY,
        }
        with (
            freeze_time(THURSDAY),
            patch.object(TmsSlaPolicy, "_tms_match", counting_match),
            patch.object(TmsParcel, "_tms_sla_build_calendar", counting_build),
        ):
            parcels = (
                self.env["tms.parcel"]
                .with_company(self.company_ma)
                .create([dict(vals) for _i in range(25)])
            )
        self.assertEqual(calls, {"match": 1, "build": 1})
        self.assertEqual(set(parcels.mapped("sla_date_due")), {_mar(23, 17)})

    def _deliver_after_a_pause(self, reason):
        with freeze_time(THURSDAY):
            parcel = self._parcel()
        with freeze_time(_mar(24, 10)):
            self._event(parcel, "picked_up", _mar(19, 11))
            self._event(parcel, "at_hub", _mar(19, 12), hub_id=self.hub_cas.id)
            self._event(parcel, "out_for_delivery", _mar(23, 8, 30))
            self._event(parcel, "failed", _mar(23, 9), failure_reason_id=reason.id)
            paused = parcel.sla_paused
            self._event(parcel, "out_for_delivery", _mar(23, 13))
            self._event(parcel, "delivered", _mar(24, 10))
        return parcel, paused

    def test_recipient_absent_pauses_the_clock(self):
        parcel, paused = self._deliver_after_a_pause(self.reason_absent)
        self.assertTrue(paused, "the clock stops while the recipient is absent")
        self.assertFalse(parcel.sla_paused)
        # paused 09:00-13:00 on Monday: 3 working hours (lunch is not working time)
        self.assertEqual(parcel.sla_date_due, _mar(24, 11))
        self.assertEqual(parcel.sla_state, "met")
        self.assertEqual(parcel.sla_date_at_destination, _mar(19, 12))

    def test_refusal_does_not_pause_the_clock(self):
        parcel, paused = self._deliver_after_a_pause(self.reason_refused)
        self.assertFalse(paused)
        self.assertEqual(parcel.sla_date_due, _mar(23, 17))
        self.assertEqual(parcel.sla_state, "met_late")

    def test_a_policy_can_refuse_a_pause(self):
        self.policy.pause_reason_ids = [Command.clear()]
        parcel, paused = self._deliver_after_a_pause(self.reason_absent)
        self.assertFalse(paused)
        self.assertEqual(parcel.sla_state, "met_late")

    def test_delivered_in_time_is_met(self):
        with freeze_time(THURSDAY):
            parcel = self._parcel()
        with freeze_time(_mar(23, 16)):
            self._event(parcel, "at_hub", _mar(19, 12), hub_id=self.hub_cas.id)
            self._event(parcel, "delivered", _mar(23, 16))
        self.assertEqual(parcel.sla_state, "met")

    def test_late_pickup_puts_the_parcel_at_risk(self):
        self.policy.pickup_gate_hours = 2
        with freeze_time(THURSDAY):
            parcel = self._parcel()
        self.assertEqual(parcel.sla_date_pickup_due, _mar(19, 12))
        with freeze_time(_mar(19, 14)):
            self._event(parcel, "picked_up", _mar(19, 14))
        self.assertEqual(parcel.sla_state, "at_risk")
        self.assertEqual(parcel.sla_risk_cause, "pickup")

    def test_clock_starting_at_pickup(self):
        self.policy.clock_start = "pickup"
        with freeze_time(THURSDAY):
            parcel = self._parcel()
        self.assertEqual(parcel.sla_date_due, _mar(23, 17))
        with freeze_time(_mar(19, 15)):
            self._event(parcel, "picked_up", _mar(19, 15))
        # picked up after the cut-off: the clock starts on Monday
        self.assertEqual(parcel.sla_date_due, _mar(24, 17))

    def test_delivery_weekdays_of_the_policy(self):
        self.policy.weekday_ids = self.env["tms.weekday"].search([("code", "=", 2)])
        with freeze_time(THURSDAY):
            parcel = self._parcel()
        self.assertEqual(parcel.sla_date_due, _mar(25, 17))

    def test_carrier_calendar_when_the_policy_has_none(self):
        self.policy.resource_calendar_id = False
        saturday_calendar = self.calendar.copy({"name": "Six days"})
        saturday_calendar.attendance_ids = [
            Command.create(
                {
                    "name": "Saturday",
                    "dayofweek": "5",
                    "hour_from": 8,
                    "hour_to": 12,
                    "day_period": "morning",
                }
            )
        ]
        carrier = self.env["tms.carrier"].create(
            {
                "name": "Saturday carrier",
                "company_id": self.company_ma.id,
                "resource_calendar_id": saturday_calendar.id,
            }
        )
        with freeze_time(THURSDAY):
            parcel = self._parcel(carrier_id=carrier.id)
        # the carrier works on Saturday mornings: J+1 after Eid is Saturday noon
        self.assertEqual(parcel.sla_date_due, _mar(21, 12))

    def test_driver_scan_pauses_the_clock(self):
        driver = self._create_tms_user(
            "driver_3pl", self.company_ma, "group_tms_driver"
        )
        with freeze_time(THURSDAY):
            parcel = self._parcel(driver_id=driver.id)
        Event = self.env["tms.parcel.event"].with_user(driver)
        with freeze_time(_mar(23, 9)):
            for state, date, vals in (
                ("at_hub", _mar(19, 12), {"hub_id": self.hub_cas.id}),
                ("out_for_delivery", _mar(23, 8, 30), {}),
                ("failed", _mar(23, 9), {"failure_reason_id": self.reason_absent.id}),
            ):
                Event._record(
                    [dict(vals, parcel_id=parcel.id, state=state, event_date=date)]
                )
        self.assertTrue(parcel.sla_paused)
        self.assertEqual(parcel.sla_date_at_destination, _mar(19, 12))
