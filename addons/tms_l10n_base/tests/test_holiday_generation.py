# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestHolidayGeneration(TransactionCase):
    """Public holidays as time off of a working calendar, generated again without
    losing what a person corrected or entered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {"name": "Transports Garonne", "country_id": cls.env.ref("base.fr").id}
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Garonne 35 h",
                "company_id": cls.company.id,
                "tz": "Europe/Paris",
                "tms_holiday_country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.Leave = cls.env["resource.calendar.leaves"]

    def _holidays(self, year=2026):
        return self.Leave.search(
            [
                ("calendar_id", "=", self.calendar.id),
                ("tms_holiday_key", "=like", f"{year}/%"),
            ]
        )

    def _generate(self, year=2026):
        wizard = self.env["tms.holiday.wizard"].create(
            {"calendar_id": self.calendar.id, "year": year}
        )
        return wizard.action_generate()

    def test_wizard_generates_the_year_from_local_midnight_to_midnight(self):
        self._generate(2027)
        holidays = self._holidays(2027)
        self.assertEqual(len(holidays), 11)
        christmas = holidays.filtered(
            lambda h: h.tms_holiday_key == "2027/Christmas Day/1"
        )
        # Paris is UTC+1 in December
        self.assertEqual(christmas.date_from, datetime(2027, 12, 24, 23, 0))
        self.assertEqual(christmas.date_to, datetime(2027, 12, 25, 22, 59, 59))
        self.assertFalse(christmas.resource_id)
        self.assertEqual(self.calendar.tms_holiday_count, 11)

    def test_generating_twice_changes_nothing(self):
        self._generate()
        first = self._holidays()
        self.assertEqual(self.calendar._tms_generate_public_holidays([2026]), 0)
        self.assertEqual(self._holidays(), first)

    def test_a_date_corrected_by_hand_survives_regeneration(self):
        self._generate()
        assumption = self._holidays().filtered(
            lambda h: h.tms_holiday_key == "2026/Assumption Day/1"
        )
        assumption.write(
            {
                "date_from": datetime(2026, 8, 16, 22, 0),
                "date_to": datetime(2026, 8, 17, 21, 59, 59),
            }
        )
        self.assertTrue(assumption.tms_holiday_manual)
        self._generate()
        self.assertEqual(assumption.date_from, datetime(2026, 8, 16, 22, 0))
        self.assertEqual(
            len(self._holidays().filtered(lambda h: "Assumption" in h.tms_holiday_key)),
            1,
        )
        # renaming is not a correction of the date: the next generation resets it
        national = self._holidays().filtered(
            lambda h: h.tms_holiday_key == "2026/National Day/1"
        )
        national.name = "Quatorze juillet"
        self.assertFalse(national.tms_holiday_manual)
        # unticking the box hands the holiday back to the generation
        assumption.tms_holiday_manual = False
        self._generate()
        self.assertEqual(assumption.date_from, datetime(2026, 8, 14, 22, 0))
        self.assertEqual(national.name, "National Day")

    def test_a_deleted_holiday_comes_back_and_hand_entered_days_are_not_doubled(self):
        self.Leave.create(
            {
                "name": "Jour de l'An (saisi)",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2025, 12, 31, 23, 0),
                "date_to": datetime(2026, 1, 1, 22, 59, 59),
            }
        )
        self._generate()
        self.assertNotIn(
            "2026/New Year's Day/1", self._holidays().mapped("tms_holiday_key")
        )
        self._holidays().filtered(
            lambda h: h.tms_holiday_key == "2026/Armistice Day/1"
        ).unlink()
        self._generate()
        self.assertIn(
            "2026/Armistice Day/1", self._holidays().mapped("tms_holiday_key")
        )

    def test_the_yearly_job_fills_this_and_next_year(self):
        self.env["resource.calendar"]._cron_tms_generate_public_holidays()
        year = datetime.now().year
        self.assertTrue(self._holidays(year))
        self.assertTrue(self._holidays(year + 1))

    def test_a_calendar_without_country_says_what_to_do(self):
        self.calendar.tms_holiday_country_id = False
        with self.assertRaisesRegex(UserError, "Choose the country"):
            self.calendar._tms_generate_public_holidays([2026])
