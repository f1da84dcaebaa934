/** @odoo-module **/
import {registry} from "@web/core/registry";

// Parcels made by the test (tms_core/tests/test_scan_tour.py), in transit to the hub.
const TYPED = "RR990000010MA";
const WRONG_CHECK_DIGIT = "RR990000011MA";
const WEDGE = "RR990000023MA";
const OFFLINE = "RR990000037MA";
// Awaiting pickup at the shipper's.
const PICKUP = "RR990000045MA";

/** A keyboard-wedge scanner: keys typed fast on the page, then Enter. */
function wedgeScan(code) {
    for (const key of [...code, "Enter"]) {
        document.body.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true}));
    }
}

/** The network drops: scan calls fail as if the server could not be reached. */
/** Steps: choose another operation, then scan with the wedge and check the result. */
function operation(key, label) {
    return [
        {
            trigger: ".o_tms_scan_change",
            run: "click",
        },
        {
            trigger: `.o_tms_scan_operation[data-operation=${key}]`,
            run: "click",
        },
        {
            trigger: `.o_tms_scan_current_operation:contains(${label})`,
        },
    ];
}

function wedgeStep(code, status) {
    return [
        {
            trigger: ".o_tms_scan_body",
            content: `Scan ${code}`,
            run: () => wedgeScan(code),
        },
        {
            trigger: `.o_tms_scan_list .o_tms_scan_entry:first-child.o_tms_scan_entry_${status}:contains(${code})`,
        },
    ];
}

function cutScanCalls() {
    const proto = XMLHttpRequest.prototype;
    proto.tmsTourOpen = proto.open;
    proto.tmsTourSend = proto.send;
    proto.open = function (method, url, ...args) {
        this.tmsTourUrl = String(url);
        return this.tmsTourOpen(method, url, ...args);
    };
    proto.send = function (...args) {
        if (this.tmsTourUrl.includes("/tms.scan/scan")) {
            setTimeout(() => this.dispatchEvent(new ProgressEvent("error")), 10);
            return;
        }
        return this.tmsTourSend(...args);
    };
}

function restoreScanCalls() {
    const proto = XMLHttpRequest.prototype;
    proto.open = proto.tmsTourOpen;
    proto.send = proto.tmsTourSend;
    window.dispatchEvent(new Event("online"));
}

/**
 * A hub operator checks parcels in at their hub: scanned before choosing the operation
 * (refused, then sent again), mistyped, undone, scanned with a keyboard-wedge scanner,
 * and scanned while the network is down.
 */
registry.category("web_tour.tours").add("tms_scan_tour", {
    steps: () => [
        {
            trigger: ".o_tms_scan_operations",
            content: "A parcel is scanned before the operation is chosen",
            run: () => wedgeScan(TYPED),
        },
        {
            trigger: ".o_tms_scan_feedback.text-bg-danger.o_tms_scan_status_error",
        },
        {
            trigger: ".o_tms_scan_flash.o_tms_scan_flash_error",
            content: "The whole screen flashes red",
        },
        {
            trigger: `.o_tms_scan_refused_item:contains(${TYPED}):contains(Choose an operation first) .o_tms_scan_resend`,
            content: "The refused scan is kept, to be sent again",
        },
        {
            trigger: ".o_tms_scan_operation[data-operation=arrival]",
            content: "Choose the operation",
            run: "click",
        },
        {
            trigger: ".o_tms_scan_current_operation:contains(Arrival at Hub)",
        },
        {
            trigger: ".o_tms_scan_hub select:has(option:selected:contains(CAS))",
            content: "The operator's hub is chosen by default",
        },
        {
            trigger: `.o_tms_scan_refused_item:contains(${TYPED}) .o_tms_scan_resend`,
            content: "Send the refused scan again",
            run: "click",
        },
        {
            trigger: `.o_tms_scan_feedback.text-bg-success.o_tms_scan_status_ok:contains(${TYPED})`,
            content: "The scan went through: green",
        },
        {
            trigger: ".o_tms_scan_flash.o_tms_scan_flash_ok",
        },
        {
            trigger: ".o_tms_scan_body:not(:has(.o_tms_scan_refused))",
            content: "Sent again and accepted: no longer refused",
        },
        {
            trigger: `.o_tms_scan_feedback .o_tms_scan_undo:contains(Undo: arrival of ${TYPED})`,
            content: "Undo is offered on the scan it undoes, and says what it undoes",
        },
        {
            trigger: `.o_tms_scan_list .o_tms_scan_entry_ok:contains(${TYPED})`,
        },
        {
            trigger: ".o_tms_scan_counts .o_tms_scan_count_ok:contains(1)",
        },
        {
            trigger: "input.o_tms_scan_input",
            run: `edit ${WRONG_CHECK_DIGIT}`,
        },
        {
            trigger: ".o_tms_scan_submit",
            run: "click",
        },
        {
            trigger:
                ".o_tms_scan_feedback.text-bg-danger.o_tms_scan_status_bad_check_digit",
            content: "A misread number: red, and nothing recorded",
        },
        {
            trigger: ".o_tms_scan_feedback:not(:has(.o_tms_scan_undo))",
            content: "A refused scan offers no Undo of another scan",
        },
        {
            trigger: `.o_tms_scan_list .o_tms_scan_entry_bad_check_digit:contains(${WRONG_CHECK_DIGIT}):not(:has(.o_tms_scan_undo))`,
        },
        {
            trigger: `.o_tms_scan_refused_item:contains(${WRONG_CHECK_DIGIT})`,
        },
        {
            trigger: `.o_tms_scan_list .o_tms_scan_entry_ok:contains(${TYPED}) .o_tms_scan_undo:contains(Undo: arrival of ${TYPED})`,
            content: "Undo the recorded scan, on its own line",
            run: "click",
        },
        {
            trigger: `.o_tms_scan_entry_undone:contains(${TYPED})`,
        },
        {
            trigger: ".o_tms_scan_counts .o_tms_scan_count_undone:contains(1)",
        },
        {
            trigger: `.o_tms_scan_feedback.o_tms_scan_status_undone:contains(${TYPED})`,
        },
        {
            trigger: ".o_tms_scan_body:not(:has(.o_tms_scan_undo))",
            content: "Undone: nothing left to undo",
        },
        {
            trigger: `.o_tms_scan_refused_item:contains(${WRONG_CHECK_DIGIT}) .o_tms_scan_dismiss`,
            content: "The misread number is dropped from the refused scans",
            run: "click",
        },
        {
            trigger: ".o_tms_scan_body:not(:has(.o_tms_scan_refused))",
        },
        {
            trigger: ".o_tms_scan_body",
            content: "A keyboard-wedge scanner reads a label",
            run: () => wedgeScan(WEDGE),
        },
        {
            trigger: `.o_tms_scan_feedback.o_tms_scan_status_ok:contains(${WEDGE})`,
        },
        {
            trigger: ".o_tms_scan_body",
            content: "The network drops",
            run: cutScanCalls,
        },
        {
            trigger: "input.o_tms_scan_input",
            run: `edit ${OFFLINE}`,
        },
        {
            trigger: ".o_tms_scan_submit",
            run: "click",
        },
        {
            trigger: ".o_tms_scan_feedback.o_tms_scan_status_queued",
            content: "The scan waits in the browser",
        },
        {
            trigger: ".o_tms_scan_queue:contains(1)",
        },
        {
            trigger: ".o_tms_scan_body",
            content: "The network is back",
            run: restoreScanCalls,
        },
        {
            trigger: `.o_tms_scan_list .o_tms_scan_entry_ok:contains(${OFFLINE})`,
            content: "The waiting scan was sent",
        },
        {
            trigger: ".o_tms_scan_body:not(:has(.o_tms_scan_queue))",
        },
        // The other operations, with the wedge scanner
        ...operation("loaded", "Loaded for Delivery"),
        {
            trigger: ".o_tms_scan_body",
            content: "Without a driver, nothing is sent",
            run: () => wedgeScan(WEDGE),
        },
        {
            trigger: ".o_tms_scan_feedback.o_tms_scan_status_error:contains(driver)",
        },
        {
            trigger: ".o_tms_scan_driver select",
            run: "selectByLabel Youssef El Idrissi",
        },
        {
            trigger: `.o_tms_scan_refused_item:contains(${WEDGE}) .o_tms_scan_resend`,
            content: "The driver is chosen: send the refused scan again",
            run: "click",
        },
        {
            trigger: `.o_tms_scan_list .o_tms_scan_entry:first-child.o_tms_scan_entry_ok:contains(${WEDGE})`,
        },
        ...wedgeStep(OFFLINE, "ok"),
        ...operation("delivered", "Delivered"),
        ...wedgeStep(WEDGE, "ok"),
        ...wedgeStep(WEDGE, "already"),
        ...operation("failed", "Delivery Failed"),
        {
            trigger: ".o_tms_scan_reason select",
            run: "selectByLabel Recipient absent",
        },
        ...wedgeStep(OFFLINE, "ok"),
        ...operation("return", "Return Received"),
        ...wedgeStep(OFFLINE, "ok"),
        ...operation("departure", "Departure from Hub"),
        ...wedgeStep(TYPED, "already"),
        ...operation("pickup", "Pickup from Shipper"),
        ...wedgeStep(PICKUP, "ok"),
        {
            trigger: ".o_tms_scan_body",
            content: "Picking up a delivered parcel is refused",
            run: () => wedgeScan(WEDGE),
        },
        {
            trigger: ".o_tms_scan_feedback.text-bg-danger.o_tms_scan_status_forbidden",
        },
        {
            trigger: ".o_tms_scan_counts .o_tms_scan_count_forbidden:contains(1)",
        },
    ],
});
