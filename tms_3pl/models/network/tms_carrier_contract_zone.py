# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsCarrierContractZone(models.Model):
    """A zone a carrier serves under a contract, and on which days it delivers there
    (e.g. "North: Mon/Wed/Fri")."""

    _name = "tms.carrier.contract.zone"
    _description = "Zone Served by a Carrier"
    _order = "contract_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    contract_id = fields.Many2one(
        "tms.carrier.contract", required=True, ondelete="cascade", index=True
    )
    carrier_id = fields.Many2one(
        related="contract_id.carrier_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True, precompute=True
    )
    zone_id = fields.Many2one(
        "tms.zone", required=True, check_company=True, ondelete="cascade"
    )
    weekday_ids = fields.Many2many(
        "tms.weekday",
        string="Delivery Days",
        default=lambda self: self.env["tms.weekday"].search([("code", "<", 5)]),
        help="The days the carrier delivers in this zone.",
    )
    transit_days = fields.Integer(
        default=1,
        help="Working days from the carrier's pickup to the delivery (J+1, J+2).",
    )
    cutoff_time = fields.Float(
        string="Cut-off Time",
        help="Leave at 00:00 to use the contract's cut-off time.",
    )
    daily_capacity = fields.Integer(
        help="Parcels a day in this zone; 0: the contract's capacity applies."
    )

    _sql_constraints = [
        (
            "zone_contract_uniq",
            "unique(contract_id, zone_id)",
            "A zone appears once in a contract.",
        ),
        (
            "values_positive",
            "CHECK(transit_days >= 0 AND daily_capacity >= 0)",
            "Transit days and capacities cannot be negative.",
        ),
    ]

    @api.depends("zone_id", "weekday_ids")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for line in self:
            days = "/".join(line.weekday_ids.sorted("code").mapped("name"))
            line.display_name = (
                f"{line.zone_id.name}: {days}" if days else line.zone_id.name
            )

    @api.constrains("cutoff_time")
    def _check_cutoff_time(self):
        if any(not 0 <= line.cutoff_time <= 24 for line in self):
            raise ValidationError(
                self.env._("A cut-off time is between 00:00 and 24:00.")
            )

    def _tms_cutoff(self):
        """The cut-off time that applies in this zone."""
        self.ensure_one()
        return self.cutoff_time or self.contract_id.cutoff_time
