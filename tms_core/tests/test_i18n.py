# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.tms_core.models.parcel.tms_parcel_event import TmsTransitionError
from odoo.addons.tms_core.tests.common import TmsCommon

NBSP = "\u00a0"  # French typography: a no-break space before ":" and inside « »


@tagged("post_install", "-at_install")
class TestI18n(TmsCommon):
    """The French and Arabic catalogues of tms_core load and show where users look."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lang = cls.env["res.lang"]
        cls.lang_fr = Lang._activate_lang("fr_FR")
        cls.lang_ar = Lang._activate_lang("ar_001")
        # overwrite: the catalogues on disk are what is tested, whatever the database
        # held before.
        cls.env["ir.module.module"].search(
            [("name", "=", "tms_core")]
        )._update_translations(["fr_FR", "ar_001"], overwrite=True)

    def _env_of(self, user, lang):
        """The environment a user with this preferred language works in."""
        user.lang = lang
        return self.env(user=user, context=user.with_user(user).context_get())

    def test_languages_and_direction(self):
        self.assertTrue(self.lang_fr.active)
        self.assertTrue(self.lang_ar.active)
        self.assertEqual(self.lang_fr.direction, "ltr")
        # Arabic is written right to left: the web client mirrors the layout for it.
        self.assertEqual(self.lang_ar.direction, "rtl")

    def test_field_labels_and_states(self):
        expected = {
            "fr_FR": {
                "tracking_number": "Numéro de suivi",
                "shipper_id": "Expéditeur",
                "recipient_id": "Destinataire",
                "cod_amount": "Contre-remboursement",
                "driver_id": "Livreur",
                "state": "Statut",
            },
            "ar_001": {
                "tracking_number": "رقم التتبع",
                "shipper_id": "المرسل",
                "recipient_id": "المستلم",
                "cod_amount": "الدفع عند الاستلام",
                "driver_id": "السائق",
                "state": "الحالة",
            },
        }
        states = {
            "fr_FR": {
                "delivered": "Livré",
                "out_for_delivery": "En cours de livraison",
                "failed": "Échec de livraison",
                "picked_up": "Pris en charge",
            },
            "ar_001": {
                "delivered": "تم التسليم",
                "out_for_delivery": "قيد التوصيل",
                "failed": "فشل التسليم",
                "picked_up": "تم الاستلام من المرسل",
            },
        }
        Parcel = self.env["tms.parcel"]
        for lang, labels in expected.items():
            with self.subTest(lang=lang):
                fields = Parcel.with_context(lang=lang).fields_get(
                    list(labels), ["string", "help", "selection"]
                )
                self.assertEqual(
                    {name: fields[name]["string"] for name in labels}, labels
                )
                selection = dict(fields["state"]["selection"])
                for state, label in states[lang].items():
                    self.assertEqual(selection[state], label)
                # Every state has a label of its own language, none left in English.
                english = dict(Parcel.fields_get(["state"])["state"]["selection"])
                self.assertFalse(
                    {
                        state
                        for state, label in selection.items()
                        if label == english[state]
                    }
                )
        # English stays the source language.
        self.assertEqual(
            Parcel.with_context(lang="en_US").fields_get(["tracking_number"])[
                "tracking_number"
            ]["string"],
            "Tracking Number",
        )

    def test_timeline_in_the_user_language(self):
        """Each operator reads the parcel's timeline in their own language."""
        parcel_ma = self._create_parcel(state="confirmed")
        parcel_fr = self._create_parcel(company=self.company_fr, state="confirmed")
        env_ar = self._env_of(self.user_ma, "ar_001")
        env_fr = self._env_of(self.user_fr, "fr_FR")
        self.assertEqual(env_ar.lang, "ar_001")
        self.assertEqual(
            parcel_ma.event_ids.with_env(env_ar).display_name,
            f"{parcel_ma.tracking_number}: بانتظار الاستلام من المرسل",
        )
        self.assertEqual(
            parcel_fr.event_ids.with_env(env_fr).display_name,
            f"{parcel_fr.tracking_number}: En attente d'enlèvement",
        )
        # Separate requests in real use; display_name of events does not declare its
        # dependency on the language yet, so start from an empty cache.
        self.env.invalidate_all()
        self.assertEqual(
            parcel_fr.event_ids.with_context(lang="en_US").display_name,
            f"{parcel_fr.tracking_number}: Awaiting Pickup",
        )

    def test_menu_name(self):
        menu = self.env.ref("tms_core.tms_parcel_menu")
        self.assertEqual(menu.with_context(lang="en_US").name, "Parcels")
        self.assertEqual(menu.with_context(lang="fr_FR").name, "Colis")
        self.assertEqual(menu.with_context(lang="ar_001").name, "الطرود")
        root = self.env.ref("tms_core.tms_menu_root")
        self.assertEqual(root.with_context(lang="fr_FR").name, "Transport")
        self.assertEqual(root.with_context(lang="ar_001").name, "النقل")

    def test_forbidden_transition_error_is_translated(self):
        parcel = self._create_parcel()
        Event = self.env["tms.parcel.event"]
        number = parcel.tracking_number
        events = parcel.event_ids
        with self.assertRaises(TmsTransitionError) as caught:
            Event.with_context(lang="fr_FR")._record(
                [{"parcel_id": parcel.id, "state": "delivered"}]
            )
        self.assertEqual(
            caught.exception.args[0],
            f"Le colis {number} ne peut pas passer de «{NBSP}Brouillon{NBSP}» "
            f"à «{NBSP}Livré{NBSP}».",
        )
        with self.assertRaises(TmsTransitionError) as caught:
            Event.with_context(lang="ar_001")._record(
                [{"parcel_id": parcel.id, "state": "delivered"}]
            )
        self.assertEqual(
            caught.exception.args[0],
            f"لا يمكن أن ينتقل الطرد {number} من الحالة «مسودة» "
            "إلى الحالة «تم التسليم».",
        )
        # The refused event changed nothing, whatever the language of the message.
        self.assertEqual(parcel.state, "draft")
        self.assertEqual(parcel.event_ids, events)

    def test_operator_gets_errors_in_own_language(self):
        """A Moroccan operator working in Arabic sees Arabic errors, with the tracking
        number kept as it is printed on the label."""
        parcel = self._create_parcel(state="confirmed")
        env_ar = self._env_of(self.user_ma, "ar_001")
        with self.assertRaises(TmsTransitionError) as caught:
            env_ar["tms.parcel.event"]._record(
                [{"parcel_id": parcel.id, "state": "returned"}]
            )
        message = caught.exception.args[0]
        self.assertIn(parcel.tracking_number, message)
        self.assertIn("«بانتظار الاستلام من المرسل»", message)
        self.assertIn("«تم الإرجاع»", message)
        self.assertEqual(parcel.state, "confirmed")
        with self.assertRaises(UserError) as caught:
            env_ar["tms.parcel"]._tms_parse_tracking_number("RR123456780MA")
        self.assertIn("رقم التحقق", caught.exception.args[0])

    def test_parcel_form_in_arabic(self):
        result = (
            self.env["tms.parcel"]
            .with_context(lang="ar_001")
            .get_views([(False, "form")])
        )
        arch = result["views"]["form"]["arch"]
        for text in (
            'string="تأكيد"',  # the Confirm button
            'string="إثبات التسليم"',  # the Proof of Delivery page
            'string="المحتويات والوزن"',  # Contents & Weight
            'confirm="هل تريد إلغاء هذا الطرد؟ يبقى رقم تتبعه محجوزًا."',
            "رقم هاتف المستلم غير صالح",  # the invalid phone alert
        ):
            self.assertIn(text, arch)
        for english in ("Proof of Delivery", "Contents &amp; Weight", "Shipment"):
            self.assertNotIn(english, arch)
        fields = result["models"]["tms.parcel"]["fields"]
        self.assertEqual(fields["tracking_number"]["string"], "رقم التتبع")
        self.assertEqual(fields["recipient_phone"]["string"], "هاتف المستلم")

    def test_parcel_form_in_french(self):
        arch = (
            self.env["tms.parcel"]
            .with_context(lang="fr_FR")
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('string="Preuve de livraison"', arch)
        self.assertIn('string="Expédition"', arch)
        self.assertNotIn("Proof of Delivery", arch)
