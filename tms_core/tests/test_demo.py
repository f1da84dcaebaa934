# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
import unittest
from collections import Counter, defaultdict
from datetime import timedelta

import pytz

from odoo import fields
from odoo.exceptions import AccessDenied, UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.tms_core.models.demo.tms_demo import SHIPPERS
from odoo.addons.tms_core.models.parcel.tms_parcel import INITIAL_STATES, PARCEL_STATES

ARABIC = re.compile("[\u0600-\u06ff]")
MA_CITIES = ("Casablanca", "Rabat", "Marrakech", "Tanger", "Agadir")
FR_CITIES = ("Paris", "Lyon", "Marseille")
# (latitude, longitude) of the cities with a hub
CITY_COORDS = {
    "Casablanca": (33.57, -7.59),
    "Rabat": (34.02, -6.84),
    "Marrakech": (31.63, -7.98),
    "Tanger": (35.76, -5.83),
    "Agadir": (30.43, -9.60),
    "Paris": (48.86, 2.35),
    "Lyon": (45.76, 4.84),
    "Marseille": (43.30, 5.37),
}
MA_HOLIDAYS = {
    (1, 1),
    (1, 11),
    (5, 1),
    (7, 30),
    (8, 14),
    (8, 20),
    (8, 21),
    (11, 6),
    (11, 18),
}
FR_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def _working_hours(calendar):
    """The time zone, {weekday: [(from, to)]} and the local dates of the public
    holidays of a calendar."""
    tz = pytz.timezone(calendar.tz)
    hours = defaultdict(list)
    for attendance in calendar.attendance_ids:
        if attendance.day_period != "lunch":
            hours[int(attendance.dayofweek)].append(
                (attendance.hour_from, attendance.hour_to)
            )
    holidays = set()
    for leave in calendar.global_leave_ids:
        day = pytz.utc.localize(leave.date_from).astimezone(tz).date()
        while day <= pytz.utc.localize(leave.date_to).astimezone(tz).date():
            holidays.add(day)
            day += timedelta(days=1)
    return tz, hours, holidays


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """What someone trying the demo database sees: two carriers with real hubs, zones
    and a few hundred parcels whose timelines make sense."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_ma = cls.env.ref(
            "tms_core.res_company_ma_demo", raise_if_not_found=False
        )
        cls.company_fr = cls.env.ref(
            "tms_core.res_company_fr_demo", raise_if_not_found=False
        )
        if not (cls.company_ma and cls.company_fr):
            raise unittest.SkipTest("The database has no demo data.")
        cls.now = fields.Datetime.now()
        Parcel = cls.env["tms.parcel"]
        # The parcels the generator made for the demo shippers; other modules' demo
        # data (returns sent back by customers, shop orders) add parcels of their own.
        shippers = cls.env["res.partner"].browse(
            cls.env.ref(f"tms_core.{xmlid}").id
            for country in SHIPPERS.values()
            for xmlid, *_rest in country
        )
        cls.parcels_ma = Parcel.search(
            [("company_id", "=", cls.company_ma.id), ("shipper_id", "in", shippers.ids)]
        )
        cls.parcels_fr = Parcel.search(
            [("company_id", "=", cls.company_fr.id), ("shipper_id", "in", shippers.ids)]
        )
        cls.parcels = cls.parcels_ma | cls.parcels_fr
        cls.all_parcels_ma = Parcel.search([("company_id", "=", cls.company_ma.id)])
        cls.driver = cls.env.ref("tms_core.user_driver_demo")
        cls.operator = cls.env.ref("tms_core.user_operator_demo")

    def _hub(self, company, code):
        return self.env["tms.hub"].search(
            [("company_id", "=", company.id), ("code", "=", code)]
        )

    # ----------------------------------------------------------------------------------
    # companies, calendars, users
    # ----------------------------------------------------------------------------------
    def test_companies(self):
        self.assertEqual(self.company_ma.name, "Atlas Colis")
        self.assertEqual(self.company_ma.country_id, self.env.ref("base.ma"))
        self.assertEqual(self.company_ma.currency_id.name, "MAD")
        self.assertEqual(self.company_ma.city, "Casablanca")
        self.assertEqual(self.company_fr.name, "Hexa Messagerie")
        self.assertEqual(self.company_fr.country_id, self.env.ref("base.fr"))
        self.assertEqual(self.company_fr.currency_id.name, "EUR")
        self.assertIn(self.company_fr.city, ("Paris", "Lyon"))
        admin = self.env.ref("base.user_admin")
        self.assertLessEqual(self.company_ma | self.company_fr, admin.company_ids)
        # the administrator lands in the Moroccan carrier, whose lists are filled
        self.assertEqual(admin.company_id, self.company_ma)
        self.assertIn(self.env.ref("base.main_company"), admin.company_ids)
        for company in (self.company_ma, self.company_fr):
            self.assertFalse(company.uses_default_logo, company.name)
        self.assertTrue(
            self.env["tms.parcel"].with_user(admin).search_count([]),
            "the parcel list is not empty after login",
        )
        for code in ("fr_FR", "ar_001"):
            self.assertTrue(self.env["res.lang"]._lang_get(code).active, code)

    def test_working_hours_and_public_holidays(self):
        year = fields.Date.today().year
        for company, tz_name, holidays in (
            (self.company_ma, "Africa/Casablanca", MA_HOLIDAYS),
            (self.company_fr, "Europe/Paris", FR_HOLIDAYS),
        ):
            calendar = company.resource_calendar_id
            self.assertEqual(calendar.company_id, company)
            self.assertEqual(calendar.tz, tz_name)
            tz, hours, days = _working_hours(calendar)
            self.assertLessEqual({0, 1, 2, 3, 4}, set(hours), calendar.name)
            self.assertNotIn(6, hours, "nobody works on Sundays")
            self.assertLessEqual(
                holidays, {(d.month, d.day) for d in days if d.year == year}
            )
            for leave in calendar.global_leave_ids:
                start = pytz.utc.localize(leave.date_from).astimezone(tz)
                end = pytz.utc.localize(leave.date_to).astimezone(tz)
                self.assertEqual((start.hour, start.minute), (0, 0), leave.name)
                self.assertEqual((end.date(), end.hour), (start.date(), 23), leave.name)
        self.assertIn(
            5,
            _working_hours(self.company_ma.resource_calendar_id)[1],
            "Moroccan carriers work on Saturday mornings",
        )
        self.assertNotIn(5, _working_hours(self.company_fr.resource_calendar_id)[1])

    def test_demo_users(self):
        self.assertEqual(self.driver.login, "driver")
        self.assertTrue(self.driver.has_group("tms_core.group_tms_driver"))
        self.assertFalse(self.driver.has_group("tms_core.group_tms_user"))
        self.assertEqual(self.operator.login, "operator")
        self.assertTrue(self.operator.has_group("tms_core.group_tms_user"))
        for user, password in ((self.driver, "driver"), (self.operator, "operator")):
            self.assertEqual(user.company_ids, self.company_ma)
            credential = {"login": user.login, "password": password, "type": "password"}
            user.with_user(user)._check_credentials(credential, {"interactive": False})
            with self.assertRaises(AccessDenied):
                user.with_user(user)._check_credentials(
                    dict(credential, password="wrong"), {"interactive": False}
                )

    def test_driver_sees_only_his_parcels(self):
        mine = self.all_parcels_ma.filtered(lambda p: p.driver_id == self.driver)
        self.assertTrue(mine)
        Parcel = self.env["tms.parcel"].with_user(self.driver)
        self.assertEqual(Parcel.search([]), mine)
        # the operator sees every parcel of Atlas Colis, none of Hexa Messagerie
        Parcel = self.env["tms.parcel"].with_user(self.operator)
        self.assertEqual(Parcel.search([]), self.all_parcels_ma)
        self.assertFalse(Parcel.search([("id", "in", self.parcels_fr.ids)]))

    def test_driver_assigned_to_delivery_rounds(self):
        for parcel in self.parcels_ma:
            on_round = any(
                e.state == "out_for_delivery" and e.source == "driver" and e.is_applied
                for e in parcel.event_ids
            )
            self.assertEqual(
                parcel.driver_id == self.driver, on_round, parcel.tracking_number
            )
            if parcel.state in ("out_for_delivery", "failed") and (
                parcel.carrier_id.carrier_type == "own"
            ):
                self.assertEqual(parcel.driver_id, self.driver, parcel.tracking_number)
        own_delivered = self.parcels_ma.filtered(
            lambda p: p.state == "delivered"
            and p.carrier_id.carrier_type == "own"
            and p.hub_id.hub_type != "relay"
        )
        self.assertTrue(own_delivered)
        self.assertEqual(own_delivered.driver_id, self.driver)

    # ----------------------------------------------------------------------------------
    # hubs and zones
    # ----------------------------------------------------------------------------------
    def test_hubs_in_named_cities(self):
        for company, cities, depot_code, country in (
            (self.company_ma, MA_CITIES, "CAS", "MA"),
            (self.company_fr, FR_CITIES, "PAR", "FR"),
        ):
            hubs = self.env["tms.hub"].search([("company_id", "=", company.id)])
            self.assertEqual(set(hubs.mapped("city")), set(cities))
            depot = self._hub(company, depot_code)
            self.assertEqual(depot.hub_type, "depot")
            self.assertEqual(depot.city, cities[0])
            for hub in hubs:
                self.assertEqual(hub.country_id.code, country, hub.name)
                self.assertTrue(hub.partner_id.street and hub.partner_id.zip, hub.name)
                self.assertTrue(
                    self.env["tms.parcel"]._tms_phone_is_valid(
                        hub.phone, hub.country_id
                    ),
                    f"{hub.name}: {hub.phone}",
                )
                self.assertTrue(hub.opening_calendar_id, hub.name)
                latitude, longitude = CITY_COORDS[hub.city]
                self.assertAlmostEqual(hub.latitude, latitude, delta=0.1, msg=hub.name)
                self.assertAlmostEqual(
                    hub.longitude, longitude, delta=0.1, msg=hub.name
                )
                if hub != depot:
                    self.assertEqual(hub.parent_id, depot, hub.name)
            for city in cities:
                self.assertTrue(
                    hubs.filtered(
                        lambda h, c=city: h.city == c and h.hub_type != "relay"
                    ),
                    f"no depot or agency in {city}",
                )
        maarif = self._hub(self.company_ma, "CMA")
        self.assertEqual(
            (maarif.hub_type, maarif.city, maarif.partner_id.zip),
            ("relay", "Casablanca", "20330"),
        )
        paris_11 = self._hub(self.company_fr, "P11")
        self.assertEqual(
            (paris_11.hub_type, paris_11.city, paris_11.partner_id.zip),
            ("relay", "Paris", "75011"),
        )
        # a relay point keeps shop hours, not the carrier's
        self.assertNotEqual(
            maarif.opening_calendar_id, self.company_ma.resource_calendar_id
        )

    def test_zones(self):
        Zone = self.env["tms.zone"]
        for company, cities in (
            (self.company_ma, MA_CITIES),
            (self.company_fr, FR_CITIES),
        ):
            zones = Zone.search([("company_id", "=", company.id)])
            catch_all = zones.filtered(
                lambda z: not z.zip_prefixes and not z.zip_ranges
            )
            self.assertEqual(len(catch_all), 1)
            self.assertEqual(zones[-1], catch_all, "the catch-all zone comes last")
            self.assertEqual(catch_all.hub_id.hub_type, "depot")
            for city in cities:
                zone = (zones - catch_all).filtered(
                    lambda z, c=city: z.hub_id.city == c
                )
                self.assertEqual(len(zone), 1, city)
        # postcodes of the brief land in their city's zone
        for company, zip_code, city in (
            (self.company_ma, "20000", "Casablanca"),
            (self.company_ma, "20999", "Casablanca"),
            (self.company_ma, "10080", "Rabat"),
            (self.company_ma, "40000", "Marrakech"),
            (self.company_ma, "90060", "Tanger"),
            (self.company_ma, "80000", "Agadir"),
            (self.company_fr, "75011", "Paris"),
            (self.company_fr, "69007", "Lyon"),
            (self.company_fr, "13002", "Marseille"),
        ):
            zone = Zone._find_zones(
                [(company.id, company.country_id.id, False, city, zip_code)]
            )[0]
            self.assertEqual(zone.hub_id.city, city, zip_code)
        zone = Zone._find_zones(
            [(self.company_ma.id, self.company_ma.country_id.id, False, "Fès", "30000")]
        )[0]
        self.assertEqual(zone.hub_id, self._hub(self.company_ma, "CAS"))

    def test_parcel_zones_match_recipient_addresses(self):
        expected = self.env["tms.zone"]._find_zones(
            [
                (
                    p.company_id.id,
                    p.recipient_country_id.id,
                    p.recipient_state_id.id,
                    p.recipient_city,
                    p.recipient_zip,
                )
                for p in self.parcels
            ]
        )
        for parcel, zone in zip(self.parcels, expected, strict=True):
            self.assertEqual(parcel.zone_id, zone, parcel.tracking_number)
        with_zone = self.parcels.filtered("zone_id")
        self.assertGreaterEqual(len(with_zone), 0.9 * len(self.parcels))
        for parcel in with_zone.filtered(lambda p: p.recipient_city in CITY_COORDS):
            self.assertEqual(parcel.destination_hub_id.city, parcel.recipient_city)
            self.assertEqual(
                parcel.carrier_id.carrier_type, "own", parcel.tracking_number
            )
        elsewhere = with_zone.filtered(lambda p: p.recipient_city not in CITY_COORDS)
        self.assertTrue(elsewhere, "some parcels go to towns without a hub")
        self.assertEqual(
            set(elsewhere.carrier_id.mapped("carrier_type")), {"subcontractor"}
        )

    # ----------------------------------------------------------------------------------
    # parcels
    # ----------------------------------------------------------------------------------
    def test_parcels_in_every_state(self):
        all_states = {state for state, _label in PARCEL_STATES}
        for parcels in (self.parcels_ma, self.parcels_fr):
            self.assertTrue(100 <= len(parcels) <= 200, len(parcels))
            counts = Counter(parcels.mapped("state"))
            self.assertEqual(set(counts), all_states)
            self.assertEqual(counts.most_common(1)[0][0], "delivered")

    def test_tracking_numbers(self):
        Parcel = self.env["tms.parcel"]
        numbers = self.parcels.mapped("tracking_number")
        self.assertEqual(len(set(numbers)), len(self.parcels))
        for parcels, country in ((self.parcels_ma, "MA"), (self.parcels_fr, "FR")):
            for parcel in parcels:
                number = parcel.tracking_number
                self.assertRegex(number, rf"^[A-Z]{{2}}\d{{9}}{country}$")
                self.assertEqual(Parcel._tms_parse_tracking_number(number), number)

    def test_recipients(self):
        Parcel = self.env["tms.parcel"]
        for parcels, pattern in (
            (self.parcels_ma, r"^\+212[67]\d{8}$"),
            (self.parcels_fr, r"^\+33[67]\d{8}$"),
        ):
            for parcel in parcels:
                self.assertRegex(parcel.recipient_phone, pattern, parcel.recipient_name)
                self.assertTrue(
                    Parcel._tms_phone_is_valid(
                        parcel.recipient_phone, parcel.recipient_country_id
                    )
                )
                self.assertFalse(parcel.recipient_phone_invalid)
                self.assertTrue(parcel.recipient_street and parcel.recipient_city)
                self.assertRegex(parcel.recipient_zip, r"^\d{5}$")
            self.assertTrue(parcels.filtered("recipient_email"))
            self.assertEqual(parcels.recipient_id.company_id, parcels.company_id)
        names = self.parcels_ma.mapped("recipient_name")
        self.assertTrue(
            [n for n in names if ARABIC.search(n)], "names in Arabic script"
        )
        self.assertTrue([n for n in names if n.isascii()], "names in Latin letters")
        self.assertFalse(
            [n for n in self.parcels_fr.mapped("recipient_name") if ARABIC.search(n)]
        )

    def test_contents_amounts_and_dates(self):
        for parcel in self.parcels:
            self.assertTrue(parcel.line_ids, parcel.tracking_number)
            self.assertGreater(parcel.weight, 0)
            self.assertAlmostEqual(
                parcel.weight,
                sum(line.weight * line.quantity for line in parcel.line_ids),
            )
            self.assertTrue(parcel.length and parcel.width and parcel.height)
            self.assertAlmostEqual(
                parcel.declared_value,
                sum(line.value * line.quantity for line in parcel.line_ids),
                places=2,
            )
            self.assertTrue(parcel.shipper_id.is_company)
            self.assertTrue(parcel.service_id)
            self.assertTrue(parcel.date_promised, parcel.tracking_number)
            self.assertGreater(parcel.date_promised, parcel.date_shipping)
            self.assertLessEqual(parcel.date_shipping, self.now)
        self.assertTrue(self.parcels.line_ids.filtered("sku"), "products with an SKU")
        cod_ma = self.parcels_ma.filtered("cod_amount")
        self.assertGreaterEqual(len(cod_ma), 0.7 * len(self.parcels_ma))
        self.assertEqual(cod_ma.cod_currency_id.name, "MAD")
        cod_fr = self.parcels_fr.filtered("cod_amount")
        self.assertTrue(0 < len(cod_fr) < 0.4 * len(self.parcels_fr))
        self.assertEqual(cod_fr.cod_currency_id.name, "EUR")
        shipping = self.parcels.mapped("date_shipping")
        self.assertLess(
            min(shipping), self.now - timedelta(days=20), "a month of history"
        )
        self.assertGreater(
            max(shipping), self.now - timedelta(days=2), "recent parcels"
        )
        self.assertGreaterEqual(min(shipping), self.now - timedelta(days=62))
        self.assertTrue(
            self.parcels_ma.service_id.filtered(
                lambda s: s.company_id == self.company_ma
            ),
            "the company's own service is used",
        )

    def test_timelines_follow_allowed_transitions(self):
        Transition = self.env["tms.parcel.transition"]
        late = self.env["tms.parcel.event"]
        for parcel in self.parcels:
            number = parcel.tracking_number
            events = parcel.event_ids.sorted(lambda e: (e.event_date, e.id))
            applied = events.filtered("is_applied")
            first = applied[0]
            self.assertIn(first.state, INITIAL_STATES, number)
            self.assertFalse(first.previous_state, number)
            self.assertEqual(first.event_date, parcel.date_shipping, number)
            for previous, event in zip(applied, applied[1:], strict=False):
                self.assertEqual(event.previous_state, previous.state, number)
                self.assertTrue(
                    Transition._is_allowed(previous.state, event.state),
                    f"{number}: {previous.state} -> {event.state}",
                )
                self.assertLess(previous.event_date, event.event_date, number)
            self.assertEqual(applied[-1].state, parcel.state, number)
            self.assertEqual(applied[-1].event_date, parcel.last_event_date, number)
            self.assertLessEqual(parcel.last_event_date, self.now, number)
            for event in events - applied:
                self.assertLess(event.event_date, parcel.last_event_date, number)
            late |= events - applied
        self.assertTrue(late, "some scans arrive late, after the parcel moved on")
        keys = (
            self.env["tms.parcel.event"]
            .search(
                [
                    ("parcel_id", "in", self.parcels.ids),
                    ("idempotency_key", "!=", False),
                ]
            )
            .mapped("idempotency_key")
        )
        self.assertTrue(keys)
        self.assertEqual(len(keys), len(set(keys)))

    def test_event_details(self):
        events = self.env["tms.parcel.event"].search(
            [("parcel_id", "in", self.parcels.ids), ("is_applied", "=", True)]
        )
        for event in events:
            number = event.parcel_id.tracking_number
            if event.state == "at_hub":
                self.assertTrue(event.hub_id, number)
                self.assertEqual(event.hub_id.company_id, event.company_id, number)
            if event.state == "failed":
                self.assertTrue(event.failure_reason_id, number)
                if event.failure_reason_id.requires_note:
                    self.assertTrue(event.note, number)
        for parcel in self.parcels:
            failed = parcel.event_ids.filtered(
                lambda e: e.is_applied and e.state == "failed"
            )
            self.assertEqual(
                parcel.failed_attempt_count, len(failed), parcel.tracking_number
            )
        delivered = self.parcels.filtered(lambda p: p.state == "delivered")
        for parcel in delivered:
            self.assertTrue(parcel.pod_receiver_name, parcel.tracking_number)
            self.assertEqual(
                parcel.date_delivered,
                parcel.event_ids.filtered(lambda e: e.state == "delivered").event_date,
            )
        self.assertTrue(
            delivered.filtered(lambda p: p.hub_id.hub_type == "relay"),
            "some recipients collect their parcel at a relay point",
        )
        # the first hub is the shipper's, the last before delivery the recipient's
        for parcel in self.parcels.filtered(lambda p: p.state == "out_for_delivery"):
            if parcel.carrier_id.carrier_type == "own":
                self.assertEqual(parcel.hub_id, parcel.destination_hub_id)

    def test_events_dated_in_working_hours(self):
        hours_by_calendar = {}
        events = self.env["tms.parcel.event"].search(
            [
                ("parcel_id", "in", self.parcels.ids),
                ("source", "in", ["scan", "driver", "carrier"]),
                ("is_applied", "=", True),
            ]
        )
        self.assertGreater(len(events), 500)
        for event in events:
            calendar = event.hub_id.opening_calendar_id or (
                event.company_id.resource_calendar_id
            )
            if calendar not in hours_by_calendar:
                hours_by_calendar[calendar] = _working_hours(calendar)
            tz, hours, holidays = hours_by_calendar[calendar]
            local = pytz.utc.localize(event.event_date).astimezone(tz)
            hour = local.hour + local.minute / 60
            self.assertNotIn(local.date(), holidays, event.display_name)
            self.assertTrue(
                any(start <= hour < end for start, end in hours[local.weekday()]),
                f"{event.display_name} at {local} is outside {calendar.name}",
            )

    # ----------------------------------------------------------------------------------
    # the generator itself
    # ----------------------------------------------------------------------------------
    def test_generator_same_seed_same_parcels(self):
        Demo = self.env["tms.demo"]
        runs = []
        for _run in range(2):
            ids = Demo._generate_parcels(self.company_fr.id, 26, 7)
            parcels = self.env["tms.parcel"].browse(ids)
            runs.append(
                [
                    (
                        p.recipient_name,
                        p.recipient_zip,
                        p.state,
                        p.weight,
                        tuple(
                            p.event_ids.sorted(lambda e: (e.event_date, e.id)).mapped(
                                "state"
                            )
                        ),
                    )
                    for p in parcels
                ]
            )
            self.assertEqual(len(parcels), 26)
            self.assertEqual(
                set(parcels.mapped("state")), {s for s, _l in PARCEL_STATES}
            )
            self.assertLessEqual(
                max(parcels.mapped("last_event_date")), fields.Datetime.now()
            )
        self.assertEqual(runs[0], runs[1])

    def test_generator_refuses_other_countries(self):
        company = self.env["res.company"].create(
            {"name": "Chicago Parcels", "country_id": self.env.ref("base.us").id}
        )
        with self.assertRaises(UserError):
            self.env["tms.demo"]._generate_parcels(company.id, 10, 1)
        self.assertFalse(
            self.env["tms.parcel"].search([("company_id", "=", company.id)])
        )


@tagged("post_install", "-at_install")
class TestDemoMerchantLogin(HttpCase):
    """The demo's shop login (merchant / merchant) sees its own parcels, and only
    those, on the portal."""

    def test_merchant_sees_only_its_shops_parcels(self):
        merchant = self.env.ref(
            "tms_core.user_merchant_argania_demo", raise_if_not_found=False
        )
        if not merchant:
            self.skipTest("demo data not loaded")
        argania = self.env.ref("tms_core.res_partner_shipper_argania_demo")
        Parcel = self.env["tms.parcel"]
        # its shipments, and what comes back to it (returns, with tms_ec)
        own = Parcel.search(
            [
                "|",
                ("shipper_id", "child_of", argania.id),
                ("recipient_id", "child_of", argania.id),
            ]
        )
        others = Parcel.search([("id", "not in", own.ids)], limit=1)
        self.assertTrue(own and others)
        visible = Parcel.with_user(merchant).search([])
        self.assertEqual(visible, own)
        self.authenticate("merchant", "merchant")
        response = self.url_open("/my/parcels")
        self.assertEqual(response.status_code, 200)
        shown = [p for p in own if p.tracking_number in response.text]
        self.assertTrue(shown, "the shop's parcels are listed")
        self.assertNotIn(others.tracking_number, response.text)
