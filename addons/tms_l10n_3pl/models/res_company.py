# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The example SLA policies of a country preset (its ``sla_policies`` key).

Each example names its service and zones by code; they are looked up among the
company's own, so a policy whose service (or all of whose zones) the company no longer
has is left out rather than widened to every service (or zone).
"""

import logging

from odoo import Command, api, models

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    _inherit = "res.company"

    def _tms_l10n_apply_preset(self, code, working_week=None):
        """The preset, then its example SLA policies the company does not have."""
        calendar = super()._tms_l10n_apply_preset(code, working_week=working_week)
        self._tms_l10n_create_sla_policies(self._tms_l10n_preset(code))
        return calendar

    @api.model
    def _tms_l10n_install_sla_policies(self):
        """At installation: the example policies of each installed preset for the
        companies whose working calendar follows that preset's country (a preset was
        applied to them before this module came) and that have no SLA policy yet."""
        Policy = self.env["tms.sla.policy"].with_context(active_test=False)
        with_policies = [
            company.id for [company] in Policy._read_group([], ["company_id"])
        ]
        codes = (
            self.env["tms.l10n.preset.wizard"]._fields["preset"].get_values(self.env)
        )
        for code in codes:
            preset = self._tms_l10n_preset(code)
            if not preset.get("sla_policies"):
                continue
            country = self.env.ref(f"base.{preset['country'].lower()}")
            companies = self.search(
                [
                    ("resource_calendar_id.tms_holiday_country_id", "=", country.id),
                    ("id", "not in", with_policies),
                ]
            )
            for company in companies:
                company._tms_l10n_create_sla_policies(preset)

    def _tms_l10n_create_sla_policies(self, preset):
        """Create the preset's example SLA policies that the company lacks (a policy
        of the same English name, archived or changed since, is kept as it is)."""
        self.ensure_one()
        examples = preset.get("sla_policies") or []
        if not examples:
            return self.env["tms.sla.policy"]
        Policy = self.env["tms.sla.policy"].with_context(
            active_test=False, lang="en_US"
        )
        existing = set(Policy.search([("company_id", "=", self.id)]).mapped("name"))
        company_domain = [("company_id", "=", self.id)]
        services = {
            service.code: service
            for service in self.env["tms.service"]
            .with_context(active_test=False)
            .search(company_domain)
        }
        zones = {
            zone.code: zone
            for zone in self.env["tms.zone"]
            .with_context(active_test=False)
            .search(company_domain)
        }
        weekdays = {day.code: day for day in self.env["tms.weekday"].search([])}
        # the account manager gets the alerts: the user applying the preset when he
        # works for the company, nobody when it is applied at installation
        user = self.env.user
        manager = user if user.active and self in user.company_ids else user.browse()
        vals_list, texts = [], []
        for example in examples:
            name = example["name"]["en_US"]
            if name in existing:
                continue
            vals = self._tms_l10n_prepare_sla_policy_vals(
                example, services, zones, weekdays
            )
            if vals is None:
                _logger.info(
                    "Company %s lacks the service or zones of SLA policy %s: "
                    "not created",
                    self.name,
                    name,
                )
                continue
            vals_list.append(dict(vals, user_id=manager.id))
            texts.append(example["name"])
        policies = Policy.create(vals_list)
        self._tms_l10n_translate(
            policies, "name", dict(zip(policies, texts, strict=True))
        )
        return policies

    def _tms_l10n_prepare_sla_policy_vals(self, example, services, zones, weekdays):
        """The values of an example policy, its service, zones and weekdays found
        by code; None when its service, or every one of its zones, is missing."""
        service = self.env["tms.service"]
        if example.get("service"):
            service = services.get(example["service"])
            if not service:
                return None
        zone_codes = example.get("zones") or []
        zone_ids = [zones[code].id for code in zone_codes if code in zones]
        if zone_codes and not zone_ids:
            return None
        weekday_ids = [
            weekdays[code].id
            for code in example.get("weekdays") or []
            if code in weekdays
        ]
        return {
            "name": example["name"]["en_US"],
            "company_id": self.id,
            "service_id": service.id,
            "zone_ids": [Command.set(zone_ids)],
            "delay": example["delay"],
            "delay_unit": example["delay_unit"],
            "cutoff_time": example.get("cutoff_time", 0.0),
            "weekday_ids": [Command.set(weekday_ids)],
            "sequence": example.get("sequence", 100),
        }
