import {registry} from "@web/core/registry";

function loadFirstMissing() {
    const item = document.querySelector(".o_tms_driver_missing li");
    const number = item.textContent.split("·")[0].trim();
    const input = document.querySelector(".o_tms_driver_scan_input");
    input.value = number;
    input.dispatchEvent(new Event("input", {bubbles: true}));
    document.querySelector(".o_tms_driver_scan_submit").click();
}

function setNetwork(online) {
    Object.defineProperty(window.navigator, "onLine", {
        configurable: true,
        get: () => online,
    });
    window.dispatchEvent(new Event(online ? "online" : "offline"));
}

function deliverOffline(name) {
    return [
        {
            trigger: ".o_tms_driver_stop_pending .card-body",
            run: "click",
        },
        {trigger: ".o_tms_driver_parcel .o_tms_driver_deliver", run: "click"},
        {trigger: ".o_tms_driver_receiver", run: `edit ${name}`},
        {trigger: ".o_tms_driver_confirm_delivery", run: "click"},
        {trigger: ".o_tms_driver_parcel_state:contains(Delivered)"},
        {trigger: ".o_tms_driver_back", run: "click"},
    ];
}

function sign() {
    const canvas = document.querySelector(".o_tms_driver_signature_canvas");
    const rect = canvas.getBoundingClientRect();
    const at = (type, x, y) =>
        canvas.dispatchEvent(
            new PointerEvent(type, {
                bubbles: true,
                pointerId: 1,
                clientX: rect.left + x,
                clientY: rect.top + y,
            })
        );
    at("pointerdown", 20, 40);
    for (let x = 30; x < 200; x += 10) {
        at("pointermove", x, 40 + ((x / 10) % 3) * 15);
    }
    at("pointerup", 200, 60);
}

// On his phone, a driver loads his van (a parcel of another round is refused), starts
// the round, delivers the cash-on-delivery parcel with a signature and the cash, and
// fails another one with a reason. Then the network goes: he delivers the last two
// parcels, sees that two actions are not sent, and the network comes back.
registry.category("web_tour.tours").add("tms_driver_tour", {
    url: "/odoo/tms-driver",
    steps: () => [
        {trigger: ".o_tms_driver_loading .o_tms_driver_missing_count:contains(4)"},
        {trigger: ".o_tms_driver_scan_input", run: "edit XX000000000MA"},
        {trigger: ".o_tms_driver_scan_submit", run: "click"},
        {trigger: ".o_tms_driver_outsiders:contains(XX000000000MA)"},
        {trigger: ".o_tms_driver_missing li", run: loadFirstMissing},
        {trigger: ".o_tms_driver_loaded_count:contains(1)"},
        {trigger: ".o_tms_driver_missing li", run: loadFirstMissing},
        {trigger: ".o_tms_driver_loaded_count:contains(2)"},
        {trigger: ".o_tms_driver_missing li", run: loadFirstMissing},
        {trigger: ".o_tms_driver_loaded_count:contains(3)"},
        {trigger: ".o_tms_driver_missing li", run: loadFirstMissing},
        {trigger: ".o_tms_driver_missing_count:contains(0)"},
        {trigger: ".o_tms_driver_start", run: "click"},
        // Sent and applied: the round is started, its stops listed in order
        {trigger: ".o_tms_driver_synced"},
        {trigger: ".o_tms_driver_stop:not(.o_tms_driver_loading)"},
        {
            trigger: ".o_tms_driver_stop:contains(COD) .card-body",
            run: "click",
        },
        {trigger: ".o_tms_driver_call[href^='tel:']"},
        {trigger: ".o_tms_driver_waze[href*='waze.com']"},
        {trigger: ".o_tms_driver_parcel .o_tms_driver_deliver", run: "click"},
        {trigger: ".o_tms_driver_receiver", run: "edit Salma Idrissi"},
        {trigger: ".o_tms_driver_signature_canvas", run: sign},
        {trigger: ".o_tms_driver_cod_amount:value(150)"},
        {trigger: ".o_tms_driver_confirm_delivery", run: "click"},
        {trigger: ".o_tms_driver_parcel_state:contains(Delivered)"},
        {trigger: ".o_tms_driver_synced"},
        {trigger: ".o_tms_driver_back", run: "click"},
        {
            trigger: ".o_tms_driver_stop_pending:not(:contains(COD)) .card-body",
            run: "click",
        },
        {trigger: ".o_tms_driver_parcel .o_tms_driver_fail", run: "click"},
        {trigger: ".o_tms_driver_reason", run: "selectByLabel Recipient absent"},
        {trigger: ".o_tms_driver_confirm_failure", run: "click"},
        {trigger: ".o_tms_driver_parcel_state:contains(Failed)"},
        {trigger: ".o_tms_driver_synced"},
        {trigger: ".o_tms_driver_back", run: "click"},
        {
            trigger: ".o_tms_driver_progress:contains(Done)",
            run: () => setNetwork(false),
        },
        {trigger: ".o_tms_driver_offline"},
        ...deliverOffline("Youssef Tazi"),
        ...deliverOffline("Nadia Berrada"),
        {trigger: ".o_tms_driver_pending:contains(2 not sent)"},
        {trigger: ".o_tms_driver_stop_done:eq(2)", run: () => setNetwork(true)},
        {trigger: ".o_tms_driver_synced"},
        {trigger: ".o_tms_driver:not(:has(.o_tms_driver_offline))"},
    ],
});
