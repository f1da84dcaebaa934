# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResourceCalendarLeaves(models.Model):
    """Public holidays generated on a working calendar, and the hand corrections that
    regeneration keeps (a lunar holiday the moon moved by a day)."""

    _inherit = "resource.calendar.leaves"

    tms_holiday_key = fields.Char(
        string="Public Holiday",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set on public holidays generated from the country's holiday list: the "
        "year, the holiday's English name and its day number.",
    )
    tms_holiday_estimated = fields.Boolean(
        string="Estimated Date",
        readonly=True,
        copy=False,
        help="The date follows the moon and was computed in advance: check it when "
        "the authorities announce it, and correct it here if needed.",
    )
    tms_holiday_manual = fields.Boolean(
        string="Corrected by Hand",
        copy=False,
        help="Changing the dates of a generated public holiday ticks this box: "
        "generating the year's holidays again leaves the holiday as it is. Untick "
        "it to let the next generation put back the computed date.",
    )

    def write(self, vals):
        if (
            self.env.context.get("tms_holiday_generating")
            or "tms_holiday_manual" in vals
            or not {"date_from", "date_to"} & set(vals)
        ):
            return super().write(vals)
        generated = self.filtered("tms_holiday_key")
        others = self - generated
        if generated:
            super(ResourceCalendarLeaves, generated).write(
                dict(vals, tms_holiday_manual=True)
            )
        if others:
            super(ResourceCalendarLeaves, others).write(vals)
        return True
