# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import urlparse

from markupsafe import escape

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.tms_core.models.portal import tms_track_rate

from .test_return_request import ReturnCommon


class ReturnPortalCommon(HttpCase, ReturnCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            tms_track_rate.PARAM_LOOKUPS, 1000
        )
        Partner = cls.env["res.partner"]
        portal = cls.env.ref("base.group_portal")
        cls.shop_contact = Partner.create(
            {"name": "Nadia (Boutique Atlas)", "parent_id": cls.shipper_ma.id}
        )
        cls.other_customer = Partner.create(
            {
                "name": "Hassan Tazi",
                "city": "Fes",
                "country_id": cls.morocco.id,
                "mobile": "0698765432",
                "company_id": cls.company_ma.id,
            }
        )
        cls.recipient_user = cls._portal_user("fatima", cls.recipient_ma, portal)
        cls.shop_user = cls._portal_user("nadia_shop", cls.shop_contact, portal)
        cls.other_user = cls._portal_user("hassan", cls.other_customer, portal)

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

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def _login(self, user):
        self.authenticate(user.login, f"{user.login}-password")

    def _csrf(self, url):
        html = self.url_open(url).text
        match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
            r'csrf_token: "([^"]+)"', html
        )
        return match.group(1)

    def _form(self, line_specs, comment="", csrf=None):
        data = {"csrf_token": csrf, "comment": comment}
        for index, quantity, reason in line_specs:
            line = self.parcel.line_ids[index]
            data[f"qty_{line.id}"] = str(quantity)
            data[f"reason_{line.id}"] = str(reason.id) if reason else ""
        return data

    def _reveal(self, parcel, answer):
        return self.url_open(
            "/track/reveal",
            data={
                "csrf_token": self._csrf("/track"),
                "token": parcel.access_token,
                "answer": answer,
            },
            allow_redirects=False,
        )


@tagged("post_install", "-at_install")
class TestReturnFromTrackingPage(ReturnPortalCommon):
    def test_anonymous_visitor_needs_the_second_factor(self):
        token = self.parcel.access_token
        page = self.url_open(f"/track/{token}").text
        self.assertNotIn("o_tms_ec_return_items", page)
        response = self.url_open(f"/track/{token}/return", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(urlparse(response.headers["Location"]).path, f"/track/{token}")
        self.assertNotIn("Caftan", response.text)
        count = self.Return.search_count([])
        response = self.url_open(
            f"/track/{token}/return",
            data=self._form(
                [(0, 1, self.reason_wrong_item)], csrf=self._csrf("/track")
            ),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.Return.search_count([]), count, "nothing created")
        # a wrong answer does not open it either
        self.assertEqual(self._reveal(self.parcel, "0000").status_code, 403)
        response = self.url_open(f"/track/{token}/return", allow_redirects=False)
        self.assertEqual(response.status_code, 303)

    def test_recipient_returns_items_after_the_reveal(self):
        token = self.parcel.access_token
        self.assertEqual(self._reveal(self.parcel, "5678").status_code, 303)
        page = self.url_open(f"/track/{token}").text
        self.assertIn(f'href="/track/{token}/return"', page)
        form = self.url_open(f"/track/{token}/return")
        self.assertEqual(form.status_code, 200)
        self.assertIn("Caftan brodé", form.text)
        self.assertIn(self.reason_wrong_item.name, form.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        response = self.url_open(
            f"/track/{token}/return",
            data=self._form(
                [(0, 1, self.reason_wrong_item)],
                comment="Couleur différente",
                csrf=csrf,
            ),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        ret = self.parcel.tms_return_ids
        self.assertEqual(len(ret), 1)
        self.assertEqual(ret.partner_id, self.recipient_ma)
        self.assertEqual(ret.customer_note, "Couleur différente")
        self.assertEqual(ret.state, "approved")
        location = urlparse(response.headers["Location"]).path
        self.assertEqual(location, f"/return/{ret.access_token}")
        page = self.url_open(location)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_tms_return_qr", page.text)
        self.assertIn(ret.return_tracking_number, page.text)
        self.assertIn("Casablanca Depot", page.text)
        self.assertIn("Route de Médiouna", page.text)

    def test_request_outside_the_window_shows_why(self):
        old = self._delivered_parcel(days_ago=30)
        self._reveal(old, "5678")
        form = self.url_open(f"/track/{old.access_token}/return")
        self.assertEqual(form.status_code, 200)
        self.assertIn("o_tms_return_unavailable", form.text)
        self.assertNotIn("o_tms_return_submit", form.text)
        csrf = re.search(r'csrf_token: "([^"]+)"', form.text).group(1)
        response = self.url_open(
            f"/track/{old.access_token}/return",
            data={
                "csrf_token": csrf,
                f"qty_{old.line_ids[0].id}": "1",
                f"reason_{old.line_ids[0].id}": str(self.reason_wrong_item.id),
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("return period of this parcel ended", response.text)
        self.assertFalse(old.tms_return_ids)


@tagged("post_install", "-at_install")
class TestReturnPortal(ReturnPortalCommon):
    def _counter(self):
        return self.make_jsonrpc_request(
            "/my/counters", {"counters": ["tms_return_count"]}
        )["tms_return_count"]

    def test_recipient_asks_for_a_return_from_the_parcel_page(self):
        self._login(self.recipient_user)
        page = self.url_open(f"/my/parcels/{self.parcel.id}").text
        self.assertIn(f'href="/my/parcels/{self.parcel.id}/return"', page)
        url = f"/my/parcels/{self.parcel.id}/return"
        form = self.url_open(url)
        self.assertEqual(form.status_code, 200)
        self.assertIn("Babouches cuir", form.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        count = self.Return.search_count([])
        # more than delivered, or no reason: the form says why, nothing is created
        for specs, message in (
            ([(0, 5, self.reason_size)], "at most 2 of Caftan"),
            ([(0, 1, None)], "Choose why you return Caftan"),
            ([(0, 0, self.reason_size)], "at least one item"),
        ):
            response = self.url_open(url, data=self._form(specs, csrf=csrf))
            self.assertEqual(response.status_code, 400)
            self.assertIn(message, response.text)
            self.assertIn("o_tms_return_error", response.text)
        self.assertEqual(self.Return.search_count([]), count)
        response = self.url_open(
            url,
            data=self._form(
                [(0, 2, self.reason_size), (1, 1, self.reason_size)], csrf=csrf
            ),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        ret = self.parcel.tms_return_ids
        self.assertEqual(ret.state, "requested")
        self.assertEqual(
            urlparse(response.headers["Location"]).path, f"/my/returns/{ret.id}"
        )
        page = self.url_open(f"/my/returns/{ret.id}").text
        self.assertIn(ret.name, page)
        self.assertNotIn("o_tms_return_qr", page, "no code before the approval")
        self.assertIn(ret.name, self.url_open("/my/returns").text)
        self.assertEqual(self._counter(), 1)
        # approved by the shop: the page shows the code, the hubs and the label
        ret.with_user(self.user_ma).action_approve()
        page = self.url_open(f"/my/returns/{ret.id}").text
        number = ret.return_tracking_number
        self.assertIn(f"/report/barcode/?barcode_type=QR&amp;value={number}", page)
        self.assertIn(number, page)
        self.assertIn("Casablanca Depot", page)
        self.assertIn(f"/my/returns/{ret.id}/label?access_token=", page)
        self.assertIn(number, self.url_open("/my/returns").text)
        label = self.url_open(f"/my/returns/{ret.id}/label")
        self.assertEqual(label.status_code, 200)
        self.assertEqual(label.headers["Content-Type"], "application/pdf")
        self.assertTrue(label.content.startswith(b"%PDF"))
        # nothing left to return: no button any more
        page = self.url_open(f"/my/parcels/{self.parcel.id}").text
        self.assertNotIn(f'href="/my/parcels/{self.parcel.id}/return"', page)
        self.assertIn(f'href="/my/returns/{ret.id}"', page)

    def test_model_refuses_as_the_portal_does(self):
        # the rules are model methods: what they say is what the portal says
        old = self._delivered_parcel(days_ago=30)
        eligibility = old._tms_ec_return_eligibility()
        self.assertFalse(eligibility["eligible"])
        self.assertIn("return period of this parcel ended", eligibility["refusal"])
        self.assertFalse(old._tms_ec_can_return())
        self.assertTrue(old._tms_ec_is_recipient(self.recipient_user))
        self.assertFalse(old._tms_ec_is_recipient(self.other_user))
        self.assertFalse(old._tms_ec_is_recipient(self.env.ref("base.public_user")))
        with self.assertRaises(UserError) as ctx:
            self.Return._tms_ec_request(
                old, self._items((0, 1, self.reason_wrong_item), parcel=old)
            )
        self.assertEqual(ctx.exception.args[0], eligibility["refusal"])
        self._login(self.recipient_user)
        url = f"/my/parcels/{old.id}/return"
        response = self.url_open(
            url,
            data={
                "csrf_token": self._csrf(url),
                f"qty_{old.line_ids[0].id}": "1",
                f"reason_{old.line_ids[0].id}": str(self.reason_wrong_item.id),
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(str(escape(eligibility["refusal"])), response.text)
        self.assertFalse(old.tms_return_ids)

    def test_portal_follows_overridden_return_rules(self):
        # an integrator's rules: this shop takes its returns back in store, and
        # nobody returns babouches; the form, the parcel page and the request follow
        Parcel = self.registry["tms.parcel"]
        eligibility, returnable_lines = (
            Parcel._tms_ec_return_eligibility,
            Parcel._tms_ec_returnable_lines,
        )
        in_store = "Boutique Atlas takes its returns back in its shop."

        def in_store_only(parcel, now=None):
            result = eligibility(parcel, now=now)
            if parcel.client_reference == "IN-STORE":
                return {**result, "eligible": False, "refusal": in_store}
            return result

        def no_babouches(parcel):
            return [
                {**returnable, "left": 0.0}
                if returnable["line"].name == "Babouches cuir"
                else returnable
                for returnable in returnable_lines(parcel)
            ]

        in_store_parcel = self._delivered_parcel(client_reference="IN-STORE")
        self._login(self.recipient_user)
        with (
            patch.object(Parcel, "_tms_ec_return_eligibility", in_store_only),
            patch.object(Parcel, "_tms_ec_returnable_lines", no_babouches),
        ):
            self.assertFalse(in_store_parcel._tms_ec_can_return())
            page = self.url_open(f"/my/parcels/{in_store_parcel.id}").text
            self.assertNotIn(f"/my/parcels/{in_store_parcel.id}/return", page)
            url = f"/my/parcels/{in_store_parcel.id}/return"
            form = self.url_open(url)
            self.assertIn("o_tms_return_unavailable", form.text)
            line = in_store_parcel.line_ids[0]
            response = self.url_open(
                url,
                data={
                    "csrf_token": self._csrf(url),
                    f"qty_{line.id}": "1",
                    f"reason_{line.id}": str(self.reason_wrong_item.id),
                },
            )
            self.assertEqual(response.status_code, 400)
            self.assertIn(in_store, response.text)
            self.assertFalse(in_store_parcel.tms_return_ids)
            # the other parcel may be returned, but not its babouches
            url = f"/my/parcels/{self.parcel.id}/return"
            form = self.url_open(url).text
            self.assertNotIn(f'name="qty_{self.parcel.line_ids[1].id}"', form)
            self.assertIn(f'name="qty_{self.parcel.line_ids[0].id}"', form)
            response = self.url_open(
                url,
                data=self._form([(1, 1, self.reason_size)], csrf=self._csrf(url)),
            )
            self.assertEqual(response.status_code, 400)
            self.assertIn("at most 0 of Babouches cuir", response.text)
            self.assertFalse(self.parcel.tms_return_ids)

    def test_other_customer_gets_nothing(self):
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        self._login(self.other_user)
        for url in (
            f"/my/returns/{ret.id}",
            f"/my/returns/{ret.id}?access_token=wrong",
            f"/my/returns/{ret.id}/label",
            f"/my/parcels/{self.parcel.id}/return",
            "/return/00000000-0000-4000-8000-000000000000",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn(ret.return_tracking_number, response.text)
        self.assertNotIn(ret.name, self.url_open("/my/returns").text)
        self.assertEqual(self._counter(), 0)
        self.assertFalse(self.env["tms.return"].with_user(self.other_user).search([]))
        count = self.Return.search_count([])
        response = self.url_open(
            f"/my/parcels/{self.parcel.id}/return",
            data=self._form(
                [(1, 1, self.reason_wrong_item)], csrf=self._csrf("/my/returns")
            ),
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.Return.search_count([]), count)

    def test_merchant_follows_its_customers_returns(self):
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        self._login(self.shop_user)
        page = self.url_open(f"/my/returns/{ret.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.recipient_ma.name, page.text)
        self.assertIn(ret.name, self.url_open("/my/returns").text)
        self.assertEqual(self._counter(), 1)
        self.assertEqual(
            self.env["tms.return"].with_user(self.shop_user).search([]), ret
        )
        # the shop does not return its own parcel
        response = self.url_open(f"/my/parcels/{self.parcel.id}/return")
        self.assertEqual(response.status_code, 403)

    def test_link_of_the_emails_opens_the_return(self):
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        response = self.url_open(f"/return/{ret.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(ret.return_tracking_number, response.text)
        self.assertIn("noindex", response.headers.get("X-Robots-Tag", ""))
        label = self.url_open(ret._tms_ec_label_url())
        self.assertEqual(label.headers["Content-Type"], "application/pdf")
        self.assertEqual(self.url_open(f"/my/returns/{ret.id}/label").status_code, 404)
        self.assertEqual(self.url_open("/return/not-a-token").status_code, 404)

    def test_arabic_page_is_right_to_left(self):
        self.env["res.lang"]._activate_lang("ar_001")
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        self._login(self.recipient_user)
        for url in (
            f"/ar/my/returns/{ret.id}",
            "/ar/my/returns",
            f"/ar/my/parcels/{self.parcel.id}/return",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertRegex(response.text, r'<html[^>]* dir="rtl"')
            self.assertRegex(response.text, r'<html[^>]* lang="ar-001"')
        # the link of the Arabic SMS, opened without an account
        self.authenticate(None, None)
        response = self.url_open(f"/ar/return/{ret.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.text, r'<html[^>]* dir="rtl"')
        self.assertIn("o_tms_return_qr", response.text)


@tagged("post_install", "-at_install")
class TestReturnPortalTour(HttpCase):
    def test_return_portal_tour(self):
        company = self.env.ref("base.main_company")
        morocco = self.env.ref("base.ma")
        company.country_id = morocco
        self.env["tms.hub"].create(
            {
                "name": "Tour Drop-off Hub",
                "code": "TDH",
                "company_id": company.id,
                "partner_id": self.env["res.partner"]
                .create(
                    {
                        "name": "Tour Drop-off Hub",
                        "street": "1 Rue Tour",
                        "city": "Rabat",
                    }
                )
                .id,
            }
        )
        shop = self.env["res.partner"].create(
            {"name": "Tour Shop", "is_company": True, "city": "Casablanca"}
        )
        shop.tms_return_approval = "reason"
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Customer",
                "street": "5 Boulevard Anfa",
                "zip": "20250",
                "city": "Casablanca",
                "country_id": morocco.id,
                "mobile": "0661234567",
                "email": "tour.customer@example.com",
            }
        )
        self.env["res.users"].create(
            {
                "login": "tour_return_customer",
                "password": "tour_return_customer",
                "partner_id": customer.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        start = fields.Datetime.now() - timedelta(days=2)
        parcel = self.env["tms.parcel"].create(
            {
                "company_id": company.id,
                "shipper_id": shop.id,
                "recipient_id": customer.id,
                "client_reference": "TOUR-RMA-1",
                "state": "confirmed",
                "date_shipping": start,
                "line_ids": [
                    Command.create({"name": "Tour Kaftan", "quantity": 1, "weight": 1})
                ],
            }
        )
        for hours, state in enumerate(
            ("picked_up", "at_hub", "out_for_delivery", "delivered")
        ):
            parcel._set_state(state, event_date=start + timedelta(hours=hours + 1))
        self.start_tour(
            "/my/parcels",
            "tms_ec_return_portal_tour",
            login="tour_return_customer",
            timeout=180,
        )
        ret = parcel.tms_return_ids
        self.assertEqual(len(ret), 1)
        self.assertEqual(ret.state, "approved", "approved by its reason")
        self.assertEqual(ret.line_ids.reason_id.code, "wrong_item")
        self.assertEqual(ret.return_parcel_id.state, "confirmed")
        self.assertEqual(ret.return_parcel_id.tms_return_id, ret)
        self.assertEqual(ret.return_parcel_id.shipper_id, customer)
        job = self.env["queue.job"].search(
            [
                ("model_name", "=", "tms.return"),
                ("method_name", "=", "_tms_ec_send_notification"),
            ]
        )
        self.assertEqual(len(job), 1)
        self.assertEqual(job.args, ["approved"])
        self.assertEqual(job.records, ret)
        self.assertEqual(job.state, "pending")


@tagged("post_install", "-at_install")
class TestMerchantReturnPage(ReturnPortalCommon):
    """The shop opening a return of its customer sees the request to decide on, not
    the customer's drop-off page."""

    def _decide(self, ret, decision, reason=""):
        return self.url_open(
            f"/my/returns/{ret.id}/decide",
            data={
                "csrf_token": self._csrf(f"/my/returns/{ret.id}"),
                "decision": decision,
                "refusal_reason": reason,
            },
            allow_redirects=False,
        )

    def test_merchant_sees_the_request_not_the_drop_off_code(self):
        self.shipper_ma.tms_return_approval = "automatic"
        ret, _notifications = self._request(
            (0, 1, self.reason_wrong_item), comment="Mauvaise couleur"
        )
        self.assertEqual(ret.state, "approved")
        self._login(self.shop_user)
        page = self.url_open(f"/my/returns/{ret.id}").text
        self.assertNotIn("o_tms_return_qr", page)
        self.assertNotIn("Your drop-off code", page)
        self.assertNotIn("o_tms_return_hubs", page)
        self.assertIn(self.recipient_ma.name, page)
        self.assertIn("Caftan brodé", page)
        self.assertIn(self.reason_wrong_item.name, page)
        self.assertIn("Mauvaise couleur", page)
        self.assertIn("takes the parcel to a drop-off point", page)
        self.assertNotIn("o_tms_ec_return_decision", page, "nothing left to decide")
        # the customer still gets the code
        self._login(self.recipient_user)
        self.assertIn("o_tms_return_qr", self.url_open(f"/my/returns/{ret.id}").text)

    def test_merchant_approves_a_request_of_its_manual_policy(self):
        self.shipper_ma.tms_return_approval = "manual"
        ret, _notifications = self._request((0, 1, self.reason_size))
        self.assertEqual(ret.state, "requested")
        # the customer may not decide on their own request
        self._login(self.recipient_user)
        self.assertNotIn(
            "o_tms_ec_return_decision", self.url_open(f"/my/returns/{ret.id}").text
        )
        self.assertEqual(self._decide(ret, "approve").status_code, 403)
        self.assertEqual(ret.state, "requested")
        # another customer does not even see it
        self._login(self.other_user)
        self.assertEqual(self._decide(ret, "approve").status_code, 404)
        self._login(self.shop_user)
        page = self.url_open(f"/my/returns/{ret.id}").text
        self.assertIn("o_tms_ec_return_decision", page)
        self.assertIn("approve or refuse the request", page)
        response = self._decide(ret, "approve")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(ret.state, "approved")
        self.assertTrue(ret.return_parcel_id)
        page = self.url_open(f"/my/returns/{ret.id}").text
        self.assertNotIn("o_tms_ec_return_decision", page)
        self.assertNotIn("o_tms_return_qr", page)
        self.assertEqual(self._decide(ret, "approve").status_code, 403)

    def test_merchant_refuses_with_a_reason(self):
        self.shipper_ma.tms_return_approval = "manual"
        ret, _notifications = self._request((0, 1, self.reason_size))
        self._login(self.shop_user)
        response = self._decide(ret, "refuse", "   ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_tms_ec_decision_error", response.text)
        self.assertEqual(ret.state, "requested")
        response = self._decide(ret, "refuse", "Article porté, étiquette coupée.")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(ret.state, "refused")
        self.assertEqual(ret.refusal_reason, "Article porté, étiquette coupée.")
        self._login(self.recipient_user)
        page = self.url_open(f"/my/returns/{ret.id}").text
        self.assertIn("Article porté, étiquette coupée.", page)

    def test_no_decision_when_the_carrier_decides(self):
        # by reason: a wrong size waits for the carrier, not for the shop
        self.shipper_ma.tms_return_approval = "reason"
        ret, _notifications = self._request((0, 1, self.reason_size))
        self.assertEqual(ret.state, "requested")
        self._login(self.shop_user)
        page = self.url_open(f"/my/returns/{ret.id}").text
        self.assertNotIn("o_tms_ec_return_decision", page)
        self.assertIn("reviews the request", page)
        self.assertEqual(self._decide(ret, "approve").status_code, 403)
        self.assertEqual(ret.state, "requested")


@tagged("post_install", "-at_install")
class TestMerchantReturnTour(ReturnPortalCommon):
    def test_merchant_return_tour(self):
        self.shipper_ma.tms_return_approval = "manual"
        ret, _notifications = self._request((0, 1, self.reason_size))
        merchant = self._portal_user(
            "tour_merchant",
            self.env["res.partner"].create(
                {"name": "Karima (Boutique Atlas)", "parent_id": self.shipper_ma.id}
            ),
            self.env.ref("base.group_portal"),
        )
        merchant.password = "tour_merchant"
        self.start_tour(
            "/my/returns",
            "tms_ec_merchant_return_tour",
            login="tour_merchant",
            timeout=180,
        )
        self.assertEqual(ret.state, "approved")
