# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsCarrierContract(models.Model):
    """What a subcontracted carrier agreed to: for how long, which services, which
    zones on which days, until which time parcels are taken the same day, how many a
    day, and at which purchase rates."""

    _name = "tms.carrier.contract"
    _description = "Carrier Contract"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    reference = fields.Char(help="The carrier's reference of the contract.")
    carrier_id = fields.Many2one(
        "tms.carrier", required=True, ondelete="cascade", index=True, tracking=True
    )
    company_id = fields.Many2one(
        related="carrier_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="carrier_id.partner_id", string="Carrier Contact"
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("closed", "Closed")],
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    date_start = fields.Date(
        string="Valid From",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(string="Valid Until", tracking=True)
    service_ids = fields.Many2many(
        "tms.service",
        string="Services",
        check_company=True,
        help="The services the carrier delivers under this contract.",
    )
    zone_line_ids = fields.One2many(
        "tms.carrier.contract.zone", "contract_id", string="Zones", copy=True
    )
    cutoff_time = fields.Float(
        string="Cut-off Time",
        default=14.0,
        help="Parcels handed over after this time leave the next working day.",
    )
    daily_capacity = fields.Integer(
        help="How many parcels the carrier takes a day; 0: no limit."
    )
    rate_ids = fields.One2many(
        "tms.carrier.rate", "contract_id", string="Purchase Rates", copy=True
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Freight Product",
        check_company=True,
        domain=[("type", "=", "service"), ("purchase_ok", "=", True)],
        help="The service product of the carrier's bills and purchase orders.",
    )
    note = fields.Html(string="Terms")

    _sql_constraints = [
        (
            "capacity_positive",
            "CHECK(daily_capacity >= 0)",
            "A daily capacity cannot be negative.",
        ),
    ]

    @api.depends("name", "carrier_id")
    def _compute_display_name(self):
        for contract in self:
            contract.display_name = (
                f"{contract.carrier_id.name} - {contract.name}"
                if contract.carrier_id
                else contract.name
            )

    @api.constrains("date_start", "date_end", "cutoff_time")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "The contract %(contract)s ends before it starts.",
                        contract=contract.display_name,
                    )
                )
            if not 0 <= contract.cutoff_time <= 24:
                raise ValidationError(
                    self.env._("A cut-off time is between 00:00 and 24:00.")
                )

    def action_start(self):
        self.write({"state": "running"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_draft(self):
        self.write({"state": "draft"})

    def _tms_zone_line(self, zone):
        """The contract's line for ``zone``, empty when the contract does not serve
        it."""
        self.ensure_one()
        return self.zone_line_ids.filtered(lambda line: line.zone_id == zone)[:1]

    def _tms_purchase_price(self, service, zone, weight):
        """What the carrier charges for a parcel of ``weight`` kg with ``service`` to
        ``zone``: the first rate line (in sequence) that fits, or None."""
        self.ensure_one()
        for rate in self.rate_ids:
            if rate._tms_fits(service, zone, weight):
                return rate._tms_price(weight)
        return None
