# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

# tms_core/static/tests/tours/tms_backoffice_tour.js and tms_driver_phone_tour.js
# look for this parcel
TRACKING_NUMBER = "RR999999995MA"


class TourParcelMixin:
    @classmethod
    def _create_user(cls, login, group):
        return cls.env["res.users"].create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "password": login,
                "groups_id": [(6, 0, [cls.env.ref(group).id])],
            }
        )

    @classmethod
    def _create_tour_parcel(cls, final_states, **vals):
        morocco = cls.env.ref("base.ma")
        recipient = cls.env["res.partner"].create(
            {
                "name": "Tour Recipient",
                "street": "7 Rue du Tour",
                "zip": "20250",
                "city": "Casablanca",
                "country_id": morocco.id,
                "mobile": "0661234567",
            }
        )
        parcel = cls.env["tms.parcel"].create(
            {
                "tracking_number": TRACKING_NUMBER,
                "recipient_id": recipient.id,
                "weight": 1.0,
                **vals,
            }
        )
        for state in final_states:
            parcel._set_state(state)
        return parcel


@tagged("post_install", "-at_install")
class TestBackOfficeTour(TourParcelMixin, HttpCase):
    def test_search_delivered_parcel_and_print_its_label(self):
        self._create_user("tms_back_office", "tms_core.group_tms_user")
        parcel = self._create_tour_parcel(
            ["confirmed", "picked_up", "at_hub", "delivered"]
        )
        self.assertEqual(parcel.state, "delivered")
        self.start_tour(
            "/odoo/action-tms_core.tms_parcel_action",
            "tms_backoffice_search_print_tour",
            login="tms_back_office",
            timeout=180,
        )
        self.assertEqual(parcel.label_print_count, 1)


@tagged("post_install", "-at_install")
class TestDriverPhoneTour(TourParcelMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_driver_sees_where_to_go_and_whom_to_call(self):
        driver = self._create_user("tms_tour_driver", "tms_core.group_tms_driver")
        parcel = self._create_tour_parcel(
            ["confirmed", "picked_up", "at_hub"], driver_id=driver.id
        )
        parcel._set_state("out_for_delivery")
        self.start_tour(
            "/odoo/action-tms_core.tms_parcel_action",
            "tms_driver_phone_tour",
            login="tms_tour_driver",
            timeout=180,
        )


@tagged("post_install", "-at_install")
class TestParcelListHeaders(TourParcelMixin, HttpCase):
    """The parcel list's column titles fit, in French and in Arabic, on a laptop's
    screen (the tours' browser window)."""

    def _check(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        user = self._create_user(f"tms_list_{lang}", "tms_core.group_tms_user")
        user.lang = lang
        self._create_tour_parcel(
            ["confirmed"],
            client_reference="SO-2026-000123",
            cod_amount=1450.0,
        )
        self.start_tour(
            "/odoo/action-tms_core.tms_parcel_action",
            "tms_parcel_list_headers_tour",
            login=user.login,
        )

    def test_french(self):
        self._check("fr_FR")

    def test_arabic(self):
        self._check("ar_001")
