# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class TmsL10nPresetWizard(models.TransientModel):
    """Apply a country preset to a company; each tms_l10n_<code> module adds its
    country to ``preset``."""

    _name = "tms.l10n.preset.wizard"
    _description = "Apply a Country Preset"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    preset = fields.Selection([], string="Country", required=True)
    working_week = fields.Selection(
        [("mon_fri", "Monday to Friday"), ("mon_sat", "Monday to Saturday")],
        compute="_compute_working_week",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="The days the carrier delivers and counts in its delivery delays. The "
        "preset proposes the country's usual week.",
    )

    @api.depends("preset")
    def _compute_working_week(self):
        for wizard in self:
            if wizard.preset:
                wizard.working_week = self.env["res.company"]._tms_l10n_preset(
                    wizard.preset
                )["working_week"]
            else:
                wizard.working_week = wizard.working_week or "mon_fri"

    def action_apply(self):
        self.ensure_one()
        user = self.env.user
        if (
            not user.has_group("tms_core.group_tms_admin")
            or self.company_id not in user.company_ids
        ):
            raise AccessError(
                self.env._(
                    "Only a transport administrator working for %(company)s may apply "
                    "a country preset to it.",
                    company=self.company_id.display_name,
                )
            )
        # A preset sets the company's currency and working calendar and activates the
        # currency, which Odoo leaves to the Settings administrators: a transport
        # administrator of the company (checked above) may do it through the preset.
        calendar = self.company_id.sudo()._tms_l10n_apply_preset(
            self.preset, working_week=self.working_week
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "resource.calendar",
            "res_id": calendar.id,
            "view_mode": "form",
            "target": "current",
        }
