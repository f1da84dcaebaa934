# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..parcel.tms_parcel import PARCEL_STATES

# States a parcel may stay in for good: no threshold applies to them.
UNWATCHED_STATES = ("draft", "delivered", "returned", "cancelled", "lost")
WATCHED_STATES = [
    (key, label) for key, label in PARCEL_STATES if key not in UNWATCHED_STATES
]
# Default maximum time (plain hours) a parcel may stay in each state; every company
# gets these when it is created.
DEFAULT_THRESHOLDS = {
    "confirmed": 48,
    "picked_up": 24,
    "at_hub": 24,
    "in_transit": 48,
    "out_for_delivery": 12,
    "failed": 24,
    "exception": 24,
    "returning": 72,
}


class TmsStateThreshold(models.Model):
    """How long a parcel may stay in a state, and who is told when it stays longer."""

    _name = "tms.state.threshold"
    _description = "Parcel Stuck Threshold"
    _order = "company_id, state, hub_id, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        WATCHED_STATES,
        required=True,
        help="The parcel state this threshold watches.",
    )
    hub_id = fields.Many2one(
        "tms.hub",
        string="Hub",
        check_company=True,
        ondelete="cascade",
        help="Only for parcels last scanned at this hub; a hub's own threshold wins "
        "over the company-wide one (no hub) for the same state.",
    )
    max_hours = fields.Float(
        string="Maximum Hours",
        required=True,
        default=24.0,
        help="Plain clock hours (nights, weekends and holidays included) since the "
        "parcel's last applied tracking event.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Gets the exception activity; when empty, the first TMS manager of the "
        "company does.",
    )
    active = fields.Boolean(default=True)

    @api.depends("state", "hub_id", "max_hours")
    def _compute_display_name(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for threshold in self:
            hours = f"{threshold.max_hours:g}"
            name = self.env._(
                "%(state)s: %(hours)s h",
                state=labels.get(threshold.state, ""),
                hours=hours,
            )
            if threshold.hub_id:
                name = f"{name} ({threshold.hub_id.code})"
            threshold.display_name = name

    @api.constrains("max_hours")
    def _check_max_hours(self):
        if any(threshold.max_hours <= 0 for threshold in self):
            raise ValidationError(
                self.env._(
                    "The maximum time in a state must be a positive number of hours."
                )
            )

    @api.constrains("company_id", "state", "hub_id", "active")
    def _check_unique(self):
        # one query for the whole batch: the active thresholds sharing a key with self
        groups = self.with_context(active_test=True)._read_group(
            [
                ("company_id", "in", self.company_id.ids),
                ("state", "in", list(set(self.mapped("state")))),
            ],
            ["company_id", "state", "hub_id"],
            ["__count"],
        )
        labels = dict(self._fields["state"]._description_selection(self.env))
        for company, state, hub, count in groups:
            if count > 1:
                hub_text = f" ({hub.display_name})" if hub else ""
                raise ValidationError(
                    self.env._(
                        "%(company)s already has a threshold for %(state)s%(hub)s: "
                        "change that one instead.",
                        company=company.display_name,
                        state=labels[state],
                        hub=hub_text,
                    )
                )

    @api.model
    def _tms_create_defaults(self, companies):
        """Give each of ``companies`` the default thresholds it does not have yet (an
        archived threshold counts: a company that turned one off keeps it off)."""
        existing = {
            (company.id, state)
            for company, state in self.with_context(active_test=False)._read_group(
                [("company_id", "in", companies.ids), ("hub_id", "=", False)],
                ["company_id", "state"],
            )
        }
        return self.create(
            [
                {"company_id": company.id, "state": state, "max_hours": hours}
                for company in companies
                for state, hours in DEFAULT_THRESHOLDS.items()
                if (company.id, state) not in existing
            ]
        )

    @api.model
    def _tms_create_defaults_all_companies(self):
        """Data file hook: thresholds for the companies that existed before the module
        (later companies get theirs from ``res.company.create``)."""
        companies = self.env["res.company"].with_context(active_test=False).search([])
        return self._tms_create_defaults(companies)
