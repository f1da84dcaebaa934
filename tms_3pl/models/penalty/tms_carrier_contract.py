# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsCarrierContract(models.Model):
    _inherit = "tms.carrier.contract"

    penalty_rule_ids = fields.One2many(
        "tms.carrier.penalty.rule", "contract_id", string="Penalty Rules", copy=True
    )
    penalty_monthly_cap = fields.Monetary(
        string="Penalties Cap per Month",
        currency_field="currency_id",
        help="The most the carrier is charged in penalties in one month, all rules "
        "together; 0: no cap.",
    )
    penalty_product_id = fields.Many2one(
        "product.product",
        string="Penalty Product",
        check_company=True,
        domain=[("type", "=", "service")],
        default=lambda self: self.env.ref(
            "tms_3pl.product_sla_penalty", raise_if_not_found=False
        ),
        help="The product of the penalty lines on the carrier's bills.",
    )
    penalty_ids = fields.One2many(
        "tms.carrier.penalty", "contract_id", string="Penalties", readonly=True
    )
    penalty_count = fields.Integer(compute="_compute_penalty_count")

    _sql_constraints = [
        (
            "penalty_cap_positive",
            "CHECK(penalty_monthly_cap >= 0)",
            "A penalties cap cannot be negative.",
        ),
    ]

    def _compute_penalty_count(self):
        counts = dict(
            self.env["tms.carrier.penalty"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.penalty_count = counts.get(contract, 0)

    def action_view_penalties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_3pl.tms_carrier_penalty_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        return action
