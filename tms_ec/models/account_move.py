# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        # called when invoices and credit notes become paid (or in payment), by a
        # payment, a reconciliation or a bank statement
        result = super()._invoice_paid_hook()
        refunds = self.filtered(lambda move: move.move_type == "out_refund")
        if refunds:
            # sudo: the accountant who registers the payment may not work in the
            # transport app; all that follows is closing the returns these credit
            # notes were issued for and telling their customers.
            returns = (
                self.env["tms.return"]
                .sudo()
                .search([("refund_move_id", "in", refunds.ids)])
            )
            returns._tms_check_refund_paid()
        return result
