import {describe, expect, test} from "@odoo/hoot";
import {ConnectionLostError} from "@web/core/network/rpc";
import {DriverQueue} from "@tms_trans/driver_app/driver_queue";
import {findParcel, normalizeNumber} from "@tms_trans/driver_app/driver_tools";

describe.current.tags("headless");

/** A Storage in memory, like localStorage. */
function makeStorage() {
    const data = new Map();
    return {
        getItem: (key) => (data.has(key) ? data.get(key) : null),
        setItem: (key, value) => data.set(key, String(value)),
        removeItem: (key) => data.delete(key),
        data,
    };
}

function action(key, operation = "deliver") {
    return {code: key, operation, options: {idempotency_key: key, parcel_id: 1}};
}

test("queued actions are sent oldest first in batches, each once", async () => {
    const queue = new DriverQueue(makeStorage(), "q");
    for (let i = 0; i < 5; i++) {
        queue.push(action(`key-000${i}`));
    }
    const calls = [];
    const report = await queue.flushBatch(
        async (items) => {
            calls.push(items.map((item) => item.options.idempotency_key));
            return items.map(() => ({status: "ok"}));
        },
        {items: 2}
    );
    expect(calls).toEqual([
        ["key-0000", "key-0001"],
        ["key-0002", "key-0003"],
        ["key-0004"],
    ]);
    expect(report.sent.length).toBe(5);
    expect(queue.size).toBe(0);
});

test("without network the actions stay queued; refused ones leave", async () => {
    const queue = new DriverQueue(makeStorage(), "q");
    queue.push(action("key-0001"));
    queue.push(action("key-0002"));
    let report = await queue.flushBatch(() =>
        Promise.reject(new ConnectionLostError("/"))
    );
    expect(report.stopped).toBe(true);
    expect(report.error).toBe(null);
    expect(queue.size).toBe(2);
    // A server that refuses the whole call (session expired): kept for the next try
    report = await queue.flushBatch(() => Promise.reject(new Error("Session expired")));
    expect(report.stopped).toBe(true);
    expect(queue.size).toBe(2);
    report = await queue.flushBatch(async (items) =>
        items.map((item, i) => (i ? {status: "ok"} : {status: "error", message: "No"}))
    );
    expect(report.failed.map(({item}) => item.code)).toEqual(["key-0001"]);
    expect(report.sent.map(({item}) => item.code)).toEqual(["key-0002"]);
    expect(queue.size).toBe(0);
});

test("a parcel is found by its number or its label's QR code", () => {
    const parcels = [
        {tracking_number: "RR990000010MA", access_token: "a".repeat(32)},
        {tracking_number: "EC000001187MA", access_token: "b".repeat(32)},
    ];
    expect(findParcel("rr 9900-0001 0ma", parcels)).toBe(parcels[0]);
    expect(findParcel(`https://x.test/track/${"b".repeat(32)}`, parcels)).toBe(
        parcels[1]
    );
    expect(findParcel("XX000000000MA", parcels)).toBe(undefined);
    expect(normalizeNumber(" ec-0001 ")).toBe("EC0001");
});
