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
                # a Fleet officer only sees the vehicles he drives: the dispatcher
                # is a TMS user, who sees the company's vehicles
                "groups_id": [Command.set([cls.env.ref("tms_core.group_tms_user").id])],
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
        day = cls.env["tms.round"].with_company(company)._tms_today() + timedelta(
            days=1
        )
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
        # two parcels wait at the depot beside the pool's stop, on no round yet
        cls.waiting = cls.env["tms.parcel"]
        now = fields.Datetime.now()
        for name, latitude, longitude, cod in [
            ("Tour Waiting One", 33.536, -7.604, 40.0),
            ("Tour Waiting Two", 33.543, -7.607, 0.0),
        ]:
            recipient = cls.env["res.partner"].create(
                {
                    "name": name,
                    "street": f"{name} street",
                    # no country: no zone, so no other destination hub
                    "city": "Casablanca",
                    "partner_latitude": latitude,
                    "partner_longitude": longitude,
                }
            )
            parcel = cls.env["tms.parcel"].create(
                {
                    "company_id": company.id,
                    "shipper_id": shipper.id,
                    "recipient_id": recipient.id,
                    "state": "confirmed",
                    "weight": 2.0,
                    "cod_amount": cod,
                    "date_shipping": now - timedelta(hours=3),
                }
            )
            cls.env["tms.parcel.event"]._record(
                [
                    {
                        "parcel_id": parcel.id,
                        "state": state,
                        "hub_id": hub.id if state == "at_hub" else False,
                        "event_date": now - timedelta(hours=2, minutes=-i),
                    }
                    for i, state in enumerate(("picked_up", "at_hub"))
                ]
            )
            cls.waiting |= parcel
        cls.pool_stop = stops[5]
        # one free van with its driver: the new round drawn on the map takes it
        cls.env["fleet.vehicle"].search(
            [("company_id", "in", (company.id, False))]
        ).active = False
        driver = cls.env["res.users"].create(
            {
                "name": "Map Tour Driver",
                "login": "map_tour_driver",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set([cls.env.ref("tms_core.group_tms_driver").id])
                ],
            }
        )
        cls.van = cls.env["fleet.vehicle"].create(
            {
                "model_id": cls.env.ref("tms_trans.fleet_model_kangoo_demo").id,
                "license_plate": "TOUR-MAP-V1",
                "company_id": company.id,
                "driver_id": driver.partner_id.id,
            }
        )
        cls.map_driver = driver
        # TOUR-A started with its first delivery: its driver's phone sent positions,
        # the last one at minute 47 (the map shows it in the dispatcher's time zone)
        assert cls.round_a.state == "started", cls.round_a.state
        last = (fields.Datetime.now() - timedelta(hours=2)).replace(
            minute=47, second=0, microsecond=0
        )
        cls.env["tms.round.position"]._tms_insert(
            [
                (cls.round_a.id, driver.id, last - timedelta(minutes=i), lat, lon, 10)
                for i, (lat, lon) in enumerate(
                    [(33.592, -7.612), (33.588, -7.625), (33.580, -7.590)]
                )
            ]
        )

    def test_dispatch_map_tour(self):
        # from the round's form, its Map button opens the map on its day and depot
        self.start_tour(
            f"/odoo/action-tms_trans.tms_round_action/{self.round_a.id}",
            "tms_trans_dispatch_map_tour",
            login="map_tour_dispatcher",
            timeout=120,
        )
        # the shape drawn around the two waiting parcels and the pool's stop made a
        # new draft round of the map's day and depot, with the free van and its driver
        new_round = self.env["tms.round"].search(
            [("hub_id", "=", self.round_a.hub_id.id)]
        ) - (self.round_a | self.round_b)
        self.assertEqual(len(new_round), 1)
        self.assertEqual(new_round.state, "draft")
        self.assertEqual(new_round.date, self.round_a.date)
        self.assertEqual(new_round.vehicle_id, self.van)
        self.assertEqual(new_round.driver_id, self.map_driver)
        self.assertEqual(new_round.parcel_ids, self.waiting | self.pool_stop.parcel_ids)
        self.assertEqual(self.round_b.stop_count, 2)

    def test_the_map_menu_is_for_tms_users(self):
        menu = self.env.ref("tms_trans.tms_round_dispatch_map_menu")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.dispatcher)._visible_menu_ids())
        driver = self.env.ref("tms_core.user_driver_demo")
        self.assertNotIn(menu.id, Menu.with_user(driver)._visible_menu_ids())
