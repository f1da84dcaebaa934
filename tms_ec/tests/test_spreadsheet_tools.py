# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
import io
import unittest

import openpyxl

from ..tools import spreadsheet
from ..tools.spreadsheet import SpreadsheetError


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TestReadCsv(unittest.TestCase):
    def test_semicolon_with_bom(self):
        data = (
            "Référence;Nom;Téléphone;Ville;Montant CRE\r\n"
            "CMD-1;Fatima Zahra;0612345678;Casablanca;299,50\r\n"
        ).encode("utf-8-sig")
        sheet = spreadsheet.read_spreadsheet(data, "orders.csv")
        self.assertEqual(sheet.delimiter, ";")
        self.assertEqual(
            sheet.header, ["Référence", "Nom", "Téléphone", "Ville", "Montant CRE"]
        )
        self.assertEqual(
            sheet.rows,
            [(2, ["CMD-1", "Fatima Zahra", "0612345678", "Casablanca", "299,50"])],
        )

    def test_comma_and_tab(self):
        sheet = spreadsheet.read_csv(b'ref,name,city\nA1,"Benali, Fatima",Rabat\n')
        self.assertEqual(sheet.delimiter, ",")
        self.assertEqual(sheet.rows, [(2, ["A1", "Benali, Fatima", "Rabat"])])
        sheet = spreadsheet.read_csv(b"ref\tname\tcity\nA1\tFatima; Zahra\tFes\n")
        self.assertEqual(sheet.delimiter, "\t")
        self.assertEqual(sheet.rows[0][1], ["A1", "Fatima; Zahra", "Fes"])

    def test_windows_1252(self):
        data = "Nom;Ville\nHélène;Fès\n".encode("cp1252")
        sheet = spreadsheet.read_csv(data)
        self.assertEqual(sheet.encoding, "cp1252")
        self.assertEqual(sheet.rows, [(2, ["Hélène", "Fès"])])

    def test_arabic_utf8(self):
        sheet = spreadsheet.read_csv("الاسم,المدينة\nفاطمة,الدار البيضاء\n".encode())
        self.assertEqual(sheet.header, ["الاسم", "المدينة"])
        self.assertEqual(sheet.rows[0][1], ["فاطمة", "الدار البيضاء"])

    def test_blank_rows_keep_numbers_and_short_rows_padded(self):
        sheet = spreadsheet.read_csv(b"a;b;c\n1;2;3\n;;\n\n4;5\n")
        self.assertEqual(sheet.rows, [(2, ["1", "2", "3"]), (5, ["4", "5", ""])])
        self.assertEqual(list(sheet.records())[1], (5, {"a": "4", "b": "5", "c": ""}))

    def test_bad_files(self):
        cases = {
            b"": "empty",
            b"\n\n  \n": "empty",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest": "xls",
            b"a;;b\n1;2;3\n": "no_header",
            b"Ville;ville \n1;2\n": "duplicate_header",
            b"PK\x03\x04garbage": "unreadable",
        }
        for data, code in cases.items():
            with self.subTest(code=code), self.assertRaises(SpreadsheetError) as ctx:
                spreadsheet.read_spreadsheet(data)
            self.assertEqual(ctx.exception.code, code)

    def test_row_limit(self):
        data = b"a\n" + b"1\n" * (spreadsheet.MAX_ROWS + 1)
        with self.assertRaises(SpreadsheetError) as ctx:
            spreadsheet.read_csv(data)
        self.assertEqual(ctx.exception.code, "too_many_rows")


class TestReadXlsx(unittest.TestCase):
    def test_values_as_text(self):
        data = xlsx_bytes(
            [
                ["Order", "Phone", "Weight", "Date", None],
                ["CMD-1", 612345678, 1.5, datetime.datetime(2026, 3, 1), None],
                [None, None, None, None, None],
                ["CMD-2", "+212612345678", 2.0, datetime.datetime(2026, 3, 1, 9, 30)],
            ]
        )
        sheet = spreadsheet.read_spreadsheet(data, "orders.xlsx")
        self.assertEqual(sheet.header, ["Order", "Phone", "Weight", "Date"])
        self.assertEqual(
            sheet.rows,
            [
                (2, ["CMD-1", "612345678", "1.5", "2026-03-01"]),
                (4, ["CMD-2", "+212612345678", "2", "2026-03-01 09:30:00"]),
            ],
        )


class TestValues(unittest.TestCase):
    def test_parse_number(self):
        cases = {
            "": None,
            "12": 12.0,
            "1,5": 1.5,
            "1.5": 1.5,
            "1 500,50": 1500.5,
            "1.500,50": 1500.5,
            "1,500.50": 1500.5,
            "299 DH": 299.0,
            "99,90 MAD": 99.9,
            "2 kg": 2.0,
            "-2": -2.0,
            "1\u202f000": 1000.0,
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(spreadsheet.parse_number(text), expected)
        for text in ("abc", "1,2,3x", "--1", "1-2"):
            with self.subTest(text=text), self.assertRaises(ValueError):
                spreadsheet.parse_number(text)

    def test_normalize_header(self):
        self.assertEqual(spreadsheet.normalize_header(" Téléphone "), "telephone")
        self.assertEqual(spreadsheet.normalize_header("Poids (kg)"), "poidskg")
        self.assertEqual(spreadsheet.normalize_header("N° Commande"), "nocommande")
        self.assertEqual(
            spreadsheet.normalize_header("الإسم"), spreadsheet.normalize_header("الاسم")
        )

    def test_guess_mapping(self):
        synonyms = {
            "phone": ["phone", "téléphone"],
            "city": ["city", "ville"],
            "cod_amount": ["montant cre", "cod"],
        }
        header = ["TELEPHONE", "Ville", "Montant CRE", "COD", "Remarks"]
        self.assertEqual(
            spreadsheet.guess_mapping(header, synonyms),
            {
                "TELEPHONE": "phone",
                "Ville": "city",
                "Montant CRE": "cod_amount",
                "COD": "",  # the field is already filled by the previous column
                "Remarks": "",
            },
        )
        # what the user chose before wins, an empty choice included
        known = {"ville": "", "Remarks": "city"}
        self.assertEqual(
            spreadsheet.guess_mapping(header, synonyms, known)["Remarks"], "city"
        )
        self.assertEqual(
            spreadsheet.guess_mapping(header, synonyms, known)["Ville"], ""
        )


class TestWrite(unittest.TestCase):
    def test_csv_round_trip(self):
        data = spreadsheet.write_csv(
            ["Nom", "Ville"], [['Hélène; "la"', "Fès"], ["فاطمة", None]], ";"
        )
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        sheet = spreadsheet.read_csv(data)
        self.assertEqual(sheet.header, ["Nom", "Ville"])
        self.assertEqual(sheet.rows, [(2, ['Hélène; "la"', "Fès"]), (3, ["فاطمة", ""])])

    def test_xlsx_round_trip(self):
        data = spreadsheet.write_xlsx(
            ["Order Reference", "Phone"],
            [["CMD-1", "0612345678"]],
            help_rows=[["Column", "Required"], ["Phone", "Yes"]],
            help_title="Help",
        )
        sheet = spreadsheet.read_spreadsheet(data)
        self.assertEqual(sheet.header, ["Order Reference", "Phone"])
        # written as text: the leading zero stays
        self.assertEqual(sheet.rows, [(2, ["CMD-1", "0612345678"])])
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        self.assertEqual(workbook.sheetnames, ["Orders", "Help"])
