# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, time, timedelta

from odoo.addons.tms_core.tests.common import TmsCommon


class DispatchCommon(TmsCommon):
    """A Casablanca round of three stops (three parcels, two with cash on delivery),
    its vehicle and its driver."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hub_cas.write({"latitude": 33.5731, "longitude": -7.5898})
        cls.driver = cls._create_tms_user(
            "driver_karim", cls.company_ma, "group_tms_driver"
        )
        cls.driver.name = "Karim Haddad"
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Renault"})
        model = cls.env["fleet.vehicle.model"].create(
            {"name": "Master", "brand_id": brand.id, "vehicle_type": "car"}
        )
        cls.vehicle = cls.env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "12345-A-6",
                "company_id": cls.company_ma.id,
            }
        )
        # the company's day, as the map and the rounds count it
        cls.day = cls.env["tms.round"].with_company(
            cls.company_ma
        )._tms_today() + timedelta(days=1)
        cls.round = cls._create_round(cls.hub_cas, cls.day, vehicle_id=cls.vehicle.id)
        cls.stops = cls._create_stops(
            cls.round,
            [
                ("Youssef Amrani", "5 Boulevard Zerktouni", 33.5890, -7.6320, 0.0),
                ("Salma Idrissi", "88 Rue Mohammed Smiha", 33.5950, -7.6100, 150.0),
                ("Omar Tazi", "3 Avenue des FAR", 33.6000, -7.6200, 75.5),
            ],
        )
        cls.stops[0].instructions = "Ring twice at the green door"
        cls.round.driver_id = cls.driver

    @classmethod
    def _create_round(cls, hub, day, **vals):
        return cls.env["tms.round"].create(
            {
                "company_id": hub.company_id.id,
                "hub_id": hub.id,
                "date": day,
                **vals,
            }
        )

    @classmethod
    def _create_stops(cls, tms_round, rows, hub=None, day=None):
        """One stop and one parcel per row: (contact, street, latitude, longitude,
        cash on delivery); no latitude: the stop has no position."""
        hub = hub or tms_round.hub_id
        company = hub.company_id
        day = day or tms_round.date
        stops = cls.env["tms.round.stop"]
        for sequence, (contact, street, latitude, longitude, cod) in enumerate(rows):
            window = datetime.combine(day, time(9 + sequence))
            stop = stops.create(
                {
                    "round_id": tms_round.id,
                    "date": day,
                    "hub_id": hub.id,
                    "company_id": company.id,
                    "sequence": sequence + 1,
                    "contact_name": contact,
                    "phone": f"06000000{sequence}",
                    "street": street,
                    "zip": "20000",
                    "city": "Casablanca",
                    "latitude": latitude or 0.0,
                    "longitude": longitude or 0.0,
                    "coordinate_source": "partner" if latitude else "none",
                    "window_start": window,
                    "window_end": window + timedelta(hours=2),
                }
            )
            cls.env["tms.parcel"].with_company(company).create(
                {
                    "company_id": company.id,
                    "service_id": cls.service_std.id,
                    "shipper_id": cls.shipper_ma.id
                    if company == cls.company_ma
                    else False,
                    "recipient_name": contact,
                    "recipient_street": street,
                    "recipient_city": "Casablanca",
                    "weight": 2.0,
                    "cod_amount": cod,
                    "round_stop_id": stop.id,
                }
            )
            stops |= stop
        return stops
