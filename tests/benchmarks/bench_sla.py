"""SLAs of tms_3pl: states recomputed for a large parcel base, what the SLA hooks add
to recording a scan, and the SLA map of a large parcel base.

Skipped (with a note) on a database without ``tms_3pl``. Targets come from the
issue: under 60 s for 100,000 parcels with 1,000,000 events, under 2 ms per event.
"""

import time
from datetime import timedelta
from unittest.mock import patch

from . import Benchmark
from .bench_parcels import (
    _create_parcels,
    _parcel_vals,
    _prepare_company,
    _prepare_partners,
)

EVENTS_PER_PARCEL = 10
# one parcel in PAUSE_EVERY had a failed delivery whose reason stops the clock
PAUSE_EVERY = 10
SEED_PARCELS = 1_000
CHUNK = 10_000


def _installed(env):
    return "tms.sla.policy" in env


def _prepare_policy(env, company):
    return env["tms.sla.policy"].create(
        {"name": "Bench J+1", "company_id": company.id, "delay": 1, "cutoff_time": 14}
    )


def _clone_parcels(cr, seed_ids, total):
    """Copy the seed parcels' rows in SQL until there are ``total`` of them, with
    tracking numbers made unique."""
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'tms_parcel' AND column_name != 'id'
        """
    )
    columns = [row[0] for row in cr.fetchall()]
    # handed over over the last 30 days: on track, at risk and breached parcels
    special = {
        "tracking_number": "p.tracking_number || '-' || g",
        "date_shipping": "p.date_shipping - (g %% 30) * interval '1 day'",
    }
    exprs = [special.get(col, f"p.{col}") for col in columns]
    copies = -(-(total - len(seed_ids)) // len(seed_ids))
    cr.execute(
        f"""
        INSERT INTO tms_parcel ({", ".join(columns)})
        SELECT {", ".join(exprs)}
          FROM tms_parcel p, generate_series(1, %s) g
         WHERE p.id = ANY(%s)
         LIMIT %s
        RETURNING id
        """,  # noqa: S608 (column names from the catalogue)
        [copies, seed_ids, total - len(seed_ids)],
    )
    return seed_ids + [row[0] for row in cr.fetchall()]


def _insert_events(cr, parcel_ids, reason_id):
    """EVENTS_PER_PARCEL applied events a parcel, an hour apart; one parcel in
    PAUSE_EVERY has a failed attempt with a reason pausing the clock."""
    cr.execute(
        """
        INSERT INTO tms_parcel_event
               (parcel_id, company_id, state, source, event_date, record_date,
                is_applied, failure_reason_id)
        SELECT p.id, p.company_id,
               CASE WHEN g = 5 AND p.id %% %(every)s = 0 THEN 'failed'
                    ELSE 'at_hub' END,
               'system', p.date_shipping + g * interval '1 hour',
               p.date_shipping + g * interval '1 hour', TRUE,
               CASE WHEN g = 5 AND p.id %% %(every)s = 0 THEN %(reason)s END
          FROM tms_parcel p, generate_series(1, %(n)s) g
         WHERE p.id = ANY(%(ids)s)
        """,
        {
            "every": PAUSE_EVERY,
            "reason": reason_id,
            "n": EVENTS_PER_PARCEL,
            "ids": parcel_ids,
        },
    )
    cr.execute(
        "UPDATE tms_parcel SET sla_has_pause = TRUE"
        " WHERE id = ANY(%s) AND id %% %s = 0",
        [parcel_ids, PAUSE_EVERY],
    )


# --------------------------------------------------------------------------------------
# sla_recompute: SLA states of 100,000 parcels with 1,000,000 events
# --------------------------------------------------------------------------------------
def _setup_sla_recompute(ctx):
    env = ctx.env
    if not _installed(env):
        ctx.data["skip"] = True
        return
    company = _prepare_company(env)
    _prepare_policy(env, company)
    shippers, recipients = _prepare_partners(env, company)
    vals_list = _parcel_vals(
        env, company, shippers, recipients, min(SEED_PARCELS, ctx.size)
    )
    for vals in vals_list:
        vals["state"] = "confirmed"
    seeds = _create_parcels(env, vals_list)
    env.flush_all()
    ids = _clone_parcels(env.cr, seeds.ids, ctx.size)
    reason = env.ref("tms_core.tms_failure_reason_absent")
    _insert_events(env.cr, ids, reason.id)
    env.invalidate_all()
    ctx.data["ids"] = ids


def _run_sla_recompute(ctx):
    """Recompute the SLA (due time, at-risk time, pauses from the events, state) of
    every parcel, by chunks of 10,000."""
    if ctx.data.get("skip"):
        return {"count": 0, "note": "tms_3pl not installed: skipped"}
    env = ctx.env
    Parcel = env["tms.parcel"]
    ids = ctx.data["ids"]
    for start in range(0, len(ids), CHUNK):
        Parcel.browse(ids[start : start + CHUNK])._tms_sla_recompute()
        env.invalidate_all()
    env.cr.execute(
        """
        SELECT sla_state, count(*) FROM tms_parcel WHERE id = ANY(%s)
         GROUP BY sla_state ORDER BY sla_state
        """,
        [ids],
    )
    states = dict(env.cr.fetchall())
    env.cr.execute(
        "SELECT count(*) FROM tms_parcel_event WHERE parcel_id = ANY(%s)", [ids]
    )
    (events,) = env.cr.fetchone()
    return {
        "count": len(ids),
        "events": events,
        "states": states,
        "note": f"{events} events, {len(ids) // PAUSE_EVERY} parcels paused; "
        + ", ".join(f"{state} {count}" for state, count in states.items()),
    }


# --------------------------------------------------------------------------------------
# sla_scan_cost: an arrival scan with and without the SLA hooks
# --------------------------------------------------------------------------------------
def _setup_sla_scan_cost(ctx):
    env = ctx.env
    if not _installed(env):
        ctx.data["skip"] = True
        return
    company = _prepare_company(env)
    _prepare_policy(env, company)
    hub = env["tms.hub"].search(
        [("code", "=", "BENCH"), ("company_id", "=", company.id)], limit=1
    ) or env["tms.hub"].create(
        {"name": "Bench Hub", "code": "BENCH", "company_id": company.id}
    )
    zone = env["tms.zone"].create(
        {
            "name": "Bench Zone",
            "code": "BENCH-Z",
            "company_id": company.id,
            "country_id": company.country_id.id,
            "hub_id": hub.id,
        }
    )
    shippers, recipients = _prepare_partners(env, company, count=20)
    vals_list = _parcel_vals(env, company, shippers, recipients, ctx.size)
    for vals in vals_list:
        vals.update(state="confirmed", zone_id=zone.id)
    parcels = _create_parcels(env, vals_list)
    picked_up = max(parcels.mapped("last_event_date")) + timedelta(seconds=1)
    env["tms.parcel.event"]._record(
        [
            {"parcel_id": p.id, "state": "picked_up", "event_date": picked_up}
            for p in parcels
        ]
    )
    env.flush_all()
    ctx.data.update(numbers=parcels.mapped("tracking_number"), hub_id=hub.id)


def _run_sla_scan_cost(ctx):
    """Arrival scans at the destination hub through tms.scan.scan, in-process, one
    scan with the SLA hooks and the next one without, side by side."""
    if ctx.data.get("skip"):
        return {"count": 0, "note": "tms_3pl not installed: skipped"}
    from odoo.addons.tms_3pl.models.sla.tms_parcel_event import TmsParcelEvent

    def without_sla(self, events):
        return super(TmsParcelEvent, self)._apply_to_parcels(events)

    Scan = ctx.env["tms.scan"]
    times = {True: [], False: []}
    for i, number in enumerate(ctx.data["numbers"]):
        with_sla = i % 2 == 0
        options = {"hub_id": ctx.data["hub_id"], "idempotency_key": f"bench-sla-{i}"}
        if with_sla:
            start = time.perf_counter()
            result = Scan.scan(number, "arrival", options)
            elapsed = time.perf_counter() - start
        else:
            with patch.object(TmsParcelEvent, "_apply_to_parcels", without_sla):
                start = time.perf_counter()
                result = Scan.scan(number, "arrival", options)
                elapsed = time.perf_counter() - start
        if result["status"] != "ok":
            raise RuntimeError(f"{number}: {result['message']}")
        times[with_sla].append(elapsed)
    mean = {key: sum(values) / len(values) for key, values in times.items()}
    cost_ms = (mean[True] - mean[False]) * 1000
    return {
        "count": len(ctx.data["numbers"]),
        "with_sla_ms": round(mean[True] * 1000, 3),
        "without_sla_ms": round(mean[False] * 1000, 3),
        "cost_ms": round(cost_ms, 3),
        "note": f"per scan: {mean[True] * 1000:.2f} ms with the SLA hooks, "
        f"{mean[False] * 1000:.2f} ms without; SLA cost {cost_ms:.2f} ms per event",
        "target_met": cost_ms < 2,
    }


# --------------------------------------------------------------------------------------
# sla_map: the SLA map of 100,000 parcels due in the last 3 months, 20 zones
# --------------------------------------------------------------------------------------
MAP_ZONES = 20
MAP_STATES = ["met", "met", "met", "met_late", "breached", "on_track", "at_risk"]


def _setup_sla_map(ctx):
    """100,000 parcels with 1,100,000 events, spread over 20 zones, due over the
    last 80 days, in every SLA state; each delivered one has its delivery position
    near its zone's centre (as the drivers' phones record them)."""
    _setup_sla_recompute(ctx)
    if ctx.data.get("skip"):
        return
    env, cr = ctx.env, ctx.env.cr
    company = env.company
    zones = env["tms.zone"].create(
        [
            {
                "name": f"Bench zone {i}",
                "code": f"BENCH-{i}",
                "company_id": company.id,
                "country_id": company.country_id.id,
                "zip_prefixes": f"9{i:02d}",
            }
            for i in range(MAP_ZONES)
        ]
    )
    ids = ctx.data["ids"]
    cr.execute(
        """
        UPDATE tms_parcel p
           SET zone_id = (%(zones)s)[1 + p.id %% %(n)s],
               sla_date_due = now() at time zone 'UTC'
                              - (p.id %% 80) * interval '1 day',
               sla_state = (%(states)s)[1 + p.id %% %(k)s],
               sla_client_id = p.shipper_id
         WHERE p.id = ANY(%(ids)s)
        """,
        {
            "zones": zones.ids,
            "n": MAP_ZONES,
            "states": MAP_STATES,
            "k": len(MAP_STATES),
            "ids": ids,
        },
    )
    cr.execute(
        """
        INSERT INTO tms_parcel_event
               (parcel_id, company_id, state, source, event_date, record_date,
                is_applied, latitude, longitude)
        SELECT p.id, p.company_id, 'delivered', 'driver',
               p.sla_date_due - interval '2 hours',
               p.sla_date_due - interval '2 hours', TRUE,
               30 + (p.zone_id %% %(n)s) * 0.3 + random() * 0.2,
               -9 + (p.zone_id %% %(n)s) * 0.2 + random() * 0.2
          FROM tms_parcel p
         WHERE p.id = ANY(%(ids)s) AND p.sla_state IN ('met', 'met_late')
        """,
        {"n": MAP_ZONES, "ids": ids},
    )
    cr.execute("ANALYZE tms_parcel")
    cr.execute("ANALYZE tms_parcel_event")
    env.invalidate_all()


def _run_sla_map(ctx):
    """The SLA map's data over the last 3 months: each zone's figures (parcels
    due, on time, late, at risk, breached) and area (the hull of its delivery
    positions), as the dispatcher's browser asks for it."""
    if ctx.data.get("skip"):
        return {"count": 0, "note": "tms_3pl not installed: skipped"}
    data = ctx.env["tms.zone"].tms_sla_map_data("last_3_months")
    bench = [z for z in data["zones"] if z["code"].startswith("BENCH-")]
    parcels = sum(z["parcels"] for z in bench)
    drawn = sum(1 for z in bench if z["area_source"] == "deliveries")
    return {
        "count": parcels,
        "zones": len(bench),
        "note": f"{parcels} parcels in {len(bench)} zones, {drawn} drawn from "
        "their delivery positions",
    }


BENCHMARKS = [
    Benchmark(
        name="sla_recompute",
        size=100_000,
        target="< 60 s",
        max_seconds=60,
        setup=_setup_sla_recompute,
        run=_run_sla_recompute,
        description=_run_sla_recompute.__doc__,
    ),
    Benchmark(
        name="sla_scan_cost",
        size=2_000,
        target="< 2 ms per event",
        setup=_setup_sla_scan_cost,
        run=_run_sla_scan_cost,
        description=_run_sla_scan_cost.__doc__,
    ),
    Benchmark(
        name="sla_map",
        size=100_000,
        target="< 2 s",
        max_seconds=2,
        setup=_setup_sla_map,
        run=_run_sla_map,
        description=_run_sla_map.__doc__,
    ),
]
