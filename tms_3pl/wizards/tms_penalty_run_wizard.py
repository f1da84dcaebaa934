# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]


def _last_month(wizard):
    return fields.Date.context_today(wizard) - relativedelta(months=1)


class TmsPenaltyRunWizard(models.TransientModel):
    """Charge a month's SLA penalties now, for one carrier or all of them."""

    _name = "tms.penalty.run.wizard"
    _description = "Charge SLA Penalties"

    month = fields.Selection(
        MONTHS, required=True, default=lambda self: str(_last_month(self).month)
    )
    year = fields.Integer(required=True, default=lambda self: _last_month(self).year)
    carrier_ids = fields.Many2many(
        "tms.carrier",
        string="Carriers",
        domain="[('company_id', 'in', (company_id, False))]",
        help="Empty: every carrier with penalty rules.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.constrains("year")
    def _check_year(self):
        if any(not 2000 <= wizard.year <= 2100 for wizard in self):
            raise UserError(self.env._("Choose a year between 2000 and 2100."))

    def action_run(self):
        self.ensure_one()
        day = fields.Date.to_date(f"{self.year}-{int(self.month):02d}-01")
        carriers = self.carrier_ids or None
        penalties = (
            self.env["tms.carrier.penalty"]
            .with_company(self.company_id)
            ._tms_run(day, carriers=carriers)
        )
        moves = penalties.move_id | penalties.client_move_id
        if not moves:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._(
                        "No new late parcel to charge for %(month)s %(year)s.",
                        month=dict(
                            self._fields["month"]._description_selection(self.env)
                        )[self.month],
                        year=self.year,
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bills and Credit Notes with SLA Penalties"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", moves.ids)],
            "context": {"create": False},
        }
