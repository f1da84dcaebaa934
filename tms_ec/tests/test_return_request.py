# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import uuid
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import common as odoo_test_common
from odoo.tests import tagged

from odoo.addons.tms_core.tests.common import TmsCommon

# queue_job's test helpers register themselves in odoo.tests.common.SETATTR_SOURCES,
# which Odoo 18.0 builds before its introduction lack.
if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}
from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402


def notified(trap):
    """``[(return, step)]`` of the notification jobs a trap caught."""
    return [
        (call.method.__self__, call.args[0])
        for call in trap.calls
        if call.method.__name__ == "_tms_ec_send_notification"
    ]


class ReturnCommon(TmsCommon):
    """A shop (Boutique Atlas) whose parcel, two kaftans and a pair of babouches,
    was delivered to Fatima in Casablanca two days ago."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shipper_ma.write(
            {
                "is_company": True,
                "street": "45 Boulevard d'Anfa",
                "zip": "20000",
                "email": "atlas@example.com",
            }
        )
        cls.recipient_ma.email = "fatima@example.com"
        cls.hub_cas.partner_id = cls.env["res.partner"].create(
            {
                "name": "Casablanca Depot",
                "street": "Route de Médiouna",
                "city": "Casablanca",
                "zip": "20250",
                "country_id": cls.morocco.id,
                "company_id": cls.company_ma.id,
            }
        )
        cls.manager_ma = cls._create_tms_user(
            "manager_ma", cls.company_ma, "group_tms_manager"
        )
        ref = cls.env.ref
        cls.reason_size = ref("tms_ec.tms_return_reason_wrong_size")
        cls.reason_wrong_item = ref("tms_ec.tms_return_reason_wrong_item")
        cls.reason_damaged = ref("tms_ec.tms_return_reason_damaged")
        cls.Return = cls.env["tms.return"]
        cls.parcel = cls._delivered_parcel()

    @classmethod
    def _delivered_parcel(cls, days_ago=2, company=None, **vals):
        company = company or cls.company_ma
        delivered_at = fields.Datetime.now() - timedelta(days=days_ago)
        values = {
            "company_id": company.id,
            "shipper_id": cls.shipper_ma.id if company == cls.company_ma else False,
            "recipient_id": cls.recipient_ma.id if company == cls.company_ma else False,
            "service_id": cls.service_std.id,
            "state": "confirmed",
            "client_reference": "ATLAS-1042",
            "date_shipping": delivered_at - timedelta(days=1),
            "line_ids": [
                Command.create(
                    {"name": "Caftan brodé", "quantity": 2, "weight": 0.8, "value": 900}
                ),
                Command.create(
                    {
                        "name": "Babouches cuir",
                        "quantity": 1,
                        "weight": 0.4,
                        "value": 250,
                    }
                ),
            ],
        }
        values.update(vals)
        parcel = cls.env["tms.parcel"].with_company(company).create(values)
        for hours, state in enumerate(("picked_up", "at_hub", "out_for_delivery")):
            parcel._set_state(
                state,
                event_date=delivered_at - timedelta(hours=3 - hours),
                hub_id=cls.hub_cas.id if company == cls.company_ma else False,
            )
        parcel._set_state("delivered", event_date=delivered_at)
        return parcel

    def _items(self, *specs, parcel=None):
        """``specs``: (line index, quantity, reason)."""
        lines = (parcel or self.parcel).line_ids
        return [
            {"parcel_line_id": lines[index].id, "quantity": qty, "reason_id": reason.id}
            for index, qty, reason in specs
        ]

    def _request(self, *specs, parcel=None, comment=None):
        with trap_jobs() as trap:
            ret = self.Return._tms_ec_request(
                parcel or self.parcel, self._items(*specs, parcel=parcel), comment
            )
        return ret, notified(trap)


@tagged("post_install", "-at_install")
class TestReturnRequest(ReturnCommon):
    def test_request_waits_for_the_merchant(self):
        ret, notifications = self._request(
            (0, 1, self.reason_size), comment="  Trop petit, je voudrais du L.  "
        )
        self.assertEqual(ret.state, "requested")
        self.assertTrue(ret.name.startswith("RMA/"))
        self.assertEqual(ret.company_id, self.company_ma)
        self.assertEqual(ret.partner_id, self.recipient_ma)
        self.assertEqual(ret.shipper_id, self.shipper_ma)
        self.assertEqual(ret.customer_note, "Trop petit, je voudrais du L.")
        self.assertEqual(ret.line_ids.description, "Caftan brodé")
        self.assertEqual(ret.line_ids.quantity, 1)
        self.assertEqual(ret.line_ids.value, 900)
        self.assertFalse(ret.return_parcel_id, "no parcel before the approval")
        self.assertTrue(ret.access_token)
        # the merchant's TMS managers get a to-do; the customer hears it is registered
        self.assertIn(self.manager_ma, ret.activity_ids.user_id)
        self.assertEqual(notifications, [(ret, "requested")])
        self.assertEqual(self.parcel.tms_return_ids, ret)
        self.assertEqual(
            ret.date_deadline, self.parcel.date_delivered + timedelta(days=14)
        )

    def test_reason_that_approves_at_once_creates_the_return_parcel(self):
        ret, notifications = self._request(
            (0, 2, self.reason_wrong_item), (1, 1, self.reason_damaged)
        )
        self.assertEqual(ret.state, "approved")
        self.assertTrue(ret.merchant_fault)
        self.assertEqual(notifications, [(ret, "approved")], "one message, not two")
        self.assertFalse(ret.activity_ids)
        parcel = ret.return_parcel_id
        self.assertEqual(parcel.state, "confirmed")
        self.assertTrue(parcel.tracking_number)
        self.assertEqual(ret.return_tracking_number, parcel.tracking_number)
        self.assertEqual(parcel.tms_return_id, ret)
        # from the customer back to the shop, under the return's reference
        self.assertEqual(parcel.shipper_id, self.recipient_ma)
        self.assertEqual(parcel.recipient_id, self.shipper_ma)
        self.assertEqual(parcel.recipient_city, "Casablanca")
        self.assertEqual(parcel.client_reference, ret.name)
        self.assertEqual(parcel.service_id.service_type, "return")
        self.assertFalse(parcel.cod_amount)
        self.assertAlmostEqual(parcel.weight, 2 * 0.8 + 0.4)
        self.assertEqual(
            parcel.line_ids.mapped("name"), ["Caftan brodé", "Babouches cuir"]
        )

    def test_weight_is_the_items_share_when_lines_have_none(self):
        parcel = self._delivered_parcel(
            weight=3.0,
            line_ids=[
                Command.create({"name": "Tajine", "quantity": 2}),
                Command.create({"name": "Théière", "quantity": 1}),
            ],
        )
        parcel.weight = 3.0
        ret, _notifications = self._request(
            (1, 1, self.reason_wrong_item), parcel=parcel
        )
        self.assertAlmostEqual(ret.return_parcel_id.weight, 1.0)

    def test_parcel_without_recipient_contact(self):
        # a shop or API parcel: the recipient is only written on the parcel
        parcel = self._delivered_parcel(
            recipient_id=False,
            recipient_name="Youssef Amrani",
            recipient_phone="0677889900",
            recipient_email="youssef@example.com",
            recipient_city="Rabat",
            recipient_country_id=self.morocco.id,
        )
        ret, _notifications = self._request((0, 1, self.reason_size), parcel=parcel)
        customer = ret.partner_id
        self.assertEqual(customer.name, "Youssef Amrani")
        self.assertEqual(customer.email, "youssef@example.com")
        self.assertEqual(customer.city, "Rabat")
        self.assertEqual(ret._tms_ec_notification_target()["phone"], "+212677889900")

    def test_approval_policies_of_the_shipper(self):
        self.shipper_ma.tms_return_approval = "manual"
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        self.assertEqual(ret.state, "requested", "manual: even a wrong item waits")
        self.shipper_ma.tms_return_approval = "automatic"
        ret, _notifications = self._request((1, 1, self.reason_size))
        self.assertEqual(ret.state, "approved", "automatic within the window")

    def test_policy_of_a_shop_contact_is_its_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Nadia (Boutique Atlas)", "parent_id": self.shipper_ma.id}
        )
        warehouse = self.env["res.partner"].create(
            {
                "name": "Atlas Entrepôt",
                "parent_id": self.shipper_ma.id,
                "type": "delivery",
                "street": "Zone industrielle Sapino",
                "city": "Nouaceur",
            }
        )
        self.shipper_ma.write(
            {"tms_return_approval": "automatic", "tms_return_address_id": warehouse.id}
        )
        self.assertEqual(contact.tms_return_approval, "automatic")
        parcel = self._delivered_parcel(shipper_id=contact.id)
        ret, _notifications = self._request((0, 1, self.reason_size), parcel=parcel)
        self.assertEqual(ret.state, "approved")
        self.assertEqual(ret.return_parcel_id.recipient_id, warehouse)
        self.assertEqual(ret.return_parcel_id.recipient_city, "Nouaceur")

    def test_request_outside_the_window_is_refused(self):
        old = self._delivered_parcel(days_ago=20)
        count = self.Return.search_count([])
        with self.assertRaisesRegex(UserError, "return period of this parcel ended"):
            self.Return._tms_ec_request(
                old, self._items((0, 1, self.reason_wrong_item), parcel=old)
            )
        self.assertFalse(old._tms_ec_can_return())
        # the shop's own window wins over the company's 14 days
        self.shipper_ma.tms_return_window_days = 30
        self.assertTrue(old._tms_ec_can_return())
        self.shipper_ma.tms_return_window_days = 1
        with self.assertRaisesRegex(UserError, "return period"):
            self.Return._tms_ec_request(
                self.parcel, self._items((0, 1, self.reason_wrong_item))
            )
        self.assertEqual(self.Return.search_count([]), count, "nothing created")

    def test_only_delivered_parcels_can_be_returned(self):
        parcel = self._create_parcel(
            state="confirmed", line_ids=[Command.create({"name": "Tapis"})]
        )
        with self.assertRaisesRegex(UserError, "Only a delivered parcel"):
            self.Return._tms_ec_request(
                parcel, self._items((0, 1, self.reason_size), parcel=parcel)
            )
        self.assertFalse(parcel._tms_ec_can_return())

    def test_quantities_and_items_are_checked(self):
        Return = self.Return
        count = Return.search_count([])
        other = self._delivered_parcel()
        cases = [
            ([], "at least one item"),
            (self._items((0, 0, self.reason_size)), "at least one item"),
            (self._items((0, 3, self.reason_size)), "at most 2 of Caftan brodé"),
            (self._items((0, -1, self.reason_size)), "must be positive"),
            (self._items((0, 1, self.reason_size), parcel=other), "not in this parcel"),
            (
                [{"parcel_line_id": self.parcel.line_ids[0].id, "quantity": 1}],
                "Choose why",
            ),
            (
                [
                    {
                        "parcel_line_id": self.parcel.line_ids[0].id,
                        "quantity": "beaucoup",
                        "reason_id": self.reason_size.id,
                    }
                ],
                "Enter a number",
            ),
            (
                self._items((0, 1, self.reason_size), (0, 1, self.reason_damaged)),
                "one reason",
            ),
        ]
        for items, message in cases:
            with (
                self.subTest(message=message),
                self.assertRaisesRegex(UserError, message),
            ):
                Return._tms_ec_request(self.parcel, items)
        # a reason of another company cannot be chosen
        foreign = self.env["tms.return.reason"].create(
            {"name": "Raison FR", "code": "fr_only", "company_id": self.company_fr.id}
        )
        with self.assertRaisesRegex(UserError, "Choose why"):
            Return._tms_ec_request(self.parcel, self._items((0, 1, foreign)))
        self.assertEqual(Return.search_count([]), count, "nothing created")

    def test_returned_quantities_are_not_returned_twice(self):
        first, _notifications = self._request((0, 2, self.reason_size))
        left = self.parcel._tms_ec_returnable_quantities()
        self.assertEqual(left[self.parcel.line_ids[0].id], 0)
        self.assertEqual(left[self.parcel.line_ids[1].id], 1)
        with self.assertRaisesRegex(UserError, "at most 0 of Caftan"):
            self.Return._tms_ec_request(
                self.parcel, self._items((0, 1, self.reason_wrong_item))
            )
        self._request((1, 1, self.reason_size))
        self.assertFalse(self.parcel._tms_ec_can_return(), "everything is on its way")
        # a refused return gives its items back
        first.refusal_reason = "Article soldé, ni repris ni échangé."
        first.with_user(self.user_ma).action_refuse()
        self.assertTrue(self.parcel._tms_ec_can_return())
        self._request((0, 2, self.reason_wrong_item))

    def test_refusal_needs_a_reason_and_a_transport_user(self):
        ret, _notifications = self._request((0, 1, self.reason_size))
        with self.assertRaisesRegex(UserError, "Refusal Reason"):
            ret.with_user(self.user_ma).action_refuse()
        ret.refusal_reason = "Produit porté."
        portal = self.env["res.users"].create(
            {
                "name": "Fatima",
                "login": "fatima_portal",
                "partner_id": self.recipient_ma.id,
                "company_id": self.company_ma.id,
                "company_ids": [Command.set(self.company_ma.ids)],
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        with self.assertRaises(AccessError):
            ret.with_user(portal).action_approve()
        with self.assertRaises(AccessError):
            ret.with_user(portal).action_refuse()
        with trap_jobs() as trap:
            ret.with_user(self.user_ma).action_refuse()
        self.assertEqual(ret.state, "refused")
        self.assertEqual(notified(trap), [(ret, "refused")])
        self.assertFalse(ret.activity_ids, "the manager's to-do is done")
        with self.assertRaises(UserError):
            ret.with_user(self.user_ma).action_approve()

    def test_manual_approval_by_a_transport_user(self):
        ret, _notifications = self._request((0, 1, self.reason_size))
        with trap_jobs() as trap:
            ret.with_user(self.user_ma).action_approve()
        self.assertEqual(ret.state, "approved")
        self.assertTrue(ret.date_approved)
        self.assertEqual(ret.return_parcel_id.state, "confirmed")
        self.assertEqual(notified(trap), [(ret, "approved")])
        self.assertFalse(ret.activity_ids)
        # cancelled: the parcel is cancelled and the items may be returned again
        ret.with_user(self.user_ma).action_cancel()
        self.assertEqual(ret.state, "cancelled")
        self.assertEqual(ret.return_parcel_id.state, "cancelled")
        self.assertEqual(
            self.parcel._tms_ec_returnable_quantities()[self.parcel.line_ids[0].id], 2
        )

    def test_user_of_another_company_cannot_read_the_return(self):
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        Return = self.Return.with_user(self.user_fr)
        self.assertFalse(Return.search([]))
        with self.assertRaises(AccessError):
            Return.browse(ret.id).read(["name"])
        with self.assertRaises(AccessError):
            Return.browse(ret.id).action_approve()

    def test_drop_off_scan_at_a_hub_moves_the_return(self):
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        parcel = ret.return_parcel_id
        Scan = (
            self.env["tms.scan"]
            .with_user(self.user_ma)
            .with_context(allowed_company_ids=self.company_ma.ids)
        )
        with trap_jobs() as trap:
            # the customer shows the QR code (the tracking number) at the hub
            result = Scan.scan(
                parcel.tracking_number,
                "pickup",
                {"hub_id": self.hub_cas.id, "idempotency_key": str(uuid.uuid4())},
            )
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(parcel.state, "picked_up")
        self.assertEqual(ret.state, "in_transit")
        self.assertEqual(notified(trap), [(ret, "in_transit")])
        # the next scans move the parcel, not the return (nor the customer's phone)
        with trap_jobs() as trap:
            parcel.with_user(self.user_ma)._set_state("at_hub", hub_id=self.hub_cas.id)
        self.assertEqual(ret.state, "in_transit")
        self.assertFalse(notified(trap))
        # delivered back to the shop: received
        with trap_jobs() as trap:
            parcel.with_user(self.user_ma)._set_state("out_for_delivery")
            parcel.with_user(self.user_ma)._set_state("delivered")
        self.assertEqual(ret.state, "received")
        self.assertTrue(ret.date_received)
        self.assertEqual(notified(trap), [(ret, "received")])

    def test_return_label_goes_from_the_customer_to_the_shop(self):
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        parcel = ret.return_parcel_id
        data = parcel._tms_label_data(is_return=True)
        self.assertTrue(data.is_return)
        self.assertEqual(data.shipper.name, self.recipient_ma.name)
        self.assertEqual(data.recipient.name, self.shipper_ma.name)
        self.assertEqual(data.reference, ret.name)
        pdf = parcel._tms_render_labels("pdf", is_return=True)
        self.assertTrue(pdf.startswith(b"%PDF"))
        # an ordinary parcel's return label still swaps the blocks
        data = self.parcel._tms_label_data(is_return=True)
        self.assertEqual(data.recipient.name, self.shipper_ma.name)

    def test_sale_order_of_the_parcel_is_linked(self):
        product = self.env["product.product"].create(
            {"name": "Caftan brodé", "type": "consu", "weight": 0.8}
        )
        order = (
            self.env["sale.order"]
            .with_company(self.company_ma)
            .create(
                {
                    "partner_id": self.recipient_ma.id,
                    "company_id": self.company_ma.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 2})
                    ],
                }
            )
        )
        order.action_confirm()
        parcel = self._delivered_parcel(
            picking_id=order.picking_ids[:1].id,
            line_ids=[Command.create({"product_id": product.id, "quantity": 2})],
        )
        ret, _notifications = self._request((0, 1, self.reason_size), parcel=parcel)
        self.assertEqual(ret.sale_order_id, order)
        self.assertEqual(ret.line_ids.sale_line_id, order.order_line)
        self.assertEqual(ret.line_ids.product_id, product)


@tagged("post_install", "-at_install")
class TestReturnNotification(ReturnCommon):
    def _run(self, ret, step):
        with trap_jobs() as trap:
            ret._tms_ec_notify(step)
            trap.perform_enqueued_jobs()
        return trap

    def test_notifications_run_in_the_background(self):
        ret, notifications = self._request((0, 1, self.reason_wrong_item))
        self.assertEqual(notifications, [(ret, "approved")])
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "tms.return"), ("res_id", "=", ret.id)]
            ),
            "nothing is sent inside the request",
        )
        with self.assertRaises(UserError):
            ret._tms_ec_notify("teleported")

    def test_approved_email_has_the_qr_code_and_the_link(self):
        ret, _notifications = self._request((0, 1, self.reason_wrong_item))
        self._run(ret, "approved")
        mail = self.env["mail.mail"].search(
            [("model", "=", "tms.return"), ("res_id", "=", ret.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "fatima@example.com")
        self.assertIn(ret.name, mail.subject)
        body = str(mail.body_html)
        self.assertIn("/report/barcode/?barcode_type=QR", body)
        self.assertIn(ret.return_tracking_number, body)
        self.assertIn(f"/return/{ret.access_token}", body)
        self.assertIn("Casablanca Depot", body, "where to drop it")
        # and an SMS through Odoo's SMS queue to the customer's mobile
        sms = self.env["sms.sms"].search([("number", "=", "+212612345678")])
        self.assertEqual(len(sms), 1)
        self.assertIn(ret.return_tracking_number, sms.body)
        self.assertIn(f"/return/{ret.access_token}", sms.body)

    def test_every_step_has_its_email(self):
        ret, _notifications = self._request((0, 1, self.reason_size))
        for step in (
            "requested",
            "approved",
            "refused",
            "in_transit",
            "received",
            "inspected",
            "refunded",
            "done",
        ):
            template = self.env.ref(f"tms_ec.tms_return_mail_template_{step}")
            self.assertEqual(template.model, "tms.return")
            self._run(ret, step)
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "tms.return"),
                ("res_id", "=", ret.id),
                ("email_to", "=", "fatima@example.com"),
            ]
        )
        self.assertEqual(len(mails), 8)
        self.assertEqual(len(set(mails.mapped("subject"))), 8)

    def test_email_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.recipient_ma.lang = "fr_FR"
        ret, _notifications = self._request((0, 1, self.reason_size))
        self.assertEqual(ret._tms_ec_notify_lang(), "fr_FR")
        template = self.env.ref("tms_ec.tms_return_mail_template_requested")
        self.assertEqual(
            template._render_lang(ret.ids)[ret.id], "fr_FR", "rendered in French"
        )

    def test_sms_through_the_carriers_gateway(self):
        gateway = self.env["tms.sms.gateway"].create(
            {
                "name": "Passerelle SMS",
                "company_id": self.company_ma.id,
                "url": "https://sms.example.com/send",
            }
        )
        ret, _notifications = self._request((0, 1, self.reason_size))
        with trap_jobs() as trap:
            ret._tms_ec_notify("requested")
            trap.perform_enqueued_jobs()
            sms_jobs = [
                call
                for call in trap.calls
                if call.method.__name__ == "_tms_send_sms_gateway"
            ]
        log = self.env["tms.notification.log"].search(
            [("sms_gateway_id", "=", gateway.id)]
        )
        self.assertEqual(len(log), 1)
        self.assertEqual(log.address, "+212612345678")
        self.assertIn(ret.name, log.body)
        self.assertEqual(log.parcel_id, self.parcel)
        self.assertEqual(len(sms_jobs), 1, "a retried job sends it")

    def test_no_mobile_no_sms(self):
        self.recipient_ma.mobile = False
        parcel = self._delivered_parcel()
        parcel.recipient_phone = False
        ret, _notifications = self._request((0, 1, self.reason_size), parcel=parcel)
        self._run(ret, "requested")
        self.assertFalse(self.env["sms.sms"].search([("body", "ilike", ret.name)]))
        self.assertTrue(
            self.env["mail.mail"].search(
                [("model", "=", "tms.return"), ("res_id", "=", ret.id)]
            )
        )
