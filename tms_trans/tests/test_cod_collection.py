# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TmsTransCommon


@tagged("post_install", "-at_install")
class TestCodCollection(TmsTransCommon):
    """What a driver declares he collected at the door: checked, then recorded once."""

    def setUp(self):
        super().setUp()
        self.parcel = self._parcel_at_hub(self.places["Karim Alaoui"], cod_amount=350.0)

    def _assert_nothing_recorded(self):
        self.assertFalse(self.parcel.cod_collected_method)
        self.assertFalse(self.parcel.cod_collected_amount)

    def test_exact_cash_is_recorded(self):
        self.parcel.with_user(self.driver_a).sudo()._tms_record_cod_collection(
            350.0, "cash"
        )
        self.assertEqual(self.parcel.cod_collected_amount, 350.0)
        self.assertEqual(self.parcel.cod_collected_method, "cash")
        self.assertFalse(self.parcel.cod_difference_reason)
        self.assertTrue(self.parcel.cod_collected_date)

    def test_a_difference_must_be_explained(self):
        with self.assertRaisesRegex(UserError, "Explain the difference"):
            self.parcel._tms_record_cod_collection(300.0, "cash")
        self._assert_nothing_recorded()
        self.parcel._tms_record_cod_collection(
            300.0, "cash", reason="Customer kept 50 for a missing item"
        )
        self.assertEqual(self.parcel.cod_collected_amount, 300.0)
        self.assertEqual(
            self.parcel.cod_difference_reason, "Customer kept 50 for a missing item"
        )

    def test_cheque_needs_its_number(self):
        with self.assertRaisesRegex(UserError, "cheque number"):
            self.parcel._tms_record_cod_collection(350.0, "cheque", reference="  ")
        self._assert_nothing_recorded()
        self.parcel._tms_record_cod_collection(350.0, "cheque", reference="CHQ 0042")
        self.assertEqual(self.parcel.cod_collected_reference, "CHQ 0042")

    def test_bad_input_changes_nothing(self):
        with self.assertRaisesRegex(UserError, "Unknown payment method"):
            self.parcel._tms_record_cod_collection(350.0, "bitcoin")
        with self.assertRaisesRegex(UserError, "negative"):
            self.parcel._tms_record_cod_collection(-1.0, "cash", reason="x")
        no_cod = self._parcel_at_hub(self.places["Salma Idrissi"])
        with self.assertRaisesRegex(UserError, "no cash on delivery"):
            no_cod._tms_record_cod_collection(0.0, "cash")
        self._assert_nothing_recorded()
