# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...tools import gs1

CONTAINER_TYPES = [("bag", "Bag"), ("cage", "Cage"), ("pallet", "Pallet")]
# Generated free codes: the type's prefix and a serial (never a tracking number).
FREE_CODE_PREFIXES = {"bag": "BAG", "cage": "CAGE", "pallet": "PAL"}


class TmsContainer(models.Model):
    """A bag, cage or pallet carrying parcels between hubs: scanning its code moves all
    its parcels at once."""

    _name = "tms.container"
    _description = "Parcel Container"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "code"
    _check_company_auto = True

    code = fields.Char(
        copy=False,
        index=True,
        tracking=True,
        help="Printed on the container's label: an SSCC-18 built from the company's "
        "GS1 prefix, or a free code. Generated when left empty.",
    )
    code_type = fields.Selection(
        [("sscc", "SSCC-18 (GS1)"), ("free", "Free Code")],
        required=True,
        default=lambda self: "sscc"
        if self.env.company.tms_gs1_company_prefix
        else "free",
    )
    container_type = fields.Selection(
        CONTAINER_TYPES, string="Type", required=True, default="bag"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        copy=False,
        index=True,
        tracking=True,
        help="Parcels are put in an open container; a closed one travels as a whole.",
    )
    hub_id = fields.Many2one(
        "tms.hub",
        string="Current Hub",
        check_company=True,
        tracking=True,
        help="Where the container was last scanned.",
    )
    parcel_ids = fields.One2many(
        "tms.parcel", "container_id", string="Parcels", readonly=True
    )
    parcel_count = fields.Integer(compute="_compute_parcel_count")
    note = fields.Text()

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(company_id, code)",
            "A container code must be unique per company.",
        ),
    ]

    @api.depends("parcel_ids")
    def _compute_parcel_count(self):
        counts = dict(
            self.env["tms.parcel"]._read_group(
                [("container_id", "in", self.ids)], ["container_id"], ["__count"]
            )
        )
        for container in self:
            container.parcel_count = counts.get(container, 0)

    @api.constrains("code", "code_type")
    def _check_code(self):
        for container in self:
            if not container.code:
                raise ValidationError(self.env._("A container needs a code."))
            if container.code_type != "sscc":
                continue
            try:
                gs1.sscc_validate(container.code)
            except gs1.Gs1Error as error:
                raise ValidationError(
                    self.env._(
                        "%(code)s is not a valid SSCC: it has 18 digits and ends with "
                        "its GS1 check digit.",
                        code=container.code,
                    )
                ) from error

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = self._tms_normalize_code(vals["code"])
        self._tms_assign_codes(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code"):
            vals = dict(vals, code=self._tms_normalize_code(vals["code"]))
        return super().write(vals)

    def action_close(self):
        self.write({"state": "closed"})

    def action_open(self):
        self.write({"state": "open"})

    def action_view_parcels(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_parcel_action"
        )
        action["domain"] = [("container_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    def _tms_normalize_code(self, code):
        return re.sub(r"[\s()]", "", code or "").upper()

    @api.model
    def _tms_assign_codes(self, vals_list):
        """Give a code to each ``vals`` without one: an SSCC from the company's GS1
        prefix, or the type's prefix and a serial; one sequence query for the batch."""
        todo = [vals for vals in vals_list if not vals.get("code")]
        if not todo:
            return
        sequence = self.env.ref(
            "tms_core.seq_tms_container", raise_if_not_found=False
        ) or self.env["ir.sequence"].search([("code", "=", "tms.container")], limit=1)
        if not sequence:
            raise UserError(
                self.env._("No container sequence (code tms.container) exists.")
            )
        serials = self.env["tms.parcel"]._tms_next_serials(sequence.sudo(), len(todo))
        companies = self.env["res.company"].browse(
            {vals.get("company_id") or self.env.company.id for vals in todo}
        )
        prefix_by_company = {c.id: c.tms_gs1_company_prefix for c in companies}
        for vals, serial in zip(todo, serials, strict=True):
            company_id = vals.get("company_id") or self.env.company.id
            # numbered with SSCCs by default when the container's company has a prefix
            vals.setdefault(
                "code_type", "sscc" if prefix_by_company[company_id] else "free"
            )
            if vals["code_type"] == "sscc":
                prefix = prefix_by_company[company_id]
                if not prefix:
                    raise UserError(
                        self.env._(
                            "Set the company's GS1 company prefix in the Transport "
                            "settings to number containers with SSCCs, or choose a "
                            "free code."
                        )
                    )
                try:
                    vals["code"] = gs1.sscc_make(prefix, int(serial))
                except gs1.Gs1Error as error:
                    raise UserError(
                        self.env._(
                            "Cannot make an SSCC with the GS1 company prefix "
                            "%(prefix)s: %(error)s",
                            prefix=prefix,
                            error=error.message,
                        )
                    ) from error
            else:
                container_type = vals.get("container_type") or "bag"
                vals["code"] = f"{FREE_CODE_PREFIXES[container_type]}{serial}"

    @api.model
    def _tms_find_by_code(self, code):
        """The container (visible to the user) with this code, or an empty
        recordset."""
        code = self._tms_normalize_code(code)
        if not code:
            return self.browse()
        return self.search([("code", "=", code)], limit=1)

    def _tms_scan_values(self):
        """What the scan screen shows of a container."""
        self.ensure_one()
        return {
            "id": self.id,
            "code": self.code,
            "type": dict(
                self._fields["container_type"]._description_selection(self.env)
            )[self.container_type],
            "state": self.state,
            "parcel_count": self.parcel_count,
        }
