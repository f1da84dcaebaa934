# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import csv
import io
from unittest.mock import patch

import openpyxl

from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError
from odoo.modules.migration import load_script
from odoo.tests import HttpCase, tagged
from odoo.tests import common as odoo_test_common

from odoo.addons.tms_core.tests.common import TmsCommon

from ..models import tms_ec_import
from ..tools import spreadsheet

# queue_job's test helpers register themselves in odoo.tests.common.SETATTR_SOURCES,
# which Odoo 18.0 builds before its introduction lack.
if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}
from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402

FRENCH_HEADER = [
    "N° Commande",
    "Nom du client",
    "Téléphone",
    "Adresse",
    "Ville",
    "Code postal",
    "Poids",
    "Montant CRE",
    "Service",
    "Produit",
    "Quantité",
    "Remarque",
]


def order_row(ref, **values):
    """A French-titled row of a valid Moroccan COD order."""
    row = {
        "N° Commande": ref,
        "Nom du client": "Fatima Zahra Benali",
        "Téléphone": "0612345678",
        "Adresse": "12 Rue Ibnou Mounir",
        "Ville": "Casablanca",
        "Code postal": "20250",
        "Poids": "1,5",
        "Montant CRE": "299",
        "Service": "STD",
        "Produit": "Caftan",
        "Quantité": "1",
        "Remarque": "",
    }
    row.update(values)
    return [row[title] for title in FRENCH_HEADER]


def csv_file(rows, header=None, delimiter=";", bom=True):
    header = header or FRENCH_HEADER
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    return text.encode("utf-8-sig" if bom else "utf-8")


def xlsx_file(rows, header=None):
    header = header or FRENCH_HEADER
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TestEcImport(TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Parcel = cls.env["tms.parcel"]

    def _wizard(self, data, name="commandes.csv", mode="all_or_nothing", user=None):
        user = user or self.user_ma
        wizard = (
            self.env["tms.ec.import.wizard"]
            .with_user(user)
            .create(
                {
                    "shipper_id": self.shipper_ma.id,
                    "file": base64.b64encode(data),
                    "file_name": name,
                    "mode": mode,
                }
            )
        )
        wizard.action_read_file()
        return wizard

    def _checked(self, data, **kwargs):
        wizard = self._wizard(data, **kwargs)
        wizard.action_check()
        return wizard

    def _parcels(self, *references):
        return self.Parcel.search(
            [
                ("shipper_id", "=", self.shipper_ma.id),
                ("client_reference", "in", list(references)),
            ]
        )

    def _errors(self, job):
        return {line.row_number: line.errors for line in job.invalid_line_ids}

    # ------------------------------------------------------------------------------
    # reading and mapping
    # ------------------------------------------------------------------------------
    def test_csv_semicolon_bom_french_headers(self):
        data = csv_file([order_row("CMD-1"), order_row("CMD-2", Poids="2")])
        wizard = self._wizard(data)
        self.assertEqual(wizard.step, "mapping")
        mapping = {c.title: c.target for c in wizard.column_ids}
        self.assertEqual(
            mapping,
            {
                "N° Commande": "client_reference",
                "Nom du client": "recipient_name",
                "Téléphone": "phone",
                "Adresse": "street",
                "Ville": "city",
                "Code postal": "zip",
                "Poids": "weight",
                "Montant CRE": "cod_amount",
                "Service": "service",
                "Produit": "product",
                "Quantité": "quantity",
                "Remarque": "note",
            },
        )
        phone_column = wizard.column_ids.filtered(lambda c: c.title == "Téléphone")
        self.assertEqual(phone_column.sample, "0612345678 | 0612345678")
        wizard.action_check()
        job = wizard.import_id
        self.assertEqual(wizard.step, "preview")
        self.assertEqual(
            (job.state, job.rows_total, job.valid_count), ("previewed", 2, 2)
        )
        self.assertFalse(self._parcels("CMD-1", "CMD-2"), "the check creates nothing")
        wizard.action_import()
        self.assertEqual(job.state, "done")
        self.assertEqual(job.progress, 100)
        parcels = self._parcels("CMD-1", "CMD-2")
        self.assertEqual(len(parcels), 2)
        parcel = parcels.filtered(lambda p: p.client_reference == "CMD-1")
        self.assertRecordValues(
            parcel,
            [
                {
                    "state": "confirmed",
                    "company_id": self.company_ma.id,
                    "recipient_name": "Fatima Zahra Benali",
                    "recipient_phone": "+212612345678",
                    "recipient_city": "Casablanca",
                    "recipient_country_id": self.morocco.id,
                    "weight": 1.5,
                    "cod_amount": 299.0,
                    "service_id": self.service_std.id,
                    "zone_id": self.zone_cas.id,
                }
            ],
        )
        self.assertEqual(parcel.line_ids.mapped("name"), ["Caftan"])
        self.assertTrue(parcel.tracking_number)
        self.assertEqual(job.parcel_ids, parcels)
        self.assertEqual(job.created_count, 2)

    def test_xlsx(self):
        rows = [order_row("X-1"), order_row("X-2")]
        # Excel drops the leading zero of a phone typed as a number
        rows[1][2] = 661234567
        rows[1][6] = 2.25
        job = self._checked(xlsx_file(rows), name="commandes.xlsx").import_id
        self.assertEqual(job.valid_count, 2, self._errors(job))
        job.action_import()
        parcel = self._parcels("X-2")
        self.assertEqual(parcel.recipient_phone, "+212661234567")
        self.assertEqual(parcel.weight, 2.25)

    def test_mapping_remembered_for_shipper(self):
        header = ["Ref", "Client", "GSM", "Rue", "Bled", "A encaisser"]
        row = ["M-1", "Karim", "0612345678", "5 Av. Hassan II", "Rabat", "150"]
        wizard = self._wizard(csv_file([row], header=header))
        guessed = {c.title: c.target for c in wizard.column_ids}
        # "Bled" and "A encaisser" mean nothing to the import yet
        self.assertFalse(guessed["Bled"])
        self.assertFalse(guessed["A encaisser"])
        for column in wizard.column_ids:
            column.target = {
                "Rue": "street",
                "Bled": "city",
                "A encaisser": "cod_amount",
            }.get(column.title, column.target)
        wizard.action_check()
        self.assertEqual(wizard.import_id.valid_count, 1)
        # the shipper's next file with these columns: the choice comes back
        second = self._wizard(csv_file([row], header=header))
        self.assertEqual(
            {c.title: c.target for c in second.column_ids},
            {
                "Ref": "client_reference",
                "Client": "recipient_name",
                "GSM": "phone",
                "Rue": "street",
                "Bled": "city",
                "A encaisser": "cod_amount",
            },
        )
        # another shipper of the company gets the usual guesses only
        other = self.env["res.partner"].create(
            {"name": "Other Shop", "company_id": self.company_ma.id}
        )
        third = (
            self.env["tms.ec.import.wizard"]
            .with_user(self.user_ma)
            .create(
                {
                    "shipper_id": other.id,
                    "file": base64.b64encode(csv_file([row], header=header)),
                    "file_name": "x.csv",
                }
            )
        )
        third.action_read_file()
        self.assertFalse(third.column_ids.filtered(lambda c: c.title == "Bled").target)

    def test_mapping_needs_required_fields_once(self):
        wizard = self._wizard(csv_file([order_row("R-1")]))
        wizard.column_ids.filtered(lambda c: c.title == "Ville").target = False
        with self.assertRaisesRegex(UserError, "City"):
            wizard.action_check()
        wizard.column_ids.filtered(lambda c: c.title == "Ville").target = "city"
        wizard.column_ids.filtered(lambda c: c.title == "Remarque").target = "city"
        with self.assertRaisesRegex(UserError, "Several columns fill City"):
            wizard.action_check()

    def test_unreadable_file(self):
        with self.assertRaisesRegex(UserError, r"\.xls"):
            self._wizard(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", name="old.xls")

    # ------------------------------------------------------------------------------
    # checks
    # ------------------------------------------------------------------------------
    def test_preview_lists_each_bad_row(self):
        self.company_ma.tms_max_parcel_weight = 500
        rows = [
            order_row("OK-1"),  # row 2
            order_row("BAD-3", Adresse=""),
            order_row("BAD-4", Téléphone="06123"),
            order_row("BAD-5", Poids="-2"),
            order_row("BAD-6", Poids="900"),
            order_row("BAD-7", **{"Montant CRE": "-50"}),
            order_row("BAD-8", Service="TURBO"),
            order_row("BAD-9", Poids="abc", Téléphone="", Ville=""),
        ]
        job = self._checked(csv_file(rows)).import_id
        self.assertEqual((job.valid_count, job.invalid_count), (1, 7))
        self.assertEqual(
            self._errors(job),
            {
                3: "Row 3: Address is required.",
                4: "Row 4: The phone number 06123 is not valid for Morocco.",
                5: "Row 5: Weight (kg) must be at least 0.",
                6: "Row 6: Weight (kg) must be at most 500.",
                7: "Row 7: COD Amount must be at least 0.",
                8: "Row 8: No active service has the code TURBO.",
                9: "Row 9: Weight (kg) must be a number.\n"
                "Row 9: Phone is required.\n"
                "Row 9: City is required.",
            },
        )
        self.assertFalse(self.Parcel.search([("client_reference", "=like", "BAD-%")]))
        self.assertFalse(self._parcels("OK-1"), "the check creates nothing")

    def test_country_and_email(self):
        header = FRENCH_HEADER + ["Pays", "Email"]
        rows = [
            order_row("C-1") + ["morocco", "fatima@example.ma"],
            # a French number in France
            order_row("C-2", Téléphone="0612345678") + ["France", ""],
            order_row("C-3") + ["Atlantis", "not-an-email"],
            order_row("C-4", Téléphone="+33612345678") + ["FR", ""],
        ]
        job = self._checked(csv_file(rows, header=header)).import_id
        self.assertEqual(
            self._errors(job),
            {
                4: "Row 4: Atlantis is not a country code (ISO 3166 alpha-2, like "
                "MA).\nRow 4: not-an-email is not an email address.",
            },
        )
        job.mode = "valid_only"
        job.action_import()
        self.assertRecordValues(
            self._parcels("C-1", "C-2", "C-4").sorted("client_reference"),
            [
                {
                    "recipient_country_id": self.morocco.id,
                    "recipient_phone": "+212612345678",
                    "recipient_email": "fatima@example.ma",
                },
                {
                    "recipient_country_id": self.france.id,
                    "recipient_phone": "+33612345678",
                    "recipient_email": False,
                },
                {
                    "recipient_country_id": self.france.id,
                    "recipient_phone": "+33612345678",
                    "recipient_email": False,
                },
            ],
        )

    def test_duplicate_reference_flagged(self):
        parcel = self._create_parcel(client_reference="DUP-1")
        job = self._checked(
            csv_file([order_row("DUP-1"), order_row("NEW-1")])
        ).import_id
        self.assertEqual(
            self._errors(job),
            {
                2: f"Row 2: order DUP-1 was already imported as parcel "
                f"{parcel.tracking_number}."
            },
        )
        # a cancelled parcel does not count: its order may come again
        parcel.action_cancel()
        job.action_preview()
        self.assertEqual(job.invalid_count, 0)

    def test_rows_of_one_order_make_one_parcel(self):
        rows = [
            order_row("G-1", Produit="Caftan", Quantité="1"),
            order_row("G-2"),
            # the order's second product: the other cells may stay empty
            ["G-1", "", "", "", "", "", "", "", "", "Babouches", "2", ""],
            order_row("G-1", Produit="Ceinture", Quantité="3"),
        ]
        job = self._checked(csv_file(rows)).import_id
        self.assertEqual((job.valid_count, job.order_count), (4, 2))
        job.action_import()
        parcel = self._parcels("G-1")
        self.assertEqual(len(parcel), 1)
        self.assertEqual(
            [(line.name, line.quantity) for line in parcel.line_ids],
            [("Caftan", 1.0), ("Babouches", 2.0), ("Ceinture", 3.0)],
        )
        self.assertEqual(parcel.weight, 1.5)
        self.assertEqual(job.created_count, 2)
        g1_rows = job.line_ids.filtered(lambda line: line.reference == "G-1")
        self.assertEqual(g1_rows.mapped("row_number"), [2, 4, 5])
        self.assertEqual(g1_rows.parcel_id, parcel)

    def test_rows_of_one_order_contradicting(self):
        rows = [
            order_row("G-1"),
            order_row("G-1", Téléphone="0698765432", Produit="Babouches"),
            order_row("G-2", Ville=""),
            ["G-2", "", "", "", "", "", "", "", "", "Babouches", "2", ""],
        ]
        job = self._checked(csv_file(rows), mode="valid_only").import_id
        self.assertEqual(
            self._errors(job),
            {
                3: "Row 3: order G-1 is also on row 2 with another Phone (0698765432).",
                2: "Row 2: order G-1 is not imported because row 3 of the same order "
                "has an error.",
                4: "Row 4: City is required.",
                5: "Row 5: order G-2 is not imported because row 4 of the same order "
                "has an error.",
            },
        )

    # ------------------------------------------------------------------------------
    # modes
    # ------------------------------------------------------------------------------
    def test_upgrade_checks_again_the_imports_checked_before(self):
        """An import checked by the former version (rows in its own shape) is
        checked again at the upgrade and imports; one whose file cannot be read any
        more goes back to Draft and says why."""
        script = load_script(
            "tms_ec/migrations/18.0.1.2.0/post-migrate.py",
            "tms_ec_post_migrate_18_0_1_2_0",
        )
        wizard = self._checked(csv_file([order_row("U-1")]))
        job = wizard.import_id
        job.line_ids.write(
            {
                "values": {
                    "reference": "U-1",
                    "recipient_name": "F. Benali",
                    "weight": 1.5,
                }
            }
        )
        broken = self._checked(csv_file([order_row("U-2")])).import_id
        broken.write(
            {"file": base64.b64encode(b"\xd0\xcf\x11\xe0"), "file_name": "a.xls"}
        )

        script.migrate(self.env.cr, "18.0.1.1.0")

        self.assertEqual(job.state, "previewed")
        self.assertEqual(
            job.line_ids.values["recipient"]["name"], "Fatima Zahra Benali"
        )
        self.assertEqual(broken.state, "draft")
        self.assertFalse(broken.line_ids)
        self.assertIn(
            "checked by an earlier version", "".join(broken.message_ids.mapped("body"))
        )
        wizard.action_import()
        self.assertEqual(self._parcels("U-1").recipient_name, "Fatima Zahra Benali")

    def test_all_or_nothing_with_a_bad_row_creates_nothing(self):
        data = csv_file([order_row("A-1"), order_row("A-2", Téléphone="12")])
        wizard = self._checked(data)
        with self.assertRaisesRegex(UserError, "1 rows are invalid: nothing was"):
            wizard.action_import()
        self.assertEqual(wizard.import_id.state, "previewed")
        self.assertFalse(self._parcels("A-1", "A-2"))

    def test_valid_only_creates_the_good_rows(self):
        data = csv_file(
            [order_row("V-1"), order_row("V-2", Adresse=""), order_row("V-3")]
        )
        wizard = self._checked(data, mode="valid_only")
        wizard.action_import()
        job = wizard.import_id
        self.assertEqual(job.state, "done")
        self.assertEqual(
            self._parcels("V-1", "V-2", "V-3").mapped("client_reference"),
            ["V-3", "V-1"],
        )
        self.assertEqual(job.invalid_line_ids.mapped("row_number"), [3])
        self.assertEqual(job.created_count, 2)
        self.assertIn("2 parcels created, 1 rows rejected", job.message_ids[0].body)
        # the rejected rows, to fix and import again
        content, name = job._tms_rejected_csv()
        self.assertEqual(name, "commandes-rejected.csv")
        sheet = spreadsheet.read_csv(content)
        self.assertEqual(sheet.header, FRENCH_HEADER + ["Errors"])
        self.assertEqual(
            sheet.rows,
            [(2, order_row("V-2", Adresse="") + ["Row 3: Address is required."])],
        )
        # fixed and sent again, with the errors column: the mapping is remembered
        fixed = sheet.rows[0][1]
        fixed[3] = "7 Rue de Fès"
        again = self._checked(csv_file([fixed], header=sheet.header), mode="valid_only")
        self.assertEqual(again.import_id.valid_count, 1)
        again.action_import()
        self.assertEqual(self._parcels("V-2").recipient_street, "7 Rue de Fès")
        # the imported rows are not imported twice
        third = self._checked(data, mode="valid_only").import_id
        self.assertEqual(third.valid_count, 0)

    # ------------------------------------------------------------------------------
    # big files: background jobs
    # ------------------------------------------------------------------------------
    def _big_job(self, count, mode="all_or_nothing"):
        rows = [
            order_row(f"B-{i:04d}", Téléphone=f"06{61000000 + i}") for i in range(count)
        ]
        return self._checked(csv_file(rows), mode=mode).import_id

    def _run_jobs(self, trap):
        for _i in range(50):
            if not trap.enqueued_jobs:
                return
            trap.perform_enqueued_jobs()
        self.fail("jobs keep enqueuing jobs")

    def test_big_file_runs_in_chunked_jobs(self):
        job = self._big_job(450)
        self.assertEqual(job.valid_count, 450)
        with (
            patch.object(tms_ec_import, "CHUNK_ROWS", 200),
            trap_jobs() as trap,
        ):
            job.action_import()
            # nothing created in the request: one job, and the form shows progress
            self.assertEqual(job.state, "running")
            self.assertTrue(job.background)
            self.assertFalse(self._parcels("B-0000"))
            trap.assert_jobs_count(1, only=job._tms_import_chunk)
            trap.perform_enqueued_jobs()
            self.assertEqual((job.rows_done, job.state), (200, "running"))
            self.assertAlmostEqual(job.progress, 44.4, places=1)
            trap.assert_jobs_count(1, only=job._tms_import_chunk)
            self._run_jobs(trap)
        self.assertEqual(job.state, "done")
        self.assertEqual(job.progress, 100)
        self.assertEqual(job.created_count, 450)
        self.assertEqual(len(job.parcel_ids), 450)
        self.assertIn("Import done: 450 parcels created.", job.message_ids[0].body)
        self.assertEqual(job.activity_ids.user_id, self.user_ma)

    def test_small_file_runs_in_the_request(self):
        job = self._big_job(20)
        with trap_jobs() as trap:
            job.action_import()
            trap.assert_jobs_count(0, only=job._tms_import_chunk)
        self.assertEqual((job.state, job.created_count), ("done", 20))
        self.assertFalse(job.activity_ids)

    def test_failed_chunk_cancels_earlier_chunks(self):
        job = self._big_job(450)
        Import = type(self.env["tms.ec.import"])
        original = Import._tms_create_parcels
        calls = []

        def fail_second_chunk(record, lines):
            calls.append(len(lines))
            if len(calls) == 2:
                raise ValueError("Database hiccup")
            return original(record, lines)

        with (
            patch.object(tms_ec_import, "CHUNK_ROWS", 200),
            patch.object(Import, "_tms_create_parcels", fail_second_chunk),
            trap_jobs() as trap,
        ):
            job.action_import()
            self._run_jobs(trap)
        self.assertEqual(calls, [200, 200])
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.error_message, "Database hiccup")
        parcels = self.Parcel.search([("client_reference", "=like", "B-%")])
        self.assertEqual(len(parcels), 200, "the second chunk was rolled back")
        self.assertEqual(set(parcels.mapped("state")), {"cancelled"})
        self.assertEqual(job.created_count, 0)
        self.assertIn("Import failed", job.message_ids[0].body)
        # checked again, the file can be imported: the cancelled parcels do not count
        job.action_preview()
        self.assertEqual((job.state, job.invalid_count), ("previewed", 0))

    def test_failed_chunk_valid_only_goes_on(self):
        job = self._big_job(450, mode="valid_only")
        Import = type(self.env["tms.ec.import"])
        original = Import._tms_create_parcels
        calls = []

        def fail_second_chunk(record, lines):
            calls.append(len(lines))
            if len(calls) == 2:
                raise ValueError("Database hiccup")
            return original(record, lines)

        with (
            patch.object(tms_ec_import, "CHUNK_ROWS", 200),
            patch.object(Import, "_tms_create_parcels", fail_second_chunk),
            trap_jobs() as trap,
        ):
            job.action_import()
            self._run_jobs(trap)
        self.assertEqual(job.state, "done")
        self.assertEqual((job.created_count, job.invalid_count), (250, 200))
        self.assertEqual(job.progress, 100)
        self.assertIn(
            "the parcel could not be created: Database hiccup",
            job.invalid_line_ids[0].errors,
        )

    def test_import_a_file_button_opens_the_wizard(self):
        """The imports list's "Import a File" button, called as the web client calls
        a list header button: with the ids of the selected imports (none here)."""
        Import = self.env["tms.ec.import"].with_user(self.user_ma)
        for ids in ([], self._checked(csv_file([order_row("B-1")])).import_id.ids):
            action = call_kw(Import, "action_open_wizard", [ids], {})
            self.assertEqual(action["res_model"], "tms.ec.import.wizard")
            self.assertEqual(action["target"], "new")

    # ------------------------------------------------------------------------------
    # access
    # ------------------------------------------------------------------------------
    def test_other_company_cannot_see_imports(self):
        wizard = self._checked(csv_file([order_row("S-1")]))
        job = wizard.import_id
        Import = self.env["tms.ec.import"].with_user(self.user_fr)
        self.assertFalse(Import.search([("id", "=", job.id)]))
        with self.assertRaises(AccessError):
            Import.browse(job.id).check_access("read")
        with self.assertRaises(AccessError):
            Import.browse(job.id).read(["name"])
        Line = self.env["tms.ec.import.line"].with_user(self.user_fr)
        self.assertFalse(Line.search([("import_id", "=", job.id)]))
        Mapping = self.env["tms.ec.import.mapping"].with_user(self.user_fr)
        self.assertFalse(Mapping.search([("shipper_id", "=", self.shipper_ma.id)]))
        with self.assertRaises(AccessError):
            Import.browse(job.id).action_import()


@tagged("post_install", "-at_install")
class TestEcImportTemplate(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = cls.env["res.users"].create(
            {
                "name": "Merchant Operator",
                "login": "ec_import_operator",
                "password": "ec-import-operator-1",
                "groups_id": [(6, 0, [cls.env.ref("tms_core.group_tms_user").id])],
            }
        )

    def test_import_a_file_button_tour(self):
        self.user.password = self.user.login  # a tour logs in with its login
        self.start_tour(
            "/odoo/action-tms_ec.tms_ec_import_action",
            "tms_ec_import_open_tour",
            login="ec_import_operator",
            timeout=120,
        )

    def _labels(self):
        return list(
            self.env["tms.ec.import"]
            .with_context(lang="en_US")
            ._tms_import_field_labels()
            .values()
        )

    def test_rejected_rows_download(self):
        company = self.env.company
        company.country_id = self.env.ref("base.ma")
        shipper = self.env["res.partner"].create({"name": "Atlas Shop"})
        job = self.env["tms.ec.import"].create(
            {
                "shipper_id": shipper.id,
                "file": base64.b64encode(
                    csv_file([order_row("H-1"), order_row("H-2", Ville="")])
                ),
                "file_name": "orders.csv",
                "mapping": self.env["tms.ec.import.mapping"]._tms_guess(
                    company, shipper, FRENCH_HEADER
                ),
            }
        )
        job._tms_preview()
        self.assertEqual(job.invalid_count, 1)
        url = f"/tms_ec/import/{job.id}/rejected.csv"
        self.authenticate("ec_import_operator", "ec-import-operator-1")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        sheet = spreadsheet.read_spreadsheet(response.content)
        self.assertEqual([row[1][0] for row in sheet.rows], ["H-2"])
        self.assertEqual(sheet.rows[0][1][-1], "Row 3: City is required.")
        # a user of another company
        other = self.env["res.company"].create(
            {"name": "Other Carrier", "country_id": self.env.ref("base.fr").id}
        )
        self.user.write({"company_ids": [(6, 0, other.ids)], "company_id": other.id})
        self.authenticate("ec_import_operator", "ec-import-operator-1")
        self.assertEqual(self.url_open(url).status_code, 403)

    def test_template_needs_login(self):
        for path in ("/tms_ec/import/template.xlsx", "/tms_ec/import/template.csv"):
            response = self.url_open(path, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303), path)
            self.assertIn("/web/login", response.headers["Location"])

    def test_template_columns(self):
        self.authenticate("ec_import_operator", "ec-import-operator-1")
        labels = self._labels()
        self.assertEqual(labels[:3], ["Order Reference", "Recipient Name", "Phone"])
        response = self.url_open("/tms_ec/import/template.csv")
        self.assertEqual(response.status_code, 200)
        self.assertIn("orders-template.csv", response.headers["Content-Disposition"])
        sheet = spreadsheet.read_spreadsheet(response.content)
        self.assertEqual(sheet.header, labels)
        self.assertEqual(sheet.rows, [])
        response = self.url_open("/tms_ec/import/template.xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = spreadsheet.read_spreadsheet(response.content)
        self.assertEqual(sheet.header, labels)
        # the template's titles are recognised when the file comes back
        mapping = self.env["tms.ec.import.mapping"]._tms_guess(
            self.env.company, self.env["res.partner"], labels
        )
        self.assertEqual(
            list(mapping.values()),
            [key for key, *_rest in tms_ec_import.IMPORT_FIELDS],
        )
