# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .tms_return import NOTIFY_STEP_LABELS


class TmsNotificationLog(models.Model):
    """Notifications of returns: about the return (its templates render it, its
    chatter tells what was sent), filed under the delivered parcel it returns items
    of."""

    _inherit = "tms.notification.log"

    return_id = fields.Many2one(
        "tms.return",
        string="Return",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    return_step = fields.Selection(NOTIFY_STEP_LABELS, readonly=True)

    def _tms_notified_record(self):
        self.ensure_one()
        return self.return_id or super()._tms_notified_record()

    def _tms_message_log(self, body):
        self.ensure_one()
        if not self.return_id:
            return super()._tms_message_log(body)
        # the job may run as the customer or a public visitor: the carrier writes it
        return self.return_id._message_log(
            body=body, author_id=self.company_id.partner_id.id
        )
