# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import date, datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import public_holidays

_logger = logging.getLogger(__name__)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    tms_holiday_country_id = fields.Many2one(
        "res.country",
        string="Public Holidays Of",
        help="The calendar gets this country's public holidays as time off, for the "
        "current and the next year, renewed every year.",
    )
    tms_holiday_count = fields.Integer(
        compute="_compute_tms_holiday_count", string="Public Holidays"
    )

    def _compute_tms_holiday_count(self):
        counts = dict(
            self.env["resource.calendar.leaves"]._read_group(
                [("calendar_id", "in", self.ids), ("tms_holiday_key", "!=", False)],
                ["calendar_id"],
                ["__count"],
            )
        )
        for calendar in self:
            calendar.tms_holiday_count = counts.get(calendar, 0)

    def action_tms_generate_holidays(self):
        """Open the wizard generating a year's public holidays."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_l10n_base.tms_holiday_wizard_action"
        )
        action["context"] = {"default_calendar_id": self.id}
        return action

    def action_tms_view_holidays(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resource.resource_calendar_leaves_action_from_calendar"
        )
        action["domain"] = [("calendar_id", "=", self.id)]
        action["context"] = {"default_calendar_id": self.id}
        return action

    def _tms_holiday_language(self):
        """Holidays are named in the language of the calendar's company."""
        company = self.company_id or self.env.company
        return company.partner_id.lang or self.env.lang or "en_US"

    def _tms_generate_public_holidays(self, years):
        """Create or update the public holidays of ``years`` on each calendar, as
        company-wide time off from local midnight to midnight.

        A holiday corrected by hand is left as it is; a day already off in the
        calendar (time off entered by hand) gets no second leave; a generated holiday
        the library no longer lists is removed. Returns the number of leaves created
        or changed.
        """
        changed = 0
        Leave = self.env["resource.calendar.leaves"].with_context(
            tms_holiday_generating=True
        )
        for calendar in self:
            country = calendar.tms_holiday_country_id
            if not country:
                raise UserError(
                    self.env._(
                        "Choose the country whose public holidays the calendar "
                        "%(calendar)s follows.",
                        calendar=calendar.display_name,
                    )
                )
            tz = pytz.timezone(calendar.tz or "UTC")
            for year in years:
                try:
                    holidays = public_holidays.public_holidays(
                        country.code, year, calendar._tms_holiday_language()
                    )
                except public_holidays.UnknownCountryError as error:
                    raise UserError(
                        self.env._(
                            "No public holidays are known for %(country)s.",
                            country=country.name,
                        )
                    ) from error
                changed += calendar._tms_sync_holidays(Leave, tz, year, holidays)
        return changed

    def _tms_sync_holidays(self, Leave, tz, year, holidays):
        self.ensure_one()
        year_start = tz.localize(datetime(year, 1, 1)).astimezone(pytz.utc)
        year_end = tz.localize(datetime(year + 1, 1, 1)).astimezone(pytz.utc)
        existing = Leave.search(
            [
                ("calendar_id", "=", self.id),
                ("resource_id", "=", False),
                "|",
                ("tms_holiday_key", "=like", f"{year}/%"),
                "&",
                ("tms_holiday_key", "=", False),
                "&",
                ("date_from", "<", year_end.replace(tzinfo=None)),
                ("date_to", ">=", year_start.replace(tzinfo=None)),
            ]
        )
        by_key = {leave.tms_holiday_key: leave for leave in existing}
        by_hand = existing.filtered(lambda leave: not leave.tms_holiday_key)
        changed = 0
        to_create = []
        for holiday in holidays:
            vals = self._tms_prepare_holiday_vals(tz, holiday)
            leave = by_key.pop(holiday.key, None)
            if leave is not None:
                if leave.tms_holiday_manual:
                    continue
                if any(
                    leave[field] != value
                    for field, value in vals.items()
                    if field != "calendar_id"
                ):
                    leave.write(vals)
                    changed += 1
            elif not any(
                hand.date_from <= vals["date_from"] and hand.date_to >= vals["date_to"]
                for hand in by_hand
            ):
                to_create.append(vals)
        Leave.create(to_create)
        stale = Leave.browse(
            [leave.id for leave in by_key.values() if not leave.tms_holiday_manual]
        )
        stale.unlink()
        return changed + len(to_create) + len(stale)

    def _tms_prepare_holiday_vals(self, tz, holiday):
        def utc(moment):
            return tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)

        return {
            "name": holiday.name,
            "calendar_id": self.id,
            "date_from": utc(datetime.combine(holiday.day, time.min)),
            "date_to": utc(datetime.combine(holiday.day, time(23, 59, 59))),
            "time_type": "leave",
            "tms_holiday_key": holiday.key,
            "tms_holiday_estimated": holiday.estimated,
        }

    @api.model
    def _cron_tms_generate_public_holidays(self):
        """Yearly: the current and the next year's holidays of every calendar that
        follows a country's public holidays."""
        year = date.today().year
        calendars = self.with_context(active_test=True).search(
            [("tms_holiday_country_id", "!=", False)]
        )
        for calendar in calendars:
            try:
                calendar._tms_generate_public_holidays([year, year + 1])
            except UserError as error:
                _logger.warning(
                    "Public holidays of calendar %s not generated: %s",
                    calendar.display_name,
                    error,
                )
