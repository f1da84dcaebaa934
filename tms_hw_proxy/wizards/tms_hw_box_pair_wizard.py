# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.tms_hw_box.tools.box import normalize_origin


class TmsHwBoxPairWizard(models.TransientModel):
    """Pair a hardware box: the browser sends the one-time code to the box and hands
    the token it gets back to Odoo (the Odoo server cannot reach the box)."""

    _name = "tms.hw.box.pair.wizard"
    _description = "Pair a Hardware Box"

    box_id = fields.Many2one("tms.hw.box", string="Box", readonly=True)
    name = fields.Char(required=True, default=lambda self: self.env._("Hardware box"))
    url = fields.Char(
        string="Box URL",
        required=True,
        help="As this browser reaches the box, e.g. https://box-dock1.local:8069.",
    )
    code = fields.Char(
        string="Pairing Code",
        required=True,
        help="The one-time code the box shows on its screen or in its log "
        "(e.g. K7QF-2M9X).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    def action_pair(self):
        """Hand over to the browser, which calls the box (see box_service.js)."""
        self.ensure_one()
        self._tms_check_manager()
        url = normalize_origin(self.url)
        if not url:
            raise UserError(
                self.env._(
                    "The box URL is https://host:port (e.g. "
                    "https://box-dock1.local:8069), without path."
                )
            )
        self.url = url
        return {
            "type": "ir.actions.client",
            "tag": "tms_hw_proxy.pair_box",
            "params": {"wizard_id": self.id, "url": url, "code": self.code.strip()},
        }

    def tms_register_pairing(self, payload, origin=None):
        """The browser relays the box's answer to the pairing: store the box."""
        self.ensure_one()
        self._tms_check_manager()
        if not isinstance(payload, dict) or not payload.get("box_id"):
            raise UserError(self.env._("The box did not answer with its id."))
        box = self.box_id
        if not box:
            box = self.env["tms.hw.box"].search(
                [
                    ("box_identifier", "=", str(payload["box_id"])),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            ) or self.env["tms.hw.box"].create(
                {
                    "name": self.name,
                    "url": self.url,
                    "company_id": self.company_id.id,
                }
            )
        box.check_access("write")
        box.write({"url": self.url})
        # the token field is readable and writable by administrators only; a TMS
        # manager (checked above) pairs the boxes of his companies
        box.sudo()._tms_register_pairing(payload, origin)
        return {
            "type": "ir.actions.act_window",
            "res_model": "tms.hw.box",
            "res_id": box.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _tms_check_manager(self):
        if not self.env.user.has_group("tms_core.group_tms_manager"):
            raise UserError(self.env._("Only transport managers pair hardware boxes."))
        self.env["tms.hw.box"].check_access("create")
