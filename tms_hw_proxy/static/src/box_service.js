/** @odoo-module **/
/**
 * The browser side of the hardware box.
 *
 * The Odoo server may be in the cloud: it cannot reach the printers of the warehouse.
 * The browsers of the warehouse staff can: this service sends the print jobs queued
 * for box printers to the box over the LAN (fetch + the box token) and reports the
 * result to Odoo, checks the boxes' status every minute, and turns the reads of the
 * box's serial scanners into ordinary barcode events for the current screen.
 *
 * Only the main tab of a browser sends jobs and checks the boxes (the multi_tab
 * service elects it); a visible tab listens to the scanners.
 */

import {browser} from "@web/core/browser/browser";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {session} from "@web/session";

const API = "/tms_box/v1";
const REQUEST_TIMEOUT = 15000;
const PRINT_TIMEOUT = 60000;
const JOB_WAIT = 20; // Seconds the box holds a GET jobs/<id>
const JOB_DEADLINE = 120000;
const SCAN_WAIT = 25; // Seconds the box holds a GET scans
const JOB_POLL_INTERVAL = 15000;
const STATUS_INTERVAL = 60000;
const STATUS_REPORT_INTERVAL = 300000;
const CONFIG_INTERVAL = 600000;

export class BoxError extends Error {
    constructor(message, status = 0, code = "unreachable") {
        super(message);
        this.name = "BoxError";
        this.status = status;
        this.code = code;
    }
}

function boxRequest(box, {method, body, token}) {
    const headers = {};
    if (token) {
        headers.Authorization = `Bearer ${box.token}`;
    }
    if (body !== undefined) {
        headers["Content-Type"] = "application/json";
    }
    return {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        mode: "cors",
        credentials: "omit",
        cache: "no-store",
    };
}

async function boxAnswer(response) {
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
        throw new BoxError(
            data.error?.message || response.statusText || String(response.status),
            response.status,
            data.error?.code || "error"
        );
    }
    return data;
}

/**
 * Call the box API. Rejects with a BoxError (code "unreachable" when the box did not
 * answer at all: off, another network, or a certificate the browser does not trust).
 */
export async function boxFetch(box, path, options = {}) {
    const {
        method = "GET",
        body,
        timeout = REQUEST_TIMEOUT,
        token = true,
        signal,
    } = options;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    const abort = () => controller.abort();
    signal?.addEventListener("abort", abort);
    let response = null;
    try {
        response = await browser.fetch(`${box.url}${API}${path}`, {
            ...boxRequest(box, {method, body, token}),
            signal: controller.signal,
        });
    } catch {
        throw new BoxError(
            _t(
                "The box %(url)s does not answer from this browser: is it on, on this network, and is its certificate trusted (open %(url)s once in a tab)?",
                {url: box.url}
            )
        );
    } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
    }
    return boxAnswer(response);
}

function sleep(ms, signal) {
    return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve();
        });
    });
}

export const tmsBoxService = {
    dependencies: ["action", "orm", "barcode", "multi_tab", "bus_service"],

    start(env, {action, orm, barcode, multi_tab: multiTab, bus_service: busService}) {
        const state = {
            boxes: [],
            dispatching: null,
            dispatchAgain: false,
            lastReports: new Map(),
        };
        const scanLoops = new Map();
        let configLoaded = null;
        // Jobs and status checks of this tab run one at a time, so that an older
        // status answer never lands after a newer job result
        let chain = Promise.resolve();
        function exclusive(fn) {
            const run = chain.then(fn, fn);
            chain = run.catch(() => null);
            return run;
        }

        function boxById(id) {
            return state.boxes.find((box) => box.id === id);
        }

        // ------------------------------------------------------------------ scans
        function deliver(code) {
            const target = document.activeElement || document.body;
            barcode.bus.trigger("barcode_scanned", {barcode: code, target});
            if (target?.getAttribute?.("barcode_events") === "true") {
                target.dispatchEvent(
                    new CustomEvent("barcode_scanned", {
                        detail: {barcode: code, target},
                    })
                );
            }
        }

        async function scanLoop(box, signal) {
            let since = null;
            let boot = null;
            let failures = 0;
            while (!signal.aborted) {
                const params = new URLSearchParams({
                    timeout: String(SCAN_WAIT),
                    devices: box.scanners.join(","),
                });
                if (since !== null) {
                    params.set("since", String(since));
                    params.set("boot", boot);
                }
                try {
                    const result = await boxFetch(box, `/scans?${params}`, {
                        timeout: (SCAN_WAIT + 10) * 1000,
                        signal,
                    });
                    if (signal.aborted) {
                        return;
                    }
                    if (since !== null && result.boot === boot) {
                        for (const scan of result.scans) {
                            deliver(scan.barcode);
                        }
                    }
                    since = result.last;
                    boot = result.boot;
                    failures = 0;
                } catch {
                    failures++;
                    await sleep(Math.min(30000, 2000 * failures), signal);
                }
            }
        }

        function syncScanLoops() {
            const visible = document.visibilityState !== "hidden";
            const wanted = new Map(
                visible
                    ? state.boxes
                          .filter((box) => box.scanners?.length)
                          .map((box) => [box.id, box])
                    : []
            );
            for (const [id, loop] of scanLoops) {
                const box = wanted.get(id);
                if (!box || box.url !== loop.box.url || box.token !== loop.box.token) {
                    loop.controller.abort();
                    scanLoops.delete(id);
                }
            }
            for (const [id, box] of wanted) {
                if (!scanLoops.has(id)) {
                    const controller = new AbortController();
                    scanLoops.set(id, {box, controller});
                    scanLoop(box, controller.signal);
                }
            }
        }

        async function loadConfig() {
            const config = await orm.silent.call("tms.hw.box", "tms_client_config", []);
            state.boxes = config.boxes || [];
            syncScanLoops();
            return state.boxes;
        }

        function ensureConfig() {
            configLoaded ||= loadConfig().catch(() => {
                configLoaded = null;
                return [];
            });
            return configLoaded;
        }

        // ----------------------------------------------------------------- status
        async function reportStatus(box, reachable, payload, force = false) {
            const fingerprint = JSON.stringify([
                reachable,
                reachable ? payload.box_id : payload,
                reachable ? payload.paired : null,
                reachable ? (payload.devices || []).map((d) => [d.id, d.status]) : null,
            ]);
            const last = state.lastReports.get(box.id);
            if (
                !force &&
                last &&
                last.fingerprint === fingerprint &&
                Date.now() - last.time < STATUS_REPORT_INTERVAL
            ) {
                return;
            }
            state.lastReports.set(box.id, {fingerprint, time: Date.now()});
            const args = reachable
                ? [[box.id], true, payload]
                : [[box.id], false, null, payload];
            await orm.silent.call("tms.hw.box", "tms_report_status", args);
        }

        async function checkBox(box) {
            try {
                const status = await boxFetch(box, "/status", {token: false});
                await reportStatus(box, true, status, true);
                return {box, ok: true, status};
            } catch (error) {
                await reportStatus(box, false, error.message, true).catch(() => null);
                return {box, ok: false, message: error.message};
            }
        }

        /** Check some boxes now (all when no ids): called by the "Check" buttons. */
        async function checkBoxes(boxIds) {
            configLoaded = null;
            await ensureConfig();
            const boxes = boxIds?.length
                ? state.boxes.filter((box) => boxIds.includes(box.id))
                : state.boxes;
            return exclusive(() => Promise.all(boxes.map(checkBox)));
        }

        async function statusRound(force = false) {
            if (!force && !multiTab.isOnMainTab()) {
                return;
            }
            await ensureConfig();
            await exclusive(async () => {
                for (const box of state.boxes) {
                    try {
                        const status = await boxFetch(box, "/status", {token: false});
                        await reportStatus(box, true, status);
                    } catch (error) {
                        await reportStatus(box, false, error.message).catch(() => null);
                    }
                }
            });
        }

        // ------------------------------------------------------------- print jobs
        async function sendJob(job) {
            const box = boxById(job.box_id);
            let ok = false;
            let message = "";
            if (!box) {
                message = _t("This browser cannot use the box of this printer.");
            } else {
                try {
                    let result = await boxFetch(box, "/print", {
                        method: "POST",
                        body: {
                            device: job.device,
                            data: job.data,
                            job_key: job.job_key,
                        },
                        timeout: PRINT_TIMEOUT,
                    });
                    const deadline = Date.now() + JOB_DEADLINE;
                    while (
                        !["done", "failed"].includes(result.state) &&
                        Date.now() < deadline
                    ) {
                        result = await boxFetch(
                            box,
                            `/jobs/${result.job_id}?wait=${JOB_WAIT}`,
                            {
                                timeout: (JOB_WAIT + 10) * 1000,
                            }
                        );
                    }
                    ok = result.state === "done";
                    message = ok
                        ? ""
                        : result.error ||
                          _t("The printer did not finish the job in time.");
                } catch (error) {
                    message = error.message;
                    if (error.code === "unreachable") {
                        await reportStatus(box, false, message, true).catch(() => null);
                    }
                }
            }
            await orm.silent.call("tms.print.job", "action_box_result", [
                [job.id],
                ok,
                message,
            ]);
        }

        /** Show the new states when the user is looking at the Print Jobs list. */
        function refreshJobList() {
            const controller = action.currentController;
            if (
                controller?.action?.res_model === "tms.print.job" &&
                ["list", "kanban"].includes(controller.view?.type)
            ) {
                action.doAction({type: "ir.actions.client", tag: "soft_reload"});
            }
        }

        /** Take the jobs waiting for this browser and send them, until none is left. */
        async function dispatchJobs() {
            if (state.dispatching) {
                state.dispatchAgain = true;
                return state.dispatching;
            }
            state.dispatching = exclusive(async () => {
                await ensureConfig();
                do {
                    state.dispatchAgain = false;
                    const jobs = await orm.silent.call(
                        "tms.print.job",
                        "tms_box_claim_jobs",
                        []
                    );
                    for (const job of jobs) {
                        await sendJob(job);
                    }
                    if (jobs.length) {
                        state.dispatchAgain = true;
                        refreshJobList();
                    }
                } while (state.dispatchAgain);
            });
            try {
                await state.dispatching;
            } catch {
                // The server or the network hiccuped: the next round will do
            } finally {
                state.dispatching = null;
            }
        }

        // ------------------------------------------------------------------ start
        let active = false;
        function activate() {
            if (active) {
                return;
            }
            active = true;
            busService.subscribe("tms_hw_proxy/jobs", () => dispatchJobs());
            busService.start();
            browser.setInterval(() => {
                if (multiTab.isOnMainTab()) {
                    dispatchJobs();
                }
                // Another tab or another user's browser may have sent the jobs shown
                // here: keep an open Print Jobs list current.
                refreshJobList();
            }, JOB_POLL_INTERVAL);
            browser.setInterval(() => statusRound().catch(() => null), STATUS_INTERVAL);
            browser.setInterval(() => {
                configLoaded = null;
                ensureConfig();
            }, CONFIG_INTERVAL);
            document.addEventListener("visibilitychange", syncScanLoops);
            ensureConfig().then(() => {
                dispatchJobs();
                statusRound(true).catch(() => null);
            });
        }

        if (session.tms_hw_proxy_boxes) {
            activate();
        }

        return {
            get boxes() {
                return state.boxes;
            },
            checkBoxes,
            dispatchJobs,
            /** Read the boxes again (after a pairing) and start working if some. */
            async reload() {
                configLoaded = null;
                const boxes = await ensureConfig();
                if (boxes.length) {
                    activate();
                }
                return boxes;
            },
        };
    },
};

registry.category("services").add("tms_hw_proxy_box", tmsBoxService);

/** Client action of the pairing wizard: this browser sends the code to the box. */
export async function pairBoxAction(env, action) {
    const {wizard_id: wizardId, url, code} = action.params;
    let answer = null;
    try {
        answer = await boxFetch({url}, "/pair", {
            method: "POST",
            body: {code, origin: browser.location.origin},
            token: false,
        });
    } catch (error) {
        env.services.notification.add(error.message, {
            title: _t("The box refused the pairing"),
            type: "danger",
            sticky: true,
        });
        return;
    }
    const next = await env.services.orm.call(
        "tms.hw.box.pair.wizard",
        "tms_register_pairing",
        [[wizardId], answer, browser.location.origin]
    );
    env.services.notification.add(
        _t("The box %(name)s is paired.", {name: answer.name}),
        {
            type: "success",
        }
    );
    await env.services.tms_hw_proxy_box.reload();
    return next;
}

registry.category("actions").add("tms_hw_proxy.pair_box", pairBoxAction);

/** Client action of the "Check" buttons: call the boxes now, report, reload the view. */
export async function checkBoxAction(env, action) {
    const results = await env.services.tms_hw_proxy_box.checkBoxes(
        action.params?.box_ids
    );
    if (!results.length) {
        env.services.notification.add(
            _t("No paired box to check: pair the box first."),
            {type: "warning"}
        );
    }
    for (const result of results) {
        if (result.ok) {
            const devices = result.status.devices || [];
            const online = devices.filter((d) => d.status === "online").length;
            env.services.notification.add(
                _t("%(box)s answers: %(online)s of %(count)s devices online.", {
                    box: result.box.name,
                    online,
                    count: devices.length,
                }),
                {type: online === devices.length ? "success" : "warning"}
            );
        } else {
            env.services.notification.add(result.message, {
                title: result.box.name,
                type: "danger",
            });
        }
    }
    return {type: "ir.actions.client", tag: "soft_reload"};
}

registry.category("actions").add("tms_hw_proxy.box_check", checkBoxAction);
