# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsCarrierRate(models.Model):
    """A purchase rate of a carrier contract: what one parcel costs, by service, zone
    and weight band. (``delivery.price.rule`` belongs to the sale side's
    ``delivery.carrier``; a carrier's buying price needs none of its machinery.)"""

    _name = "tms.carrier.rate"
    _description = "Carrier Purchase Rate"
    _order = "contract_id, sequence, weight_from, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    contract_id = fields.Many2one(
        "tms.carrier.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="contract_id.currency_id")
    service_id = fields.Many2one(
        "tms.service", check_company=True, help="Empty: every service."
    )
    zone_id = fields.Many2one("tms.zone", check_company=True, help="Empty: every zone.")
    weight_from = fields.Float(string="From (kg)", digits="Stock Weight")
    weight_to = fields.Float(
        string="Up to (kg)", digits="Stock Weight", help="0: no upper limit."
    )
    price = fields.Monetary(
        string="Price per Parcel", currency_field="currency_id", required=True
    )
    price_per_kg = fields.Monetary(
        string="Price per Extra kg",
        currency_field="currency_id",
        help="Added for each kilogram above the band's lower limit.",
    )

    @api.constrains("weight_from", "weight_to", "price", "price_per_kg")
    def _check_values(self):
        for rate in self:
            if rate.weight_from < 0 or rate.weight_to < 0:
                raise ValidationError(self.env._("Weights cannot be negative."))
            if rate.weight_to and rate.weight_to < rate.weight_from:
                raise ValidationError(
                    self.env._(
                        "A weight band ends above where it starts "
                        "(%(start)s kg to %(end)s kg).",
                        start=rate.weight_from,
                        end=rate.weight_to,
                    )
                )
            if rate.price < 0 or rate.price_per_kg < 0:
                raise ValidationError(self.env._("Prices cannot be negative."))

    def _tms_fits(self, service, zone, weight):
        self.ensure_one()
        return (
            (not self.service_id or self.service_id == service)
            and (not self.zone_id or self.zone_id == zone)
            and weight >= self.weight_from
            and (not self.weight_to or weight <= self.weight_to)
        )

    def _tms_price(self, weight):
        self.ensure_one()
        extra = max(weight - self.weight_from, 0.0)
        return self.currency_id.round(self.price + extra * self.price_per_kg)
