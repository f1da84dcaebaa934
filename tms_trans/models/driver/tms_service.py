# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

PROOF_MODES = [
    ("required", "Required"),
    ("optional", "Optional"),
    ("off", "Off"),
]
# proof -> the service's field that says whether the driver app asks for it
PROOF_FIELDS = {
    "receiver_name": "proof_receiver_name",
    "signature": "proof_signature",
    "photo": "proof_photo",
}


class TmsService(models.Model):
    """Which proofs of delivery the driver app asks for, per service."""

    _inherit = "tms.service"

    proof_receiver_name = fields.Selection(
        PROOF_MODES,
        string="Receiver's Name",
        required=True,
        default="required",
        help="Required: the driver app refuses a delivery without it. Off: not asked.",
    )
    proof_signature = fields.Selection(
        PROOF_MODES,
        string="Signature",
        required=True,
        default="optional",
        help="Required: the driver app refuses a delivery without it. Off: not asked.",
    )
    proof_photo = fields.Selection(
        PROOF_MODES,
        string="Photo",
        required=True,
        default="optional",
        help="Required: the driver app refuses a delivery without it. Off: not asked.",
    )

    def _tms_proof_modes(self):
        """{proof: mode} for this service; without a service, every proof is
        optional except the receiver's name (the defaults of a new service)."""
        if not self:
            return {
                "receiver_name": "required",
                "signature": "optional",
                "photo": "optional",
            }
        self.ensure_one()
        return {proof: self[field] for proof, field in PROOF_FIELDS.items()}
