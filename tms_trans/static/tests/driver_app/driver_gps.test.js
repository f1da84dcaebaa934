import {describe, expect, test} from "@odoo/hoot";
import {ConnectionLostError} from "@web/core/network/rpc";
import {DriverGps, sharedRounds} from "@tms_trans/driver_app/driver_gps";

describe.current.tags("headless");

function makeStorage() {
    const data = new Map();
    return {
        getItem: (key) => (data.has(key) ? data.get(key) : null),
        setItem: (key, value) => data.set(key, String(value)),
        removeItem: (key) => data.delete(key),
    };
}

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

function coords(i) {
    return {latitude: 33.57 + i / 1000, longitude: -7.59, accuracy: 12};
}

/** The phone's positions every 10 s for a minute, kept for the shared round. */
function walk(gps, data, queuedStarts) {
    const round = sharedRounds(data, queuedStarts)[0];
    for (let i = 0; i < 7; i++) {
        gps.record(round?.id || false, coords(i), T0 + i * 10000, data.gps.interval);
    }
}

function appData(state, consent) {
    return {
        gps: {consent, interval: 30},
        rounds: [
            {id: 7, state},
            {id: 8, state: "done"},
        ],
    };
}

function recorder() {
    const calls = [];
    const send = async (roundId, points) => {
        calls.push({roundId, points});
        return {accepted: points.length};
    };
    return {calls, send};
}

test("positions are posted while the round is started, with consent", async () => {
    const gps = new DriverGps(makeStorage(), "gps");
    const data = appData("started", true);
    walk(gps, data);
    const {calls, send} = recorder();
    expect(await gps.flush(send, [7])).toBe(3);
    // One point per interval (30 s), the phone's time and accuracy
    expect(calls).toEqual([
        {
            roundId: 7,
            points: [0, 3, 6].map((i) => ({
                t: T0 + i * 10000,
                lat: 33.57 + i / 1000,
                lon: -7.59,
                acc: 12,
            })),
        },
    ]);
    expect(gps.size).toBe(0);
    // A round started on the phone, its start not sent yet, shares too
    expect(
        sharedRounds(appData("planned", true), new Set([7])).map((r) => r.id)
    ).toEqual([7]);
});

test("nothing is posted without consent or before the round starts", async () => {
    for (const data of [
        appData("started", false),
        appData("planned", true),
        appData("done", true),
    ]) {
        const gps = new DriverGps(makeStorage(), "gps");
        walk(gps, data);
        const {calls, send} = recorder();
        await gps.flush(
            send,
            sharedRounds(data).map((r) => r.id)
        );
        expect(calls).toEqual([]);
        expect(gps.size).toBe(0);
    }
});

test("offline the points are kept, then sent in order; none after the end", async () => {
    const storage = makeStorage();
    let gps = new DriverGps(storage, "gps");
    const data = appData("started", true);
    walk(gps, data);
    const failed = await gps.flush(
        () => Promise.reject(new ConnectionLostError("/")),
        [7]
    );
    expect(failed).toBe(0);
    expect(gps.size).toBe(3);
    // The app is opened again: the points were kept on the phone
    gps = new DriverGps(storage, "gps");
    const {calls, send} = recorder();
    await gps.flush(send, [7]);
    expect(calls[0].points.map((p) => p.t)).toEqual([T0, T0 + 30000, T0 + 60000]);
    // The round is finished before the network is back: its points are not sent
    gps.record(7, coords(9), T0 + 120000, 30);
    expect(gps.size).toBe(1);
    await gps.flush(send, []);
    expect(calls.length).toBe(1);
    expect(gps.size).toBe(0);
});
