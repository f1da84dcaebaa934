# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The SLA map: each zone's on-time % of a period, drawn on its area."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.exceptions import UserError

from ...tools import geo
from ...tools.sla import AT_RISK, BREACHED, MET, MET_LATE
from ..penalty.tms_carrier_penalty import company_today, day_start_utc, month_bounds

PERIODS = ("this_month", "last_month", "last_3_months")
# On-time % at or above GOOD is green, at or above FAIR amber, below red
GOOD = 95.0
FAIR = 85.0
# The area drawn for a zone without its own is where it was delivered this long
DELIVERY_AREA_DAYS = 180


class TmsZone(models.Model):
    _inherit = "tms.zone"

    @api.model
    def _tms_sla_map_bounds(self, company, period):
        """The first instant of ``period`` and the first one after it (naive UTC),
        months cut where ``company`` works."""
        if period not in PERIODS:
            raise UserError(self.env._("Unknown period: %(period)s", period=period))
        this_month, next_month = month_bounds(company_today(company))
        if period == "this_month":
            date_from, date_to = this_month, next_month
        elif period == "last_month":
            date_from, date_to = this_month - relativedelta(months=1), this_month
        else:
            date_from, date_to = this_month - relativedelta(months=2), next_month
        return day_start_utc(company, date_from), day_start_utc(company, date_to)

    @api.model
    def _tms_sla_map_domain(
        self, period, carrier_id=False, client_id=False, parcels=False
    ):
        """The SLA analysis rows of the current companies due in ``period`` (with
        ``parcels``: the same parcels, as a domain of ``tms.parcel``)."""
        due = "sla_date_due" if parcels else "date_due"
        client = "sla_client_id" if parcels else "client_id"
        domain = ["|"] * (len(self.env.companies) - 1)
        for company in self.env.companies:
            date_from, date_to = self._tms_sla_map_bounds(company, period)
            domain += [
                "&",
                "&",
                ("company_id", "=", company.id),
                (due, ">=", date_from),
                (due, "<", date_to),
            ]
        if carrier_id:
            domain = ["&", ("carrier_id", "=", carrier_id), *domain]
        if client_id:
            domain = ["&", (client, "=", client_id), *domain]
        return domain

    @api.model
    def tms_sla_map_data(self, period="last_month", carrier_id=False, client_id=False):
        """What the SLA map draws (``tms_3pl.sla_zone_map``): for each zone of the
        current companies, its figures of ``period`` (``this_month``,
        ``last_month``, ``last_3_months``), optionally for one carrier or client,
        its area and the carriers delivering it; the carriers and clients to filter
        on; the tile server; the colour thresholds."""
        # the figures of the SLA analysis, counted on the parcels themselves: one
        # grouped query, without the analysis' breach causes the map does not show
        self.env["tms.sla.report"].check_access("read")
        Parcel = self.env["tms.parcel"]
        domain = [
            *self._tms_sla_map_domain(period, carrier_id, client_id, parcels=True),
            ("sla_state", "!=", False),
        ]
        counts = {}
        for zone, state, count in Parcel._read_group(
            domain, ["zone_id", "sla_state"], ["__count"]
        ):
            counts.setdefault(zone, {})[state] = count
        figures = {
            zone: (
                sum(by_state.values()),
                sum(by_state.get(state, 0) for state in (MET, MET_LATE, BREACHED)),
                by_state.get(MET, 0),
                by_state.get(MET_LATE, 0) + by_state.get(BREACHED, 0),
            )
            for zone, by_state in counts.items()
        }
        open_counts = {
            (zone, state): count
            for zone, by_state in counts.items()
            for state, count in by_state.items()
            if state in (AT_RISK, BREACHED)
        }
        zones = self.search([("company_id", "in", self.env.companies.ids)])
        zones |= self.browse(zone.id for zone in figures if zone)
        areas = zones._tms_sla_map_areas()
        carriers = zones._tms_sla_map_carriers()
        result = []
        for zone in zones:
            parcels, settled, on_time, late = figures.get(zone, (0, 0, 0, 0))
            rate = round(100.0 * on_time / settled, 1) if settled else None
            area, source, position = areas[zone]
            result.append(
                {
                    "id": zone.id,
                    "name": zone.display_name,
                    "code": zone.code,
                    "parcels": parcels,
                    "settled": settled,
                    "on_time": on_time,
                    "late": late,
                    "at_risk": open_counts.get((zone, AT_RISK), 0),
                    "breached": open_counts.get((zone, BREACHED), 0),
                    "rate": rate,
                    "level": self._tms_sla_map_level(rate),
                    "area": area,
                    "area_source": source,
                    "position": list(position) if position else None,
                    "carriers": carriers.get(zone, []),
                }
            )
        result.sort(key=lambda z: (z["rate"] is None, z["rate"] or 0, z["name"]))
        filters = Parcel._read_group(
            [
                *self._tms_sla_map_domain(period, parcels=True),
                ("sla_state", "!=", False),
            ],
            ["carrier_id", "sla_client_id"],
        )
        return {
            "period": period,
            "zones": result,
            "carriers": sorted(
                (
                    {"id": c.id, "name": c.display_name}
                    for c in {c for c, _client in filters if c}
                ),
                key=lambda c: c["name"],
            ),
            "clients": sorted(
                (
                    {"id": c.id, "name": c.display_name}
                    for c in {c for _carrier, c in filters if c}
                ),
                key=lambda c: c["name"],
            ),
            "tiles": self.env["res.company"]._tms_map_tiles(),
            "thresholds": {"good": GOOD, "fair": FAIR},
        }

    @api.model
    def _tms_sla_map_level(self, rate):
        if rate is None:
            return "none"
        if rate >= GOOD:
            return "good"
        return "fair" if rate >= FAIR else "poor"

    def _tms_sla_map_areas(self):
        """``{zone: (GeoJSON geometry or None, source, (latitude, longitude) or
        None)}``: the zone's own area; else the hull of where its parcels were
        delivered in the last months; else nothing but its hub's position."""
        result = {}
        positions = self._tms_sla_map_delivery_positions()
        for zone in self:
            points = positions.get(zone.id, [])
            area = geo.parse_area(zone.map_area) if zone.map_area else None
            if area:
                ring = area["coordinates"][0]
                if area["type"] == "MultiPolygon":
                    ring = ring[0]
                result[zone] = (area, "zone", geo.center(ring[:-1]))
                continue
            area = geo.hull_area(points)
            if area:
                result[zone] = (area, "deliveries", geo.center(points))
            elif points:
                result[zone] = (None, "deliveries", geo.center(points))
            elif zone.hub_id.latitude or zone.hub_id.longitude:
                result[zone] = (
                    None,
                    "hub",
                    (zone.hub_id.latitude, zone.hub_id.longitude),
                )
            else:
                result[zone] = (None, None, None)
        return result

    def _tms_sla_map_delivery_positions(self):
        """``{zone id: [(longitude, latitude)]}``: where the zones' parcels were
        delivered in the last months, to about 100 m (one point per place)."""
        if not self:
            return {}
        self.env["tms.parcel"].flush_model(["zone_id"])
        self.env["tms.parcel.event"].flush_model(
            ["parcel_id", "state", "is_applied", "event_date", "latitude", "longitude"]
        )
        since = day_start_utc(
            self.env.company,
            company_today(self.env.company) - timedelta(days=DELIVERY_AREA_DAYS),
        )
        self.env.cr.execute(
            """
            SELECT p.zone_id,
                   ROUND(e.longitude::numeric, 3)::float,
                   ROUND(e.latitude::numeric, 3)::float
              FROM tms_parcel_event e
              JOIN tms_parcel p ON p.id = e.parcel_id
             WHERE p.zone_id = ANY(%s)
               AND e.state = 'delivered'
               AND e.is_applied
               AND e.event_date >= %s
               AND (e.latitude != 0 OR e.longitude != 0)
          GROUP BY 1, 2, 3
            """,
            [self.ids, since],
        )
        result = {}
        for zone_id, longitude, latitude in self.env.cr.fetchall():
            result.setdefault(zone_id, []).append((longitude, latitude))
        return result

    def _tms_sla_map_carriers(self):
        """``{zone: [{"name", "days"}]}``: the carriers of running contracts
        delivering each zone, and on which weekdays."""
        lines = self.env["tms.carrier.contract.zone"].search(
            [("zone_id", "in", self.ids), ("contract_id.state", "=", "running")]
        )
        result = {}
        for line in lines:
            result.setdefault(line.zone_id, []).append(
                {
                    "name": line.contract_id.carrier_id.display_name,
                    "days": ", ".join(line.weekday_ids.mapped("name")),
                }
            )
        return result

    @api.model
    def tms_sla_map_action(self, zone_id, period, carrier_id=False, client_id=False):
        """The window action listing the late parcels of a zone in ``period`` (met
        late or breached), as the map's figures count them."""
        zone = self.browse(zone_id).exists()
        if not zone:
            raise UserError(self.env._("This zone no longer exists."))
        zone.check_access("read")
        domain = [
            *self._tms_sla_map_domain(period, carrier_id, client_id, parcels=True),
            ("zone_id", "=", zone.id),
            ("sla_state", "in", (MET_LATE, BREACHED)),
        ]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Late parcels - %(zone)s", zone=zone.display_name),
            "res_model": "tms.parcel",
            # the SLA columns: client, carrier, due time, state
            "views": [
                [self.env.ref("tms_3pl.tms_parcel_view_list_sla").id, "list"],
                [False, "form"],
            ],
            "domain": domain,
            "context": {"create": False},
        }
