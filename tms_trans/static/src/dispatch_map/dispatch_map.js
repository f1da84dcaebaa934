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
import {deserializeDateTime} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {escapeHtml as escape, loadLeaflet} from "@tms_core/map/leaflet";
import {KeepLast} from "@web/core/utils/concurrency";
import {useService} from "@web/core/utils/hooks";
import {formatFloat, formatMonetary} from "@web/views/fields/formatters";
import {useSetupAction} from "@web/search/action_hook";
import {Layout} from "@web/search/layout";

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
const PARCEL_COLOR = "#5f6b7a";
const SELECTION_COLOR = "#714b67";
const REFRESH_MS = 60000;
// Drawing: a click this close (px) to the first point closes the shape; one this
// close to the last point is the second click of a double click, not a new point
const CLOSE_PX = 12;
const SAME_PX = 5;

export function roundColor(round, index) {
    return ROUND_COLORS[
        round.color % ROUND_COLORS.length || index % ROUND_COLORS.length
    ];
}

/**
 * Whether a point is inside a polygon (ray casting), both in the map's pixels so
 * that the shape the user sees is the one tested.
 */
export function insidePolygon(point, polygon) {
    let inside = false;
    for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
        const a = polygon[i];
        const b = polygon[j];
        if (
            a.y > point.y !== b.y > point.y &&
            point.x < ((b.x - a.x) * (point.y - a.y)) / (b.y - a.y) + a.x
        ) {
            inside = !inside;
        }
    }
    return inside;
}

/**
 * The dispatcher's map: one hub's rounds of one day on a Leaflet map, one colour per
 * round, numbered stops in their order, depot to depot; the stops left unassigned in
 * grey with their reason, late stops ringed in red. The side panel lists the rounds
 * with their progress (delivered, failed, left), refreshed every minute from the
 * drivers' events, and the stops that have no position (never drawn at 0, 0).
 *
 * Draw: the dispatcher clicks points around parcels waiting at the depot (drawn as
 * grey squares) and stops of the pool or of draft rounds, and closes the shape on its
 * first point or with a double click; the selection's parcels, weight and cash on
 * delivery are shown with "New round" and "Add to <round>" (tms.round.tms_map_assign).
 */
export class TmsDispatchMap extends Component {
    static template = "tms_trans.TmsDispatchMap";
    static components = {Layout};
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.keepLast = new KeepLast();
        this.mapRef = useRef("map");
        const saved = this.props.state || {};
        const context = this.props.action?.context || {};
        this.state = useState({
            date: saved.date || context.tms_map_date || null,
            hubId: saved.hubId || context.tms_map_hub_id || null,
            selectedRoundId: saved.selectedRoundId || context.tms_map_round_id || null,
            data: null,
            drawing: false,
            selection: null,
            targetRoundId: null,
            busy: false,
        });
        this.shape = null;
        this.vertices = [];
        this.onDrawClick = this.onDrawClick.bind(this);
        this.onDrawMove = this.onDrawMove.bind(this);
        this.onDrawDblClick = this.onDrawDblClick.bind(this);
        this.onKeydown = this.onKeydown.bind(this);
        useSetupAction({
            getLocalState: () => ({
                date: this.state.date,
                hubId: this.state.hubId,
                selectedRoundId: this.state.selectedRoundId,
            }),
        });
        onWillStart(async () => {
            await Promise.all([loadLeaflet(), this.load()]);
        });
        onMounted(() => {
            this.createMap();
            this.timer = setInterval(() => this.load(), REFRESH_MS);
        });
        onWillUnmount(() => {
            clearInterval(this.timer);
            document.removeEventListener("keydown", this.onKeydown);
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

    get draftRounds() {
        return this.state.data.rounds.filter((round) => round.state === "draft");
    }

    get targetRound() {
        const rounds = this.draftRounds;
        return rounds.find((r) => r.id === this.state.targetRoundId) || rounds[0];
    }

    /** What may be drawn around: located parcels not on a stop yet, and located
     * stops still to do of the pool or of a draft round. */
    get selectable() {
        const data = this.state.data;
        const draft = new Set(this.draftRounds.map((r) => r.id));
        return {
            parcels: (data.parcels || []).filter((parcel) => parcel.position),
            stops: data.stops.filter(
                (stop) =>
                    stop.position &&
                    stop.state === "pending" &&
                    (!stop.round_id || draft.has(stop.round_id))
            ),
        };
    }

    formatWeight(value) {
        return formatFloat(value, {digits: [16, 1]});
    }

    formatCod(value) {
        const currencyId = this.state.data.currency_id;
        return currencyId
            ? formatMonetary(value, {currencyId})
            : formatFloat(value, {digits: [16, 2]});
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
        this.computeSelection();
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
        this.cancelDraw();
        this.clearSelection();
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
            // Drawn first: the trail is under the planned route
            const seen = this.drawTrail(round, group);
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
            all.push(...points, ...seen);
        }
        for (const stop of this.unassigned) {
            if (stop.position) {
                this.stopMarker(stop, UNASSIGNED_COLOR, "?", null).addTo(this.layers);
                all.push(stop.position);
            }
        }
        all.push(...this.drawParcels());
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
            this.isSelected("stop", stop.id) ? "o_tms_map_selected" : "",
            stop.locked ? "o_tms_map_locked" : "",
        ].join(" ");
        const marker = L.marker(stop.position, {
            icon: L.divIcon({
                className: classes,
                html: `<span style="background-color: ${color};">${escape(label)}</span>`,
                iconSize: [26, 26],
            }),
            title: stop.contact || stop.address,
        });
        // _t() outside the template literals, where the translation export finds it
        const unassigned = _t("Unassigned");
        const timeWindow = _t("Time window");
        const planned = _t("Planned");
        const late = _t("Late");
        const lines = [
            `<strong>${escape(round ? `${round.name} #${stop.number}` : unassigned)}</strong>`,
            escape(stop.contact),
            escape(stop.address),
        ];
        if (stop.window_start || stop.window_end) {
            lines.push(
                `${escape(timeWindow)}: ${this.formatTime(stop.window_start)} – ${this.formatTime(stop.window_end)}`
            );
        }
        if (stop.planned_arrival) {
            lines.push(`${escape(planned)}: ${this.formatTime(stop.planned_arrival)}`);
        }
        if (stop.is_late) {
            lines.push(`<span class="text-danger">${escape(late)}</span>`);
        }
        if (!round && stop.unassigned_reason) {
            lines.push(`<em>${escape(stop.unassigned_reason)}</em>`);
        }
        marker.bindPopup(lines.filter(Boolean).join("<br/>"));
        return marker;
    }

    /**
     * A started round's GPS points: where its driver went (thin and dashed, in the
     * round's colour) and where he was last seen; returns that last position.
     */
    drawTrail(round, group) {
        const trail = (round.breadcrumbs || []).map(([lat, lon]) => [lat, lon]);
        if (trail.length > 1) {
            L.polyline(trail, {
                color: round.colorHex,
                weight: 2,
                opacity: 0.8,
                dashArray: "4 6",
                className: "o_tms_map_trail",
            }).addTo(group);
        }
        if (!round.last_position) {
            return [];
        }
        this.driverMarker(round).addTo(group);
        return [round.last_position.slice(0, 2)];
    }

    /** Where the round's driver was last seen, with the time of that point. */
    driverMarker(round) {
        const [lat, lon, time] = round.last_position;
        const text = _t("%(round)s: driver seen at %(time)s", {
            round: round.name,
            time: this.formatTime(time),
        });
        return L.marker([lat, lon], {
            icon: L.divIcon({
                className: "o_tms_map_driver",
                html: `<span style="background-color: ${round.colorHex};"><i class="fa fa-truck"></i></span>`,
                iconSize: [30, 30],
            }),
            title: text,
            zIndexOffset: 500,
        }).bindTooltip(escape(text));
    }

    /** The parcels waiting at the depot on no round yet; returns their points. */
    drawParcels() {
        const points = [];
        for (const parcel of this.state.data.parcels || []) {
            if (parcel.position) {
                this.parcelMarker(parcel).addTo(this.layers);
                points.push(parcel.position);
            }
        }
        return points;
    }

    parcelMarker(parcel) {
        const selected = this.isSelected("parcel", parcel.id);
        const marker = L.marker(parcel.position, {
            icon: L.divIcon({
                className: `o_tms_map_parcel${selected ? " o_tms_map_selected" : ""}`,
                html: `<span style="background-color: ${PARCEL_COLOR};"><i class="fa fa-cube"></i></span>`,
                iconSize: [22, 22],
            }),
            title: parcel.contact || parcel.address,
        });
        const notPlanned = _t("Not planned");
        const cod = _t("COD");
        const lines = [
            `<strong>${escape(notPlanned)}</strong>`,
            escape(parcel.tracking_number),
            escape(parcel.contact),
            escape(parcel.address),
            `${escape(this.formatWeight(parcel.weight))} kg`,
        ];
        if (parcel.cod_amount) {
            lines.push(`${escape(cod)}: ${escape(this.formatCod(parcel.cod_amount))}`);
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

    // ------------------------------------------------------------ drawing

    toggleDraw() {
        if (this.state.drawing) {
            this.cancelDraw();
            return;
        }
        this.clearSelection();
        this.state.drawing = true;
        this.vertices = [];
        this.drawLayer = L.layerGroup().addTo(this.map);
        this.map.doubleClickZoom.disable();
        this.mapRef.el.classList.add("o_tms_map_drawing");
        this.map.on("click", this.onDrawClick);
        this.map.on("mousemove", this.onDrawMove);
        this.map.on("dblclick", this.onDrawDblClick);
        document.addEventListener("keydown", this.onKeydown);
    }

    stopDrawing() {
        this.state.drawing = false;
        document.removeEventListener("keydown", this.onKeydown);
        if (!this.map) {
            return;
        }
        this.map.off("click", this.onDrawClick);
        this.map.off("mousemove", this.onDrawMove);
        this.map.off("dblclick", this.onDrawDblClick);
        this.map.doubleClickZoom.enable();
        this.mapRef.el.classList.remove("o_tms_map_drawing");
    }

    cancelDraw() {
        if (!this.state.drawing) {
            return;
        }
        this.stopDrawing();
        this.vertices = [];
        if (this.drawLayer) {
            this.drawLayer.remove();
            this.drawLayer = null;
        }
    }

    onKeydown(ev) {
        if (ev.key === "Escape") {
            this.cancelDraw();
        }
    }

    onDrawClick(ev) {
        const point = ev.containerPoint;
        const vertices = this.vertices;
        if (vertices.length >= 3) {
            const first = this.map.latLngToContainerPoint(vertices[0]);
            if (point.distanceTo(first) <= CLOSE_PX) {
                this.finishDraw();
                return;
            }
        }
        if (vertices.length) {
            const last = this.map.latLngToContainerPoint(vertices.at(-1));
            if (point.distanceTo(last) <= SAME_PX) {
                return;
            }
        }
        vertices.push(ev.latlng);
        this.drawGuide(ev.latlng);
    }

    onDrawMove(ev) {
        if (this.vertices.length) {
            this.drawGuide(ev.latlng);
        }
    }

    onDrawDblClick() {
        if (this.vertices.length >= 3) {
            this.finishDraw();
        }
    }

    drawGuide(cursor) {
        this.drawLayer.clearLayers();
        const style = {color: SELECTION_COLOR, weight: 2, interactive: false};
        L.polyline([...this.vertices, cursor], {...style, dashArray: "6 6"}).addTo(
            this.drawLayer
        );
        L.circleMarker(this.vertices[0], {
            ...style,
            radius: 7,
            fillColor: "#fff",
            fillOpacity: 1,
            className: "o_tms_map_draw_start",
        }).addTo(this.drawLayer);
    }

    finishDraw() {
        this.shape = this.vertices;
        this.vertices = [];
        this.stopDrawing();
        this.drawLayer.clearLayers();
        L.polygon(this.shape, {
            color: SELECTION_COLOR,
            weight: 2,
            fillOpacity: 0.12,
            interactive: false,
            className: "o_tms_map_shape",
        }).addTo(this.drawLayer);
        this.computeSelection();
        this.drawLayers();
    }

    /** The parcels and stops inside the drawn shape, with their totals. */
    computeSelection() {
        if (!this.shape || !this.map) {
            this.state.selection = null;
            return;
        }
        const polygon = this.shape.map((latlng) => this.map.latLngToLayerPoint(latlng));
        const inside = (item) =>
            insidePolygon(this.map.latLngToLayerPoint(item.position), polygon);
        const {parcels, stops} = this.selectable;
        const chosenParcels = parcels.filter(inside);
        const chosenStops = stops.filter(inside);
        const sum = (items, key) =>
            items.reduce((total, i) => total + (i[key] || 0), 0);
        this.state.selection = {
            parcelIds: chosenParcels.map((p) => p.id),
            stopIds: chosenStops.map((s) => s.id),
            waiting: chosenParcels.length,
            stops: chosenStops.length,
            parcels: chosenParcels.length + sum(chosenStops, "parcel_count"),
            locked: chosenStops.filter((s) => s.locked).length,
            weight: sum(chosenParcels, "weight") + sum(chosenStops, "weight"),
            cod: sum(chosenParcels, "cod_amount") + sum(chosenStops, "cod_amount"),
        };
    }

    isSelected(kind, id) {
        const selection = this.state.selection;
        if (!selection) {
            return false;
        }
        return (kind === "parcel" ? selection.parcelIds : selection.stopIds).includes(
            id
        );
    }

    clearSelection() {
        this.shape = null;
        this.state.selection = null;
        if (this.drawLayer) {
            this.drawLayer.remove();
            this.drawLayer = null;
        }
        if (this.map) {
            this.drawLayers();
        }
    }

    onTargetChange(ev) {
        this.state.targetRoundId = parseInt(ev.target.value, 10) || null;
    }

    /** The selection goes to a new round (no round given) or to a draft round. */
    async assign(round) {
        const selection = this.state.selection;
        if (!selection || this.state.busy) {
            return;
        }
        this.state.busy = true;
        let result = null;
        try {
            result = await this.orm.call("tms.round", "tms_map_assign", [], {
                date: this.state.date,
                hub_id: this.state.hubId,
                parcel_ids: selection.parcelIds,
                stop_ids: selection.stopIds,
                round_id: round ? round.id : false,
            });
        } finally {
            this.state.busy = false;
        }
        this.notification.add(result.message, {
            title: result.round_name,
            type: result.type,
            sticky: result.type !== "success",
        });
        this.clearSelection();
        this.state.selectedRoundId = result.round_id;
        await this.load();
        this.highlight();
    }
}

registry.category("actions").add("tms_trans.dispatch_map", TmsDispatchMap);
