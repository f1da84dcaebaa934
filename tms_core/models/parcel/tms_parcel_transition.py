# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models, tools

from .tms_parcel import PARCEL_STATES


class TmsParcelTransition(models.Model):
    """The allowed state changes of a parcel: one row each, data instead of code."""

    _name = "tms.parcel.transition"
    _description = "Allowed Parcel State Transition"
    _order = "from_state, to_state"

    from_state = fields.Selection(PARCEL_STATES, required=True)
    to_state = fields.Selection(PARCEL_STATES, required=True)
    active = fields.Boolean(default=True)
    note = fields.Char(translate=True, help="When this transition happens.")

    _sql_constraints = [
        (
            "transition_uniq",
            "unique(from_state, to_state)",
            "This transition already exists.",
        ),
    ]

    @api.model
    @tools.ormcache()
    def _allowed_pairs(self):
        rows = self.sudo().search_read([], ["from_state", "to_state"])
        return frozenset((row["from_state"], row["to_state"]) for row in rows)

    @api.model
    def _is_allowed(self, from_state, to_state):
        return (from_state, to_state) in self._allowed_pairs()

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
