/** @odoo-module **/
import {registry} from "@web/core/registry";

const CARD = ".o_kanban_record:contains(RR999999995MA)";

/**
 * A driver opens his parcels on a phone: each card shows where to go and whom to
 * call, with a call link and a map link, and nothing on it is cut.
 */
registry.category("web_tour.tours").add("tms_driver_phone_tour", {
    steps: () => [
        {
            content: "The driver's parcels open as cards",
            trigger: `.o_kanban_view ${CARD}`,
        },
        {
            content: "The card shows the street",
            trigger: `${CARD}:contains(7 Rue du Tour)`,
        },
        {
            content: "The ZIP and the city are apart",
            trigger: `${CARD}:contains(20250 Casablanca)`,
        },
        {
            content: "The phone number is a call link",
            trigger: `${CARD} .o_field_widget[name=recipient_phone] a[href='tel:+212661234567']`,
        },
        {
            content: "A Call button",
            trigger: `${CARD} a.o_tms_parcel_call[href='tel:+212661234567']`,
        },
        {
            content: "A map link to the address",
            trigger: `${CARD} a.o_tms_parcel_map[href^='https://www.google.com/maps/search/?api=1&query=7%20Rue%20du%20Tour']`,
        },
        {
            content: "Nothing on the card overflows the phone's screen",
            trigger: CARD,
            run() {
                const card = this.anchor.getBoundingClientRect();
                if (card.right > window.innerWidth + 1) {
                    throw new Error("The card is wider than the screen");
                }
                for (const element of this.anchor.querySelectorAll("*")) {
                    const box = element.getBoundingClientRect();
                    if (box.width && box.right > card.right + 1) {
                        throw new Error(
                            `"${element.textContent.trim()}" sticks out of the card`
                        );
                    }
                }
            },
        },
    ],
});
