# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TmsSlaPolicy(models.Model):
    """What a client is promised: a delay for a service in some zones, counted on a
    working calendar, with a cut-off time, delivery weekdays, pauses and optional
    milestone gates. A parcel gets the most specific matching policy of its company
    (client, then service, then zone; then the sequence)."""

    _name = "tms.sla.policy"
    _description = "SLA Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The shipper (its company) the policy applies to; empty: every client.",
    )
    service_id = fields.Many2one(
        "tms.service",
        check_company=True,
        tracking=True,
        help="Empty: every service.",
    )
    zone_ids = fields.Many2many(
        "tms.zone", string="Zones", check_company=True, help="Empty: every zone."
    )
    delay = fields.Float(required=True, default=1.0, tracking=True)
    delay_unit = fields.Selection(
        [("hours", "Working Hours"), ("days", "Working Days (J+N)")],
        required=True,
        default="days",
        tracking=True,
        help="Working hours count only working time; J+1 ends when the next working "
        "day after the handover closes.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Empty: the carrier's working hours, else the zone's, else the "
        "company's. Public holidays are the calendar's leaves.",
    )
    cutoff_time = fields.Float(
        string="Cut-off Time",
        help="Parcels handed over after this time count from the next working day; "
        "00:00: no cut-off.",
    )
    weekday_ids = fields.Many2many(
        "tms.weekday",
        string="Delivery Days",
        help="A due time on another day moves to the end of the next delivery day; "
        "empty: every working day.",
    )
    clock_start = fields.Selection(
        [("shipping", "Handover to Us"), ("pickup", "Pickup Scan")],
        required=True,
        default="shipping",
        help="When the clock starts: the parcel's shipping date, or its first pickup "
        "scan.",
    )
    at_risk_share = fields.Float(
        string="At Risk From (%)",
        default=80.0,
        help="A parcel is at risk once this share of its working time is used.",
    )
    pickup_gate_hours = fields.Float(
        string="Picked Up Within (h)",
        help="Working hours after the handover within which the parcel must be "
        "picked up, else it is at risk; 0: no gate.",
    )
    hub_gate_hours = fields.Float(
        string="At Destination Hub Within (h)",
        help="Working hours after the handover within which the parcel must reach "
        "its destination hub, else it is at risk; 0: no gate.",
    )
    pause_reason_ids = fields.Many2many(
        "tms.failure.reason",
        string="Reasons Pausing the Clock",
        default=lambda self: self.env["tms.failure.reason"].search(
            [("sla_pauses_clock", "=", True)]
        ),
        help="While a parcel's last event has one of these reasons, the clock stops.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        default=lambda self: self.env.user,
        check_company=True,
        tracking=True,
        help="Gets an activity for each parcel at risk or breached.",
    )
    parcel_count = fields.Integer(compute="_compute_parcel_count")

    _sql_constraints = [
        ("delay_positive", "CHECK(delay >= 0)", "A delay cannot be negative."),
        (
            "gates_positive",
            "CHECK(pickup_gate_hours >= 0 AND hub_gate_hours >= 0)",
            "Milestone gates cannot be negative.",
        ),
    ]

    def _compute_parcel_count(self):
        counts = dict(
            self.env["tms.parcel"]._read_group(
                [("sla_policy_id", "in", self.ids)], ["sla_policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.parcel_count = counts.get(policy, 0)

    @api.constrains("at_risk_share", "cutoff_time", "delay", "delay_unit")
    def _check_values(self):
        for policy in self:
            if not 0 < policy.at_risk_share <= 100:
                raise ValidationError(
                    self.env._("The at-risk share is a percentage above 0, up to 100.")
                )
            if not 0 <= policy.cutoff_time <= 24:
                raise ValidationError(
                    self.env._("A cut-off time is between 00:00 and 24:00.")
                )
            if policy.delay_unit == "days" and policy.delay != int(policy.delay):
                raise ValidationError(
                    self.env._(
                        "A delay in working days is a whole number (J+1, J+2); use "
                        "working hours for fractions."
                    )
                )

    def action_view_parcels(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_3pl.tms_parcel_action_sla"
        )
        action["domain"] = [("sla_policy_id", "=", self.id)]
        action["context"] = {}
        return action

    def _tms_score(self, client, service, zone):
        """How well the policy fits, None when it does not: a client counts more than
        a service, a service more than a zone."""
        self.ensure_one()
        if self.partner_id and self.partner_id.commercial_partner_id != client:
            return None
        if self.service_id and self.service_id != service:
            return None
        if self.zone_ids and zone not in self.zone_ids:
            return None
        return (
            4 * bool(self.partner_id) + 2 * bool(self.service_id) + bool(self.zone_ids),
            -self.sequence,
            -self.id,
        )

    @api.model
    def _tms_match(self, parcels):
        """The policy of each parcel, ``{parcel: policy}``, with one search for the
        whole batch."""
        # sudo: the policy is the company's promise, whoever creates the parcel (a
        # shop's user, the API); parcels keep their own company's only.
        policies = self.sudo().search([("company_id", "in", parcels.company_id.ids)])
        by_company = {}
        for policy in policies:
            by_company.setdefault(policy.company_id.id, []).append(policy)
        result = {}
        cache = {}
        for parcel in parcels:
            client = parcel.shipper_id.commercial_partner_id
            key = (
                parcel.company_id.id,
                client.id,
                parcel.service_id.id,
                parcel.zone_id.id,
            )
            if key not in cache:
                scored = [
                    (score, policy)
                    for policy in by_company.get(parcel.company_id.id, [])
                    if (
                        score := policy._tms_score(
                            client, parcel.service_id, parcel.zone_id
                        )
                    )
                    is not None
                ]
                cache[key] = (
                    max(scored, key=lambda item: item[0])[1].sudo(False)
                    if scored
                    else self.browse()
                )
            result[parcel] = cache[key]
        return result
