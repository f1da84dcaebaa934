"""Parcels: batch creation and tracking events through the ORM, lookups over HTTP.

Targets come from DESIGN.md ("Non-functional targets"); they are shown, never enforced.
"""

import random
from datetime import datetime, timedelta

from . import Benchmark

BATCH = 1000
# A parcel's usual journey after pickup, one tracking event per step.
JOURNEY = ["picked_up", "at_hub", "out_for_delivery", "delivered"]
HTTP_USER = "tms_bench_http"
HTTP_PASSWORD = "tms-bench-http-1"


def _prepare_company(env):
    """The main company ships from Morocco (its country gives the S10 suffix)."""
    company = env.company
    if not company.country_id:
        company.country_id = env.ref("base.ma")
    return company


def _prepare_partners(env, company, count=50):
    country = company.country_id
    shippers = env["res.partner"].create(
        [
            {"name": f"Bench Shop {i}", "country_id": country.id, "city": "Casablanca"}
            for i in range(count)
        ]
    )
    recipients = env["res.partner"].create(
        [
            {
                "name": f"Bench Recipient {i}",
                "street": f"{i + 1} Rue Ibnou Mounir",
                "zip": f"20{i % 100:03d}",
                "city": "Casablanca",
                "country_id": country.id,
            }
            for i in range(count)
        ]
    )
    return shippers, recipients


def _parcel_vals(env, company, shippers, recipients, count, seed=0):
    rng = random.Random(seed)
    service = env.ref("tms_core.tms_service_standard", raise_if_not_found=False)
    return [
        {
            "company_id": company.id,
            "shipper_id": shippers[i % len(shippers)].id,
            "recipient_id": recipients[i % len(recipients)].id,
            "service_id": service.id if service else False,
            "client_reference": f"BENCH-{seed}-{i:07d}",
            "weight": round(rng.uniform(0.2, 25.0), 2),
            "length": rng.randint(10, 80),
            "width": rng.randint(10, 60),
            "height": rng.randint(5, 50),
        }
        for i in range(count)
    ]


def _create_parcels(env, vals_list, **context):
    Parcel = env["tms.parcel"].with_context(**context)
    parcels = Parcel.browse()
    for start in range(0, len(vals_list), BATCH):
        parcels |= Parcel.create(vals_list[start : start + BATCH])
    return parcels


# --------------------------------------------------------------------------------------
# parcels_orm: an import of 10,000 parcels
# --------------------------------------------------------------------------------------
def _setup_parcels_orm(ctx):
    company = _prepare_company(ctx.env)
    shippers, recipients = _prepare_partners(ctx.env, company)
    ctx.data["vals_list"] = _parcel_vals(
        ctx.env, company, shippers, recipients, ctx.size
    )


def _run_parcels_orm(ctx):
    """Create parcels in batches of 1,000 (tracking numbers, initial events)."""
    parcels = _create_parcels(ctx.env, ctx.data["vals_list"])
    assert len(parcels) == ctx.size
    return {"count": len(parcels), "batch": BATCH}


# --------------------------------------------------------------------------------------
# events_orm: scans moving parcels along their journey
# --------------------------------------------------------------------------------------
def _setup_events_orm(ctx):
    company = _prepare_company(ctx.env)
    shippers, recipients = _prepare_partners(ctx.env, company)
    n_parcels = max(1, ctx.size // len(JOURNEY))
    vals_list = _parcel_vals(ctx.env, company, shippers, recipients, n_parcels, seed=1)
    for vals in vals_list:
        vals["state"] = "confirmed"
    parcels = _create_parcels(ctx.env, vals_list)
    start = max(parcels.mapped("last_event_date"))
    ctx.data["events"] = [
        {
            "parcel_id": parcel.id,
            "state": state,
            "source": "scan",
            "event_date": start + timedelta(seconds=step + 1),
            "idempotency_key": f"bench-{parcel.id}-{step}",
        }
        for step, state in enumerate(JOURNEY)
        for parcel in parcels
    ]


def _run_events_orm(ctx):
    """Record scan events (one per parcel and step) in batches of 1,000."""
    Event = ctx.env["tms.parcel.event"]
    events = ctx.data["events"]
    recorded = 0
    for start in range(0, len(events), BATCH):
        recorded += len(Event._record(events[start : start + BATCH]))
    return {"count": recorded, "batch": BATCH}


# --------------------------------------------------------------------------------------
# parcel_lookup_http: tracking number lookups at 20 concurrent clients, 2 HTTP workers
# --------------------------------------------------------------------------------------
def _setup_parcel_lookup_http(ctx):
    env = ctx.env
    company = _prepare_company(env)
    shippers, recipients = _prepare_partners(env, company, count=10)
    parcels = _create_parcels(
        env, _parcel_vals(env, company, shippers, recipients, ctx.scaled(2000), seed=2)
    )
    ctx.data["numbers"] = parcels.mapped("tracking_number")
    user = env["res.users"].search([("login", "=", HTTP_USER)])
    if not user:
        user = env["res.users"].create(
            {
                "name": "TMS Benchmark",
                "login": HTTP_USER,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [env.ref("tms_core.group_tms_user").id])],
            }
        )
    user.password = HTTP_PASSWORD
    # The server runs in another process: it reads committed data only.
    ctx.commit()
    ctx.data["url"] = ctx.http_server(workers=2)


def _run_parcel_lookup_http(ctx):
    """Find a parcel by tracking number through the web client's JSON-RPC."""
    url, numbers, db = ctx.data["url"], ctx.data["numbers"], ctx.dbname

    def call(session, path, params):
        response = session.post(
            url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=30,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise RuntimeError(
                body["error"].get("data", {}).get("message", body["error"])
            )
        return body["result"]

    def lookup(i):
        session = ctx.http_session()
        if not getattr(session, "tms_logged_in", False):
            call(
                session,
                "/web/session/authenticate",
                {"db": db, "login": HTTP_USER, "password": HTTP_PASSWORD},
            )
            session.tms_logged_in = True
        number = numbers[i % len(numbers)]
        found = call(
            session,
            "/web/dataset/call_kw/tms.parcel/search_read",
            {
                "model": "tms.parcel",
                "method": "search_read",
                "args": [[["tracking_number", "=", number]]],
                "kwargs": {"fields": ["state", "last_event_date"], "limit": 1},
            },
        )
        if len(found) != 1:
            raise RuntimeError(f"{number}: found {len(found)} parcels")

    # Log every client in first, outside the measured calls.
    ctx.concurrent(lookup, n_workers=20, n_calls=20)
    latencies = ctx.concurrent(lookup, n_workers=20, n_calls=ctx.size)
    return {
        "latencies": latencies,
        "target_met": bool(latencies)
        and not latencies.errors
        and latencies.p95 < 0.150,
    }


# --------------------------------------------------------------------------------------
# parcels_api: the same import through the REST API, 1,000 parcels per call
# --------------------------------------------------------------------------------------
API_USER = "tms_bench_api"


def _setup_parcels_api(ctx):
    env = ctx.env
    company = _prepare_company(env)
    user = env["res.users"].search([("login", "=", API_USER)])
    if not user:
        user = env["res.users"].create(
            {
                "name": "TMS Benchmark API",
                "login": API_USER,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [env.ref("tms_core.group_tms_user").id])],
            }
        )
    company.tms_api_rate_limit = 0  # measure the API, not its throttle
    ctx.data["key"] = (
        env["res.users.apikeys"]
        .with_user(user)
        ._generate(None, "benchmark", datetime.now() + timedelta(days=1))
    )
    rng = random.Random(3)
    ctx.data["batches"] = [
        {
            "parcels": [
                {
                    "reference": f"API-{b}-{i:05d}",
                    "service": "STD",
                    "recipient": {
                        "name": f"Bench Recipient {i % 500}",
                        "phone": f"+2126{(b * BATCH + i) % 100_000_000:08d}",
                        "street": f"{i % 90 + 1} Boulevard Zerktouni",
                        "city": "Casablanca",
                        "zip": f"20{i % 100:03d}",
                        "country": "MA",
                    },
                    "weight": round(rng.uniform(0.2, 25.0), 2),
                    "cod_amount": rng.choice([0, 150, 299, 450]),
                }
                for i in range(BATCH)
            ]
        }
        for b in range(max(1, ctx.size // BATCH))
    ]
    ctx.commit()
    ctx.data["url"] = ctx.http_server(workers=2)


def _run_parcels_api(ctx):
    """POST /api/tms/v1/parcels with batches of 1,000, two clients for two workers."""
    url, key, batches = ctx.data["url"], ctx.data["key"], ctx.data["batches"]

    def post(i):
        response = ctx.http_session().post(
            f"{url}/api/tms/v1/parcels",
            json=batches[i],
            headers={
                "Authorization": f"Bearer {key}",
                "Idempotency-Key": f"bench-{i}",
            },
            timeout=600,
        )
        if response.status_code != 201:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")

    latencies = ctx.concurrent(post, n_workers=2, n_calls=len(batches))
    return {
        "count": len(latencies) * BATCH,
        "latencies": latencies,
        "note": f"{len(batches)} calls of {BATCH} parcels, 2 clients; per call:",
    }


BENCHMARKS = [
    Benchmark(
        name="parcels_orm",
        size=10_000,
        target="< 60 s",
        max_seconds=60,
        setup=_setup_parcels_orm,
        run=_run_parcels_orm,
        description=_run_parcels_orm.__doc__,
    ),
    Benchmark(
        name="parcels_api",
        size=10_000,
        target="< 60 s",
        max_seconds=60,
        commit=True,
        setup=_setup_parcels_api,
        run=_run_parcels_api,
        description=_run_parcels_api.__doc__,
    ),
    Benchmark(
        name="events_orm",
        size=100_000,
        setup=_setup_events_orm,
        run=_run_events_orm,
        description=_run_events_orm.__doc__,
    ),
    Benchmark(
        name="parcel_lookup_http",
        size=2_000,
        target="p95 < 150 ms",
        note="20 clients, 2 workers:",
        commit=True,
        setup=_setup_parcel_lookup_http,
        run=_run_parcel_lookup_http,
        description=_run_parcel_lookup_http.__doc__,
    ),
]
