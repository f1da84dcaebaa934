# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class TmsParcelEvent(models.Model):
    """What a scan adds to a tracking event: the driver and the container it handed
    the parcel to (with what they were before, so that the scan can be undone), and
    the link of a correcting event to the event it corrects."""

    _inherit = "tms.parcel.event"

    driver_id = fields.Many2one(
        "res.users",
        string="Handed to Driver",
        readonly=True,
        index="btree_not_null",
        help="The driver the parcel was loaded for.",
    )
    previous_driver_id = fields.Many2one("res.users", readonly=True)
    container_id = fields.Many2one(
        "tms.container",
        readonly=True,
        index="btree_not_null",
        help="The bag, cage or pallet the parcel was in for this scan.",
    )
    previous_container_id = fields.Many2one("tms.container", readonly=True)
    correction_of_id = fields.Many2one(
        "tms.parcel.event",
        string="Corrects",
        readonly=True,
        index="btree_not_null",
        help="The scan this event undid: the parcel went back to the state it had "
        "before it.",
    )

    @api.model
    def _tms_check_transition(self, parcel, from_state, to_state, labels):
        # An undone scan takes the parcel back to the state it had before the scan,
        # which the transition table may not list (delivered -> out for delivery).
        # Only the scan's own server code asks for it, in superuser mode, naming each
        # (parcel, from, to) it corrects: a context key alone could come from any RPC
        # client.
        corrections = self._tms_privileged("tms_scan_corrections")
        if corrections and [parcel.id, from_state, to_state] in [
            list(correction) for correction in corrections
        ]:
            return
        return super()._tms_check_transition(parcel, from_state, to_state, labels)
