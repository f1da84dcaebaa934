# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import BaseCase

from odoo.addons.tms_core.tests.intake_cases import (
    BAD_INPUTS,
    apply_changes,
    valid_item,
)
from odoo.addons.tms_core.tools import intake


def format_phone(number, country_code):
    """Moroccan mobiles only: 06/07 and 8 more digits."""
    digits = number.replace(" ", "")
    if country_code == "MA" and len(digits) == 10 and digits[:2] in ("06", "07"):
        return "+212" + digits[1:]
    raise ValueError(number)


def context(**values):
    return intake.IntakeContext(
        services={"STD": 1},
        countries={"MA": (10, "Morocco"), "FR": (11, "France")},
        states={(10, "CAS"): 5},
        currencies={"MAD": 7},
        shippers_by_id={42},
        shippers_by_ref={"SOUK": 42},
        default_country="MA",
        max_weight=500.0,
        format_phone=format_phone,
        **values,
    )


class TestIntakeSchema(BaseCase):
    def validate(self, item, **values):
        errors = intake.Errors()
        return intake.validate_parcel(item, context(**values), errors), errors

    def test_valid_item_is_cleaned(self):
        item = valid_item()
        item["recipient"]["state"] = "cas"
        item["cod_currency"] = "mad"
        item["shipper"] = {"ref": "SOUK"}
        result, errors = self.validate(item)
        self.assertEqual(errors, [])
        self.assertEqual(result["shipper"], 42)
        self.assertEqual(result["recipient"]["phone"], "+212612345678")
        self.assertEqual(result["recipient"]["country_id"], 10)
        self.assertEqual(result["recipient"]["state_id"], 5)
        self.assertEqual(
            result["vals"],
            {
                "client_reference": "CASE-OK",
                "state": "confirmed",
                "service_id": 1,
                "weight": 1.5,
                "cod_amount": 299.0,
                "cod_currency_id": 7,
                "line_ids": [
                    {
                        "name": "Caftan",
                        "sku": False,
                        "quantity": 1.0,
                        "weight": 0.0,
                        "value": 0.0,
                    }
                ],
            },
        )

    def test_each_bad_input_gives_its_error(self):
        for name, changes, path, code, _message in BAD_INPUTS:
            with self.subTest(name):
                _result, errors = self.validate(apply_changes(valid_item(), changes))
                self.assertEqual([(e[0], e[1]) for e in errors], [(path, code)])

    def test_limits(self):
        item = dict(valid_item(), weight=501, length=1001, colour="blue")
        _result, errors = self.validate(item)
        self.assertEqual(
            {(e[0], e[1]) for e in errors},
            {
                ("weight", "too_large"),
                ("length", "too_large"),
                ("colour", "unknown_field"),
            },
        )
        _result, errors = self.validate(item, allowed_keys=None)
        self.assertNotIn("colour", errors.paths())

    def test_partial_item_has_no_required_error(self):
        result, errors = self.validate({"weight": 2}, partial=True)
        self.assertEqual(errors, [])
        self.assertEqual(result["vals"]["weight"], 2.0)
        _result, errors = self.validate({"weight": 2})
        self.assertEqual(errors.paths(), {"service", "recipient"})

    def test_shipper_forms(self):
        for shipper, expected in ((42, 42), ({"id": 42}, 42), ({"ref": "SOUK"}, 42)):
            result, errors = self.validate(dict(valid_item(), shipper=shipper))
            self.assertEqual((result["shipper"], errors), (expected, []))
        _result, errors = self.validate(dict(valid_item(), shipper=7))
        self.assertEqual(errors, [("shipper", "unknown_shipper", {"shipper": 7})])
        result, errors = self.validate(
            dict(valid_item(), shipper={"name": "Souk", "ref": "NEW"})
        )
        self.assertEqual(errors, [])
        self.assertEqual(result["shipper"]["ref"], "NEW")
