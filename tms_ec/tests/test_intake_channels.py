# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The shared table of bad parcel inputs (tms_core ``tests/intake_cases.py``) through
the spreadsheet import and a shop order: the same message as the REST API gives (the
import names the field by its column), nothing created for the bad item, the valid
item of the same batch created."""

import base64
from decimal import Decimal

from odoo.addons.tms_core.tests.common import TmsCommon
from odoo.addons.tms_core.tests.intake_cases import (
    BAD_INPUTS,
    CHANNEL_SKIPS,
    CHANNEL_WARNINGS,
    apply_changes,
    valid_item,
)

from ..models.tms_ec_import import TARGET_PATHS
from ..tools.shop_base import ShopAddress, ShopOrder, ShopOrderLine
from .test_ec_import_wizard import FRENCH_HEADER, csv_file, order_row

# the columns of the import tests' file -> the paths of the intake schema
COLUMNS = {
    "N° Commande": "reference",
    "Nom du client": "recipient.name",
    "Téléphone": "recipient.phone",
    "Adresse": "recipient.street",
    "Ville": "recipient.city",
    "Code postal": "recipient.zip",
    "Poids": "weight",
    "Montant CRE": "cod_amount",
    "Service": "service",
    "Produit": "lines[0].description",
    "Quantité": "lines[0].quantity",
}


def _get(item, path):
    if path.startswith("lines[0]."):
        return (item.get("lines") or [{}])[0].get(path.split(".")[1])
    value = item
    for key in path.split("."):
        value = (value or {}).get(key)
    return value


class TestIntakeChannels(TmsCommon):
    def _cases(self, channel):
        for index, (name, changes, path, _code, message) in enumerate(BAD_INPUTS):
            if name in CHANNEL_SKIPS.get(channel, {}):
                continue
            yield index, name, apply_changes(valid_item(), changes), path, message

    def test_bad_inputs_through_the_spreadsheet_import(self):
        labels = self.env["tms.ec.import"]._tms_import_field_labels()
        label_of = {path: labels[target] for target, path in TARGET_PATHS.items()}
        rows, expected = [order_row("IMP-OK")], {}
        for index, name, item, path, message in self._cases("import"):
            reference = f"IMP-BAD-{index}" if path != "reference" else item["reference"]
            cells = {
                title: _get(item, item_path) for title, item_path in COLUMNS.items()
            }
            cells["N° Commande"] = reference
            row = order_row(
                reference,
                **{
                    title: "" if value is None else str(value)
                    for title, value in cells.items()
                },
            )
            rows.append(row)
            # row 1 holds the titles, row 2 the valid order
            # the import names the field by its column
            if message.startswith(path):
                message = label_of[path] + message[len(path) :]
            expected[len(rows) + 1] = (name, f"Row {len(rows) + 1}: {message}")
        self.assertEqual(set(FRENCH_HEADER) - set(COLUMNS), {"Remarque"})
        wizard = (
            self.env["tms.ec.import.wizard"]
            .with_user(self.user_ma)
            .create(
                {
                    "shipper_id": self.shipper_ma.id,
                    "file": base64.b64encode(csv_file(rows)),
                    "file_name": "commandes.csv",
                    "mode": "valid_only",
                }
            )
        )
        wizard.action_read_file()
        wizard.action_check()
        job = wizard.import_id
        errors = {line.row_number: line.errors for line in job.invalid_line_ids}
        for row_number, (name, message) in expected.items():
            with self.subTest(name):
                self.assertEqual(errors.get(row_number), message)
        job.action_import()
        self.assertEqual(job.created_count, 1)
        self.assertEqual(job.parcel_ids.client_reference, "IMP-OK")

    def _shop_order(self, external_id, item):
        recipient = item["recipient"]
        address = ShopAddress(
            name=recipient.get("name", ""),
            street=recipient.get("street", ""),
            city=recipient.get("city", ""),
            zip=recipient.get("zip", ""),
            country_code=recipient.get("country", ""),
            phone=recipient.get("phone", ""),
        )
        lines = [
            ShopOrderLine(
                external_id=f"{external_id}-1",
                sku="",
                name=line["description"],
                quantity=line["quantity"],
                price_unit=Decimal("299"),
                weight_kg=item["weight"],
            )
            for line in item["lines"]
        ]
        return ShopOrder(
            external_id=external_id,
            name=item["reference"] if len(item["reference"]) > 20 else external_id,
            created_at="2026-03-01T10:00:00+01:00",
            updated_at="2026-03-01T10:00:00+01:00",
            currency="MAD",
            total=Decimal(str(item["cod_amount"])),
            payment_status="cod",
            cancelled=False,
            customer=ShopAddress(name=address.name, country_code="MA"),
            shipping=address,
            lines=lines,
        )

    def test_bad_inputs_through_a_shop_order(self):
        backend = self.env["tms.ec.backend"].create(
            {
                "name": "Boutique Atlas",
                "company_id": self.company_ma.id,
                "shop_type": "woocommerce",
                "woo_url": "https://shop.example.com",
                "woo_consumer_key": "ck_test",
                "woo_consumer_secret": "cs_test",
                "service_id": self.service_std.id,
                "shipper_id": self.shipper_ma.id,
                "order_flow": "parcel",
            }
        )
        run = self.env["tms.ec.sync.run"].create(
            {"backend_id": backend.id, "trigger": "manual"}
        )
        shop_orders = [self._shop_order("SHOP-OK", valid_item())]
        expected = {}
        for index, name, item, _path, message in self._cases("shop"):
            shop_orders.append(self._shop_order(f"SHOP-BAD-{index}", item))
            expected[shop_orders[-1].external_id] = (name, message)
        logs = self.env["tms.ec.order"]._tms_ec_import(backend, shop_orders, run)
        by_id = {log.external_id: log for log in logs}
        self.assertEqual(by_id["SHOP-OK"].result, "imported")
        self.assertTrue(by_id["SHOP-OK"].ec_order_id.parcel_ids)
        warnings = CHANNEL_WARNINGS["shop"]
        for external_id, (name, message) in expected.items():
            with self.subTest(name):
                log = by_id[external_id]
                if name in warnings:
                    self.assertEqual(log.result, "imported")
                    self.assertIn(message, log.reason)
                    self.assertTrue(log.ec_order_id.parcel_ids)
                    continue
                self.assertEqual(log.result, "error")
                # a shop's weights come per line: a negative one is refused twice,
                # as the line's and as the parcel's
                self.assertIn(message, log.reason.split("\n"))
                self.assertFalse(log.ec_order_id)
                self.assertFalse(
                    self.env["tms.ec.order"].search([("external_id", "=", external_id)])
                )
        self.assertEqual(
            len(
                self.env["tms.parcel"].search(
                    [("tms_ec_order_id.backend_id", "=", backend.id)]
                )
            ),
            2,  # the valid order and the one with a doubtful phone
        )
