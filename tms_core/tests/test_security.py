# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.tms_core.tests.common import TmsCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parcel_ma = cls.env["tms.parcel"].create(
            {
                "company_id": cls.company_ma.id,
                "recipient_id": cls.recipient_ma.id,
                "state": "confirmed",
            }
        )
        cls.parcel_fr = cls.env["tms.parcel"].create(
            {"company_id": cls.company_fr.id, "state": "confirmed"}
        )

    def test_other_company_parcels_invisible(self):
        Parcel = self.env["tms.parcel"].with_user(self.user_fr)
        self.assertEqual(Parcel.search([]), self.parcel_fr)
        self.assertEqual(Parcel.search_count([("id", "=", self.parcel_ma.id)]), 0)
        self.assertFalse(
            Parcel._tms_find_by_tracking_number(self.parcel_ma.tracking_number)
        )
        self.assertEqual(
            Parcel._read_group([], [], ["__count"])[0][0],
            1,
            "counts leak other companies",
        )
        with self.assertRaises(AccessError):
            Parcel.browse(self.parcel_ma.id).read(["recipient_name"])
        with self.assertRaises(AccessError):
            Parcel.browse(self.parcel_ma.id).write({"client_reference": "hijack"})

    def test_other_company_events_invisible_and_unscannable(self):
        Event = self.env["tms.parcel.event"].with_user(self.user_fr)
        self.assertFalse(Event.search([("parcel_id", "=", self.parcel_ma.id)]))
        with self.assertRaises(AccessError):
            Event._record([{"parcel_id": self.parcel_ma.id, "state": "picked_up"}])
        self.assertEqual(self.parcel_ma.state, "confirmed")

    def test_operator_works_in_own_company(self):
        parcel = self.parcel_ma.with_user(self.user_ma)
        parcel._set_state("picked_up", source="scan")
        self.assertEqual(parcel.state, "picked_up")
        created = self.env["tms.parcel"].with_user(self.user_ma).create({"weight": 1})
        self.assertEqual(created.company_id, self.company_ma)

    def test_driver_sees_only_assigned_parcels(self):
        driver = self._create_tms_user("driver_ma", self.company_ma, "group_tms_driver")
        other = self.env["tms.parcel"].create(
            {"company_id": self.company_ma.id, "state": "confirmed"}
        )
        self.parcel_ma.driver_id = driver
        Parcel = self.env["tms.parcel"].with_user(driver)
        self.assertEqual(Parcel.search([]), self.parcel_ma)
        with self.assertRaises(AccessError):
            Event = self.env["tms.parcel.event"].with_user(driver)
            Event._record([{"parcel_id": other.id, "state": "picked_up"}])
        with self.assertRaises(AccessError):
            Parcel.create({"weight": 1})
        with self.assertRaises(AccessError):
            Parcel.browse(self.parcel_ma.id).write({"cod_amount": 0})
        self.parcel_ma.with_user(driver)._set_state("picked_up", source="driver")
        self.assertEqual(self.parcel_ma.state, "picked_up")

    def test_context_flags_do_not_bypass_checks(self):
        """An RPC client may send any context: it must not skip the transition "
        "checks."""
        Event = self.env["tms.parcel.event"].with_user(self.user_ma)
        sneaky = Event.with_context(tms_event_apply=True, tms_event_anonymize=True)
        with self.assertRaises(UserError):
            sneaky.create({"parcel_id": self.parcel_ma.id, "state": "delivered"})
        self.assertEqual(self.parcel_ma.state, "confirmed")
        with self.assertRaises(UserError):
            sneaky.search([("parcel_id", "=", self.parcel_ma.id)]).write({"note": "x"})
        parcel = self.parcel_ma.with_user(self.user_ma).with_context(
            tms_event_apply=True
        )
        with self.assertRaises(UserError):
            parcel.write({"state": "delivered"})
        self.assertEqual(self.parcel_ma.state, "confirmed")

    def test_reference_data_of_other_company(self):
        Hub = self.env["tms.hub"].with_user(self.user_fr)
        self.assertNotIn(self.hub_cas, Hub.search([]))
        with self.assertRaises(UserError):
            # a French parcel cannot be routed through a Moroccan hub
            self.parcel_fr.with_user(self.user_fr).sudo().write(
                {"zone_id": self.zone_cas.id}
            )
