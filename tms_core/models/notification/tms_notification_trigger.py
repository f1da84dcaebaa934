# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The trigger of the first event of a parcel, whatever state it is created in.
TRIGGER_CREATED = "created"


class TmsNotificationTrigger(models.Model):
    """What notification rules and webhooks react to: a parcel being created, or a
    parcel reaching a state. Other modules add the events of their own documents
    (``res_model``): their rules go through the same templates, languages, logs and
    retries."""

    _name = "tms.notification.trigger"
    _description = "Notification Trigger"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="'created', or the technical name of the state the parcel reaches.",
    )
    res_model = fields.Selection(
        [("tms.parcel", "Parcel")],
        string="Applies To",
        required=True,
        default="tms.parcel",
        help="The document whose events this trigger is: rules reacting to it use "
        "templates of this document.",
    )
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A trigger with this code already exists."),
    ]

    @api.constrains("code", "res_model")
    def _check_code(self):
        states = dict(self.env["tms.parcel"]._fields["state"].selection)
        for trigger in self.filtered(lambda t: t.res_model == "tms.parcel"):
            if trigger.code != TRIGGER_CREATED and trigger.code not in states:
                raise ValidationError(
                    self.env._(
                        "%(code)s is neither 'created' nor a parcel state.",
                        code=trigger.code,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        triggers = super().create(vals_list)
        self.env.registry.clear_cache()
        return triggers

    def write(self, vals):
        result = super().write(vals)
        if {"code", "res_model"} & set(vals):
            # rules and webhooks are cached by trigger code
            self.env.registry.clear_cache()
        return result

    @api.model
    def _tms_event_code(self, event):
        """The trigger code a tracking event matches."""
        return TRIGGER_CREATED if not event.previous_state else event.state
