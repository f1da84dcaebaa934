# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class TmsCarrier(models.Model):
    """The carriers of tms_core, with their contracts, the zones they serve and their
    working calendar (subcontractors of a 3PL)."""

    _inherit = "tms.carrier"

    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="The carrier's working days and hours, public holidays included (its "
        "leaves); SLA due times of its parcels count on it unless the SLA policy "
        "names another calendar.",
    )
    contract_ids = fields.One2many(
        "tms.carrier.contract", "carrier_id", string="Contracts"
    )
    contract_count = fields.Integer(compute="_compute_contract_count")
    zone_line_ids = fields.One2many(
        "tms.carrier.contract.zone",
        "carrier_id",
        string="Zones Served",
        domain=[("contract_id.state", "=", "running")],
        readonly=True,
        help="The zones of the carrier's running contracts, with their delivery days.",
    )

    @api.depends("contract_ids")
    def _compute_contract_count(self):
        counts = dict(
            self.env["tms.carrier.contract"]._read_group(
                [("carrier_id", "in", self.ids)], ["carrier_id"], ["__count"]
            )
        )
        for carrier in self:
            carrier.contract_count = counts.get(carrier, 0)

    def action_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_3pl.tms_carrier_contract_action"
        )
        action["domain"] = [("carrier_id", "=", self.id)]
        action["context"] = {"default_carrier_id": self.id}
        return action

    def _tms_contract_on(self, day):
        """The carrier's running contract valid on ``day`` (the latest started)."""
        self.ensure_one()
        return self.contract_ids.filtered(
            lambda contract: contract.state == "running"
            and contract.date_start <= day
            and (not contract.date_end or contract.date_end >= day)
        ).sorted("date_start", reverse=True)[:1]
