# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The 3PL side of the demo: tms_core's demo parcels were recorded before this
module's SLA policies existed; here they get their SLA, then the demo companies get
a chart of accounts, their carriers' penalties and their clients' SLA reports
(demo/tms_3pl_demo.xml)."""

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

from ..penalty.tms_carrier_penalty import month_bounds


class TmsDemo(models.AbstractModel):
    _inherit = "tms.demo"

    @api.model
    def _tms_demo_today(self, company):
        """Today where ``company`` works."""
        return fields.Date.context_today(
            self.with_context(tz=company.resource_calendar_id.tz or "UTC")
        )

    @api.model
    def _tms_demo_sla(self, company_ids):
        """The SLA of the companies' parcels: their policy, what the event hooks
        would have dated (the arrival at the destination hub, a pause), their due
        times and states, then the account managers' alerts."""
        Parcel = self.env["tms.parcel"].with_context(
            tracking_disable=True, mail_notrack=True
        )
        parcels = Parcel.search([("company_id", "in", company_ids)])
        if not parcels:
            return
        self.env.add_to_compute(Parcel._fields["sla_policy_id"], parcels)
        parcels.flush_recordset(["sla_policy_id"])

        events = (
            self.env["tms.parcel.event"]
            .sudo()
            .search_fetch(
                [("parcel_id", "in", parcels.ids), ("is_applied", "=", True)],
                ["parcel_id", "state", "hub_id", "failure_reason_id", "event_date"],
                order="event_date, id",
            )
        )
        arrivals, pausing = {}, set()
        for event in events:
            parcel = event.parcel_id
            reason = event.failure_reason_id
            if reason and reason in parcel.sla_policy_id.pause_reason_ids:
                pausing.add(parcel.id)
            if (
                event.state == "at_hub"
                and event.hub_id
                and event.hub_id == parcel.destination_hub_id
            ):
                arrivals.setdefault(parcel.id, event.event_date)
        Parcel.browse(pausing).write({"sla_has_pause": True})
        for parcel_id, date in arrivals.items():
            Parcel.browse(parcel_id).sla_date_at_destination = date
        parcels._tms_sla_recompute()
        Parcel._cron_tms_sla_update()

    @api.model
    def _tms_demo_penalties(self, company_ids):
        """A generic chart of accounts for the companies without one (the
        penalties are lines of vendor bills), Sahara Messagerie's bill of the month
        so far, then the penalties of last month (on credit notes) and of this
        month (on that bill, or on a credit note)."""
        companies = self.env["res.company"].browse(company_ids)
        ChartTemplate = self.env["account.chart.template"]
        for company in companies.filtered(lambda c: not c.chart_template):
            # _load() rather than try_loading(), which only adds a warning that
            # the registry is still loading modules: the generic chart's journals
            # and accounts are all the penalties need. It is an American chart:
            # the company keeps its currency (MAD, EUR) and its country, set back
            # before any journal item exists
            currency, country = company.currency_id, company.country_id
            ChartTemplate._load("generic_coa", company, install_demo=False)
            company.write(
                {"currency_id": currency.id, "account_fiscal_country_id": country.id}
            )
        sahara = self.env.ref(
            "tms_3pl.tms_carrier_contract_sahara_demo", raise_if_not_found=False
        )
        if sahara and sahara.company_id in companies:
            self._tms_demo_carrier_bill(sahara)
        for company in companies:
            today = self._tms_demo_today(company)
            Penalty = (
                self.env["tms.carrier.penalty"]
                .with_company(company)
                .with_context(allowed_company_ids=company.ids)
            )
            Penalty._tms_run(today - relativedelta(months=1))
            Penalty._tms_run(today)

    @api.model
    def _tms_demo_carrier_bill(self, contract):
        """The carrier's draft bill of the month so far: one line per zone with the
        freight of its parcels handed over this month, at the contract's rates."""
        company = contract.company_id
        date_from, _date_to = month_bounds(self._tms_demo_today(company))
        parcels = self.env["tms.parcel"].search(
            [
                ("company_id", "=", company.id),
                ("carrier_id", "=", contract.carrier_id.id),
                ("state", "not in", ("draft", "cancelled")),
                ("date_shipping", ">=", date_from),
            ]
        )
        lines = []
        for zone in parcels.zone_id:
            zone_parcels = parcels.filtered(lambda p, z=zone: p.zone_id == z)
            freight = sum(
                contract._tms_purchase_price(
                    parcel.service_id,
                    zone,
                    parcel.chargeable_weight or parcel.weight,
                )
                or 0.0
                for parcel in zone_parcels
            )
            lines.append(
                Command.create(
                    {
                        "product_id": contract.product_id.id,
                        "name": f"{contract.product_id.name} - {zone.name} "
                        f"({len(zone_parcels)})",
                        "quantity": 1,
                        "price_unit": freight,
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        if not lines:
            return self.env["account.move"]
        return (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "in_invoice",
                    "company_id": company.id,
                    "partner_id": contract.partner_id.commercial_partner_id.id,
                    "currency_id": contract.currency_id.id,
                    "invoice_date": self._tms_demo_today(company),
                    "ref": contract.reference,
                    "invoice_line_ids": lines,
                }
            )
        )

    @api.model
    def _tms_demo_client_reports(self, company_ids):
        """The SLA report of the month (not sent) of each client with parcels due
        this month."""
        self.env.flush_all()
        Analysis = self.env["tms.sla.report"]
        vals_list = []
        for company in self.env["res.company"].browse(company_ids):
            date_from, date_to = month_bounds(self._tms_demo_today(company))
            clients = Analysis._read_group(
                [
                    ("company_id", "=", company.id),
                    ("client_id", "!=", False),
                    ("date_due", ">=", fields.Datetime.to_datetime(date_from)),
                    ("date_due", "<", fields.Datetime.to_datetime(date_to)),
                ],
                ["client_id"],
            )
            vals_list += [
                {
                    "company_id": company.id,
                    "partner_id": client.id,
                    "date_from": date_from,
                }
                for [client] in clients
            ]
        return self.env["tms.sla.client.report"].create(vals_list)
