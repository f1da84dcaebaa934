import {
    Component,
    onWillStart,
    onWillUnmount,
    useExternalListener,
    useState,
} from "@odoo/owl";
import {browser} from "@web/core/browser/browser";
import {isMobileOS} from "@web/core/browser/feature_detection";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {user} from "@web/core/user";
import {useService} from "@web/core/utils/hooks";
import {session} from "@web/session";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";
import {ScanInput} from "../scan_input/scan_input";
import {useScanInput} from "../scan_input/scan_input_hook";
import {Beeper} from "./beeper";
import {
    ScanQueue,
    ScanTimeoutError,
    isNetworkError,
    makeIdempotencyKey,
} from "./offline_queue";

// A scan the server has not answered after this long is kept to be sent again.
const CALL_TIMEOUT_SECONDS = 10;
const RETRY_SECONDS = 15;
const MAX_ENTRIES = 50;
// Refused scans kept to be sent again (they survive a reload)
const MAX_REFUSED = 50;
const ERROR_STATUSES = [
    "unknown",
    "bad_check_digit",
    "bad_format",
    "forbidden",
    "error",
];
// The full-screen flash of each feedback colour
const FLASHES = {
    success: "ok",
    danger: "error",
    warning: "warning",
    secondary: "warning",
};
const OPERATION_ICONS = {
    pickup: "fa-shopping-basket",
    arrival: "fa-sign-in",
    departure: "fa-sign-out",
    loaded: "fa-truck",
    delivered: "fa-check-circle",
    failed: "fa-times-circle",
    return: "fa-reply",
};

/**
 * The scan screen of hub and warehouse staff: pick an operation, then scan parcels
 * (keyboard-wedge scanner, camera or typing) continuously. Each scan is one call to
 * `tms.scan.scan`, which records the tracking event and answers with a status shown in
 * colour (a full-screen flash, then a coloured panel), heard as a beep and felt as a
 * vibration on phones. Scans made while the server cannot be reached wait in the
 * browser and are sent in order when it answers again; refused scans stay listed,
 * to be sent again once the problem is fixed (e.g. the hub chosen).
 */
export class TmsScanScreen extends Component {
    static template = "tms_core.ScanScreen";
    static props = {...standardActionServiceProps};
    static components = {ScanInput};

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.beeper = new Beeper(browser);
        this.scanInput = useScanInput({
            onScan: (code) => this.onScan(code),
            keepCameraOpen: true,
        });
        const storagePrefix = `tms_scan/${session.db || ""}/${user.userId}`;
        this.prefsKey = `${storagePrefix}/prefs`;
        this.queue = new ScanQueue(browser.localStorage, `${storagePrefix}/queue`);
        this.refusedKey = `${storagePrefix}/refused`;
        this.position = null;
        this.sending = Promise.resolve();
        this.flashCount = 0;
        this.state = useState({
            ready: false,
            operation: null,
            hubId: false,
            driverId: false,
            reasonId: false,
            note: "",
            vehicle: "",
            containerMode: false,
            container: null,
            last: null,
            entries: [],
            counts: {},
            queueSize: this.queue.size,
            online: browser.navigator.onLine !== false,
            gps: "off",
            // The one scan that can be undone: {token, entryId, queued, at}
            undo: null,
            undoLeft: 0,
            refused: this._loadRefused(),
            flash: null,
            muted: false,
        });
        useExternalListener(browser, "online", () => {
            this.state.online = true;
            this.flushQueue();
        });
        useExternalListener(browser, "offline", () => {
            this.state.online = false;
        });
        this.retryTimer = browser.setInterval(
            () => this.flushQueue(),
            RETRY_SECONDS * 1000
        );
        this.clockTimer = browser.setInterval(() => this._tickUndo(), 1000);
        this._watchPosition();
        onWillStart(async () => {
            this.data = await this.orm.call("tms.scan", "screen_data", []);
            this._loadPrefs();
            this.state.ready = true;
            this.flushQueue();
        });
        onWillUnmount(() => {
            browser.clearInterval(this.retryTimer);
            browser.clearInterval(this.clockTimer);
            if (this.watchId !== undefined) {
                browser.navigator.geolocation.clearWatch(this.watchId);
            }
        });
    }

    // ------------------------------------------------------------------------------
    // choices
    // ------------------------------------------------------------------------------
    get operation() {
        return this.data.operations.find((op) => op.key === this.state.operation);
    }

    operationIcon(key) {
        return OPERATION_ICONS[key] || "fa-barcode";
    }

    get selectedReason() {
        return this.data.failure_reasons.find((r) => r.id === this.state.reasonId);
    }

    get statusLabels() {
        return {
            ok: _t("OK"),
            already: _t("Already scanned"),
            unknown: _t("Unknown"),
            bad_check_digit: _t("Wrong check digit"),
            bad_format: _t("Unreadable"),
            forbidden: _t("Forbidden"),
            container_opened: _t("Container opened"),
            container_closed: _t("Container closed"),
            error: _t("Error"),
            queued: _t("Waiting for network"),
            undone: _t("Undone"),
        };
    }

    get countList() {
        const labels = this.statusLabels;
        return Object.entries(this.state.counts)
            .filter(([, count]) => count)
            .map(([status, count]) => ({
                status,
                count,
                label: labels[status] || status,
            }));
    }

    get notePlaceholder() {
        return this.selectedReason?.requires_note ? _t("Required for this reason") : "";
    }

    get operationNouns() {
        return {
            pickup: _t("pickup"),
            arrival: _t("arrival"),
            departure: _t("departure"),
            loaded: _t("loading"),
            delivered: _t("delivery"),
            failed: _t("failed delivery"),
            return: _t("return"),
        };
    }

    /**
     * Whether the scan of this entry (a line of the list, or the last scan's panel) is
     * the one that can be undone: Undo is only ever offered on the scan it undoes.
     *
     * @param {Object} entry
     * @returns {Boolean}
     */
    canUndo(entry) {
        return Boolean(
            entry &&
                this.state.undo?.entryId === entry.id &&
                !entry.undone &&
                this.state.undoLeft > 0
        );
    }

    /**
     * Whether a line of the list shows the Undo of its scan: when the panel above
     * does not already (it shows another scan).
     *
     * @param {Object} entry
     * @returns {Boolean}
     */
    canUndoOnLine(entry) {
        return this.canUndo(entry) && this.state.last?.id !== entry.id;
    }

    /**
     * What the Undo button of an entry undoes, e.g. "Undo: departure of Bag
     * BAG00000042 (2 parcels)".
     *
     * @param {Object} entry
     * @returns {String}
     */
    undoLabel(entry) {
        const operation = this.operationNouns[entry.operation] || entry.operation || "";
        if (entry.container && entry.count > 1) {
            return _t(
                "Undo: %(operation)s of %(type)s %(container)s (%(count)s parcels)",
                {
                    operation,
                    type: entry.container.type,
                    container: entry.container.code,
                    count: entry.count,
                }
            );
        }
        return _t("Undo: %(operation)s of %(number)s", {
            operation,
            number: entry.parcel?.tracking_number || entry.code,
        });
    }

    statusClass(status) {
        if (status === "ok") {
            return "success";
        }
        if (status === "queued") {
            return "secondary";
        }
        if (ERROR_STATUSES.includes(status)) {
            return "danger";
        }
        return "warning";
    }

    _loadPrefs() {
        let prefs = {};
        try {
            prefs = JSON.parse(browser.localStorage.getItem(this.prefsKey) || "{}");
        } catch {
            prefs = {};
        }
        // The user's hub, else the last one chosen on this device, else the only hub
        // of the company
        const hubIds = this.data.hubs.map((hub) => hub.id);
        this.state.hubId =
            [this.data.default_hub_id, prefs.hubId, this.data.company_hub_id].find(
                (hubId) => hubId && hubIds.includes(hubId)
            ) || false;
    }

    _savePrefs() {
        browser.localStorage.setItem(
            this.prefsKey,
            JSON.stringify({hubId: this.state.hubId})
        );
    }

    selectOperation(key) {
        this.state.operation = key;
        this.scanInput.focus();
    }

    changeOperation() {
        this.state.operation = null;
    }

    onHubChange(ev) {
        this.state.hubId = parseInt(ev.target.value, 10) || false;
        this._savePrefs();
    }

    onDriverChange(ev) {
        this.state.driverId = parseInt(ev.target.value, 10) || false;
    }

    onReasonChange(ev) {
        this.state.reasonId = parseInt(ev.target.value, 10) || false;
    }

    toggleSound() {
        this.state.muted = !this.state.muted;
        this.beeper.muted = this.state.muted;
    }

    toggleContainerMode() {
        this.state.containerMode = !this.state.containerMode;
        if (!this.state.containerMode) {
            this.state.container = null;
        }
        this.scanInput.focus();
    }

    async closeContainer() {
        const container = this.state.container;
        if (!container) {
            return;
        }
        await this.orm.call("tms.container", "action_close", [[container.id]]);
        this.state.container = null;
        this._show({
            status: "container_closed",
            sound: "notice",
            code: container.code,
            message: _t("%(container)s closed.", {container: container.code}),
        });
    }

    // ------------------------------------------------------------------------------
    // scanning
    // ------------------------------------------------------------------------------
    /**
     * A code read (scanner, camera or typed: `useScanInput`) or sent again: check
     * what the screen can check, then send the scan (or queue it). A scan the screen
     * refuses stays in the list of refused scans, to be sent again.
     *
     * @param {String} scanned
     */
    onScan(scanned) {
        const code = (scanned || "").trim();
        if (!code) {
            return;
        }
        const problem = this._missingChoice();
        if (problem) {
            this._show(
                {status: "error", sound: "error", code, message: problem},
                {code, operation: this.state.operation, options: {}}
            );
            return;
        }
        const item = {code, operation: this.state.operation, options: this._options()};
        // One scan after the other: the server records them in the order they were made
        // (a failure is shown, never left to block the scans after it)
        this.sending = this.sending
            .then(() => this._process(item))
            .catch((error) => this._show(this._errorResult(item, error), item));
        return this.sending;
    }

    _missingChoice() {
        const operation = this.operation;
        if (!operation) {
            return _t("Choose an operation first.");
        }
        if (operation.needs_hub && !this.state.hubId) {
            return _t("Choose the hub first.");
        }
        if (operation.needs_driver && !this.state.driverId) {
            return _t("Choose the driver first.");
        }
        if (operation.needs_reason && !this.state.reasonId) {
            return _t("Choose the reason of the failed delivery first.");
        }
        if (
            operation.needs_reason &&
            this.selectedReason?.requires_note &&
            !this.state.note
        ) {
            return _t("This reason needs a note.");
        }
        return "";
    }

    _options() {
        const options = {
            idempotency_key: makeIdempotencyKey(),
            device_time: new Date().toISOString(),
            hub_id: this.state.hubId || false,
            device: `Scan screen (${isMobileOS() ? "mobile" : "desktop"})`,
        };
        if (this.state.operation === "loaded") {
            options.driver_id = this.state.driverId;
            options.vehicle = this.state.vehicle;
        }
        if (this.state.operation === "failed") {
            options.failure_reason_id = this.state.reasonId;
            options.note = this.state.note;
        }
        if (this.state.containerMode) {
            options.container_mode = true;
            options.container_id = this.state.container?.id || false;
        }
        if (this.position) {
            Object.assign(options, this.position);
        }
        return options;
    }

    async _process(item) {
        if (this.queue.size) {
            // Older scans are waiting: this one goes after them
            this._queue(item);
            this.flushQueue();
            return;
        }
        let result = null;
        try {
            result = await this._call(item);
        } catch (error) {
            if (isNetworkError(error)) {
                this._queue(item);
                return;
            }
            result = this._errorResult(item, error);
        }
        this._show(result, item);
    }

    _call(item) {
        const call = this.orm.silent.call("tms.scan", "scan", [
            item.code,
            item.operation,
            item.options,
        ]);
        let timer = null;
        const timeout = new Promise((resolve, reject) => {
            timer = browser.setTimeout(() => {
                call.abort?.(false);
                reject(new ScanTimeoutError(CALL_TIMEOUT_SECONDS));
            }, CALL_TIMEOUT_SECONDS * 1000);
        });
        return Promise.race([call, timeout]).finally(() => browser.clearTimeout(timer));
    }

    /**
     * Send a waiting scan. A container opened by an earlier waiting scan (its answer
     * came only now) receives the parcels scanned after it in container mode.
     */
    async _callQueued(item) {
        const options = item.options;
        if (options.container_mode && !options.container_id && this.state.container) {
            options.container_id = this.state.container.id;
        }
        const result = await this._call(item);
        if (result.status === "container_opened") {
            this.state.container = result.container;
        } else if (result.status === "container_closed") {
            this.state.container = null;
        }
        return result;
    }

    _errorResult(item, error) {
        return {
            status: "error",
            sound: "error",
            code: item.code,
            message: error.data?.message || error.message || _t("The scan failed."),
        };
    }

    _queue(item) {
        this.queue.push(item);
        this.state.queueSize = this.queue.size;
        this._show(
            {
                status: "queued",
                sound: "queued",
                code: item.code,
                undo_token: item.options.idempotency_key,
                message: _t(
                    "No connection: the scan is kept and will be sent when the server answers."
                ),
            },
            item
        );
    }

    /**
     * Send the waiting scans, oldest first; each answer updates its line of the list.
     */
    async flushQueue() {
        if (!this.queue.size || this.queue.flushing) {
            // (a flush under way sends the scans queued meanwhile too)
            return;
        }
        const report = await this.queue.flush((item) => this._callQueued(item));
        for (const {item, result} of report.sent) {
            this._replaceEntry(item, result);
        }
        for (const {item, error} of report.failed) {
            this._replaceEntry(item, this._errorResult(item, error));
        }
        this.state.queueSize = this.queue.size;
        this.state.online = !report.stopped;
        const count = report.sent.length + report.failed.length;
        if (count) {
            this.notification.add(
                count === 1
                    ? _t("The waiting scan was sent.")
                    : _t("%(count)s waiting scans were sent.", {count}),
                {type: report.failed.length ? "warning" : "info"}
            );
        }
    }

    // ------------------------------------------------------------------------------
    // feedback
    // ------------------------------------------------------------------------------
    _entry(result, item) {
        return {
            id: item?.options.idempotency_key || makeIdempotencyKey(),
            time: new Date().toLocaleTimeString(),
            code: result.code || item?.code || "",
            operation: result.operation || item?.operation || false,
            status: result.status,
            message: result.message,
            parcel: result.parcel || false,
            container: result.container || false,
            count: result.count || 0,
            undone: false,
        };
    }

    _flash(status) {
        this.flashCount++;
        this.state.flash = {
            id: this.flashCount,
            kind: FLASHES[this.statusClass(status)] || "warning",
        };
    }

    _count(status, delta = 1) {
        this.state.counts[status] = (this.state.counts[status] || 0) + delta;
    }

    _show(result, item = null) {
        const entry = this._entry(result, item);
        this.state.last = entry;
        this.state.entries.unshift(entry);
        this.state.entries.splice(MAX_ENTRIES);
        this._count(result.status);
        this.beeper.play(result.sound || "error");
        this._flash(result.status);
        if (item) {
            this._updateRefused(item, entry);
        }
        if (result.status === "container_opened") {
            this.state.container = result.container;
        } else if (result.status === "container_closed") {
            this.state.container = null;
        } else if (
            result.container &&
            this.state.container?.id === result.container.id
        ) {
            this.state.container = result.container;
        }
        if (result.undo_token) {
            this.state.undo = {
                token: result.undo_token,
                entryId: entry.id,
                queued: result.status === "queued",
                at: Date.now(),
            };
            this._tickUndo();
        }
    }

    _replaceEntry(item, result) {
        const entry = this.state.entries.find(
            (e) => e.id === item.options.idempotency_key
        );
        this._count("queued", -1);
        this._count(result.status);
        if (!entry) {
            // (gone from the list: a refused one is still kept)
            this._updateRefused(item, this._entry(result, item));
            return;
        }
        Object.assign(entry, {
            status: result.status,
            message: result.message,
            parcel: result.parcel || false,
            container: result.container || false,
            count: result.count || 0,
        });
        this._updateRefused(item, entry);
        if (this.state.undo?.entryId === entry.id) {
            this.state.undo.queued = false;
            if (!result.undo_token) {
                this.state.undo = null;
                this._tickUndo();
            }
        }
    }

    _tickUndo() {
        if (!this.state.undo) {
            this.state.undoLeft = 0;
            return;
        }
        const elapsed = (Date.now() - this.state.undo.at) / 1000;
        this.state.undoLeft = Math.max(0, Math.ceil(this.data.undo_seconds - elapsed));
        if (!this.state.undoLeft) {
            this.state.undo = null;
        }
    }

    /**
     * Undo the scan of ``entry``, if it is the one that can be undone.
     *
     * @param {Object} entry
     */
    async undo(entry) {
        const undo = this.state.undo;
        if (!this.canUndo(entry)) {
            return;
        }
        this.state.undo = null;
        this._tickUndo();
        const what =
            entry.parcel?.tracking_number || entry.container?.code || entry.code;
        let result = null;
        if (undo.queued && this.queue.remove(undo.token)) {
            // Not sent yet: it simply will not be
            this.state.queueSize = this.queue.size;
            this._count("queued", -1);
            result = {
                status: "ok",
                sound: "notice",
                message: _t("%(code)s will not be sent.", {code: what}),
            };
        } else {
            try {
                result = await this.orm.call("tms.scan", "undo", [undo.token]);
            } catch (error) {
                result = this._errorResult({code: entry.code}, error);
            }
        }
        if (result.status === "ok") {
            this._markUndone(entry);
            result = {...result, status: "undone", sound: "notice"};
        }
        this.state.last = {...this._entry(result), code: entry.code};
        this.beeper.play(result.sound || "error");
        this._flash(result.status);
    }

    // ------------------------------------------------------------------------------
    // refused scans, to send again
    // ------------------------------------------------------------------------------
    _loadRefused() {
        try {
            const refused = JSON.parse(
                browser.localStorage.getItem(this.refusedKey) || "[]"
            );
            return Array.isArray(refused) ? refused : [];
        } catch {
            return [];
        }
    }

    _saveRefused() {
        if (this.state.refused.length) {
            browser.localStorage.setItem(
                this.refusedKey,
                JSON.stringify(this.state.refused)
            );
        } else {
            browser.localStorage.removeItem(this.refusedKey);
        }
    }

    /**
     * Keep a refused scan in the list of refused scans; a code scanned again and
     * accepted leaves it.
     *
     * @param {Object} item the scan: `{code, operation, options}`
     * @param {Object} entry its line in the list of scans
     */
    _updateRefused(item, entry) {
        const refused = this.state.refused.filter((scan) => scan.code !== item.code);
        if (!ERROR_STATUSES.includes(entry.status)) {
            if (refused.length !== this.state.refused.length) {
                this.state.refused = refused;
                this._saveRefused();
            }
            return;
        }
        refused.unshift({
            id: entry.id,
            // The code as read (a GS1 code keeps its separators), to send it again
            code: item.code,
            display: entry.code,
            status: entry.status,
            message: entry.message,
            time: entry.time,
        });
        this.state.refused = refused.slice(0, MAX_REFUSED);
        this._saveRefused();
    }

    dismissRefused(scan) {
        this.state.refused = this.state.refused.filter((s) => s.id !== scan.id);
        this._saveRefused();
    }

    /**
     * Scan a refused code again, with the operation and options chosen now.
     *
     * @param {Object} scan
     */
    resend(scan) {
        this.dismissRefused(scan);
        return this.onScan(scan.code);
    }

    resendAll() {
        // Oldest first, as they were scanned
        const scans = [...this.state.refused].reverse();
        this.state.refused = [];
        this._saveRefused();
        let sending = Promise.resolve();
        for (const scan of scans) {
            sending = this.onScan(scan.code) || sending;
        }
        return sending;
    }

    _markUndone(entry) {
        if (!entry || entry.undone) {
            return;
        }
        entry.undone = true;
        this._count(entry.status, -1);
        this._count("undone");
    }

    // ------------------------------------------------------------------------------
    // GPS
    // ------------------------------------------------------------------------------
    _watchPosition() {
        const geolocation = browser.navigator.geolocation;
        if (!geolocation) {
            return;
        }
        // Never waited for: scans go without a position until the browser gives one
        this.watchId = geolocation.watchPosition(
            (position) => {
                this.position = {
                    latitude: position.coords.latitude,
                    longitude: position.coords.longitude,
                };
                this.state.gps = "on";
            },
            () => {
                this.state.gps = "off";
            },
            {enableHighAccuracy: false, maximumAge: 60000, timeout: 30000}
        );
    }
}

registry.category("actions").add("tms_scan_screen", TmsScanScreen);
