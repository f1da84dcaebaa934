# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import uuid
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError

from ..models.parcel.tms_parcel_event import TmsParcelEvent, TmsTransitionError
from ..tools import gs1
from ..tools import tracking_number as tn
from .common import TmsCommon


class TestScan(TmsCommon):
    """The scan screen's server side: one call per scan, a result for every case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hub_rba = cls.env["tms.hub"].create(
            {"name": "Rabat Agency", "code": "RBA", "company_id": cls.company_ma.id}
        )
        cls.driver_ma = cls._create_tms_user(
            "driver_ma", cls.company_ma, "group_tms_driver"
        )
        cls.driver2_ma = cls._create_tms_user(
            "driver2_ma", cls.company_ma, "group_tms_driver"
        )
        cls.reason_absent = cls.env.ref("tms_core.tms_failure_reason_absent")
        cls.company_ma.tms_gs1_company_prefix = "6111234"

    # ----------------------------------------------------------------------------------
    # helpers
    # ----------------------------------------------------------------------------------
    def _scan(self, code, operation, user=None, **options):
        options.setdefault("idempotency_key", str(uuid.uuid4()))
        user = user or self.user_ma
        return (
            self.env["tms.scan"]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
            .scan(code, operation, options)
        )

    def _undo(self, token, user=None):
        user = user or self.user_ma
        return (
            self.env["tms.scan"]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
            .undo(token)
        )

    def _parcel_in(self, state, hub=None, **vals):
        """A parcel of the Moroccan company, shipped two hours ago and moved to
        ``state`` along the usual journey, one minute a step, an hour ago."""
        now = fields.Datetime.now()
        parcel = self._create_parcel(
            state="confirmed", date_shipping=now - timedelta(hours=2), **vals
        )
        journey = {
            "picked_up": ["picked_up"],
            "at_hub": ["picked_up", "at_hub"],
            "in_transit": ["picked_up", "at_hub", "in_transit"],
            "out_for_delivery": ["picked_up", "at_hub", "out_for_delivery"],
            "delivered": ["picked_up", "at_hub", "out_for_delivery", "delivered"],
            "returning": ["picked_up", "at_hub", "returning"],
            "failed": ["picked_up", "at_hub", "out_for_delivery", "failed"],
            "cancelled": ["cancelled"],
        }.get(state, [])
        start = now - timedelta(hours=1)
        self.env["tms.parcel.event"]._record(
            [
                {
                    "parcel_id": parcel.id,
                    "state": step,
                    "hub_id": (hub or self.hub_cas).id if step == "at_hub" else False,
                    "event_date": start + timedelta(minutes=i),
                    "failure_reason_id": self.reason_absent.id
                    if step == "failed"
                    else False,
                }
                for i, step in enumerate(journey)
            ]
        )
        self.assertEqual(parcel.state, state)
        return parcel

    def _scan_events(self, parcel):
        return parcel.event_ids.filtered(lambda e: e.source == "scan")

    def _valid_unknown_number(self):
        return tn.s10_make("RR", 99999999, "MA")

    # ----------------------------------------------------------------------------------
    # ok
    # ----------------------------------------------------------------------------------
    def test_scan_records_an_event_with_everything_the_screen_sent(self):
        parcel = self._parcel_in("confirmed")
        device_time = fields.Datetime.now().replace(microsecond=0) - timedelta(
            seconds=30
        )
        result = self._scan(
            f"  {parcel.tracking_number.lower()}\n",
            "pickup",
            idempotency_key="scan-0001-aaaa",
            device_time=device_time.isoformat() + "Z",
            latitude=33.5731,
            longitude=-7.5898,
            device="Zebra TC21",
        )
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(result["sound"], "ok")
        self.assertEqual(result["undo_token"], "scan-0001-aaaa")
        self.assertEqual(result["count"], 1)
        self.assertEqual(
            result["parcel"],
            {
                "id": parcel.id,
                "tracking_number": parcel.tracking_number,
                "state": "picked_up",
                "state_label": "Picked Up",
                "recipient_city": "Casablanca",
                "destination_hub_code": "CAS",
                "hub_code": "",
            },
        )
        self.assertEqual(parcel.state, "picked_up")
        event = self._scan_events(parcel)
        self.assertEqual(len(event), 1)
        self.assertRecordValues(
            event,
            [
                {
                    "state": "picked_up",
                    "previous_state": "confirmed",
                    "user_id": self.user_ma.id,
                    "event_date": device_time,
                    "latitude": 33.5731,
                    "longitude": -7.5898,
                    "device": "Zebra TC21",
                    "idempotency_key": "scan-0001-aaaa",
                    "is_applied": True,
                }
            ],
        )

    def test_arrival_records_the_hub_and_moves_between_hubs(self):
        parcel = self._parcel_in("in_transit")
        result = self._scan(parcel.tracking_number, "arrival", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual((parcel.state, parcel.hub_id), ("at_hub", self.hub_cas))
        self.assertEqual(result["parcel"]["hub_code"], "CAS")
        # the same parcel arriving at another hub is a transfer, not a re-scan
        result = self._scan(parcel.tracking_number, "arrival", hub_id=self.hub_rba.id)
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(parcel.hub_id, self.hub_rba)
        self.assertEqual(len(self._scan_events(parcel)), 2)

    def test_operations_need_their_options(self):
        parcel = self._parcel_in("out_for_delivery")
        clerk = self.env["res.users"].create(
            {
                "name": "Accounting Clerk",
                "login": "clerk_ma",
                "company_id": self.company_ma.id,
                "company_ids": [(6, 0, self.company_ma.ids)],
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        for operation, options in (
            ("arrival", {}),
            ("departure", {}),
            ("failed", {}),
            ("failed", {"failure_reason_id": 999999}),
            ("arrival", {"hub_id": self.hub_par.id}),  # another company's hub
            ("arrival", {"hub_id": "1; DROP TABLE tms_parcel"}),
            ("arrival", {"hub_id": True}),
            ("fly_away", {}),
        ):
            result = self._scan(parcel.tracking_number, operation, **options)
            self.assertEqual(result["status"], "error", (operation, options))
            self.assertEqual(result["sound"], "error")
            self.assertTrue(result["message"])
        # loading for someone who is not a driver, or not of the parcel's company
        at_hub = self._parcel_in("at_hub")
        result = self._scan(at_hub.tracking_number, "loaded", driver_id=clerk.id)
        self.assertEqual(result["status"], "error")
        result = self._scan(at_hub.tracking_number, "loaded", driver_id=self.user_fr.id)
        self.assertEqual(result["status"], "forbidden")
        self.assertEqual((at_hub.state, at_hub.driver_id.id), ("at_hub", False))
        # a reason that requires a note
        reason = self.env.ref("tms_core.tms_failure_reason_wrong_address")
        self.assertTrue(reason.requires_note)
        result = self._scan(
            parcel.tracking_number, "failed", failure_reason_id=reason.id
        )
        self.assertEqual(result["status"], "error")
        self.assertEqual(parcel.state, "out_for_delivery")
        self.assertFalse(self._scan_events(parcel))
        result = self._scan(
            parcel.tracking_number,
            "failed",
            failure_reason_id=reason.id,
            note="No building 12 in this street",
            vehicle=["not", "text"],
            device=12,
            latitude=True,
            longitude=False,
        )
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(parcel.state, "failed")
        self.assertEqual(parcel.failed_attempt_count, 1)
        self.assertRecordValues(
            self._scan_events(parcel),
            [{"failure_reason_id": reason.id, "note": "No building 12 in this street"}],
        )

    def test_loaded_for_delivery_hands_the_parcel_to_the_driver(self):
        parcel = self._parcel_in("at_hub")
        result = self._scan(
            parcel.tracking_number,
            "loaded",
            driver_id=self.driver_ma.id,
            vehicle="12345-A-6",
        )
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(parcel.state, "out_for_delivery")
        self.assertEqual(parcel.driver_id, self.driver_ma)
        event = self._scan_events(parcel)
        self.assertEqual(event.driver_id, self.driver_ma)
        self.assertIn("12345-A-6", event.note)
        # the driver now sees it and can scan it delivered
        result = self._scan(parcel.tracking_number, "delivered", user=self.driver_ma)
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(parcel.state, "delivered")
        # loading it again for another driver is not a silent reassignment
        other = self._parcel_in("out_for_delivery")
        other.sudo().driver_id = self.driver_ma
        result = self._scan(
            other.tracking_number, "loaded", driver_id=self.driver2_ma.id
        )
        self.assertEqual(result["status"], "forbidden")
        self.assertIn(self.driver_ma.name, result["message"])
        self.assertEqual(other.driver_id, self.driver_ma)

    def test_return_received_follows_the_transition_table(self):
        returning = self._parcel_in("returning")
        failed = self._parcel_in("failed")
        result = self._scan(returning.tracking_number, "return", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(returning.state, "returned")
        result = self._scan(failed.tracking_number, "return", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(failed.state, "at_hub")
        # scanned again at the same hub: a re-scan
        result = self._scan(failed.tracking_number, "return", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "already")

    def test_late_scan_is_kept_without_moving_the_parcel(self):
        parcel = self._parcel_in("at_hub")
        before = parcel.last_event_date - timedelta(hours=2)
        result = self._scan(
            parcel.tracking_number,
            "pickup",
            device_time=before.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        )
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertTrue(result["late"])
        self.assertEqual(parcel.state, "at_hub")
        self.assertFalse(self._scan_events(parcel).is_applied)

    def test_device_clock_far_ahead_is_an_error(self):
        parcel = self._parcel_in("confirmed")
        ahead = fields.Datetime.now() + timedelta(hours=1)
        result = self._scan(
            parcel.tracking_number, "pickup", device_time=ahead.isoformat()
        )
        self.assertEqual(result["status"], "error")
        self.assertIn("clock", result["message"])
        result = self._scan(parcel.tracking_number, "pickup", device_time="yesterday")
        self.assertEqual(result["status"], "error")
        self.assertEqual(parcel.state, "confirmed")

    # ----------------------------------------------------------------------------------
    # unknown, bad check digit, bad format
    # ----------------------------------------------------------------------------------
    def test_unknown_number_with_a_valid_check_digit(self):
        number = self._valid_unknown_number()
        self.assertTrue(tn.is_valid(number))
        count = self.env["tms.parcel.event"].search_count([])
        result = self._scan(number, "arrival", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "unknown")
        self.assertEqual(result["sound"], "error")
        self.assertIn(number, result["message"])
        self.assertFalse(result["parcel"])
        self.assertEqual(self.env["tms.parcel.event"].search_count([]), count)

    def test_wrong_check_digit(self):
        parcel = self._parcel_in("in_transit")
        number = parcel.tracking_number
        wrong = f"{number[:10]}{(int(number[10]) + 1) % 10}{number[11:]}"
        result = self._scan(wrong, "arrival", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "bad_check_digit")
        self.assertEqual(result["code"], wrong)
        self.assertEqual(parcel.state, "in_transit")
        # numeric (Luhn) numbers too
        result = self._scan("10000000425", "arrival", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "bad_check_digit")

    def test_malformed_codes(self):
        for code in ("", "   ", "hello", "RR12MA", "x" * 600, None, 42, ["RR"]):
            result = self._scan(code, "arrival", hub_id=self.hub_cas.id)
            self.assertEqual(result["status"], "bad_format", repr(code)[:40])
            self.assertLessEqual(len(result["code"]), 60)

    def test_other_company_parcel_is_unknown(self):
        parcel_fr = self._create_parcel(company=self.company_fr, state="confirmed")
        parcel_ma = self._parcel_in("confirmed")
        count = len(parcel_ma.event_ids)
        for code in (parcel_ma.tracking_number, parcel_ma._tms_public_tracking_url()):
            result = self._scan(code, "pickup", user=self.user_fr)
            self.assertEqual(result["status"], "unknown", code)
            self.assertNotIn(parcel_ma.recipient_city, result["message"])
            self.assertFalse(result["parcel"])
        self.assertEqual(len(parcel_ma.event_ids), count)
        self.assertEqual(parcel_ma.state, "confirmed")
        # ...while the French operator scans their own
        result = self._scan(parcel_fr.tracking_number, "pickup", user=self.user_fr)
        self.assertEqual(result["status"], "ok", result["message"])

    def test_driver_sees_only_their_parcels_and_portal_users_nothing(self):
        parcel = self._parcel_in("out_for_delivery")
        result = self._scan(parcel.tracking_number, "delivered", user=self.driver_ma)
        self.assertEqual(result["status"], "unknown")
        portal = self.env["res.users"].create(
            {
                "name": "Portal Customer",
                "login": "portal_scan",
                "company_id": self.company_ma.id,
                "company_ids": [(6, 0, self.company_ma.ids)],
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        result = self._scan(parcel.tracking_number, "delivered", user=portal)
        self.assertEqual(result["status"], "error")
        self.assertEqual(parcel.state, "out_for_delivery")

    # ----------------------------------------------------------------------------------
    # already, forbidden
    # ----------------------------------------------------------------------------------
    def test_rescan_is_already_and_records_nothing(self):
        parcel = self._parcel_in("in_transit")
        first = self._scan(parcel.tracking_number, "arrival", hub_id=self.hub_cas.id)
        self.assertEqual(first["status"], "ok")
        again = self._scan(parcel.tracking_number, "arrival", hub_id=self.hub_cas.id)
        self.assertEqual(again["status"], "already")
        self.assertEqual(again["sound"], "notice")
        self.assertFalse(again["undo_token"])
        self.assertEqual(len(self._scan_events(parcel)), 1)

    def test_forbidden_transition_does_not_stop_the_flow(self):
        cancelled = self._parcel_in("cancelled")
        ready = self._parcel_in("out_for_delivery")
        result = self._scan(cancelled.tracking_number, "delivered")
        self.assertEqual(result["status"], "forbidden")
        self.assertEqual(result["sound"], "error")
        self.assertIn("Cancelled", result["message"])
        self.assertEqual(result["parcel"]["tracking_number"], cancelled.tracking_number)
        self.assertEqual(cancelled.state, "cancelled")
        self.assertFalse(self._scan_events(cancelled))
        # the next scan of the same batch goes through
        result = self._scan(ready.tracking_number, "delivered")
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(ready.state, "delivered")

    # ----------------------------------------------------------------------------------
    # QR code, idempotency
    # ----------------------------------------------------------------------------------
    def test_qr_code_url(self):
        parcel = self._parcel_in("confirmed")
        url = parcel._tms_public_tracking_url()
        self.assertIn("/track/", url)
        result = self._scan(url, "pickup")
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(parcel.state, "picked_up")
        # a token of no parcel: unknown, like another company's
        result = self._scan(
            f"https://example.com/track/{uuid.uuid4()}",
            "arrival",
            hub_id=self.hub_cas.id,
        )
        self.assertEqual(result["status"], "unknown")
        # a link holding the tracking number (a carrier's tracking page)
        result = self._scan(
            f"https://suivi.example.com/colis/{parcel.tracking_number}?lang=fr",
            "arrival",
            hub_id=self.hub_cas.id,
        )
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(parcel.state, "at_hub")
        result = self._scan(
            "https://example.com/about", "arrival", hub_id=self.hub_cas.id
        )
        self.assertEqual(result["status"], "bad_format")

    def test_resending_a_scan_records_it_once(self):
        parcel = self._parcel_in("in_transit")
        key = str(uuid.uuid4())
        first = self._scan(
            parcel.tracking_number,
            "arrival",
            hub_id=self.hub_cas.id,
            idempotency_key=key,
        )
        again = self._scan(
            parcel.tracking_number,
            "arrival",
            hub_id=self.hub_cas.id,
            idempotency_key=key,
        )
        self.assertEqual(first["status"], "ok")
        self.assertEqual(again["status"], "ok")
        self.assertTrue(again["replayed"])
        self.assertEqual(again["undo_token"], key)
        self.assertEqual(again["parcel"]["id"], parcel.id)
        self.assertEqual(len(self._scan_events(parcel)), 1)
        # a key the browser would never make
        result = self._scan(
            parcel.tracking_number, "departure", hub_id=1, idempotency_key="a%_"
        )
        self.assertEqual(result["status"], "error")

    # ----------------------------------------------------------------------------------
    # containers
    # ----------------------------------------------------------------------------------
    def _container(self, **vals):
        return (
            self.env["tms.container"]
            .with_user(self.user_ma)
            .with_context(allowed_company_ids=self.company_ma.ids)
            .create(dict({"container_type": "bag"}, **vals))
        )

    def _fill(self, container, parcels, operation="arrival"):
        opened = self._scan(
            container.code,
            operation,
            hub_id=self.hub_cas.id,
            container_mode=True,
        )
        self.assertEqual(opened["status"], "container_opened", opened["message"])
        for parcel in parcels:
            result = self._scan(
                parcel.tracking_number,
                operation,
                hub_id=self.hub_cas.id,
                container_mode=True,
                container_id=container.id,
            )
            self.assertIn(result["status"], ("ok", "already"), result["message"])
        closed = self._scan(
            container.code,
            operation,
            hub_id=self.hub_cas.id,
            container_mode=True,
            container_id=container.id,
        )
        self.assertEqual(closed["status"], "container_closed", closed["message"])
        self.assertEqual(closed["container"]["parcel_count"], len(parcels))

    def test_container_codes(self):
        bag = self._container()
        self.assertEqual(bag.code_type, "sscc")
        self.assertTrue(bag.code.startswith("06111234"), bag.code)
        self.assertTrue(gs1.sscc_is_valid(bag.code))
        free = self._container(code_type="free", container_type="pallet")
        self.assertRegex(free.code, r"^PAL\d{8}$")
        given = self._container(code_type="free", code=" cage 12 ")
        self.assertEqual(given.code, "CAGE12")
        with self.assertRaises(ValidationError):
            self._container(code="376104250021234568")  # wrong check digit
        # a company without a GS1 prefix gets free codes
        self.company_ma.tms_gs1_company_prefix = False
        self.assertRegex(self._container().code, r"^BAG\d{8}$")

    def test_container_mode_then_container_scan_moves_all_parcels(self):
        bag = self._container()
        parcels = [self._parcel_in("picked_up") for _i in range(3)]
        self._fill(bag, parcels, operation="arrival")
        self.assertEqual(bag.state, "closed")
        self.assertEqual(bag.hub_id, self.hub_cas)
        self.assertEqual(set(bag.parcel_ids.ids), {p.id for p in parcels})
        for parcel in parcels:
            self.assertEqual(parcel.state, "at_hub")
            self.assertEqual(self._scan_events(parcel).container_id, bag)
        # departure: scanning the bag (as GS1-128) moves its three parcels at once
        calls = []
        record = TmsParcelEvent._record

        def counting_record(events, vals_list):
            calls.append(len(vals_list))
            return record(events, vals_list)

        with patch.object(TmsParcelEvent, "_record", counting_record):
            result = self._scan(f"]C100{bag.code}", "departure", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(calls, [3])
        self.assertEqual(result["count"], 3)
        self.assertEqual(result["container"]["code"], bag.code)
        self.assertEqual({p.state for p in parcels}, {"in_transit"})
        # arrival at the next hub, by the human-readable SSCC
        result = self._scan(f"(00) {bag.code}", "arrival", hub_id=self.hub_rba.id)
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual({p.hub_id for p in parcels}, {self.hub_rba})
        self.assertEqual(bag.hub_id, self.hub_rba)
        # scanned again there: nothing moves
        result = self._scan(bag.code, "arrival", hub_id=self.hub_rba.id)
        self.assertEqual(result["status"], "already")
        # a parcel scanned on its own leaves the bag
        result = self._scan(
            parcels[0].tracking_number, "loaded", driver_id=self.driver_ma.id
        )
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertFalse(parcels[0].container_id)
        self.assertEqual(len(bag.parcel_ids), 2)

    def test_container_scan_costs_the_same_whatever_its_size(self):
        def queries_for(size):
            bag = self._container()
            parcels = self.env["tms.parcel"].concat(
                *[self._parcel_in("at_hub") for _i in range(size)]
            )
            parcels.sudo().container_id = bag
            self.env.invalidate_all()
            self.env.cr.flush()
            start = self.env.cr.sql_log_count
            result = self._scan(bag.code, "departure", hub_id=self.hub_cas.id)
            self.env.cr.flush()
            self.assertEqual(result["status"], "ok", result["message"])
            self.assertEqual(result["count"], size)
            return self.env.cr.sql_log_count - start

        small, large = queries_for(2), queries_for(12)
        self.assertLessEqual(large, small + 2, (small, large))

    def test_container_with_a_refused_parcel_moves_the_others(self):
        bag = self._container()
        good = self._parcel_in("at_hub")
        cancelled = self._parcel_in("cancelled")
        (good | cancelled).sudo().container_id = bag
        result = self._scan(bag.code, "departure", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "forbidden")
        self.assertIn(cancelled.tracking_number, result["message"])
        self.assertEqual(result["count"], 1)
        self.assertEqual(result["refused_count"], 1)
        self.assertEqual(good.state, "in_transit")
        self.assertEqual(cancelled.state, "cancelled")

    def test_container_mode_errors(self):
        bag = self._container()
        parcel = self._parcel_in("picked_up")
        # no container scanned first
        result = self._scan(
            parcel.tracking_number,
            "arrival",
            hub_id=self.hub_cas.id,
            container_mode=True,
        )
        self.assertEqual(result["status"], "error")
        # a closed container
        bag.action_close()
        result = self._scan(
            parcel.tracking_number,
            "arrival",
            hub_id=self.hub_cas.id,
            container_mode=True,
            container_id=bag.id,
        )
        self.assertEqual(result["status"], "container_closed")
        self.assertEqual(parcel.state, "picked_up")
        # an empty container scanned outside container mode
        result = self._scan(bag.code, "arrival", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "error")
        # unknown SSCC with a valid check digit, and a wrong check digit
        result = self._scan(
            "00" + gs1.sscc_make("6111234", 999999999),
            "arrival",
            hub_id=self.hub_cas.id,
        )
        self.assertEqual(result["status"], "unknown")
        wrong = bag.code[:-1] + str((int(bag.code[-1]) + 1) % 10)
        result = self._scan(f"]C100{wrong}", "arrival", hub_id=self.hub_cas.id)
        self.assertEqual(result["status"], "bad_check_digit")
        # another company's container is unknown
        for code in (bag.code, f"(00){bag.code}"):
            result = self._scan(
                code, "arrival", user=self.user_fr, hub_id=self.hub_par.id
            )
            self.assertEqual(result["status"], "unknown", code)

    # ----------------------------------------------------------------------------------
    # undo
    # ----------------------------------------------------------------------------------
    def test_undo_within_the_window_records_a_correction(self):
        parcel = self._parcel_in("out_for_delivery")
        result = self._scan(parcel.tracking_number, "delivered")
        self.assertEqual(parcel.state, "delivered")
        scan_event = self._scan_events(parcel)
        undone = self._undo(result["undo_token"])
        self.assertEqual(undone["status"], "ok", undone["message"])
        # delivered -> out for delivery is not in the table: only a correction does it
        self.assertFalse(
            self.env["tms.parcel.transition"]._is_allowed(
                "delivered", "out_for_delivery"
            )
        )
        self.assertEqual(parcel.state, "out_for_delivery")
        correction = self._scan_events(parcel) - scan_event
        self.assertRecordValues(
            correction,
            [
                {
                    "state": "out_for_delivery",
                    "previous_state": "delivered",
                    "source": "scan",
                    "user_id": self.user_ma.id,
                    "correction_of_id": scan_event.id,
                    "is_applied": True,
                }
            ],
        )
        self.assertTrue(correction.note.startswith("Correction of"))
        # nothing was deleted
        self.assertTrue(scan_event.exists())
        # twice: nothing more
        again = self._undo(result["undo_token"])
        self.assertEqual(again["status"], "already")
        self.assertEqual(len(self._scan_events(parcel)), 2)

    def test_undo_restores_the_driver_and_the_container(self):
        parcel = self._parcel_in("at_hub")
        result = self._scan(
            parcel.tracking_number, "loaded", driver_id=self.driver_ma.id
        )
        self.assertEqual(parcel.driver_id, self.driver_ma)
        self.assertEqual(self._undo(result["undo_token"])["status"], "ok")
        self.assertEqual(parcel.state, "at_hub")
        self.assertFalse(parcel.driver_id)
        bag = self._container()
        self._fill(bag, [], operation="departure")
        bag.action_open()
        result = self._scan(
            parcel.tracking_number,
            "departure",
            hub_id=self.hub_cas.id,
            container_mode=True,
            container_id=bag.id,
        )
        self.assertEqual(parcel.container_id, bag)
        self.assertEqual(self._undo(result["undo_token"])["status"], "ok")
        self.assertFalse(parcel.container_id)
        self.assertEqual(parcel.state, "at_hub")

    def test_undo_a_container_scan(self):
        bag = self._container()
        parcels = self.env["tms.parcel"].concat(
            *[self._parcel_in("at_hub") for _i in range(3)]
        )
        parcels.sudo().container_id = bag
        result = self._scan(bag.code, "departure", hub_id=self.hub_cas.id)
        self.assertEqual(set(parcels.mapped("state")), {"in_transit"})
        undone = self._undo(result["undo_token"])
        self.assertEqual(undone["status"], "ok", undone["message"])
        self.assertEqual(undone["count"], 3)
        self.assertEqual(set(parcels.mapped("state")), {"at_hub"})
        self.assertEqual(bag.parcel_ids, parcels)

    def test_undo_after_the_window_or_by_someone_else(self):
        parcel = self._parcel_in("out_for_delivery")
        result = self._scan(parcel.tracking_number, "delivered")
        colleague = self._create_tms_user(
            "colleague_ma", self.company_ma, "group_tms_user"
        )
        other = self._undo(result["undo_token"], user=colleague)
        self.assertEqual(other["status"], "forbidden")
        with freeze_time(datetime.now() + timedelta(minutes=3)):
            late = self._undo(result["undo_token"])
        self.assertEqual(late["status"], "forbidden")
        self.assertIn("2 minutes", late["message"])
        self.assertEqual(parcel.state, "delivered")
        self.assertEqual(len(self._scan_events(parcel)), 1)
        # the other company's operator does not even find it
        self.assertEqual(
            self._undo(result["undo_token"], user=self.user_fr)["status"], "unknown"
        )
        self.assertEqual(self._undo("no-such-scan-token")["status"], "unknown")
        self.assertEqual(self._undo(None)["status"], "unknown")

    def test_undo_after_the_parcel_moved_on(self):
        parcel = self._parcel_in("in_transit")
        first = self._scan(parcel.tracking_number, "arrival", hub_id=self.hub_cas.id)
        self._scan(parcel.tracking_number, "departure", hub_id=self.hub_cas.id)
        result = self._undo(first["undo_token"])
        self.assertEqual(result["status"], "forbidden")
        self.assertEqual(parcel.state, "in_transit")

    def test_correction_flag_needs_server_code(self):
        """An RPC client cannot pass the correction context key to go back along a
        transition the table refuses: it only counts in superuser mode."""
        parcel = self._parcel_in("delivered")
        Event = (
            self.env["tms.parcel.event"]
            .with_user(self.user_ma)
            .with_context(
                tms_scan_corrections=[[parcel.id, "delivered", "out_for_delivery"]]
            )
        )
        with self.assertRaises(TmsTransitionError):
            Event._record([{"parcel_id": parcel.id, "state": "out_for_delivery"}])
        self.assertEqual(parcel.state, "delivered")

    # ----------------------------------------------------------------------------------
    # unexpected errors, screen data
    # ----------------------------------------------------------------------------------
    def test_unexpected_error_is_logged_not_raised(self):
        parcel = self._parcel_in("confirmed")
        with (
            patch.object(
                type(self.env["tms.scan"]),
                "_tms_resolve",
                side_effect=ZeroDivisionError("boom"),
            ),
            self.assertLogs("odoo.addons.tms_core.models.scanning.tms_scan", "ERROR"),
        ):
            result = self._scan(parcel.tracking_number, "pickup")
        self.assertEqual(result["status"], "error")
        self.assertNotIn("boom", result["message"])
        self.assertEqual(parcel.state, "confirmed")

    def test_screen_data(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_ma.id)], limit=1
        )
        self.hub_rba.warehouse_id = warehouse
        data = (
            self.env["tms.scan"]
            .with_user(self.user_ma)
            .with_context(allowed_company_ids=self.company_ma.ids)
            .screen_data()
        )
        self.assertEqual(
            [op["key"] for op in data["operations"]],
            [
                "pickup",
                "arrival",
                "departure",
                "loaded",
                "delivered",
                "failed",
                "return",
            ],
        )
        self.assertEqual(
            {hub["code"] for hub in data["hubs"]}, {"CAS", "RBA"}
        )  # not Paris
        self.assertEqual(data["default_hub_id"], self.hub_rba.id)
        driver_ids = {driver["id"] for driver in data["drivers"]}
        self.assertIn(self.driver_ma.id, driver_ids)
        self.assertNotIn(self.user_fr.id, driver_ids)
        self.assertIn(self.reason_absent.id, {r["id"] for r in data["failure_reasons"]})
        self.assertEqual(data["undo_seconds"], 120)

    def test_screen_data_default_hub(self):
        """The scan screen starts with the user's hub, else the hub of their default
        warehouse; the only hub of a company is offered to its users."""

        def screen_data(user):
            return (
                self.env["tms.scan"]
                .with_user(user)
                .with_context(allowed_company_ids=user.company_ids.ids)
                .screen_data()
            )

        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_ma.id)], limit=1
        )
        self.hub_rba.warehouse_id = warehouse
        self.user_ma.tms_hub_id = self.hub_cas
        data = screen_data(self.user_ma)
        self.assertEqual(data["default_hub_id"], self.hub_cas.id)
        # two hubs in Morocco: none is the company's only one
        self.assertFalse(data["company_hub_id"])
        # Paris is France's only hub; a French user without a hub of their own
        data = screen_data(self.user_fr)
        self.assertFalse(data["default_hub_id"])
        self.assertEqual(data["company_hub_id"], self.hub_par.id)
        # a user's hub they can no longer see is not offered
        self.user_fr.sudo().tms_hub_id = self.hub_cas
        self.assertFalse(screen_data(self.user_fr)["default_hub_id"])

    def test_users_choose_their_hub(self):
        """Users set their own hub in their preferences."""
        self.user_ma.with_user(self.user_ma).write({"tms_hub_id": self.hub_cas.id})
        self.assertEqual(self.user_ma.tms_hub_id, self.hub_cas)
