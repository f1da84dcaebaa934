/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A manager opens the dashboard: the exceptions card shows a number, and clicking it
 * opens the parcel list with exactly that many parcels. Back on the dashboard, the
 * month's failed attempts open the failed events of their reason.
 */
let exceptions = null;

function readNumber(element) {
    const value = parseInt(element.textContent.trim(), 10);
    if (Number.isNaN(value)) {
        throw new Error(`Expected a number, got "${element.textContent}"`);
    }
    return value;
}

registry.category("web_tour.tours").add("tms_dashboard_tour", {
    steps: () => [
        {
            content: "The exceptions card shows how many parcels are exceptions",
            trigger:
                ".o_tms_dashboard .o_tms_kpi[data-kpi='exceptions'] .o_tms_kpi_value",
            run() {
                exceptions = readNumber(this.anchor);
                if (exceptions <= 0) {
                    throw new Error("The demo data should have exceptions");
                }
            },
        },
        {
            content: "Open the exceptions",
            trigger: ".o_tms_dashboard .o_tms_kpi[data-kpi='exceptions']",
            run: "click",
        },
        {
            content: "The parcel list opens, named after the card",
            trigger: ".o_breadcrumb .active:contains(Exceptions)",
        },
        {
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "It lists as many parcels as the card said",
            trigger: ".o_pager_limit",
            run() {
                const total = readNumber(this.anchor);
                if (total !== exceptions) {
                    throw new Error(
                        `The card said ${exceptions}, the list has ${total}`
                    );
                }
            },
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb a:contains(Dashboard)",
            run: "click",
        },
        {
            content: "Look at the whole month",
            trigger: ".o_tms_dashboard_periods button[data-period='month']",
            run: "click",
        },
        {
            trigger: ".o_tms_dashboard_periods button[data-period='month'].active",
        },
        {
            content: "The month's deliveries are counted",
            trigger: ".o_tms_kpi[data-kpi='delivered'] .o_tms_kpi_value",
            run() {
                readNumber(this.anchor);
            },
        },
        {
            content: "Open the failed attempts of the most frequent reason",
            trigger: ".o_tms_dashboard_failures .o_tms_dashboard_item:first",
            run: "click",
        },
        {
            content: "The failed events of that reason are listed",
            trigger: ".o_list_view .o_data_row .o_field_cell[name=failure_reason_id]",
        },
    ],
});
