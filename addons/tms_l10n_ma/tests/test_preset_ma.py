# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime

import pytz

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from ..hooks import post_init_hook

CASABLANCA = pytz.timezone("Africa/Casablanca")


def _utc(local):
    """A Casablanca wall-clock time as Odoo stores it (naive UTC)."""
    return CASABLANCA.localize(local).astimezone(pytz.utc).replace(tzinfo=None)


def _local_day(moment):
    return pytz.utc.localize(moment).astimezone(CASABLANCA).date()


@tagged("post_install", "-at_install")
class TestPresetMorocco(TransactionCase):
    """A Moroccan carrier installs the module and has its working week, public
    holidays, regions and services in one click."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.morocco = cls.env.ref("base.ma")
        cls.company = cls.env["res.company"].create(
            {"name": "Souss Express", "country_id": cls.morocco.id}
        )
        # what installing the module does for a Moroccan company not set up yet
        post_init_hook(cls.env)
        cls.calendar = cls.company.resource_calendar_id

    def _holiday_days(self, year):
        return {
            leave.tms_holiday_key: _local_day(leave.date_from)
            for leave in self.calendar.leave_ids
            if leave.tms_holiday_key and leave.tms_holiday_key.startswith(f"{year}/")
        }

    def test_install_gives_the_company_a_moroccan_calendar_with_this_year_s_holidays(
        self,
    ):
        self.assertEqual(self.calendar.company_id, self.company)
        self.assertEqual(self.calendar.tz, "Africa/Casablanca")
        self.assertEqual(self.calendar.tms_holiday_country_id, self.morocco)
        year = date.today().year
        holidays = self._holiday_days(year)
        self.assertIn(f"{year}/Throne Day/1", holidays)
        self.assertIn(f"{year}/Eid al-Fitr/1", holidays)
        self.assertIn(f"{year}/Eid al-Adha/2", holidays)
        self.assertTrue(self._holiday_days(year + 1))
        # Monday to Saturday morning: carriers deliver on Saturdays
        days = set(self.calendar.attendance_ids.mapped("dayofweek"))
        self.assertEqual(days, {"0", "1", "2", "3", "4", "5"})
        self.assertEqual(self.calendar.full_time_required_hours, 44)

    def test_install_sets_currency_and_s10_country_code(self):
        self.assertEqual(self.company.currency_id, self.env.ref("base.MAD"))
        self.assertEqual(self.company.tms_s10_country_code, "MA")

    def test_a_moroccan_postcode_resolves_to_its_region(self):
        Zone = self.env["tms.zone"]
        addresses = [
            (self.company.id, self.morocco.id, False, "Casablanca", "20250"),
            (self.company.id, self.morocco.id, False, "Agadir", "80000"),
            (self.company.id, self.morocco.id, False, "Tanger", "90060"),
            (self.company.id, self.morocco.id, False, "Dakhla", "73000"),
            (self.company.id, self.env.ref("base.fr").id, False, "Paris", "75001"),
        ]
        codes = [zone.code for zone in Zone._find_zones(addresses)]
        self.assertEqual(codes, ["MA-06", "MA-09", "MA-01", "MA-12", False])
        self.assertEqual(Zone.search_count([("company_id", "=", self.company.id)]), 12)

    def test_a_promised_date_skips_eid_al_fitr(self):
        self.calendar._tms_generate_public_holidays([2026])
        express = self.env["tms.service"].search(
            [("company_id", "=", self.company.id), ("code", "=", "MA-EXP")]
        )
        # shipped on Thursday 19 March 2026: Friday 20 and Saturday 21 are Eid
        # al-Fitr, Sunday is off: delivered by Monday 23 at 18:00
        promised = express._compute_promised_date(
            _utc(datetime(2026, 3, 19, 10, 0)), self.company
        )
        self.assertEqual(promised, _utc(datetime(2026, 3, 23, 18, 0)))

    def test_the_moon_moved_eid_al_adha_by_a_day(self):
        self.calendar._tms_generate_public_holidays([2026])
        leaves = self.calendar.leave_ids.filtered(
            lambda leave: (leave.tms_holiday_key or "").startswith("2026/Eid al-Adha/")
        ).sorted("tms_holiday_key")
        self.assertTrue(all(leaves.mapped("tms_holiday_estimated")))
        # announced one day later than computed: the operator moves both days
        for leave in leaves:
            leave.write(
                {
                    "date_from": leave.date_from.replace(day=leave.date_from.day + 1),
                    "date_to": leave.date_to.replace(day=leave.date_to.day + 1),
                }
            )
        wizard = self.env["tms.holiday.wizard"].create(
            {"calendar_id": self.calendar.id, "year": 2026}
        )
        wizard.action_generate()
        self.assertEqual(
            [_local_day(leave.date_from) for leave in leaves],
            [date(2026, 5, 28), date(2026, 5, 29)],
        )
        self.assertEqual(
            self._holiday_days(2026)["2026/Eid al-Adha/1"], date(2026, 5, 28)
        )
        self.assertTrue(all(leaves.mapped("tms_holiday_manual")))
        # the corrected days count: Thursday 28 May is a holiday now
        express = self.env["tms.service"].search(
            [("company_id", "=", self.company.id), ("code", "=", "MA-EXP")]
        )
        promised = express._compute_promised_date(
            _utc(datetime(2026, 5, 26, 10, 0)), self.company
        )
        # Wednesday 27 is a working day again, Thursday 28 and Friday 29 are off
        self.assertEqual(promised, _utc(datetime(2026, 5, 27, 18, 0)))

    def test_services_and_an_inactive_sms_gateway_without_credentials(self):
        services = self.env["tms.service"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            sorted(services.mapped("code")), ["MA-EXP", "MA-RET", "MA-STD"]
        )
        gateway = (
            self.env["tms.sms.gateway"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.company.id)])
        )
        self.assertEqual(len(gateway), 1)
        self.assertFalse(gateway.active)
        self.assertFalse(gateway.sudo().secret)

    def test_a_company_already_set_up_is_left_alone_by_the_install(self):
        other = self.env["res.company"].create(
            {"name": "Rif Colis", "country_id": self.morocco.id}
        )
        self.env["tms.zone"].create(
            {
                "name": "Nador",
                "code": "NDR",
                "company_id": other.id,
                "country_id": self.morocco.id,
            }
        )
        calendar = other.resource_calendar_id
        post_init_hook(self.env)
        self.assertEqual(other.resource_calendar_id, calendar)
        self.assertEqual(
            self.env["tms.zone"].search_count([("company_id", "=", other.id)]), 1
        )

    def test_wizard_applies_the_preset_again_with_a_monday_to_friday_week(self):
        wizard = self.env["tms.l10n.preset.wizard"].create(
            {"company_id": self.company.id, "preset": "ma"}
        )
        self.assertEqual(wizard.working_week, "mon_sat")
        wizard.working_week = "mon_fri"
        wizard.action_apply()
        calendar = self.company.resource_calendar_id
        self.assertNotEqual(calendar, self.calendar)
        self.assertNotIn("5", calendar.attendance_ids.mapped("dayofweek"))
        self.assertTrue(self._holiday_days(date.today().year))
        # nothing doubled
        self.assertEqual(
            self.env["tms.zone"].search_count([("company_id", "=", self.company.id)]),
            12,
        )
        self.assertEqual(
            self.env["tms.service"].search_count(
                [("company_id", "=", self.company.id)]
            ),
            3,
        )

    def test_region_names_are_translated(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["res.lang"]._activate_lang("ar_001")
        other = self.env["res.company"].create(
            {"name": "Oasis Colis", "country_id": self.morocco.id}
        )
        other._tms_l10n_apply_preset("ma")
        zone = self.env["tms.zone"].search(
            [("company_id", "=", other.id), ("code", "=", "MA-04")]
        )
        self.assertEqual(zone.name, "Rabat-Sale-Kenitra")
        self.assertEqual(zone.with_context(lang="fr_FR").name, "Rabat-Salé-Kénitra")
        self.assertEqual(zone.with_context(lang="ar_001").name, "الرباط سلا القنيطرة")

    def test_a_transport_administrator_applies_the_preset_to_his_company_only(self):
        other = self.env["res.company"].create(
            {"name": "Atlas Sud", "country_id": self.morocco.id}
        )
        admin = self.env["res.users"].create(
            {
                "name": "Nadia Transport Admin",
                "login": "nadia.tms.admin",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("tms_core.group_tms_admin").id,
                        ]
                    )
                ],
            }
        )
        Wizard = self.env["tms.l10n.preset.wizard"].with_user(admin)
        Wizard.create(
            {"company_id": self.company.id, "preset": "ma", "working_week": "mon_fri"}
        ).action_apply()
        self.assertNotIn(
            "5", self.company.resource_calendar_id.attendance_ids.mapped("dayofweek")
        )
        wizard = Wizard.sudo().create({"company_id": other.id, "preset": "ma"})
        with self.assertRaises(AccessError):
            wizard.with_user(admin).action_apply()
        self.assertFalse(
            self.env["tms.zone"].search_count([("company_id", "=", other.id)])
        )
