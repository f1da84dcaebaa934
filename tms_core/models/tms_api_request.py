# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Bookkeeping of the REST API: idempotency records and per-key rate limit counters.

Both are plain PostgreSQL rows updated with ``INSERT ... ON CONFLICT``, so that they
hold across several Odoo workers and servers.
"""

import hashlib
import json
import logging
import math
import time
from datetime import datetime, timezone

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT

from .tms_api import TmsApiError

_logger = logging.getLogger(__name__)

IDEMPOTENCY_TTL_HOURS = 24
RATE_WINDOW_SECONDS = 60
RATE_WINDOW_TTL_MINUTES = 10
# Count a request in the minute of a key that starts at %s; return the count. The
# minute comes from the server's clock (time.time(), which tests can freeze), as the
# reset does.
RATE_LIMIT_HIT_SQL = """
    INSERT INTO tms_api_rate_limit AS w (user_id, key_id, window_start, request_count)
    VALUES (%s, %s, %s, 1)
    ON CONFLICT (user_id, key_id, window_start)
    DO UPDATE SET request_count = w.request_count + 1
    RETURNING w.request_count
"""


class TmsApiRequest(models.Model):
    """A create request sent with an ``Idempotency-Key`` header and its response: a
    retry with the same key gets the same response, and nothing is created twice."""

    _name = "tms.api.request"
    _description = "API Idempotent Request"
    _order = "id desc"
    _rec_name = "idempotency_key"

    user_id = fields.Many2one(
        "res.users",
        string="Key Owner",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    idempotency_key = fields.Char(required=True, readonly=True)
    request_hash = fields.Char(
        required=True, readonly=True, help="SHA-256 of the operation, company and body."
    )
    response_status = fields.Integer(readonly=True)
    response_body = fields.Text(
        readonly=True, help="The JSON response returned the first time."
    )

    _sql_constraints = [
        (
            "idempotency_key_uniq",
            "unique(user_id, idempotency_key)",
            "An API user can use an idempotency key only once.",
        ),
    ]

    @api.model
    def _tms_request_hash(self, operation, payload):
        canonical = json.dumps(
            [operation, self.env.company.id, payload],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    @api.model
    def _tms_run_once(self, key, request_hash, run):
        """Call ``run()`` (which returns ``(status, body)``) once per key and user.

        The key is claimed with an insert that waits for a concurrent request holding
        the same key to finish, then the response is stored with it. A retry gets the
        stored response: ``(status, body, True)``. If ``run()`` raises, the caller's
        rollback removes the claim, so that a corrected request may reuse the key.
        """
        if len(key) > 255:
            raise TmsApiError(
                400,
                "invalid_idempotency_key",
                self.env._("An idempotency key has at most 255 characters."),
            )
        cr = self.env.cr
        for _attempt in range(2):
            cr.execute(
                SQL(
                    """
                    INSERT INTO tms_api_request
                        (user_id, company_id, idempotency_key, request_hash,
                         create_uid, write_uid, create_date, write_date)
                    VALUES (%(user)s, %(company)s, %(key)s, %(hash)s,
                            %(user)s, %(user)s,
                            now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
                    ON CONFLICT (user_id, idempotency_key) DO NOTHING
                    RETURNING id
                    """,
                    user=self.env.uid,
                    company=self.env.company.id,
                    key=key,
                    hash=request_hash,
                ),
                # a concurrent retry may raise a serialisation failure: Odoo retries
                log_exceptions=False,
            )
            row = cr.fetchone()
            if row:
                status, body = run()
                cr.execute(
                    SQL(
                        """
                        UPDATE tms_api_request
                           SET response_status = %s, response_body = %s,
                               write_date = now() AT TIME ZONE 'UTC'
                         WHERE id = %s
                        """,
                        status,
                        json.dumps(body, ensure_ascii=False),
                        row[0],
                    )
                )
                return status, body, False
            cr.execute(
                SQL(
                    """
                    SELECT request_hash, response_status, response_body
                      FROM tms_api_request
                     WHERE user_id = %s AND idempotency_key = %s
                    """,
                    self.env.uid,
                    key,
                )
            )
            stored = cr.fetchone()
            if not stored:
                continue  # cleaned meanwhile: claim it again
            stored_hash, status, body = stored
            if stored_hash != request_hash:
                raise TmsApiError(
                    422,
                    "idempotency_key_reused",
                    self.env._(
                        "The idempotency key %(key)s was already used for another "
                        "request: use a new key for a new request.",
                        key=key,
                    ),
                )
            if not status:
                raise TmsApiError(
                    409,
                    "idempotency_key_in_progress",
                    self.env._("A request with this idempotency key is still running."),
                )
            return status, json.loads(body), True
        raise TmsApiError(
            409,
            "idempotency_key_in_progress",
            self.env._("A request with this idempotency key is still running."),
        )

    @api.model
    def _cron_tms_api_gc(self):
        """Cron: forget idempotency keys after 24 hours and past rate limit windows."""
        # Bookkeeping rows with nothing depending on them: a plain DELETE is enough.
        self.env.cr.execute(
            SQL(
                "DELETE FROM tms_api_request WHERE create_date < "
                "now() AT TIME ZONE 'UTC' - make_interval(hours => %s)",
                IDEMPOTENCY_TTL_HOURS,
            )
        )
        self.env.cr.execute(
            SQL(
                "DELETE FROM tms_api_rate_limit WHERE window_start < "
                "now() AT TIME ZONE 'UTC' - make_interval(mins => %s)",
                RATE_WINDOW_TTL_MINUTES,
            )
        )


class TmsApiRateLimit(models.Model):
    """Requests per API key and minute (a fixed window): a request beyond the
    company's ``tms_api_rate_limit`` gets HTTP 429."""

    _name = "tms.api.rate.limit"
    _description = "API Rate Limit Window"
    _log_access = False
    _order = "window_start desc"

    user_id = fields.Many2one(
        "res.users", required=True, readonly=True, ondelete="cascade"
    )
    key_id = fields.Integer(
        string="API Key",
        readonly=True,
        help="res.users.apikeys id; 0 for a browser session.",
    )
    window_start = fields.Datetime(required=True, readonly=True)
    request_count = fields.Integer(readonly=True)

    _sql_constraints = [
        (
            "window_uniq",
            "unique(user_id, key_id, window_start)",
            "One counter per API key and minute.",
        ),
    ]

    @api.model
    def _tms_api_key_id(self, token):
        """The id of the user's API key ``token`` (already checked by Odoo's bearer
        authentication), 0 without one."""
        if not token:
            return 0
        self.env.cr.execute(
            SQL(
                "SELECT id, key FROM res_users_apikeys "
                "WHERE user_id = %s AND index = %s",
                self.env.uid,
                token[:INDEX_SIZE],
            )
        )
        rows = self.env.cr.fetchall()
        if len(rows) == 1:
            return rows[0][0]
        # Two keys of the user share the prefix: find the one that matches.
        return next(
            (
                key_id
                for key_id, hashed in rows
                if KEY_CRYPT_CONTEXT.verify(token, hashed)
            ),
            0,
        )

    @api.model
    def _tms_hit(self, token, company):
        """Count a request of the current user's API key ``token``; return ``{"limit",
        "remaining", "reset"}`` (``remaining`` is negative once the limit is passed,
        ``reset`` the seconds until the window ends), or None without a limit."""
        # sudo: the limit is a setting of one of the user's own companies, chosen by
        # tms.api._tms_api_companies.
        limit = company.sudo().tms_api_rate_limit
        if not limit:
            return None
        key_id = self._tms_api_key_id(token)
        now = time.time()
        start = now - now % RATE_WINDOW_SECONDS
        window_start = datetime.fromtimestamp(start, timezone.utc).replace(tzinfo=None)
        # A cursor of its own, committed at once: the counter's row lock lasts one
        # statement instead of the whole request, so requests with the same key run in
        # parallel, and a request that fails still counts.
        for _attempt in range(5):
            try:
                with self.env.registry.cursor() as cr:
                    cr.execute(
                        SQL(RATE_LIMIT_HIT_SQL, self.env.uid, key_id, window_start),
                        log_exceptions=False,
                    )
                    (count,) = cr.fetchone()
                break
            except psycopg2.errors.SerializationFailure:
                # A concurrent request of the same key created this minute's row after
                # our snapshot: a new transaction sees it.
                continue
        else:
            _logger.warning(
                "API rate limit of user %s not counted: too much contention.",
                self.env.uid,
            )
            return None
        reset = max(math.ceil(start + RATE_WINDOW_SECONDS - now), 1)
        return {"limit": limit, "remaining": limit - count, "reset": reset}
