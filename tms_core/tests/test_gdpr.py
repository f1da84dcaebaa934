# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import json
import re
from datetime import timedelta

from PIL import Image

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.tms_core.tests.common import TmsCommon


def _png():
    image = Image.new("RGB", (4, 4), "blue")
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    return base64.b64encode(stream.getvalue())


PNG = _png()


def _attachment_id(action):
    return int(re.match(r"^/web/content/(\d+)\?download=true$", action["url"]).group(1))


@tagged("post_install", "-at_install")
class TestGdprAnonymize(TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_ma.tms_gdpr_anonymize_days = 30
        cls.recipient_fr = cls.env["res.partner"].create(
            {
                "name": "Jeanne Moreau",
                "street": "8 rue des Lilas",
                "city": "Lyon",
                "zip": "69003",
                "country_id": cls.france.id,
                "email": "jeanne@example.fr",
                "mobile": "+33612345678",
                "company_id": cls.company_fr.id,
            }
        )
        cls.cron = cls.env.ref("tms_core.ir_cron_tms_gdpr_anonymize")

    def _deliver(self, parcel, days_ago, final_state="delivered", **event_vals):
        """Move ``parcel`` to ``final_state`` along allowed transitions, then date its
        last events ``days_ago`` days back."""
        path = ["confirmed", "picked_up", "at_hub"]
        path += (
            ["returning", "returned"] if final_state == "returned" else [final_state]
        )
        for state in path:
            parcel._set_state(state, **event_vals)
        past = fields.Datetime.now() - timedelta(days=days_ago)
        parcel.with_context(tms_event_apply=True).write(
            {"last_event_date": past, "date_delivered": past}
        )
        return parcel

    def _old_delivered_parcel(self, company=None, days_ago=40, **vals):
        company = company or self.company_ma
        if company == self.company_fr:
            vals.setdefault("recipient_id", self.recipient_fr.id)
        parcel = self._create_parcel(company, **vals)
        return self._deliver(
            parcel,
            days_ago,
            note="Left with the neighbour, call 06 12 34 56 78",
            location="12 Rue Ibnou Mounir, 3rd floor",
            latitude=33.5731,
            longitude=-7.5898,
        )

    def test_cron_erases_personal_data_of_old_delivered_parcel(self):
        maarif = self.env["tms.zone"].create(
            {
                "name": "Maarif",
                "code": "CAS-MAA",
                "company_id": self.company_ma.id,
                "country_id": self.morocco.id,
                "zip_prefixes": "2025",
                "sequence": 1,
                "hub_id": self.hub_cas.id,
            }
        )
        parcel = self._old_delivered_parcel(
            note="<p>Fatima Zahra Benali asked for an evening delivery</p>",
            client_reference="SHOP-777",
        )
        photo = self.env["ir.attachment"].create(
            {
                "name": "door.jpg",
                "datas": PNG,
                "res_model": "tms.parcel",
                "res_id": parcel.id,
            }
        )
        label = self.env["ir.attachment"].create(
            {
                "name": "label.pdf",
                "raw": b"%PDF Fatima",
                "res_model": "tms.parcel",
                "res_id": parcel.id,
            }
        )
        parcel.write(
            {
                "pod_receiver_name": "Fatima Z.",
                "pod_signature": PNG,
                "pod_photo_ids": [(6, 0, photo.ids)],
            }
        )
        signature = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "tms.parcel"),
                ("res_id", "=", parcel.id),
                ("res_field", "=", "pod_signature"),
            ]
        )
        self.assertTrue(signature)
        zone, hub, tracking = (
            parcel.zone_id,
            parcel.destination_hub_id,
            parcel.tracking_number,
        )
        event_count = len(parcel.event_ids)
        self.assertEqual(zone, maarif)

        self.env["tms.parcel"]._cron_tms_gdpr_anonymize()

        self.assertTrue(parcel.anonymized)
        self.assertTrue(parcel.date_anonymized)
        for fname in (
            "recipient_id",
            "recipient_name",
            "recipient_phone",
            "recipient_email",
            "recipient_street",
            "recipient_street2",
            "pod_receiver_name",
            "pod_signature",
            "pod_photo_ids",
            "note",
        ):
            self.assertFalse(parcel[fname], f"{fname} still holds personal data")
        # kept for statistics
        self.assertEqual(parcel.recipient_city, "Casablanca")
        self.assertEqual(parcel.recipient_country_id, self.morocco)
        self.assertEqual(parcel.recipient_zip, "20")
        self.assertEqual(parcel.zone_id, zone)
        self.assertEqual(parcel.destination_hub_id, hub)
        self.assertEqual(parcel.tracking_number, tracking)
        self.assertEqual(parcel.client_reference, "SHOP-777")
        self.assertEqual(parcel.state, "delivered")
        # files are gone, not just unlinked
        self.assertFalse((photo | label | signature).exists())
        # events: all kept, none holds a place or a note
        self.assertEqual(len(parcel.event_ids), event_count)
        for event in parcel.event_ids:
            self.assertFalse(event.note)
            self.assertFalse(event.location)
            self.assertEqual((event.latitude, event.longitude), (0.0, 0.0))
        # the contact itself is left alone: it may serve other documents
        self.assertEqual(self.recipient_ma.name, "Fatima Zahra Benali")

    def test_chatter_keeps_no_personal_data(self):
        tracked = self.env["tms.parcel"].with_context(
            tracking_disable=False, mail_notrack=False, mail_create_nolog=False
        )
        other_recipient = self.env["res.partner"].create(
            {
                "name": "Youssef Alaoui",
                "city": "Rabat",
                "country_id": self.morocco.id,
                "company_id": self.company_ma.id,
            }
        )
        parcel = tracked.browse(
            self._old_delivered_parcel(recipient_id=other_recipient.id).id
        )
        # the parcel was made with tracking off: end that transaction's tracking first
        self.env.flush_all()
        self.env.cr.precommit.run()
        parcel.recipient_id = (
            self.recipient_ma
        )  # tracked: "Youssef Alaoui -> Fatima ..."
        parcel.message_post(body="Customer Fatima Zahra Benali called: ring twice")
        parcel.message_post(body="Reached on +212 6 12 34 56 78, all good")
        parcel.message_post(body="Driver was late, apologised to the shop")
        parcel.message_subscribe(partner_ids=self.recipient_ma.ids)
        parcel.activity_schedule(
            "mail.mail_activity_data_call",
            summary="Call Fatima Zahra Benali",
            user_id=self.env.user.id,
        )
        self.env.flush_all()
        self.env.cr.precommit.run()  # writes the tracking values
        tracking = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.res_id", "=", parcel.id),
                ("mail_message_id.model", "=", "tms.parcel"),
            ]
        )
        self.assertIn("Youssef Alaoui", tracking.mapped("old_value_char"))

        self.env["tms.parcel"]._cron_tms_gdpr_anonymize()
        self.env.flush_all()

        self.assertTrue(parcel.anonymized)
        messages = self.env["mail.message"].search(
            [("model", "=", "tms.parcel"), ("res_id", "=", parcel.id)]
        )
        chatter = " ".join(
            [m.body or "" for m in messages]
            + messages.tracking_value_ids.mapped(
                lambda t: f"{t.old_value_char} {t.new_value_char}"
            )
        )
        for secret in ("Fatima", "Benali", "Youssef", "56 78", "Ibnou Mounir"):
            self.assertNotIn(secret, chatter)
        self.assertIn("Driver was late", chatter, "unrelated messages are kept")
        self.assertIn("personal data was erased", chatter)
        self.assertNotIn(self.recipient_ma, parcel.message_partner_ids)
        self.assertFalse(parcel.activity_ids)

    def test_recent_and_open_parcels_are_kept(self):
        recent = self._old_delivered_parcel(days_ago=10)
        open_parcel = self._create_parcel()
        open_parcel._set_state("confirmed")
        open_parcel._set_state("picked_up")
        open_parcel.write(
            {"last_event_date": fields.Datetime.now() - timedelta(days=90)}
        )
        lost = self._create_parcel()
        for state in ("confirmed", "picked_up", "lost"):
            lost._set_state(state)
        lost.write({"last_event_date": fields.Datetime.now() - timedelta(days=90)})
        self.env["tms.parcel"]._cron_tms_gdpr_anonymize()
        for parcel in recent | open_parcel | lost:
            self.assertFalse(parcel.anonymized)
            self.assertEqual(parcel.recipient_name, "Fatima Zahra Benali")
            self.assertTrue(parcel.recipient_phone)

    def test_returned_and_cancelled_parcels_are_anonymised(self):
        returned = self._deliver(self._create_parcel(), 40, final_state="returned")
        cancelled = self._create_parcel()
        cancelled.action_cancel()
        cancelled.write({"last_event_date": fields.Datetime.now() - timedelta(days=31)})
        self.env["tms.parcel"]._cron_tms_gdpr_anonymize()
        self.assertTrue(returned.anonymized)
        self.assertTrue(cancelled.anonymized)
        self.assertFalse(returned.recipient_name or cancelled.recipient_name)

    def test_company_without_delay_keeps_its_data(self):
        self.assertEqual(self.company_fr.tms_gdpr_anonymize_days, 0, "off by default")
        parcel_ma = self._old_delivered_parcel(days_ago=400)
        parcel_fr = self._old_delivered_parcel(self.company_fr, days_ago=400)
        self.env["tms.parcel"]._cron_tms_gdpr_anonymize()
        self.assertTrue(parcel_ma.anonymized)
        self.assertFalse(parcel_fr.anonymized)
        self.assertEqual(parcel_fr.recipient_name, "Jeanne Moreau")
        self.assertEqual(parcel_fr.recipient_email, "jeanne@example.fr")
        self.assertTrue(any(event.note for event in parcel_fr.event_ids))

    def test_each_company_uses_its_own_delay(self):
        self.company_fr.tms_gdpr_anonymize_days = 90
        parcel_ma = self._old_delivered_parcel(days_ago=40)
        parcel_fr = self._old_delivered_parcel(self.company_fr, days_ago=40)
        self.env["tms.parcel"]._cron_tms_gdpr_anonymize()
        self.assertTrue(parcel_ma.anonymized)
        self.assertFalse(parcel_fr.anonymized)
        self.assertEqual(parcel_fr.recipient_street, "8 rue des Lilas")

    def test_nothing_to_do_when_disabled_everywhere(self):
        self.company_ma.tms_gdpr_anonymize_days = 0
        parcel = self._old_delivered_parcel(days_ago=400)
        self.env["tms.parcel"]._cron_tms_gdpr_anonymize()
        self.assertFalse(parcel.anonymized)

    def test_events_stay_read_only_outside_anonymisation(self):
        parcel = self._old_delivered_parcel()
        with self.assertRaises(UserError):
            parcel.event_ids[0].write({"note": False})
        # the flag alone, sent by a client, opens nothing
        operator_event = parcel.event_ids[0].with_user(self.user_ma)
        with self.assertRaises(UserError):
            operator_event.with_context(tms_event_anonymize=True).write({"note": "x"})
        self.assertTrue(parcel.event_ids[0].note)

    def test_operator_of_another_company_cannot_anonymise(self):
        parcel = self._old_delivered_parcel()
        with self.assertRaises(AccessError):
            parcel.with_user(self.user_fr)._tms_anonymize()
        self.assertFalse(parcel.anonymized)

    def test_cron_works_in_batches_and_reports_progress(self):
        parcels = (
            self._old_delivered_parcel()
            | self._old_delivered_parcel()
            | self._old_delivered_parcel()
        )
        cron, progress = self.cron._add_progress()
        Parcel = self.env["tms.parcel"].with_context(
            ir_cron_progress_id=progress.id, cron_id=cron.id
        )
        Parcel._cron_tms_gdpr_anonymize(batch_size=2)
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        self.assertEqual(len(parcels.filtered("anonymized")), 2)
        Parcel._cron_tms_gdpr_anonymize(batch_size=2)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertTrue(all(parcels.mapped("anonymized")))
        # a third run finds nothing and changes nothing
        dates = parcels.mapped("date_anonymized")
        Parcel._cron_tms_gdpr_anonymize(batch_size=2)
        self.assertEqual((progress.done, progress.remaining), (0, 0))
        self.assertEqual(parcels.mapped("date_anonymized"), dates)

    def test_manual_run_schedules_the_rest(self):
        self._old_delivered_parcel()
        self._old_delivered_parcel()
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", self.cron.id)])
        self.env["tms.parcel"]._cron_tms_gdpr_anonymize(batch_size=1)
        self.assertEqual(
            Trigger.search_count([("cron_id", "=", self.cron.id)]), before + 1
        )

    def test_cron_is_active_and_daily(self):
        self.assertTrue(self.cron.active)
        self.assertEqual(
            (self.cron.interval_number, self.cron.interval_type), (1, "days")
        )
        self.cron.method_direct_trigger()


@tagged("post_install", "-at_install")
class TestGdprExport(TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_ma = cls._create_tms_user(
            "manager_ma", cls.company_ma, "group_tms_manager"
        )
        cls.manager_fr = cls._create_tms_user(
            "manager_fr", cls.company_fr, "group_tms_manager"
        )

    def _parcels(self):
        as_recipient = self._create_parcel()
        as_recipient.write(
            {"line_ids": [(0, 0, {"name": "Caftan", "quantity": 1, "weight": 0.8})]}
        )
        as_recipient._set_state("confirmed", note="Ring twice")
        # created from the API with a copied phone number but no contact
        by_phone = self._create_parcel(
            recipient_id=False,
            recipient_name="F. Benali",
            recipient_phone="0612345678",
            recipient_city="Casablanca",
            recipient_country_id=self.morocco.id,
        )
        someone_else = self._create_parcel(
            recipient_id=self.shipper_ma.copy({"name": "Karim Idrissi"}).id
        )
        return as_recipient, by_phone, someone_else

    def test_export_data_holds_every_parcel_about_the_person(self):
        as_recipient, by_phone, someone_else = self._parcels()
        data = self.recipient_ma.with_user(self.manager_ma)._tms_gdpr_export_data()
        json.dumps(data)  # JSON-ready without a custom encoder
        self.assertEqual(data["partner"]["name"], "Fatima Zahra Benali")
        by_number = {p["tracking_number"]: p for p in data["parcels"]}
        self.assertEqual(
            set(by_number), {as_recipient.tracking_number, by_phone.tracking_number}
        )
        self.assertNotIn(someone_else.tracking_number, by_number)
        exported = by_number[as_recipient.tracking_number]
        self.assertEqual(exported["recipient_name"], "Fatima Zahra Benali")
        self.assertEqual(exported["recipient_phone"], "+212612345678")
        self.assertEqual(exported["recipient_id"]["id"], self.recipient_ma.id)
        self.assertEqual(exported["state"], "confirmed")
        self.assertEqual([line["name"] for line in exported["lines"]], ["Caftan"])
        self.assertEqual(
            sorted(e["state"] for e in exported["events"]), ["confirmed", "draft"]
        )
        self.assertIn("Ring twice", [e["note"] for e in exported["events"]])
        self.assertNotIn("access_token", exported)

    def test_shipper_gets_the_parcels_it_sent(self):
        parcel = self._create_parcel()
        data = self.shipper_ma.with_user(self.manager_ma)._tms_gdpr_export_data()
        self.assertEqual([p["id"] for p in data["parcels"]], [parcel.id])

    def test_export_action_downloads_a_private_file(self):
        parcel = self._create_parcel()
        action = self.recipient_ma.with_user(self.manager_ma).action_tms_gdpr_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertRegex(action["url"], r"^/web/content/\d+\?download=true$")
        attachment = self.env["ir.attachment"].browse(_attachment_id(action))
        content = json.loads(attachment.with_user(self.manager_ma).raw)
        self.assertEqual(
            content["parcels"][0]["tracking_number"], parcel.tracking_number
        )
        self.assertEqual(attachment.mimetype, "application/json")
        # nobody else may read it, not even another manager
        other = self._create_tms_user(
            "manager_ma2", self.company_ma, "group_tms_manager"
        )
        with self.assertRaises(AccessError):
            attachment.with_user(other).read(["raw"])

    def test_export_is_for_managers_only(self):
        self._create_parcel()
        with self.assertRaises(AccessError):
            self.recipient_ma.with_user(self.user_ma).action_tms_gdpr_export()
        portal = self.env["res.users"].create(
            {
                "name": "Portal",
                "login": "portal_gdpr",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.recipient_ma.with_user(portal).action_tms_gdpr_export()
        with self.assertRaises(UserError):
            (self.recipient_ma | self.shipper_ma).with_user(
                self.manager_ma
            ).action_tms_gdpr_export()

    def test_export_stays_within_the_managers_companies(self):
        self._create_parcel()
        data = self.recipient_ma.with_user(self.manager_fr)._tms_gdpr_export_data()
        self.assertEqual(data["parcels"], [])

    def test_old_exports_are_deleted(self):
        action = self.recipient_ma.with_user(self.manager_ma).action_tms_gdpr_export()
        attachment = self.env["ir.attachment"].browse(_attachment_id(action))
        self.env["res.partner"]._gc_tms_gdpr_exports()
        self.assertTrue(attachment.exists(), "a fresh export is kept")
        self.env.cr.execute(
            "UPDATE ir_attachment SET create_date = now() - interval '2 days' "
            "WHERE id = %s",
            [attachment.id],
        )
        attachment.invalidate_recordset()
        self.env["res.partner"]._gc_tms_gdpr_exports()
        self.assertFalse(attachment.exists())
