/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * Labels queued for a printer on a hardware box: Odoo, open in this browser on the
 * box's network, sends them to the box, which prints them; the Print Jobs list
 * shows them done without the user doing anything.
 */
registry.category("web_tour.tours").add("tms_hw_proxy_box_print_tour", {
    steps: () => [
        {
            trigger: ".o_searchview_facet:contains(Not Printed) .o_facet_remove",
            content: "Show every job, printed ones included",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains(Box label 3) td[name=state]:contains(Done)",
            content:
                "This browser sent the batch to the box: the last label is printed",
            timeout: 60000,
        },
        {
            trigger: ".o_data_row:contains(Box label 1) td[name=state]:contains(Done)",
        },
        {
            trigger: ".o_data_row:contains(Box label 2) td[name=state]:contains(Done)",
        },
    ],
});

/** The printer behind the box is off: the job shows why it did not print. */
registry.category("web_tour.tours").add("tms_hw_proxy_box_printer_off_tour", {
    steps: () => [
        {
            trigger:
                ".o_data_row:contains(Box label off) td[name=error]:contains(refused)",
            content: "The box could not reach the printer: the reason is in the list",
            timeout: 60000,
        },
        {
            trigger:
                ".o_data_row:contains(Box label off) td[name=state]:contains(Queued)",
            content: "The job waits for its next try; nothing is lost",
        },
    ],
});

/** The printer is back on: the user retries the job, the box prints it. */
registry.category("web_tour.tours").add("tms_hw_proxy_box_retry_tour", {
    steps: () => [
        {
            trigger: ".o_searchview_facet:contains(Not Printed) .o_facet_remove",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains(Box label off) button[name=action_retry]",
            content: "Retry the job now",
            run: "click",
        },
        {
            trigger:
                ".o_data_row:contains(Box label off) td[name=state]:contains(Done)",
            content: "Sent again through the box and printed",
            timeout: 60000,
        },
    ],
});

/** A read of a serial scanner on the box reaches the page as a barcode event. */
registry.category("web_tour.tours").add("tms_hw_proxy_box_scan_tour", {
    steps: () => [
        {
            trigger: ".o_main_navbar",
            content: "Listen to the barcode events of the page, as a scan screen does",
            run() {
                const barcode = odoo.__WOWL_DEBUG__.root.env.services.barcode;
                barcode.bus.addEventListener("barcode_scanned", ({detail}) => {
                    const seen = document.createElement("div");
                    seen.className = "o_tms_test_scan";
                    seen.textContent = detail.barcode;
                    document.body.appendChild(seen);
                });
            },
        },
        {
            trigger: ".o_tms_test_scan:contains(RR123456785MA)",
            content: "The box's scanner read arrives as an ordinary barcode event",
            timeout: 60000,
        },
    ],
});
