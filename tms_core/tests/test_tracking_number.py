# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import BaseCase

from ..tools import tracking_number as tn


class TestTrackingNumberTools(BaseCase):
    """Check digits and formats, without the database."""

    def test_s10_published_example(self):
        # UPU S10 standard, annex: RR 12345678 5
        self.assertEqual(tn.s10_check_digit("12345678"), 5)
        self.assertEqual(tn.s10_make("RR", 12345678, "MA"), "RR123456785MA")
        self.assertEqual(tn.parse("RR123456785MA"), ("s10", "RR123456785MA"))

    def test_s10_special_remainders(self):
        # 11 - 1 = 10 becomes 0; 11 - 0 = 11 becomes 5
        self.assertEqual(tn.s10_check_digit("00000003"), 1)  # 3 * 7 = 21; 21 % 11 = 10
        serial_rem_1 = next(
            f"{n:08d}"
            for n in range(1000)
            if sum(int(d) * w for d, w in zip(f"{n:08d}", tn.S10_WEIGHTS, strict=False))
            % 11
            == 1
        )
        self.assertEqual(tn.s10_check_digit(serial_rem_1), 0)
        serial_rem_0 = next(
            f"{n:08d}"
            for n in range(1, 1000)
            if sum(int(d) * w for d, w in zip(f"{n:08d}", tn.S10_WEIGHTS, strict=False))
            % 11
            == 0
        )
        self.assertEqual(tn.s10_check_digit(serial_rem_0), 5)

    def test_s10_wrong_check_digit(self):
        with self.assertRaises(tn.TrackingNumberError) as ctx:
            tn.parse("RR123456784MA")
        self.assertEqual(ctx.exception.code, "check_digit")

    def test_scanned_number_normalised(self):
        self.assertEqual(tn.parse(" rr 1234 5678 5 ma")[1], "RR123456785MA")

    def test_malformed_numbers(self):
        for number in (
            "",
            "RR12345678MA",
            "R1123456785MA",
            "RR123456785M",
            "HELLO",
            "12AB",
        ):
            with self.assertRaises(tn.TrackingNumberError) as ctx:
                tn.parse(number)
            self.assertEqual(ctx.exception.code, "format", number)

    def test_luhn(self):
        # the textbook example: 7992739871 has the Luhn check digit 3
        self.assertEqual(tn.luhn_check_digit("7992739871"), 3)
        number = tn.luhn_make("79", 92739871, length=8)
        self.assertEqual(number, "79927398713")
        self.assertEqual(tn.parse(number), ("luhn", number))
        with self.assertRaises(tn.TrackingNumberError) as ctx:
            tn.parse("79927398710")
        self.assertEqual(ctx.exception.code, "check_digit")
