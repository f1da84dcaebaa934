# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsWeekday(models.Model):
    """A day of the week, to pick delivery days as tags ("Mon, Wed, Fri")."""

    _name = "tms.weekday"
    _description = "Weekday"
    _order = "code"

    name = fields.Char(required=True, translate=True)
    code = fields.Integer(required=True, help="0 is Monday, 6 is Sunday.")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each weekday exists once."),
        ("code_range", "CHECK(code >= 0 AND code <= 6)", "A weekday is 0 to 6."),
    ]
