# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from ..tools import geo
from .test_sla_report import SlaReportCommon

# 10 April 2026: March is "last month"
APRIL = datetime(2026, 4, 10, 9, 0)
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-7.7, 33.5], [-7.5, 33.5], [-7.5, 33.65], [-7.7, 33.65], [-7.7, 33.5]]
    ],
}


class SlaMapCommon(SlaReportCommon):
    """March in Casablanca: 4 parcels due, 1 on time, 3 late (25 %); a second zone,
    Rabat, has no parcel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone_rba = cls.env["tms.zone"].create(
            {
                "name": "Rabat",
                "code": "RBA-1",
                "company_id": cls.company_ma.id,
                "country_id": cls.morocco.id,
                "zip_prefixes": "10",
            }
        )

    def _map(self, period="last_month", user=None, **filters):
        Zone = self.env["tms.zone"].with_company(self.company_ma)
        if user:
            Zone = (
                self.env["tms.zone"]
                .with_user(user)
                .with_context(allowed_company_ids=user.company_ids.ids)
            )
        with freeze_time(APRIL):
            return Zone.tms_sla_map_data(period, **filters)

    def _zone(self, data, zone):
        return next(z for z in data["zones"] if z["id"] == zone.id)


@tagged("post_install", "-at_install")
class TestSlaMap(SlaMapCommon):
    def test_on_time_rate_and_colour_by_zone(self):
        data = self._map()
        casablanca = self._zone(data, self.zone_cas)
        self.assertEqual(
            (casablanca["parcels"], casablanca["on_time"], casablanca["late"]),
            (4, 1, 3),
        )
        self.assertEqual(casablanca["rate"], 25.0)
        self.assertEqual(casablanca["level"], "poor")
        self.assertEqual(casablanca["breached"], 1, "the parcel never delivered")
        rabat = self._zone(data, self.zone_rba)
        self.assertEqual((rabat["parcels"], rabat["rate"]), (0, None))
        self.assertEqual(rabat["level"], "none")
        # worst first, zones without figures last
        self.assertEqual(data["zones"][0]["id"], self.zone_cas.id)
        # this month, nothing is due yet
        self.assertEqual(
            self._zone(self._map("this_month"), self.zone_cas)["rate"], None
        )
        self.assertEqual(
            self._zone(self._map("last_3_months"), self.zone_cas)["rate"], 25.0
        )

    def test_filters_by_carrier_and_client(self):
        data = self._map()
        self.assertEqual([c["id"] for c in data["carriers"]], self.carrier.ids)
        self.assertEqual(
            {c["id"] for c in data["clients"]},
            {self.shipper_ma.id, self.other_client.id},
        )
        rif = self._zone(self._map(client_id=self.other_client.id), self.zone_cas)
        self.assertEqual((rif["parcels"], rif["late"]), (1, 1))
        other_carrier = self.env["tms.carrier"].create(
            {"name": "Rif Express", "company_id": self.company_ma.id}
        )
        none = self._zone(self._map(carrier_id=other_carrier.id), self.zone_cas)
        self.assertEqual(none["parcels"], 0)

    def test_area_where_parcels_were_delivered(self):
        """Without an outline, the zone's area is the hull of the places its parcels
        were delivered; with one, its outline."""
        # as the drivers' phones recorded them
        for parcel, (latitude, longitude) in zip(
            (self.on_time, self.refused, self.other),
            ((33.60, -7.62), (33.55, -7.55), (33.58, -7.66)),
            strict=True,
        ):
            self.env.cr.execute(
                "UPDATE tms_parcel_event SET latitude = %s, longitude = %s "
                "WHERE parcel_id = %s AND state = 'delivered'",
                [latitude, longitude, parcel.id],
            )
        self.env.invalidate_all()
        casablanca = self._zone(self._map(), self.zone_cas)
        self.assertEqual(casablanca["area_source"], "deliveries")
        ring = casablanca["area"]["coordinates"][0]
        self.assertEqual(
            sorted(tuple(p) for p in ring[:-1]),
            [(-7.66, 33.58), (-7.62, 33.6), (-7.55, 33.55)],
        )
        self.zone_cas.map_area = json.dumps(SQUARE)
        casablanca = self._zone(self._map(), self.zone_cas)
        self.assertEqual(casablanca["area_source"], "zone")
        self.assertEqual(casablanca["area"], SQUARE)

    def test_zone_without_area_is_drawn_at_its_hub_or_listed(self):
        self.hub_cas.write({"latitude": 33.59, "longitude": -7.61})
        casablanca = self._zone(self._map(), self.zone_cas)
        self.assertEqual(casablanca["area_source"], "hub")
        self.assertEqual(casablanca["position"], [33.59, -7.61])
        rabat = self._zone(self._map(), self.zone_rba)
        self.assertEqual((rabat["area"], rabat["position"]), (None, None))

    def test_an_area_that_is_not_a_polygon_is_refused_and_changes_nothing(self):
        self.zone_cas.map_area = json.dumps(SQUARE)
        for text, reason in (
            ("{not json", "not JSON"),
            ('{"type": "Point", "coordinates": [-7.6, 33.6]}', "a Point"),
            (
                '{"type": "Polygon", "coordinates": [[[-7.6, 33.6], [-7.5, 33.6], '
                "[-7.5, 33.7]]]}",
                "fewer than 4 positions",
            ),
            (
                '{"type": "Polygon", "coordinates": [[[33.6, -7.6], [33.6, -7.5], '
                "[33.7, -200], [33.6, -7.6]]]}",
                "is not a longitude",
            ),
        ):
            with self.assertRaisesRegex(ValidationError, reason):
                with self.env.cr.savepoint():
                    self.zone_cas.map_area = text
            self.zone_cas.invalidate_recordset(["map_area"])
            self.assertEqual(json.loads(self.zone_cas.map_area), SQUARE)

    def test_late_parcels_of_a_zone(self):
        with freeze_time(APRIL):
            action = (
                self.env["tms.zone"]
                .with_company(self.company_ma)
                .tms_sla_map_action(self.zone_cas.id, "last_month")
            )
        late = self.env["tms.parcel"].search(action["domain"])
        self.assertEqual(late, self.refused | self.lost | self.other)
        self.assertEqual(
            action["views"][0][0], self.env.ref("tms_3pl.tms_parcel_view_list_sla").id
        )

    def test_another_company_sees_nothing(self):
        data = self._map(user=self.user_fr)
        self.assertNotIn(self.zone_cas.id, [z["id"] for z in data["zones"]])
        self.assertFalse(data["carriers"])
        self.assertFalse(data["clients"])

    def test_a_user_outside_transport_cannot_read_the_map(self):
        outsider = self.env["res.users"].create(
            {
                "name": "Accountant",
                "login": "accountant_ma",
                "company_id": self.company_ma.id,
                "company_ids": [(6, 0, self.company_ma.ids)],
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self._map(user=outsider)


@tagged("post_install", "-at_install")
class TestGeo(SlaMapCommon):
    def test_hull_leaves_inner_points_out(self):
        points = [(0, 0), (2, 0), (2, 2), (0, 2), (1, 1), (1, 0.5), (0, 0)]
        self.assertEqual(geo.convex_hull(points), [(0, 0), (2, 0), (2, 2), (0, 2)])
        self.assertIsNone(geo.hull_area([(0, 0), (1, 1), (2, 2)]), "on one line")

    def test_feature_collection_becomes_one_multipolygon(self):
        text = json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "geometry": SQUARE},
                    {"type": "Feature", "geometry": SQUARE},
                ],
            }
        )
        area = geo.parse_area(text)
        self.assertEqual(area["type"], "MultiPolygon")
        self.assertEqual(len(area["coordinates"]), 2)


@tagged("post_install", "-at_install")
class TestSlaMapTour(HttpCase, SlaMapCommon):
    def setUp(self):
        super().setUp()
        # the figures of "the last 3 months" whatever today is
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE tms_parcel SET sla_date_due = now() at time zone 'UTC' "
            "- interval '1 day' WHERE id = ANY(%s)",
            [(self.on_time | self.refused | self.lost | self.other).ids],
        )
        self.env.invalidate_all()
        # tiles from this server: the test makes no request outside
        self.company_ma.tms_map_tile_url = (
            "/web/static/img/placeholder.png?z={z}&x={x}&y={y}"
        )
        self.hub_cas.write({"latitude": 33.59, "longitude": -7.61})
        self.manager_ma.password = "manager_ma"

    def test_sla_map_tour(self):
        # a catch-all zone whose outline covers Casablanca's
        self.zone_rba.map_area = json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[[-9, 31], [-5, 31], [-5, 35], [-9, 35], [-9, 31]]],
            }
        )
        self.start_tour("/odoo", "tms_3pl_sla_map_tour", login="manager_ma")

    def test_sla_map_in_arabic_tour(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.manager_ma.lang = "ar_001"
        self.start_tour(
            "/odoo/action-tms_3pl.tms_sla_zone_map_action",
            "tms_3pl_sla_map_rtl_tour",
            login="manager_ma",
        )

    def test_zone_form_in_french_tour(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.manager_ma.lang = "fr_FR"
        self.start_tour(
            f"/odoo/tms.zone/{self.zone_cas.id}",
            "tms_3pl_zone_form_tour",
            login="manager_ma",
        )
