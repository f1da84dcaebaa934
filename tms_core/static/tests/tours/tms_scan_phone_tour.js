/** @odoo-module **/
import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

// A valid number (check digit) that no parcel has
const UNKNOWN = "RR999999995MA";
// The demo parcel the operator has in hand (tms_core/tests/test_scan_tour.py)
let parcel = "";

/** A keyboard-wedge scanner (a Bluetooth one on a phone): keys, then Enter. */
function wedgeScan(code) {
    for (const key of [...code, "Enter"]) {
        document.body.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true}));
    }
}

/**
 * The demo operator's first scans on a phone: the scan screen is opened from the
 * menu, the hub is already theirs, a demo parcel in transit is checked in, an unknown
 * number is refused and kept to be sent again, and the parcel's scan is undone.
 */
registry.category("web_tour.tours").add("tms_scan_phone_tour", {
    steps: () => [
        {
            trigger: ".o_main_navbar .o_menu_toggle",
            content: "Open the menu",
            run: "click",
        },
        {
            trigger: ".o_app_menu_sidebar a:contains(All Apps)",
            run: "click",
        },
        {
            trigger:
                ".o_app_menu_sidebar li.o_app[data-menu-xmlid='tms_core.tms_menu_root']",
            content: "Open the Transport app",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o_app_menu_sidebar))",
        },
        {
            trigger: ".o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            trigger: ".o_app_menu_sidebar li[data-menu-xmlid='tms_core.tms_scan_menu']",
            content: "Open the scan screen",
            run: "click",
        },
        {
            trigger: ".o_tms_scan_operation[data-operation=arrival]",
            content: "Check parcels in at the hub",
            run: "click",
        },
        {
            trigger: ".o_tms_scan_current_operation:contains(Arrival at Hub)",
        },
        {
            trigger: ".o_tms_scan_hub select:has(option:selected:contains(CAS))",
            content: "The operator's hub is already chosen",
        },
        {
            trigger: ".o_tms_scan_body",
            content: "The phone vibrates (recorded here)",
            run() {
                window.tmsVibrations = [];
                navigator.vibrate = (pattern) => {
                    window.tmsVibrations.push(pattern);
                    return true;
                };
            },
        },
        {
            trigger: ".o_tms_scan_body",
            content: "Scan a parcel in transit",
            async run() {
                const [found] = await rpc(
                    "/web/dataset/call_kw/tms.parcel/search_read",
                    {
                        model: "tms.parcel",
                        method: "search_read",
                        args: [[["state", "=", "in_transit"]], ["tracking_number"]],
                        kwargs: {order: "id", limit: 1},
                    }
                );
                parcel = found.tracking_number;
                wedgeScan(parcel);
            },
        },
        {
            trigger: ".o_tms_scan_feedback.text-bg-success.o_tms_scan_status_ok",
            content: "Green: the parcel is at the hub",
        },
        {
            trigger: ".o_tms_scan_feedback:contains(At Hub)",
        },
        {
            trigger: ".o_tms_scan_flash.o_tms_scan_flash_ok",
            content: "The whole screen flashes green, the phone vibrates",
            run() {
                if (window.tmsVibrations.length !== 1) {
                    throw new Error("The phone did not vibrate for the scan");
                }
            },
        },
        {
            trigger: ".o_tms_scan_feedback .o_tms_scan_undo:contains(Undo: arrival of)",
            run() {
                if (!this.anchor.textContent.includes(parcel)) {
                    throw new Error(`The Undo does not name ${parcel}`);
                }
            },
        },
        {
            trigger: ".o_tms_scan_body",
            content: "Scan an unknown number",
            run: () => wedgeScan(UNKNOWN),
        },
        {
            trigger: `.o_tms_scan_feedback.text-bg-danger.o_tms_scan_status_unknown:contains(${UNKNOWN})`,
            content: "Red: refused",
        },
        {
            trigger: ".o_tms_scan_flash.o_tms_scan_flash_error",
            run() {
                if (window.tmsVibrations.length !== 2) {
                    throw new Error("The phone did not vibrate for the refused scan");
                }
            },
        },
        {
            trigger: ".o_tms_scan_feedback:not(:has(.o_tms_scan_undo))",
            content: "No Undo on the refused scan",
        },
        {
            trigger: `.o_tms_scan_list .o_tms_scan_entry_unknown:contains(${UNKNOWN}):not(:has(.o_tms_scan_undo))`,
        },
        {
            trigger: `.o_tms_scan_refused_item:contains(${UNKNOWN}) .o_tms_scan_resend`,
            content: "The refused scan can be sent again",
            run: "click",
        },
        {
            trigger: `.o_tms_scan_list .o_tms_scan_entry:first-child.o_tms_scan_entry_unknown:contains(${UNKNOWN})`,
            content: "Sent again, refused again: still listed",
        },
        {
            trigger: `.o_tms_scan_refused_item:contains(${UNKNOWN}) .o_tms_scan_resend`,
        },
        {
            trigger: ".o_tms_scan_counts .o_tms_scan_count_unknown:contains(2)",
        },
        {
            trigger:
                ".o_tms_scan_list .o_tms_scan_entry_ok .o_tms_scan_undo:contains(Undo: arrival of)",
            content: "Undo the parcel's scan, on its line",
            run(helpers) {
                if (!this.anchor.textContent.includes(parcel)) {
                    throw new Error(`The Undo does not name ${parcel}`);
                }
                return helpers.click();
            },
        },
        {
            trigger:
                ".o_tms_scan_feedback.o_tms_scan_status_undone:contains(In Transit)",
            content: "Undone: the parcel is in transit again",
        },
        {
            trigger: ".o_tms_scan_list .o_tms_scan_entry_undone",
        },
        {
            trigger: ".o_tms_scan_body:not(:has(.o_tms_scan_undo))",
        },
    ],
});
