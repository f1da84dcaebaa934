/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A back-office operator creates a parcel for a recipient, saves it (it gets its
 * tracking number and zone) and confirms it: it now awaits pickup.
 */
registry.category("web_tour.tours").add("tms_parcel_create_tour", {
    steps: () => [
        {
            trigger: ".o_list_button_add",
            content: "Create a parcel",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=recipient_id] input",
            run: "edit Tour Recipient",
        },
        {
            trigger: ".ui-menu-item > a:contains('Tour Recipient')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=recipient_city] input:value(Casablanca)",
            content: "The recipient's address is copied on the parcel",
        },
        {
            trigger: ".o_field_widget[name=zone_id] input:value(Tour Zone)",
            content: "The zone follows from the postcode",
        },
        {
            trigger: ".o_field_widget[name=client_reference] input",
            run: "edit CMD-TOUR-1",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=tracking_number]:contains(MA)",
            content: "Saving gives the parcel its tracking number",
        },
        {
            trigger: "button[name=action_confirm]",
            run: "click",
        },
        {
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('Awaiting Pickup')",
            content: "The confirmed parcel awaits pickup",
        },
    ],
});
