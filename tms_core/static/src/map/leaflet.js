/** @odoo-module **/
import {loadCSS, loadJS} from "@web/core/assets";

/**
 * The suite's maps (tms_trans's dispatch map, tms_3pl's SLA map) draw with Leaflet,
 * shipped in tms_core/static/lib/leaflet/ and loaded when a map first opens; the
 * tile server comes from the company's settings (res.company._tms_map_tiles).
 */
export const LEAFLET = "/tms_core/static/lib/leaflet";

export function loadLeaflet() {
    return Promise.all([
        loadJS(`${LEAFLET}/leaflet.js`),
        loadCSS(`${LEAFLET}/leaflet.css`),
    ]);
}

/** Text made safe for the HTML of a marker's popup or tooltip. */
export function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text === undefined || text === null ? "" : String(text);
    return div.innerHTML;
}
