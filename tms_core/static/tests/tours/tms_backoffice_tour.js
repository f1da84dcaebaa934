/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A back-office operator looks up a delivered parcel by its tracking number typed
 * as read out on the phone (lower case, spaces), opens it and prints its label:
 * the print dialog closes and says what was made.
 */
registry.category("web_tour.tours").add("tms_backoffice_search_print_tour", {
    steps: () => [
        {
            content: "No default filter hides delivered parcels",
            trigger: ".o_list_view .o_data_row",
            run() {
                const facets = document.querySelectorAll(".o_searchview_facet");
                if (facets.length) {
                    throw new Error(
                        `The parcel list opens filtered: ${[...facets]
                            .map((facet) => facet.textContent.trim())
                            .join(", ")}`
                    );
                }
            },
        },
        {
            content: "Type the tracking number as it is read out",
            trigger: ".o_searchview_input",
            run: "edit rr 999999995 ma",
        },
        {
            content: "Search it as a tracking number",
            trigger:
                ".o_searchview_autocomplete .o_menu_item:contains(Tracking Number)",
            run: "click",
        },
        {
            content: "The delivered parcel is found, alone",
            trigger:
                ".o_list_view .o_data_row:contains(RR999999995MA):contains(Delivered)",
            run() {
                const rows = document.querySelectorAll(".o_list_view .o_data_row");
                if (rows.length !== 1) {
                    throw new Error(`${rows.length} parcels found instead of one`);
                }
            },
        },
        {
            content: "Its tracking number and state are not cut",
            trigger: ".o_list_view .o_data_row:contains(RR999999995MA)",
            run() {
                for (const name of ["tracking_number", "state"]) {
                    const cell = this.anchor.querySelector(
                        `.o_data_cell[name=${name}]`
                    );
                    const content = cell.querySelector(".o_field_widget > *") || cell;
                    if (content.scrollWidth > cell.clientWidth) {
                        throw new Error(`The ${name} column cuts its value`);
                    }
                }
            },
        },
        {
            content: "Open the parcel",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=tracking_number]",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_tms_print_labels]",
            run: "click",
        },
        {
            content: "With no printer, the dialog says the labels are downloaded",
            trigger: ".modal .o_form_view div[name=download_note]",
        },
        {
            trigger: ".modal .modal-footer button[name=action_print]",
            run: "click",
        },
        {
            content: "A notification says what was made",
            trigger: ".o_notification:contains(1 label downloaded as PDF)",
        },
        {
            content: "The print dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The parcel's label print count is up to date",
            trigger:
                ".o_form_view button[name=action_tms_view_label_prints]:contains(1)",
        },
    ],
});
