# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

from .test_driver_app import DriverAppCommon


@tagged("post_install", "-at_install")
class TestDriverTour(DriverAppCommon, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_driver_loads_starts_delivers_and_fails_on_his_phone(self):
        """Load, start, deliver with signature and cash, fail with a reason, then
        deliver two parcels without network: they arrive once each, in order."""
        self.places["Salma Idrissi"].phone = "+212 522 11 22 33"
        tms_round, parcels = self._round_of_today(cod=(0.0, 150.0, 0.0, 0.0))
        first, cod_parcel, third, fourth = parcels
        self.driver_a.password = "driver_a-pwd"

        self.start_tour("/odoo/tms-driver", "tms_driver_tour", login="driver_a")

        self.env.invalidate_all()
        # every stop is done or failed: the round is finished
        self.assertEqual(tms_round.state, "done")
        self.assertEqual(cod_parcel.state, "delivered")
        self.assertEqual(cod_parcel.pod_receiver_name, "Salma Idrissi")
        self.assertTrue(cod_parcel.pod_signature)
        self.assertEqual(cod_parcel.cod_collected_amount, 150.0)
        self.assertEqual(cod_parcel.cod_collected_method, "cash")
        others = first | third | fourth
        failed = others.filtered(lambda p: p.state == "failed")
        self.assertEqual(len(failed), 1)
        self.assertEqual(
            failed.event_ids.filtered(lambda e: e.state == "failed").failure_reason_id,
            self.reason_absent,
        )
        # the two delivered offline: once each, in the order they were made
        offline = (others - failed).event_ids.filtered(lambda e: e.state == "delivered")
        self.assertEqual(len(offline), 2)
        self.assertEqual(len(offline.parcel_id), 2)
        self.assertEqual(
            offline.sorted("id").mapped("parcel_id.pod_receiver_name"),
            ["Youssef Tazi", "Nadia Berrada"],
        )
        self.assertEqual(
            offline.sorted("id").mapped("event_date"),
            sorted(offline.mapped("event_date")),
        )
        events = parcels.event_ids.filtered(lambda e: e.source == "driver")
        self.assertEqual(events.user_id, self.driver_a)
        self.assertTrue(all(events.mapped("idempotency_key")))
