/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * An anonymous visitor types the tracking number of their label (with spaces, in
 * lower case), follows the parcel on its timeline, then gives the delivery postcode
 * to see the delivery details and the proof of delivery.
 */
registry.category("web_tour.tours").add("tms_track_tour", {
    steps: () => [
        {
            trigger: "input#tms_track_number",
            content: "Type the tracking number printed on the label",
            run: "edit rr 99000001 0ma",
        },
        {
            trigger: ".o_tms_track_form button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_tms_track_number:contains(RR990000010MA)",
            content: "The parcel is found",
        },
        {
            trigger: ".o_tms_track_status:contains(Delivered)",
        },
        {
            trigger: ".o_tms_timeline_event .o_tms_timeline_place:contains(Casablanca)",
            content: "The timeline shows where the parcel went",
        },
        {
            trigger: ".o_tms_track_details:not(:has(.o_tms_delivery_details))",
            content: "No delivery details before the second factor",
        },
        {
            trigger: "input#tms_track_answer",
            content: "Give the delivery postcode",
            run: "edit 20250",
        },
        {
            trigger: ".o_tms_track_reveal button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_tms_delivery_details address:contains(Tour Recipient)",
            content: "The delivery details are shown",
        },
        {
            trigger: ".o_tms_pod_receiver:contains(Tour Receiver)",
        },
        {
            trigger: "img.o_tms_pod_signature",
            content: "The signature of the receiver",
        },
    ],
});
