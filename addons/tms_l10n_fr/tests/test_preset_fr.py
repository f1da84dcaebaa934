# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime

import pytz

from odoo.tests import TransactionCase, tagged

from ..hooks import post_init_hook

PARIS = pytz.timezone("Europe/Paris")


def _utc(local):
    """A Paris wall-clock time as Odoo stores it (naive UTC)."""
    return PARIS.localize(local).astimezone(pytz.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestPresetFrance(TransactionCase):
    """A French carrier installs the module and has its working week, bank holidays,
    regions and services in one click."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls.company = cls.env["res.company"].create(
            {"name": "Messagerie du Rhône", "country_id": cls.france.id}
        )
        # what installing the module does for a French company not set up yet
        post_init_hook(cls.env)
        cls.calendar = cls.company.resource_calendar_id

    def test_install_gives_the_company_a_french_calendar_with_this_year_s_holidays(
        self,
    ):
        self.assertEqual(self.calendar.company_id, self.company)
        self.assertEqual(self.calendar.tz, "Europe/Paris")
        year = date.today().year
        keys = set(self.calendar.leave_ids.mapped("tms_holiday_key"))
        for holiday in ("National Day", "Ascension Day", "Armistice Day"):
            self.assertIn(f"{year}/{holiday}/1", keys)
        self.assertIn(f"{year + 1}/Christmas Day/1", keys)
        # Monday to Friday, 35 hours
        days = set(self.calendar.attendance_ids.mapped("dayofweek"))
        self.assertEqual(days, {"0", "1", "2", "3", "4"})
        self.assertEqual(self.calendar.full_time_required_hours, 35)
        self.assertEqual(self.company.currency_id, self.env.ref("base.EUR"))
        self.assertEqual(self.company.tms_s10_country_code, "FR")

    def test_a_french_postcode_resolves_to_its_region(self):
        addresses = [
            (self.company.id, self.france.id, False, "Lyon", "69003"),
            (self.company.id, self.france.id, False, "Ajaccio", "20000"),
            (self.company.id, self.france.id, False, "Paris", "75011"),
            (self.company.id, self.france.id, False, "Brest", "29200"),
            (self.company.id, self.france.id, False, "Marseille", "13001"),
        ]
        codes = [zone.code for zone in self.env["tms.zone"]._find_zones(addresses)]
        self.assertEqual(codes, ["FR-ARA", "FR-COR", "FR-IDF", "FR-BRE", "FR-PAC"])
        self.assertEqual(
            self.env["tms.zone"].search_count([("company_id", "=", self.company.id)]),
            13,
        )

    def test_a_promised_date_skips_ascension_day(self):
        self.calendar._tms_generate_public_holidays([2026])
        express = self.env["tms.service"].search(
            [("company_id", "=", self.company.id), ("code", "=", "FR-EXP")]
        )
        # shipped on Wednesday 13 May 2026; Thursday 14 is Ascension Day
        promised = express._compute_promised_date(
            _utc(datetime(2026, 5, 13, 15, 0)), self.company
        )
        self.assertEqual(promised, _utc(datetime(2026, 5, 15, 17, 0)))
        standard = self.env["tms.service"].search(
            [("company_id", "=", self.company.id), ("code", "=", "FR-STD")]
        )
        # D+2 from Friday 8 May (Victory Day, a holiday itself): Monday 11, Tuesday 12
        promised = standard._compute_promised_date(
            _utc(datetime(2026, 5, 8, 9, 0)), self.company
        )
        self.assertEqual(promised, _utc(datetime(2026, 5, 12, 17, 0)))

    def test_a_monday_to_saturday_week_is_a_choice(self):
        wizard = self.env["tms.l10n.preset.wizard"].create(
            {"company_id": self.company.id, "preset": "fr"}
        )
        self.assertEqual(wizard.working_week, "mon_fri")
        wizard.working_week = "mon_sat"
        wizard.action_apply()
        calendar = self.company.resource_calendar_id
        self.assertIn("5", calendar.attendance_ids.mapped("dayofweek"))
        express = self.env["tms.service"].search(
            [("company_id", "=", self.company.id), ("code", "=", "FR-EXP")]
        )
        calendar._tms_generate_public_holidays([2026])
        # shipped on Friday 5 June 2026: delivered on Saturday 6 by noon
        promised = express._compute_promised_date(
            _utc(datetime(2026, 6, 5, 15, 0)), self.company
        )
        self.assertEqual(promised, _utc(datetime(2026, 6, 6, 12, 0)))

    def test_sms_gateway_preset_is_inactive_and_without_credentials(self):
        gateway = (
            self.env["tms.sms.gateway"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.company.id)])
        )
        self.assertEqual(len(gateway), 1)
        self.assertFalse(gateway.active)
        self.assertFalse(gateway.sudo().secret)
