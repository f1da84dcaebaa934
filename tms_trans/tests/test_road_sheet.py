# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The road sheet and the mission order really print (wkhtmltopdf), in the driver's
language, Arabic right to left included.

Odoo's test mode renders reports as HTML unless ``force_report_rendering`` is set: the
tests set it, so that a broken template or wkhtmltopdf fails here.
"""

import io
import unicodedata

from PyPDF2 import PdfReader

from odoo.tests import tagged

from .dispatch_common import DispatchCommon


def pdf_text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    # words come with tabs and line breaks between them: compare words
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@tagged("post_install", "-at_install")
class TestRoadSheet(DispatchCommon):
    def _render(self, xmlid, records):
        report = self.env.ref(xmlid)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf did not produce a PDF")
        return pdf

    def _html(self, xmlid, records):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(xmlid, records.ids)
        return html.decode()

    def test_road_sheet_lists_the_stops_in_order_with_their_cod(self):
        text = pdf_text(self._render("tms_trans.tms_round_report_sheet", self.round))
        self.assertIn(self.round.name, text)
        self.assertIn("Karim Haddad", text, "the driver is named on the sheet")
        self.assertIn("12345-A-6", text, "the vehicle's plate is on the sheet")
        positions = [
            text.find(street)
            for street in (
                "5 Boulevard Zerktouni",
                "88 Rue Mohammed Smiha",
                "3 Avenue des FAR",
            )
        ]
        self.assertNotIn(-1, positions, text)
        self.assertEqual(positions, sorted(positions), "stops print in their order")
        self.assertIn("Ring twice at the green door", text)
        for parcel in self.stops.parcel_ids:
            self.assertIn(parcel.tracking_number, text)
        self.assertIn("150.00", text)
        self.assertIn("75.50", text)
        self.assertIn("225.50", text, "the total COD to collect is printed")

    def test_reordering_the_stops_reorders_the_sheet(self):
        self.stops[0].sequence = 99
        text = pdf_text(self._render("tms_trans.tms_round_report_sheet", self.round))
        self.assertGreater(
            text.find("5 Boulevard Zerktouni"), text.find("3 Avenue des FAR")
        )

    def test_road_sheet_has_a_qr_code_per_stop_and_signature_boxes(self):
        html = self._html("tms_trans.report_round_sheet", self.round)
        self.assertEqual(html.count('alt="Barcode '), 3, "one QR code per stop")
        self.assertIn("33.589000,-7.632000", self.stops[0]._tms_sheet_qr_value())
        self.assertIn("Dispatcher", html)
        self.assertGreaterEqual(html.count("Name and signature"), 5)

    def test_road_sheet_prints_right_to_left_in_the_drivers_arabic(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.driver.lang = "ar_001"
        self.stops[1].contact_name = "سلمى الإدريسي"
        html = self._html("tms_trans.report_round_sheet", self.round)
        self.assertIn('dir="rtl"', html)
        self.assertIn('data-oe-lang="ar_001"', html)
        text = unicodedata.normalize(
            "NFKC",
            pdf_text(self._render("tms_trans.tms_round_report_sheet", self.round)),
        )
        # right to left, the house number moves to the other side of the street
        self.assertIn("Rue Mohammed Smiha", text)
        self.assertIn("Karim Haddad", text)
        self.assertIn("225.50", text)
        # Arabic comes out of the PDF as shaped glyphs, in visual order
        letters = "".join(ch for ch in text if "\u0600" <= ch <= "\u06ff")
        self.assertTrue(
            {"س", "ل", "م", "ى"} <= set(letters), "the Arabic name is printed"
        )

    def test_road_sheet_prints_left_to_right_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.driver.lang = "fr_FR"
        html = self._html("tms_trans.report_round_sheet", self.round)
        self.assertIn('dir="ltr"', html)
        self.assertNotIn('dir="rtl"', html)

    def test_mission_order_names_the_vehicle_driver_and_depot(self):
        text = pdf_text(self._render("tms_trans.tms_round_report_mission", self.round))
        self.assertIn("Mission Order", text)
        self.assertIn("Colis Express Maroc", text, "the company heads the order")
        self.assertIn("12345-A-6", text)
        self.assertIn("Karim Haddad", text)
        self.assertIn("Casablanca Depot", text)
        self.assertIn("Odometer at departure", text)

    def test_the_print_menu_offers_the_sheets_to_tms_users_not_drivers(self):
        reports = self.env.ref("tms_trans.tms_round_report_sheet") | self.env.ref(
            "tms_trans.tms_round_report_mission"
        )

        def printable(user):
            bindings = (
                self.env["ir.actions.actions"].with_user(user).get_bindings("tms.round")
            )
            return {action["id"] for action in bindings.get("report", [])}

        self.assertLessEqual(set(reports.ids), printable(self.user_ma))
        self.assertFalse(set(reports.ids) & printable(self.driver))
