# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from urllib.parse import unquote

from lxml import etree

from odoo.tools.safe_eval import safe_eval

from .common import TmsCommon


class TestParcelBackOffice(TmsCommon):
    """What the back office and the drivers see of parcels: search, columns, cards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Parcel = cls.env["tms.parcel"].with_user(cls.user_ma)

    def _deliver(self, parcel):
        for state in ("confirmed", "picked_up", "at_hub", "delivered"):
            parcel._set_state(state)

    def _search_view_domain(self, value):
        """The domain the search view builds when ``value`` is searched as a
        tracking number."""
        arch = self.Parcel.get_views([(False, "search")])["views"]["search"]["arch"]
        field = etree.fromstring(arch).xpath("//field[@name='tracking_number']")[0]
        return safe_eval(field.get("filter_domain"), {"self": value})

    def test_search_a_tracking_number_as_typed(self):
        parcel = self._create_parcel(tracking_number="RR999999718MA")
        self._deliver(parcel)
        self.assertEqual(parcel.state, "delivered")
        for typed in ("rr 999999718 ma", "RR-999999718-MA", "rr999999718", "9718ma"):
            with self.subTest(typed=typed):
                self.assertEqual(
                    self.Parcel.search(self._search_view_domain(typed)), parcel
                )
                self.assertEqual(
                    [pid for pid, _name in self.Parcel.name_search(typed)], parcel.ids
                )
        self.assertFalse(
            self.Parcel.search(self._search_view_domain("rr 999999721 ma"))
        )
        # excluding a number works on the typed form too
        self.assertNotIn(
            parcel,
            self.Parcel.search(
                [("tracking_number_search", "not ilike", "rr 999999718 ma")]
            ),
        )

    def test_parcels_menu_hides_no_state(self):
        """A delivered parcel is found from the Parcels menu: no default filter hides
        it, and the empty page does not invite to create a parcel."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_parcel_action"
        )
        context = safe_eval(action.get("context") or "{}", {"uid": self.user_ma.id})
        self.assertFalse([key for key in context if key.startswith("search_default_")])
        self.assertNotIn("Create a parcel", action["help"])

    def test_kanban_columns_follow_the_lifecycle(self):
        delivered = self._create_parcel()
        self._deliver(delivered)
        at_hub = self._create_parcel()
        for state in ("confirmed", "picked_up", "at_hub"):
            at_hub._set_state(state)
        confirmed = self._create_parcel()
        confirmed._set_state("confirmed")
        parcels = delivered | at_hub | confirmed
        groups = self.Parcel.web_read_group(
            [("id", "in", parcels.ids)], ["state"], ["state"]
        )["groups"]
        self.assertEqual(
            [group["state"] for group in groups], ["confirmed", "at_hub", "delivered"]
        )

    def test_driver_card_has_phone_and_map(self):
        parcel = self._create_parcel()
        self.assertEqual(parcel.recipient_phone, "+212612345678")
        url = parcel.recipient_map_url
        self.assertTrue(
            url.startswith("https://www.google.com/maps/search/?api=1&query=")
        )
        self.assertEqual(
            unquote(url.split("query=")[1]),
            "12 Rue Ibnou Mounir, 20250 Casablanca, Morocco",
        )
        kanban = etree.fromstring(
            self.Parcel.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        )
        card = kanban.xpath("//t[@t-name='card']")[0]
        self.assertTrue(card.xpath(".//field[@name='recipient_street']"))
        self.assertTrue(
            card.xpath(".//field[@name='recipient_phone'][@widget='phone']")
        )
        self.assertTrue(card.xpath(".//a[contains(@t-att-href, 'recipient_map_url')]"))
        self.assertTrue(card.xpath(".//a[contains(@t-att-href, 'tel:')]"))
