"""The driver app's queue: a day of actions made without network, sent in one call.

The phone keeps every action (delivered with the receiver's name and the cash
collected, or failed with a reason) and sends them in order when the network is back;
the server applies them one by one, each in its own savepoint
(``tms.driver.app.sync``). Targets come from DESIGN.md; shown, never enforced.
"""

import time
import uuid
from datetime import datetime, timedelta, timezone

from . import Benchmark
from .bench_parcels import (
    _create_parcels,
    _parcel_vals,
    _prepare_company,
    _prepare_partners,
)

DRIVER = "tms_bench_driver"
PARCELS_PER_STOP = 3
# every tenth action is a failed delivery, every third parcel is cash on delivery
FAIL_EVERY = 10
COD_EVERY = 3


def _setup_driver_sync(ctx):
    env = ctx.env
    company = _prepare_company(env)
    hub = env["tms.hub"].search(
        [("code", "=", "BENCH"), ("company_id", "=", company.id)], limit=1
    ) or env["tms.hub"].create(
        {"name": "Bench Hub", "code": "BENCH", "company_id": company.id}
    )
    shippers, recipients = _prepare_partners(env, company, count=20)
    vals_list = _parcel_vals(env, company, shippers, recipients, ctx.size, seed=13)
    for i, vals in enumerate(vals_list):
        vals.update(state="confirmed", cod_amount=100.0 if i % COD_EVERY == 0 else 0.0)
    parcels = _create_parcels(env, vals_list)
    start = max(parcels.mapped("last_event_date")) + timedelta(seconds=1)
    env["tms.parcel.event"]._record(
        [
            {
                "parcel_id": parcel.id,
                "state": state,
                "hub_id": hub.id if state == "at_hub" else False,
                "event_date": start + timedelta(seconds=step),
            }
            for step, state in enumerate(("picked_up", "at_hub"))
            for parcel in parcels
        ]
    )
    driver = env["res.users"].search([("login", "=", DRIVER)]) or env[
        "res.users"
    ].create(
        {
            "name": "TMS Benchmark Driver",
            "login": DRIVER,
            "company_id": company.id,
            "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, [env.ref("tms_core.group_tms_driver").id])],
        }
    )
    vehicle = env["fleet.vehicle"].create(
        {
            "model_id": env["fleet.vehicle.model"]
            .create(
                {
                    "name": "Bench Van",
                    "brand_id": env["fleet.vehicle.model.brand"]
                    .create({"name": "Bench"})
                    .id,
                }
            )
            .id,
            "company_id": company.id,
        }
    )
    tms_round = env["tms.round"].create(
        {
            "company_id": company.id,
            "hub_id": hub.id,
            "vehicle_id": vehicle.id,
            "driver_id": driver.id,
        }
    )
    stops = env["tms.round.stop"].create(
        [
            {"round_id": tms_round.id, "sequence": i, "contact_name": f"Stop {i}"}
            for i in range(0, len(parcels), PARCELS_PER_STOP)
        ]
    )
    for index, stop in enumerate(stops):
        first = index * PARCELS_PER_STOP
        parcels[first : first + PARCELS_PER_STOP].round_stop_id = stop
    tms_round.action_plan()
    App = env["tms.driver.app"].with_user(driver)
    now = datetime.now(timezone.utc)
    App.sync(
        [
            {
                "type": "start",
                "key": str(uuid.uuid4()),
                "round_id": tms_round.id,
                "parcel_ids": parcels.ids,
                "device_time": now.isoformat(),
            }
        ]
    )
    reason = env.ref("tms_core.tms_failure_reason_absent")
    actions = []
    for i, parcel in enumerate(parcels):
        action = {
            "key": str(uuid.uuid4()),
            "parcel_id": parcel.id,
            "device_time": (now + timedelta(seconds=i + 1)).isoformat(),
            "latitude": 33.57,
            "longitude": -7.59,
        }
        if i % FAIL_EVERY == FAIL_EVERY - 1:
            action.update(type="fail", reason_id=reason.id, next_step="retry")
        else:
            action.update(type="deliver", receiver_name=f"Receiver {i}")
            if parcel.cod_amount:
                action["cod"] = {"amount": parcel.cod_amount, "method": "cash"}
        actions.append(action)
    ctx.data.update(app=App, actions=actions, parcel_ids=parcels.ids)


def _run_driver_sync(ctx):
    """300 actions queued offline (deliveries, a tenth failed, a third with cash)
    synced in one call; then the same call again, as after a lost answer."""
    App, actions = ctx.data["app"], ctx.data["actions"]
    started = time.perf_counter()
    results = App.sync(actions)["results"]
    first = time.perf_counter() - started
    again = App.sync(actions)["results"]
    second = time.perf_counter() - started - first
    ok = sum(1 for r in results if r["status"] == "ok")
    replayed = sum(1 for r in again if r["status"] == "replayed")
    ctx.cr.execute(
        """SELECT count(*) FROM tms_parcel_event
            WHERE parcel_id = ANY(%s) AND state IN ('delivered', 'failed')""",
        [ctx.data["parcel_ids"]],
    )
    (events,) = ctx.cr.fetchone()
    return {
        "count": len(actions),
        "note": f"first call {first:.1f} s, applied {ok}/{len(actions)}; resent "
        f"{second:.1f} s, replayed {replayed}; events {events};",
        "target_met": ok == len(actions)
        and replayed == len(actions)
        and events == len(actions),
    }


BENCHMARKS = [
    Benchmark(
        name="driver_sync",
        size=300,
        target="each action applied once",
        setup=_setup_driver_sync,
        run=_run_driver_sync,
        description=_run_driver_sync.__doc__,
    ),
]
