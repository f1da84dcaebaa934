# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsHub(models.Model):
    _inherit = "tms.hub"

    printer_ids = fields.One2many("tms.printer", "hub_id", string="Printers")
    default_printer_id = fields.Many2one(
        "tms.printer",
        string="Default Printer",
        check_company=True,
        domain="[('hub_id', '=', id)]",
        help="Where the hub's labels are printed for users without a default "
        "printer of their own.",
    )
