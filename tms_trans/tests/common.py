# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields

from odoo.addons.tms_core.tests.common import TmsCommon, trap_jobs

__all__ = ["TmsTransCommon", "trap_jobs"]


class TmsTransCommon(TmsCommon):
    """The Casablanca depot with coordinates, recipients around it, two vans with
    their drivers (users) and a third van whose driver has no login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hub_cas.write({"latitude": 33.5731, "longitude": -7.5898})
        # the company's day, as the rounds and the wizard count it
        cls.tomorrow = cls.env["tms.round"].with_company(
            cls.company_ma
        )._tms_today() + timedelta(days=1)
        Partner = cls.env["res.partner"]
        cls.places = {}
        for name, street, lat, lon in [
            ("Karim Alaoui", "5 Rue Tata", 33.5950, -7.6187),
            ("Salma Idrissi", "20 Boulevard Zerktouni", 33.5883, -7.6322),
            ("Youssef Tazi", "8 Rue de Fès", 33.5500, -7.5600),
            ("Nadia Berrada", "40 Avenue Hassan II", 33.5800, -7.5300),
        ]:
            cls.places[name] = Partner.create(
                {
                    "name": name,
                    "street": street,
                    "city": "Casablanca",
                    "zip": "20000",
                    "country_id": cls.morocco.id,
                    "partner_latitude": lat,
                    "partner_longitude": lon,
                    "company_id": cls.company_ma.id,
                }
            )
        # no coordinates anywhere
        cls.lost_partner = Partner.create(
            {
                "name": "Omar Lahlou",
                "street": "3 Derb Sultan",
                "city": "Casablanca",
                "zip": "20100",
                "country_id": cls.morocco.id,
                "company_id": cls.company_ma.id,
            }
        )
        category = cls.env["fleet.vehicle.model.category"].create(
            {"name": "Small van", "weight_capacity": 800.0, "volume_capacity": 6.0}
        )
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Renault"})
        cls.van_model = cls.env["fleet.vehicle.model"].create(
            {
                "name": "Kangoo",
                "brand_id": brand.id,
                "category_id": category.id,
                "default_co2": 120.0,
            }
        )
        cls.driver_a = cls._create_tms_user(
            "driver_a", cls.company_ma, "group_tms_driver"
        )
        cls.driver_b = cls._create_tms_user(
            "driver_b", cls.company_ma, "group_tms_driver"
        )
        no_login = Partner.create({"name": "Hamid (no login)"})
        cls.van_a, cls.van_b, cls.van_c = cls.env["fleet.vehicle"].create(
            [
                {
                    "model_id": cls.van_model.id,
                    "license_plate": plate,
                    "driver_id": driver.id,
                    "company_id": cls.company_ma.id,
                }
                for plate, driver in [
                    ("12345-A-6", cls.driver_a.partner_id),
                    ("23456-B-6", cls.driver_b.partner_id),
                    ("34567-D-6", no_login),
                ]
            ]
        )

    def _parcel_at_hub(self, recipient, hub=None, **vals):
        hub = hub or self.hub_cas
        now = fields.Datetime.now()
        parcel = self._create_parcel(
            state="confirmed",
            recipient_id=recipient.id,
            date_shipping=now - timedelta(hours=3),
            **vals,
        )
        start = now - timedelta(hours=2)
        self.env["tms.parcel.event"]._record(
            [
                {
                    "parcel_id": parcel.id,
                    "state": step,
                    "hub_id": hub.id if step == "at_hub" else False,
                    "event_date": start + timedelta(minutes=i),
                }
                for i, step in enumerate(["picked_up", "at_hub"])
            ]
        )
        self.assertEqual(parcel.state, "at_hub")
        return parcel

    def _event(self, parcels, state, **vals):
        return self.env["tms.parcel.event"]._record(
            [dict(vals, parcel_id=parcel.id, state=state) for parcel in parcels]
        )

    def _plan(self, vehicles, parcels=None, **vals):
        wizard = (
            self.env["tms.round.plan.wizard"]
            .with_company(self.company_ma)
            .create(
                dict(
                    {
                        "company_id": self.company_ma.id,
                        "hub_id": self.hub_cas.id,
                        "date": self.tomorrow,
                        "vehicle_ids": [fields.Command.set(vehicles.ids)],
                        "parcel_ids": [fields.Command.set(parcels.ids)]
                        if parcels
                        else [],
                    },
                    **vals,
                )
            )
        )
        action = wizard.action_plan()
        rounds = self.env["tms.round"].search(
            [("date", "=", self.tomorrow), ("hub_id", "=", self.hub_cas.id)]
        )
        return rounds, action
