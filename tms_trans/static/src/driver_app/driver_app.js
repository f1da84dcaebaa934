import {Component, onMounted, onWillStart, onWillUnmount, useState} from "@odoo/owl";
import {browser} from "@web/core/browser/browser";
import {deserializeDateTime} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {rpc} from "@web/core/network/rpc";
import {registry} from "@web/core/registry";
import {user} from "@web/core/user";
import {useService} from "@web/core/utils/hooks";
import {session} from "@web/session";
import {ScanInput} from "@tms_core/scan_input/scan_input";
import {useScanInput} from "@tms_core/scan_input/scan_input_hook";
import {makeIdempotencyKey} from "@tms_core/scan/offline_queue";
import {DriverGps, sharedRounds} from "./driver_gps";
import {DriverQueue} from "./driver_queue";
import {findParcel, resizePhoto} from "./driver_tools";
import {SignaturePad} from "./signature_pad";

const {DateTime} = luxon;
const SYNC_SECONDS = 20;
const FINAL_STATES = ["delivered", "failed", "returning", "returned", "cancelled"];

/**
 * The driver's phone app: today's rounds, loading the van, the stops in order and
 * what happens at the door. Every action is queued in the browser with the phone's
 * time and position and sent in order when the network allows (`DriverQueue`), so
 * the app works the same without network; the server applies an action sent twice
 * once (`tms.driver.app.sync`).
 */
export class DriverApp extends Component {
    static template = "tms_trans.DriverApp";
    static components = {ScanInput, SignaturePad};
    static props = ["*"];
    static path = "tms-driver";

    setup() {
        this.notification = useService("notification");
        const prefix = `tms_driver:${session.db || ""}:${user.userId}`;
        this.storageKey = prefix;
        this.queue = new DriverQueue(browser.localStorage, `${prefix}:queue`);
        this.gps = new DriverGps(browser.localStorage, `${prefix}:gps`);
        this.state = useState({
            data: this.loadStored("data"),
            dataTime: this.loadStored("data_time"),
            loaded: this.loadStored("loaded") || {},
            roundId: false,
            stopId: false,
            parcelId: false,
            screen: "rounds",
            pending: this.queue.size,
            online: true,
            syncing: false,
            refused: [],
            outsiders: [],
            form: {},
        });
        if (this.rounds.length === 1) {
            // Offline too, the only round of the day opens at once
            this.openRound(this.rounds[0].id);
        }
        this.position = null;
        this.scanInput = useScanInput({onScan: (code) => this.onScan(code)});
        onWillStart(() => this.refresh());
        onMounted(() => {
            this.installWebApp();
            this.watchPosition();
            this.onlineListener = () => this.sync();
            this.offlineListener = () => {
                this.state.online = false;
            };
            browser.addEventListener("online", this.onlineListener);
            browser.addEventListener("offline", this.offlineListener);
            this.timer = browser.setInterval(() => this.sync(), SYNC_SECONDS * 1000);
            this.sync();
        });
        onWillUnmount(() => {
            browser.removeEventListener("online", this.onlineListener);
            browser.removeEventListener("offline", this.offlineListener);
            browser.clearInterval(this.timer);
            if (this.watchId !== undefined) {
                browser.navigator.geolocation?.clearWatch(this.watchId);
            }
        });
    }

    // ------------------------------------------------------------------------------
    // storage, data, installation
    // ------------------------------------------------------------------------------
    loadStored(name) {
        try {
            return JSON.parse(
                browser.localStorage.getItem(`${this.storageKey}:${name}`)
            );
        } catch {
            return null;
        }
    }

    store(name, value) {
        browser.localStorage.setItem(
            `${this.storageKey}:${name}`,
            JSON.stringify(value)
        );
    }

    /** Whether the phone knows it has no network (then nothing is tried). */
    get offline() {
        return browser.navigator.onLine === false;
    }

    async refresh() {
        if (this.offline) {
            this.state.online = false;
            return;
        }
        let data = null;
        try {
            data = await rpc("/tms/driver/data", {}, {silent: true});
        } catch {
            // Offline: the last data received stays on screen
            this.state.online = false;
            return;
        }
        this.state.online = true;
        this.state.data = data;
        this.state.dataTime = new Date().toISOString();
        this.store("data", data);
        this.store("data_time", this.state.dataTime);
        if (!this.state.roundId && data.rounds.length === 1) {
            this.openRound(data.rounds[0].id);
        }
    }

    installWebApp() {
        // The app's own manifest and service worker (scoped to the app's address):
        // added to the home screen, it opens offline on the last data received.
        const link = document.querySelector("link[rel=manifest]");
        if (link) {
            link.setAttribute("href", "/tms/driver/manifest.webmanifest");
        }
        if (browser.navigator.serviceWorker) {
            browser.navigator.serviceWorker
                .register("/tms/driver/sw.js", {scope: "/odoo/tms-driver"})
                .catch(() => {
                    // Without it the app works the same, it just does not open offline
                    this.serviceWorker = false;
                });
        }
    }

    watchPosition() {
        const geolocation = browser.navigator.geolocation;
        if (!geolocation) {
            return;
        }
        try {
            this.watchId = geolocation.watchPosition(
                (position) => {
                    this.position = position.coords;
                    this.lastFix = position;
                    this.recordPosition(position);
                },
                () => {
                    // Refused or unavailable: the actions are sent without a position
                    this.position = null;
                },
                {maximumAge: 60000, timeout: 20000}
            );
        } catch {
            // No position: the actions are sent without one
        }
    }

    /** Keep the position for the started round if the driver shares it; send it. */
    recordPosition(position) {
        if (!position) {
            return;
        }
        const round =
            this.sharedRounds.find((r) => r.id === this.state.roundId) ||
            this.sharedRounds[0];
        const kept = this.gps.record(
            round?.id || false,
            position.coords,
            position.timestamp || Date.now(),
            this.state.data?.gps?.interval || 30
        );
        if (kept) {
            this.sendPositions();
        }
    }

    async sendPositions() {
        if (this.offline || !this.gps.size) {
            return;
        }
        await this.gps.flush(
            (roundId, points) =>
                rpc("/tms/driver/gps", {round_id: roundId, points}, {silent: true}),
            this.sharedRounds.map((r) => r.id)
        );
    }

    async toggleSharing(ev) {
        const consent = ev.target.checked;
        let answer = null;
        try {
            answer = await rpc("/tms/driver/gps/consent", {consent}, {silent: true});
        } catch {
            answer = {
                error: {message: _t("No network: try again when the phone is online.")},
            };
        }
        if (answer.error) {
            ev.target.checked = !consent;
            this.notification.add(answer.error.message, {type: "danger"});
            return;
        }
        this.state.data.gps = answer;
        this.store("data", this.state.data);
        // A phone standing still gets no new position: the last one counts
        this.recordPosition(this.lastFix);
    }

    // ------------------------------------------------------------------------------
    // what the screen shows
    // ------------------------------------------------------------------------------
    get rounds() {
        return this.state.data?.rounds || [];
    }

    /** The rounds whose positions are sent now (started, the driver agreed). */
    get sharedRounds() {
        return sharedRounds(this.state.data, this.queuedStarts);
    }

    get sharing() {
        return {
            consent: Boolean(this.state.data?.gps?.consent),
            active: this.sharedRounds.some((r) => r.id === this.state.roundId),
        };
    }

    get round() {
        return this.rounds.find((r) => r.id === this.state.roundId);
    }

    get stop() {
        return this.round?.stops.find((s) => s.id === this.state.stopId);
    }

    get parcel() {
        return this.stop?.parcels.find((p) => p.id === this.state.parcelId);
    }

    /** The parcels' states the queued actions will give them, by parcel id. */
    get queuedStates() {
        const states = {};
        for (const item of this.queue.items) {
            if (item.operation === "deliver") {
                states[item.options.parcel_id] = "delivered";
            } else if (item.operation === "fail") {
                states[item.options.parcel_id] = "failed";
            }
        }
        return states;
    }

    get queuedStarts() {
        return new Set(
            this.queue.items
                .filter((item) => item.operation === "start")
                .map((item) => item.options.round_id)
        );
    }

    parcelState(parcel) {
        // Read state.pending so that the screen follows the queue
        return (
            (this.state.pending >= 0 && this.queuedStates[parcel.id]) || parcel.state
        );
    }

    isStarted(round) {
        return round.state !== "planned" || this.queuedStarts.has(round.id);
    }

    roundParcels(round) {
        return round.stops.flatMap((stop) => stop.parcels);
    }

    stopState(stop) {
        const states = stop.parcels.map((p) => this.parcelState(p));
        if (!states.length || states.some((s) => !FINAL_STATES.includes(s))) {
            return "pending";
        }
        return states.every((s) => s === "delivered") ? "done" : "failed";
    }

    progress(round) {
        const counts = {done: 0, failed: 0, left: 0};
        for (const stop of round.stops) {
            const state = this.stopState(stop);
            counts[state === "pending" ? "left" : state] += 1;
        }
        return counts;
    }

    loadedIds(round) {
        return this.state.loaded[round.id] || [];
    }

    missing(round) {
        const loaded = this.loadedIds(round);
        return this.roundParcels(round).filter(
            (p) => !loaded.includes(p.id) && p.state === "at_hub"
        );
    }

    formatTime(value) {
        return value ? deserializeDateTime(value).toFormat("HH:mm") : "";
    }

    formatAmount(amount, parcel) {
        const number = (amount || 0).toFixed(parcel?.cod_digits ?? 2);
        if (!parcel?.cod_currency) {
            return number;
        }
        return parcel.cod_currency_after
            ? `${number} ${parcel.cod_currency}`
            : `${parcel.cod_currency} ${number}`;
    }

    stopCod(stop) {
        const parcel = stop.parcels.find((p) => p.cod_amount);
        return parcel ? this.formatAmount(stop.cod_amount, parcel) : "";
    }

    stateLabel(state) {
        return (
            {
                delivered: _t("Delivered"),
                failed: _t("Failed"),
                out_for_delivery: _t("In the van"),
                at_hub: _t("At the depot"),
            }[state] || ""
        );
    }

    get offlineMessage() {
        if (!this.state.dataTime) {
            return _t("No network: your actions are kept on this phone.");
        }
        return _t(
            "No network: your actions are kept on this phone; data of %(time)s.",
            {
                time: DateTime.fromISO(this.state.dataTime).toFormat("HH:mm"),
            }
        );
    }

    roundSummary(round) {
        const counts = this.progress(round);
        return _t("%(stops)s stops: %(done)s done, %(failed)s failed, %(left)s left", {
            stops: round.stops.length,
            ...counts,
        });
    }

    startLabel(missing) {
        return missing
            ? _t("Start round (%(count)s missing)", {count: missing})
            : _t("Start round");
    }

    // ------------------------------------------------------------------------------
    // navigation
    // ------------------------------------------------------------------------------
    openRound(roundId) {
        Object.assign(this.state, {
            roundId,
            screen: "round",
            stopId: false,
            outsiders: [],
        });
    }

    openStop(stopId) {
        Object.assign(this.state, {stopId, screen: "stop", parcelId: false});
    }

    back() {
        const screen = this.state.screen;
        if (screen === "deliver" || screen === "fail") {
            this.state.screen = "stop";
        } else if (screen === "stop") {
            this.state.screen = "round";
        } else {
            this.state.screen = "rounds";
        }
    }

    // ------------------------------------------------------------------------------
    // scans: loading the van, finding the parcel at the door
    // ------------------------------------------------------------------------------
    onScan(code) {
        const round = this.round;
        if (!round) {
            return;
        }
        const parcel = findParcel(code, this.roundParcels(round));
        if (!this.isStarted(round)) {
            this.loadParcel(round, parcel, code);
            return;
        }
        if (!parcel) {
            this.notification.add(
                _t("%(code)s is not a parcel of this round.", {code}),
                {
                    type: "danger",
                }
            );
            return;
        }
        const stop = round.stops.find((s) => s.parcels.includes(parcel));
        this.openStop(stop.id);
        this.pickParcel(parcel, "deliver");
    }

    loadParcel(round, parcel, code) {
        if (!parcel) {
            if (!this.state.outsiders.includes(code)) {
                this.state.outsiders.push(code);
            }
            this.notification.add(
                _t("%(code)s is not for this round: leave it at the depot.", {code}),
                {type: "danger"}
            );
            return;
        }
        const loaded = this.loadedIds(round);
        if (loaded.includes(parcel.id)) {
            this.notification.add(
                _t("%(number)s is already in the van.", {
                    number: parcel.tracking_number,
                }),
                {type: "info"}
            );
            return;
        }
        this.state.loaded[round.id] = [...loaded, parcel.id];
        this.store("loaded", this.state.loaded);
        this.notification.add(
            _t("%(number)s loaded.", {number: parcel.tracking_number}),
            {type: "success"}
        );
    }

    startRound() {
        const round = this.round;
        const loaded = this.loadedIds(round);
        if (!loaded.length) {
            this.notification.add(
                _t("Scan the parcels into the van before starting the round."),
                {type: "warning"}
            );
            return;
        }
        this.enqueue("start", round.name, {round_id: round.id, parcel_ids: loaded});
        this.recordPosition(this.lastFix);
    }

    // ------------------------------------------------------------------------------
    // at the door
    // ------------------------------------------------------------------------------
    pickParcel(parcel, screen) {
        if (FINAL_STATES.includes(this.parcelState(parcel))) {
            this.notification.add(
                _t("%(number)s is already done.", {number: parcel.tracking_number}),
                {type: "info"}
            );
            return;
        }
        const reasons = this.state.data.failure_reasons;
        this.state.form = {
            receiverName: "",
            signature: "",
            photos: [],
            codAmount: parcel.cod_amount ? String(parcel.cod_amount) : "",
            codMethod: "cash",
            codReference: "",
            codReason: "",
            reasonId: reasons[0]?.id || false,
            note: "",
            nextStep: reasons[0]?.next_step || "retry",
            error: "",
        };
        Object.assign(this.state, {parcelId: parcel.id, screen});
    }

    get codDiffers() {
        const parcel = this.parcel;
        const amount = parseFloat(this.state.form.codAmount);
        return Boolean(
            parcel?.cod_amount &&
                !isNaN(amount) &&
                Math.abs(amount - parcel.cod_amount) > 0.004
        );
    }

    get failureReason() {
        return this.state.data.failure_reasons.find(
            (r) => r.id === Number(this.state.form.reasonId)
        );
    }

    onReasonChange(ev) {
        this.state.form.reasonId = Number(ev.target.value);
        this.state.form.nextStep = this.failureReason?.next_step || "retry";
    }

    async onPhoto(ev) {
        for (const file of ev.target.files || []) {
            try {
                this.state.form.photos.push(await resizePhoto(file));
            } catch {
                this.state.form.error = _t("This photo could not be read.");
            }
        }
        ev.target.value = "";
    }

    removePhoto(index) {
        this.state.form.photos.splice(index, 1);
    }

    /** The required proofs not given yet (the server refuses the delivery too). */
    missingProofs(parcel, form) {
        const proofs = parcel.proofs;
        const missing = [];
        if (proofs.receiver_name === "required" && !form.receiverName.trim()) {
            missing.push(_t("the receiver's name"));
        }
        if (proofs.signature === "required" && !form.signature) {
            missing.push(_t("a signature"));
        }
        if (proofs.photo === "required" && !form.photos.length) {
            missing.push(_t("a photo"));
        }
        return missing;
    }

    confirmDelivery() {
        const parcel = this.parcel;
        const form = this.state.form;
        const missing = this.missingProofs(parcel, form);
        if (missing.length) {
            form.error = _t("Missing: %(proofs)s.", {proofs: missing.join(", ")});
            return;
        }
        const values = {parcel_id: parcel.id, receiver_name: form.receiverName.trim()};
        if (parcel.proofs.signature !== "off" && form.signature) {
            values.signature = form.signature;
        }
        if (parcel.cod_amount) {
            const amount = parseFloat(form.codAmount);
            if (isNaN(amount) || amount < 0) {
                form.error = _t("Enter the amount collected.");
                return;
            }
            if (form.codMethod !== "cash" && !form.codReference.trim()) {
                form.error = _t(
                    "Enter the cheque number or the card payment reference."
                );
                return;
            }
            if (this.codDiffers && !form.codReason.trim()) {
                form.error = _t(
                    "The amount differs from the amount to collect: explain why."
                );
                return;
            }
            values.cod = {
                amount,
                method: form.codMethod,
                reference: form.codReference.trim(),
                reason: this.codDiffers ? form.codReason.trim() : "",
            };
        }
        values.photo_keys = this.enqueuePhotos(parcel, form.photos);
        this.enqueue("deliver", parcel.tracking_number, values);
        this.state.screen = "stop";
    }

    confirmFailure() {
        const parcel = this.parcel;
        const form = this.state.form;
        const reason = this.failureReason;
        if (!reason) {
            form.error = _t("Choose why the delivery failed.");
            return;
        }
        if (reason.requires_note && !form.note.trim()) {
            form.error = _t("This reason needs a note.");
            return;
        }
        const photoKeys = this.enqueuePhotos(parcel, form.photos);
        this.enqueue("fail", parcel.tracking_number, {
            parcel_id: parcel.id,
            reason_id: reason.id,
            note: form.note.trim(),
            next_step: form.nextStep,
            photo_keys: photoKeys,
        });
        this.state.screen = "stop";
    }

    enqueuePhotos(parcel, photos) {
        return photos.map((data) =>
            this.enqueue(
                "photo",
                parcel.tracking_number,
                {parcel_id: parcel.id, data},
                false
            )
        );
    }

    // ------------------------------------------------------------------------------
    // the queue
    // ------------------------------------------------------------------------------
    /**
     * Queue an action with its key, the phone's time and position; send it at once
     * when the network allows.
     *
     * @returns {String} the action's key
     */
    enqueue(operation, code, values, send = true) {
        const key = makeIdempotencyKey();
        const options = {
            ...values,
            idempotency_key: key,
            device_time: new Date().toISOString(),
        };
        if (this.position) {
            options.latitude = this.position.latitude;
            options.longitude = this.position.longitude;
        }
        this.queue.push({code, operation, options});
        this.state.pending = this.queue.size;
        if (send) {
            this.sync();
        }
        return key;
    }

    async sync() {
        this.state.pending = this.queue.size;
        if (this.offline) {
            this.state.online = false;
            return;
        }
        if (!this.queue.size) {
            await this.sendPositions();
            return;
        }
        this.state.syncing = true;
        const report = await this.queue.flushBatch((items) =>
            rpc(
                "/tms/driver/sync",
                {
                    actions: items.map((item) => ({
                        ...item.options,
                        type: item.operation,
                        key: item.options.idempotency_key,
                    })),
                },
                {silent: true}
            ).then((answer) => answer.results)
        );
        this.state.syncing = false;
        this.state.pending = this.queue.size;
        this.state.online = !report.stopped || Boolean(report.error);
        for (const {item, result} of report.failed) {
            this.state.refused.push({
                key: item.options.idempotency_key,
                code: item.code,
                message: result.message,
            });
        }
        if (report.failed.length) {
            this.notification.add(
                _t("The server refused %(count)s actions: see the list on top.", {
                    count: report.failed.length,
                }),
                {type: "danger", sticky: true}
            );
        }
        if (report.sent.length || report.failed.length) {
            await this.refresh();
        }
        // After the actions: a round started offline is started on the server first
        await this.sendPositions();
    }

    dismissRefused(key) {
        this.state.refused = this.state.refused.filter((r) => r.key !== key);
    }
}

registry.category("actions").add("tms_driver_app", DriverApp);
