/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A customer logged in to the portal opens the parcel they received, chooses
 * "Return items", picks the kaftan and the reason "Wrong item sent", sends the request
 * and sees the return approved at once, with the QR code to show at a drop-off point.
 */
registry.category("web_tour.tours").add("tms_ec_return_portal_tour", {
    steps: () => [
        {
            trigger: ".o_tms_portal_parcel:contains(TOUR-RMA-1) a",
            content: "Open the delivered parcel",
            run: "click",
        },
        {
            trigger: ".o_tms_portal_parcel_page .o_tms_ec_return_items",
            content: "Return items",
            run: "click",
        },
        {
            trigger: ".o_tms_return_item:contains(Tour Kaftan) select.o_tms_return_qty",
            content: "One kaftan",
            run: "select 1",
        },
        {
            trigger:
                ".o_tms_return_item:contains(Tour Kaftan) select.o_tms_return_reason",
            content: "The shop sent the wrong item",
            run: "selectByLabel Wrong item sent",
        },
        {
            trigger: ".o_tms_return_submit",
            content: "Ask for the return",
            run: "click",
        },
        {
            trigger: ".o_tms_return_page .o_tms_return_status[data-state=approved]",
            content: "Approved at once: the shop sent the wrong item",
        },
        {
            trigger: ".o_tms_return_qr_card img.o_tms_return_qr",
            content: "The QR code to show at a drop-off point",
        },
        {
            trigger: ".o_tms_return_hubs:contains(Tour Drop-off Hub)",
            content: "Where to drop it",
        },
    ],
});
