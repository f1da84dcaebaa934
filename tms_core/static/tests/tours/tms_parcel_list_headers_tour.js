/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * The parcel list in the user's language (test_backoffice_tours.py): no column
 * title is cut ("Nom du destin…", "Plateforme de desti…" were, in French).
 */
registry.category("web_tour.tours").add("tms_parcel_list_headers_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row",
            run() {
                const cut = [
                    ...document.querySelectorAll(
                        ".o_list_view thead th[data-name] span"
                    ),
                ].filter((span) => span.scrollWidth > span.clientWidth);
                if (cut.length) {
                    throw new Error(
                        `cut column titles: ${cut.map((s) => s.textContent).join(", ")}`
                    );
                }
            },
        },
    ],
});
