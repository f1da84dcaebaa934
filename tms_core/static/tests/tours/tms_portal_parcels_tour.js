/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A shop logged in to the portal opens "Parcels" from its account page, finds its
 * own parcel (and never the other shop's) and follows it on its detail page.
 */
function portalParcelsSteps(ownReference, otherReference) {
    return [
        {
            trigger: ".o_portal_index_card a[href='/my/parcels']",
            content: "The account page counts the shop's parcels",
            run: "click",
        },
        {
            trigger: `.o_tms_portal_parcel:contains(${ownReference})`,
            content: "The shop's own parcel is listed",
        },
        {
            trigger: `.o_portal_my_doc_table:not(:has(:contains(${otherReference})))`,
            content: "The other shop's parcel is not",
        },
        {
            trigger: `.o_tms_portal_parcel:contains(${ownReference}) a`,
            run: "click",
        },
        {
            trigger: ".o_tms_portal_parcel_page .o_tms_timeline_event",
            content: "The detail page shows the timeline",
        },
        {
            trigger: `.o_tms_portal_parcel_page dd:contains(${ownReference})`,
        },
    ];
}

registry.category("web_tour.tours").add("tms_portal_parcels_tour_shop_a", {
    steps: () => portalParcelsSteps("SHOP-A-1", "SHOP-B-1"),
});
registry.category("web_tour.tours").add("tms_portal_parcels_tour_shop_b", {
    steps: () => portalParcelsSteps("SHOP-B-1", "SHOP-A-1"),
});
