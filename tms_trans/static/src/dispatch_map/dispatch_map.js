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
import {loadCSS, loadJS} from "@web/core/assets";
import {deserializeDateTime} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {KeepLast} from "@web/core/utils/concurrency";
import {useService} from "@web/core/utils/hooks";
import {useSetupAction} from "@web/search/action_hook";
import {Layout} from "@web/search/layout";

const LEAFLET = "/tms_trans/static/lib/leaflet";
// One colour per round: its colour index picks one here (no colour: its rank)
export const ROUND_COLORS = [
    "#1f77b4",
    "#d62728",
    "#ff7f0e",
    "#bcbd22",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#2ca02c",
    "#393b79",
    "#ad494a",
    "#31a354",
    "#9467bd",
];
const UNASSIGNED_COLOR = "#8a8a8a";
const REFRESH_MS = 60000;

export function roundColor(round, index) {
    return ROUND_COLORS[
        round.color % ROUND_COLORS.length || index % ROUND_COLORS.length
    ];
}

function escape(text) {
    const div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
}

/**
 * The dispatcher's map: one hub's rounds of one day on a Leaflet map, one colour per
 * round, numbered stops in their order, depot to depot; the stops left unassigned in
 * grey with their reason, late stops ringed in red. The side panel lists the rounds
 * with their progress (delivered, failed, left), refreshed every minute from the
 * drivers' events, and the stops that have no position (never drawn at 0, 0).
 */
export class TmsDispatchMap extends Component {
    static template = "tms_trans.TmsDispatchMap";
    static components = {Layout};
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.keepLast = new KeepLast();
        this.mapRef = useRef("map");
        const saved = this.props.state || {};
        const context = this.props.action?.context || {};
        this.state = useState({
            date: saved.date || context.tms_map_date || null,
            hubId: saved.hubId || context.tms_map_hub_id || null,
            selectedRoundId: saved.selectedRoundId || context.tms_map_round_id || null,
            data: null,
        });
        useSetupAction({
            getLocalState: () => ({
                date: this.state.date,
                hubId: this.state.hubId,
                selectedRoundId: this.state.selectedRoundId,
            }),
        });
        onWillStart(async () => {
            await Promise.all([
                loadJS(`${LEAFLET}/leaflet.js`),
                loadCSS(`${LEAFLET}/leaflet.css`),
                this.load(),
            ]);
        });
        onMounted(() => {
            this.createMap();
            this.timer = setInterval(() => this.load(), REFRESH_MS);
        });
        onWillUnmount(() => {
            clearInterval(this.timer);
            if (this.map) {
                this.map.remove();
                this.map = null;
            }
        });
    }

    get display() {
        return {controlPanel: {}};
    }

    get rounds() {
        const data = this.state.data;
        return data.rounds.map((round, index) => ({
            ...round,
            colorHex: roundColor(round, index),
            stops: data.stops.filter((stop) => stop.round_id === round.id),
        }));
    }

    get unassigned() {
        return this.state.data.stops.filter((stop) => !stop.round_id);
    }

    get unplaced() {
        const names = Object.fromEntries(
            this.state.data.rounds.map((r) => [r.id, r.name])
        );
        return this.state.data.stops
            .filter((stop) => !stop.position)
            .map((stop) => ({
                ...stop,
                roundName: stop.round_id ? names[stop.round_id] : _t("Unassigned"),
            }));
    }

    percent(round, key) {
        return round.stop_count ? (100 * round[key]) / round.stop_count : 0;
    }

    formatTime(value) {
        return value ? deserializeDateTime(value).toFormat("HH:mm") : "";
    }

    async load() {
        const data = await this.keepLast.add(
            this.orm.call("tms.round", "tms_map_data", [], {
                date: this.state.date,
                hub_id: this.state.hubId,
            })
        );
        this.state.data = data;
        this.state.date = data.date;
        this.state.hubId = data.hub && data.hub.id;
        if (!data.rounds.some((r) => r.id === this.state.selectedRoundId)) {
            this.state.selectedRoundId = null;
        }
        if (this.map) {
            this.drawLayers();
        }
    }

    onDateChange(ev) {
        if (ev.target.value) {
            this.state.date = ev.target.value;
            this.state.selectedRoundId = null;
            this.reload();
        }
    }

    shiftDay(days) {
        const day = luxon.DateTime.fromISO(this.state.date).plus({days});
        this.state.date = day.toISODate();
        this.state.selectedRoundId = null;
        this.reload();
    }

    onHubChange(ev) {
        this.state.hubId = parseInt(ev.target.value, 10) || null;
        this.state.selectedRoundId = null;
        this.reload();
    }

    async reload() {
        this.fitted = false;
        await this.load();
    }

    selectRound(round) {
        this.state.selectedRoundId = round.id;
        this.fitRound(round.id);
        this.highlight();
    }

    openRound(round) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "tms.round",
            res_id: round.id,
            views: [[false, "form"]],
        });
    }

    // ------------------------------------------------------------------ map

    createMap() {
        const tiles = this.state.data.tiles;
        this.map = L.map(this.mapRef.el, {zoomControl: true});
        L.tileLayer(tiles.url, {attribution: tiles.attribution, maxZoom: 19}).addTo(
            this.map
        );
        this.layers = L.layerGroup().addTo(this.map);
        this.drawLayers();
    }

    drawLayers() {
        const data = this.state.data;
        this.layers.clearLayers();
        this.roundLayers = {};
        this.bounds = {};
        const depot = data.hub && data.hub.position;
        const all = [];
        if (depot) {
            all.push(depot);
            L.marker(depot, {
                icon: L.divIcon({
                    className: "o_tms_map_depot",
                    html: `<span title="${escape(data.hub.name)}">&#8962;</span>`,
                    iconSize: [28, 28],
                }),
                zIndexOffset: 1000,
            })
                .bindTooltip(escape(data.hub.name))
                .addTo(this.layers);
        }
        for (const round of this.rounds) {
            const group = L.layerGroup().addTo(this.layers);
            const points = round.stops.filter((s) => s.position).map((s) => s.position);
            const path = depot ? [depot, ...points, depot] : points;
            if (path.length > 1) {
                L.polyline(path, {
                    color: round.colorHex,
                    weight: 4,
                    opacity: 0.8,
                    className: "o_tms_map_route",
                }).addTo(group);
            }
            for (const stop of round.stops) {
                if (stop.position) {
                    this.stopMarker(
                        stop,
                        round.colorHex,
                        String(stop.number),
                        round
                    ).addTo(group);
                }
            }
            this.roundLayers[round.id] = group;
            this.bounds[round.id] = path;
            all.push(...points);
        }
        for (const stop of this.unassigned) {
            if (stop.position) {
                this.stopMarker(stop, UNASSIGNED_COLOR, "?", null).addTo(this.layers);
                all.push(stop.position);
            }
        }
        this.bounds.all = all;
        this.highlight();
        if (!this.fitted) {
            this.fitted = true;
            if (this.state.selectedRoundId) {
                this.fitRound(this.state.selectedRoundId);
            } else if (all.length) {
                this.map.fitBounds(L.latLngBounds(all), {
                    padding: [30, 30],
                    maxZoom: 15,
                });
            } else {
                // Nothing to place: the whole world rather than a made-up spot
                this.map.setView([20, 0], 2);
            }
        }
    }

    stopMarker(stop, color, label, round) {
        const classes = [
            "o_tms_map_stop",
            `o_tms_map_stop_${stop.state}`,
            stop.is_late ? "o_tms_map_late" : "",
            round ? "" : "o_tms_map_unassigned",
        ].join(" ");
        const marker = L.marker(stop.position, {
            icon: L.divIcon({
                className: classes,
                html: `<span style="background-color: ${color};">${escape(label)}</span>`,
                iconSize: [26, 26],
            }),
            title: stop.contact || stop.address,
        });
        const lines = [
            `<strong>${escape(round ? `${round.name} #${stop.number}` : _t("Unassigned"))}</strong>`,
            escape(stop.contact),
            escape(stop.address),
        ];
        if (stop.window_start || stop.window_end) {
            lines.push(
                `${escape(_t("Time window"))}: ${this.formatTime(stop.window_start)} – ${this.formatTime(stop.window_end)}`
            );
        }
        if (stop.planned_arrival) {
            lines.push(
                `${escape(_t("Planned"))}: ${this.formatTime(stop.planned_arrival)}`
            );
        }
        if (stop.is_late) {
            lines.push(`<span class="text-danger">${escape(_t("Late"))}</span>`);
        }
        if (!round && stop.unassigned_reason) {
            lines.push(`<em>${escape(stop.unassigned_reason)}</em>`);
        }
        marker.bindPopup(lines.filter(Boolean).join("<br/>"));
        return marker;
    }

    fitRound(roundId) {
        const path = this.bounds && this.bounds[roundId];
        if (this.map && path && path.length) {
            this.map.fitBounds(L.latLngBounds(path), {padding: [40, 40], maxZoom: 16});
        }
    }

    /** The selected round stands out, the others fade. */
    highlight() {
        const selected = this.state.selectedRoundId;
        for (const [id, group] of Object.entries(this.roundLayers || {})) {
            const faded = selected && Number(id) !== selected;
            group.eachLayer((layer) => {
                if (layer.setStyle) {
                    layer.setStyle({opacity: faded ? 0.25 : 0.8});
                } else if (layer.setOpacity) {
                    layer.setOpacity(faded ? 0.4 : 1);
                }
            });
        }
    }
}

registry.category("actions").add("tms_trans.dispatch_map", TmsDispatchMap);
