/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * The SLA map (test_sla_map.py): Casablanca is red at 25 % over the last 3 months,
 * its popup shows the figures and opens its 3 late parcels.
 */
registry.category("web_tour.tours").add("tms_3pl_sla_map_tour", {
    steps: () => [
        {
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            trigger:
                ".o-dropdown--menu .o_app[data-menu-xmlid='tms_core.tms_menu_root']",
            run: "click",
        },
        {
            trigger:
                ".o_menu_sections [data-menu-xmlid='tms_core.tms_menu_operations']",
            run: "click",
        },
        {
            trigger:
                ".o-dropdown--menu [data-menu-xmlid='tms_3pl.tms_sla_zone_map_menu']",
            run: "click",
        },
        {
            trigger: ".o_tms_sla_zone_map .leaflet-container",
        },
        {
            trigger: ".o_tms_sla_map_period",
            run: "select last_3_months",
        },
        {
            trigger:
                ".o_tms_sla_map_zone:contains(Casablanca) .o_tms_sla_map_zone_rate:contains(25.0 %)",
            run: "click",
        },
        {
            // Drawn at its hub, in red, on top of the wide grey zone around it
            trigger: ".leaflet-overlay-pane path.o_tms_sla_zone_poor",
            run() {
                const paths = [
                    ...document.querySelectorAll(".leaflet-overlay-pane path"),
                ];
                const wide = paths.findIndex((p) => p.matches(".o_tms_sla_zone_none"));
                const city = paths.findIndex((p) => p.matches(".o_tms_sla_zone_poor"));
                if (wide < 0 || city < wide) {
                    throw new Error(
                        `Casablanca (${city}) is under the wide zone (${wide})`
                    );
                }
            },
        },
        {
            trigger:
                ".o_tms_sla_popup:contains(Casablanca) .o_tms_sla_popup_rate:contains(25.0 %)",
        },
        {
            trigger: ".o_tms_sla_popup .o_tms_sla_popup_late",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_breadcrumb:contains(Late parcels - Casablanca)",
        },
        {
            trigger: ".o_list_view",
            run() {
                const rows = document.querySelectorAll(
                    ".o_list_view tbody .o_data_row"
                );
                if (rows.length !== 3) {
                    throw new Error(`3 late parcels expected, ${rows.length} listed`);
                }
            },
        },
    ],
});

/**
 * The SLA map in Arabic (test_sla_map.py): the zone's popup reads right to left,
 * though the map itself is laid out left to right.
 */
registry.category("web_tour.tours").add("tms_3pl_sla_map_rtl_tour", {
    steps: () => [
        {
            trigger: ".o_tms_sla_zone_map .leaflet-container",
        },
        {
            trigger: ".o_tms_sla_map_period",
            run: "select last_3_months",
        },
        {
            trigger:
                ".o_tms_sla_map_zone:contains(Casablanca) .o_tms_sla_map_zone_rate:contains(25.0 %)",
            run: "click",
        },
        {
            trigger: ".o_tms_sla_popup[dir=rtl]:contains(Casablanca)",
            run() {
                const popup = document.querySelector(".o_tms_sla_popup");
                const align = getComputedStyle(popup).textAlign;
                if (!["right", "start"].includes(align)) {
                    throw new Error(`the popup is aligned ${align}, not to the right`);
                }
            },
        },
    ],
});

/**
 * A zone's form in French (test_sla_map.py): the headers of the carriers delivering
 * it are whole, not cut ("Jours de…").
 */
registry.category("web_tour.tours").add("tms_3pl_zone_form_tour", {
    steps: () => [
        {
            trigger:
                ".o_form_view .o_field_widget[name=carrier_line_ids] th[data-name=transit_days]",
            run() {
                const cut = [
                    ...document.querySelectorAll(
                        ".o_field_widget[name=carrier_line_ids] thead th[data-name] span"
                    ),
                ].filter((span) => span.scrollWidth > span.clientWidth);
                if (cut.length) {
                    throw new Error(
                        `cut column headers: ${cut.map((s) => s.textContent).join(", ")}`
                    );
                }
            },
        },
    ],
});
