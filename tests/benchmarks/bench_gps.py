"""GPS breadcrumbs: what the phones of drivers on their rounds do to the server.

50 drivers, each on a started round, send one point every 10 seconds for 10 minutes
(3,000 points) through the driver app's route (``POST /tms/driver/gps``, one point
per call, as a phone with network sends them), to a server with 2 HTTP workers. The
calls are paced in real time: the measured batch lasts about 10 minutes at
``--size-factor 1``. Afterwards every point must be stored exactly once.

Targets come from the issue ("p95 per request, no loss"); they are shown, never
enforced.
"""

import threading
import time
from datetime import datetime, timedelta, timezone

from . import Benchmark, Latencies
from .bench_parcels import _prepare_company

DRIVERS = 50
INTERVAL_SECONDS = 10
POINTS_PER_DRIVER = 60  # 10 minutes
DRIVER_LOGIN = "tms_bench_gps_{:02d}"
DRIVER_PASSWORD = "tms-bench-gps-1"


def _call(session, url, path, params):
    response = session.post(
        url + path,
        json={"jsonrpc": "2.0", "method": "call", "params": params},
        timeout=60,
    )
    response.raise_for_status()
    body = response.json()
    if body.get("error"):
        raise RuntimeError(body["error"].get("data", {}).get("message", body["error"]))
    return body["result"]


def _setup_gps_http(ctx):
    env = ctx.env
    company = _prepare_company(env)
    company.tms_gps_interval = INTERVAL_SECONDS
    hub = env["tms.hub"].search(
        [("code", "=", "BENCHGPS"), ("company_id", "=", company.id)], limit=1
    ) or env["tms.hub"].create(
        {
            "name": "Bench GPS Depot",
            "code": "BENCHGPS",
            "company_id": company.id,
            "latitude": 33.5731,
            "longitude": -7.5898,
        }
    )
    group = env.ref("tms_core.group_tms_driver")
    users = env["res.users"]
    for i in range(DRIVERS):
        login = DRIVER_LOGIN.format(i)
        user = env["res.users"].search([("login", "=", login)]) or env[
            "res.users"
        ].create(
            {
                "name": f"Bench Driver {i}",
                "login": login,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, group.ids)],
            }
        )
        user.write({"password": DRIVER_PASSWORD, "tms_gps_consent": True})
        users |= user
    rounds = env["tms.round"].create(
        [
            {"hub_id": hub.id, "company_id": company.id, "driver_id": user.id}
            for user in users
        ]
    )
    rounds.action_start()
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    ctx.data.update(
        logins=users.mapped("login"),
        round_ids=rounds.ids,
        # the simulated phones' clock: their points are 10 s apart
        start=now - timedelta(hours=2),
    )
    # The server runs in another process: it reads committed data only.
    ctx.commit()
    ctx.data["url"] = ctx.http_server(workers=2)


def _run_gps_http(ctx):
    """One point per call, 50 drivers each every 10 s (paced in real time)."""
    data = ctx.data
    url, db = data["url"], ctx.dbname
    lock = threading.Lock()
    assigned = []
    sent = [0] * DRIVERS

    def session():
        http = ctx.http_session()
        if getattr(http, "tms_driver", None) is None:
            # a thread of the pool is one phone; a pool may have more threads than
            # drivers: a driver then has several sessions, his points one clock
            with lock:
                index = len(assigned) % DRIVERS
                assigned.append(index)
            _call(
                http,
                url,
                "/web/session/authenticate",
                {
                    "db": db,
                    "login": data["logins"][index],
                    "password": DRIVER_PASSWORD,
                },
            )
            http.tms_driver = index
        return http

    measured = []
    started = time.monotonic() + 1.0

    def post(i):
        # call i is due at its slot: every driver once per interval, spread evenly
        due = started + i * INTERVAL_SECONDS / DRIVERS
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        http = session()
        driver = http.tms_driver
        with lock:
            sent[driver] += 1
            count = sent[driver]
        point_time = data["start"] + timedelta(seconds=count * INTERVAL_SECONDS)
        begin = time.perf_counter()
        result = _call(
            http,
            url,
            "/tms/driver/gps",
            {
                "round_id": data["round_ids"][driver],
                "points": [
                    {
                        "t": point_time.strftime("%Y-%m-%d %H:%M:%S"),
                        "lat": 33.5 + count / 10_000,
                        "lon": -7.6 + driver / 1_000,
                        "acc": 8,
                    }
                ],
            },
        )
        elapsed = time.perf_counter() - begin
        if result.get("error") or result["accepted"] != 1:
            raise RuntimeError(str(result))
        with lock:
            measured.append(elapsed)

    ctx.concurrent(lambda _i: session(), n_workers=DRIVERS, n_calls=DRIVERS)
    started = time.monotonic() + 1.0
    batch = ctx.concurrent(post, n_workers=DRIVERS, n_calls=ctx.size)
    # the calls' own time, without the wait for their slot
    latencies = Latencies(measured, errors=batch.errors, wall_time=batch.wall_time)
    ctx.cr.execute(
        "SELECT count(*) FROM tms_round_position WHERE round_id = ANY(%s)",
        [data["round_ids"]],
    )
    (stored,) = ctx.cr.fetchone()
    lost = ctx.size - len(latencies.errors) - stored
    return {
        "latencies": latencies,
        "note": f"{DRIVERS} drivers, one point every {INTERVAL_SECONDS} s each, "
        f"2 workers; {stored} points stored, {len(latencies.errors)} refused, "
        f"{max(lost, 0)} lost;",
        "stored": stored,
        "target_met": bool(latencies)
        and not latencies.errors
        and stored == ctx.size
        and latencies.p95 < 0.200,
    }


BENCHMARKS = [
    Benchmark(
        name="gps_http",
        size=DRIVERS * POINTS_PER_DRIVER,
        target="p95 < 200 ms, no loss",
        commit=True,
        setup=_setup_gps_http,
        run=_run_gps_http,
        description=_run_gps_http.__doc__,
    ),
]
