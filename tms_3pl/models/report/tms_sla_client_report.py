# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_date

from ..penalty.tms_carrier_penalty import company_today, day_start_utc, month_bounds


class TmsSlaClientReport(models.Model):
    """A client's SLA report of a month: its parcels due that month, how many were
    on time, why the others were late, by zone and by carrier, and the parcels behind
    each figure. Printed as a PDF, sent to the client each month and shown on its
    portal."""

    _name = "tms.sla.client.report"
    _description = "Client SLA Report"
    _inherit = ["portal.mixin", "mail.thread"]
    _order = "date_from desc, partner_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    date_from = fields.Date(
        string="Month",
        required=True,
        default=lambda self: month_bounds(
            company_today(self.env.company) - relativedelta(months=1)
        )[0],
    )
    state = fields.Selection(
        [("draft", "Not Sent"), ("sent", "Sent")],
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    parcel_count = fields.Integer(compute="_compute_figures", string="Parcels")
    on_time_rate = fields.Float(
        compute="_compute_figures", string="On Time (%)", digits=(16, 1)
    )
    late_count = fields.Integer(compute="_compute_figures", string="Late")

    _sql_constraints = [
        (
            "client_month_uniq",
            "unique(company_id, partner_id, date_from)",
            "A client has one SLA report a month.",
        ),
    ]

    @api.depends("partner_id", "date_from")
    def _compute_name(self):
        for report in self:
            report.name = self.env._(
                "SLA report %(month)s - %(client)s",
                month=report.date_from and report.date_from.strftime("%Y-%m") or "",
                client=report.partner_id.name or "",
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for report in self:
            report.access_url = f"/my/sla/{report.id}"

    def _compute_figures(self):
        for report in self:
            figures = report._tms_figures(with_lines=False)
            report.parcel_count = figures["total"]["parcels"]
            report.on_time_rate = figures["total"]["rate"] or 0.0
            report.late_count = figures["total"]["late"]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("date_from"):
                vals["date_from"] = month_bounds(
                    fields.Date.to_date(vals["date_from"])
                )[0]
        return super().create(vals_list)

    # ----------------------------------------------------------------------------------
    # figures
    # ----------------------------------------------------------------------------------
    def _tms_domain(self):
        self.ensure_one()
        date_from, date_to = month_bounds(self.date_from)
        return [
            ("company_id", "=", self.company_id.id),
            ("client_id", "=", self.partner_id.commercial_partner_id.id),
            ("date_due", ">=", day_start_utc(self.company_id, date_from)),
            ("date_due", "<", day_start_utc(self.company_id, date_to)),
        ]

    def _tms_period_label(self):
        self.ensure_one()
        return format_date(self.env, self.date_from, date_format="MMMM y")

    def _tms_figures(self, with_lines=True):
        """The report's figures: ``total``, ``by_cause``, ``by_zone``,
        ``by_carrier`` (lists of dicts with ``label``, ``parcels``, ``on_time``,
        ``late``, ``rate``) and, with ``with_lines``, the late ``parcels`` with their
        due and delivery times, cause, zone and carrier (the appendix)."""
        self.ensure_one()
        # sudo: the figures of the report's own client and company only (domain);
        # portal clients read them through their report
        Analysis = self.env["tms.sla.report"].sudo()
        # the analysis is a view on the parcels: pending parcel writes first
        self.env.flush_all()
        domain = self._tms_domain()
        aggregates = ["parcel_count:sum", "on_time_count:sum", "late_count:sum"]

        def row(label, parcels, on_time, late):
            settled = on_time + late
            return {
                "label": label,
                "parcels": parcels,
                "on_time": on_time,
                "late": late,
                "rate": round(100.0 * on_time / settled, 1) if settled else None,
            }

        [total] = Analysis._read_group(domain, [], aggregates)
        result = {"total": row(self._tms_period_label(), *total)}
        causes = dict(Analysis._fields["breach_cause"]._description_selection(self.env))
        for key, groupby in (
            ("by_zone", "zone_id"),
            ("by_carrier", "carrier_id"),
        ):
            result[key] = [
                row(group.display_name or self.env._("None"), *values)
                for group, *values in Analysis._read_group(
                    domain, [groupby], aggregates
                )
            ]
        result["by_cause"] = [
            row(
                reason.display_name or causes.get(cause, ""),
                count,
                0,
                count,
            )
            for cause, reason, count in Analysis._read_group(
                domain + [("late_count", "=", 1)],
                ["breach_cause", "failure_reason_id"],
                ["__count"],
            )
        ]
        if with_lines:
            result["parcels"] = Analysis.search(
                domain + [("late_count", "=", 1)], order="date_due, id"
            )
            result["causes"] = causes
        return result

    # ----------------------------------------------------------------------------------
    # sending
    # ----------------------------------------------------------------------------------
    def action_send(self):
        """Email the report to the client, the PDF attached, in its language."""
        template = self.env.ref("tms_3pl.mail_template_sla_client_report")
        for report in self:
            report.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=report.partner_id.ids,
            )
        self.write({"state": "sent"})

    def action_print(self):
        return self.env.ref("tms_3pl.action_report_sla_client").report_action(self)

    @api.model
    def _cron_tms_send_last_month(self):
        """Last month's report of every client with parcels due then, sent; each
        company's month is cut where it works."""
        Analysis = self.env["tms.sla.report"]
        companies = self.env["res.company"].browse(
            company.id
            for [company] in Analysis._read_group(
                [("client_id", "!=", False)], ["company_id"]
            )
        )
        vals_list = []
        for company in companies:
            date_from, date_to = month_bounds(
                company_today(company) - relativedelta(months=1)
            )
            clients = Analysis._read_group(
                [
                    ("company_id", "=", company.id),
                    ("client_id", "!=", False),
                    ("date_due", ">=", day_start_utc(company, date_from)),
                    ("date_due", "<", day_start_utc(company, date_to)),
                ],
                ["client_id"],
            )
            existing = self.search(
                [("company_id", "=", company.id), ("date_from", "=", date_from)]
            ).partner_id
            vals_list += [
                {
                    "company_id": company.id,
                    "partner_id": client.id,
                    "date_from": date_from,
                }
                for [client] in clients
                if client not in existing
            ]
        new = self.create(vals_list)
        new.filtered(lambda r: r.partner_id.email).action_send()
        return new
