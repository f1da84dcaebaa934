# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Country presets: what a carrier of one country needs to start, in one click.

Each ``tms_l10n_<code>`` module ships ``data/tms_l10n_<code>_preset.json`` (country,
currency, time zone, working week, regions as zones by postcode, example services, an
SMS gateway) and applies it at installation to the companies of its country. Applying
a preset adds what the company lacks and changes nothing it already has, so it may be
applied again.
"""

import json
import logging
from datetime import date

from odoo import Command, api, models
from odoo.tools.misc import file_open

_logger = logging.getLogger(__name__)

WEEKDAYS = ["0", "1", "2", "3", "4"]
SATURDAY = "5"


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _tms_l10n_preset(self, code):
        """The preset of module ``tms_l10n_<code>``, read from its JSON file."""
        path = f"tms_l10n_{code}/data/tms_l10n_{code}_preset.json"
        with file_open(path, "rb") as preset_file:
            return json.load(preset_file)

    @api.model
    def _tms_l10n_install_preset(self, code):
        """At installation: apply the preset to each company of its country that has
        no zone yet (a company already set up is left alone: apply the preset to it
        from Transport > Configuration > Country Presets); on a database whose main
        company has no country and no company is of the preset's country, to the
        main company."""
        preset = self._tms_l10n_preset(code)
        country = self.env.ref(f"base.{preset['country'].lower()}")
        companies = self.search([("partner_id.country_id", "=", country.id)])
        main = self.env.ref("base.main_company", raise_if_not_found=False)
        if not companies and main and not main.country_id:
            companies = main
        zoned = {
            company
            for [company] in self.env["tms.zone"]
            .with_context(active_test=False)
            ._read_group([("company_id", "in", companies.ids)], ["company_id"])
        }
        for company in companies:
            if company in zoned:
                _logger.info(
                    "Company %s already has zones: preset %s not applied",
                    company.name,
                    code,
                )
                continue
            company._tms_l10n_apply_preset(code)

    def _tms_l10n_apply_preset(self, code, working_week=None):
        """Apply preset ``code`` to this company: country, currency, S10 country
        code, a working calendar with the country's public holidays of this and next
        year (``working_week``: ``mon_fri`` or ``mon_sat``, the preset's choice when
        empty), region zones, example services and an inactive SMS gateway."""
        self.ensure_one()
        preset = self._tms_l10n_preset(code)
        country = self.env.ref(f"base.{preset['country'].lower()}")
        vals = {}
        if not self.country_id:
            vals["country_id"] = country.id
        if not self.tms_s10_country_code:
            vals["tms_s10_country_code"] = preset["country"]
        currency = self.env.ref(f"base.{preset['currency']}")
        if self.currency_id != currency and not self._tms_l10n_has_accounting():
            currency.active = True
            vals["currency_id"] = currency.id
        calendar = self._tms_l10n_calendar(preset, country, working_week)
        vals["resource_calendar_id"] = calendar.id
        self.write(vals)
        year = date.today().year
        calendar._tms_generate_public_holidays([year, year + 1])
        self._tms_l10n_create_zones(preset, country)
        self._tms_l10n_create_services(preset)
        self._tms_l10n_create_sms_gateway(preset)
        return calendar

    def _tms_l10n_has_accounting(self):
        """Odoo refuses another currency once the company has journal items."""
        if "account.move.line" not in self.env:
            return False
        return bool(
            self.env["account.move.line"]
            .sudo()
            .search_count([("company_id", "=", self.id)], limit=1)
        )

    def _tms_l10n_text(self, texts):
        """The text of a preset's ``{"en_US": ..., "fr": ..., "ar": ...}`` in the
        company's language."""
        lang = self.partner_id.lang or "en_US"
        return texts.get(lang) or texts.get(lang.split("_")[0]) or texts["en_US"]

    def _tms_l10n_translate(self, records, field_name, texts_by_record):
        """Give translated fields their French and Arabic values in the installed
        languages (``texts_by_record``: {record: {"en_US": ..., "fr": ..., ...}})."""
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        for record in records:
            texts = texts_by_record[record]
            translations = {
                lang: texts[lang.split("_")[0]]
                for lang in installed
                if lang != "en_US" and texts.get(lang.split("_")[0])
            }
            if translations:
                record.update_field_translations(field_name, translations)

    def _tms_l10n_calendar(self, preset, country, working_week):
        """The company's working calendar for the preset's country and working week:
        the one it already has when it follows that country's holidays with that
        week, else a new one."""
        week = working_week or preset["working_week"]
        hours = preset["hours"]
        attendances = [
            (day, hour_from, hour_to)
            for day in WEEKDAYS
            for hour_from, hour_to in hours["weekday"]
        ]
        if week == "mon_sat":
            attendances += [
                (SATURDAY, hour_from, hour_to)
                for hour_from, hour_to in hours["saturday"]
            ]
        current = self.resource_calendar_id
        if (
            current.tms_holiday_country_id == country
            and current.company_id == self
            and sorted(
                (a.dayofweek, a.hour_from, a.hour_to)
                for a in current.attendance_ids
                if a.day_period != "lunch"
            )
            == sorted(attendances)
        ):
            return current
        weekday_names = dict(
            self.env["resource.calendar.attendance"]
            ._fields["dayofweek"]
            ._description_selection(self.env)
        )
        lines = [
            {
                "name": f"{weekday_names[day]} {hour_from:g}-{hour_to:g}",
                "dayofweek": day,
                "hour_from": hour_from,
                "hour_to": hour_to,
                "day_period": "morning" if hour_to <= 13 else "afternoon",
            }
            for day, hour_from, hour_to in attendances
        ]
        weekly_hours = sum(
            hour_to - hour_from for _d, hour_from, hour_to in attendances
        )
        calendar = self.env["resource.calendar"].create(
            {
                "name": self._tms_l10n_text(preset["calendar_name"][week]),
                "company_id": self.id,
                "tz": preset["tz"],
                "tms_holiday_country_id": country.id,
                "full_time_required_hours": weekly_hours,
                "attendance_ids": [Command.clear()]
                + [Command.create(line) for line in lines],
            }
        )
        return calendar

    def _tms_l10n_create_zones(self, preset, country):
        Zone = self.env["tms.zone"].with_context(active_test=False)
        existing = set(Zone.search([("company_id", "=", self.id)]).mapped("code"))
        texts = {}
        for sequence, zone in enumerate(preset["zones"], start=100):
            if zone["code"] in existing:
                continue
            record = Zone.create(
                {
                    "name": zone["name"]["en_US"],
                    "code": zone["code"],
                    "sequence": sequence,
                    "company_id": self.id,
                    "country_id": country.id,
                    "zip_prefixes": ", ".join(zone["zip_prefixes"]),
                }
            )
            texts[record] = zone["name"]
        self._tms_l10n_translate(list(texts), "name", texts)

    def _tms_l10n_create_services(self, preset):
        Service = self.env["tms.service"].with_context(active_test=False)
        existing = set(Service.search([("company_id", "=", self.id)]).mapped("code"))
        texts = {}
        for service in preset["services"]:
            if service["code"] in existing:
                continue
            vals = dict(service, name=service["name"]["en_US"], company_id=self.id)
            record = Service.create(vals)
            texts[record] = service["name"]
        self._tms_l10n_translate(list(texts), "name", texts)

    def _tms_l10n_create_sms_gateway(self, preset):
        gateway = preset.get("sms_gateway")
        Gateway = self.env["tms.sms.gateway"].with_context(active_test=False)
        if not gateway or Gateway.search_count(
            [("company_id", "=", self.id), ("name", "=", gateway["name"])], limit=1
        ):
            return
        # an example to complete: inactive, without credentials
        Gateway.create(dict(gateway, active=False, company_id=self.id))
