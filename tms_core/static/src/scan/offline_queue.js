import {ConnectionLostError} from "@web/core/network/rpc";

/**
 * A scan the server did not answer because the network did not carry the call: it
 * was sent too late or not at all. Such scans are kept and sent again.
 */
export class ScanTimeoutError extends Error {
    constructor(seconds) {
        super(`The server did not answer within ${seconds} s`);
        this.name = "ScanTimeoutError";
    }
}

/**
 * Whether an RPC failed because of the network (the scan may be sent again) rather
 * than because the server answered with an error.
 *
 * @param {Error} error
 * @returns {Boolean}
 */
export function isNetworkError(error) {
    return error instanceof ConnectionLostError || error instanceof ScanTimeoutError;
}

/**
 * An identifier for each scan, made by the browser: sending the scan again with it
 * records nothing new on the server. `crypto.randomUUID()` exists on secure pages
 * only (https, localhost); `getRandomValues` everywhere.
 *
 * @param {Crypto} [cryptoApi]
 * @returns {String}
 */
export function makeIdempotencyKey(cryptoApi = globalThis.crypto) {
    if (cryptoApi?.randomUUID) {
        return cryptoApi.randomUUID();
    }
    const bytes = new Uint8Array(16);
    cryptoApi.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return [
        hex.slice(0, 8),
        hex.slice(8, 12),
        hex.slice(12, 16),
        hex.slice(16, 20),
        hex.slice(20),
    ].join("-");
}

/**
 * Scans waiting for the server, kept in the browser's storage (they survive a reload
 * or a closed tab) and sent again in the order they were made.
 *
 * Each item is `{code, operation, options}`, `options` holding the scan's
 * `idempotency_key` and `device_time`: sent late, a scan keeps the time it was made,
 * and sent twice (the first answer lost), it is recorded once.
 */
export class ScanQueue {
    /**
     * @param {Storage} storage e.g. `browser.localStorage`
     * @param {String} key the storage key (one queue per database and user)
     */
    constructor(storage, key) {
        this.storage = storage;
        this.key = key;
        this.flushing = null;
    }

    /** @returns {Object[]} the waiting scans, oldest first */
    get items() {
        try {
            const items = JSON.parse(this.storage.getItem(this.key) || "[]");
            return Array.isArray(items) ? items : [];
        } catch {
            return [];
        }
    }

    /** @returns {Number} */
    get size() {
        return this.items.length;
    }

    _save(items) {
        if (items.length) {
            this.storage.setItem(this.key, JSON.stringify(items));
        } else {
            this.storage.removeItem(this.key);
        }
    }

    /** @param {Object} item a scan: `{code, operation, options}` */
    push(item) {
        this._save([...this.items, item]);
    }

    /**
     * Remove a waiting scan (undone before it was sent).
     *
     * @param {String} idempotencyKey
     * @returns {Boolean} whether it was waiting
     */
    remove(idempotencyKey) {
        const items = this.items;
        const kept = items.filter(
            (item) => item.options.idempotency_key !== idempotencyKey
        );
        this._save(kept);
        return kept.length !== items.length;
    }

    /**
     * Send the waiting scans one by one, oldest first, through `send(item)`. Stops at
     * the first network failure (the rest waits for the next try); a scan the server
     * refused with an error leaves the queue, with its error, so that it never blocks
     * the others. Only one flush runs at a time: a second call gets the first one's
     * promise.
     *
     * @param {(item: Object) => Promise<Object>} send
     * @returns {Promise<{sent: Object[], failed: Object[], stopped: boolean}>}
     */
    flush(send) {
        if (!this.flushing) {
            this.flushing = this._flush(send).finally(() => {
                this.flushing = null;
            });
        }
        return this.flushing;
    }

    async _flush(send) {
        const report = {sent: [], failed: [], stopped: false};
        for (;;) {
            const [item] = this.items;
            if (!item) {
                return report;
            }
            try {
                const result = await send(item);
                report.sent.push({item, result});
            } catch (error) {
                if (isNetworkError(error)) {
                    report.stopped = true;
                    return report;
                }
                report.failed.push({item, error});
            }
            this.remove(item.options.idempotency_key);
        }
    }
}
