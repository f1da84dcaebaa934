/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A dispatcher opens the map from a round's form, on its day and depot: every
 * located stop has its numbered marker, the late stop is ringed, the unassigned stop is
 * grey with its reason, the stop without coordinates is listed rather than drawn.
 * Clicking a round in the side panel selects it; its button opens the round.
 */
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
