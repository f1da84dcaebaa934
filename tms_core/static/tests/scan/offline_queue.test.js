import {describe, expect, test} from "@odoo/hoot";
import {ConnectionLostError, RPCError} from "@web/core/network/rpc";
import {
    ScanQueue,
    ScanTimeoutError,
    isNetworkError,
    makeIdempotencyKey,
} from "@tms_core/scan/offline_queue";

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

function scan(code, key) {
    return {
        code,
        operation: "arrival",
        options: {
            idempotency_key: key,
            device_time: "2026-01-05T08:00:00.000Z",
            hub_id: 1,
        },
    };
}

test("waiting scans survive in the storage, oldest first", () => {
    const storage = makeStorage();
    const queue = new ScanQueue(storage, "q");
    expect(queue.size).toBe(0);
    queue.push(scan("RR990000010MA", "k1"));
    queue.push(scan("RR990000023MA", "k2"));
    // Another screen (a reload) finds them, with their device time
    const again = new ScanQueue(storage, "q");
    expect(again.items.map((item) => item.code)).toEqual([
        "RR990000010MA",
        "RR990000023MA",
    ]);
    expect(again.items[0].options.device_time).toBe("2026-01-05T08:00:00.000Z");
    expect(again.remove("k1")).toBe(true);
    expect(again.remove("k1")).toBe(false);
    expect(queue.size).toBe(1);
    again.remove("k2");
    expect(storage.data.has("q")).toBe(false);
});

test("a corrupted storage is an empty queue", () => {
    const storage = makeStorage();
    storage.setItem("q", "{not json");
    expect(new ScanQueue(storage, "q").items).toEqual([]);
    storage.setItem("q", '{"a": 1}');
    expect(new ScanQueue(storage, "q").size).toBe(0);
});

test("flush sends in order and stops at the first network failure", async () => {
    const queue = new ScanQueue(makeStorage(), "q");
    queue.push(scan("A", "k1"));
    queue.push(scan("B", "k2"));
    queue.push(scan("C", "k3"));
    const sent = [];
    let report = await queue.flush(async (item) => {
        if (item.code === "B") {
            throw new ConnectionLostError("/web/dataset/call_kw/tms.scan/scan");
        }
        sent.push(item.code);
        return {status: "ok"};
    });
    expect(sent).toEqual(["A"]);
    expect(report.stopped).toBe(true);
    expect(queue.items.map((item) => item.code)).toEqual(["B", "C"]);
    // The network is back: the rest goes, in order, with their own keys
    const keys = [];
    report = await queue.flush(async (item) => {
        keys.push(item.options.idempotency_key);
        return {status: "ok"};
    });
    expect(keys).toEqual(["k2", "k3"]);
    expect(report.sent.length).toBe(2);
    expect(report.stopped).toBe(false);
    expect(queue.size).toBe(0);
});

test("a scan the server refuses leaves the queue and does not block the others", async () => {
    const queue = new ScanQueue(makeStorage(), "q");
    queue.push(scan("A", "k1"));
    queue.push(scan("B", "k2"));
    const report = await queue.flush(async (item) => {
        if (item.code === "A") {
            throw new RPCError("Access denied");
        }
        return {status: "ok"};
    });
    expect(report.failed.map(({item}) => item.code)).toEqual(["A"]);
    expect(report.sent.map(({item}) => item.code)).toEqual(["B"]);
    expect(queue.size).toBe(0);
});

test("one flush at a time: scans are never sent twice at once", async () => {
    const queue = new ScanQueue(makeStorage(), "q");
    queue.push(scan("A", "k1"));
    let calls = 0;
    const send = async () => {
        calls++;
        await Promise.resolve();
        return {status: "ok"};
    };
    const [first, second] = await Promise.all([queue.flush(send), queue.flush(send)]);
    expect(calls).toBe(1);
    expect(first).toBe(second);
});

test("network errors, timeouts and idempotency keys", () => {
    expect(isNetworkError(new ConnectionLostError("/x"))).toBe(true);
    expect(isNetworkError(new ScanTimeoutError(10))).toBe(true);
    expect(isNetworkError(new RPCError("boom"))).toBe(false);
    expect(isNetworkError(new Error("boom"))).toBe(false);
    const keys = new Set([...Array(50)].map(() => makeIdempotencyKey()));
    expect(keys.size).toBe(50);
    // Without randomUUID (pages served over plain http): still a UUID v4
    const key = makeIdempotencyKey({getRandomValues: (a) => crypto.getRandomValues(a)});
    expect(key).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    );
    // What the server accepts
    expect(key).toMatch(/^[A-Za-z0-9-]{8,100}$/);
});
