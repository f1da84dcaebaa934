# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

from odoo import Command

from odoo.addons.tms_core.tests.common import TmsCommon

# Thursday 19 March 2026, 10:00 UTC; Friday 20 March is Eid al-Fitr
THURSDAY = datetime(2026, 3, 19, 10, 0)


class Tms3plCommon(TmsCommon):
    """A Monday-to-Friday calendar (08:00-12:00, 13:00-17:00 UTC) with Eid al-Fitr
    as a public holiday, and a J+1 policy for the Moroccan shipper."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Carrier week",
                "tz": "UTC",
                "company_id": cls.company_ma.id,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, end, period in (
                        (8, 12, "morning"),
                        (13, 17, "afternoon"),
                    )
                ],
            }
        )
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Eid al-Fitr",
                "calendar_id": cls.calendar.id,
                "company_id": cls.company_ma.id,
                "date_from": datetime(2026, 3, 20, 0, 0),
                "date_to": datetime(2026, 3, 20, 23, 59, 59),
            }
        )
        cls.shipper_ma.email = "atlas@example.com"
        cls.manager_ma = cls._create_tms_user(
            "manager_ma", cls.company_ma, "group_tms_manager"
        )
        cls.policy = cls.env["tms.sla.policy"].create(
            {
                "name": "Atlas J+1",
                "company_id": cls.company_ma.id,
                "partner_id": cls.shipper_ma.id,
                "delay": 1,
                "delay_unit": "days",
                "cutoff_time": 14.0,
                "resource_calendar_id": cls.calendar.id,
                "user_id": cls.manager_ma.id,
            }
        )
        cls.reason_absent = cls.env.ref("tms_core.tms_failure_reason_absent")
        cls.reason_refused = cls.env.ref("tms_core.tms_failure_reason_refused")

    def _parcel(self, date_shipping=THURSDAY, **vals):
        return self._create_parcel(
            state="confirmed", date_shipping=date_shipping, **vals
        )

    def _event(self, parcel, state, date, **vals):
        return self.env["tms.parcel.event"]._record(
            [dict(vals, parcel_id=parcel.id, state=state, event_date=date)]
        )
