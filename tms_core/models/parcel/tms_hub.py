# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsHub(models.Model):
    _name = "tms.hub"
    _description = "Hub, Agency or Relay Point"
    _rec_names_search = ["name", "code"]
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Short sorting code printed in large type on labels (e.g. CAS, RBA).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    hub_type = fields.Selection(
        [("depot", "Depot"), ("agency", "Agency"), ("relay", "Relay Point")],
        required=True,
        default="agency",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Address",
        check_company=True,
        help="The hub's address and contact details.",
    )
    city = fields.Char(related="partner_id.city")
    country_id = fields.Many2one(related="partner_id.country_id")
    phone = fields.Char(related="partner_id.phone")
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    opening_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening Hours",
        check_company=True,
        help="When the hub is open to drivers and customers.",
    )
    parent_id = fields.Many2one(
        "tms.hub",
        string="Parent Depot",
        check_company=True,
        help="The depot that feeds this agency or relay point.",
    )
    zone_ids = fields.One2many("tms.zone", "hub_id", string="Zones Served")
    warehouse_id = fields.Many2one("stock.warehouse", check_company=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A hub code must be unique per company.",
        ),
    ]

    @api.constrains("latitude", "longitude")
    def _check_coordinates(self):
        for hub in self:
            if not (-90 <= hub.latitude <= 90 and -180 <= hub.longitude <= 180):
                raise ValidationError(
                    self.env._(
                        "Latitude is between -90 and 90, longitude between -180 and "
                        "180."
                    )
                )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for hub in self:
            hub.display_name = f"[{hub.code}] {hub.name}" if hub.code else hub.name
