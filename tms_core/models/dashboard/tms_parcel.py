# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The managers' dashboard: a fixed handful of grouped queries, whatever the number of
parcels, turned into plain dicts for the web client (static/src/dashboard/)."""

from collections import Counter, defaultdict
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import get_lang

from ..exception.tms_parcel import CLOSED_STATES

DASHBOARD_PERIODS = ("today", "week", "month")
# Rows of the dashboard's per-shipper table: the busiest shippers of the period.
DASHBOARD_SHIPPER_ROWS = 10


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    @api.model
    def tms_dashboard_data(self, period="today", hub_id=None, company_id=None):
        """Figures of the managers' dashboard for ``period`` (today, week or month, in
        the user's time zone), for the user's current companies (or ``company_id``,
        one of them) and optionally one hub (the parcels' current hub).

        Every figure comes with the domain of the records it counts (``model``,
        ``domain``), so that the web client opens exactly those records.
        """
        companies, hub = self._tms_dashboard_scope(period, hub_id, company_id)
        start, end, date_from, date_to = self._tms_dashboard_period(period)
        domains = self._tms_dashboard_domains(companies, hub, start, end)
        tally = self._tms_dashboard_tally(domains)
        rows = tally["rows"]
        Event = self.env["tms.parcel.event"]

        def cell(value, domain, model="tms.parcel"):
            return {"value": value, "domain": domain, "model": model}

        def figures(counts, extra, event_extra):
            result = {
                key: cell(counts[key], domains[key] + extra)
                for key in ("shipped", "delivered", "on_time", "late", "open")
            }
            result["exceptions"] = cell(
                counts["exceptions"], domains["exceptions"] + extra
            )
            result["failed"] = cell(
                counts["failed"], domains["failed"] + event_extra, Event._name
            )
            result["on_time_rate"] = self._tms_rate(counts["on_time"], counts["late"])
            return result

        states = dict(self._fields["state"]._description_selection(self.env))
        reasons = dict(
            self._fields["tms_exception_reason"]._description_selection(self.env)
        )
        # names, one query per model
        hubs = self.env["tms.hub"].search_fetch(
            [("company_id", "in", companies.ids)], ["name", "code"]
        )
        hub_names = self._tms_names("tms.hub", rows["hub"])
        shipper_ids = sorted(
            rows["shipper"],
            key=lambda i: (-rows["shipper"][i]["shipped"], -rows["shipper"][i]["open"]),
        )[:DASHBOARD_SHIPPER_ROWS]
        shipper_names = self._tms_names("res.partner", shipper_ids)
        reason_names = self._tms_names("tms.failure.reason", tally["by_reason"])
        return {
            "period": {"key": period, "date_from": date_from, "date_to": date_to},
            "companies": [{"id": c.id, "name": c.name} for c in self.env.companies],
            "company_id": companies.id if len(companies) == 1 else False,
            "hubs": [{"id": h.id, "name": h.display_name} for h in hubs],
            "hub_id": hub.id,
            "kpis": figures(tally["totals"], [], []),
            "by_state": [
                {
                    "state": state,
                    "name": label,
                    **cell(
                        tally["by_state"][state],
                        domains["shipped"] + [("state", "=", state)],
                    ),
                }
                for state, label in states.items()
                if tally["by_state"][state]
            ],
            "failure_reasons": [
                {
                    "id": reason_id or False,
                    "name": reason_names.get(reason_id)
                    or self.env._("No reason given"),
                    **cell(
                        count,
                        domains["failed"] + [("failure_reason_id", "=", reason_id)],
                        Event._name,
                    ),
                }
                for reason_id, count in tally["by_reason"].most_common()
            ],
            "exception_reasons": [
                {
                    "reason": reason,
                    "name": label,
                    **cell(
                        tally["by_exception"][reason],
                        domains["exceptions"] + [("tms_exception_reason", "=", reason)],
                    ),
                }
                for reason, label in reasons.items()
                if tally["by_exception"][reason]
            ],
            "hub_rows": [
                {
                    "id": hub_id or False,
                    "name": hub_names.get(hub_id) or self.env._("No hub yet"),
                    **figures(
                        rows["hub"][hub_id],
                        [("hub_id", "=", hub_id)],
                        [("parcel_id.hub_id", "=", hub_id)],
                    ),
                }
                for hub_id in sorted(
                    rows["hub"], key=lambda i: (not i, hub_names.get(i, ""))
                )
            ],
            "shipper_rows": [
                {
                    "id": shipper_id or False,
                    "name": shipper_names.get(shipper_id) or self.env._("No shipper"),
                    **figures(
                        rows["shipper"][shipper_id],
                        [("shipper_id", "=", shipper_id)],
                        [("parcel_id.shipper_id", "=", shipper_id)],
                    ),
                }
                for shipper_id in shipper_ids
            ],
        }

    @api.model
    def _tms_dashboard_scope(self, period, hub_id, company_id):
        """Check the dashboard's arguments; return its companies and hub."""
        if period not in DASHBOARD_PERIODS:
            raise UserError(
                self.env._("Unknown dashboard period %(period)s.", period=period)
            )
        for value in (hub_id, company_id):
            if value is not None and not isinstance(value, int):
                raise UserError(
                    self.env._(
                        "A hub or company is given by its id, not %(value)r.",
                        value=value,
                    )
                )
        companies = self.env.companies
        if company_id:
            if company_id not in companies.ids:
                raise AccessError(
                    self.env._("You cannot see the dashboard of this company.")
                )
            companies = companies.browse(company_id)
        hub = self.env["tms.hub"]
        if hub_id:
            hub = hub.browse(hub_id).exists()
            if hub:
                hub.check_access("read")
            if not hub or hub.company_id not in companies:
                raise AccessError(
                    self.env._("You cannot see the dashboard of this hub.")
                )
        return companies, hub

    @api.model
    def _tms_dashboard_domains(self, companies, hub, start, end):
        """The domain of each figure: parcels, except ``failed`` (tracking events)."""
        start, end = fields.Datetime.to_string(start), fields.Datetime.to_string(end)
        scope = [("company_id", "in", companies.ids)]
        event_scope = list(scope)
        if hub:
            scope += [("hub_id", "=", hub.id)]
            event_scope += [("parcel_id.hub_id", "=", hub.id)]
        delivered = scope + [
            ("date_delivered", ">=", start),
            ("date_delivered", "<", end),
        ]
        return {
            "shipped": scope
            + [
                ("date_shipping", ">=", start),
                ("date_shipping", "<", end),
                ("state", "!=", "draft"),
            ],
            "delivered": delivered,
            "on_time": delivered + [("tms_delivery_punctuality", "=", "on_time")],
            "late": delivered + [("tms_delivery_punctuality", "=", "late")],
            "open": scope + [("state", "not in", CLOSED_STATES)],
            "exceptions": scope + [("tms_exception", "=", True)],
            "failed": event_scope
            + [
                ("state", "=", "failed"),
                ("event_date", ">=", start),
                ("event_date", "<", end),
            ],
        }

    @api.model
    def _tms_dashboard_tally(self, domains):
        """Count the figures in four grouped queries: totals, by state, by failure
        reason, by exception reason, and the same figures per hub and per shipper (by
        id)."""
        shipped = self._read_group(
            domains["shipped"], ["state", "hub_id", "shipper_id"], ["__count"]
        )
        delivered = self._read_group(
            domains["delivered"],
            ["hub_id", "shipper_id", "tms_delivery_punctuality"],
            ["__count"],
        )
        opened = self._read_group(
            domains["open"],
            ["hub_id", "shipper_id", "tms_exception_reason"],
            ["__count"],
        )
        failed = self.env["tms.parcel.event"]._read_group(
            domains["failed"],
            ["failure_reason_id", "parcel_hub_id", "parcel_shipper_id"],
            ["__count"],
        )
        rows = {"hub": defaultdict(Counter), "shipper": defaultdict(Counter)}
        tally = {
            "totals": Counter(),
            "by_state": Counter(),
            "by_reason": Counter(),
            "by_exception": Counter(),
            "rows": rows,
        }

        def add(keys, hub, shipper, count):
            for key in keys:
                tally["totals"][key] += count
                rows["hub"][hub.id][key] += count
                rows["shipper"][shipper.id][key] += count

        for state, hub, shipper, count in shipped:
            tally["by_state"][state] += count
            add(["shipped"], hub, shipper, count)
        for hub, shipper, punctuality, count in delivered:
            add(["delivered", punctuality or "no_promise"], hub, shipper, count)
        for hub, shipper, reason, count in opened:
            if reason:
                tally["by_exception"][reason] += count
            add(["open", "exceptions"] if reason else ["open"], hub, shipper, count)
        for reason, hub, shipper, count in failed:
            tally["by_reason"][reason.id] += count
            add(["failed"], hub, shipper, count)
        return tally

    @api.model
    def _tms_dashboard_period(self, period):
        """The period as UTC bounds ``[start, end)`` of the user's local days, and its
        first and last local dates (ISO strings)."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()
        if period == "week":
            week_start = int(get_lang(self.env).week_start)  # 1 = Monday ... 7 = Sunday
            first = today - timedelta(days=(today.isoweekday() - week_start) % 7)
            last = first + timedelta(days=6)
        elif period == "month":
            first = today.replace(day=1)
            last = first + relativedelta(months=1, days=-1)
        else:
            first = last = today

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return (
            utc(first),
            utc(last + timedelta(days=1)),
            first.isoformat(),
            last.isoformat(),
        )

    @api.model
    def _tms_names(self, model, ids):
        records = self.env[model].browse([i for i in ids if i])
        return {record.id: record.display_name for record in records}

    @api.model
    def _tms_rate(self, on_time, late):
        """Share of on-time deliveries in percent (one decimal), None without any."""
        if not on_time + late:
            return None
        return round(100.0 * on_time / (on_time + late), 1)
