# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestParcelTours(HttpCase):
    def test_create_and_confirm_parcel(self):
        morocco = self.env.ref("base.ma")
        # the company the administrator works in (a demo carrier with demo data)
        company = self.env.ref("base.user_admin").company_id
        company.country_id = morocco
        self.env["tms.zone"].create(
            {
                "name": "Tour Zone",
                "code": "TOUR",
                # before the demo carrier's own zones
                "sequence": 0,
                "company_id": company.id,
                "country_id": morocco.id,
                "zip_prefixes": "20",
            }
        )
        self.env["res.partner"].create(
            {
                "name": "Tour Recipient",
                "street": "5 Boulevard Anfa",
                "zip": "20050",
                "city": "Casablanca",
                "country_id": morocco.id,
                "mobile": "0661234567",
            }
        )
        self.start_tour(
            "/odoo/action-tms_core.tms_parcel_action",
            "tms_parcel_create_tour",
            login="admin",
            timeout=120,
        )
        parcel = self.env["tms.parcel"].search(
            [("client_reference", "=", "CMD-TOUR-1")]
        )
        self.assertEqual(parcel.state, "confirmed")
        self.assertRegex(parcel.tracking_number, r"^RR\d{9}MA$")
        self.assertEqual(parcel.recipient_phone, "+212661234567")
        self.assertEqual(parcel.event_ids.mapped("state"), ["confirmed", "draft"])
