# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import unittest

import zxingcpp

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.tms_core.tests.common import TmsCommon

from ..tools import arabic_text
from .test_label_tools import drawn_strings, parse_zpl, pypdfium2, rasterise

ARABIC_NAME = "فاطمة الزهراء بنعلي"


@tagged("post_install", "-at_install")
class TestLabels(TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recipient_ar = cls.env["res.partner"].create(
            {
                "name": ARABIC_NAME,
                "street": "12 زنقة ابن منير",
                "city": "Casablanca",
                "zip": "20250",
                "country_id": cls.morocco.id,
                "mobile": "0612345678",
                "company_id": cls.company_ma.id,
            }
        )
        cls.layout = cls.env.ref("tms_core.tms_label_layout_100x150")
        cls.Wizard = cls.env["tms.label.print.wizard"]

    def _wizard(self, parcels, user=None, **values):
        wizard_model = self.Wizard.with_user(user or self.user_ma).with_company(
            parcels.company_id
        )
        return wizard_model.with_context(
            active_model="tms.parcel", active_ids=parcels.ids
        ).create(values)

    # ----------------------------------------------------------------------------------
    # label data
    # ----------------------------------------------------------------------------------
    def test_label_data_from_the_parcel(self):
        parcels = self.env["tms.parcel"]
        for _i in range(3):
            parcels |= self._create_parcel(client_reference="SO-77", cod_amount=250)
        other = self._create_parcel(client_reference="SO-78")
        data = parcels[1]._tms_labels_data()[0]
        self.assertEqual(data.tracking_number, parcels[1].tracking_number)
        self.assertEqual(data.qr_url, parcels[1]._tms_public_tracking_url())
        self.assertIn("/track/", data.qr_url)
        # the QR code opens the page by the parcel's access token, not by its id
        token = data.qr_url.rsplit("/", 1)[1]
        self.assertEqual(token, parcels[1].access_token)
        self.assertNotEqual(token, str(parcels[1].id))
        self.assertGreaterEqual(len(token), 32)
        self.assertEqual(data.recipient.name, "Fatima Zahra Benali")
        self.assertEqual(
            data.recipient.lines, ["12 Rue Ibnou Mounir", "20250 Casablanca", "Morocco"]
        )
        self.assertEqual(data.recipient.phone, "+212612345678")
        self.assertEqual(data.shipper.name, "Boutique Atlas")
        self.assertEqual(data.sort_code, "CAS")  # the destination hub
        self.assertEqual(data.zone_code, "CAS-1")
        self.assertEqual(data.cod_amount, 250)
        currency = parcels[1].cod_currency_id.name
        self.assertEqual(data.cod_text, f"250.00 {currency}")
        self.assertEqual(data.service, self.service_std.name)
        self.assertEqual(data.company_name, "Colis Express Maroc")
        # the parcel count runs over the shipper's order, whatever was selected
        self.assertEqual(data.parcel_count, "2/3")
        self.assertEqual(
            [d.parcel_count for d in (parcels | other)._tms_labels_data()],
            ["1/3", "2/3", "3/3", "1/1"],
        )
        self.assertIsNone(other._tms_labels_data()[0].cod_amount)

    def test_return_label_swaps_the_blocks(self):
        parcel = self._create_parcel()
        data = parcel._tms_labels_data(is_return=True)[0]
        self.assertTrue(data.is_return)
        self.assertEqual(data.shipper.name, "Fatima Zahra Benali")
        self.assertEqual(data.recipient.name, "Boutique Atlas")
        zpl = parcel._tms_render_labels("zpl", is_return=True)
        (commands,) = parse_zpl(zpl.decode())
        self.assertIn(("FR", ""), commands)  # the reversed RETURN banner

    # ----------------------------------------------------------------------------------
    # rendering
    # ----------------------------------------------------------------------------------
    @unittest.skipUnless(pypdfium2, "pypdfium2 (PDF rasteriser) is not installed")
    def test_pdf_codes_decode_to_the_tracking_number_and_url(self):
        latin = self._create_parcel()
        arabic = self._create_parcel(recipient_id=self.recipient_ar.id)
        parcels = arabic | latin
        pdf = parcels._tms_render_labels("pdf", self.layout)
        pages = rasterise(pdf)
        self.assertEqual(len(pages), 2)
        for parcel, page in zip(parcels, pages, strict=True):
            codes = {r.format.name: r.text for r in zxingcpp.read_barcodes(page)}
            self.assertEqual(codes.get("Code128"), parcel.tracking_number)
            self.assertEqual(codes.get("QRCode"), parcel._tms_public_tracking_url())
        # the Arabic name is drawn shaped, right to left
        self.assertIn(arabic_text.shape(ARABIC_NAME), drawn_strings(pdf, 0))
        self.assertNotIn(ARABIC_NAME, drawn_strings(pdf, 0))

    def test_zpl_stream_keeps_the_order_and_copies(self):
        parcels = self._create_parcel() | self._create_parcel() | self._create_parcel()
        ordered = parcels[2] | parcels[0] | parcels[1]
        formats = parse_zpl(ordered._tms_render_labels("zpl", copies=2).decode())
        numbers = [dict(commands)["BC"] and _barcode(commands) for commands in formats]
        expected = [p.tracking_number for p in ordered for _copy in range(2)]
        self.assertEqual(numbers, expected)

    def test_escpos_and_layout_blocks(self):
        parcel = self._create_parcel(cod_amount=99)
        layout = self.env["tms.label.layout"].create(
            {
                "name": "No COD, no QR",
                "company_id": self.company_ma.id,
                "show_cod": False,
                "show_qr": False,
            }
        )
        output = parcel._tms_render_labels("escpos", layout)
        self.assertIn(b"{B" + parcel.tracking_number.encode(), output)
        self.assertNotIn(b"99.00", output)
        self.assertNotIn(b"\x1d(k", output)  # no QR code
        full = parcel._tms_render_labels("escpos", self.layout)
        self.assertIn(f"99.00 {parcel.cod_currency_id.name}".encode(), full)
        with self.assertRaises(UserError):
            parcel._tms_render_labels("svg")

    def test_company_default_layout_and_captions_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        layout = self.env["tms.label.layout"].create(
            {
                "name": "Maroc",
                "company_id": self.company_ma.id,
                "is_default": True,
                "paper_format": "100x100",
                "lang": "fr_FR",
            }
        )
        Layout = self.env["tms.label.layout"]
        self.assertEqual(Layout._tms_default_layout(self.company_ma), layout)
        self.assertEqual(Layout._tms_default_layout(self.company_fr), self.layout)
        with self.assertRaises(ValidationError):
            Layout.create(
                {"name": "Second", "company_id": self.company_ma.id, "is_default": True}
            )
        tool_layout = layout._tms_tool_layout("zpl")
        self.assertEqual((tool_layout.width_mm, tool_layout.height_mm), (100, 100))
        # the other company's users do not see it
        self.assertFalse(
            Layout.with_user(self.user_fr).search([("id", "=", layout.id)])
        )
        zpl = self._create_parcel()._tms_render_labels("zpl")
        self.assertIn(b"^LL800\n", zpl)  # 100 mm

    # ----------------------------------------------------------------------------------
    # the wizard and the print log
    # ----------------------------------------------------------------------------------
    def test_wizard_downloads_a_pdf_and_logs_reprints(self):
        parcels = self._create_parcel() | self._create_parcel()
        wizard = self._wizard(parcels)
        self.assertEqual(wizard.parcel_count, 2)
        self.assertEqual(wizard.label_format, "pdf")
        self.assertEqual(wizard.layout_id, self.layout)
        self.assertFalse(wizard.background)
        action = wizard.action_print()
        # the file downloads, the dialog closes and says what was made
        self.assertEqual(action["tag"], "tms_label_download")
        self.assertEqual(action["params"]["message"], "2 labels downloaded as PDF.")
        attachment_id = int(action["params"]["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        self.assertEqual(attachment.res_model, "tms.label.batch")
        self.assertEqual(parcels.mapped("label_print_count"), [1, 1])
        log = parcels[0].label_print_ids
        self.assertEqual(log.user_id, self.user_ma)
        self.assertFalse(log.is_reprint)
        self.assertEqual(log.label_format, "pdf")
        self.assertIn("Label printed", parcels[0].message_ids[0].body)
        # a second print is a reprint, in the log and in the history
        wizard = self._wizard(parcels[0])
        self.assertEqual(wizard.reprint_count, 1)
        wizard.action_print()
        self.assertEqual(parcels[0].label_print_count, 2)
        reprint = parcels[0].label_print_ids.sorted("id")[-1]
        self.assertTrue(reprint.is_reprint)
        self.assertEqual(reprint.print_number, 2)
        self.assertIn("Label reprinted (print no. 2", parcels[0].message_ids[0].body)

    def test_wizard_order(self):
        first = self._create_parcel(recipient_city="Rabat")
        second = self._create_parcel(recipient_city="Agadir")
        wizard = self._wizard(second | first, order="selection")
        self.assertEqual(wizard._tms_ordered_parcels(), second | first)
        wizard.order = "recipient_city"
        self.assertEqual(wizard._tms_ordered_parcels(), second | first)
        wizard.order = "tracking_number"
        self.assertEqual(wizard._tms_ordered_parcels(), first | second)

    def test_wizard_sends_to_the_users_network_printer(self):
        printer = self.env["tms.printer"].create(
            {
                "name": "Zebra dock",
                "language": "zpl",
                "dpi": 300,
                "host": "127.0.0.1",
                "company_id": self.company_ma.id,
            }
        )
        self.user_ma.user_default_printer_id = printer
        parcel = self._create_parcel()
        wizard = self._wizard(parcel)
        self.assertEqual(wizard.printer_id, printer)
        self.assertEqual(wizard.label_format, "zpl")
        action = wizard.action_print()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["message"], "1 label sent to Zebra dock.")
        self.assertEqual(
            action["params"]["next"], {"type": "ir.actions.act_window_close"}
        )
        job = self.env["tms.print.job"].search([("parcel_ids", "in", parcel.ids)])
        self.assertEqual(job.state, "queued")
        self.assertEqual(job.printer_id, printer)
        self.assertIn(b"^PW1200", job.attachment_id.raw)  # 300 dpi
        self.assertEqual(parcel.label_print_ids.printer_id, printer)
        self.assertEqual(parcel.label_print_ids.job_id, job)
        # a PDF cannot go to a ZPL printer
        wizard = self._wizard(parcel, printer_id=printer.id)
        wizard.label_format = "pdf"
        with self.assertRaises(UserError):
            wizard.action_print()

    def test_wizard_download_printer(self):
        printer = self.env["tms.printer"].create(
            {
                "name": "Office",
                "language": "pdf",
                "connection": "download",
                "company_id": self.company_ma.id,
            }
        )
        parcel = self._create_parcel()
        action = self._wizard(parcel, printer_id=printer.id, copies=3).action_print()
        job = self.env["tms.print.job"].search([("parcel_ids", "in", parcel.ids)])
        self.assertEqual(
            action["params"]["url"],
            f"/web/content/{job.attachment_id.id}?download=true",
        )
        self.assertEqual(action["params"]["message"], "3 labels downloaded as PDF.")
        self.assertEqual(job.state, "done")

    def test_print_from_the_transfer(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_ma.id)], limit=1
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "company_id": self.company_ma.id,
                "partner_id": self.recipient_ma.id,
            }
        )
        parcels = self._create_parcel(picking_id=picking.id) | self._create_parcel(
            picking_id=picking.id
        )
        self._create_parcel()  # another parcel, not of this transfer
        wizard = (
            self.Wizard.with_user(self.user_ma)
            .with_context(active_model="stock.picking", active_ids=picking.ids)
            .create({})
        )
        self.assertEqual(wizard.parcel_ids, parcels)
        data = parcels._tms_labels_data()
        self.assertEqual([d.parcel_count for d in data], ["1/2", "2/2"])
        empty = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "company_id": self.company_ma.id,
            }
        )
        with self.assertRaises(UserError):
            self.Wizard.with_context(
                active_model="stock.picking", active_ids=empty.ids
            ).create({})

    def test_big_batches_run_in_the_background(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "tms_core.label_background_threshold", "2"
        )
        parcels = self.env["tms.parcel"]
        for _i in range(5):
            parcels |= self._create_parcel()
        wizard = self._wizard(parcels)
        self.assertTrue(wizard.background)
        action = wizard.action_print()
        batch = self.env["tms.label.batch"].browse(action["res_id"])
        self.assertEqual(batch.state, "queued")
        self.assertEqual(batch.user_id, self.user_ma)
        self.assertFalse(parcels.filtered("label_print_count"))
        Batch = self.env["tms.label.batch"]
        self.env["ir.config_parameter"].sudo().set_param(
            "tms_core.label_background_threshold", "200"
        )
        # the cron renders a chunk at a time; the progress shows on the batch
        with unittest.mock.patch(
            "odoo.addons.tms_core.models.labels.tms_label_batch.CHUNK_SIZE", 2
        ):
            Batch._cron_process()
            self.assertEqual(batch.state, "running")
            self.assertEqual(batch.done_count, 2)
            self.assertAlmostEqual(batch.progress, 40.0)
            Batch._cron_process()
            Batch._cron_process()
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.progress, 100.0)
        self.assertFalse(batch.chunk_attachment_ids)
        self.assertEqual(batch.attachment_id.raw.count(b"/Type /Page\n"), 5)
        self.assertEqual(parcels.mapped("label_print_count"), [1] * 5)
        self.assertEqual(parcels.label_print_ids.batch_id, batch)
        # the requester is told
        notifications = [
            json.loads(value["message"])
            for value in self.env.cr.precommit.data.get("bus.bus.values", [])
        ]
        self.assertTrue(
            any(
                n["type"] == "simple_notification"
                and "are ready" in n["payload"]["message"]
                for n in notifications
            )
        )
        self.assertEqual(batch.action_download()["type"], "ir.actions.act_url")

    def test_failed_batch_is_visible(self):
        parcels = self._create_parcel() | self._create_parcel()
        batch = self.env["tms.label.batch"].create(
            {
                "name": "broken",
                "company_id": self.company_ma.id,
                "label_format": "pdf",
                "parcel_ids": [(6, 0, parcels.ids)],
                "parcel_order": parcels.ids,
                "parcel_count": 2,
                "user_id": self.user_ma.id,
            }
        )
        with (
            unittest.mock.patch.object(
                type(self.env["tms.parcel"]),
                "_tms_render_labels",
                side_effect=UserError("No label layout exists"),
            ),
            self.assertLogs(
                "odoo.addons.tms_core.models.labels.tms_label_batch", "ERROR"
            ),
        ):
            self.env["tms.label.batch"]._cron_process()
        self.assertEqual(batch.state, "failed")
        self.assertIn("No label layout exists", batch.error)
        batch.action_retry()
        self.assertEqual(batch.state, "queued")

    # ----------------------------------------------------------------------------------
    # outsiders
    # ----------------------------------------------------------------------------------
    def test_outsiders_cannot_print(self):
        parcel = self._create_parcel()
        # another company's operator
        with self.assertRaises(AccessError):
            parcel.with_user(self.user_fr)._tms_render_labels("zpl")
        with self.assertRaises(AccessError):
            self.env["tms.label.batch"].with_user(self.user_fr)._tms_create_batch(
                parcel.with_user(self.user_fr), "pdf"
            )
        # a driver (read-only, and only his own parcels)
        driver = self._create_tms_user("driver_ma", self.company_ma, "group_tms_driver")
        with self.assertRaises(AccessError):
            self.Wizard.with_user(driver).with_context(
                active_model="tms.parcel", active_ids=parcel.ids
            ).create({})
        # a portal user
        portal = self.env["res.users"].create(
            {
                "name": "Portal",
                "login": "portal_labels",
                "company_id": self.company_ma.id,
                "company_ids": [(6, 0, self.company_ma.ids)],
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        with self.assertRaises(AccessError):
            parcel.with_user(portal)._tms_render_labels("pdf")
        with self.assertRaises(AccessError):
            self.env["tms.label.print"].with_user(portal).search([])
        # nothing was logged
        self.assertFalse(parcel.label_print_ids)


def _barcode(commands):
    names = [command for command, _params in commands]
    return commands[names.index("BC") + 1][1][2:]
