# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date
from unittest import TestCase

from ..tools import public_holidays as ph


class TestPublicHolidaysTool(TestCase):
    """The holiday list of a country and year, with keys that survive a moved date."""

    def test_moroccan_eid_al_fitr_is_two_estimated_days_with_stable_keys(self):
        holidays = {h.key: h for h in ph.public_holidays("MA", 2026)}
        first = holidays["2026/Eid al-Fitr/1"]
        second = holidays["2026/Eid al-Fitr/2"]
        self.assertEqual(first.day, date(2026, 3, 20))
        self.assertEqual(second.day, date(2026, 3, 21))
        self.assertTrue(first.estimated)
        self.assertEqual(first.name, "Eid al-Fitr (estimated)")
        self.assertFalse(holidays["2026/Throne Day/1"].estimated)

    def test_two_holidays_on_one_day_give_two_items(self):
        holidays = ph.public_holidays("MA", 2027)
        names = [h.key for h in holidays if h.day == date(2027, 8, 14)]
        self.assertEqual(
            names, ["2027/Oued Ed-Dahab Day/1", "2027/Prophet's Birthday/1"]
        )

    def test_names_in_the_company_language(self):
        french = {h.key: h.name for h in ph.public_holidays("FR", 2026, "fr_FR")}
        self.assertEqual(french["2026/Ascension Day/1"], "Ascension")
        arabic = {h.key: h.name for h in ph.public_holidays("MA", 2026, "ar_001")}
        self.assertEqual(arabic["2026/Throne Day/1"], "عيد العرش")
        # a language the library does not know: English names
        english = {h.key: h.name for h in ph.public_holidays("FR", 2026, "nl_NL")}
        self.assertEqual(english["2026/Ascension Day/1"], "Ascension Day")

    def test_unknown_country(self):
        self.assertFalse(ph.supported_country("XX"))
        with self.assertRaises(ph.UnknownCountryError):
            ph.public_holidays("XX", 2026)
