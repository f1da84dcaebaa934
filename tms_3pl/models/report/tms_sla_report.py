# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools

from ..penalty.tms_carrier_penalty import BREACH_CAUSES
from ..sla.tms_parcel import SLA_STATES


class TmsSlaReport(models.Model):
    """One row per parcel with an SLA, for the dashboards per carrier, zone and
    client: on-time % is the mean of ``on_time_rate`` (100 for a parcel met, 0 for
    one met late or breached, empty while it is still on its way)."""

    _name = "tms.sla.report"
    _description = "SLA Analysis"
    _auto = False
    _order = "date_due desc"
    _rec_name = "parcel_id"

    parcel_id = fields.Many2one("tms.parcel", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    client_id = fields.Many2one("res.partner", string="Client", readonly=True)
    carrier_id = fields.Many2one("tms.carrier", readonly=True)
    zone_id = fields.Many2one("tms.zone", readonly=True)
    service_id = fields.Many2one("tms.service", readonly=True)
    policy_id = fields.Many2one("tms.sla.policy", string="SLA Policy", readonly=True)
    date_due = fields.Datetime(string="Due", readonly=True)
    date_delivered = fields.Datetime(string="Delivered", readonly=True)
    sla_state = fields.Selection(SLA_STATES, string="SLA", readonly=True)
    breach_cause = fields.Selection(BREACH_CAUSES, readonly=True)
    failure_reason_id = fields.Many2one(
        "tms.failure.reason", string="Failure Reason", readonly=True
    )
    parcel_count = fields.Integer(string="Parcels", readonly=True)
    closed_count = fields.Integer(
        string="Settled", readonly=True, help="Delivered, or breached."
    )
    on_time_count = fields.Integer(string="On Time", readonly=True)
    late_count = fields.Integer(string="Late", readonly=True)
    on_time_rate = fields.Float(
        string="On Time (%)", readonly=True, aggregator="avg", digits=(16, 1)
    )

    @property
    def _table_query(self):
        return """
            SELECT p.id AS id,
                   p.id AS parcel_id,
                   p.company_id,
                   p.sla_client_id AS client_id,
                   p.carrier_id,
                   p.zone_id,
                   p.service_id,
                   p.sla_policy_id AS policy_id,
                   p.sla_date_due AS date_due,
                   p.date_delivered,
                   p.sla_state,
                   CASE
                       WHEN p.sla_state NOT IN ('met_late', 'breached') THEN NULL
                       WHEN fr.failure_reason_id IS NOT NULL THEN 'failed'
                       WHEN p.sla_date_pickup_due IS NOT NULL
                            AND (p.date_picked_up IS NULL
                                 OR p.date_picked_up > p.sla_date_pickup_due)
                           THEN 'pickup'
                       WHEN p.sla_date_hub_due IS NOT NULL
                            AND (p.sla_date_at_destination IS NULL
                                 OR p.sla_date_at_destination > p.sla_date_hub_due)
                           THEN 'hub'
                       WHEN p.date_delivered IS NOT NULL THEN 'late'
                       ELSE 'undelivered'
                   END AS breach_cause,
                   fr.failure_reason_id,
                   1 AS parcel_count,
                   CASE WHEN p.sla_state IN ('met', 'met_late', 'breached')
                        THEN 1 ELSE 0 END AS closed_count,
                   CASE WHEN p.sla_state = 'met' THEN 1 ELSE 0 END AS on_time_count,
                   CASE WHEN p.sla_state IN ('met_late', 'breached')
                        THEN 1 ELSE 0 END AS late_count,
                   CASE WHEN p.sla_state = 'met' THEN 100.0
                        WHEN p.sla_state IN ('met_late', 'breached') THEN 0.0
                   END AS on_time_rate
              FROM tms_parcel p
         LEFT JOIN LATERAL (
                    SELECT e.failure_reason_id
                      FROM tms_parcel_event e
                     WHERE e.parcel_id = p.id
                       AND p.sla_state IN ('met_late', 'breached')
                       AND e.is_applied
                       AND e.failure_reason_id IS NOT NULL
                  ORDER BY e.event_date DESC, e.id DESC
                     LIMIT 1
                   ) fr ON TRUE
             WHERE p.sla_state IS NOT NULL
        """

    def init(self):
        # the lateral join reads a late parcel's failed events through this index
        tools.create_index(
            self.env.cr,
            "tms_parcel_event_parcel_failure_idx",
            "tms_parcel_event",
            ["parcel_id", "event_date"],
            where="failure_reason_id IS NOT NULL",
        )
