# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Odoo's own PDF reports print on a TMS database: an invoice, a credit note and the
delivery slip of a transfer holding parcels (wkhtmltopdf at work, not Odoo's HTML
fallback of test mode)."""

import io

from PyPDF2 import PdfReader

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def render_pdf(env, report_xmlid, records):
    pdf, kind = (
        env["ir.actions.report"]
        .with_context(force_report_rendering=True)
        ._render_qweb_pdf(report_xmlid, records.ids)
    )
    assert kind == "pdf"
    assert pdf.startswith(b"%PDF"), "wkhtmltopdf did not produce a PDF"
    reader = PdfReader(io.BytesIO(pdf))
    # PDF text comes with tabs and line breaks between words: compare words
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@tagged("post_install", "-at_install")
class TestOdooReportsPrint(AccountTestInvoicingCommon):
    # a company needs a country for its tracking numbers; the US one keeps Odoo's
    # generic chart of accounts (no localisation module to install)
    country_code = "US"

    def test_invoice_and_credit_note_print_as_pdf(self):
        invoice = self.init_invoice(
            "out_invoice", amounts=[249.0], post=True, partner=self.partner_a
        )
        text = render_pdf(self.env, "account.account_invoices", invoice)
        self.assertIn(invoice.name, text)
        self.assertIn(self.partner_a.name, text)
        credit_note = invoice._reverse_moves(cancel=True)
        text = render_pdf(self.env, "account.account_invoices", credit_note)
        self.assertIn(credit_note.name, text)

    def test_delivery_slip_of_a_transfer_with_parcels_prints_as_pdf(self):
        picking = self.env["stock.picking"].search(
            [("tms_parcel_ids", "!=", False)], limit=1
        )
        if not picking:
            warehouse = self.env["stock.warehouse"].search(
                [("company_id", "=", self.env.company.id)], limit=1
            )
            picking = self.env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": self.partner_a.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.product_a.name,
                                "product_id": self.product_a.id,
                                "product_uom_qty": 2,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": self.env.ref(
                                    "stock.stock_location_customers"
                                ).id,
                            }
                        )
                    ],
                }
            )
        text = render_pdf(self.env, "stock.action_report_delivery", picking)
        self.assertIn(picking.name, text)
