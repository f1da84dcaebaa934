# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import re
import uuid
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import urlparse

import requests
from freezegun import freeze_time
from PIL import Image

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import config, mute_logger

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.tms_core.models.portal import tms_track_rate
from odoo.addons.tms_core.tests.common import TmsCommon
from odoo.addons.tms_core.tools import tracking_number as tn

CSRF_RE = re.compile(r'(csrf_token["\s:=]+(value=)?")[^"]*"')
# the footer's language links point to the address asked for, whatever it is
LANGUAGE_LINK_RE = re.compile(r"<a [^>]*js_change_lang[^>]*>")
EVENT_NOTE = "Left at the neighbour's, Mr Haddad, 3rd floor"
PARCEL_NOTE = "Internal: shipper owes 3 invoices"


def _png(color="black", size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


class TrackCommon(HttpCase, TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            tms_track_rate.PARAM_LOOKUPS, 1000
        )
        cls.hub_cas.partner_id = cls.env["res.partner"].create(
            {
                "name": "Casablanca Depot",
                "city": "Casablanca",
                "country_id": cls.morocco.id,
                "company_id": cls.company_ma.id,
            }
        )
        cls.shipper_ma.is_company = True
        cls.driver = cls._create_tms_user(
            "driver_karim_lahlou", cls.company_ma, "group_tms_driver"
        )
        cls.driver.name = "Karim Lahlou"
        cls.user_ma.name = "Operator Youssef Alaoui"
        cls.parcel = cls._make_parcel(client_reference="CMD-1001")
        t0 = fields.Datetime.now() - timedelta(hours=6)
        Event = cls.env["tms.parcel.event"].with_user(cls.user_ma)
        Event._record(
            [
                {
                    "parcel_id": cls.parcel.id,
                    "state": "picked_up",
                    "event_date": t0,
                    "note": EVENT_NOTE,
                    "location": "Rue Ibnou Mounir, door 12",
                    "latitude": 33.5731,
                    "longitude": -7.5898,
                    "device": "SCANNER-SECRET-7",
                },
                {
                    "parcel_id": cls.parcel.id,
                    "state": "at_hub",
                    "event_date": t0 + timedelta(hours=1),
                    "hub_id": cls.hub_cas.id,
                },
            ]
        )
        cls.parcel.write({"note": PARCEL_NOTE, "driver_id": cls.driver.id})
        # a delivered parcel of the same recipient, with its proof of delivery
        cls.delivered = cls._make_parcel(client_reference="CMD-1002")
        for hours, state in enumerate(("picked_up", "at_hub", "out_for_delivery")):
            cls.delivered._set_state(
                state, event_date=t0 + timedelta(hours=hours), hub_id=cls.hub_cas.id
            )
        cls.delivered._set_state("delivered", event_date=t0 + timedelta(hours=4))
        cls.photo = cls.env["ir.attachment"].create(
            {
                "name": "doorstep.png",
                "raw": _png("blue"),
                "res_model": "tms.parcel",
                "res_id": cls.delivered.id,
            }
        )
        cls.delivered.write(
            {
                "pod_receiver_name": "Omar Benali",
                "pod_signature": base64.b64encode(_png()),
                "pod_photo_ids": [Command.set(cls.photo.ids)],
            }
        )
        cls.personal_data = [
            "Fatima",
            "Benali",
            "Ibnou Mounir",
            "20250",
            "612345678",
            "0612345678",
            "12 34 56 78",
            "Karim Lahlou",
            "Youssef Alaoui",
            "Mr Haddad",
            "door 12",
            "SCANNER-SECRET-7",
            "33.5731",
            "owes 3 invoices",
        ]

    @classmethod
    def _make_parcel(cls, company=None, **vals):
        company = company or cls.company_ma
        values = {
            "company_id": company.id,
            "shipper_id": cls.shipper_ma.id,
            "recipient_id": cls.recipient_ma.id,
            "service_id": cls.service_std.id,
            "weight": 1.5,
            "state": "confirmed",
            # handed over this morning: the scans of the tests come after
            "date_shipping": fields.Datetime.now() - timedelta(hours=8),
        }
        values.update(vals)
        return cls.env["tms.parcel"].with_company(company).create(values)

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def assertNoPersonalData(self, html, extra=()):
        # Odoo's session script (server version) and images inlined as data: URIs
        # (avatars) may hold any digits
        html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
        html = re.sub(r"data:[^\"']+", "", html)
        for value in [*self.personal_data, *extra]:
            self.assertNotIn(value, html, f"{value!r} leaked into the page")

    def _reveal(self, answer, token=None, number=None):
        data = {"csrf_token": self._csrf_token(), "answer": answer}
        if token:
            data["token"] = token
        else:
            data["number"] = number
        return self.url_open("/track/reveal", data=data, allow_redirects=False)

    def _csrf_token(self):
        page = self.url_open("/track")
        return re.search(r'csrf_token: "([^"]+)"', page.text).group(1)

    def _rate_hits(self):
        self.env.cr.execute("SELECT COALESCE(SUM(hit_count), 0) FROM tms_rate_limit")
        return self.env.cr.fetchone()[0]


@tagged("post_install", "-at_install")
class TestPublicTracking(TrackCommon):
    def test_form_is_noindex(self):
        response = self.url_open("/track")
        self.assertEqual(response.status_code, 200)
        self.assertIn('<meta name="robots" content="noindex, nofollow"', response.text)
        self.assertIn("noindex", response.headers["X-Robots-Tag"])
        self.assertIn('id="tms_track_number"', response.text)

    def test_number_shows_timeline_without_personal_data(self):
        # typed as people do: lower case, with spaces
        number = self.parcel.tracking_number
        typed = f" {number[:2].lower()} {number[2:6]} {number[6:]} "
        response = self.url_open(f"/track?number={typed}")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn(number, html)
        self.assertIn("noindex", response.headers["X-Robots-Tag"])
        self.assertIn('name="robots" content="noindex', html)
        # status, timeline with places, next step and promised date
        self.assertIn("o_tms_track_status", html)
        self.assertEqual(html.count("o_tms_timeline_event"), 3)
        self.assertIn("Picked Up", html)
        self.assertIn("At Hub", html)
        self.assertIn("Your parcel is at the Casablanca hub", html)
        self.assertIn("Expected delivery", html)
        self.assertIn(self.parcel._tms_public_date(self.parcel.date_promised), html)
        self.assertNoPersonalData(html, [self.recipient_ma.mobile, "operator_ma"])
        # the reveal form, not the details
        self.assertIn('name="answer"', html)
        self.assertNotIn("o_tms_delivery_details", html)

    def test_undone_scan_is_not_in_the_timeline(self):
        Event = self.env["tms.parcel.event"]
        if "correction_of_id" not in Event._fields:
            self.skipTest("no scan corrections in this version")
        now = fields.Datetime.now()
        wrong = self.parcel._set_state("out_for_delivery", event_date=now)
        Event.sudo().with_context(
            tms_scan_corrections=[[self.parcel.id, "out_for_delivery", "at_hub"]]
        )._record(
            [
                {
                    "parcel_id": self.parcel.id,
                    "state": "at_hub",
                    "event_date": now,
                    "source": "scan",
                    "correction_of_id": wrong.id,
                }
            ]
        )
        self.assertEqual(self.parcel.state, "at_hub")
        html = self.url_open(f"/track/{self.parcel.access_token}").text
        self.assertNotIn("Out for Delivery", html)
        self.assertEqual(html.count("o_tms_timeline_event"), 3)
        self.assertIn("Your parcel is at the Casablanca hub", html)

    def test_wrong_check_digit_is_refused_before_any_lookup(self):
        number = self.parcel.tracking_number
        wrong = number[:10] + str((int(number[10]) + 1) % 10) + number[11:]
        Parcel = self.registry["tms.parcel"]
        hits = self._rate_hits()
        with (
            patch.object(
                Parcel,
                "_tms_track_find_by_number",
                autospec=True,
                side_effect=AssertionError("looked up"),
            ) as find_by_number,
            patch.object(
                Parcel, "search", autospec=True, side_effect=AssertionError("search")
            ) as search,
        ):
            response = self.url_open(f"/track?number={wrong}")
        self.assertEqual(response.status_code, 400)
        self.assertIn("wrong check digit", response.text)
        self.assertIn(wrong, response.text, "the typed number is kept to fix it")
        find_by_number.assert_not_called()
        search.assert_not_called()
        self.assertEqual(self._rate_hits(), hits, "a typing error is not a lookup")
        self.assertNotIn("o_tms_track_result", response.text)
        response = self.url_open("/track?number=HELLO")
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a tracking number", response.text)

    def test_unknown_number_and_wrong_token_look_the_same(self):
        unknown = tn.s10_make("RR", 99999999, "MA")
        self.assertFalse(
            self.env["tms.parcel"].search([("tracking_number", "=", unknown)])
        )
        by_number = self.url_open(f"/track?number={unknown}")
        by_token = self.url_open(f"/track/{uuid.uuid4()}")
        by_junk_token = self.url_open("/track/not-a-token")
        for response in (by_number, by_token, by_junk_token):
            self.assertEqual(response.status_code, 404)
            self.assertIn("We could not find this parcel", response.text)
            self.assertIn("noindex", response.headers["X-Robots-Tag"])

        def page(response):
            return LANGUAGE_LINK_RE.sub("", CSRF_RE.sub("", response.text))

        self.assertEqual(page(by_number), page(by_token))
        self.assertEqual(page(by_token), page(by_junk_token))
        self.assertNotIn(unknown, page(by_number))

    def test_token_url(self):
        url = self.parcel._tms_public_tracking_url()
        self.assertTrue(url.endswith(f"/track/{self.parcel.access_token}"))
        response = self.url_open(urlparse(url).path)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.parcel.tracking_number, response.text)
        self.assertIn("Your parcel is at the Casablanca hub", response.text)
        self.assertEqual(response.headers["Referrer-Policy"], "no-referrer")
        self.assertNoPersonalData(response.text)

    def test_second_factor_wrong_answer(self):
        token = self.delivered.access_token
        html = self.url_open(f"/track/{token}").text
        self.assertIn("Your parcel was delivered on", html)
        self.assertNotIn("Expected delivery", html)
        for answer in ("0000", "99999", "20", "FATIMA"):
            response = self._reveal(answer, token=token)
            self.assertIn(response.status_code, (400, 403), answer)
            self.assertNoPersonalData(response.text, ["Omar Benali"])
            self.assertNotIn("o_tms_delivery_details", response.text)
            self.assertIn("does not match", response.text)
        # nothing was remembered for the session
        response = self.url_open(f"/track/{token}")
        self.assertNoPersonalData(response.text, ["Omar Benali"])
        self.assertEqual(
            self.url_open(f"/track/pod/{self.delivered.id}/signature").status_code,
            404,
        )

    def test_second_factor_phone_digits_reveal_the_details(self):
        token = self.delivered.access_token
        response = self._reveal("5678", token=token)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/track/{token}"))
        html = self.url_open(f"/track/{token}").text
        self.assertIn("o_tms_delivery_details", html)
        self.assertIn("Fatima Zahra Benali", html)
        self.assertIn("12 Rue Ibnou Mounir", html)
        self.assertIn("20250 Casablanca", html)
        self.assertIn("Omar Benali", html)
        self.assertIn(f"/track/pod/{self.delivered.id}/signature", html)
        self.assertIn(f"/track/pod/{self.delivered.id}/photo/{self.photo.id}", html)
        # never the internal data, revealed or not
        self.assertNotIn("Mr Haddad", html)
        self.assertNotIn("Youssef Alaoui", html)
        signature = self.url_open(f"/track/pod/{self.delivered.id}/signature")
        self.assertEqual(signature.status_code, 200)
        self.assertEqual(signature.headers["Content-Type"], "image/png")
        self.assertIn("no-store", signature.headers["Cache-Control"])
        photo = self.url_open(f"/track/pod/{self.delivered.id}/photo/{self.photo.id}")
        self.assertEqual(photo.status_code, 200)
        self.assertEqual(photo.content, self.photo.raw)
        # an attachment that is not one of the parcel's photos
        other = self.env["ir.attachment"].create({"name": "x.txt", "raw": b"secret"})
        self.assertEqual(
            self.url_open(
                f"/track/pod/{self.delivered.id}/photo/{other.id}"
            ).status_code,
            404,
        )
        # for this parcel only: the other parcel of the same recipient stays closed
        other_parcel = self.url_open(f"/track/{self.parcel.access_token}").text
        self.assertNoPersonalData(other_parcel)
        self.assertEqual(
            self.url_open(f"/track/pod/{self.parcel.id}/signature").status_code, 404
        )
        # and for this browser session only
        self.authenticate(None, None)
        self.assertNoPersonalData(self.url_open(f"/track/{token}").text)
        self.assertEqual(
            self.url_open(f"/track/pod/{self.delivered.id}/signature").status_code,
            404,
        )

    def test_second_factor_postcode_by_number(self):
        number = self.delivered.tracking_number
        response = self._reveal(" 20 250 ", number=number)
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/track?number={number}", response.headers["Location"])
        html = self.url_open(f"/track?number={number}").text
        self.assertIn("Fatima Zahra Benali", html)
        self.assertIn("Omar Benali", html)

    def test_second_factor_attempt_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            tms_track_rate.PARAM_REVEAL_ATTEMPTS, 3
        )
        token = self.delivered.access_token
        for _i in range(3):
            self.assertEqual(self._reveal("1111", token=token).status_code, 403)
        # the right answer, too late
        response = self._reveal("5678", token=token)
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many attempts for this parcel", response.text)
        self.assertNoPersonalData(response.text, ["Omar Benali"])
        # a fresh session gets no more tries on this parcel
        self.authenticate(None, None)
        response = self._reveal("20250", token=token)
        self.assertEqual(response.status_code, 429)
        self.assertNoPersonalData(response.text, ["Omar Benali"])
        # another parcel is not locked
        self.assertEqual(
            self._reveal("5678", token=self.parcel.access_token).status_code, 303
        )

    def test_anonymised_parcel_reveals_nothing(self):
        self.delivered._tms_anonymize()
        self.assertEqual(self.delivered.recipient_zip, "20")
        html = self.url_open(f"/track/{self.delivered.access_token}").text
        self.assertNotIn('name="answer"', html)
        self.assertIn("cannot be shown online", html)
        response = self._reveal("20", token=self.delivered.access_token)
        self.assertEqual(response.status_code, 403)

    def test_rate_limit_per_ip(self):
        self.env["ir.config_parameter"].sudo().set_param(
            tms_track_rate.PARAM_LOOKUPS, 3
        )
        number = self.parcel.tracking_number
        # the clock stands 20 s into a minute: the lookups share its window
        with freeze_time(fields.Datetime.now().replace(second=20)) as frozen:
            for _i in range(3):
                self.assertEqual(
                    self.url_open(f"/track?number={number}").status_code, 200
                )
            # a wrong check digit is not a lookup: still allowed
            self.assertEqual(
                self.url_open("/track?number=RR000000000MA").status_code, 400
            )
            limited = self.url_open(f"/track/{self.parcel.access_token}")
            self.assertEqual(limited.status_code, 429)
            self.assertIn("Too many lookups", limited.text)
            # the end of the minute
            self.assertEqual(limited.headers["Retry-After"], "40")
            self.assertIn("noindex", limited.headers["X-Robots-Tag"])
            self.assertIn('name="robots" content="noindex', limited.text)
            self.assertNotIn(number, limited.text)
            # a new session from the same address is still limited
            self.authenticate(None, None)
            self.assertEqual(self.url_open(f"/track?number={number}").status_code, 429)
            # another address (behind the reverse proxy) is not
            host = urlparse(self.base_url()).netloc
            with patch.dict(config.options, {"proxy_mode": True}):
                response = self.url_open(
                    f"/track?number={number}",
                    headers={
                        "X-Forwarded-For": "203.0.113.7",
                        "X-Forwarded-Host": host,
                    },
                )
            self.assertEqual(response.status_code, 200)
            # the next minute is a new window
            frozen.tick(40)
            self.assertEqual(self.url_open(f"/track?number={number}").status_code, 200)
        # no address is stored, only a hash
        self.env.cr.execute("SELECT rate_key FROM tms_rate_limit")
        keys = [row[0] for row in self.env.cr.fetchall()]
        self.assertTrue(keys)
        self.assertFalse([k for k in keys if "127.0.0.1" in k or "203.0.113" in k])

    def test_logged_in_customer_sees_details_on_public_page(self):
        portal = self.env["res.users"].create(
            {
                "name": "Fatima Zahra Benali",
                "login": "fatima_portal",
                "password": "fatima_portal_pw",
                "partner_id": self.recipient_ma.id,
                "company_id": self.company_ma.id,
                "company_ids": [Command.set(self.company_ma.ids)],
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        self.authenticate(portal.login, "fatima_portal_pw")
        html = self.url_open(f"/track/{self.delivered.access_token}").text
        self.assertIn("Omar Benali", html)
        self.assertIn(f"/my/parcels/{self.delivered.id}", html)

    def test_token_does_not_open_the_chatter(self):
        """portal.mixin lets a record's access token open its chatter (read and
        post); a parcel's token is its public tracking link, printed on the label."""
        self.parcel.message_post(body="Message to the shop", message_type="comment")
        public = self.env.ref("base.public_user")
        Parcel = self.env["tms.parcel"].with_user(public)
        self.assertFalse(
            Parcel._get_thread_with_access(
                self.parcel.id, token=self.parcel.access_token
            )
        )
        self.assertFalse(
            Parcel._get_thread_with_access(
                self.parcel.id, mode="create", token=self.parcel.access_token
            )
        )
        # a back-office user still opens it
        self.assertEqual(
            self.env["tms.parcel"]
            .with_user(self.user_ma)
            ._get_thread_with_access(self.parcel.id),
            self.parcel,
        )

    def test_arabic_page_is_right_to_left(self):
        self.env["res.lang"]._activate_lang("ar_001")
        number = self.parcel.tracking_number
        # a language in the URL
        response = self.url_open(f"/ar/track?number={number}")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.text, r'<html[^>]* dir="rtl"')
        self.assertRegex(response.text, r'<html[^>]* lang="ar-001"')
        self.assertIn(number, response.text)
        # the language chosen before (the frontend_lang cookie): redirected to /ar/
        self.authenticate(None, None)
        self.opener.cookies.set("frontend_lang", "ar_001")
        response = self.url_open(f"/track/{self.parcel.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(urlparse(response.url).path.startswith("/ar/track/"))
        self.assertRegex(response.text, r'<html[^>]* dir="rtl"')
        # the browser's language, for a first visit
        with requests.Session() as browser:
            response = browser.get(
                f"{self.base_url()}/track",
                headers={"Accept-Language": "ar-MA,ar;q=0.9"},
                timeout=12,
            )
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.text, r'<html[^>]* dir="rtl"')
        # French stays left to right
        self.env["res.lang"]._activate_lang("fr_FR")
        response = self.url_open(f"/fr/track?number={number}")
        self.assertRegex(response.text, r'<html[^>]* dir="ltr"')
        self.assertRegex(response.text, r'<html[^>]* lang="fr-FR"')


@tagged("post_install", "-at_install")
class TestPortalParcels(TrackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        portal_group = cls.env.ref("base.group_portal")
        # the shop's employee, a contact of the shipper company
        cls.shop_contact = Partner.create(
            {"name": "Nadia (Boutique Atlas)", "parent_id": cls.shipper_ma.id}
        )
        cls.other_shipper = Partner.create(
            {
                "name": "Bazar Fes",
                "is_company": True,
                "company_id": cls.company_ma.id,
                "country_id": cls.morocco.id,
            }
        )
        cls.other_recipient = Partner.create(
            {
                "name": "Hassan Tazi",
                "street": "8 Avenue Hassan II",
                "city": "Fes",
                "zip": "30000",
                "country_id": cls.morocco.id,
                "mobile": "0698765432",
                "company_id": cls.company_ma.id,
            }
        )
        cls.other_parcel = cls._make_parcel(
            shipper_id=cls.other_shipper.id,
            recipient_id=cls.other_recipient.id,
            client_reference="BZ-77",
        )
        cls.shop_user = cls._portal_user("nadia_shop", cls.shop_contact, portal_group)
        cls.other_shop_user = cls._portal_user(
            "bazar_shop", cls.other_shipper, portal_group
        )
        cls.recipient_user = cls._portal_user(
            "fatima_recipient", cls.recipient_ma, portal_group
        )

    @classmethod
    def _portal_user(cls, login, partner, group, company=None):
        company = company or cls.company_ma
        return cls.env["res.users"].create(
            {
                "login": login,
                "password": f"{login}-password",
                "partner_id": partner.id,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set([group.id])],
            }
        )

    def _login(self, user):
        self.authenticate(user.login, f"{user.login}-password")

    def _counter(self):
        return self.make_jsonrpc_request(
            "/my/counters", {"counters": ["tms_parcel_count"]}
        )["tms_parcel_count"]

    def test_shipper_sees_its_parcels_only(self):
        self._login(self.shop_user)
        html = self.url_open("/my/parcels").text
        for parcel in (self.parcel, self.delivered):
            self.assertIn(parcel.tracking_number, html)
            self.assertIn(f'href="/my/parcels/{parcel.id}"', html)
        self.assertNotIn(self.other_parcel.tracking_number, html)
        self.assertNotIn("Hassan Tazi", html)
        self.assertNotIn("BZ-77", html)
        self.assertEqual(self._counter(), 2)
        self.assertIn("/my/parcels", self.url_open("/my").text)
        # the ORM says the same (JSON-RPC clients included)
        Parcel = self.env["tms.parcel"].with_user(self.shop_user)
        self.assertEqual(Parcel.search([]), self.parcel | self.delivered)

    def test_direct_url_of_another_customers_parcel(self):
        self._login(self.other_shop_user)
        for url in (
            f"/my/parcels/{self.parcel.id}",
            f"/my/parcels/{self.parcel.id}?access_token=wrong",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303), url)
            self.assertEqual(urlparse(response.headers["Location"]).path, "/my")
            self.assertNotIn(self.parcel.tracking_number, response.text)
        response = self.url_open(f"/my/parcels/{self.parcel.id}")
        self.assertNotIn(self.parcel.tracking_number, response.text)
        self.assertNoPersonalData(response.text)
        for url in (
            f"/my/parcels/{self.delivered.id}/pod/signature",
            f"/my/parcels/{self.delivered.id}/pod/photo/{self.photo.id}",
            f"/track/pod/{self.delivered.id}/signature",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        self.assertEqual(self._counter(), 1)
        html = self.url_open("/my/parcels").text
        self.assertIn(self.other_parcel.tracking_number, html)
        self.assertNotIn(self.parcel.tracking_number, html)

    def test_access_token_alone_leads_to_the_public_page(self):
        response = self.url_open(
            f"/my/parcels/{self.delivered.id}?access_token={self.delivered.access_token}",
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(
            urlparse(response.headers["Location"]).path,
            f"/track/{self.delivered.access_token}",
        )
        self.assertNoPersonalData(response.text, ["Omar Benali"])
        # the proof of delivery needs a login, whatever the token
        response = self.url_open(
            f"/my/parcels/{self.delivered.id}/pod/signature"
            f"?access_token={self.delivered.access_token}",
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(urlparse(response.headers["Location"]).path, "/web/login")

    def test_detail_page(self):
        self._login(self.shop_user)
        response = self.url_open(f"/my/parcels/{self.delivered.id}")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn(self.delivered.tracking_number, html)
        self.assertIn("CMD-1002", html)
        self.assertIn("Fatima Zahra Benali", html)
        self.assertIn("12 Rue Ibnou Mounir", html)
        self.assertIn("Omar Benali", html)
        self.assertEqual(html.count("o_tms_timeline_event"), 5)
        self.assertIn(f"/my/parcels/{self.delivered.id}/pod/signature", html)
        # internal only: the driver, operators, event notes, places and devices
        page = self.url_open(f"/my/parcels/{self.parcel.id}").text
        for internal in (
            "Karim Lahlou",
            "Youssef Alaoui",
            "Mr Haddad",
            "door 12",
            "SCANNER-SECRET-7",
            "33.5731",
            "owes 3 invoices",
        ):
            self.assertNotIn(internal, page)
        download = self.url_open(f"/my/parcels/{self.delivered.id}/pod/signature")
        self.assertEqual(download.status_code, 200)
        self.assertIn("attachment", download.headers["Content-Disposition"])
        self.assertIn(
            self.delivered.tracking_number, download.headers["Content-Disposition"]
        )
        photo = self.url_open(
            f"/my/parcels/{self.delivered.id}/pod/photo/{self.photo.id}"
        )
        self.assertEqual(photo.content, self.photo.raw)

    def test_recipient_sees_parcels_sent_to_them(self):
        parcel_to_other = self._make_parcel(recipient_id=self.other_recipient.id)
        self._login(self.recipient_user)
        html = self.url_open("/my/parcels").text
        self.assertIn(self.parcel.tracking_number, html)
        self.assertIn("Boutique Atlas", html)
        self.assertNotIn(parcel_to_other.tracking_number, html)
        self.assertNotIn(self.other_parcel.tracking_number, html)
        self.assertEqual(self._counter(), 2)
        self.assertEqual(
            self.url_open(f"/my/parcels/{self.parcel.id}").status_code, 200
        )
        response = self.url_open(
            f"/my/parcels/{parcel_to_other.id}", allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))

    def test_search_filters_sorting_and_pager(self):
        self._login(self.shop_user)

        def listed(query):
            html = self.url_open(f"/my/parcels{query}").text
            return [
                number
                for number in (
                    self.parcel.tracking_number,
                    self.delivered.tracking_number,
                )
                if number in html
            ]

        self.assertEqual(
            listed("?filterby=delivered"), [self.delivered.tracking_number]
        )
        self.assertEqual(listed("?filterby=progress"), [self.parcel.tracking_number])
        self.assertEqual(listed("?filterby=problem"), [])
        self.assertEqual(
            listed("?search=CMD-1001&search_in=reference"),
            [self.parcel.tracking_number],
        )
        self.assertEqual(
            listed(f"?search={self.delivered.tracking_number[-6:]}&search_in=number"),
            [self.delivered.tracking_number],
        )
        self.assertEqual(listed("?search=CMD-1001&search_in=number"), [])
        html = self.url_open("/my/parcels?sortby=number&filterby=bogus&sortby=x").text
        self.assertIn(self.parcel.tracking_number, html)
        # sorting by number puts the smaller one first
        html = self.url_open("/my/parcels?sortby=number").text
        first, second = sorted(
            [self.parcel.tracking_number, self.delivered.tracking_number]
        )
        self.assertLess(html.index(first), html.index(second))
        # pager
        with patch.object(CustomerPortal, "_items_per_page", 1):
            page1 = self.url_open("/my/parcels?sortby=number").text
            page2 = self.url_open("/my/parcels/page/2?sortby=number").text
        self.assertIn(first, page1)
        self.assertNotIn(second, page1)
        self.assertIn(second, page2)
        self.assertIn("/my/parcels/page/2", page1)

    def test_portal_user_cannot_change_parcels(self):
        Parcel = self.env["tms.parcel"].with_user(self.shop_user)
        with mute_logger("odoo.addons.base.models.ir_model"):
            with self.assertRaises(AccessError):
                Parcel.browse(self.parcel.id).write({"client_reference": "hijack"})
            with self.assertRaises(AccessError):
                Parcel.create({"weight": 1})
            # events and contents are shown through the public whitelist only
            with self.assertRaises(AccessError):
                self.env["tms.parcel.event"].with_user(self.shop_user).search([])
        self.assertEqual(self.parcel.client_reference, "CMD-1001")

    def test_multi_company(self):
        """A customer of two carriers in one database: its portal user of company A
        does not see the parcels of company B."""
        shared = self.env["res.partner"].create(
            {"name": "Souk Partage", "is_company": True, "country_id": self.morocco.id}
        )
        parcel_a = self._make_parcel(shipper_id=shared.id)
        parcel_b = (
            self.env["tms.parcel"]
            .with_company(self.company_fr)
            .create(
                {
                    "company_id": self.company_fr.id,
                    "shipper_id": shared.id,
                    "state": "confirmed",
                }
            )
        )
        user = self._portal_user("souk_a", shared, self.env.ref("base.group_portal"))
        Parcel = self.env["tms.parcel"].with_user(user)
        self.assertEqual(Parcel.search([]), parcel_a)
        self._login(user)
        html = self.url_open("/my/parcels").text
        self.assertIn(parcel_a.tracking_number, html)
        self.assertNotIn(parcel_b.tracking_number, html)
        self.assertEqual(self._counter(), 1)
        response = self.url_open(f"/my/parcels/{parcel_b.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertNotIn(parcel_b.tracking_number, response.text)


@tagged("post_install", "-at_install")
class TestTrackLateParcel(TrackCommon):
    """A parcel whose promised day is past tells the truth: it is late, when it comes
    now if that is known, and how to reach the carrier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_ma.write(
            {"phone": "+212 5 22 00 11 22", "email": "help@colis-express.example.com"}
        )

    def _late_parcel(self, state, days_ago=1):
        parcel = self._make_parcel(
            date_shipping=fields.Datetime.now() - timedelta(days=days_ago + 4)
        )
        parcel.date_promised = fields.Datetime.now() - timedelta(days=days_ago)
        parcel._set_state(
            "picked_up", event_date=fields.Datetime.now() - timedelta(days=days_ago + 3)
        )
        parcel._set_state(
            "at_hub",
            event_date=fields.Datetime.now() - timedelta(days=days_ago + 2),
            hub_id=self.hub_cas.id,
        )
        if state != "at_hub":
            parcel._set_state(
                state,
                event_date=fields.Datetime.now() - timedelta(days=days_ago),
                hub_id=self.hub_cas.id,
            )
        return parcel

    def test_late_parcel_out_for_delivery_since_yesterday(self):
        parcel = self._late_parcel("out_for_delivery", days_ago=2)
        html = self.url_open(f"/track/{parcel.access_token}").text
        self.assertNotIn("arrives today", html)
        self.assertNotIn("Expected delivery", html)
        self.assertIn("Your parcel is late", html)
        # it already left: no promise to say when it leaves
        self.assertIn("It is with our driver", html)
        self.assertNotIn("when it leaves for delivery", html)
        self.assertIn("o_tms_track_late", html)
        self.assertIn(parcel._tms_public_date(parcel.date_promised), html)
        self.assertNotIn("o_tms_track_new_estimate", html)
        self.assertIn('href="tel:+212522001122"', html)
        self.assertIn('href="mailto:help@colis-express.example.com"', html)

    def test_late_parcel_out_for_delivery_today_has_a_new_estimate(self):
        parcel = self._late_parcel("at_hub", days_ago=2)
        parcel._set_state("out_for_delivery", hub_id=self.hub_cas.id)
        html = self.url_open(f"/track/{parcel.access_token}").text
        self.assertIn("Your parcel is late", html)
        self.assertIn("should arrive today", html)
        self.assertRegex(html, r'o_tms_track_new_estimate"[^>]*>Today<')

    def test_late_parcel_in_transit(self):
        parcel = self._late_parcel("at_hub")
        html = self.url_open(f"/track/{parcel.access_token}").text
        self.assertIn("Your parcel is late", html)
        self.assertIn("o_tms_track_late_contact", html)
        self.assertIn("Colis Express Maroc", html)

    def test_parcel_on_time_is_not_late(self):
        html = self.url_open(f"/track/{self.parcel.access_token}").text
        self.assertNotIn("o_tms_track_late", html)
        self.assertNotIn("is late", html)
        self.assertIn("Expected delivery", html)
        # a delivered parcel is never late, even delivered after its promised day
        self.delivered.date_promised = fields.Datetime.now() - timedelta(days=3)
        html = self.url_open(f"/track/{self.delivered.access_token}").text
        self.assertNotIn("o_tms_track_late", html)

    def test_wrong_answer_brings_the_form_into_view(self):
        token = self.parcel.access_token
        page = self.url_open(f"/track/{token}").text
        self.assertRegex(page, r'<form[^>]* id="tms_track_reveal"')
        self.assertRegex(page, r'action="[^"]*/track/reveal#tms_track_reveal"')
        self.assertNotIn("autofocus", page)
        response = self._reveal("0000", token=token)
        self.assertEqual(response.status_code, 403)
        self.assertRegex(
            response.text,
            r'<input[^>]* id="tms_track_answer"[^>]* autofocus="autofocus"',
        )
        self.assertIn('aria-describedby="tms_track_reveal_error"', response.text)
        self.assertIn('id="tms_track_reveal_error"', response.text)


@tagged("post_install", "-at_install")
class TestTrackBrandAndLanguages(TrackCommon):
    """The public pages are the carrier's, in the customers' languages."""

    def test_page_and_footer_name_the_parcels_company(self):
        main = self.env.ref("base.main_company")
        other = self._make_parcel(
            company=self.company_fr, shipper_id=False, recipient_id=False
        )
        # a page of another company first: the footer must not keep its name
        self.assertIn(
            "Colis Rapide France", self.url_open(f"/track/{other.access_token}").text
        )
        html = self.url_open(f"/track/{self.parcel.access_token}").text
        footer = html[html.index('id="bottom"') :]
        self.assertIn("Colis Express Maroc", footer)
        self.assertNotIn("Colis Rapide France", html)
        self.assertNotIn(main.name, html)
        self.assertIn(f"/logo.png?company={self.company_ma.id}", html)

    def test_demo_carrier_page(self):
        company = self.env.ref("tms_core.res_company_ma_demo", raise_if_not_found=False)
        if not company:
            self.skipTest("without demo data")
        self.assertFalse(company.uses_default_logo, "the demo carrier has its logo")
        parcel = self.env["tms.parcel"].search(
            [("company_id", "=", company.id), ("access_token", "!=", False)], limit=1
        )
        html = self.url_open(f"/track/{parcel.access_token}").text
        self.assertIn("Atlas Colis", html)
        self.assertNotIn("My Company", html)
        self.assertIn(f"/logo.png?company={company.id}", html)

    def test_french_and_arabic_are_installed(self):
        if not self.env.ref("tms_core.res_company_ma_demo", raise_if_not_found=False):
            self.skipTest("without demo data")
        response = self.url_open("/fr/track")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.text, r'<html[^>]* lang="fr-FR"')
        self.assertIn("Suivre", response.text)
        response = self.url_open("/ar/track")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.text, r'<html[^>]* dir="rtl"')

    def test_arabic_timeline_isolates_day_and_time(self):
        self.env["res.lang"]._activate_lang("ar_001")
        html = self.url_open(f"/ar/track/{self.parcel.access_token}").text
        self.assertRegex(html, r'<html[^>]* dir="rtl"')
        times = re.findall(
            r"<time[^>]*o_tms_timeline_date[^>]*>\s*<bdi>([^<]+)</bdi>\s*·\s*"
            r'<bdi dir="ltr">(\d\d:\d\d)</bdi>',
            html,
        )
        self.assertEqual(len(times), 3, "each event's day and time apart")
        self.assertFalse(any(re.search(r"\d\d:\d\d", day) for day, _time in times))
