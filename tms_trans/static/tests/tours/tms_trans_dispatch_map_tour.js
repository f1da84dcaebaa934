/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A dispatcher opens the map from a round's form, on its day and depot: every
 * located stop has its numbered marker, the late stop is ringed, the unassigned stop is
 * grey with its reason, the stop without coordinates is listed rather than drawn.
 * Clicking a round in the side panel selects it. The started round shows where its
 * driver went (its trail) and was last seen, with the time. The dispatcher draws a shape around
 * the two parcels waiting at the depot and the pool's stop and makes a new round of
 * them. Its button opens a round.
 */

/** Click on the map at a point of the page, as a mouse does. */
function clickMap(x, y) {
    const container = document.querySelector(".o_tms_dispatch_map .leaflet-container");
    container.dispatchEvent(
        new MouseEvent("click", {
            bubbles: true,
            cancelable: true,
            clientX: x,
            clientY: y,
            view: window,
        })
    );
}
registry.category("web_tour.tours").add("tms_trans_dispatch_map_tour", {
    steps: () => [
        {
            content: "Open the round's map",
            trigger: ".o_form_view .o_tms_round_map_button",
            run: "click",
        },
        {
            content: "The map is drawn with the depot",
            trigger: ".o_tms_dispatch_map .leaflet-container .o_tms_map_depot",
        },
        {
            content: "Every located stop of the two rounds has a numbered marker",
            trigger: ".o_tms_dispatch_map .o_tms_map_round:contains(TOUR-B)",
            run() {
                const rounds = document.querySelectorAll(".o_tms_map_round");
                if (rounds.length !== 2) {
                    throw new Error(`Expected 2 rounds, got ${rounds.length}`);
                }
                const markers = document.querySelectorAll(
                    ".leaflet-marker-pane .o_tms_map_stop:not(.o_tms_map_unassigned)"
                );
                if (markers.length !== 4) {
                    throw new Error(`Expected 4 round markers, got ${markers.length}`);
                }
                const numbers = [...markers].map((m) => m.textContent.trim()).sort();
                if (numbers.join(",") !== "1,1,2,2") {
                    throw new Error(`Unexpected stop numbers: ${numbers}`);
                }
            },
        },
        {
            content: "The late stop is highlighted",
            trigger: ".leaflet-marker-pane .o_tms_map_stop.o_tms_map_late",
        },
        {
            content: "The unassigned stop is on the map, grey",
            trigger: ".leaflet-marker-pane .o_tms_map_stop.o_tms_map_unassigned",
        },
        {
            content: "and listed with its reason",
            trigger:
                ".o_tms_map_unassigned_list .o_tms_map_reason:contains(Vehicle capacity exceeded)",
        },
        {
            content: "The stop without coordinates is listed, not drawn",
            trigger: ".o_tms_map_unplaced li:contains(Tour Nowhere)",
        },
        {
            content: "Each round shows its progress",
            trigger: ".o_tms_map_round:contains(TOUR-A) .o_tms_map_done:contains(1)",
        },
        {
            content: "The round opened from its form is selected",
            trigger: ".o_tms_map_round.active:contains(TOUR-A)",
        },
        {
            content:
                "The started round's trail is drawn under its route, in its colour",
            trigger: ".leaflet-overlay-pane path.o_tms_map_trail",
            run() {
                const paths = [
                    ...document.querySelectorAll(".leaflet-overlay-pane path"),
                ];
                const trails = paths.filter((p) =>
                    p.classList.contains("o_tms_map_trail")
                );
                if (trails.length !== 1) {
                    throw new Error(`Expected 1 trail, got ${trails.length}`);
                }
                const [trail] = trails;
                const route = paths.find(
                    (p) =>
                        p.classList.contains("o_tms_map_route") &&
                        p.getAttribute("stroke") === trail.getAttribute("stroke")
                );
                if (!route || paths.indexOf(route) < paths.indexOf(trail)) {
                    throw new Error("The trail should be under its round's route");
                }
                if (
                    !trail.getAttribute("stroke-dasharray") ||
                    Number(trail.getAttribute("stroke-width")) >=
                        Number(route.getAttribute("stroke-width"))
                ) {
                    throw new Error("The trail should be thinner and dashed");
                }
            },
        },
        {
            content: "The driver's last position has its marker, with the time",
            trigger: ".leaflet-marker-pane .o_tms_map_driver",
            run() {
                const markers = document.querySelectorAll(
                    ".leaflet-marker-pane .o_tms_map_driver"
                );
                if (markers.length !== 1) {
                    throw new Error(`Expected 1 driver marker, got ${markers.length}`);
                }
                markers[0].dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
            },
        },
        {
            content: "Its tooltip says when the driver was there",
            trigger: ".leaflet-tooltip:contains(TOUR-A: driver seen at):contains(:47)",
        },
        {
            content: "The parcels waiting at the depot are on the map",
            trigger: ".leaflet-marker-pane .o_tms_map_parcel",
            run() {
                const parcels = document.querySelectorAll(
                    ".leaflet-marker-pane .o_tms_map_parcel"
                );
                if (parcels.length !== 2) {
                    throw new Error(
                        `Expected 2 waiting parcels, got ${parcels.length}`
                    );
                }
            },
        },
        {
            content: "Start drawing",
            trigger: ".o_control_panel .o_tms_map_draw:contains(Draw)",
            run: "click",
        },
        {
            content: "The map says how to draw",
            trigger: ".o_tms_map_hint:contains(double-click)",
        },
        {
            content: "Draw a rectangle around the waiting parcels and the pool's stop",
            trigger: ".o_tms_dispatch_map .leaflet-container.o_tms_map_drawing",
            run() {
                const rects = [
                    ...document.querySelectorAll(
                        ".leaflet-marker-pane .o_tms_map_parcel, .leaflet-marker-pane .o_tms_map_unassigned"
                    ),
                ].map((el) => el.getBoundingClientRect());
                const margin = 20;
                const left = Math.min(...rects.map((r) => r.left)) - margin;
                const top = Math.min(...rects.map((r) => r.top)) - margin;
                const right = Math.max(...rects.map((r) => r.right)) + margin;
                const bottom = Math.max(...rects.map((r) => r.bottom)) + margin;
                clickMap(left, top);
                clickMap(right, top);
                clickMap(right, bottom);
                clickMap(left, bottom);
                // Back on the first point: the shape is closed
                clickMap(left, top);
            },
        },
        {
            content: "The selection counts its parcels, stops, weight and COD",
            trigger: ".o_tms_map_selection .o_tms_map_sel_parcels:contains(Parcels: 3)",
            run() {
                const box = document.querySelector(".o_tms_map_selection");
                for (const [selector, text] of [
                    [".o_tms_map_sel_waiting", "Not planned: 2"],
                    [".o_tms_map_sel_stops", "Stops: 1"],
                    [".o_tms_map_sel_weight", "Weight: 5.0 kg"],
                    [".o_tms_map_sel_cod", "40.00"],
                ]) {
                    const found = box.querySelector(selector).textContent;
                    if (!found.includes(text)) {
                        throw new Error(`${selector}: expected ${text}, got ${found}`);
                    }
                }
                const selected = document.querySelectorAll(
                    ".leaflet-marker-pane .o_tms_map_selected"
                );
                if (selected.length !== 3) {
                    throw new Error(
                        `Expected 3 selected markers, got ${selected.length}`
                    );
                }
                if (document.querySelector(".o_tms_map_drawing")) {
                    throw new Error("The map is still drawing");
                }
            },
        },
        {
            content: "The draft round is offered too (TOUR-A has started)",
            trigger: ".o_tms_map_selection .o_tms_map_add:contains(Add to TOUR-B)",
        },
        {
            content: "Make a new round of the selection",
            trigger: ".o_tms_map_selection .o_tms_map_new_round",
            run: "click",
        },
        {
            content: "The dispatcher is told what was planned",
            trigger: ".o_notification:contains(3 parcels on 3 stops added to round)",
        },
        {
            content: "The new round, with the free van, is selected",
            trigger: ".o_tms_map_round.active:contains(TOUR-MAP-V1)",
            run() {
                if (document.querySelector(".o_tms_map_selection")) {
                    throw new Error("The selection should be cleared");
                }
                if (document.querySelector(".leaflet-marker-pane .o_tms_map_parcel")) {
                    throw new Error("No parcel should be waiting any more");
                }
                const rounds = document.querySelectorAll(".o_tms_map_round");
                if (rounds.length !== 3) {
                    throw new Error(`Expected 3 rounds, got ${rounds.length}`);
                }
            },
        },
        {
            content: "Its stops are numbered on the map",
            trigger: ".o_tms_map_round.active:contains(3 remaining)",
        },
        {
            content: "Select the other round",
            trigger: ".o_tms_map_round:contains(TOUR-B)",
            run: "click",
        },
        {
            content: "Open it",
            trigger: ".o_tms_map_round.active:contains(TOUR-B) .o_tms_map_open",
            run: "click",
        },
        {
            content: "The round's form opens",
            trigger: ".o_form_view .o_field_widget[name=name]:contains(TOUR-B)",
        },
    ],
});
