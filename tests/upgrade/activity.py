"""A day of activity on a database installed from an older revision of the modules.

Run by "./tms test-upgrade" inside ``odoo-bin shell`` with the code of that revision::

    from tests.upgrade import activity
    activity.run(env)

so it calls only long-standing APIs (``tms.scan.scan``, ``tms.label.batch.
_tms_create_batch``, ``tms.return._tms_ec_request``, ``tms.api.request._tms_run_once``)
and checks that each model, field and method exists before using it: what the old
revision lacks is skipped and said so. Each part runs in a savepoint; a part that fails
is reported and the others go on. The work is committed at the end.
"""

import json
import traceback
import uuid
from contextlib import contextmanager

PARCEL_COUNT = 8
NOTE = "upgrade test"


class Activity:
    def __init__(self, env):
        self.env = env
        self.report = []  # (part, "done"/"skipped"/"FAILED", detail)
        self.operator = self._user("operator") or self.env.ref("base.user_admin")
        self.admin = self.env.ref("base.user_admin")
        self.company = self.operator.company_id
        self.parcels = self.env["tms.parcel"]

    # ------------------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------------------
    def has(self, model, *field_names, method=None):
        """Whether ``model`` exists with these fields (and method)."""
        if model not in self.env:
            return False
        records = self.env[model]
        if any(name not in records._fields for name in field_names):
            return False
        return method is None or hasattr(records, method)

    def keep(self, model, vals):
        """``vals`` without the fields ``model`` does not have at this revision."""
        fields = self.env[model]._fields
        return {key: value for key, value in vals.items() if key in fields}

    def _user(self, login):
        return self.env["res.users"].search([("login", "=", login)], limit=1)

    @contextmanager
    def part(self, name):
        try:
            with self.env.cr.savepoint():
                yield
        except Skip as skip:
            self.report.append((name, "skipped", str(skip)))
        except Exception as error:  # noqa: BLE001 - reported, the other parts go on
            detail = "".join(traceback.format_exception_only(error)).strip()
            self.report.append((name, "FAILED", detail))
            traceback.print_exc()

    def done(self, name, detail):
        self.report.append((name, "done", detail))

    # ------------------------------------------------------------------------------
    # the day
    # ------------------------------------------------------------------------------
    def run(self):
        with self.part("parcels"):
            self.new_parcels()
        with self.part("scans"):
            self.scans()
        with self.part("label batches and print jobs"):
            self.label_batches()
        with self.part("return"):
            self.customer_return()
        with self.part("webhook deliveries"):
            self.webhook_deliveries()
        with self.part("notification logs"):
            self.notification_logs()
        with self.part("API requests"):
            self.api_requests()
        with self.part("rate limits"):
            self.rate_limits()
        self.env.cr.commit()
        for name, status, detail in self.report:
            print(f"    {status:8} {name}: {detail}")
        return [row for row in self.report if row[1] == "FAILED"]

    def new_parcels(self):
        """Copies of a demo parcel of the operator's company, confirmed."""
        Parcel = self.env["tms.parcel"].with_context(tms_event_source="manual")
        model = Parcel.search(
            [("company_id", "=", self.company.id), ("partner_id", "!=", False)]
            if "partner_id" in Parcel._fields
            else [("company_id", "=", self.company.id)],
            order="id",
            limit=1,
        )
        if not model:
            raise Skip(f"no parcel of {self.company.name} to copy")
        parcels = Parcel
        for _index in range(PARCEL_COUNT):
            parcels |= model.copy()
        if self.has("tms.parcel.line", "parcel_id", "name", "quantity"):
            product = self.env["product.product"].search([], order="id", limit=1)
            for parcel in parcels.filtered(lambda p: not p.line_ids):
                self.env["tms.parcel.line"].create(
                    self.keep(
                        "tms.parcel.line",
                        {
                            "parcel_id": parcel.id,
                            "product_id": product.id,
                            "name": product.display_name or "Item",
                            "quantity": 2.0,
                        },
                    )
                )
        parcels.filtered(lambda p: p.state == "draft").action_confirm()
        self.parcels = parcels
        self.done("parcels", f"{len(parcels)} copies of {model.display_name}")

    def scans(self):
        if not self.has("tms.scan", method="scan") or not self.parcels:
            raise Skip("no tms.scan.scan or no parcels")
        Scan = self.env["tms.scan"].with_user(self.operator).with_company(self.company)
        hub = self.env["tms.hub"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        driver_group = self.env.ref("tms_core.group_tms_driver", False)
        driver = (
            driver_group.users if driver_group else self.env["res.users"]
        ).filtered(lambda u: self.company in u.company_ids)[:1]
        reason = self.env["tms.failure.reason"].search([], limit=1)
        p = self.parcels
        plan = [
            ("pickup", p, {}),
            ("arrival", p[1:], {"hub_id": hub.id}),
            ("loaded", p[2:], {"driver_id": driver.id} if driver else {}),
            ("delivered", p[2:5], {}),
            ("failed", p[5:6], {"failure_reason_id": reason.id, "note": NOTE}),
        ]
        statuses = {}
        for operation, parcels, options in plan:
            for parcel in parcels:
                result = Scan.scan(
                    parcel.tracking_number,
                    operation,
                    dict(options, idempotency_key=str(uuid.uuid4())),
                )
                key = f"{operation}:{result.get('status')}"
                statuses[key] = statuses.get(key, 0) + 1
        self.parcels.invalidate_recordset()
        states = {}
        for parcel in self.parcels:
            states[parcel.state] = states.get(parcel.state, 0) + 1
        self.done("scans", f"results {statuses}; parcels now {states}")

    def label_batches(self):
        if not self.has("tms.label.batch", method="_tms_create_batch"):
            raise Skip("no tms.label.batch._tms_create_batch")
        parcels = self.parcels or self.env["tms.parcel"].search(
            [("company_id", "=", self.company.id)], limit=4
        )
        Batch = (
            self.env["tms.label.batch"]
            .with_user(self.operator)
            .with_company(self.company)
        )
        batches = Batch._tms_create_batch(parcels[:4], "zpl")
        printer = self.env["tms.printer"].search(
            [("company_id", "=", self.company.id), ("connection", "=", "download")],
            limit=1,
        ) or self.env["tms.printer"].create(
            self.keep(
                "tms.printer",
                {
                    "name": "Upgrade test printer",
                    "company_id": self.company.id,
                    "language": "zpl",
                    "connection": "download",
                },
            )
        )
        batches |= Batch._tms_create_batch(parcels, "zpl", printer=printer)
        batches |= Batch._tms_create_batch(parcels[:2], "pdf")
        jobs = batches.job_ids if "job_ids" in batches._fields else ()
        self.done(
            "label batches and print jobs",
            f"{len(batches)} batches ({', '.join(batches.mapped('state'))}), "
            f"{len(jobs)} print jobs",
        )

    def customer_return(self):
        if not self.has("tms.return", method="_tms_ec_request"):
            raise Skip("no tms.return (tms_ec) at this revision")
        parcel = self.parcels.filtered(lambda p: p.state == "delivered" and p.line_ids)[
            :1
        ]
        if not parcel:
            raise Skip("no delivered parcel with items")
        Reason = self.env["tms.return.reason"]
        reasons = (
            Reason._tms_ec_available(parcel.company_id)
            if hasattr(Reason, "_tms_ec_available")
            else Reason.search([])
        )
        line = parcel.line_ids[0]
        ret = self.env["tms.return"]._tms_ec_request(
            parcel,
            [{"parcel_line_id": line.id, "quantity": 1.0, "reason_id": reasons[0].id}],
            NOTE,
        )
        if ret.state not in ("approved", "refused") and hasattr(ret, "action_approve"):
            ret.action_approve()
        self.done("return", f"{ret.name} ({ret.state})")

    def webhook_deliveries(self):
        if not self.has("tms.webhook.delivery", "webhook_id", "event_uuid"):
            raise Skip("no tms.webhook.delivery")
        webhook = (
            self.env["tms.webhook"]
            .with_context(active_test=False)
            .search([], order="id", limit=1)
        )
        if not webhook:
            trigger = self.env["tms.notification.trigger"].search([], limit=1)
            webhook = self.env["tms.webhook"].create(
                self.keep(
                    "tms.webhook",
                    {
                        "name": "Upgrade test",
                        "company_id": self.company.id,
                        "url": "https://hooks.example.com/tms",
                        "trigger_ids": [(6, 0, trigger.ids)],
                    },
                )
            )
        parcel = self.parcels[:1]
        rows = [("success", 200, False), ("failed", 503, "Service Unavailable")]
        rows.append(("skipped", 0, "webhook disabled"))
        deliveries = self.env["tms.webhook.delivery"]
        for attempt, (state, status, error) in enumerate(rows, start=1):
            event_uuid = str(uuid.uuid4())
            deliveries |= deliveries.create(
                self.keep(
                    "tms.webhook.delivery",
                    {
                        "webhook_id": webhook.id,
                        "company_id": webhook.company_id.id,
                        "parcel_id": parcel.id,
                        "event_uuid": event_uuid,
                        "event_type": "parcel.state_changed",
                        "payload": json.dumps({"id": event_uuid, "note": NOTE}),
                        "attempt": attempt,
                        "state": state,
                        "status_code": status,
                        "response_excerpt": "ok" if status == 200 else error,
                        "duration_ms": 40 * attempt,
                        "error": error,
                    },
                )
            )
        self.done("webhook deliveries", f"{len(deliveries)} on {webhook.name}")

    def notification_logs(self):
        if not self.has("tms.notification.log", "parcel_id", "channel", "state"):
            raise Skip("no tms.notification.log")
        parcel = self.parcels[:1] or self.env["tms.parcel"].search([], limit=1)
        logs = self.env["tms.notification.log"]
        for channel, state, address in (
            ("email", "sent", "customer@example.com"),
            ("sms", "failed", "+212600000000"),
        ):
            logs |= logs.create(
                self.keep(
                    "tms.notification.log",
                    {
                        "company_id": parcel.company_id.id,
                        "parcel_id": parcel.id,
                        "channel": channel,
                        "audience": "recipient",
                        "address": address,
                        "subject": NOTE,
                        "body": NOTE,
                        "state": state,
                        "attempt_count": 1,
                        "error": "gateway down" if state == "failed" else False,
                    },
                )
            )
        self.done("notification logs", f"{len(logs)} logs")

    def api_requests(self):
        if not self.has("tms.api.request", method="_tms_run_once"):
            raise Skip("no tms.api.request._tms_run_once")
        Request = self.env["tms.api.request"].with_user(self.admin)
        answers = []
        keys = [str(uuid.uuid4()) for _index in range(3)]
        for key in [*keys, keys[0]]:  # the last one is a retry
            request_hash = Request._tms_request_hash("create_parcel", {"key": key})
            answer = Request._tms_run_once(
                key, request_hash, lambda: (201, json.dumps({"note": NOTE}))
            )
            answers.append(answer[0])
        self.done("API requests", f"{len(keys)} requests, answers {answers}")

    def rate_limits(self):
        """Windows of the tracking page's and the API's rate limiters (each counted
        in a cursor of its own, committed at once)."""
        hits = []
        Track = self.env.get("tms.track.rate")
        if Track is not None and hasattr(Track, "_tms_hit"):
            for _index in range(3):
                Track._tms_hit("lookup", "203.0.113.7", 30, 60)
            hits.append("3 tracking page lookups")
        Limit = self.env.get("tms.api.rate.limit")
        if (
            Limit is not None
            and hasattr(Limit, "_tms_hit")
            and "tms_api_rate_limit" in self.company._fields
        ):
            self.company.sudo().tms_api_rate_limit = 600
            Limit.with_user(self.admin)._tms_hit("", self.company)
            hits.append("1 API request")
        if not hits:
            raise Skip("no rate limiter known to this script")
        self.done("rate limits", ", ".join(hits))


class Skip(Exception):
    """A part that this revision cannot run."""


def run(env):
    return Activity(env).run()
