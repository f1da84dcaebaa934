# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The rate limiter shared by the REST API and the public tracking page."""

from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.sql_db import Cursor
from odoo.tests import TransactionCase
from odoo.tools import SQL

from odoo.addons.tms_core.models.api.tms_rate_limit import WINDOW_GRACE_MINUTES

# 20 s into a minute, 5 min 20 s into a quarter of an hour
NOW = datetime(2026, 3, 2, 10, 5, 20)
IP = "198.51.100.4"


class TestRateLimit(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The counter commits in a cursor of its own: in test mode that cursor is the
        # test's, and everything is rolled back at the end.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.Rate = cls.env["tms.rate.limit"]

    def _counts(self):
        self.env.invalidate_all()
        return {
            window.rate_key.split(":")[0]: window.hit_count
            for window in self.Rate.search([])
        }

    def test_scopes_do_not_share_counts(self):
        with freeze_time(NOW):
            for remaining in (1, 0):
                hit = self.Rate._tms_hit("lookup", IP, 2, 60)
                self.assertEqual((hit.allowed, hit.remaining), (True, remaining))
            refused = self.Rate._tms_hit("lookup", IP, 2, 60)
            self.assertEqual((refused.allowed, refused.remaining), (False, 0))
            # the same subject in other scopes has counters of its own
            self.assertTrue(self.Rate._tms_hit("reveal", IP, 2, 60).allowed)
            hit = self.Rate._tms_hit("api", IP, 2, 60)
            self.assertEqual((hit.allowed, hit.remaining), (True, 1))
            # and so has another subject in the same scope
            self.assertTrue(self.Rate._tms_hit("lookup", "198.51.100.5", 2, 60).allowed)
        self.assertEqual(sorted(self.Rate.search([]).mapped("hit_count")), [1, 1, 1, 3])
        # the subject is hashed, never stored
        keys = self.Rate.search([]).mapped("rate_key")
        self.assertFalse([key for key in keys if "198.51.100" in key])
        self.assertEqual(
            {key.split(":")[0] for key in keys}, {"lookup", "reveal", "api"}
        )

    def test_window_rolls_over(self):
        with freeze_time(NOW) as frozen:
            self.assertTrue(self.Rate._tms_hit("lookup", IP, 1, 60).allowed)
            refused = self.Rate._tms_hit("lookup", IP, 1, 60)
            self.assertFalse(refused.allowed)
            self.assertEqual(refused.retry_after, 40, "until the minute ends")
            frozen.tick(39)
            self.assertFalse(self.Rate._tms_hit("lookup", IP, 1, 60).allowed)
            frozen.tick(1)
            hit = self.Rate._tms_hit("lookup", IP, 1, 60)
            self.assertEqual((hit.allowed, hit.retry_after), (True, 60))
        # a window of 15 minutes starts on the quarter of an hour
        with freeze_time(NOW):
            self.assertTrue(self.Rate._tms_hit("reveal", 42, 1, 900).allowed)
            self.assertEqual(self.Rate._tms_hit("reveal", 42, 1, 900).retry_after, 580)
        window = self.Rate.search([("rate_key", "like", "reveal:%")])
        self.assertEqual(window.window_start, datetime(2026, 3, 2, 10, 0))
        self.assertEqual(window.window_end, datetime(2026, 3, 2, 10, 15))

    def test_no_limit_counts_nothing(self):
        self.assertIsNone(self.Rate._tms_hit("lookup", IP, 0, 60))
        self.assertFalse(self.Rate.search([]))

    def test_hit_is_one_upsert_statement(self):
        """Two requests at the same time cannot both read a count and write it back:
        the row is created or incremented by one statement."""
        statements = []
        execute = Cursor.execute

        def record(cr, query, params=None, log_exceptions=None):
            statements.append(query.code if isinstance(query, SQL) else query)
            return execute(cr, query, params, log_exceptions)

        self.Rate._tms_rate_key("lookup", "warm the parameter cache")
        with freeze_time(NOW), patch.object(Cursor, "execute", record):
            self.Rate._tms_hit("lookup", IP, 5, 60)
            self.Rate._tms_hit("lookup", IP, 5, 60)
        counting = [" ".join(s.split()) for s in statements if "tms_rate_limit" in s]
        self.assertEqual(len(counting), 2, "one statement per hit")
        for statement in counting:
            self.assertRegex(
                statement,
                r"^INSERT INTO tms_rate_limit .* "
                r"ON CONFLICT \(rate_key, window_start\) "
                r"DO UPDATE SET hit_count = w\.hit_count \+ 1 RETURNING w\.hit_count$",
            )
        self.assertEqual(self._counts(), {"lookup": 2})

    def test_cleanup_forgets_ended_windows(self):
        with freeze_time(NOW):
            self.Rate._tms_hit("lookup", IP, 5, 60)
            self.Rate._tms_hit("reveal", 42, 5, 900)
        # the clean-up compares with the database's clock
        self.env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        now = self.env.cr.fetchone()[0]
        ended = now - timedelta(minutes=WINDOW_GRACE_MINUTES + 1)
        self.Rate.search([("rate_key", "like", "lookup:%")]).sudo().write(
            {"window_start": ended - timedelta(minutes=1), "window_end": ended}
        )
        self.Rate.search([("rate_key", "like", "reveal:%")]).sudo().write(
            {"window_start": now - timedelta(minutes=14), "window_end": now}
        )
        self.env.flush_all()
        self.env["tms.api.request"]._cron_tms_api_gc()
        self.assertEqual(self._counts(), {"reveal": 1})
