/** @odoo-module **/
/* global L */
import {
    Component,
    onMounted,
    onWillStart,
    onWillUnmount,
    useRef,
    useState,
} from "@odoo/owl";
import {localization} from "@web/core/l10n/localization";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {escapeHtml as escape, loadLeaflet} from "@tms_core/map/leaflet";
import {KeepLast} from "@web/core/utils/concurrency";
import {useService} from "@web/core/utils/hooks";
import {formatFloat} from "@web/views/fields/formatters";
import {useSetupAction} from "@web/search/action_hook";
import {Layout} from "@web/search/layout";

export const LEVEL_COLORS = {
    good: "#28a745",
    fair: "#f0ad4e",
    poor: "#dc3545",
    none: "#8a8a8a",
};
// Every zone also gets a dot this wide (px) at its centre: a city's area is a speck
// on a country's map
const DOT_RADIUS_PX = 9;

/**
 * How wide a GeoJSON area is (its bounding box, in square degrees); 0 without one.
 */
export function areaSpan(area) {
    if (!area) {
        return 0;
    }
    const polygons =
        area.type === "MultiPolygon" ? area.coordinates : [area.coordinates];
    const points = polygons.flatMap((rings) => rings[0]);
    const lngs = points.map((p) => p[0]);
    const lats = points.map((p) => p[1]);
    return (
        (Math.max(...lngs) - Math.min(...lngs)) *
        (Math.max(...lats) - Math.min(...lats))
    );
}

/**
 * The SLA map: each zone drawn on its area (its own GeoJSON outline, else the hull
 * of where its parcels were delivered, else a disc at its hub) in the colour of its
 * on-time % over the period: green, amber, red, grey without settled parcels. The
 * side panel lists every zone, worst first, including those the map cannot place;
 * a zone's popup shows its figures and carriers and opens its late parcels.
 */
export class TmsSlaZoneMap extends Component {
    static template = "tms_3pl.TmsSlaZoneMap";
    static components = {Layout};
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.keepLast = new KeepLast();
        this.mapRef = useRef("map");
        const saved = this.props.state || {};
        this.state = useState({
            period: saved.period || "last_month",
            carrierId: saved.carrierId || false,
            clientId: saved.clientId || false,
            selectedZoneId: null,
            data: null,
        });
        this.periods = [
            ["this_month", _t("This month")],
            ["last_month", _t("Last month")],
            ["last_3_months", _t("Last 3 months")],
        ];
        useSetupAction({
            getLocalState: () => ({
                period: this.state.period,
                carrierId: this.state.carrierId,
                clientId: this.state.clientId,
            }),
        });
        onWillStart(async () => {
            await Promise.all([loadLeaflet(), this.load()]);
        });
        onMounted(() => this.createMap());
        onWillUnmount(() => {
            if (this.map) {
                this.map.remove();
            }
        });
    }

    async load() {
        const data = await this.keepLast.add(
            this.orm.call("tms.zone", "tms_sla_map_data", [], {
                period: this.state.period,
                carrier_id: this.state.carrierId || false,
                client_id: this.state.clientId || false,
            })
        );
        this.state.data = data;
        if (this.map) {
            this.drawZones(false);
        }
    }

    get display() {
        return {controlPanel: {}};
    }

    get LEVEL_COLORS() {
        return LEVEL_COLORS;
    }

    get placedCount() {
        return this.state.data.zones.filter((zone) => zone.area || zone.position)
            .length;
    }

    formatRate(zone) {
        return zone.rate === null
            ? "-"
            : `${formatFloat(zone.rate, {digits: [16, 1]})} %`;
    }

    color(zone) {
        return LEVEL_COLORS[zone.level] || LEVEL_COLORS.none;
    }

    onPeriodChange(ev) {
        this.state.period = ev.target.value;
        this.load();
    }

    onCarrierChange(ev) {
        this.state.carrierId = parseInt(ev.target.value, 10) || false;
        this.load();
    }

    onClientChange(ev) {
        this.state.clientId = parseInt(ev.target.value, 10) || false;
        this.load();
    }

    // ------------------------------------------------------------------ map

    createMap() {
        const tiles = this.state.data.tiles;
        this.map = L.map(this.mapRef.el, {zoomControl: true});
        L.tileLayer(tiles.url, {attribution: tiles.attribution, maxZoom: 19}).addTo(
            this.map
        );
        this.layers = L.layerGroup().addTo(this.map);
        this.drawZones(true);
    }

    drawZones(fit) {
        this.layers.clearLayers();
        this.zoneLayers = {};
        const bounds = L.latLngBounds([]);
        // The widest areas first, so that a city's zone stays on top of (and
        // clickable over) the catch-all zone around it
        const zones = [...this.state.data.zones].sort(
            (a, b) => areaSpan(b.area) - areaSpan(a.area)
        );
        for (const zone of zones) {
            const style = {
                color: this.color(zone),
                weight: 2,
                fillColor: this.color(zone),
                fillOpacity: 0.35,
                className: `o_tms_sla_zone o_tms_sla_zone_${zone.level}`,
            };
            if (!zone.area && !zone.position) {
                continue;
            }
            const layer = L.featureGroup();
            if (zone.area) {
                L.geoJSON(zone.area, {style: () => style}).addTo(layer);
            }
            if (zone.position) {
                L.circleMarker(zone.position, {
                    ...style,
                    radius: DOT_RADIUS_PX,
                    fillOpacity: 0.8,
                    className: `${style.className} o_tms_sla_zone_dot`,
                }).addTo(layer);
            }
            bounds.extend(
                zone.area ? layer.getLayers()[0].getBounds() : L.latLng(zone.position)
            );
            layer.bindTooltip(
                `${escape(zone.name)}: ${escape(this.formatRate(zone))}`,
                {
                    sticky: true,
                }
            );
            layer.bindPopup(() => this.popupContent(zone));
            layer.on("popupopen", () => {
                this.state.selectedZoneId = zone.id;
            });
            layer.addTo(this.layers);
            this.zoneLayers[zone.id] = layer;
        }
        if (fit) {
            if (bounds.isValid()) {
                this.map.fitBounds(bounds, {padding: [20, 20]});
            } else {
                this.map.setView([31.8, -4.0], 5);
            }
        }
    }

    popupContent(zone) {
        // _t() outside the template literals, where the translation export finds it
        const labels = {
            due: _t("Parcels due"),
            onTime: _t("On time"),
            late: _t("Late"),
            atRisk: _t("At risk now"),
            carriers: _t("Carriers"),
            noCarrier: _t("No carrier contract"),
        };
        const root = document.createElement("div");
        root.className = "o_tms_sla_popup";
        // The map reads left to right; its popups read in the user's direction
        root.dir = localization.direction || "ltr";
        const carriers = zone.carriers.length
            ? zone.carriers
                  .map((c) => {
                      const days = c.days
                          ? `<span class="text-muted ms-1">(${escape(c.days)})</span>`
                          : "";
                      return `<li>${escape(c.name)}${days}</li>`;
                  })
                  .join("")
            : `<li class="text-muted">${escape(labels.noCarrier)}</li>`;
        const row = (label, value) =>
            `<tr><td>${escape(label)}</td><td class="text-end">${escape(value)}</td></tr>`;
        root.innerHTML = `
            <h6 class="mb-1">${escape(zone.name)}</h6>
            <div class="fs-4 o_tms_sla_popup_rate" style="color: ${this.color(zone)}">
                <span dir="ltr">${escape(this.formatRate(zone))}</span></div>
            <table class="table table-sm mb-2">
                ${row(labels.due, zone.parcels)}
                ${row(labels.onTime, zone.on_time)}
                ${row(labels.late, zone.late)}
                ${row(labels.atRisk, zone.at_risk)}
            </table>
            <div class="small fw-bold">${escape(labels.carriers)}</div>
            <ul class="small ps-3 mb-2">${carriers}</ul>
            <div class="small text-muted mb-2">${escape(this.areaLabel(zone))}</div>`;
        if (zone.late) {
            const button = document.createElement("button");
            button.type = "button";
            button.className = "btn btn-sm btn-primary o_tms_sla_popup_late";
            button.textContent = _t("Late parcels");
            button.addEventListener("click", () => this.openLate(zone));
            root.appendChild(button);
        }
        return root;
    }

    areaLabel(zone) {
        if (zone.area_source === "zone") {
            return _t("Area: the zone's outline");
        }
        if (zone.area_source === "deliveries") {
            return _t("Area: where its parcels were delivered");
        }
        if (zone.area_source === "hub") {
            return _t("Area unknown: drawn at its hub");
        }
        return _t("Area unknown");
    }

    selectZone(zone) {
        this.state.selectedZoneId = zone.id;
        const layer = this.zoneLayers[zone.id];
        if (!layer) {
            return;
        }
        const area = layer.getLayers()[0];
        if (zone.area) {
            this.map.fitBounds(area.getBounds(), {padding: [40, 40], maxZoom: 12});
        } else {
            this.map.setView(zone.position, Math.max(this.map.getZoom(), 10));
        }
        layer.openPopup(zone.position || area.getBounds().getCenter());
    }

    async openLate(zone) {
        const action = await this.orm.call("tms.zone", "tms_sla_map_action", [
            zone.id,
            this.state.period,
            this.state.carrierId || false,
            this.state.clientId || false,
        ]);
        this.action.doAction(action);
    }
}

registry.category("actions").add("tms_3pl.sla_zone_map", TmsSlaZoneMap);
