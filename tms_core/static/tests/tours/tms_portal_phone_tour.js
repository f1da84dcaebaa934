/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * Checks that the page is no wider than the screen, and no table in it either
 * (nothing to scroll sideways, no column cut off).
 */
function assertNoOverflow() {
    const width = document.body.scrollWidth;
    if (width > window.innerWidth) {
        throw new Error(
            `The page is ${width}px wide on a ${window.innerWidth}px screen`
        );
    }
    for (const wrapper of document.querySelectorAll(".table-responsive")) {
        if (wrapper.scrollWidth > wrapper.clientWidth) {
            throw new Error(
                `A table is ${wrapper.scrollWidth}px wide in ${wrapper.clientWidth}px`
            );
        }
    }
}

/**
 * A customer on a phone opens their parcels: the list fits the screen, and so does a
 * parcel's page.
 */
registry.category("web_tour.tours").add("tms_portal_phone_tour", {
    steps: () => [
        {
            // The reference column is hidden on a phone: found by recipient
            trigger: ".o_tms_portal_parcel:contains(Benali-Alaoui 0)",
            content: "The parcels are listed",
            run: assertNoOverflow,
        },
        {
            trigger: ".o_tms_portal_parcel:contains(Benali-Alaoui 0) a",
            run: "click",
        },
        {
            trigger: ".o_tms_portal_parcel_page .o_tms_timeline_event",
            content: "The parcel's page fits the screen too",
            run: assertNoOverflow,
        },
    ],
});
