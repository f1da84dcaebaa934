import {ScanQueue, isNetworkError} from "@tms_core/scan/offline_queue";

/**
 * The driver's actions waiting for the server: the scan screen's queue (kept in the
 * browser's storage, oldest first, each item `{code, operation, options}` with the
 * action's `idempotency_key`), sent in batches: a day of actions made offline reaches
 * the server in a few calls.
 */
export class DriverQueue extends ScanQueue {
    /**
     * Send the waiting actions oldest first, in batches, through `sendMany(items)`,
     * which answers one result per item (`{status, message}`; `status` "error" for
     * an action the server refused). Stops at a network failure or when the server
     * refuses the whole call (the actions stay queued for the next try). One flush
     * at a time: a second call gets the first one's promise.
     *
     * @param {(items: Object[]) => Promise<Object[]>} sendMany
     * @param {Object} [limits]
     * @param {Number} [limits.items=100] actions per call at most
     * @param {Number} [limits.chars=2000000] characters per call at most (photos)
     * @returns {Promise<{sent: Object[], failed: Object[], stopped: boolean, error: any}>}
     */
    flushBatch(sendMany, {items = 100, chars = 2000000} = {}) {
        if (!this.flushing) {
            this.flushing = this._flushBatch(sendMany, items, chars).finally(() => {
                this.flushing = null;
            });
        }
        return this.flushing;
    }

    async _flushBatch(sendMany, maxItems, maxChars) {
        const report = {sent: [], failed: [], stopped: false, error: null};
        for (;;) {
            const waiting = this.items;
            if (!waiting.length) {
                return report;
            }
            const batch = [];
            let size = 0;
            for (const item of waiting) {
                const itemSize = JSON.stringify(item).length;
                if (
                    batch.length &&
                    (batch.length >= maxItems || size + itemSize > maxChars)
                ) {
                    break;
                }
                batch.push(item);
                size += itemSize;
            }
            let results = [];
            try {
                results = await sendMany(batch);
            } catch (error) {
                report.stopped = true;
                report.error = isNetworkError(error) ? null : error;
                return report;
            }
            const done = new Set();
            batch.forEach((item, index) => {
                const result = results[index] || {status: "error", message: ""};
                (result.status === "error" ? report.failed : report.sent).push({
                    item,
                    result,
                });
                done.add(item.options.idempotency_key);
            });
            this._save(
                this.items.filter((item) => !done.has(item.options.idempotency_key))
            );
        }
    }
}
