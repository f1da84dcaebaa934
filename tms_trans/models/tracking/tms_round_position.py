# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""GPS breadcrumbs of started rounds: one small row per point, written in batches
by the driver's phone (``tms.round._tms_gps_record``), drawn on the dispatcher map
and deleted after the company's retention delay."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class TmsRoundPosition(models.Model):
    _name = "tms.round.position"
    _description = "Round GPS Point"
    _order = "round_id, recorded_at"
    # compact: no create/write user and dates on millions of rows
    _log_access = False

    round_id = fields.Many2one(
        "tms.round", required=True, readonly=True, ondelete="cascade"
    )
    driver_id = fields.Many2one(
        "res.users", string="Driver", required=True, readonly=True, ondelete="cascade"
    )
    recorded_at = fields.Datetime(
        required=True, readonly=True, help="When the phone took the position."
    )
    latitude = fields.Float(required=True, readonly=True)
    longitude = fields.Float(required=True, readonly=True)
    accuracy = fields.Float(string="Accuracy (m)", readonly=True)

    _sql_constraints = [
        # a batch sent again (the phone did not get the answer) adds nothing
        (
            "round_time_uniq",
            "unique(round_id, recorded_at)",
            "A round has one position per instant.",
        ),
    ]

    def init(self):
        # the unique constraint's index serves "the points of a round, by time"
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS tms_round_position_recorded_at_idx "
            "ON tms_round_position (recorded_at)"
        )

    @api.model
    def _tms_insert(self, rows):
        """Insert ``rows`` (tuples ``(round id, driver id, recorded_at, latitude,
        longitude, accuracy)``) in one statement; the points already stored are
        skipped. Returns how many were inserted."""
        if not rows:
            return 0
        columns = list(zip(*rows, strict=True))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO tms_round_position
                       (round_id, driver_id, recorded_at, latitude, longitude,
                        accuracy)
                SELECT * FROM unnest(%s::int[], %s::int[], %s::timestamp[],
                                     %s::float8[], %s::float8[], %s::float8[])
                ON CONFLICT (round_id, recorded_at) DO NOTHING
                """,
                *[list(column) for column in columns],
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _tms_points_by_round(self, round_ids):
        """``{round id: [[latitude, longitude, "YYYY-MM-DD HH:MM:SS"], ...]}`` in time
        order, in one query."""
        points = {round_id: [] for round_id in round_ids}
        if not round_ids:
            return points
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT round_id, latitude, longitude, recorded_at
                  FROM tms_round_position
                 WHERE round_id = ANY(%s)
                 ORDER BY round_id, recorded_at
                """,
                list(round_ids),
            )
        )
        for round_id, latitude, longitude, recorded_at in self.env.cr.fetchall():
            points[round_id].append(
                [latitude, longitude, fields.Datetime.to_string(recorded_at)]
            )
        return points

    @api.model
    def _tms_last_position(self, round_id):
        """``(latitude, longitude, recorded_at)`` of the round's latest point, or
        None."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT latitude, longitude, recorded_at
                  FROM tms_round_position
                 WHERE round_id = %s
                 ORDER BY recorded_at DESC
                 LIMIT 1
                """,
                round_id,
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _cron_tms_gps_cleanup(self):
        """Cron: delete the points older than their company's retention delay."""
        now = fields.Datetime.now()
        deleted = 0
        # sudo: a nightly cleanup of every company's points
        for company in self.env["res.company"].sudo().search([]):
            days = company.tms_gps_retention_days
            if days <= 0:
                continue
            self.env.cr.execute(
                SQL(
                    """
                    DELETE FROM tms_round_position p
                     USING tms_round r
                     WHERE r.id = p.round_id
                       AND r.company_id = %s
                       AND p.recorded_at < %s
                    """,
                    company.id,
                    now - timedelta(days=days),
                )
            )
            deleted += self.env.cr.rowcount
        self.env.invalidate_all()
        return deleted
