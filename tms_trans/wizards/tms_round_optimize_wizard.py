# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..models.optimization.tms_round_optimization import BACKENDS


class TmsRoundOptimizeWizard(models.TransientModel):
    _name = "tms.round.optimize.wizard"
    _description = "Optimise Rounds"

    round_ids = fields.Many2many("tms.round", string="Rounds", required=True)
    time_budget = fields.Integer(
        string="Time Budget (s)",
        default=30,
        required=True,
        help="How long the solver searches; the best plan found by then is proposed.",
    )
    backend = fields.Selection(
        BACKENDS,
        string="Solver",
        default="pyvrp",
        required=True,
        help="PyVRP finds the shortest plans; rounds with a break, paired pickups or "
        "locked stops are handed to OR-Tools, which models them all.",
    )

    def action_optimize(self):
        self.ensure_one()
        run = self.env["tms.round.optimization"]._tms_start(
            self.round_ids, time_budget=self.time_budget, backend=self.backend
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "tms.round.optimization",
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }
