# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError


def _split(text):
    return [
        item.strip().upper() for item in re.split(r"[,;\n]", text or "") if item.strip()
    ]


class TmsZone(models.Model):
    """A delivery zone: a country, optionally narrowed to regions, cities and postcodes.

    A parcel gets the first matching zone in sequence order; put narrow zones (a city's
    postcodes) before wide ones (the rest of the country).
    """

    _name = "tms.zone"
    _description = "Delivery Zone"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Routing code printed on labels.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    hub_id = fields.Many2one(
        "tms.hub", string="Delivering Hub", check_company=True, index=True
    )
    country_id = fields.Many2one("res.country", required=True)
    state_ids = fields.Many2many(
        "res.country.state",
        string="Regions",
        domain="[('country_id', '=', country_id)]",
    )
    city_names = fields.Text(
        string="Cities", help="City names, one per line or separated by commas."
    )
    zip_prefixes = fields.Char(
        string="Postcode Prefixes",
        help="Postcodes starting with one of these, separated by commas (e.g. 20, 75).",
    )
    zip_ranges = fields.Char(
        string="Postcode Ranges",
        help="Inclusive ranges of numeric postcodes, e.g. 20000-20250, 69001-69009.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A zone code must be unique per company.",
        ),
    ]

    @api.constrains("zip_ranges")
    def _check_zip_ranges(self):
        for zone in self:
            try:
                zone._parsed_zip_ranges()
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "Postcode ranges of zone %(zone)s must look like 20000-20250, "
                        "with numbers, the first not above the second.",
                        zone=zone.name,
                    )
                ) from error

    def _parsed_zip_ranges(self):
        ranges = []
        for item in _split(self.zip_ranges):
            low, sep, high = item.partition("-")
            if not sep or not low.strip().isdigit() or not high.strip().isdigit():
                raise ValueError(item)
            low, high = int(low), int(high)
            if low > high:
                raise ValueError(item)
            ranges.append((low, high))
        return ranges

    def _matches(self, country_id, state_id, city, zip_code):
        self.ensure_one()
        if self.country_id.id != country_id:
            return False
        if self.state_ids and state_id not in self.state_ids.ids:
            return False
        cities = _split(self.city_names)
        if cities and (city or "").strip().upper() not in cities:
            return False
        zip_code = (zip_code or "").replace(" ", "").upper()
        prefixes = _split(self.zip_prefixes)
        ranges = self._parsed_zip_ranges()
        if prefixes or ranges:
            in_prefix = any(zip_code.startswith(p) for p in prefixes)
            in_range = zip_code.isdigit() and any(
                lo <= int(zip_code) <= hi for lo, hi in ranges
            )
            if not (in_prefix or in_range):
                return False
        return True

    @api.model
    def _find_zones(self, addresses):
        """Match many addresses at once.

        ``addresses``: list of ``(company_id, country_id, state_id, city, zip)`` tuples.
        Returns a list of zones (an empty recordset where none matches), in order.
        """
        company_ids = {address[0] for address in addresses}
        zones = self.search([("company_id", "in", list(company_ids))])
        result = []
        for company_id, country_id, state_id, city, zip_code in addresses:
            match = next(
                (
                    zone
                    for zone in zones
                    if zone.company_id.id == company_id
                    and zone._matches(country_id, state_id, city, zip_code)
                ),
                self.browse(),
            )
            result.append(match)
        return result
