# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import THURSDAY, Tms3plCommon


def _mar(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute)


class SlaReportCommon(Tms3plCommon):
    """In March, the client Boutique Atlas has a parcel on time, one late after a
    refusal and one never delivered; another client, Souk Rif, one late parcel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carrier = cls.env["tms.carrier"].create(
            {"name": "Atlas Fret", "company_id": cls.company_ma.id}
        )
        cls.other_client = cls.env["res.partner"].create(
            {
                "name": "Souk Rif",
                "is_company": True,
                "company_id": cls.company_ma.id,
                "email": "rif@example.com",
            }
        )
        cls.shipper_ma.is_company = True
        cls.policy.partner_id = False  # J+1 for every client
        with freeze_time(THURSDAY):
            cls.on_time, cls.refused, cls.lost, cls.other = (
                cls.env["tms.parcel"]
                .with_company(cls.company_ma)
                .create(
                    [
                        {
                            "company_id": cls.company_ma.id,
                            "shipper_id": shipper.id,
                            "recipient_id": cls.recipient_ma.id,
                            "service_id": cls.service_std.id,
                            "zone_id": cls.zone_cas.id,
                            "carrier_id": cls.carrier.id,
                            "weight": 1.0,
                            "state": "confirmed",
                            "date_shipping": THURSDAY,
                        }
                        for shipper in (cls.shipper_ma,) * 3 + (cls.other_client,)
                    ]
                )
            )
        Event = cls.env["tms.parcel.event"]
        with freeze_time(_mar(25, 12)):
            Event._record(
                [
                    {
                        "parcel_id": cls.on_time.id,
                        "state": "at_hub",
                        "event_date": _mar(19, 12),
                        "hub_id": cls.hub_cas.id,
                    },
                    {
                        "parcel_id": cls.on_time.id,
                        "state": "delivered",
                        "event_date": _mar(23, 16),
                    },
                    {
                        "parcel_id": cls.refused.id,
                        "state": "at_hub",
                        "event_date": _mar(19, 12),
                        "hub_id": cls.hub_cas.id,
                    },
                    {
                        "parcel_id": cls.refused.id,
                        "state": "out_for_delivery",
                        "event_date": _mar(23, 9),
                    },
                    {
                        "parcel_id": cls.refused.id,
                        "state": "failed",
                        "event_date": _mar(23, 10),
                        "failure_reason_id": cls.reason_refused.id,
                    },
                    {
                        "parcel_id": cls.refused.id,
                        "state": "out_for_delivery",
                        "event_date": _mar(24, 9),
                    },
                    {
                        "parcel_id": cls.refused.id,
                        "state": "delivered",
                        "event_date": _mar(24, 10),
                    },
                    {
                        "parcel_id": cls.other.id,
                        "state": "at_hub",
                        "event_date": _mar(19, 12),
                        "hub_id": cls.hub_cas.id,
                    },
                    {
                        "parcel_id": cls.other.id,
                        "state": "delivered",
                        "event_date": _mar(25, 10),
                    },
                ]
            )
            # the SLA job, every 15 minutes: the parcel never delivered is breached
            cls.env["tms.parcel"]._cron_tms_sla_update()
        cls.report = cls.env["tms.sla.client.report"].create(
            {
                "company_id": cls.company_ma.id,
                "partner_id": cls.shipper_ma.id,
                "date_from": date(2026, 3, 17),
            }
        )


@tagged("post_install", "-at_install")
class TestSlaReport(SlaReportCommon):
    def test_states_behind_the_figures(self):
        self.assertEqual(self.on_time.sla_state, "met")
        self.assertEqual(self.refused.sla_state, "met_late")
        self.assertEqual(self.lost.sla_state, "breached")

    def test_figures_of_the_month(self):
        self.assertEqual(self.report.date_from, date(2026, 3, 1))
        figures = self.report._tms_figures()
        self.assertEqual(figures["total"]["parcels"], 3)
        self.assertEqual(figures["total"]["on_time"], 1)
        self.assertEqual(figures["total"]["late"], 2)
        self.assertEqual(figures["total"]["rate"], 33.3)
        causes = {row["label"]: row["late"] for row in figures["by_cause"]}
        self.assertEqual(causes, {self.reason_refused.name: 1, "Not Delivered": 1})
        self.assertEqual(
            [(row["label"], row["parcels"]) for row in figures["by_carrier"]],
            [("Atlas Fret", 3)],
        )
        self.assertEqual(figures["by_zone"][0]["label"], "Casablanca")
        self.assertEqual(figures["parcels"].parcel_id, self.refused | self.lost)

    def test_pdf_lists_the_parcels_behind_the_figures(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("tms_3pl.action_report_sla_client", self.report.ids)[0]
            .decode()
        )
        self.assertIn(self.refused.tracking_number, html)
        self.assertIn(self.lost.tracking_number, html)
        self.assertIn("33.3 %", html)
        self.assertNotIn(self.on_time.tracking_number, html, "only late parcels")
        self.assertNotIn(self.other.tracking_number, html, "another client's")

    def test_pdf_in_arabic_reads_right_to_left(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.shipper_ma.lang = "ar_001"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("tms_3pl.action_report_sla_client", self.report.ids)[0]
            .decode()
        )
        # printed by an English-speaking user, in the client's language
        self.assertIn('class="page" dir="rtl"', html)
        self.assertIn(self.refused.tracking_number, html)

    def test_pdf_in_the_clients_language_and_direction(self):
        """Printed by an English-speaking user: the month in the client's language,
        and in Arabic the first column on the right, the figures on the left, read
        left to right."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.shipper_ma.lang = "fr_FR"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("tms_3pl.action_report_sla_client", self.report.ids)[0]
            .decode()
        )
        self.assertIn("mars 2026", html)
        self.assertNotIn("March 2026", html)
        self.env["res.lang"]._activate_lang("ar_001")
        self.shipper_ma.lang = "ar_001"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("tms_3pl.action_report_sla_client", self.report.ids)[0]
            .decode()
        )
        self.assertIn("مارس 2026", html)
        page = html[html.index('class="page"') : html.index('class="footer')]
        self.assertNotIn("text-start", page)
        self.assertNotIn("text-end", page)
        self.assertRegex(page, r'<th style="text-align: right">[^<]+</th>')
        self.assertRegex(
            page, r'<td style="text-align: left">\s*<span dir="ltr">3</span>'
        )
        self.assertIn('<span dir="ltr">33.3 %</span>', page)

    def test_monthly_run_mails_each_client_its_report(self):
        self.report.unlink()
        with freeze_time(datetime(2026, 4, 1, 5, 0)):
            reports = self.env["tms.sla.client.report"]._cron_tms_send_last_month()
            again = self.env["tms.sla.client.report"]._cron_tms_send_last_month()
        self.assertFalse(again, "one report a client a month")
        self.assertEqual(reports.partner_id, self.shipper_ma | self.other_client)
        self.assertEqual(set(reports.mapped("state")), {"sent"})
        for report in reports:
            message = self.env["mail.message"].search(
                [
                    ("model", "=", report._name),
                    ("res_id", "=", report.id),
                    ("message_type", "=", "comment"),
                ]
            )

            self.assertIn(report.partner_id, message.partner_ids)
            self.assertEqual(len(message.attachment_ids), 1)
            self.assertTrue(message.attachment_ids.name.startswith("SLA-2026-03"))

    def test_months_end_at_midnight_where_the_company_works(self):
        """In Tokyo, a parcel due on 31 March at 17:00 UTC is due on 1 April: it is
        in the April report, not in March's, and so is the scheduled run's month."""
        with freeze_time(_mar(30, 10)):
            parcel = self._parcel(date_shipping=_mar(30, 10))
        self.assertEqual(parcel.sla_date_due, _mar(31, 17))
        self.assertEqual(parcel.sla_client_id, self.shipper_ma)
        self.report.invalidate_recordset(["parcel_count"])
        self.assertEqual(self.report.parcel_count, 4)
        self.company_ma.resource_calendar_id.tz = "Asia/Tokyo"
        self.report.invalidate_recordset(["parcel_count"])
        self.assertEqual(self.report.parcel_count, 3)
        april = self.env["tms.sla.client.report"].create(
            {
                "company_id": self.company_ma.id,
                "partner_id": self.shipper_ma.id,
                "date_from": date(2026, 4, 1),
            }
        )
        self.assertEqual(april.parcel_count, 1)
        # 31 March, 20:00 UTC: already 1 April in Tokyo, so March's reports go out
        self.report.unlink()
        with freeze_time(datetime(2026, 3, 31, 20, 0)):
            reports = self.env["tms.sla.client.report"]._cron_tms_send_last_month()
        self.assertEqual(set(reports.mapped("date_from")), {date(2026, 3, 1)})

    def test_dashboard_on_time_rate(self):
        Analysis = self.env["tms.sla.report"].with_company(self.company_ma)
        [(client, rate)] = Analysis._read_group(
            [("client_id", "=", self.shipper_ma.id), ("closed_count", "=", 1)],
            ["client_id"],
            ["on_time_rate:avg"],
        )
        self.assertAlmostEqual(rate, 100 / 3, places=1)
        self.assertFalse(self.env["tms.sla.report"].with_user(self.user_fr).search([]))
        self.assertFalse(
            self.env["tms.sla.client.report"].with_user(self.user_fr).search([])
        )


@tagged("post_install", "-at_install")
class TestSlaPortal(HttpCase, SlaReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = cls.env.ref("base.group_portal")
        cls.other_report = cls.env["tms.sla.client.report"].create(
            {
                "company_id": cls.company_ma.id,
                "partner_id": cls.other_client.id,
                "date_from": date(2026, 3, 1),
            }
        )
        cls.portal_atlas, cls.portal_rif = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": name,
                        "login": login,
                        "password": login,
                        "company_id": cls.company_ma.id,
                        "company_ids": [(6, 0, cls.company_ma.ids)],
                        "parent_id": parent.id,
                        "groups_id": [(6, 0, portal.ids)],
                    }
                    for name, login, parent in (
                        ("Atlas buyer", "portal_atlas", cls.shipper_ma),
                        ("Rif buyer", "portal_rif", cls.other_client),
                    )
                ]
            )
        )

    def test_client_sees_its_own_figures(self):
        self.authenticate("portal_atlas", "portal_atlas")
        page = self.url_open("/my/sla").text
        self.assertIn("33.3", page)
        self.assertEqual(page.count("o_tms_sla_row"), 1)

    def test_another_client_sees_none_of_them(self):
        self.authenticate("portal_rif", "portal_rif")
        page = self.url_open("/my/sla").text
        self.assertNotIn("33.3", page)
        self.assertEqual(page.count("o_tms_sla_row"), 1, "its own report only")
        response = self.url_open(f"/my/sla/{self.report.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(self.refused.tracking_number, response.text)
        own = self.url_open(f"/my/sla/{self.other_report.id}?report_type=html")
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.other.tracking_number, own.text)
        self.assertNotIn(self.refused.tracking_number, own.text)
