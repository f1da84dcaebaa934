# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import re
from datetime import timedelta

import pypdfium2
from PIL import Image

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.tms_core.tests.common import TmsCommon

from .test_return_report import MerchantDataMixin


def _attr(html, css_class, attribute):
    """The ``attribute`` of every element of class ``css_class``, in page order."""
    return re.findall(
        rf'<[^>]*class="[^"]*\b{css_class}\b[^"]*"[^>]*{attribute}="([^"]*)"', html
    ) + re.findall(
        rf'<[^>]*{attribute}="([^"]*)"[^>]*class="[^"]*\b{css_class}\b[^"]*"', html
    )


def _stats_rows(html):
    """``{product: (delivered, returned, rate)}`` of the statistics table."""
    rows = {}
    for tag in re.findall(r"<tr[^>]*o_tms_ec_stats_row[^>]*>", html):
        values = dict(re.findall(r'data-(\w+)="([^"]*)"', tag))
        rows[values["product"]] = (
            float(values["delivered"]),
            float(values["returned"]),
            values["rate"],
        )
    return rows


@tagged("post_install", "-at_install")
class TestMerchantPortal(MerchantDataMixin, HttpCase, TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_merchant_data()
        portal = cls.env.ref("base.group_portal")
        # the shop's employee, a contact of the shipper company
        cls.shop_contact = cls.env["res.partner"].create(
            {"name": "Nadia (Boutique Atlas)", "parent_id": cls.shipper_ma.id}
        )
        cls.merchant = cls._portal_user("h7_nadia", cls.shop_contact, portal)
        cls.other_merchant = cls._portal_user("h7_bazar", cls.other_shipper, portal)
        cls.recipient_user = cls._portal_user("h7_fatima", cls.recipient_ma, portal)
        signature = io.BytesIO()
        Image.new("RGB", (40, 20), "black").save(signature, "PNG")
        cls.p_delivered1.write(
            {
                "pod_receiver_name": "Fatima",
                "pod_signature": base64.b64encode(signature.getvalue()),
            }
        )

    @classmethod
    def _portal_user(cls, login, partner, group):
        return cls.env["res.users"].create(
            {
                "login": login,
                "password": f"{login}-password",
                "partner_id": partner.id,
                "company_id": cls.company_ma.id,
                "company_ids": [Command.set(cls.company_ma.ids)],
                "groups_id": [Command.set(group.ids)],
            }
        )

    def _login(self, user):
        self.authenticate(user.login, f"{user.login}-password")

    def _labels(self, ids):
        return self.url_open(f"/my/parcels/labels.pdf?ids={ids}", allow_redirects=False)

    # ----------------------------------------------------------------------------------
    # my parcels
    # ----------------------------------------------------------------------------------
    def test_merchant_sees_cod_column_and_totals(self):
        self._login(self.merchant)
        html = self.url_open("/my/parcels").text
        self.assertIn("o_tms_ec_cod_header", html)
        # confirmed 100 + picked up 50.5; the cancelled parcel's 70 is not counted
        self.assertEqual(
            [float(a) for a in _attr(html, "o_tms_ec_cod_to_collect", "data-amount")],
            [150.5],
        )
        # delivered 200 + 30; the other merchant's 999 is not counted
        self.assertEqual(
            [float(a) for a in _attr(html, "o_tms_ec_cod_collected", "data-amount")],
            [230.0],
        )
        self.assertNotIn("999", html)
        self.assertNotIn(self.o_delivered.tracking_number, html)
        # each of its parcels can be ticked for the labels
        ticked = {int(i) for i in _attr(html, "form-check-input", "value")}
        self.assertEqual(
            ticked,
            set(
                (
                    self.p_confirmed
                    | self.p_transit
                    | self.p_delivered1
                    | self.p_delivered2
                    | self.p_cancelled
                    | self.p_old
                ).ids
            ),
        )
        self.assertIn("o_tms_ec_page_labels", html)

    def test_cod_totals_do_not_grow_with_the_parcels(self):
        Parcel = self.env["tms.parcel"].with_user(self.merchant)

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            count = self.env.cr.sql_log_count
            totals = Parcel._tms_ec_portal_cod_totals()
            return self.env.cr.sql_log_count - count, totals

        queries()  # access rights and record rules, read once per user
        before, _totals = queries()
        for _index in range(5):
            self._merchant_parcel(cod_amount=10.0)
        after, totals = queries()
        self.assertEqual(after, before)
        [line] = totals["totals"]
        self.assertEqual((line["to_collect"], line["to_collect_count"]), (200.5, 7))
        self.assertEqual((line["collected"], line["collected_count"]), (230.0, 2))

    def test_recipient_sees_no_cod_totals_and_gets_no_label(self):
        self._login(self.recipient_user)
        html = self.url_open("/my/parcels").text
        # the recipient sees the merchant's parcels sent to them ...
        self.assertIn(self.p_confirmed.tracking_number, html)
        # ... but not the merchant's cash-on-delivery figures nor label actions
        for marker in (
            "o_tms_ec_cod_totals",
            "o_tms_ec_cod_header",
            "o_tms_ec_labels_form",
            "150.5",
            "230.00",
        ):
            self.assertNotIn(marker, html)
        page = self.url_open(f"/my/parcels/{self.p_confirmed.id}").text
        self.assertIn(self.p_confirmed.tracking_number, page)
        self.assertNotIn("o_tms_ec_label_link", page)
        self.assertNotIn("labels.pdf", page)
        for ids in (self.p_confirmed.id, f"{self.p_confirmed.id},{self.p_transit.id}"):
            response = self._labels(ids)
            self.assertEqual(response.status_code, 403, ids)
            self.assertFalse(response.content.startswith(b"%PDF"))
        # the home page offers no statistics either
        self.assertNotIn("/my/returns/stats", self.url_open("/my").text)
        self.assertFalse(self.p_confirmed.label_print_ids)

    def test_labels_of_other_merchants_and_bad_ids_are_refused(self):
        self._login(self.merchant)
        cases = {
            # another merchant's parcel, alone or among the merchant's own
            f"{self.o_delivered.id}": 404,
            f"{self.p_confirmed.id},{self.o_delivered.id}": 404,
            # a parcel of another company, one that does not exist
            f"{self.f_delivered.id}": 404,
            "999999999": 404,
            # junk
            "abc": 400,
            f"{self.p_confirmed.id};DROP": 400,
            "-1": 400,
        }
        for ids, status in cases.items():
            response = self._labels(ids)
            self.assertEqual(response.status_code, status, ids)
            self.assertFalse(response.content.startswith(b"%PDF"), ids)
        # nothing was printed
        self.assertFalse(
            (self.p_confirmed | self.o_delivered | self.f_delivered).label_print_ids
        )
        # anonymous visitors log in first
        self.authenticate(None, None)
        response = self._labels(self.p_confirmed.id)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_labels_pdf_has_one_page_per_parcel(self):
        self._login(self.merchant)
        parcels = self.p_confirmed | self.p_transit | self.p_delivered1
        response = self._labels(",".join(str(i) for i in parcels.ids))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertEqual(len(pypdfium2.PdfDocument(response.content)), 3)
        # each download is logged on the parcel
        self.assertEqual(parcels.mapped("label_print_count"), [1, 1, 1])
        self.assertEqual(parcels.label_print_ids.user_id, self.merchant)
        # the ticked boxes of the list send one "ids" each; a repeated id once
        response = self.url_open(
            f"/my/parcels/labels.pdf?ids={self.p_old.id}&ids={self.p_transit.id}"
            f"&ids={self.p_old.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(pypdfium2.PdfDocument(response.content)), 2)
        # nothing ticked: back to the list
        response = self.url_open("/my/parcels/labels.pdf", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))

    def test_detail_page_label_and_proof_of_delivery(self):
        self._login(self.merchant)
        page = self.url_open(f"/my/parcels/{self.p_delivered1.id}").text
        self.assertIn(f"/my/parcels/labels.pdf?ids={self.p_delivered1.id}", page)
        # the proof of delivery, served by tms_core
        pod_url = f"/my/parcels/{self.p_delivered1.id}/pod/signature"
        self.assertIn(pod_url, page)
        self.assertEqual(self.url_open(pod_url).status_code, 200)
        response = self._labels(self.p_delivered1.id)
        self.assertEqual(len(pypdfium2.PdfDocument(response.content)), 1)
        self.assertIn(
            self.p_delivered1.tracking_number,
            response.headers["Content-Disposition"],
        )

    # ----------------------------------------------------------------------------------
    # return statistics
    # ----------------------------------------------------------------------------------
    def _truth(self, partner, days):
        """Delivered and returned quantities per product name, from the parcels and
        returns themselves."""
        since = fields.Datetime.now() - timedelta(days=days)
        truth = {}
        parcel_lines = self.env["tms.parcel.line"].search(
            [
                ("parcel_id.shipper_id", "child_of", partner.id),
                ("parcel_id.state", "=", "delivered"),
                ("parcel_id.date_delivered", ">=", since),
            ]
        )
        for line in parcel_lines:
            delivered, returned = truth.get(line.product_id.name, (0.0, 0.0))
            truth[line.product_id.name] = (delivered + line.quantity, returned)
        return_lines = self.env["tms.return.line"].search(
            [
                ("return_id.shipper_id", "child_of", partner.id),
                ("return_id.state", "not in", ("cancelled", "refused")),
                ("return_id.date_requested", ">=", since),
            ]
        )
        for line in return_lines:
            delivered, returned = truth.get(line.product_id.name, (0.0, 0.0))
            truth[line.product_id.name] = (delivered, returned + line.quantity)
        return truth

    def test_stats_page_matches_the_database(self):
        self._login(self.merchant)
        self.assertIn("/my/returns/stats", self.url_open("/my").text)
        for days in (30, 365):
            response = self.url_open(f"/my/returns/stats?days={days}")
            self.assertEqual(response.status_code, 200)
            rows = _stats_rows(response.text)
            truth = self._truth(self.shipper_ma, days)
            self.assertEqual(
                {name: values[:2] for name, values in rows.items()}, truth, days
            )
        # last 30 days: caftan 3 of 10, slippers 1 of 2
        html = self.url_open("/my/returns/stats?days=30").text
        rows = _stats_rows(html)
        self.assertEqual(rows["Embroidered Caftan"], (10.0, 3.0, "30.0"))
        self.assertEqual(rows["Leather Slippers"], (2.0, 1.0, "50.0"))
        self.assertIn("Wrong size", html)
        self.assertIn("Arrived damaged", html)
        # the old return and delivery count in the last year only
        rows = _stats_rows(self.url_open("/my/returns/stats?days=365").text)
        self.assertEqual(rows["Embroidered Caftan"], (15.0, 5.0, "33.3"))
        # an unknown period falls back to 30 days
        rows = _stats_rows(self.url_open("/my/returns/stats?days=7").text)
        self.assertEqual(rows["Embroidered Caftan"][:2], (10.0, 3.0))

    def test_stats_of_another_merchant_never_appear(self):
        self._login(self.other_merchant)
        rows = _stats_rows(self.url_open("/my/returns/stats?days=30").text)
        # Bazar Fes: its own 10 caftans and 5 returned, not Boutique Atlas's
        self.assertEqual(rows, {"Embroidered Caftan": (10.0, 5.0, "50.0")})
        self._login(self.merchant)
        html = self.url_open("/my/returns/stats?days=365").text
        rows = _stats_rows(html)
        self.assertNotIn((25.0,), [values[:1] for values in rows.values()])
        self.assertEqual(rows["Embroidered Caftan"][:2], (15.0, 5.0))
        # a customer who ships nothing sees an empty page
        self._login(self.recipient_user)
        html = self.url_open("/my/returns/stats?days=365").text
        self.assertEqual(_stats_rows(html), {})
        self.assertIn("o_tms_ec_stats_empty", html)

    def test_stats_need_a_login(self):
        response = self.url_open("/my/returns/stats", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_arabic_pages_are_right_to_left(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.merchant.lang = "ar_001"
        self._login(self.merchant)
        for url in ("/my/returns/stats", "/my/parcels"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertRegex(response.text, r'<html[^>]* dir="rtl"', url)
        # English stays left to right
        self.opener.cookies.set("frontend_lang", "en_US")
        self.merchant.lang = "en_US"
        html = self.url_open("/my/returns/stats").text
        self.assertRegex(html, r'<html[^>]* dir="ltr"')

    # ----------------------------------------------------------------------------------
    # tour
    # ----------------------------------------------------------------------------------
    def test_merchant_portal_tour(self):
        # start_tour logs in with the login as the password
        self.merchant.password = "h7_nadia"
        self.start_tour(
            "/my",
            "tms_ec_merchant_portal_tour",
            login="h7_nadia",
            timeout=180,
        )
