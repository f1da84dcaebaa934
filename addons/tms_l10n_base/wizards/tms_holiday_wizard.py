# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsHolidayWizard(models.TransientModel):
    _name = "tms.holiday.wizard"
    _description = "Generate Public Holidays for a Year"

    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Calendar",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
    )
    country_id = fields.Many2one(
        related="calendar_id.tms_holiday_country_id", readonly=False, required=True
    )
    year = fields.Integer(required=True, default=lambda self: date.today().year + 1)

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 1900 < wizard.year < 2200:
                raise ValidationError(self.env._("Enter a year such as 2027."))

    def action_generate(self):
        self.ensure_one()
        changed = self.calendar_id._tms_generate_public_holidays([self.year])
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s public holidays of %(year)s added or updated on "
                    "%(calendar)s.",
                    count=changed,
                    year=self.year,
                    calendar=self.calendar_id.display_name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
