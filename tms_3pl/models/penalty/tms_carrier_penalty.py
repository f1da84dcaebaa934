# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Penalties of carriers for parcels delivered after their SLA due time: one record
per parcel, on a line of the carrier's vendor bill (or of a vendor credit note), and,
when the client's SLA policy says so, on a line of the client's credit note.

The monthly run (:meth:`TmsCarrierPenalty._tms_run`) takes the parcels of a month
(by their due time) that are met late or breached and have no penalty yet, so running
it again adds only what is new."""

from datetime import date, datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import format_date

from ...tools import sla

BREACH_CAUSES = [
    ("failed", "Failed Delivery Attempt"),
    ("pickup", "Picked Up Late"),
    ("hub", "Late at Destination Hub"),
    ("late", "Delivered Late"),
    ("undelivered", "Not Delivered"),
]


def month_bounds(day):
    """The first day of ``day``'s month and of the next month."""
    first = date(day.year, day.month, 1)
    return first, first + relativedelta(months=1)


def company_tz(company):
    """The time zone a company's months and days are cut in: its working calendar's,
    else its partner's, else UTC."""
    # sudo: a time zone name, also for the clients' portal users reading their report
    company = company.sudo()
    return pytz.timezone(
        company.resource_calendar_id.tz or company.partner_id.tz or "UTC"
    )


def day_start_utc(company, day):
    """Midnight at the start of ``day`` in ``company``'s time zone, as a naive UTC
    datetime (how Odoo stores datetimes): a month ends at midnight where the company
    works, not at midnight in Greenwich."""
    local = company_tz(company).localize(datetime.combine(day, time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def company_today(company):
    """Today's date where ``company`` works."""
    return datetime.now(pytz.utc).astimezone(company_tz(company)).date()


class TmsCarrierPenalty(models.Model):
    _name = "tms.carrier.penalty"
    _description = "Carrier SLA Penalty"
    _order = "period_date desc, contract_id, date_due, id"
    _check_company_auto = True
    _rec_name = "parcel_id"

    parcel_id = fields.Many2one(
        "tms.parcel", required=True, ondelete="restrict", index=True, readonly=True
    )
    tracking_number = fields.Char(related="parcel_id.tracking_number")
    rule_id = fields.Many2one(
        "tms.carrier.penalty.rule", required=True, ondelete="restrict", readonly=True
    )
    contract_id = fields.Many2one(
        "tms.carrier.contract", required=True, index=True, readonly=True
    )
    carrier_id = fields.Many2one(
        related="contract_id.carrier_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="contract_id.currency_id")
    client_id = fields.Many2one(
        related="parcel_id.sla_client_id", string="Client", store=True
    )
    zone_id = fields.Many2one(related="parcel_id.zone_id", store=True)
    period_date = fields.Date(
        string="Month",
        required=True,
        index=True,
        readonly=True,
        help="The first day of the month of the parcel's due time.",
    )
    date_due = fields.Datetime(string="Due", readonly=True)
    date_delivered = fields.Datetime(string="Delivered", readonly=True)
    late_hours = fields.Float(
        string="Late (h)",
        readonly=True,
        help="Hours between the due time and the "
        "delivery (or the run, for a parcel not delivered).",
    )
    sla_state = fields.Selection(related="parcel_id.sla_state")
    breach_cause = fields.Selection(BREACH_CAUSES, readonly=True)
    failure_reason_id = fields.Many2one(
        "tms.failure.reason", string="Failure Reason", readonly=True
    )
    freight = fields.Monetary(currency_field="currency_id", readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True)
    capped = fields.Boolean(
        readonly=True, help="The monthly cap lowered the amount of this parcel."
    )
    move_line_id = fields.Many2one(
        "account.move.line", string="Bill Line", readonly=True, index="btree_not_null"
    )
    move_id = fields.Many2one(
        "account.move", string="Vendor Bill", readonly=True, index="btree_not_null"
    )
    client_amount = fields.Monetary(
        string="Client Credit", currency_field="currency_id", readonly=True
    )
    client_move_line_id = fields.Many2one(
        "account.move.line", string="Client Credit Line", readonly=True
    )
    client_move_id = fields.Many2one(
        "account.move",
        string="Client Credit Note",
        readonly=True,
        index="btree_not_null",
    )
    event_ids = fields.One2many(related="parcel_id.event_ids", string="Events")

    _sql_constraints = [
        (
            "parcel_uniq",
            "unique(parcel_id)",
            "A parcel is charged to its carrier once.",
        ),
    ]

    # ----------------------------------------------------------------------------------
    # the monthly run
    # ----------------------------------------------------------------------------------
    @api.model
    def _cron_tms_run_last_month(self):
        """The scheduled run: last month's penalties of every company."""
        # sudo: the scheduled action charges every company's carriers
        contracts = self.env["tms.carrier.contract"].sudo().search([])
        for company in contracts.company_id:
            day = company_today(company) - relativedelta(months=1)
            self.with_company(company).with_context(
                allowed_company_ids=company.ids
            )._tms_run(day)

    @api.model
    def _tms_run(self, day, carriers=None):
        """Charge the penalties of the month of ``day`` to the carriers (all of the
        current companies' carriers, or ``carriers``): new penalties only. Returns
        the new penalties."""
        date_from, date_to = month_bounds(day)
        domain = [
            ("penalty_rule_ids", "!=", False),
            ("state", "in", ("running", "closed")),
            ("company_id", "in", self.env.companies.ids),
            ("date_start", "<", date_to),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", date_from),
        ]
        if carriers is not None:
            domain.append(("carrier_id", "in", carriers.ids))
        contracts = self.env["tms.carrier.contract"].search(domain)
        penalties = self.browse()
        for contract in contracts:
            penalties |= self._tms_charge_contract(contract, date_from, date_to)
        penalties._tms_bill_carriers(date_from)
        penalties._tms_credit_clients(date_from)
        return penalties

    @api.model
    def _tms_charge_contract(self, contract, date_from, date_to):
        """Create the penalties of ``contract`` for the parcels due in the month."""
        start = max(contract.date_start, date_from)
        end = (
            min(contract.date_end + relativedelta(days=1), date_to)
            if (contract.date_end)
            else date_to
        )
        now = fields.Datetime.now()
        parcels = self.env["tms.parcel"].search(
            [
                ("company_id", "=", contract.company_id.id),
                ("carrier_id", "=", contract.carrier_id.id),
                # breached since the SLA job last ran counts as breached
                "|",
                ("sla_state", "in", (sla.BREACHED, sla.MET_LATE)),
                "&",
                "&",
                ("sla_state", "in", (sla.ON_TRACK, sla.AT_RISK)),
                ("sla_paused", "=", False),
                ("sla_date_due", "<", now),
                ("sla_date_due", ">=", day_start_utc(contract.company_id, start)),
                ("sla_date_due", "<", day_start_utc(contract.company_id, end)),
                ("tms_penalty_ids", "=", False),
            ],
            order="sla_date_due, id",
        )
        if not parcels:
            return self.browse()
        rules = contract.penalty_rule_ids
        used = dict(
            self._read_group(
                [("contract_id", "=", contract.id), ("period_date", "=", date_from)],
                ["rule_id"],
                ["amount:sum"],
            )
        )
        contract_used = sum(used.values())
        causes = parcels._tms_sla_breach_causes()
        vals_list = []
        for parcel in parcels:
            late_hours = (
                (parcel.date_delivered or now) - parcel.sla_date_due
            ).total_seconds() / 3600
            fitting = rules.filtered(lambda r, h=late_hours: r.grace_hours < h)
            if not fitting:
                continue
            rule = max(fitting, key=lambda r: (r.grace_hours, -r.sequence, -r.id))
            amount, freight = rule._tms_amount(parcel)
            capped_amount = amount
            if rule.monthly_cap:
                capped_amount = min(
                    capped_amount, max(rule.monthly_cap - used.get(rule, 0.0), 0.0)
                )
            if contract.penalty_monthly_cap:
                capped_amount = min(
                    capped_amount,
                    max(contract.penalty_monthly_cap - contract_used, 0.0),
                )
            used[rule] = used.get(rule, 0.0) + capped_amount
            contract_used += capped_amount
            cause, reason = causes[parcel]
            policy = parcel.sla_policy_id
            vals_list.append(
                {
                    "parcel_id": parcel.id,
                    "rule_id": rule.id,
                    "contract_id": contract.id,
                    "period_date": date_from,
                    "date_due": parcel.sla_date_due,
                    "date_delivered": parcel.date_delivered,
                    "late_hours": round(late_hours, 2),
                    "breach_cause": cause,
                    "failure_reason_id": reason.id,
                    "freight": freight,
                    "amount": capped_amount,
                    "capped": contract.currency_id.compare_amounts(
                        capped_amount, amount
                    )
                    < 0,
                    "client_amount": policy.client_credit_amount
                    if policy.client_credit
                    else 0.0,
                }
            )
        return self.create(vals_list)

    def _tms_period_label(self, date_from):
        return format_date(self.env, date_from, date_format="MMMM y")

    def _tms_bill_carriers(self, date_from):
        """Add one line per rule to the carrier's draft vendor bill of the month,
        or to a vendor credit note when it has none."""
        to_bill = self.filtered(
            lambda p: not p.currency_id.is_zero(p.amount) and not p.move_line_id
        )
        by_contract = {}
        for penalty in to_bill:
            by_contract.setdefault(penalty.contract_id, self.browse())
            by_contract[penalty.contract_id] |= penalty
        for contract, penalties in by_contract.items():
            move = self._tms_carrier_move(contract, date_from)
            refund = move.move_type == "in_refund"
            groups = []
            for rule in penalties.rule_id:
                rule_penalties = penalties.filtered(lambda p, r=rule: p.rule_id == r)
                total = sum(rule_penalties.mapped("amount"))
                groups.append(
                    (
                        rule_penalties,
                        self._tms_line_vals(
                            contract.penalty_product_id,
                            self.env._(
                                "SLA penalties %(month)s - %(rule)s: %(count)s "
                                "late parcels",
                                month=self._tms_period_label(date_from),
                                rule=rule.name,
                                count=len(rule_penalties),
                            ),
                            total if refund else -total,
                        ),
                    )
                )
            lines = self._tms_add_lines(move, [vals for _p, vals in groups])
            for (rule_penalties, _vals), line in zip(groups, lines, strict=True):
                rule_penalties.write({"move_line_id": line.id, "move_id": move.id})

    def _tms_credit_clients(self, date_from):
        """Credit the clients whose SLA policy says so: one line per policy on the
        client's draft credit note of the month."""
        to_credit = self.filtered(
            lambda p: not p.currency_id.is_zero(p.client_amount)
            and not p.client_move_line_id
            and p.client_id
        )
        by_client = {}
        for penalty in to_credit:
            key = (penalty.company_id, penalty.client_id)
            by_client.setdefault(key, self.browse())
            by_client[key] |= penalty
        for (company, client), penalties in by_client.items():
            move = self._tms_client_move(company, client, date_from)
            groups = []
            for policy in penalties.parcel_id.sla_policy_id:
                policy_penalties = penalties.filtered(
                    lambda p, pol=policy: p.parcel_id.sla_policy_id == pol
                )
                groups.append(
                    (
                        policy_penalties,
                        self._tms_line_vals(
                            policy.client_credit_product_id,
                            self.env._(
                                "SLA credit %(month)s - %(policy)s: %(count)s late "
                                "parcels",
                                month=self._tms_period_label(date_from),
                                policy=policy.name,
                                count=len(policy_penalties),
                            ),
                            sum(policy_penalties.mapped("client_amount")),
                        ),
                    )
                )
            lines = self._tms_add_lines(move, [vals for _p, vals in groups])
            for (policy_penalties, _vals), line in zip(groups, lines, strict=True):
                policy_penalties.write(
                    {"client_move_line_id": line.id, "client_move_id": move.id}
                )

    @api.model
    def _tms_line_vals(self, product, name, price_unit):
        vals = {"name": name, "quantity": 1.0, "price_unit": price_unit}
        if product:
            vals["product_id"] = product.id
            # penalties are damages, outside the scope of VAT
            vals["tax_ids"] = [Command.clear()]
        return vals

    @api.model
    def _tms_add_lines(self, move, vals_list):
        """Add invoice lines to a draft ``move``; the new lines in order."""
        before = move.invoice_line_ids
        move.write({"invoice_line_ids": [Command.create(vals) for vals in vals_list]})
        # name and price_unit again: the product's onchange may have replaced them
        lines = (move.invoice_line_ids - before).sorted("id")
        for line, vals in zip(lines, vals_list, strict=True):
            line.write({"name": vals["name"], "price_unit": vals["price_unit"]})
        return lines

    @api.model
    def _tms_carrier_move(self, contract, date_from):
        """The carrier's draft vendor bill of the month, else the draft credit note
        of its penalties of the month, else a new credit note."""
        partner = contract.partner_id.commercial_partner_id
        date_to = date_from + relativedelta(months=1)
        Move = self.env["account.move"]
        bills = Move.search(
            [
                ("move_type", "=", "in_invoice"),
                ("state", "=", "draft"),
                ("company_id", "=", contract.company_id.id),
                ("commercial_partner_id", "=", partner.id),
                ("currency_id", "=", contract.currency_id.id),
            ],
            order="id",
        )
        for bill in bills:
            day = bill.invoice_date or bill.date
            if day and date_from <= day < date_to:
                return bill
        refund = Move.search(
            [
                ("move_type", "=", "in_refund"),
                ("state", "=", "draft"),
                ("company_id", "=", contract.company_id.id),
                ("commercial_partner_id", "=", partner.id),
                ("tms_penalty_date", "=", date_from),
            ],
            limit=1,
        )
        return refund or Move.create(
            {
                "move_type": "in_refund",
                "partner_id": partner.id,
                "company_id": contract.company_id.id,
                "currency_id": contract.currency_id.id,
                "invoice_date": date_to - relativedelta(days=1),
                "ref": self.env._(
                    "SLA penalties %(month)s",
                    month=self._tms_period_label(date_from),
                ),
                "tms_penalty_date": date_from,
            }
        )

    @api.model
    def _tms_client_move(self, company, client, date_from):
        """The client's draft credit note of SLA credits of the month, else a new
        one."""
        Move = self.env["account.move"]
        return Move.search(
            [
                ("move_type", "=", "out_refund"),
                ("state", "=", "draft"),
                ("company_id", "=", company.id),
                ("commercial_partner_id", "=", client.id),
                ("tms_penalty_date", "=", date_from),
            ],
            limit=1,
        ) or Move.create(
            {
                "move_type": "out_refund",
                "partner_id": client.id,
                "company_id": company.id,
                "invoice_date": date_from + relativedelta(months=1, days=-1),
                "ref": self.env._(
                    "SLA credit %(month)s", month=self._tms_period_label(date_from)
                ),
                "tms_penalty_date": date_from,
            }
        )
