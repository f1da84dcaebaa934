# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

from odoo.addons.tms_core.tests import test_api
from odoo.addons.tms_core.tests.common import TmsCommon
from odoo.addons.tms_core.tests.intake_cases import (
    BAD_INPUTS,
    apply_changes,
    valid_item,
)


@tagged("post_install", "-at_install")
class TestParcelIntake(HttpCase, TmsCommon):
    _api_key = test_api.TestTmsApi.__dict__["_api_key"]
    call = test_api.TestTmsApi.call

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_ma.tms_api_rate_limit = 0
        cls.key_ma = cls._api_key(cls.user_ma)
        cls.Intake = (
            cls.env["tms.parcel.intake"]
            .with_user(cls.user_ma)
            .with_company(cls.company_ma)
        )

    def _parcels(self, reference):
        return self.env["tms.parcel"].search([("client_reference", "=", reference)])

    def test_bad_inputs_through_the_api(self):
        for index, (name, changes, path, code, message) in enumerate(BAD_INPUTS):
            with self.subTest(name):
                reference = f"API-BAD-{index}"
                item = apply_changes(valid_item(reference), changes)
                if path == "reference":
                    reference = item["reference"]
                response = self.call("POST", "/parcels", self.key_ma, item)
                self.assertIn(response.status_code, (400, 422), response.text)
                details = response.json()["error"]["details"]
                self.assertEqual(
                    [(e["field"], e["code"], e["message"]) for e in details],
                    [(path, code, message)],
                )
                self.assertFalse(self._parcels(reference))
        response = self.call("POST", "/parcels", self.key_ma, valid_item("API-OK"))
        self.assertEqual(response.status_code, 201, response.text)
        self.assertTrue(self._parcels("API-OK"))

    def test_mixed_batch_creates_the_valid_items_only(self):
        items = [valid_item("MIX-0")] + [
            apply_changes(valid_item(f"MIX-{i + 1}"), changes)
            for i, (_n, changes, *_rest) in enumerate(BAD_INPUTS)
            if "reference" not in changes
        ]
        results = self.Intake._tms_intake(items, "api", {"shipper": self.shipper_ma})
        self.assertEqual(results[0]["errors"], [])
        self.assertEqual(results[0]["parcel"], self._parcels("MIX-0"))
        self.assertEqual(results[0]["parcel"].shipper_id, self.shipper_ma)
        for result in results[1:]:
            self.assertIsNone(result["parcel"])
            self.assertEqual(len(result["errors"]), 1)
        self.assertEqual(
            len(
                self.env["tms.parcel"].search([("client_reference", "=like", "MIX-%")])
            ),
            1,
        )

    def test_message_in_french(self):
        if not self.env["res.lang"]._lang_get("fr_FR"):
            self.skipTest("French is not installed")
        item = apply_changes(valid_item("FR-1"), {"service": "TURBO"})
        result = self.Intake.with_context(lang="fr_FR")._tms_intake([item], "api")
        self.assertEqual(
            result[0]["errors"][0]["message"], "Aucun service actif n'a le code TURBO."
        )

    def test_recipient_policies(self):
        item = valid_item("POL-1")
        # the default: a delivery contact of its own, found again by the next parcel
        first = self.Intake._tms_intake([item], "api", {"shipper": self.shipper_ma})
        contact = first[0]["parcel"].recipient_id
        self.assertEqual((contact.type, contact.parent_id.id), ("delivery", False))
        # an address of the shipper, matched by its phone
        self.company_ma.tms_recipient_policy = "shipper_address"
        items = [
            dict(valid_item("POL-2")),
            apply_changes(valid_item("POL-3"), {"recipient.name": "F. Benali"}),
        ]
        parcels = [
            r["parcel"]
            for r in self.Intake._tms_intake(items, "api", {"shipper": self.shipper_ma})
        ]
        address = parcels[0].recipient_id
        self.assertEqual(address.parent_id, self.shipper_ma)
        self.assertEqual(address.type, "delivery")
        again = self.Intake._tms_intake(
            [apply_changes(valid_item("POL-4"), {"recipient.phone": "+212612345678"})],
            "api",
            {"shipper": self.shipper_ma},
        )
        self.assertEqual(again[0]["parcel"].recipient_id, address)
        # no contact at all
        self.company_ma.tms_recipient_policy = "none"
        none = self.Intake._tms_intake([valid_item("POL-5")], "api")
        self.assertFalse(none[0]["parcel"].recipient_id)
        self.assertEqual(none[0]["parcel"].recipient_city, "Casablanca")
