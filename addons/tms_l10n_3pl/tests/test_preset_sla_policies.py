# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

import pytz
from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from ..hooks import post_init_hook

MA_EXPRESS_MAIN = "Morocco express, main regions (D+1)"
MA_EXPRESS_OTHER = "Morocco express, other regions (D+2)"
MA_STANDARD_SOUTH = "Morocco standard, southern regions (D+3)"
MA_STANDARD = "Morocco standard (D+2)"
MA_RETURN = "Morocco return (D+3)"


class PresetParcelCase(TransactionCase):
    """A company given a country preset, and its parcels."""

    preset = None
    country_xmlid = None
    tz = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.country = cls.env.ref(cls.country_xmlid)
        cls.company = cls.env["res.company"].create(
            {"name": f"Carrier {cls.preset}", "country_id": cls.country.id}
        )
        cls.company._tms_l10n_apply_preset(cls.preset)
        # the dates of the tests are in 2026, whatever the year the test runs in
        cls.company.resource_calendar_id._tms_generate_public_holidays([2026])
        cls.shipper = cls.env["res.partner"].create(
            {"name": "Shop", "company_id": cls.company.id}
        )

    @classmethod
    def _policies(cls, company=None):
        return (
            cls.env["tms.sla.policy"]
            .with_context(active_test=False, lang="en_US")
            .search([("company_id", "=", (company or cls.company).id)])
        )

    def _local(self, *args):
        """A wall-clock time of the preset's country as Odoo stores it (naive UTC)."""
        tz = pytz.timezone(self.tz)
        return tz.localize(datetime(*args)).astimezone(pytz.utc).replace(tzinfo=None)

    def _parcel(self, service_code, city, postcode, shipped):
        recipient = self.env["res.partner"].create(
            {
                "name": f"Recipient in {city}",
                "street": "1 Rue Principale",
                "city": city,
                "zip": postcode,
                "country_id": self.country.id,
                "company_id": self.company.id,
            }
        )
        service = self.env["tms.service"].search(
            [("company_id", "=", self.company.id), ("code", "=", service_code)]
        )
        with freeze_time(shipped):
            return (
                self.env["tms.parcel"]
                .with_company(self.company)
                .create(
                    {
                        "company_id": self.company.id,
                        "shipper_id": self.shipper.id,
                        "recipient_id": recipient.id,
                        "service_id": service.id,
                        "weight": 1.0,
                        "state": "confirmed",
                        "date_shipping": shipped,
                    }
                )
            )

    def _policy_and_due(self, parcel):
        return (
            parcel.sla_policy_id.with_context(lang="en_US").name,
            parcel.sla_date_due,
        )


@tagged("post_install", "-at_install")
class TestMoroccanPresetSlaPolicies(PresetParcelCase):
    preset = "ma"
    country_xmlid = "base.ma"
    tz = "Africa/Casablanca"

    def test_the_preset_gives_policies_by_service_and_region(self):
        policies = {policy.name: policy for policy in self._policies()}
        self.assertEqual(
            set(policies),
            {
                MA_EXPRESS_MAIN,
                MA_EXPRESS_OTHER,
                MA_STANDARD_SOUTH,
                MA_STANDARD,
                MA_RETURN,
            },
        )
        express = policies[MA_EXPRESS_MAIN]
        self.assertEqual(express.service_id.code, "MA-EXP")
        self.assertEqual(express.service_id.company_id, self.company)
        self.assertEqual(
            sorted(express.zone_ids.mapped("code")),
            ["MA-01", "MA-03", "MA-04", "MA-06", "MA-07"],
        )
        self.assertEqual(express.zone_ids.company_id, self.company)
        self.assertEqual(
            (express.delay, express.delay_unit, express.cutoff_time), (1, "days", 16)
        )
        south = policies[MA_STANDARD_SOUTH]
        self.assertEqual(south.service_id.code, "MA-STD")
        self.assertEqual(
            sorted(south.zone_ids.mapped("code")), ["MA-08", "MA-10", "MA-11", "MA-12"]
        )
        self.assertEqual((south.delay, south.cutoff_time), (3, 18))
        self.assertFalse(policies[MA_STANDARD].zone_ids)
        self.assertFalse(policies[MA_EXPRESS_OTHER].zone_ids)
        self.assertEqual(policies[MA_RETURN].service_id.code, "MA-RET")
        self.assertEqual(policies[MA_RETURN].delay, 3)

    def test_applying_the_preset_again_keeps_edits_and_adds_what_is_missing(self):
        policies = {policy.name: policy for policy in self._policies()}
        # the carrier moves its express cut-off and drops the return policy
        policies[MA_EXPRESS_MAIN].cutoff_time = 14.0
        policies[MA_RETURN].unlink()
        # what Transport > Configuration > Country Presets does
        self.company._tms_l10n_apply_preset("ma", working_week="mon_fri")
        again = self._policies()
        self.assertEqual(len(again), 5)
        self.assertEqual(len(set(again.mapped("name"))), 5)
        self.assertIn(policies[MA_EXPRESS_MAIN], again)
        self.assertEqual(policies[MA_EXPRESS_MAIN].cutoff_time, 14.0)
        self.assertIn(MA_RETURN, again.mapped("name"))

    def test_express_to_casablanca_is_due_the_working_day_after_eid(self):
        # Thursday 19 March 2026: Friday 20 and Saturday 21 are Eid al-Fitr, Sunday
        # is off: D+1 is Monday 23 at closing time
        parcel = self._parcel(
            "MA-EXP", "Casablanca", "20250", self._local(2026, 3, 19, 10)
        )
        self.assertEqual(parcel.zone_id.code, "MA-06")
        self.assertEqual(
            self._policy_and_due(parcel),
            (MA_EXPRESS_MAIN, self._local(2026, 3, 23, 18)),
        )
        # handed over after the 16:00 cut-off: the clock starts on Monday
        late = self._parcel(
            "MA-EXP", "Casablanca", "20250", self._local(2026, 3, 19, 16, 30)
        )
        self.assertEqual(
            self._policy_and_due(late),
            (MA_EXPRESS_MAIN, self._local(2026, 3, 24, 18)),
        )

    def test_express_to_agadir_is_d2(self):
        parcel = self._parcel("MA-EXP", "Agadir", "80000", self._local(2026, 3, 19, 10))
        self.assertEqual(
            self._policy_and_due(parcel),
            (MA_EXPRESS_OTHER, self._local(2026, 3, 24, 18)),
        )

    def test_standard_to_the_south_is_d3_and_d2_elsewhere(self):
        south = self._parcel(
            "MA-STD", "Laayoune", "70000", self._local(2026, 3, 19, 10)
        )
        self.assertEqual(south.zone_id.code, "MA-11")
        self.assertEqual(
            self._policy_and_due(south),
            (MA_STANDARD_SOUTH, self._local(2026, 3, 25, 18)),
        )
        casablanca = self._parcel(
            "MA-STD", "Casablanca", "20250", self._local(2026, 3, 19, 10)
        )
        self.assertEqual(
            self._policy_and_due(casablanca),
            (MA_STANDARD, self._local(2026, 3, 24, 18)),
        )

    def test_policy_names_are_translated(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["res.lang"]._activate_lang("ar_001")
        other = self.env["res.company"].create(
            {"name": "Oasis Colis", "country_id": self.country.id}
        )
        other._tms_l10n_apply_preset("ma")
        policy = self._policies(other).filtered(
            lambda policy: policy.name == MA_STANDARD_SOUTH
        )
        self.assertEqual(
            policy.with_context(lang="fr_FR").name,
            "Maroc standard, régions du Sud (J+3)",
        )
        self.assertEqual(
            policy.with_context(lang="ar_001").name,
            "المغرب عادي، الجهات الجنوبية (ي+3)",
        )

    def test_an_example_keeps_to_the_services_and_zones_the_company_has(self):
        texts = {"en_US": "Sahara D+4", "fr": "Sahara J+4", "ar": "الصحراء ي+4"}
        example = {
            "service": "MA-STD",
            "zones": ["MA-11", "MA-12", "MA-99"],
            "delay": 4,
            "delay_unit": "days",
            "cutoff_time": 12.0,
            "weekdays": [0, 4],
            # before the southern standard policy, as specific as this one
            "sequence": 90,
        }
        created = self.company._tms_l10n_create_sla_policies(
            {
                "sla_policies": [
                    dict(example, name=texts),
                    dict(example, name=dict(texts, en_US="Gone"), service="MA-OLD"),
                    dict(example, name=dict(texts, en_US="Nowhere"), zones=["MA-99"]),
                ]
            }
        )
        self.assertEqual(created.mapped("name"), ["Sahara D+4"])
        self.assertEqual(sorted(created.zone_ids.mapped("code")), ["MA-11", "MA-12"])
        self.assertEqual(created.weekday_ids.mapped("code"), [0, 4])
        # D+4 is Thursday 26 (Eid on Friday 20 and Saturday 21): delivered on Friday
        parcel = self._parcel("MA-STD", "Dakhla", "73000", self._local(2026, 3, 19, 10))
        self.assertEqual(
            self._policy_and_due(parcel), ("Sahara D+4", self._local(2026, 3, 27, 18))
        )

    def test_install_gives_policies_to_companies_set_up_before_only(self):
        if "ma" not in self.env["tms.l10n.preset.wizard"]._fields["preset"].get_values(
            self.env
        ):
            self.skipTest("tms_l10n_ma is not installed")
        # given the Moroccan preset before this module: no SLA policy
        before = self.env["res.company"].create(
            {"name": "Rif Colis", "country_id": self.country.id}
        )
        before._tms_l10n_apply_preset("ma")
        self._policies(before).unlink()
        # given the preset, then writing its own policy instead of the examples
        own = self.env["res.company"].create(
            {"name": "Atlas Sud", "country_id": self.country.id}
        )
        own._tms_l10n_apply_preset("ma")
        self._policies(own).unlink()
        own_policy = self.env["tms.sla.policy"].create(
            {"name": "Everything D+2", "company_id": own.id, "delay": 2}
        )
        # never given a preset
        bare = self.env["res.company"].create(
            {"name": "Sahara Fret", "country_id": self.country.id}
        )
        post_init_hook(self.env)
        self.assertEqual(len(self._policies(before)), 5)
        self.assertEqual(
            self._policies(before).zone_ids.company_id, before, "its own zones"
        )
        self.assertEqual(self._policies(own), own_policy)
        self.assertFalse(self._policies(bare))
        # the company set up through this module keeps its five policies
        self.assertEqual(len(self._policies()), 5)


@tagged("post_install", "-at_install")
class TestFrenchPresetSlaPolicies(PresetParcelCase):
    preset = "fr"
    country_xmlid = "base.fr"
    tz = "Europe/Paris"

    def test_corsica_waits_a_day_longer(self):
        # Wednesday 13 May 2026, Thursday 14 is Ascension Day
        shipped = self._local(2026, 5, 13, 10)
        ajaccio = self._parcel("FR-STD", "Ajaccio", "20000", shipped)
        self.assertEqual(ajaccio.zone_id.code, "FR-COR")
        self.assertEqual(
            self._policy_and_due(ajaccio),
            ("France standard, Corsica (D+3)", self._local(2026, 5, 19, 17)),
        )
        lyon = self._parcel("FR-STD", "Lyon", "69001", shipped)
        self.assertEqual(
            self._policy_and_due(lyon),
            ("France standard, mainland (D+2)", self._local(2026, 5, 18, 17)),
        )
        paris = self._parcel("FR-EXP", "Paris", "75001", shipped)
        self.assertEqual(
            self._policy_and_due(paris),
            ("France express, mainland (D+1)", self._local(2026, 5, 15, 17)),
        )
        bastia = self._parcel("FR-EXP", "Bastia", "20200", shipped)
        self.assertEqual(
            self._policy_and_due(bastia),
            ("France express, Corsica (D+2)", self._local(2026, 5, 18, 17)),
        )
