# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import os
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestRoundsTour(HttpCase):
    def test_dispatcher_plans_locks_moves_and_optimises(self):
        company = self.env.ref("tms_core.res_company_ma_demo")
        dispatcher = self.env["res.users"].create(
            {
                "name": "Rounds Dispatcher",
                "login": "rounds_tour_dispatcher",
                "password": "rounds_tour_dispatcher",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set([self.env.ref("tms_core.group_tms_user").id])
                ],
            }
        )
        hub = self.env["tms.hub"].create(
            {
                "name": "Tour Rounds Depot",
                "code": "TOURR",
                "hub_type": "depot",
                "company_id": company.id,
                "latitude": 33.5731,
                "longitude": -7.5898,
            }
        )
        dispatcher.tms_hub_id = hub
        model = self.env.ref("tms_trans.fleet_model_kangoo_demo")
        drivers = self.env["res.users"].create(
            [
                {
                    "name": name,
                    "login": name.lower().replace(" ", "_"),
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [
                        Command.set([self.env.ref("tms_core.group_tms_driver").id])
                    ],
                }
                for name in ("Tour Driver One", "Tour Driver Two")
            ]
        )
        # the company's other vans (demo data) are away: the tour's two are proposed
        self.env["fleet.vehicle"].search(
            [("company_id", "=", company.id)]
        ).active = False
        self.env["fleet.vehicle"].create(
            [
                {
                    "model_id": model.id,
                    "license_plate": plate,
                    "company_id": company.id,
                    "driver_id": driver.partner_id.id,
                }
                for plate, driver in zip(("TOUR-V1", "TOUR-V2"), drivers, strict=True)
            ]
        )
        now = fields.Datetime.now()
        for name, lat, lon in [
            ("Tour Karim", 33.5950, -7.6187),
            ("Tour Salma", 33.5300, -7.5700),
            ("Tour Youssef", 33.5500, -7.5600),
        ]:
            recipient = self.env["res.partner"].create(
                {
                    "name": name,
                    "street": f"{name} street",
                    # no country: no zone, so no other destination hub
                    "city": "Casablanca",
                    "partner_latitude": lat,
                    "partner_longitude": lon,
                }
            )
            parcel = self.env["tms.parcel"].create(
                {
                    "company_id": company.id,
                    "recipient_id": recipient.id,
                    "state": "confirmed",
                    "weight": 2.0,
                    "date_shipping": now - timedelta(hours=3),
                }
            )
            self.env["tms.parcel.event"]._record(
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
        # the optimisation runs at once instead of waiting for the job runner
        with patch.dict(os.environ, {"QUEUE_JOB__NO_DELAY": "1"}):
            self.start_tour(
                "/odoo/action-tms_trans.tms_round_action",
                "tms_trans_rounds_tour",
                login=dispatcher.login,
            )
        rounds = self.env["tms.round"].search([("hub_id", "=", hub.id)])
        self.assertFalse(rounds.stop_ids.parcel_ids.destination_hub_id)
        self.assertEqual(len(rounds), 2)
        karim = rounds.stop_ids.filtered(lambda s: s.contact_name == "Tour Karim")
        self.assertTrue(karim.locked)
        run = self.env["tms.round.optimization"].search([("hub_id", "=", hub.id)])
        self.assertEqual(run.state, "applied")
        self.assertEqual(len(rounds.stop_ids), 3)
        self.assertTrue(all(rounds.stop_ids.mapped("planned_arrival")))
        # the road sheets the dispatcher prints list every stop
        self.authenticate(dispatcher.login, dispatcher.login)
        ids = ",".join(str(i) for i in rounds.ids)
        response = self.url_open(f"/report/html/tms_trans.report_round_sheet/{ids}")
        self.assertEqual(response.status_code, 200)
        for name in ("Tour Karim", "Tour Salma", "Tour Youssef"):
            self.assertIn(name, response.text)
