# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Bookkeeping of the REST API: idempotency records, plain PostgreSQL rows claimed
with ``INSERT ... ON CONFLICT``, so that they hold across several Odoo workers and
servers. The per-key rate limit counters are the suite's rate limiter's
(``tms.rate.limit``).
"""

import hashlib
import json

from odoo import api, fields, models
from odoo.tools import SQL

from .tms_api import TmsApiError

IDEMPOTENCY_TTL_HOURS = 24


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
        """Cron: forget idempotency keys after 24 hours, and the rate limit windows
        (of the API and of the public tracking page) that ended."""
        # Bookkeeping rows with nothing depending on them: a plain DELETE is enough.
        self.env.cr.execute(
            SQL(
                "DELETE FROM tms_api_request WHERE create_date < "
                "now() AT TIME ZONE 'UTC' - make_interval(hours => %s)",
                IDEMPOTENCY_TTL_HOURS,
            )
        )
        self.env["tms.rate.limit"]._tms_gc()
