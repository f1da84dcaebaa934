# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDispatchMapTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.ref("tms_core.res_company_ma_demo")
        # tiles from this server: the test makes no request outside
        company.tms_map_tile_url = "/web/static/img/placeholder.png?z={z}&x={x}&y={y}"
        cls.dispatcher = cls.env["res.users"].create(
            {
                "name": "Map Dispatcher",
                "login": "map_tour_dispatcher",
                "password": "map_tour_dispatcher",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("tms_core.group_tms_user").id,
                            cls.env.ref("fleet.fleet_group_user").id,
                        ]
                    )
                ],
            }
        )
        hub = cls.env["tms.hub"].create(
            {
                "name": "Tour Depot",
                "code": "TOURD",
                "hub_type": "depot",
                "company_id": company.id,
                "latitude": 33.5731,
                "longitude": -7.5898,
            }
        )
        shipper = cls.env["res.partner"].create(
            {"name": "Tour Shipper", "company_id": company.id}
        )
        day = fields.Date.today() + timedelta(days=1)
        Round = cls.env["tms.round"]
        cls.round_a, cls.round_b = Round.create(
            [
                {"name": name, "company_id": company.id, "hub_id": hub.id, "date": day}
                for name in ("TOUR-A", "TOUR-B")
            ]
        )
        rows = [
            (cls.round_a, "Tour Alpha", 33.589, -7.632),
            (cls.round_a, "Tour Beta", 33.595, -7.610),
            (cls.round_a, "Tour Nowhere", 0.0, 0.0),
            (cls.round_b, "Tour Gamma", 33.550, -7.580),
            (cls.round_b, "Tour Delta", 33.560, -7.560),
            (Round, "Tour Pool", 33.540, -7.600),
        ]
        stops = cls.env["tms.round.stop"]
        for sequence, (tms_round, contact, latitude, longitude) in enumerate(rows):
            window = datetime.combine(day, time(8 + sequence))
            stop = stops.create(
                {
                    "round_id": tms_round.id,
                    "date": day,
                    "hub_id": hub.id,
                    "company_id": company.id,
                    "sequence": sequence,
                    "contact_name": contact,
                    "street": f"{sequence} Rue du Tour",
                    "city": "Casablanca",
                    "latitude": latitude,
                    "longitude": longitude,
                    "coordinate_source": "partner" if latitude else "none",
                    "window_start": window,
                    "window_end": window + timedelta(hours=3),
                    "unassigned_reason": False if tms_round else "capacity",
                }
            )
            cls.env["tms.parcel"].create(
                {
                    "company_id": company.id,
                    "shipper_id": shipper.id,
                    "recipient_name": contact,
                    "weight": 1.0,
                    "round_stop_id": stop.id,
                }
            )
            stops |= stop
        # the first stop is delivered; the fourth is planned after its window
        for state in (
            "confirmed",
            "picked_up",
            "at_hub",
            "out_for_delivery",
            "delivered",
        ):
            stops[0].parcel_ids._set_state(state)
        stops[3].window_end = stops[3].planned_arrival - timedelta(hours=1)

    def test_dispatch_map_tour(self):
        # from the round's form, its Map button opens the map on its day and depot
        self.start_tour(
            f"/odoo/action-tms_trans.tms_round_action/{self.round_a.id}",
            "tms_trans_dispatch_map_tour",
            login="map_tour_dispatcher",
            timeout=120,
        )

    def test_the_map_menu_is_for_tms_users(self):
        menu = self.env.ref("tms_trans.tms_round_dispatch_map_menu")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.dispatcher)._visible_menu_ids())
        driver = self.env.ref("tms_core.user_driver_demo")
        self.assertNotIn(menu.id, Menu.with_user(driver)._visible_menu_ids())
