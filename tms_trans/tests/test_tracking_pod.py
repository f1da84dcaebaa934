# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The proof of delivery PDF: back office, customer portal and REST API."""

import base64
import io
from datetime import timedelta

from PIL import Image

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.tms_core.models.api.tms_api import API_PREFIX

from .common import TmsTransCommon


def _png(color="black", size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestProofOfDelivery(HttpCase, TmsTransCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_ma.tms_api_rate_limit = 0
        cls.shipper_ma.is_company = True
        cls.parcel = cls._make_delivered()
        cls.other_shipper = cls.env["res.partner"].create(
            {"name": "Other Shop", "is_company": True, "company_id": cls.company_ma.id}
        )
        portal = cls.env.ref("base.group_portal")
        cls.portal_shipper, cls.portal_other = cls.env["res.users"].create(
            [
                {
                    "name": name,
                    "login": login,
                    "password": f"{login}-password",
                    "parent_id": parent.id,
                    "company_id": cls.company_ma.id,
                    "company_ids": [Command.set(cls.company_ma.ids)],
                    "groups_id": [Command.set(portal.ids)],
                }
                for name, login, parent in [
                    ("Shop Clerk", "shop_clerk", cls.shipper_ma),
                    ("Other Clerk", "other_clerk", cls.other_shipper),
                ]
            ]
        )

    @classmethod
    def _make_delivered(cls):
        # _create_parcel reads only class attributes
        t0 = fields.Datetime.now() - timedelta(hours=5)
        parcel = cls._create_parcel(
            cls,
            state="confirmed",
            date_shipping=t0 - timedelta(hours=1),
            client_reference="CMD-POD-1",
            recipient_name="Fatima Zahra Benali",
            recipient_street="12 Rue Ibnou Mounir",
            recipient_city="Casablanca",
            recipient_zip="20250",
        )
        cls.env["tms.parcel.event"]._record(
            [
                {
                    "parcel_id": parcel.id,
                    "state": state,
                    "event_date": t0 + timedelta(hours=hours),
                    "hub_id": cls.hub_cas.id if state == "at_hub" else False,
                    "latitude": 33.5912 if state == "delivered" else 0.0,
                    "longitude": -7.6101 if state == "delivered" else 0.0,
                }
                for hours, state in enumerate(
                    ("picked_up", "at_hub", "out_for_delivery", "delivered")
                )
            ]
        )
        photo = cls.env["ir.attachment"].create(
            {
                "name": "doorstep.png",
                "raw": _png("blue"),
                "res_model": "tms.parcel",
                "res_id": parcel.id,
            }
        )
        parcel.write(
            {
                "pod_receiver_name": "Omar Benali",
                "pod_signature": base64.b64encode(_png()),
                "pod_photo_ids": [Command.set(photo.ids)],
            }
        )
        return parcel

    def _api_key(self, user):
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate(None, "test", fields.Datetime.now() + timedelta(hours=1))
        )

    def _api_get(self, path, key):
        return self.url_open(
            API_PREFIX + path, headers={"Authorization": f"Bearer {key}"}, timeout=120
        )

    def test_report_shows_receiver_time_place_signature_and_photos(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("tms_trans.tms_parcel_report_pod", self.parcel.ids)[0]
            .decode()
        )
        for text in (
            "Omar Benali",
            self.parcel.tracking_number,
            self.shipper_ma.name,
            "12 Rue Ibnou Mounir",
            "33.591200, -7.610100",
            "o_tms_pod_signature",
            "o_tms_pod_photo",
        ):
            self.assertIn(text, html)
        self.assertNotIn("has not been delivered", html)

    def test_report_in_arabic_is_right_to_left(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.parcel.recipient_id.lang = "ar_001"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("tms_trans.tms_parcel_report_pod", self.parcel.ids)[0]
            .decode()
        )
        self.assertIn('dir="rtl"', html)
        self.assertIn("Omar Benali", html)

    def test_pdf_bytes_are_produced(self):
        pdf = self.parcel.with_context(force_report_rendering=True)._tms_pod_pdf()
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_printable_from_the_parcels(self):
        report = self.env.ref("tms_trans.tms_parcel_report_pod")
        self.assertEqual(report.binding_model_id.model, "tms.parcel")
        action = report.with_user(self.user_ma).report_action(self.parcel)
        self.assertEqual(action["report_name"], "tms_trans.report_parcel_pod")

    def test_portal_shipper_downloads_other_shipper_cannot(self):
        url = f"/my/parcels/{self.parcel.id}/pod.pdf"
        self.authenticate("shop_clerk", "shop_clerk-password")
        response = self.url_open(url, timeout=120)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(b"Omar Benali", response.content)
        page = self.url_open(f"/my/parcels/{self.parcel.id}")
        self.assertIn(url, page.text)
        self.authenticate("other_clerk", "other_clerk-password")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b"Omar Benali", response.content)

    def test_portal_not_delivered_has_no_pod(self):
        parcel = self._create_parcel(state="confirmed")
        self.authenticate("shop_clerk", "shop_clerk-password")
        self.assertEqual(
            self.url_open(f"/my/parcels/{parcel.id}/pod.pdf").status_code, 404
        )

    def test_api_pod_same_auth_and_errors(self):
        number = self.parcel.tracking_number
        response = self._api_get(f"/parcels/{number}/pod", self._api_key(self.user_ma))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(b"Omar Benali", response.content)
        # another carrier's key, a driver who does not carry it: 404, nothing leaks
        for user in (self.user_fr, self.driver_b):
            response = self._api_get(f"/parcels/{number}/pod", self._api_key(user))
            self.assertEqual(response.status_code, 404, response.text)
            self.assertEqual(response.json()["error"]["code"], "not_found")
        response = self.url_open(f"{API_PREFIX}/parcels/{number}/pod")
        self.assertEqual(response.status_code, 401)
        waiting = self._create_parcel(state="confirmed")
        response = self._api_get(
            f"/parcels/{waiting.tracking_number}/pod", self._api_key(self.user_ma)
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["error"]["code"], "not_delivered")
