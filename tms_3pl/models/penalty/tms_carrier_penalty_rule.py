# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsCarrierPenaltyRule(models.Model):
    """What a carrier pays for a parcel delivered after its SLA due time (or not
    delivered at all): a fixed amount or a share of the parcel's freight (the
    contract's purchase rates), once the parcel is later than the grace, capped per
    month."""

    _name = "tms.carrier.penalty.rule"
    _description = "Carrier Penalty Rule"
    _order = "contract_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    contract_id = fields.Many2one(
        "tms.carrier.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="contract_id.currency_id")
    penalty_type = fields.Selection(
        [("fixed", "Fixed Amount per Parcel"), ("percent", "Share of the Freight")],
        string="Penalty",
        required=True,
        default="fixed",
    )
    amount = fields.Monetary(
        string="Amount per Parcel",
        currency_field="currency_id",
        help="Charged for each parcel late beyond the grace.",
    )
    percent = fields.Float(
        string="Share of the Freight (%)",
        help="Of the parcel's price in the contract's purchase rates.",
    )
    grace_hours = fields.Float(
        string="Grace (h)",
        help="Hours after the due time before the rule applies; the rule with the "
        "longest grace a parcel exceeds applies (0: any late parcel).",
    )
    monthly_cap = fields.Monetary(
        string="Cap per Month",
        currency_field="currency_id",
        help="The most this rule charges in one month; 0: no cap.",
    )

    _sql_constraints = [
        (
            "values_positive",
            "CHECK(amount >= 0 AND percent >= 0 AND grace_hours >= 0 "
            "AND monthly_cap >= 0)",
            "Penalty amounts, shares, graces and caps cannot be negative.",
        ),
    ]

    @api.constrains("penalty_type", "percent")
    def _check_percent(self):
        if any(rule.penalty_type == "percent" and rule.percent > 100 for rule in self):
            raise ValidationError(
                self.env._("A penalty cannot be more than the whole freight (100 %).")
            )

    def _tms_amount(self, parcel):
        """The penalty of ``parcel`` under this rule, before any cap, and the
        freight it is based on."""
        self.ensure_one()
        contract = self.contract_id
        freight = (
            contract._tms_purchase_price(
                parcel.service_id,
                parcel.zone_id,
                parcel.chargeable_weight or parcel.weight,
            )
            or 0.0
        )
        if self.penalty_type == "fixed":
            return self.amount, freight
        return self.currency_id.round(freight * self.percent / 100), freight
