/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A merchant logged in to the portal opens its parcels, reads its cash-on-delivery
 * totals, opens a delivered parcel where the label can be downloaded, then reads its
 * return statistics from the account page.
 */
registry.category("web_tour.tours").add("tms_ec_merchant_portal_tour", {
    steps: () => [
        {
            trigger: ".o_portal_index_card a[href='/my/parcels']",
            content: "The account page leads to the merchant's parcels",
            run: "click",
        },
        {
            trigger: ".o_tms_ec_cod_totals .o_tms_ec_cod_to_collect",
            content: "The cash on delivery still to collect is shown above the list",
        },
        {
            trigger: ".o_tms_ec_cod_totals .o_tms_ec_cod_collected",
            content: "and the cash on delivery collected",
        },
        {
            trigger: ".o_portal_my_doc_table th.o_tms_ec_cod_header",
            content: "The list has a cash-on-delivery column",
        },
        {
            trigger: ".o_tms_portal_parcel:contains(ATLAS-3) a",
            content: "Open a delivered parcel",
            run: "click",
        },
        {
            trigger: ".o_tms_portal_parcel_page .o_tms_ec_label_link",
            content: "Its label can be downloaded",
        },
        {
            trigger: ".o_portal_submenu a[href='/my/home']",
            content: "Back to the account page",
            run: "click",
        },
        {
            trigger: ".o_portal_index_card a[href='/my/returns/stats']",
            content: "Open the return statistics",
            run: "click",
        },
        {
            trigger: ".o_tms_ec_return_stats .o_tms_ec_stats_row",
            content: "The returns are counted per product",
        },
    ],
});
