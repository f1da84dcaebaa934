const MAX_BATCH = 500;

/**
 * The rounds whose positions are shared: the started ones (or started on this phone,
 * the start still queued), when the driver agreed (`data.gps.consent`).
 *
 * @param {Object} data the app's data (`/tms/driver/data`)
 * @param {Set<Number>} [queuedStarts] rounds started on the phone, not sent yet
 * @returns {Object[]}
 */
export function sharedRounds(data, queuedStarts = new Set()) {
    if (!data?.gps?.consent) {
        return [];
    }
    return (data.rounds || []).filter(
        (r) =>
            r.state === "started" || (r.state === "planned" && queuedStarts.has(r.id))
    );
}

/**
 * The positions of the driver's started round waiting for the server (kept in the
 * browser's storage, oldest first, each `{round_id, t, lat, lon, acc}` with `t` the
 * phone's time in epoch milliseconds), sent in order to `/tms/driver/gps` when the
 * network allows. A point is kept only while a round is started and the driver
 * agreed, and at most one per the company's interval.
 */
export class DriverGps {
    constructor(storage, key) {
        this.storage = storage;
        this.key = key;
    }

    get points() {
        try {
            return JSON.parse(this.storage.getItem(this.key)) || [];
        } catch {
            return [];
        }
    }

    get size() {
        return this.points.length;
    }

    _save(points) {
        this.storage.setItem(this.key, JSON.stringify(points));
    }

    /**
     * Keep a position of the phone for the round `roundId` (false: no started round
     * or no consent, nothing is kept).
     *
     * @param {Number|false} roundId
     * @param {Object} coords the position's `latitude`, `longitude`, `accuracy`
     * @param {Number} time the phone's time of the position (epoch milliseconds)
     * @param {Number} interval seconds between two points at least
     * @returns {Boolean} whether the point was kept
     */
    record(roundId, coords, time, interval) {
        if (!roundId || !coords) {
            return false;
        }
        const points = this.points;
        const last = points.findLast((p) => p.round_id === roundId) || this.lastSent;
        if (last?.round_id === roundId && Math.abs(time - last.t) < interval * 1000) {
            return false;
        }
        const point = {
            round_id: roundId,
            t: time,
            lat: coords.latitude,
            lon: coords.longitude,
        };
        if (typeof coords.accuracy === "number") {
            point.acc = Math.round(coords.accuracy * 10) / 10;
        }
        points.push(point);
        this._save(points);
        return true;
    }

    /**
     * Send the kept points oldest first, one call per round and batch, through
     * `send(roundId, points)` (which answers `{error}` when the server refuses them).
     * The points of a round no longer in `liveRoundIds` (finished, consent taken
     * back) are dropped unsent, as the ones the server refuses. Stops when the call fails (no network): the points
     * stay for the next try.
     *
     * @returns {Promise<Number>} how many points the server received
     */
    flush(send, liveRoundIds) {
        if (!this.flushing) {
            this.flushing = this._flush(send, liveRoundIds).finally(() => {
                this.flushing = null;
            });
        }
        return this.flushing;
    }

    async _flush(send, liveRoundIds) {
        let received = 0;
        const live = new Set(liveRoundIds);
        this._save(this.points.filter((p) => live.has(p.round_id)));
        for (;;) {
            const points = this.points;
            if (!points.length) {
                return received;
            }
            const roundId = points[0].round_id;
            const batch = [];
            for (const point of points) {
                if (point.round_id !== roundId || batch.length >= MAX_BATCH) {
                    break;
                }
                batch.push(point);
            }
            try {
                const answer = await send(
                    roundId,
                    batch.map(({t, lat, lon, acc}) => ({t, lat, lon, acc}))
                );
                if (!answer?.error) {
                    received += batch.length;
                }
            } catch {
                // No network, or no answer: the points stay for the next try
                return received;
            }
            this.lastSent = batch.at(-1);
            const done = new Set(batch.map((p) => `${p.round_id}:${p.t}`));
            this._save(this.points.filter((p) => !done.has(`${p.round_id}:${p.t}`)));
        }
    }
}
