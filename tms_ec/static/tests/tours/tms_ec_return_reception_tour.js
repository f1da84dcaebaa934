/** @odoo-module **/
import {registry} from "@web/core/registry";

// The return parcel made by tms_ec/tests/test_return_reception.py, approved and
// awaiting its drop-off.
const RETURN_NUMBER = "RR990000615MA";

registry.category("web_tour.tours").add("tms_ec_return_reception_tour", {
    steps: () => [
        {
            trigger: ".o_tms_return_reception_input",
            content: "Type an unknown number",
            run: "edit RR990000624MA",
        },
        {
            trigger: ".o_tms_return_reception_submit",
            run: "click",
        },
        {
            trigger:
                ".o_tms_return_reception_status_unknown:contains(No parcel of yours)",
        },
        {
            trigger: ".o_tms_return_reception_input",
            content: "Type the return parcel's number",
            run: `edit ${RETURN_NUMBER}`,
        },
        {
            trigger: ".o_tms_return_reception_submit",
            run: "click",
        },
        {
            trigger: ".o_tms_return_reception_status_ok:contains(received)",
        },
        {
            trigger: ".o_tms_return_reception_items:contains(Linen shirt)",
        },
        {
            trigger: ".o_tms_return_reception_save:disabled",
            content: "Nothing can be saved before the checklist is filled",
        },
        {
            trigger: ".o_tms_return_reception_packaging",
            run: "select damaged",
        },
        {
            trigger: ".o_tms_return_reception_condition",
            run: "select like_new",
        },
        {
            trigger: ".o_tms_return_reception_accessories",
            run: "click",
        },
        {
            trigger: ".o_tms_return_reception_note",
            run: "edit Box dented, shirt folded.",
        },
        {
            trigger: ".o_tms_return_reception_save:enabled",
            run: "click",
        },
        {
            trigger: ".o_tms_return_reception_status_saved:contains(Inspected)",
        },
        {
            trigger: ".o_tms_return_reception_state:contains(Inspected)",
        },
        {
            trigger: ".o_tms_return_reception_proposal:contains(Restock)",
        },
        {
            trigger: ".o_tms_return_reception_next",
            run: "click",
        },
        {
            trigger: ".o_tms_return_reception_input",
        },
    ],
});
