# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import BaseCase

from ..tools import gs1


class TestGs1Tools(BaseCase):
    """SSCC-18 check digits and GS1 element strings, without the database."""

    def test_check_digit_published_examples(self):
        # GS1 General Specifications, SSCC example: (00) 1 0614141 123456789 7
        self.assertEqual(gs1.check_digit("10614141123456789"), 7)
        # GS1 France example SSCC 3 7610425 002123456 9
        self.assertEqual(gs1.check_digit("37610425002123456"), 9)
        # GTIN-13 4006381333931 (a well-known EAN)
        self.assertEqual(gs1.check_digit("400638133393"), 1)
        with self.assertRaises(gs1.Gs1Error):
            gs1.check_digit("12a")

    def test_sscc_make(self):
        self.assertEqual(gs1.sscc_make("0614141", 123456789, 1), "106141411234567897")
        sscc = gs1.sscc_make("6111234", 42)
        self.assertEqual(sscc, "061112340000000422")
        self.assertEqual(len(sscc), 18)
        self.assertTrue(gs1.sscc_is_valid(sscc))
        # the serial fills what the prefix leaves: 16 digits in all
        self.assertEqual(len(gs1.sscc_make("123456789012", 9999)), 18)
        with self.assertRaises(gs1.Gs1Error):
            gs1.sscc_make("123456789012", 10000)
        for prefix in ("", "123", "12345678901234", "61112A4"):
            with self.assertRaises(gs1.Gs1Error, msg=prefix):
                gs1.sscc_make(prefix, 1)
        with self.assertRaises(gs1.Gs1Error):
            gs1.sscc_make("6111234", 1, extension_digit=10)

    def test_sscc_validate(self):
        self.assertEqual(gs1.sscc_validate("376104250021234569"), "376104250021234569")
        with self.assertRaises(gs1.Gs1Error) as ctx:
            gs1.sscc_validate("376104250021234568")
        self.assertEqual(ctx.exception.code, "check_digit")
        for bad in ("37610425002123456", "3761042500212345690", "37610425002123456X"):
            with self.assertRaises(gs1.Gs1Error) as ctx:
                gs1.sscc_validate(bad)
            self.assertEqual(ctx.exception.code, "format")
        self.assertFalse(gs1.sscc_is_valid(None))

    def test_parse_forms_of_an_sscc(self):
        expected = {"00": "376104250021234569"}
        for code in (
            "00376104250021234569",  # raw, as most scanners send it
            "]C100376104250021234569",  # with the GS1-128 symbology identifier
            "\x1d00376104250021234569",  # with a leading FNC1
            "(00)376104250021234569",  # human-readable
            "(00) 3 7610425 002123456 9",  # as printed under the bars
            " 00376104250021234569\n",
        ):
            self.assertTrue(gs1.looks_like_gs1(code), code)
            self.assertEqual(gs1.parse(code), expected, code)

    def test_parse_several_elements(self):
        # SSCC (fixed length), then batch (variable, ends with FNC1), then a count
        code = "]C100376104250021234569" + "10LOT42\x1d" + "3712"
        self.assertEqual(
            gs1.parse(code),
            {"00": "376104250021234569", "10": "LOT42", "37": "12"},
        )
        # GTIN and expiry date, human-readable
        self.assertEqual(
            gs1.parse("(01)04006381333931(17)261231"),
            {"01": "04006381333931", "17": "261231"},
        )

    def test_parse_follows_the_gs1_ai_table(self):
        sscc = "00376104250021234569"
        # (710) is a three-digit AI (a national healthcare number), not (7100)
        self.assertEqual(
            gs1.parse("]C1710PZN42\x1d" + sscc),
            {"710": "PZN42", "00": "376104250021234569"},
        )
        # a batch (10) holds at most 20 characters: what follows is the next element
        self.assertEqual(
            gs1.parse("]C1" + sscc + "10" + "A" * 20 + "3712"),
            {"00": "376104250021234569", "10": "A" * 20, "37": "12"},
        )
        # a measure's fourth AI digit places the decimal point: 1.234 kg net
        for code in ("]C1" + sscc + "3103001234", "(00)376104250021234569(3103)001234"):
            self.assertEqual(
                gs1.parse(code),
                {"00": "376104250021234569", "3103": "001234"},
                code,
            )
        # the human-readable form: a value must fit its AI, an AI must exist
        for code in ("(01)123", "(23)12", "(00)376104250021234569(7100)PZN42"):
            with self.assertRaises(gs1.Gs1Error, msg=code) as ctx:
                gs1.parse(code)
            self.assertEqual(ctx.exception.code, "format", code)

    def test_parse_wrong_check_digit(self):
        with self.assertRaises(gs1.Gs1Error) as ctx:
            gs1.parse("00376104250021234568")
        self.assertEqual(ctx.exception.code, "check_digit")
        with self.assertRaises(gs1.Gs1Error) as ctx:
            gs1.parse("(00)376104250021234560")
        self.assertEqual(ctx.exception.code, "check_digit")

    def test_parse_malformed(self):
        for code in ("", "]C1", "]C1003761", "(00)", "]C1AB12", "]C1\x1d\x1d"):
            with self.assertRaises(gs1.Gs1Error, msg=repr(code)) as ctx:
                gs1.parse(code)
            self.assertEqual(ctx.exception.code, "format", repr(code))

    def test_tracking_numbers_do_not_look_like_gs1(self):
        for code in ("RR123456785MA", "10000000424", "376104250021234569", "BAG42"):
            self.assertFalse(gs1.looks_like_gs1(code), code)
