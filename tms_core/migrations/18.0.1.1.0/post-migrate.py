# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One rate limiter: the counters of the REST API (tms_api_rate_limit) and of the
public tracking page (tms_track_rate) move to tms_rate_limit.

The tracking page's current windows are carried over (their keys are computed the same
way), so that an upgrade gives no visitor fresh second-factor attempts. The API's
counters were keyed by API key record and are now keyed by a hash of the key's secret,
which the database does not hold: they restart, at most for the current minute.
"""

from odoo.tools import SQL
from odoo.tools.sql import table_exists


def migrate(cr, version):
    if not version:
        return
    if table_exists(cr, "tms_track_rate"):
        cr.execute(
            SQL(
                """
                INSERT INTO tms_rate_limit AS w
                    (rate_key, window_start, window_end, hit_count)
                SELECT rate_key, window_start,
                       window_start + CASE WHEN rate_key LIKE 'reveal:%%'
                                           THEN interval '15 minutes'
                                           ELSE interval '1 minute' END,
                       hit_count
                  FROM tms_track_rate
                 WHERE window_start > now() AT TIME ZONE 'UTC' - interval '15 minutes'
                ON CONFLICT (rate_key, window_start)
                DO UPDATE SET hit_count = w.hit_count + EXCLUDED.hit_count
                """
            )
        )
        cr.execute(SQL("DROP TABLE tms_track_rate"))
    # the model tms.api.rate.limit is gone: Odoo drops its records, not its table
    cr.execute(SQL("DROP TABLE IF EXISTS tms_api_rate_limit"))
