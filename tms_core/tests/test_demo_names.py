# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import BaseCase

from ..models.demo import tms_demo
from ..tools.demo_names import DATA_FILE, demo_tables


class TestDemoNames(BaseCase):
    """The demo reference tables read from the module's data file, without the
    database."""

    def test_data_file_ships_with_the_demo_folder(self):
        self.assertEqual(DATA_FILE.parent.name, "demo")
        self.assertTrue(DATA_FILE.is_file())

    def test_every_country_has_complete_tables(self):
        tables = demo_tables()
        countries = set(tables["CITIES"])
        self.assertEqual(countries, {"MA", "FR"})
        for name in ("FIRST_NAMES", "LAST_NAMES", "STREET2", "SHIPPERS", "FREE_LINES"):
            self.assertEqual(set(tables[name]), countries, name)
        for code in countries:
            for city, weight, (lat, lon), streets in tables["CITIES"][code]:
                self.assertTrue(city and weight > 0 and streets, city)
                self.assertTrue(-90 <= lat <= 90 and -180 <= lon <= 180, city)
                for street, zip_code in streets:
                    self.assertTrue(street, city)
                    self.assertRegex(zip_code, r"^\d{5}$", street)
            shippers = tables["SHIPPERS"][code]
            self.assertEqual(sum(share for _x, _p, share, _pr in shippers), 100, code)
            for xmlid, prefix, _share, products in shippers:
                self.assertTrue(xmlid.endswith("_demo") and prefix and products)
            for description, weight, value in tables["FREE_LINES"][code]:
                self.assertTrue(description and weight > 0 and value >= 0)
        self.assertTrue(tables["ARABIC_NAMES"] and tables["ARABIC_STREETS"])
        for box in tables["BOXES"]:
            self.assertEqual(len(box), 3)

    def test_tables_are_read_once_and_immutable(self):
        tables = demo_tables()
        self.assertIs(demo_tables(), tables)
        self.assertIsInstance(tables["CITIES"]["MA"], tuple)
        self.assertIsInstance(tables["CITIES"]["MA"][0][3], tuple)
        self.assertIsInstance(tables["FIRST_NAMES"]["FR"], tuple)
        # the generator's constants are these very tables
        self.assertIs(tms_demo.SHIPPERS, tables["SHIPPERS"])
        self.assertIs(tms_demo.CITIES, tables["CITIES"])
