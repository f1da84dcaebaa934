# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsService(models.Model):
    _name = "tms.service"
    _description = "Transport Service"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code used by the API and on labels.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the service between companies."
    )
    service_type = fields.Selection(
        [
            ("standard", "Standard"),
            ("express", "Express"),
            ("same_day", "Same Day"),
            ("return", "Return"),
            ("pickup", "Pickup"),
        ],
        required=True,
        default="standard",
    )
    delay = fields.Float(
        string="Delivery Delay",
        default=2.0,
        help="Working time between shipping and the promised delivery.",
    )
    delay_unit = fields.Selection(
        [("hours", "Working Hours"), ("days", "Working Days")],
        required=True,
        default="days",
    )
    volumetric_divisor = fields.Integer(
        default=5000,
        required=True,
        help="Volumetric weight (kg) = length x width x height (cm) / divisor.",
    )
    s10_service_indicator = fields.Char(
        size=2,
        help="Overrides the company's two letters starting S10 tracking numbers.",
    )
    color = fields.Integer()
    description = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A service code must be unique per company.",
        ),
    ]

    @api.constrains("delay", "volumetric_divisor", "s10_service_indicator")
    def _check_values(self):
        for service in self:
            if service.delay < 0:
                raise ValidationError(
                    self.env._("A delivery delay cannot be negative.")
                )
            if service.volumetric_divisor <= 0:
                raise ValidationError(
                    self.env._("The volumetric divisor must be positive.")
                )
            indicator = service.s10_service_indicator
            if indicator and not (len(indicator) == 2 and indicator.isalpha()):
                raise ValidationError(
                    self.env._(
                        "An S10 service indicator is two letters, like RR or CP."
                    )
                )

    def _compute_promised_date(self, start, company):
        """Return when a parcel shipped at ``start`` must be delivered, counting only
        the
        working time of ``company``'s calendar (its public holidays included)."""
        self.ensure_one()
        if not start:
            return False
        calendar = company.resource_calendar_id
        if not calendar:
            unit = "hours" if self.delay_unit == "hours" else "days"
            return start + timedelta(**{unit: self.delay})
        if self.delay_unit == "hours":
            return calendar.plan_hours(self.delay, start, compute_leaves=True)
        if not self.delay:
            return start
        # "N working days" means the end of the Nth working day after the shipping day,
        # whatever the hour the parcel was shipped at: plan from the next day's midnight
        # in the calendar's time zone.
        tz = pytz.timezone(calendar.tz or "UTC")
        local = pytz.utc.localize(start).astimezone(tz)
        next_day = tz.localize(
            datetime.combine(local.date() + timedelta(days=1), time.min)
        )
        promised = calendar.plan_days(
            math.ceil(self.delay), next_day, compute_leaves=True
        )
        if not promised:
            return False
        # plan_days stops at the end of the day's first working interval (before lunch
        # on split days): the promise is the end of that working day.
        day_start = tz.localize(
            datetime.combine(promised.astimezone(tz).date(), time.min)
        )
        intervals = calendar._work_intervals_batch(
            day_start, day_start + timedelta(days=1), compute_leaves=True
        )[False]
        day_end = max((stop for _start, stop, _meta in intervals), default=promised)
        return day_end.astimezone(pytz.utc).replace(tzinfo=None)
