"""The scan endpoint: what a hub's scanners do to the server.

Targets come from DESIGN.md ("Non-functional targets"); they are shown, never enforced.
"""

import random
import uuid
from datetime import datetime, timedelta, timezone

from . import Benchmark
from .bench_parcels import (
    _create_parcels,
    _parcel_vals,
    _prepare_company,
    _prepare_partners,
)

SCAN_USER = "tms_bench_scan"
SCAN_PASSWORD = "tms-bench-scan-1"
CLIENTS = 20
# Share of the scans sent a second time, as a scanner does when an answer is lost.
RESEND_SHARE = 0.1


def _call(session, url, path, params):
    response = session.post(
        url + path,
        json={"jsonrpc": "2.0", "method": "call", "params": params},
        timeout=30,
    )
    response.raise_for_status()
    body = response.json()
    if body.get("error"):
        raise RuntimeError(body["error"].get("data", {}).get("message", body["error"]))
    return body["result"]


def _setup_scan_http(ctx):
    env = ctx.env
    company = _prepare_company(env)
    hub = env["tms.hub"].search(
        [("code", "=", "BENCH"), ("company_id", "=", company.id)], limit=1
    ) or env["tms.hub"].create(
        {"name": "Bench Hub", "code": "BENCH", "company_id": company.id}
    )
    shippers, recipients = _prepare_partners(env, company, count=20)
    vals_list = _parcel_vals(
        env, company, shippers, recipients, ctx.size, seed=random.randrange(10**6)
    )
    for vals in vals_list:
        vals["state"] = "confirmed"
    parcels = _create_parcels(env, vals_list)
    # on their way to the hub: picked up a minute after their creation
    picked_up = max(parcels.mapped("last_event_date")) + timedelta(seconds=1)
    env["tms.parcel.event"]._record(
        [
            {"parcel_id": p.id, "state": "picked_up", "event_date": picked_up}
            for p in parcels
        ]
    )
    user = env["res.users"].search([("login", "=", SCAN_USER)])
    if not user:
        user = env["res.users"].create(
            {
                "name": "TMS Benchmark Scanner",
                "login": SCAN_USER,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [env.ref("tms_core.group_tms_user").id])],
            }
        )
    user.password = SCAN_PASSWORD
    run = uuid.uuid4().hex[:12]
    ctx.data.update(
        numbers=parcels.mapped("tracking_number"),
        parcel_ids=parcels.ids,
        hub_id=hub.id,
        company_id=company.id,
        keys=[f"bench-{run}-{i:06d}" for i in range(ctx.size)],
    )
    # The server runs in another process: it reads committed data only.
    ctx.commit()
    ctx.data["url"] = ctx.http_server(workers=2)


def _run_scan_http(ctx):
    """Arrival-at-hub scans through tms.scan.scan, one call per scan, 20 scanners."""
    data = ctx.data
    url, db = data["url"], ctx.dbname
    numbers, keys = data["numbers"], data["keys"]
    statuses = {}

    def session():
        http = ctx.http_session()
        if not getattr(http, "tms_logged_in", False):
            _call(
                http,
                url,
                "/web/session/authenticate",
                {"db": db, "login": SCAN_USER, "password": SCAN_PASSWORD},
            )
            http.tms_logged_in = True
        return http

    def scan(i):
        result = _call(
            session(),
            url,
            "/web/dataset/call_kw/tms.scan/scan",
            {
                "model": "tms.scan",
                "method": "scan",
                "args": [
                    numbers[i % len(numbers)],
                    "arrival",
                    {
                        "hub_id": data["hub_id"],
                        "idempotency_key": keys[i % len(keys)],
                        "device_time": datetime.now(timezone.utc).isoformat(),
                        "device": f"bench-{i % CLIENTS}",
                        "latitude": 33.57,
                        "longitude": -7.59,
                    },
                ],
                "kwargs": {"context": {"allowed_company_ids": [data["company_id"]]}},
            },
        )
        statuses[i] = (result["status"], result.get("replayed"))
        if result["status"] != "ok":
            raise RuntimeError(f"{numbers[i % len(numbers)]}: {result['message']}")

    def login(_i):
        session()

    # Log every scanner in first, outside the measured calls.
    ctx.concurrent(login, n_workers=CLIENTS, n_calls=CLIENTS)
    latencies = ctx.concurrent(scan, n_workers=CLIENTS, n_calls=ctx.size)
    # Resend some scans, as after lost answers: the server records nothing new.
    n_resent = max(1, int(ctx.size * RESEND_SHARE))
    resent = ctx.concurrent(
        lambda i: scan(i * (ctx.size // n_resent)), n_workers=CLIENTS, n_calls=n_resent
    )
    replayed = sum(1 for status in statuses.values() if status == ("ok", True))

    # Count what the server recorded (committed by its workers).
    ctx.cr.execute(
        """
        SELECT count(*), count(DISTINCT idempotency_key), count(DISTINCT parcel_id)
          FROM tms_parcel_event
         WHERE idempotency_key = ANY(%s) AND source = 'scan'
        """,
        [keys],
    )
    events, distinct_keys, distinct_parcels = ctx.cr.fetchone()
    ctx.cr.execute(
        "SELECT count(*) FROM tms_parcel WHERE id = ANY(%s) AND state = 'at_hub'",
        [data["parcel_ids"]],
    )
    (at_hub,) = ctx.cr.fetchone()
    lost = ctx.size - events
    duplicated = events - distinct_keys
    counts_ok = lost == 0 and duplicated == 0 and at_hub == ctx.size
    return {
        "latencies": latencies,
        "note": f"{CLIENTS} scanners, 2 workers; events {events}/{ctx.size}, lost "
        f"{lost}, duplicated {duplicated}, parcels at hub {at_hub}; {len(resent)}/"
        f"{n_resent} resent scans answered as replayed ({replayed});",
        "events": events,
        "lost": lost,
        "duplicated": duplicated,
        "distinct_parcels": distinct_parcels,
        "resent": n_resent,
        "replayed": replayed,
        "resent_latencies": resent.as_dict(),
        "target_met": bool(latencies)
        and not latencies.errors
        and latencies.p95 < 0.150
        and latencies.rate >= 100
        and counts_ok
        and replayed == n_resent,
    }


BENCHMARKS = [
    Benchmark(
        name="scan_http",
        size=2_000,
        target=">= 100 scans/s, p95 < 150 ms",
        commit=True,
        setup=_setup_scan_http,
        run=_run_scan_http,
        description=_run_scan_http.__doc__,
    ),
]
