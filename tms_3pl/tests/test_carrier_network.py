# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import Tms3plCommon


@tagged("post_install", "-at_install")
class TestCarrierNetwork(Tms3plCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone_north = cls.env["tms.zone"].create(
            {
                "name": "North",
                "code": "NORTH",
                "company_id": cls.company_ma.id,
                "country_id": cls.morocco.id,
                "zip_prefixes": "90",
            }
        )
        cls.carrier = cls.env["tms.carrier"].create(
            {
                "name": "Rif Express",
                "carrier_type": "subcontractor",
                "company_id": cls.company_ma.id,
                "resource_calendar_id": cls.calendar.id,
            }
        )
        weekday = cls.env["tms.weekday"]
        cls.mon_wed_fri = weekday.search([("code", "in", (0, 2, 4))])
        cls.contract = cls.env["tms.carrier.contract"].create(
            {
                "name": "2026",
                "carrier_id": cls.carrier.id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 31),
                "service_ids": [Command.set(cls.service_std.ids)],
                "daily_capacity": 500,
                "zone_line_ids": [
                    Command.create(
                        {
                            "zone_id": cls.zone_north.id,
                            "weekday_ids": [Command.set(cls.mon_wed_fri.ids)],
                            "cutoff_time": 11.0,
                        }
                    ),
                    Command.create({"zone_id": cls.zone_cas.id}),
                ],
                "rate_ids": [
                    Command.create(
                        {
                            "zone_id": cls.zone_north.id,
                            "weight_from": 0,
                            "weight_to": 5,
                            "price": 30,
                        }
                    ),
                    Command.create(
                        {"weight_from": 5, "price": 40, "price_per_kg": 2.5}
                    ),
                    Command.create({"weight_from": 0, "weight_to": 5, "price": 25}),
                ],
            }
        )

    def test_zone_delivery_days_read_as_a_user_writes_them(self):
        north = self.contract.zone_line_ids.filtered(
            lambda line: line.zone_id == self.zone_north
        )
        self.assertEqual(north.display_name, "North: Mon/Wed/Fri")
        cas = self.contract.zone_line_ids - north
        self.assertEqual(
            cas.display_name,
            "Casablanca: Mon/Tue/Wed/Thu/Fri",
            "a new zone line is delivered every working day",
        )

    def test_cutoff_of_a_zone_falls_back_to_the_contract(self):
        north = self.contract._tms_zone_line(self.zone_north)
        cas = self.contract._tms_zone_line(self.zone_cas)
        self.assertEqual(north._tms_cutoff(), 11.0)
        self.assertEqual(cas._tms_cutoff(), 14.0)

    def test_zones_served_are_those_of_running_contracts(self):
        self.assertFalse(self.carrier.zone_line_ids)
        self.contract.action_start()
        self.carrier.invalidate_recordset(["zone_line_ids"])
        self.assertEqual(
            self.carrier.zone_line_ids.zone_id, self.zone_north | self.zone_cas
        )
        self.assertEqual(self.zone_north.carrier_line_ids.carrier_id, self.carrier)
        self.assertEqual(self.carrier.contract_count, 1)
        self.contract.action_close()
        self.carrier.invalidate_recordset(["zone_line_ids"])
        self.assertFalse(self.carrier.zone_line_ids)

    def test_contract_valid_on_a_date(self):
        self.contract.action_start()
        self.assertEqual(self.carrier._tms_contract_on(date(2026, 6, 1)), self.contract)
        self.assertFalse(self.carrier._tms_contract_on(date(2027, 1, 1)))

    def test_purchase_price_by_zone_and_weight(self):
        contract = self.contract
        self.assertEqual(
            contract._tms_purchase_price(self.service_std, self.zone_north, 2), 30
        )
        self.assertEqual(
            contract._tms_purchase_price(self.service_std, self.zone_cas, 2), 25
        )
        # 40 + 3 kg above 5 kg at 2.5
        self.assertEqual(
            contract._tms_purchase_price(self.service_std, self.zone_cas, 8), 47.5
        )

    def test_bad_values_are_refused(self):
        with self.assertRaises(ValidationError):
            self.contract.date_end = date(2025, 12, 31)
        with self.assertRaises(ValidationError):
            self.contract.rate_ids[0].weight_to = -1
        with self.assertRaises(ValidationError):
            self.contract.cutoff_time = 25

    def test_carrier_form_creates_a_contract(self):
        with Form(self.carrier.with_user(self.manager_ma)) as form:
            with form.contract_ids.new() as contract:
                contract.name = "2027"
                contract.date_start = date(2027, 1, 1)
        self.assertEqual(self.carrier.contract_count, 2)
