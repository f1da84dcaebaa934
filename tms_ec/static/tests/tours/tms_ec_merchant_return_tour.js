/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A shop that approves its returns itself opens a request of its customer from the
 * portal's "Returns": it sees what comes back and why, not the customer's drop-off
 * code, and approves it.
 */
registry.category("web_tour.tours").add("tms_ec_merchant_return_tour", {
    steps: () => [
        {
            trigger: ".o_tms_portal_return:contains(Fatima Zahra Benali) a",
            content: "Open the customer's return request",
            run: "click",
        },
        {
            trigger: ".o_tms_return_page .o_tms_return_status[data-state=requested]",
            content: "The request waits for the shop",
        },
        {
            trigger: ".o_tms_return_line:contains(Caftan brodé)",
            content: "The items and their reason",
        },
        {
            trigger: ".o_tms_return_page:not(:has(.o_tms_return_qr_card))",
            content: "No drop-off code: that is the customer's",
        },
        {
            trigger: ".o_tms_ec_return_decision .o_tms_ec_return_approve",
            content: "Approve the return",
            run: "click",
        },
        {
            trigger: ".o_tms_return_page .o_tms_return_status[data-state=approved]",
            content: "Approved",
        },
        {
            trigger: ".o_tms_return_page:not(:has(.o_tms_ec_return_decision))",
            content: "Nothing left to decide",
        },
    ],
});
