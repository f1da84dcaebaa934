# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .test_return_disposition import CHECKLIST_OK, ReturnFlowCommon

# A 1x1 transparent PNG, as a phone's camera would send a (bigger) picture.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()
# The return parcel of the tour (a valid S10 number no other test uses).
TOUR_NUMBER = "RR990000615MA"


@tagged("post_install", "-at_install")
class TestReturnReception(ReturnFlowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parcel = cls._delivered_parcel()

    @classmethod
    def _delivered_parcel(cls):
        parcel = (
            cls.env["tms.parcel"]
            .with_company(cls.company_ma)
            .create(
                {
                    "company_id": cls.company_ma.id,
                    "shipper_id": cls.shipper_ma.id,
                    "recipient_id": cls.recipient_ma.id,
                    "service_id": cls.service_std.id,
                    "weight": 1.0,
                    "state": "confirmed",
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": cls.sneakers.id,
                                "quantity": 2,
                                "value": 100,
                            }
                        )
                    ],
                }
            )
        )
        for state in ("picked_up", "at_hub", "out_for_delivery", "delivered"):
            parcel._set_state(state, source="scan", hub_id=cls.hub_cas.id)
        return parcel

    def setUp(self):
        super().setUp()
        self.Reception = self.env["tms.return.reception"].with_user(self.user_ma)

    def test_scan_tracking_number_receives_the_return(self):
        rma = self._approved_return(self.parcel)
        number = rma.return_parcel_id.tracking_number
        # the return parcel was picked up and is travelling: it goes through the
        # reception hub and is delivered to the merchant
        rma.return_parcel_id._set_state("picked_up", source="scan")
        rma.return_parcel_id._set_state("in_transit", source="scan")
        self.assertEqual(rma.state, "in_transit")
        result = self.Reception.scan(f"  {number.lower()} ")
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(rma.state, "received")
        self.assertEqual(rma.return_parcel_id.state, "delivered")
        self.assertEqual(
            rma.return_parcel_id.event_ids.sorted("id")[-2:].mapped("state"),
            ["at_hub", "delivered"],
        )
        self.assertEqual(result["return"]["state"], "received")
        self.assertTrue(result["return"]["can_inspect"])
        self.assertEqual(
            result["return"]["checklist"]["inspection_condition"], "", "to be filled"
        )
        # scanned again: nothing new is recorded, the checklist opens again
        events = rma.return_parcel_id.event_ids
        again = self.Reception.scan(number)
        self.assertEqual(again["status"], "already")
        self.assertEqual(rma.return_parcel_id.event_ids, events)

    def test_unknown_and_non_return_codes(self):
        rma = self._approved_return(self.parcel)
        for code, status, words in (
            ("RR990000624MA", "unknown", "No parcel of yours"),
            ("RR990000621MA", "bad_check_digit", "wrong check digit"),
            ("hello", "bad_format", "not a tracking number"),
            (self.parcel.tracking_number, "not_return", "not its return parcel"),
        ):
            with self.subTest(code=code):
                result = self.Reception.scan(code)
                self.assertEqual(result["status"], status)
                self.assertIn(words, result["message"])
                self.assertFalse(result["return"])
        other = self._create_parcel(state="confirmed")
        result = self.Reception.scan(other.tracking_number)
        self.assertEqual(result["status"], "not_return")
        self.assertIn("is not a return parcel", result["message"])
        self.assertEqual(other.state, "confirmed", "nothing changes")
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.return_parcel_id.state, "confirmed")

    def test_wrong_state(self):
        rma = self._approved_return(self.parcel)
        rma.with_user(self.user_ma).action_cancel()
        result = self.Reception.scan(rma.return_parcel_id.tracking_number)
        self.assertEqual(result["status"], "wrong_state")
        self.assertIn("Cancelled", result["message"])
        self.assertEqual(rma.state, "cancelled")

    def test_save_inspection_with_photos(self):
        rma = self._approved_return(self.parcel)
        self.Reception.scan(rma.return_parcel_id.tracking_number)
        with self.assertRaisesRegex(UserError, "condition of the product"):
            self.Reception.save_inspection(
                rma.id, {"inspection_packaging": "intact"}, []
            )
        with self.assertRaisesRegex(UserError, "not a picture"):
            self.Reception.save_inspection(
                rma.id,
                dict(CHECKLIST_OK),
                [{"name": "x.txt", "data": base64.b64encode(b"hello").decode()}],
            )
        self.assertEqual(rma.state, "received", "nothing saved")
        result = self.Reception.save_inspection(
            rma.id,
            dict(CHECKLIST_OK),
            [{"name": "box.png", "data": PNG}, f"data:image/png;base64,{PNG}"],
        )
        self.assertEqual(result["status"], "ok")
        self.assertEqual(result["return"]["state"], "inspected")
        self.assertEqual(result["return"]["proposed_disposition"], "restock")
        self.assertEqual(rma.inspection_condition, "new")
        self.assertTrue(rma.inspection_accessories_complete)
        self.assertEqual(rma.inspection_note, "Still in its box.")
        photos = rma.inspection_photo_ids
        self.assertEqual(len(photos), 2)
        self.assertEqual(set(photos.mapped("mimetype")), {"image/png"})
        self.assertEqual(set(photos.mapped("res_model")), {"tms.return"})
        self.assertEqual(set(photos.mapped("res_id")), {rma.id})
        # inspected again before the manager confirms: replaced, not notified twice
        self.Reception.save_inspection(
            rma.id, dict(CHECKLIST_OK, inspection_condition="used"), []
        )
        self.assertEqual(rma.inspection_condition, "used")
        self.assertEqual(len(rma.inspection_photo_ids), 2)
        self.assertEqual(
            len(
                rma.activity_ids.filtered(
                    lambda act: act.summary == rma._tms_confirm_summary()
                )
            ),
            1,
        )

    def test_other_company_user(self):
        rma = self._approved_return(self.parcel)
        number = rma.return_parcel_id.tracking_number
        Reception = self.env["tms.return.reception"].with_user(self.user_fr)
        result = Reception.scan(number)
        self.assertEqual(result["status"], "unknown")
        self.assertFalse(result["return"])
        result = Reception.scan(rma.return_parcel_id._tms_public_tracking_url())
        self.assertEqual(result["status"], "unknown")
        self.assertEqual(rma.return_parcel_id.state, "confirmed", "nothing changes")
        with self.assertRaises(AccessError):
            rma.with_user(self.user_fr).read(["name"])
        self.Reception.scan(number)
        with self.assertRaises(AccessError):
            Reception.save_inspection(rma.id, dict(CHECKLIST_OK), [])
        self.assertEqual(rma.state, "received")


@tagged("post_install", "-at_install")
class TestReturnReceptionTour(HttpCase):
    def test_return_reception_tour(self):
        company = self.env.ref("base.main_company")
        operator = self.env["res.users"].create(
            {
                "name": "Returns Desk",
                "login": "returns_desk",
                "password": "returns_desk",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set([self.env.ref("tms_core.group_tms_user").id])
                ],
            }
        )
        reason = self.env["tms.return.reason"].create(
            {"name": "Too small", "code": "h6_tour_small", "company_id": company.id}
        )
        partner = self.env["res.partner"].create({"name": "Salma Idrissi"})
        Parcel = self.env["tms.parcel"].with_company(company)
        origin = Parcel.create(
            {
                "company_id": company.id,
                "recipient_id": partner.id,
                "weight": 1.0,
                "state": "confirmed",
                "line_ids": [Command.create({"name": "Linen shirt", "quantity": 1})],
            }
        )
        for state in ("picked_up", "at_hub", "out_for_delivery", "delivered"):
            origin._set_state(state, source="scan")
        # the return parcel has a known number, for the tour to type it
        return_parcel = Parcel.create(
            {
                "tracking_number": TOUR_NUMBER,
                "company_id": company.id,
                "shipper_id": partner.id,
                "weight": 1.0,
                "state": "confirmed",
            }
        )
        rma = (
            self.env["tms.return"]
            .with_context(tms_ec_no_notify=True, tms_ec_no_approval_rules=True)
            .create(
                {
                    "origin_parcel_id": origin.id,
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "line_ids": [
                        Command.create(
                            {
                                "parcel_line_id": origin.line_ids.id,
                                "quantity": 1,
                                "reason_id": reason.id,
                            }
                        )
                    ],
                }
            )
        )
        rma.write({"return_parcel_id": return_parcel.id, "state": "approved"})
        self.start_tour(
            "/odoo/action-tms_ec.tms_return_reception_action",
            "tms_ec_return_reception_tour",
            login=operator.login,
        )
        self.assertEqual(rma.state, "inspected")
        self.assertEqual(rma.inspection_condition, "like_new")
        self.assertEqual(rma.inspection_packaging, "damaged")
        self.assertTrue(rma.inspection_accessories_complete)
        self.assertEqual(rma.return_parcel_id.state, "delivered")
