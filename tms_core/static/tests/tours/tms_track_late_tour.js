/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * Checks that an element is inside the visible part of the page.
 *
 * @param {String} selector
 */
function assertInView(selector) {
    const rect = document.querySelector(selector).getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) {
        throw new Error(
            `${selector} is out of view (top ${rect.top}, bottom ${rect.bottom})`
        );
    }
}

/**
 * Waits until a condition holds: the page's own script focuses the field once it has
 * loaded, which may be after the tour sees the error.
 *
 * @param {Function} condition
 * @param {String} message thrown when it still does not hold after 5 seconds
 */
async function waitUntil(condition, message) {
    const end = Date.now() + 5000;
    while (!condition()) {
        if (Date.now() > end) {
            throw new Error(message);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/**
 * An anonymous visitor on a phone follows a parcel whose promised day is past: the
 * page says it is late and how to reach the carrier. A wrong answer to the second
 * factor brings them back to the form, the error in view and the field focused.
 */
registry.category("web_tour.tours").add("tms_track_late_tour", {
    steps: () => [
        {
            trigger: "input#tms_track_number",
            content: "Type the tracking number printed on the label",
            run: "edit RR990000023MA",
        },
        {
            trigger: ".o_tms_track_form button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_tms_track_next_step:contains(late)",
            content: "The page says the parcel is late",
        },
        {
            trigger: ".o_tms_track_result:not(:contains(arrives today))",
            content: "It does not promise a delivery today",
        },
        {
            trigger: ".o_tms_track_late a[href^='tel:']:contains(+212 5 22 00 11 22)",
            content: "The carrier's phone number to call",
        },
        {
            trigger:
                ".o_tms_track_late a[href^='mailto:']:contains(help@tour-carrier.example.com)",
            content: "and its email address",
        },
        {
            trigger: "footer:contains(Tour Carrier)",
            content: "The page is the carrier's",
        },
        {
            trigger: "input#tms_track_answer",
            content: "Give wrong last digits",
            run: "edit 0000",
        },
        {
            trigger: ".o_tms_track_reveal button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_tms_track_reveal_error",
            content: "The error is shown in view, the field focused",
            async run() {
                await waitUntil(
                    () => document.activeElement?.id === "tms_track_answer",
                    "The answer field is not focused"
                );
                assertInView(".o_tms_track_reveal_error");
            },
        },
    ],
});
