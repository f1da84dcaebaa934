# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
from datetime import timedelta

from PIL import Image

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTrackTour(HttpCase):
    def test_public_tracking_tour(self):
        morocco = self.env.ref("base.ma")
        company = self.env.ref("base.main_company")
        company.country_id = morocco
        hub = self.env["tms.hub"].create(
            {
                "name": "Tour Depot",
                "code": "TRD",
                "company_id": company.id,
                "partner_id": self.env["res.partner"]
                .create({"name": "Tour Depot", "city": "Casablanca"})
                .id,
            }
        )
        recipient = self.env["res.partner"].create(
            {
                "name": "Tour Recipient",
                "street": "5 Boulevard Anfa",
                "zip": "20250",
                "city": "Casablanca",
                "country_id": morocco.id,
                "mobile": "0661234567",
            }
        )
        start = fields.Datetime.now() - timedelta(hours=5)
        parcel = self.env["tms.parcel"].create(
            {
                "company_id": company.id,
                "tracking_number": "RR990000010MA",
                "recipient_id": recipient.id,
                "state": "confirmed",
                "date_shipping": start,
            }
        )
        for hours, state in enumerate(("picked_up", "at_hub", "out_for_delivery")):
            parcel._set_state(
                state, event_date=start + timedelta(hours=hours + 1), hub_id=hub.id
            )
        parcel._set_state("delivered", event_date=start + timedelta(hours=4))
        signature = io.BytesIO()
        Image.new("RGB", (60, 30), "black").save(signature, "PNG")
        parcel.write(
            {
                "pod_receiver_name": "Tour Receiver",
                "pod_signature": base64.b64encode(signature.getvalue()),
            }
        )
        self.start_tour("/track", "tms_track_tour", timeout=120)

    def test_portal_parcels_of_two_shops(self):
        company = self.env.ref("base.main_company")
        company.country_id = self.env.ref("base.ma")
        portal = self.env.ref("base.group_portal")
        for shop in ("a", "b"):
            partner = self.env["res.partner"].create(
                {"name": f"Tour Shop {shop.upper()}", "is_company": True}
            )
            self.env["res.users"].create(
                {
                    "login": f"tour_shop_{shop}",
                    "password": f"tour_shop_{shop}",
                    "partner_id": partner.id,
                    "groups_id": [Command.set(portal.ids)],
                }
            )
            self.env["tms.parcel"].create(
                {
                    "company_id": company.id,
                    "shipper_id": partner.id,
                    "client_reference": f"SHOP-{shop.upper()}-1",
                    "state": "confirmed",
                }
            )
        for shop in ("a", "b"):
            self.start_tour(
                "/my",
                f"tms_portal_parcels_tour_shop_{shop}",
                login=f"tour_shop_{shop}",
                timeout=120,
            )


@tagged("post_install", "-at_install")
class TestPhoneTours(HttpCase):
    """The customers' pages on a phone."""

    browser_size = "390x844"

    def setUp(self):
        super().setUp()
        self.company = self.env.ref("base.main_company")
        self.company.write(
            {
                "name": "Tour Carrier",
                "country_id": self.env.ref("base.ma").id,
                "phone": "+212 5 22 00 11 22",
                "email": "help@tour-carrier.example.com",
            }
        )
        self.hub = self.env["tms.hub"].create(
            {
                "name": "Tour Phone Depot",
                "code": "TPD",
                "company_id": self.company.id,
                "partner_id": self.env["res.partner"]
                .create({"name": "Tour Phone Depot", "city": "Casablanca"})
                .id,
            }
        )

    def _parcel(self, **vals):
        return self.env["tms.parcel"].create(
            {
                "company_id": self.company.id,
                "state": "confirmed",
                "date_shipping": fields.Datetime.now() - timedelta(days=6),
                **vals,
            }
        )

    def test_late_parcel_on_a_phone_tour(self):
        recipient = self.env["res.partner"].create(
            {"name": "Tour Late Recipient", "mobile": "0661234567", "zip": "20250"}
        )
        parcel = self._parcel(
            tracking_number="RR990000023MA", recipient_id=recipient.id
        )
        parcel.date_promised = fields.Datetime.now() - timedelta(days=2)
        start = fields.Datetime.now() - timedelta(days=5)
        for days, state in enumerate(("picked_up", "at_hub", "out_for_delivery")):
            parcel._set_state(
                state, event_date=start + timedelta(days=days), hub_id=self.hub.id
            )
        self.start_tour("/track", "tms_track_late_tour", timeout=120)

    def test_customer_parcels_on_a_phone_tour(self):
        portal = self.env.ref("base.group_portal")
        shop = self.env["res.partner"].create(
            {"name": "Tour Phone Shop With A Long Name", "is_company": True}
        )
        self.env["res.users"].create(
            {
                "login": "tour_phone_shop",
                "password": "tour_phone_shop",
                "partner_id": shop.id,
                "groups_id": [Command.set(portal.ids)],
            }
        )
        for index in range(3):
            recipient = self.env["res.partner"].create(
                {
                    "name": f"Tour Recipient Fatima Zahra Benali-Alaoui {index}",
                    "city": "Casablanca-Ain Sebaa",
                }
            )
            parcel = self._parcel(
                shipper_id=shop.id,
                recipient_id=recipient.id,
                client_reference=f"PHONE-REF-{index + 1}",
                cod_amount=1250.5,
            )
            parcel._set_state("picked_up", hub_id=self.hub.id)
        self.start_tour(
            "/my/parcels", "tms_portal_phone_tour", login="tour_phone_shop", timeout=120
        )
