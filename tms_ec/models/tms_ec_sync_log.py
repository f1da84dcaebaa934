# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

SYNC_RESULTS = [
    ("imported", "Imported"),
    ("updated", "Updated"),
    ("skipped", "Skipped"),
    ("cancelled", "Cancelled"),
    ("error", "Error"),
]


class TmsEcSyncLog(models.Model):
    """What happened to one shop order in one sync run or webhook: exactly one line
    per order received."""

    _name = "tms.ec.sync.log"
    _description = "Shop Order Sync Log"
    _order = "id desc"
    _rec_name = "order_name"

    run_id = fields.Many2one(
        "tms.ec.sync.run", required=True, readonly=True, index=True, ondelete="cascade"
    )
    backend_id = fields.Many2one(
        "tms.ec.backend", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    external_id = fields.Char(string="Shop Order ID", readonly=True, index=True)
    order_name = fields.Char(string="Order", readonly=True)
    ec_order_id = fields.Many2one(
        "tms.ec.order",
        string="Shop Order",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    result = fields.Selection(SYNC_RESULTS, required=True, readonly=True, index=True)
    reason = fields.Text(readonly=True)
