# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TmsL10nPresetWizard(models.TransientModel):
    _inherit = "tms.l10n.preset.wizard"

    preset = fields.Selection(
        selection_add=[("ma", "Morocco")], ondelete={"ma": "cascade"}
    )
