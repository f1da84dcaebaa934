# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The one rate limiter of the suite: hits per subject counted in fixed windows.

Its callers decide what is counted and how much is allowed: the REST API counts the
requests of each API key per minute (``tms.api``), the public tracking page the lookups
of each visitor IP address per minute and the second-factor attempts on each parcel per
15 minutes (``tms.track.rate``).

A counter is one PostgreSQL row per key and window, incremented by one
``INSERT ... ON CONFLICT DO UPDATE`` statement in a transaction of its own: the count
holds across workers and servers, and two hits at the same time never lose one.
"""

import hashlib
import hmac
import logging
import math
import time
from collections import namedtuple
from datetime import datetime, timezone

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Ended windows are deleted by the hourly cron this long after their end, so that a
# server whose clock is a little behind the database's still finds its window.
WINDOW_GRACE_MINUTES = 10
# Count a hit in the window of a key that starts at %(start)s; return the count. The
# window comes from the server's clock (time.time(), which tests can freeze), as the
# seconds until it ends do. One statement: the row is created or incremented atomically.
RATE_LIMIT_HIT_SQL = """
    INSERT INTO tms_rate_limit AS w (rate_key, window_start, window_end, hit_count)
    VALUES (%(key)s, %(start)s, %(end)s, 1)
    ON CONFLICT (rate_key, window_start)
    DO UPDATE SET hit_count = w.hit_count + 1
    RETURNING w.hit_count
"""

RateLimitHit = namedtuple("RateLimitHit", ["allowed", "remaining", "retry_after"])
RateLimitHit.__doc__ = """A counted hit: whether it is within the limit, the hits left
in the window (0 once the limit is reached) and the seconds until the window ends."""


def _utc(timestamp):
    return datetime.fromtimestamp(timestamp, timezone.utc).replace(tzinfo=None)


class TmsRateLimit(models.Model):
    """Hits per key and fixed window. A key is a scope and a keyed hash of the subject:
    no IP address, API key or record id is stored."""

    _name = "tms.rate.limit"
    _description = "Rate Limit Window"
    _log_access = False
    _order = "window_start desc"
    _rec_name = "rate_key"

    rate_key = fields.Char(
        required=True,
        readonly=True,
        help="What is counted: a scope ('api', 'lookup', 'reveal'), a colon and a hash "
        "of the subject (an API key, a visitor's IP address, a parcel).",
    )
    window_start = fields.Datetime(required=True, readonly=True)
    window_end = fields.Datetime(required=True, readonly=True, index=True)
    hit_count = fields.Integer(readonly=True)

    _sql_constraints = [
        (
            "window_uniq",
            "unique(rate_key, window_start)",
            "One counter per key and window.",
        ),
    ]

    @api.model
    def _tms_rate_key(self, scope, subject):
        """``scope:`` and an HMAC of the subject with the database secret: the same
        subject always gets the same key, and the key does not tell the subject."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        digest = hmac.new(
            (secret or "").encode(), f"{scope}:{subject}".encode(), hashlib.sha256
        ).hexdigest()
        return f"{scope}:{digest[:32]}"

    @api.model
    def _tms_hit(self, scope, subject, limit, window_seconds):
        """Count a hit of ``subject`` (an API key, an IP address, a parcel id...) in
        ``scope``, against ``limit`` hits per fixed window of ``window_seconds``
        (windows start at multiples of it since the epoch: a minute starts at :00).

        Return a :class:`RateLimitHit`, or None when nothing was counted: no limit
        (``limit`` 0) or too much contention on the counter (the hit is let through).
        """
        if not limit:
            return None
        key = self._tms_rate_key(scope, subject)
        now = time.time()
        start = now - now % window_seconds
        # A cursor of its own, committed at once: the counter's row lock lasts one
        # statement instead of the whole request (requests with the same key are
        # served in parallel), and a request that fails afterwards still counts.
        for _attempt in range(5):
            try:
                with self.env.registry.cursor() as cr:
                    # a lost increment after a crash is harmless: the commit need not
                    # wait for the disk
                    cr.execute("SET LOCAL synchronous_commit TO OFF")
                    cr.execute(
                        SQL(
                            RATE_LIMIT_HIT_SQL,
                            key=key,
                            start=_utc(start),
                            end=_utc(start + window_seconds),
                        ),
                        log_exceptions=False,
                    )
                    (count,) = cr.fetchone()
                break
            except psycopg2.errors.SerializationFailure:
                # a concurrent hit created this window's row after our snapshot: a new
                # transaction sees it
                continue
        else:
            _logger.warning("Rate limit %s not counted: too much contention.", scope)
            return None
        return RateLimitHit(
            allowed=count <= limit,
            remaining=max(limit - count, 0),
            retry_after=max(math.ceil(start + window_seconds - now), 1),
        )

    @api.model
    def _tms_gc(self):
        """Forget the windows that ended (called by the hourly cron of the API's
        bookkeeping, ``tms.api.request._cron_tms_api_gc``)."""
        # Bookkeeping rows with nothing depending on them: a plain DELETE is enough.
        self.env.cr.execute(
            SQL(
                "DELETE FROM tms_rate_limit WHERE window_end < "
                "now() AT TIME ZONE 'UTC' - make_interval(mins => %s)",
                WINDOW_GRACE_MINUTES,
            )
        )
