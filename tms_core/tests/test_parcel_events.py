# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.tms_core.models.parcel.tms_parcel_event import TmsTransitionError
from odoo.addons.tms_core.tests.common import TmsCommon


@tagged("post_install", "-at_install")
class TestParcelEvents(TmsCommon):
    def _event(self, parcel, state, **vals):
        return self.env["tms.parcel.event"]._record(
            [dict(vals, parcel_id=parcel.id, state=state)]
        )

    def test_create_gives_s10_number_and_first_event(self):
        parcels = self._create_parcel() | self._create_parcel(state="confirmed")
        for parcel in parcels:
            self.assertRegex(parcel.tracking_number, r"^RR\d{9}MA$")
            self.assertTrue(
                self.env["tms.parcel"]._tms_parse_tracking_number(
                    parcel.tracking_number
                )
            )
        self.assertNotEqual(parcels[0].tracking_number, parcels[1].tracking_number)
        # each parcel has its own unguessable public tracking link
        self.assertNotEqual(parcels[0].access_token, parcels[1].access_token)
        url = parcels[0]._tms_public_tracking_url()
        self.assertTrue(url.endswith(f"/track/{parcels[0].access_token}"))
        self.assertNotIn(str(parcels[0].id), url.rsplit("/", 1)[-1])
        self.assertEqual(parcels.mapped("state"), ["draft", "confirmed"])
        self.assertEqual(parcels[1].event_ids.state, "confirmed")
        self.assertFalse(parcels[1].event_ids.previous_state)

    def test_batch_takes_consecutive_serials(self):
        parcels = self.env["tms.parcel"].create(
            [{"company_id": self.company_ma.id} for _i in range(3)]
        )
        serials = [int(p.tracking_number[2:10]) for p in parcels]
        self.assertEqual(serials, list(range(serials[0], serials[0] + 3)))
        following = self._create_parcel()
        self.assertEqual(int(following.tracking_number[2:10]), serials[-1] + 1)

    def test_service_indicator_and_company_country(self):
        express = self.env.ref("tms_core.tms_service_express")
        parcel_ma = self._create_parcel(service_id=express.id)
        self.assertRegex(parcel_ma.tracking_number, r"^EE\d{9}MA$")
        parcel_fr = self._create_parcel(company=self.company_fr)
        self.assertTrue(parcel_fr.tracking_number.endswith("FR"))

    def test_tracking_number_never_reused(self):
        parcel = self._create_parcel()
        number = parcel.tracking_number
        parcel.unlink()  # a draft parcel may be deleted...
        others = self.env["tms.parcel"].create(
            [{"company_id": self.company_ma.id} for _i in range(5)]
        )
        self.assertNotIn(
            number, others.mapped("tracking_number")
        )  # ...its number is not reissued
        with self.assertRaises(UserError):
            others[0].write({"tracking_number": number})

    def test_given_tracking_number_is_checked(self):
        parcel = self._create_parcel(tracking_number="rr 123456785 ma")
        self.assertEqual(parcel.tracking_number, "RR123456785MA")
        with self.assertRaisesRegex(UserError, "wrong check digit"):
            self._create_parcel(tracking_number="RR123456784MA")
        with self.assertRaisesRegex(UserError, "not a tracking number"):
            self._create_parcel(tracking_number="ABC")
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._create_parcel(tracking_number="RR123456785MA")  # already used

    def test_full_life_and_dates(self):
        t0 = datetime(2026, 3, 2, 9, 0)
        parcel = self._create_parcel(
            state="confirmed", date_shipping=t0 - timedelta(hours=1)
        )
        self._event(parcel, "picked_up", event_date=t0)
        self._event(
            parcel, "at_hub", event_date=t0 + timedelta(hours=2), hub_id=self.hub_cas.id
        )
        self._event(parcel, "out_for_delivery", event_date=t0 + timedelta(hours=20))
        self._event(
            parcel,
            "failed",
            event_date=t0 + timedelta(hours=22),
            failure_reason_id=self.env.ref("tms_core.tms_failure_reason_absent").id,
        )
        self._event(parcel, "out_for_delivery", event_date=t0 + timedelta(hours=44))
        self._event(parcel, "delivered", event_date=t0 + timedelta(hours=45))
        self.assertEqual(parcel.state, "delivered")
        self.assertEqual(parcel.hub_id, self.hub_cas)
        self.assertEqual(parcel.date_picked_up, t0)
        self.assertEqual(parcel.date_delivered, t0 + timedelta(hours=45))
        self.assertEqual(parcel.failed_attempt_count, 1)
        self.assertEqual(
            parcel.event_ids.sorted("event_date").mapped("state"),
            [
                "confirmed",
                "picked_up",
                "at_hub",
                "out_for_delivery",
                "failed",
                "out_for_delivery",
                "delivered",
            ],
        )

    def test_forbidden_transition_changes_nothing(self):
        parcel = self._create_parcel(state="confirmed")
        parcel.action_cancel()
        self.assertEqual(parcel.state, "cancelled")
        count = parcel.event_count
        with self.assertRaises(TmsTransitionError) as ctx:
            self._event(parcel, "delivered")
        self.assertIn("cannot go from Cancelled to Delivered", str(ctx.exception))
        self.assertEqual(parcel.state, "cancelled")
        parcel.invalidate_recordset()
        self.assertEqual(parcel.event_count, count)

    def test_batch_is_all_or_nothing(self):
        ok, cancelled = self._create_parcel(state="confirmed"), self._create_parcel()
        cancelled.action_cancel()
        with self.assertRaises(TmsTransitionError):
            self.env["tms.parcel.event"]._record(
                [
                    {"parcel_id": ok.id, "state": "picked_up"},
                    {"parcel_id": cancelled.id, "state": "picked_up"},
                ]
            )
        self.assertEqual(ok.state, "confirmed")
        self.assertEqual(ok.event_count, 1)

    def test_transitions_are_data(self):
        parcel = self._create_parcel(state="confirmed")
        with self.assertRaises(TmsTransitionError):
            self._event(parcel, "delivered")
        # an administrator allows direct delivery (e.g. a shop counter)
        self.env["tms.parcel.transition"].create(
            {"from_state": "confirmed", "to_state": "delivered"}
        )
        self._event(parcel, "delivered")
        self.assertEqual(parcel.state, "delivered")

    def test_manual_state_write_is_an_event(self):
        parcel = self._create_parcel(state="confirmed")
        parcel.write({"state": "picked_up"})
        self.assertEqual(parcel.state, "picked_up")
        self.assertEqual(parcel.event_ids[0].source, "manual")
        with self.assertRaises(TmsTransitionError):
            parcel.write({"state": "draft"})

    def test_parcel_created_in_later_state_is_refused(self):
        with self.assertRaises(ValidationError):
            self._create_parcel(state="delivered")

    def test_idempotency_key(self):
        parcel = self._create_parcel(state="confirmed")
        first = self._event(parcel, "picked_up", idempotency_key="scan-001")
        again = self._event(parcel, "picked_up", idempotency_key="scan-001")
        self.assertEqual(first, again)
        self.assertEqual(parcel.event_count, 2)
        # a repeated key inside one batch is recorded once as well
        events = self.env["tms.parcel.event"]._record(
            [
                {
                    "parcel_id": parcel.id,
                    "state": "at_hub",
                    "idempotency_key": "scan-002",
                },
                {
                    "parcel_id": parcel.id,
                    "state": "at_hub",
                    "idempotency_key": "scan-002",
                },
            ]
        )
        self.assertEqual(events[0], events[1])
        self.assertEqual(parcel.event_count, 3)
        # the same key for another parcel is a client bug, not a silent no-op
        other = self._create_parcel(state="confirmed")
        with self.assertRaisesRegex(UserError, "already used"):
            self._event(other, "picked_up", idempotency_key="scan-001")

    def test_idempotency_keys_are_per_company(self):
        parcel_ma = self._create_parcel(state="confirmed")
        parcel_fr = self._create_parcel(company=self.company_fr, state="confirmed")
        ev_ma = self._event(parcel_ma, "picked_up", idempotency_key="k1")
        ev_fr = self._event(parcel_fr, "picked_up", idempotency_key="k1")
        self.assertNotEqual(ev_ma, ev_fr)
        self.assertEqual(parcel_fr.state, "picked_up")

    def test_late_event_kept_without_moving_back(self):
        t0 = datetime(2026, 3, 2, 9, 0)
        parcel = self._create_parcel(
            state="confirmed", date_shipping=t0 - timedelta(hours=1)
        )
        self._event(parcel, "picked_up", event_date=t0)
        self._event(
            parcel, "at_hub", event_date=t0 + timedelta(hours=3), hub_id=self.hub_cas.id
        )
        # an offline scanner sends its pickup-hub scan hours later, dated earlier
        late = self._event(parcel, "in_transit", event_date=t0 + timedelta(hours=1))
        self.assertFalse(late.is_applied)
        self.assertEqual(parcel.state, "at_hub")
        self.assertEqual(parcel.last_event_date, t0 + timedelta(hours=3))
        timeline = parcel.event_ids.sorted("event_date").mapped("state")
        self.assertEqual(timeline, ["confirmed", "picked_up", "in_transit", "at_hub"])

    def test_events_are_append_only(self):
        parcel = self._create_parcel(state="confirmed")
        event = parcel.event_ids
        with self.assertRaises(UserError):
            event.write({"note": "changed"})
        with self.assertRaises(UserError):
            event.unlink()

    def test_future_device_time_refused(self):
        parcel = self._create_parcel(state="confirmed")
        with self.assertRaisesRegex(ValidationError, "in the future"):
            self._event(
                parcel, "picked_up", event_date=datetime.now() + timedelta(hours=2)
            )
        self.assertEqual(parcel.state, "confirmed")

    def test_only_draft_parcels_deleted(self):
        parcel = self._create_parcel(state="confirmed")
        with self.assertRaises(UserError):
            parcel.unlink()
