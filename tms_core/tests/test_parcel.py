# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime

import pytz
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.tms_core.tests.common import TmsCommon


@tagged("post_install", "-at_install")
class TestParcel(TmsCommon):
    def test_hubs_found_by_name_or_code_as_typed_in_a_field(self):
        Hub = self.env["tms.hub"].with_company(self.company_ma)
        found = {name for _id, name in Hub.name_search("CAS")}
        self.assertIn("[CAS] Casablanca Depot", found)
        found = {name for _id, name in Hub.name_search("casablanca")}
        self.assertIn("[CAS] Casablanca Depot", found)

    def test_volumetric_and_chargeable_weight(self):
        parcel = self._create_parcel(weight=2.0, length=50, width=40, height=30)
        self.assertAlmostEqual(parcel.volumetric_weight, 12.0)  # 60000 / 5000
        self.assertAlmostEqual(parcel.chargeable_weight, 12.0)
        express = self.env.ref("tms_core.tms_service_express")
        express.volumetric_divisor = 6000
        parcel.service_id = express
        self.assertAlmostEqual(parcel.volumetric_weight, 10.0)
        parcel.weight = 15.0
        self.assertAlmostEqual(parcel.chargeable_weight, 15.0)

    def test_weight_from_lines(self):
        parcel = self.env["tms.parcel"].create(
            {
                "company_id": self.company_ma.id,
                "line_ids": [
                    (0, 0, {"name": "Argan oil 250 ml", "quantity": 3, "weight": 0.3}),
                    (0, 0, {"name": "Babouches", "quantity": 1, "weight": 0.6}),
                ],
            }
        )
        self.assertAlmostEqual(parcel.weight, 1.5)

    def test_absurd_values_refused(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 1000"):
            self._create_parcel(weight=5000)
        with self.assertRaisesRegex(ValidationError, "between 0 and"):
            self._create_parcel(weight=-1)
        with self.assertRaisesRegex(ValidationError, "centimetres"):
            self._create_parcel(length=2500)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._create_parcel(cod_amount=-10)

    def test_recipient_address_and_phone_normalised(self):
        parcel = self._create_parcel()
        self.assertEqual(parcel.recipient_name, "Fatima Zahra Benali")
        self.assertEqual(parcel.recipient_phone, "+212612345678")
        self.assertEqual(parcel.recipient_city, "Casablanca")
        self.assertFalse(parcel.recipient_phone_invalid)
        parcel.recipient_phone = "06 61 23 45 67"
        self.assertEqual(parcel.recipient_phone, "+212661234567")
        parcel_fr = self._create_parcel(
            company=self.company_fr,
            recipient_country_id=self.france.id,
            recipient_phone="06 12 34 56 78",
        )
        self.assertEqual(parcel_fr.recipient_phone, "+33612345678")

    def test_invalid_phone_flagged(self):
        parcel = self._create_parcel()
        parcel.recipient_phone = "12345"
        self.assertEqual(parcel.recipient_phone, "12345")  # kept as typed...
        self.assertTrue(parcel.recipient_phone_invalid)  # ...and flagged on the form
        with self.assertRaises(UserError):
            self.env["tms.parcel"]._tms_format_phone("12345", self.morocco, strict=True)

    def test_zone_and_destination_hub(self):
        parcel = self._create_parcel()
        self.assertEqual(parcel.zone_id, self.zone_cas)
        self.assertEqual(parcel.destination_hub_id, self.hub_cas)
        parcel.recipient_zip = "40000"  # Marrakech: outside the Casablanca zone
        self.assertFalse(parcel.zone_id)
        rabat = self.env["tms.zone"].create(
            {
                "name": "Rabat",
                "code": "RBA",
                "company_id": self.company_ma.id,
                "country_id": self.morocco.id,
                "zip_ranges": "10000-10999",
            }
        )
        parcel.recipient_zip = "10020"
        self.assertEqual(parcel.zone_id, rabat)
        with self.assertRaises(ValidationError):
            rabat.zip_ranges = "10999-10000"

    def test_form_onchange_fills_recipient(self):
        with Form(self.env["tms.parcel"].with_company(self.company_ma)) as form:
            form.recipient_id = self.recipient_ma
            self.assertEqual(form.recipient_city, "Casablanca")
            self.assertEqual(form.zone_id, self.zone_cas)
        self.assertTrue(form.record.tracking_number)


@tagged("post_install", "-at_install")
class TestPromisedDate(TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Monday to Friday 8:00-17:00 in Casablanca time
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Atlas week",
                "tz": "Africa/Casablanca",
                "company_id": cls.company_ma.id,
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {d}",
                            "dayofweek": str(d),
                            "hour_from": 8,
                            "hour_to": 17,
                            "day_period": "morning",
                        },
                    )
                    for d in range(5)
                ],
            }
        )
        cls.company_ma.resource_calendar_id = cls.calendar
        cls.service = cls.env["tms.service"].create(
            {
                "name": "J+2",
                "code": "J2",
                "delay": 2,
                "delay_unit": "days",
                "company_id": cls.company_ma.id,
            }
        )

    def _promised(self, shipped):
        parcel = self._create_parcel(service_id=self.service.id, date_shipping=shipped)
        return parcel.date_promised

    def test_working_days_skip_weekend(self):
        # shipped Thursday 2026-03-05: Friday is day 1, Monday is day 2
        promised = self._promised(datetime(2026, 3, 5, 10, 0))
        self.assertEqual(promised.date(), date(2026, 3, 9))
        # shipped on a Saturday: Monday and Tuesday
        promised = self._promised(datetime(2026, 3, 7, 10, 0))
        self.assertEqual(promised.date(), date(2026, 3, 10))

    def test_public_holiday_skipped(self):
        # Monday 2026-03-09 off: Thursday shipping is promised on Tuesday
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "company_id": self.company_ma.id,
                "date_from": datetime(2026, 3, 8, 23, 0),
                "date_to": datetime(2026, 3, 9, 22, 59),
            }
        )
        promised = self._promised(datetime(2026, 3, 5, 10, 0))
        self.assertEqual(promised.date(), date(2026, 3, 10))

    def test_promised_at_end_of_split_day(self):
        """A day with a lunch break promises the closing time, not the lunch break."""
        self.calendar.attendance_ids.unlink()
        self.calendar.attendance_ids = [
            (
                0,
                0,
                {
                    "name": f"Day {d} {period}",
                    "dayofweek": str(d),
                    "hour_from": start,
                    "hour_to": stop,
                    "day_period": period,
                },
            )
            for d in range(5)
            for period, start, stop in (("morning", 8.5, 12.5), ("afternoon", 14, 18))
        ]
        promised = self._promised(datetime(2026, 3, 5, 10, 0))  # Thursday -> Monday
        closing = pytz.timezone("Africa/Casablanca").localize(
            datetime(2026, 3, 9, 18, 0)
        )
        self.assertEqual(promised, closing.astimezone(pytz.utc).replace(tzinfo=None))

    def test_working_hours(self):
        self.service.write({"delay": 6, "delay_unit": "hours"})
        # Friday 14:00 local (13:00 UTC): 3 h on Friday, 3 h on Monday -> Monday 11:00
        # local
        promised = self._promised(datetime(2026, 3, 6, 13, 0))
        self.assertEqual(promised, datetime(2026, 3, 9, 10, 0))
