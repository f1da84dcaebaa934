# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...tools import geo


class TmsZone(models.Model):
    _inherit = "tms.zone"

    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="The zone's working days and public holidays (its leaves), for SLA "
        "policies of parcels whose carrier has no calendar.",
    )
    carrier_line_ids = fields.One2many(
        "tms.carrier.contract.zone",
        "zone_id",
        string="Carriers",
        domain=[("contract_id.state", "=", "running")],
        readonly=True,
    )
    map_area = fields.Text(
        string="Area on the Map",
        help="The zone's outline as GeoJSON (a Polygon or MultiPolygon, or a Feature "
        "of one, positions in [longitude, latitude]), e.g. exported from a GIS or "
        "drawn on geojson.io. Empty: the map draws the area where the zone's parcels "
        "were delivered.",
    )

    @api.constrains("map_area")
    def _check_map_area(self):
        for zone in self:
            try:
                geo.parse_area(zone.map_area)
            except geo.GeoJsonError as error:
                raise ValidationError(
                    self.env._(
                        "The area of zone %(zone)s is not a GeoJSON polygon the map "
                        "can draw: %(reason)s.",
                        zone=zone.display_name,
                        reason=zone._tms_map_area_error(error),
                    )
                ) from error

    def _tms_map_area_error(self, error):
        """The reason of a :class:`geo.GeoJsonError`, in the user's language."""
        _ = self.env._
        reasons = {
            "not_json": _("the text is not JSON"),
            "not_object": _("the text is not a GeoJSON object"),
            "bad_type": _(
                "a geometry is a %(kind)s, not a Polygon or a MultiPolygon",
                kind=error.params.get("kind"),
            ),
            "no_polygon": _("it holds no polygon"),
            "no_ring": _("a polygon has no ring"),
            "short_ring": _("a ring has fewer than 4 positions"),
            "open_ring": _("a ring does not end on its first position"),
            "bad_position": _("a position is not [longitude, latitude]"),
            "out_of_range": _(
                "position [%(longitude)s, %(latitude)s] is not a longitude "
                "(-180 to 180) and a latitude (-90 to 90)",
                longitude=error.params.get("longitude"),
                latitude=error.params.get("latitude"),
            ),
            "too_many": _(
                "%(count)s positions, more than the %(limit)s a zone may have",
                count=error.params.get("count"),
                limit=error.params.get("limit"),
            ),
        }
        return reasons[error.code]
