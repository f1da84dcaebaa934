# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

RECIPIENT_POLICIES = [
    ("contact", "Contact of Its Own"),
    ("shipper_address", "Address of the Shipper"),
    ("none", "No Contact"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    tms_recipient_policy = fields.Selection(
        RECIPIENT_POLICIES,
        string="Recipient Contacts",
        required=True,
        default="contact",
        help="The contact the recipient of a new parcel from the API or a spreadsheet "
        "import is linked to (a shop's parcels go to the order's delivery address). "
        "Contact of Its Own: a delivery "
        "contact of the company with the same name, phone and address, else a new "
        "one. Address of the Shipper: a delivery address of the shipper with the same "
        "phone or email, else a new one under the shipper. No Contact: the parcel "
        "keeps the recipient's name, phone and address only.",
    )
