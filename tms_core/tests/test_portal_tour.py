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
