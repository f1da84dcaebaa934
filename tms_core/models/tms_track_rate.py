# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rate limits of the public tracking page: lookups per visitor IP address and
second-factor attempts per parcel, counted in fixed windows.

Same mechanism as the API's counters (``tms.api.rate.limit``): one PostgreSQL row per
key and window, incremented with ``INSERT ... ON CONFLICT`` in a transaction of its
own, so that the counts hold across workers and servers. Those counters are keyed by
API user and key; these are keyed by a hashed IP address or a parcel, hence a model of
their own.
"""

import hashlib
import hmac
import logging
import math
import time
from datetime import datetime, timezone

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Settings (ir.config_parameter) and their defaults; 0 disables a limit.
PARAM_LOOKUPS = "tms_core.track_lookups_per_minute"
DEFAULT_LOOKUPS = 30
PARAM_REVEAL_ATTEMPTS = "tms_core.track_reveal_attempts"
DEFAULT_REVEAL_ATTEMPTS = 5
LOOKUP_WINDOW_SECONDS = 60
REVEAL_WINDOW_SECONDS = 15 * 60
WINDOW_TTL_MINUTES = 60
# Count a hit in the window of a key that starts at %(start)s; return the count. The
# window comes from the server's clock (time.time(), which tests can freeze), as the
# Retry-After does. A lost increment after a crash is harmless: the commit need not
# wait for the disk.
TRACK_RATE_HIT_SQL = """
    SET LOCAL synchronous_commit TO OFF;
    INSERT INTO tms_track_rate AS w (rate_key, window_start, hit_count)
    VALUES (%(key)s, %(start)s, 1)
    ON CONFLICT (rate_key, window_start)
    DO UPDATE SET hit_count = w.hit_count + 1
    RETURNING w.hit_count
"""


class TmsTrackRate(models.Model):
    """Hits per key and fixed window on the public tracking page. Keys are hashed: no
    IP address is stored."""

    _name = "tms.track.rate"
    _description = "Public Tracking Rate Limit Window"
    _log_access = False
    _order = "window_start desc"
    _rec_name = "rate_key"

    rate_key = fields.Char(
        required=True,
        readonly=True,
        help="What is counted: 'lookup:' and a hash of the visitor's IP address, or "
        "'reveal:' and a hash of the parcel.",
    )
    window_start = fields.Datetime(required=True, readonly=True, index=True)
    hit_count = fields.Integer(readonly=True)

    _sql_constraints = [
        (
            "window_uniq",
            "unique(rate_key, window_start)",
            "One counter per key and window.",
        ),
    ]

    @api.model
    def _tms_rate_limits(self):
        """``(lookups per IP and minute, second-factor attempts per parcel and 15
        minutes)``, from the system parameters: unset is the documented default
        (30 and 5), an explicit 0 means no limit."""
        Param = self.env["ir.config_parameter"].sudo()
        return (
            self._tms_int_param(Param.get_param(PARAM_LOOKUPS), DEFAULT_LOOKUPS),
            self._tms_int_param(
                Param.get_param(PARAM_REVEAL_ATTEMPTS), DEFAULT_REVEAL_ATTEMPTS
            ),
        )

    @api.model
    def _tms_int_param(self, value, default):
        # get_param() gives False for a parameter never set: the default, not 0
        if value is None or value is False or not str(value).strip():
            return default
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return default

    @api.model
    def _tms_rate_key(self, scope, subject):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        digest = hmac.new(
            (secret or "").encode(), f"{scope}:{subject}".encode(), hashlib.sha256
        ).hexdigest()
        return f"{scope}:{digest[:32]}"

    @api.model
    def _tms_hit(self, scope, subject, limit, window_seconds):
        """Count a hit of ``subject`` (an IP address, a parcel id) in ``scope``; return
        ``(allowed, retry_after)``: whether the hit is within ``limit`` hits per
        window of ``window_seconds``, and the seconds until the window ends."""
        if not limit:
            return True, 0
        key = self._tms_rate_key(scope, subject)
        now = time.time()
        start = now - now % window_seconds
        window_start = datetime.fromtimestamp(start, timezone.utc).replace(tzinfo=None)
        # A cursor of its own, committed at once: the counter's row lock lasts one
        # statement instead of the whole request (visitors behind one address are
        # served in parallel), and a request that fails afterwards still counts.
        for _attempt in range(5):
            try:
                with self.env.registry.cursor() as cr:
                    cr.execute(
                        SQL(TRACK_RATE_HIT_SQL, key=key, start=window_start),
                        log_exceptions=False,
                    )
                    (count,) = cr.fetchone()
                break
            except psycopg2.errors.SerializationFailure:
                # a concurrent hit created this window's row after our snapshot: a new
                # transaction sees it
                continue
        else:
            _logger.warning(
                "Tracking page rate limit not counted: too much contention."
            )
            return True, 0
        return count <= limit, max(math.ceil(start + window_seconds - now), 1)

    @api.model
    def _tms_hit_lookup(self, ip_address):
        """Count a lookup of the public tracking page from ``ip_address``."""
        limit = self._tms_rate_limits()[0]
        return self._tms_hit("lookup", ip_address, limit, LOOKUP_WINDOW_SECONDS)

    @api.model
    def _tms_hit_reveal(self, parcel):
        """Count a second-factor attempt on ``parcel``, whoever makes it: a session
        or an IP address of its own does not give more tries."""
        limit = self._tms_rate_limits()[1]
        return self._tms_hit("reveal", parcel.id, limit, REVEAL_WINDOW_SECONDS)

    @api.model
    def _tms_gc(self):
        """Forget the windows that ended long ago."""
        # Bookkeeping rows with nothing depending on them: a plain DELETE is enough.
        self.env.cr.execute(
            SQL(
                "DELETE FROM tms_track_rate WHERE window_start < "
                "now() AT TIME ZONE 'UTC' - make_interval(mins => %s)",
                WINDOW_TTL_MINUTES,
            )
        )


class TmsApiRequest(models.Model):
    _inherit = "tms.api.request"

    @api.model
    def _cron_tms_api_gc(self):
        # the hourly clean-up of the API's counters cleans the tracking page's too
        result = super()._cron_tms_api_gc()
        self.env["tms.track.rate"]._tms_gc()
        return result
