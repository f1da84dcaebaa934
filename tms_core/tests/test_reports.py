# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""QWeb PDF reports really print: wkhtmltopdf is installed and the parcel sheet renders.

Odoo's test mode renders reports as HTML unless ``force_report_rendering`` is set: the
tests set it, so that a missing or broken wkhtmltopdf fails here and not in front of a
user.
"""

import io

from PyPDF2 import PdfReader

from odoo.tests import tagged

from .common import TmsCommon


def pdf_text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    # PDF text comes with tabs and line breaks between words: compare words
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@tagged("post_install", "-at_install")
class TestParcelSheet(TmsCommon):
    def _render(self, parcels):
        report = self.env.ref("tms_core.tms_parcel_report_sheet")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, parcels.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf did not produce a PDF")
        return pdf

    def test_parcel_sheet_prints_as_pdf(self):
        parcel = self._create_parcel(client_reference="CMD-4521")
        parcel.action_confirm()
        text = pdf_text(self._render(parcel))
        self.assertIn(parcel.tracking_number, text)
        self.assertIn("CMD-4521", text)
        self.assertIn("Fatima Zahra Benali", text)
        self.assertIn(
            "Colis Express Maroc", text, "the parcel's company heads the page"
        )

    def test_delivered_parcel_sheet_shows_the_proof_of_delivery(self):
        parcel = self.env["tms.parcel"].search(
            [("state", "=", "delivered"), ("pod_receiver_name", "!=", False)], limit=1
        )
        self.assertTrue(parcel, "the demo data holds delivered parcels")
        text = pdf_text(self._render(parcel))
        self.assertIn("Proof of Delivery", text)
        self.assertIn(parcel.pod_receiver_name, text)

    def test_one_pdf_holds_every_selected_parcel(self):
        parcels = self._create_parcel() | self._create_parcel()
        parcels.action_confirm()
        text = pdf_text(self._render(parcels))
        for parcel in parcels:
            self.assertIn(parcel.tracking_number, text)

    def test_the_print_menu_offers_the_sheet_to_tms_users_not_drivers(self):
        report = self.env.ref("tms_core.tms_parcel_report_sheet")
        driver = self._create_tms_user("driver_ma", self.company_ma, "group_tms_driver")

        def printable(user):
            bindings = (
                self.env["ir.actions.actions"]
                .with_user(user)
                .get_bindings("tms.parcel")
            )
            return {action["id"] for action in bindings.get("report", [])}

        self.assertIn(report.id, printable(self.user_ma))
        self.assertNotIn(report.id, printable(driver))
