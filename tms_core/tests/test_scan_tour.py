# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

# The numbers the tour scans (tms_core/static/tests/tours/tms_scan_tour.js).
TYPED = "RR990000010MA"
WEDGE = "RR990000023MA"
OFFLINE = "RR990000037MA"
PICKUP = "RR990000045MA"


@tagged("post_install", "-at_install")
class TestScanTour(HttpCase):
    def test_scan_screen(self):
        company = self.env.ref("tms_core.res_company_ma_demo")
        hub = self.env.ref("tms_core.tms_hub_cas_demo")
        operator = self.env.ref("tms_core.user_operator_demo")
        # the operator's hub: the one of their default warehouse
        hub.warehouse_id = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        now = fields.Datetime.now()
        parcels = (
            self.env["tms.parcel"]
            .with_company(company)
            .create(
                [
                    {
                        "tracking_number": number,
                        "company_id": company.id,
                        "state": "confirmed",
                        "date_shipping": now - timedelta(hours=3),
                        "weight": 1.0,
                    }
                    for number in (TYPED, WEDGE, OFFLINE)
                ]
            )
        )
        self.env["tms.parcel.event"]._record(
            [
                {
                    "parcel_id": parcel.id,
                    "state": state,
                    "hub_id": hub.id if state == "at_hub" else False,
                    "event_date": now - timedelta(hours=2, minutes=-i),
                }
                for parcel in parcels
                for i, state in enumerate(["picked_up", "at_hub", "in_transit"])
            ]
        )
        self.assertEqual(set(parcels.mapped("state")), {"in_transit"})
        pickup = (
            self.env["tms.parcel"]
            .with_company(company)
            .create(
                {
                    "tracking_number": PICKUP,
                    "company_id": company.id,
                    "state": "confirmed",
                    "weight": 1.0,
                }
            )
        )

        self.start_tour(
            "/odoo/action-tms_core.tms_scan_action",
            "tms_scan_tour",
            login=operator.login,
            timeout=120,
        )

        typed, wedge, offline = parcels
        driver = self.env.ref("tms_core.user_driver_demo")
        # scanned, then undone by a correcting event: both stay in the history; the
        # departure scan found it already in transit
        self.assertEqual(typed.state, "in_transit")
        scans = typed.event_ids.filtered(lambda e: e.source == "scan").sorted("id")
        self.assertEqual(scans.mapped("state"), ["at_hub", "in_transit"])
        self.assertEqual(scans[1].correction_of_id, scans[0])

        def journey(parcel):
            events = parcel.event_ids.filtered(lambda e: e.source == "scan")
            return events.sorted("id").mapped("state")

        # the wedge scans and the queued one, each recorded once
        self.assertEqual(journey(wedge), ["at_hub", "out_for_delivery", "delivered"])
        self.assertEqual(
            journey(offline), ["at_hub", "out_for_delivery", "failed", "at_hub"]
        )
        self.assertEqual((wedge.state, wedge.driver_id), ("delivered", driver))
        self.assertEqual(offline.state, "at_hub")
        self.assertEqual(offline.failed_attempt_count, 1)
        self.assertEqual(
            offline.event_ids.filtered(lambda e: e.state == "failed").failure_reason_id,
            self.env.ref("tms_core.tms_failure_reason_absent"),
        )
        self.assertEqual(pickup.state, "picked_up")
        events = (parcels | pickup).event_ids.filtered(lambda e: e.source == "scan")
        self.assertEqual(events.user_id, operator)
        self.assertEqual(events.filtered(lambda e: e.state == "at_hub").hub_id, hub)
        self.assertTrue(all(events.mapped("idempotency_key")))
        # the queued scan keeps the time it was made, before it reached the server
        first = offline.event_ids.filtered(lambda e: e.source == "scan").sorted("id")[0]
        self.assertLessEqual(first.event_date, first.record_date)


@tagged("post_install", "-at_install")
class TestScanPhoneTour(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_first_scans_of_the_demo_operator_on_a_phone(self):
        """Opened from the menu on a phone, the scan screen starts with the operator's
        hub: a demo parcel is checked in, an unknown number is refused and kept to be
        sent again (no Undo of the parcel on it), and the parcel's scan is undone."""
        operator = self.env.ref("tms_core.user_operator_demo")
        hub = self.env.ref("tms_core.tms_hub_cas_demo")
        self.assertEqual(operator.tms_hub_id, hub)
        # the parcel the tour scans: the operator's first parcel in transit
        parcel = (
            self.env["tms.parcel"]
            .with_user(operator)
            .search([("state", "=", "in_transit")], order="id", limit=1)
            .sudo()
        )
        self.assertTrue(parcel)
        events_before = parcel.event_ids

        self.start_tour("/odoo", "tms_scan_phone_tour", login=operator.login)

        self.env.invalidate_all()
        scans = (parcel.event_ids - events_before).sorted("id")
        self.assertEqual(scans.mapped("state"), ["at_hub", "in_transit"])
        self.assertEqual(scans.user_id, operator)
        self.assertEqual(scans[0].hub_id, hub)
        self.assertEqual(scans[1].correction_of_id, scans[0])
        self.assertEqual(parcel.state, "in_transit")
        self.assertFalse(
            self.env["tms.parcel"].search([("tracking_number", "=", "RR999999995MA")])
        )


def _hoot_hash(name):
    """The id the hoot test runner gives a suite (web/tests/test_js.py)."""
    value = 0
    for char in name:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    return f"{value:08x}"


@tagged("post_install", "-at_install")
class TestScanUnit(HttpCase):
    def test_offline_queue(self):
        """The hoot unit tests of tms_core: the scan screen's offline queue and the
        scan input shared by the scan screens (scanner, camera, typed number)."""
        suite = _hoot_hash("@tms_core")
        self.browser_js(
            f"/web/tests?headless&loglevel=2&preset=desktop&timeout=15000"
            f"&suite={suite}",
            "",
            "",
            login="admin",
            timeout=600,
            success_signal="[HOOT] test suite succeeded",
        )
