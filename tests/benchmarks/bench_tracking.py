"""The public tracking page: what customers following their parcels do to the server.

The design's data set (100,000 parcels with 1,000,000 tracking events) is made in SQL
from one parcel and its ten events created through the ORM: every column, those of
modules added later included, is copied from that template, so the rows are what the
ORM would write. It is kept between runs (the lookups only read it): a second run on
the same database reuses it, or tops it up.

Targets come from DESIGN.md ("Non-functional targets"); they are shown, never enforced.
"""

import random
import threading
import time
from datetime import timedelta
from unittest.mock import patch

from . import Benchmark, Latencies
from .bench_parcels import _prepare_company

PARCELS = 100_000
EVENTS_PER_PARCEL = 10
CLIENTS = 50
# Seconds a visitor of the paced run reads a page before the next lookup, on average.
THINK_SECONDS = 1.0
REFERENCE_PREFIX = "TRACKBENCH-"
# Serials of the data set's S10 numbers: far from the ones the sequences give.
SERIAL_BASE = 60_000_000
INDICATOR = "BM"
CHUNK = 10_000
HUB_CITIES = ["Casablanca", "Rabat", "Marrakech", "Tanger", "Agadir"]
# Ten events: a parcel that went through three hubs and needed two delivery attempts.
JOURNEY = [
    "picked_up",
    "at_hub",
    "in_transit",
    "at_hub",
    "at_hub",
    "out_for_delivery",
    "failed",
    "out_for_delivery",
    "delivered",
]


def _hubs(env, company):
    Hub = env["tms.hub"]
    hubs = Hub.browse()
    for i, city in enumerate(HUB_CITIES):
        code = f"TB{i}"
        hub = Hub.search([("code", "=", code), ("company_id", "=", company.id)])
        if not hub:
            partner = env["res.partner"].create({"name": f"{city} Hub", "city": city})
            hub = Hub.create(
                {
                    "name": f"{city} Hub",
                    "code": code,
                    "company_id": company.id,
                    "partner_id": partner.id,
                }
            )
        hubs |= hub
    return hubs


def _number(tn, serial, country):
    return tn.s10_make(INDICATOR, SERIAL_BASE + serial, country)


def _template(env, company, hubs):
    """The data set's first parcel, made by the ORM with its ten events."""
    from odoo.addons.tms_core.tools import tracking_number as tn

    reference = f"{REFERENCE_PREFIX}{0:07d}"
    parcel = env["tms.parcel"].search([("client_reference", "=", reference)])
    if parcel:
        return parcel
    recipient = env["res.partner"].create(
        {
            "name": "Bench Track Recipient",
            "street": "1 Rue Ibnou Mounir",
            "zip": "20250",
            "city": "Casablanca",
            "country_id": company.country_id.id,
            "mobile": "0612345678",
        }
    )
    service = env.ref("tms_core.tms_service_standard", raise_if_not_found=False)
    start = env.cr.now().replace(microsecond=0) - timedelta(days=3)
    parcel = env["tms.parcel"].create(
        {
            "company_id": company.id,
            "tracking_number": _number(tn, 0, company._tms_s10_country_code()),
            "client_reference": reference,
            "recipient_id": recipient.id,
            "service_id": service.id if service else False,
            "weight": 2.5,
            "state": "confirmed",
            "date_shipping": start,
        }
    )
    failure = env["tms.failure.reason"].search([], limit=1)
    for step, state in enumerate(JOURNEY, start=1):
        vals = {"event_date": start + timedelta(hours=4 * step), "source": "scan"}
        if state in ("at_hub", "in_transit", "out_for_delivery"):
            vals["hub_id"] = hubs[step % len(hubs)].id
        if state == "failed" and failure:
            vals["failure_reason_id"] = failure.id
        parcel._set_state(state, **vals)
    assert len(parcel.event_ids) == EVENTS_PER_PARCEL, parcel.event_ids
    return parcel


def _columns(cr, table):
    cr.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    return cr.fetchall()


def _copy_select(columns, alias, overrides, shift):
    """The SELECT list copying ``alias``'s row, with ``overrides`` (column: SQL) and
    every timestamp moved back by the SQL interval ``shift``."""
    parts = []
    for name, data_type in columns:
        if name in overrides:
            parts.append(overrides[name])
        elif data_type.startswith("timestamp"):
            parts.append(f'{alias}."{name}" - {shift}')
        else:
            parts.append(f'{alias}."{name}"')
    return ", ".join(parts)


def _insert_parcels(env, template, hubs, start, stop):
    """Parcels ``start`` to ``stop - 1`` of the data set, copies of the template with
    their own tracking number, access token, reference, dates and hub; then their
    events, copies of the template's."""
    import uuid

    from odoo.addons.tms_core.tools import tracking_number as tn

    cr = env.cr
    country = template.company_id._tms_s10_country_code()
    parcel_columns = _columns(cr, "tms_parcel")
    event_columns = _columns(cr, "tms_parcel_event")
    hub_ids = hubs.ids
    # a parcel shipped between 0 and 29 days before the template, hubs in turn
    shift = "make_interval(days => mod(g.i, 30))"
    parcel_select = _copy_select(
        parcel_columns,
        "t",
        {
            "tracking_number": "g.num",
            "access_token": "g.token",
            "client_reference": f"'{REFERENCE_PREFIX}' || lpad(g.i::text, 7, '0')",
            "hub_id": f"(ARRAY{hub_ids})[1 + mod(g.i, {len(hub_ids)})]",
        },
        shift,
    )
    names = ", ".join(f'"{name}"' for name, _type in parcel_columns)
    event_names = ", ".join(f'"{name}"' for name, _type in event_columns)
    event_select = _copy_select(
        event_columns,
        "e",
        {
            "parcel_id": "p.id",
            "idempotency_key": "NULL",
            "hub_id": (
                f"CASE WHEN e.hub_id IS NULL THEN NULL "
                f"ELSE (ARRAY{hub_ids})[1 + mod(p.id + e.id, {len(hub_ids)})] END"
            ),
        },
        "make_interval(days => mod(p.id, 30))",
    )
    for chunk_start in range(start, stop, CHUNK):
        serials = list(range(chunk_start, min(chunk_start + CHUNK, stop)))
        cr.execute(
            f"""
            INSERT INTO tms_parcel ({names})
            SELECT {parcel_select}
              FROM tms_parcel t,
                   unnest(%s::int[], %s::text[], %s::text[]) AS g(i, num, token)
             WHERE t.id = %s
            RETURNING id
            """,
            [
                serials,
                [_number(tn, i, country) for i in serials],
                [str(uuid.uuid4()) for _i in serials],
                template.id,
            ],
        )
        new_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            f"""
            INSERT INTO tms_parcel_event ({event_names})
            SELECT {event_select}
              FROM tms_parcel p
              JOIN tms_parcel_event e ON e.parcel_id = %s
             WHERE p.id = ANY(%s)
            """,
            [template.id, new_ids],
        )


def _setup_track_page_http(ctx):
    env = ctx.env
    company = _prepare_company(env)
    hubs = _hubs(env, company)
    template = _template(env, company, hubs)
    n_parcels = ctx.scaled(PARCELS)
    cr = env.cr
    cr.execute(
        "SELECT count(*) FROM tms_parcel WHERE client_reference LIKE %s",
        [f"{REFERENCE_PREFIX}%"],
    )
    existing = cr.fetchone()[0]
    if existing < n_parcels:
        _insert_parcels(env, template, hubs, existing, n_parcels)
        env.invalidate_all()
        cr.execute("ANALYZE tms_parcel")
        cr.execute("ANALYZE tms_parcel_event")
    cr.execute(
        "SELECT count(*) FROM tms_parcel_event e JOIN tms_parcel p "
        "ON p.id = e.parcel_id WHERE p.client_reference LIKE %s",
        [f"{REFERENCE_PREFIX}%"],
    )
    events = cr.fetchone()[0]
    rng = random.Random(7)
    cr.execute(
        "SELECT tracking_number, access_token FROM tms_parcel "
        "WHERE client_reference LIKE %s AND client_reference <= %s",
        [f"{REFERENCE_PREFIX}%", f"{REFERENCE_PREFIX}{n_parcels - 1:07d}"],
    )
    rows = cr.fetchall()
    lookups = rng.sample(rows, min(len(rows), 5000))
    # count the lookups as in production, but never refuse one: all clients share
    # one address here
    env["ir.config_parameter"].set_param("tms_core.track_lookups_per_minute", 10**9)
    ctx.data.update(
        lookups=lookups,
        plans=_plans(env, lookups[0]),
        dataset=f"{max(existing, n_parcels)} parcels, " f"{events} events",
    )
    # The server runs in another process: it reads committed data only.
    ctx.commit()
    ctx.data["url"] = ctx.http_server(workers=2)


def _plans(env, lookup):
    """The query plans of the page's lookups (as the ORM writes them) and of its
    timeline."""
    number, token = lookup
    Parcel = env["tms.parcel"].sudo()
    plans = {}
    for name, domain in (
        ("by_number", [("tracking_number", "=", number)]),
        ("by_token", [("access_token", "=", token)]),
    ):
        query = Parcel._search(domain, limit=1)
        sql = query.select()
        env.cr.execute(f"EXPLAIN {sql.code}", sql.params)
        plans[name] = [row[0] for row in env.cr.fetchall()]
    parcel = Parcel.search([("tracking_number", "=", number)])
    # the timeline's query, as the page runs it
    with patch.object(env.cr, "execute", wraps=env.cr.execute) as execute:
        parcel._tms_public_events()
    sql = execute.call_args.args[0]
    env.cr.execute(f"EXPLAIN {sql.code}", sql.params)
    plans["events"] = [row[0] for row in env.cr.fetchall()]
    return plans


def _index_used(plan):
    """Whether a plan reads the parcels and their events through indexes (small
    tables such as hubs may be scanned)."""
    return bool(plan) and not any("Seq Scan on tms_parcel" in line for line in plan)


def _lookup(ctx, i):
    """One lookup, by number or by token (half each); returns its seconds."""
    url, lookups = ctx.data["url"], ctx.data["lookups"]
    number, token = lookups[i % len(lookups)]
    path = f"/track/{token}" if i % 2 else f"/track?number={number}"
    start = time.perf_counter()
    # one connection per page, as a reverse proxy opens them to Odoo's workers: a
    # prefork worker kept by an idle keep-alive connection serves nobody else
    response = ctx.http_session().get(
        url + path, headers={"Connection": "close"}, timeout=60
    )
    elapsed = time.perf_counter() - start
    if response.status_code != 200 or number not in response.text:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return elapsed


def _result(ctx, latencies, mode):
    plans = ctx.data["plans"]
    indexes = ", ".join(
        f"{name}: {'index' if _index_used(plan) else 'NO INDEX'}"
        for name, plan in plans.items()
    )
    # Odoo's prefork server listens with a backlog of 8 connections per worker: a
    # connection beyond it waits for the client's TCP retry, a second or more later
    retried = sum(1 for seconds in latencies if seconds >= 1.0)
    return {
        "latencies": latencies,
        "note": f"{ctx.data['dataset']}; {CLIENTS} clients {mode}, 2 workers; "
        f"{indexes}; {retried} calls over 1 s;",
        "calls_over_1s": retried,
        "target_met": bool(latencies)
        and not latencies.errors
        and latencies.p95 < 0.100,
        "plans": plans,
        "dataset": ctx.data["dataset"],
    }


def _run_track_page_http(ctx):
    """GET /track?number=... and /track/<token> (half each), 50 clients flat out."""
    # every client opens its connection (and gets its session cookie) first
    ctx.concurrent(lambda i: _lookup(ctx, i), n_workers=CLIENTS, n_calls=CLIENTS)
    latencies = ctx.concurrent(
        lambda i: _lookup(ctx, i), n_workers=CLIENTS, n_calls=ctx.size
    )
    return _result(ctx, latencies, "without pause")


def _run_track_page_http_paced(ctx):
    """The same lookups from 50 visitors who read each page about a second."""
    rng = random.Random(11)
    pauses = [rng.expovariate(1 / THINK_SECONDS) for _i in range(ctx.size)]
    measured, lock = [], threading.Lock()

    def visit(i):
        time.sleep(pauses[i])  # reading the previous page: not measured
        elapsed = _lookup(ctx, i)
        with lock:
            measured.append(elapsed)

    ctx.concurrent(lambda i: _lookup(ctx, i), n_workers=CLIENTS, n_calls=CLIENTS)
    batch = ctx.concurrent(visit, n_workers=CLIENTS, n_calls=ctx.size)
    latencies = Latencies(measured, errors=batch.errors, wall_time=batch.wall_time)
    return _result(ctx, latencies, f"pausing {THINK_SECONDS:g} s on average")


BENCHMARKS = [
    Benchmark(
        name="track_page_http",
        size=5_000,
        target="p95 < 100 ms",
        commit=True,
        setup=_setup_track_page_http,
        run=_run_track_page_http,
        description=_run_track_page_http.__doc__,
    ),
    Benchmark(
        name="track_page_http_paced",
        size=3_000,
        target="p95 < 100 ms",
        commit=True,
        setup=_setup_track_page_http,
        run=_run_track_page_http_paced,
        description=_run_track_page_http_paced.__doc__,
    ),
]
