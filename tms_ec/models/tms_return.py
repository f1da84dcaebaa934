# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Return requests (RMA): a customer asks to send back items of a delivered parcel,
the shipper's policy approves the request or a TMS user does, and the approval
creates the return parcel the customer drops at a hub with its QR code (no label to
print). Reception, inspection and disposition follow in tms_return_inspection.py."""

import logging
from urllib.parse import quote

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

_logger = logging.getLogger(__name__)

RETURN_STATES = [
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("refused", "Refused"),
    ("in_transit", "In Transit"),
    ("received", "Received"),
    ("inspected", "Inspected"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# Returns whose items no longer count as returned (they may be asked again).
CLOSED_WITHOUT_RETURN = ("refused", "cancelled")
# The steps customers are told about (_tms_ec_notify): each is a notification
# trigger (code return_<step>) of tms_core's engine, with a mail template
# tms_ec.tms_return_mail_template_<step> and an SMS template
# tms_ec.tms_return_sms_template_<step> (data/tms_return_notification_data.xml).
NOTIFY_STEP_LABELS = [
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("refused", "Refused"),
    ("in_transit", "In Transit"),
    ("received", "Received"),
    ("inspected", "Inspected"),
    ("refunded", "Refunded"),
    ("done", "Done"),
]
NOTIFY_STEPS = tuple(step for step, _label in NOTIFY_STEP_LABELS)
RETURN_TRIGGER_PREFIX = "return_"
MAX_COMMENT_LENGTH = 2000
QR_SIZE = 300


class TmsReturn(models.Model):
    _name = "tms.return"
    _description = "Return Request"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        RETURN_STATES,
        default="requested",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    origin_parcel_id = fields.Many2one(
        "tms.parcel",
        string="Delivered Parcel",
        required=True,
        index=True,
        check_company=True,
        help="The parcel the customer received and sends back items of.",
    )
    shipper_id = fields.Many2one(
        "res.partner",
        string="Merchant",
        related="origin_parcel_id.shipper_id",
        store=True,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        help="Who returns the items: the recipient of the delivered parcel.",
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Sale Order", index="btree_not_null", check_company=True
    )
    line_ids = fields.One2many("tms.return.line", "return_id", string="Items")
    return_parcel_id = fields.Many2one(
        "tms.parcel",
        string="Return Parcel",
        copy=False,
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    return_tracking_number = fields.Char(
        related="return_parcel_id.tracking_number", string="Return Tracking Number"
    )
    return_parcel_state = fields.Selection(
        related="return_parcel_id.state", string="Return Parcel State"
    )
    date_requested = fields.Datetime(
        default=fields.Datetime.now, required=True, readonly=True
    )
    date_approved = fields.Datetime(readonly=True, copy=False)
    date_received = fields.Datetime(
        readonly=True, copy=False, help="When the return parcel was delivered back."
    )
    date_deadline = fields.Datetime(
        string="Return Deadline",
        compute="_compute_date_deadline",
        help="The end of the shipper's return window for the delivered parcel.",
    )
    customer_note = fields.Text(string="Customer Comment")
    refusal_reason = fields.Text(
        tracking=True,
        help="Why the return is refused; the customer reads it in the email and on "
        "the portal.",
    )
    merchant_fault = fields.Boolean(
        compute="_compute_merchant_fault",
        store=True,
        help="One of the items comes back for a reason the merchant is at fault for.",
    )
    # portal.mixin does not index the token: /return/<token> looks returns up by it
    access_token = fields.Char(index="btree_not_null")
    notification_log_ids = fields.One2many(
        "tms.notification.log", "return_id", string="Notifications", readonly=True
    )
    notification_count = fields.Integer(
        compute="_compute_notification_count", groups="tms_core.group_tms_user"
    )

    # ----------------------------------------------------------------------------------
    # computes
    # ----------------------------------------------------------------------------------
    def _compute_access_url(self):
        for ret in self:
            ret.access_url = f"/my/returns/{ret.id}"

    @api.depends("origin_parcel_id.date_delivered", "shipper_id", "company_id")
    def _compute_date_deadline(self):
        for ret in self:
            ret.date_deadline = ret.origin_parcel_id._tms_ec_return_deadline()

    @api.depends("line_ids.reason_id.merchant_fault")
    def _compute_merchant_fault(self):
        for ret in self:
            ret.merchant_fault = any(ret.line_ids.reason_id.mapped("merchant_fault"))

    def _compute_notification_count(self):
        counts = dict(
            self.env["tms.notification.log"]._read_group(
                [("return_id", "in", self.ids)], ["return_id"], ["__count"]
            )
        )
        for ret in self:
            ret.notification_count = counts.get(ret, 0)

    # ----------------------------------------------------------------------------------
    # CRUD
    # ----------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        parcels = self.env["tms.parcel"].browse(
            {
                vals["origin_parcel_id"]
                for vals in vals_list
                if vals.get("origin_parcel_id")
            }
        )
        # sudo: only the ids of the parcel's company, recipient and sale order are
        # copied; the user may lack the right to read transfers or sale orders.
        parcel_by_id = {parcel.id: parcel for parcel in parcels.sudo()}
        for vals in vals_list:
            parcel = parcel_by_id.get(vals.get("origin_parcel_id"))
            if parcel:
                vals.setdefault("company_id", parcel.company_id.id)
                vals.setdefault("partner_id", parcel.recipient_id.id)
                if not vals.get("sale_order_id") and parcel.picking_id.sale_id:
                    vals["sale_order_id"] = parcel.picking_id.sale_id.id
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("tms.return") or self.env._("New")
        returns = super().create(vals_list)
        returns._tms_ec_link_sale_lines()
        for ret in returns:
            ret._portal_ensure_token()
        if not self.env.context.get("tms_ec_no_approval_rules"):
            returns._tms_ec_apply_approval_rules()
        return returns

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_approve(self):
        self._tms_ec_check_approver()
        not_requested = self.filtered(lambda r: r.state != "requested")
        if not_requested:
            raise UserError(
                self.env._(
                    "Only requested returns can be approved: %(names)s.",
                    names=", ".join(not_requested.mapped("name")),
                )
            )
        self._tms_ec_approve()
        return True

    def action_refuse(self):
        self._tms_ec_check_approver()
        for ret in self:
            if ret.state != "requested":
                raise UserError(
                    self.env._(
                        "Return %(name)s is not waiting for approval: it cannot be "
                        "refused.",
                        name=ret.name,
                    )
                )
            if not (ret.refusal_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write why return %(name)s is refused in Refusal Reason "
                        "first: the customer reads it.",
                        name=ret.name,
                    )
                )
        self.write({"state": "refused"})
        self._tms_ec_close_approval_activities(self.env._("Refused"))
        self._tms_ec_notify("refused")
        return True

    def action_cancel(self):
        self._tms_ec_check_approver()
        moved = self.filtered(lambda r: r.state not in ("requested", "approved"))
        if moved:
            raise UserError(
                self.env._(
                    "Only requested or approved returns whose parcel has not left "
                    "can be cancelled: %(names)s.",
                    names=", ".join(moved.mapped("name")),
                )
            )
        parcels = self.return_parcel_id.filtered(
            lambda p: p.state in ("draft", "confirmed")
        )
        if parcels:
            parcels.action_cancel()
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_view_return_parcel(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "tms.parcel",
            "res_id": self.return_parcel_id.id,
            "view_mode": "form",
        }

    def action_view_notifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_notification_log_action"
        )
        action["domain"] = [("return_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_download_return_label(self):
        self.ensure_one()
        if not self.return_parcel_id:
            raise UserError(self.env._("This return has no return parcel yet."))
        return {
            "type": "ir.actions.act_url",
            "url": self._tms_ec_label_url(),
            "target": "new",
        }

    # ----------------------------------------------------------------------------------
    # request
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_ec_request(self, parcel, items, comment=None):
        """Create the return request of a customer for items of ``parcel``.

        ``items``: a list of dicts with ``parcel_line_id``, ``quantity`` and
        ``reason_id`` (ids and numbers, as a form sends them). Checked here, whoever
        calls: the parcel may be returned (``tms.parcel._tms_ec_return_eligibility``:
        delivered, within its shipper's return window) and the items are right
        (:meth:`_tms_ec_check_return_request`). Raise a :class:`UserError` saying what
        is wrong, and create nothing; return the new return (the shipper's approval
        rules already applied).

        The caller checks that the user may return this parcel (its recipient, or the
        second factor of the public tracking page); the portal calls it in sudo mode.
        """
        parcel.ensure_one()
        eligibility = parcel._tms_ec_return_eligibility()
        if not eligibility["eligible"]:
            raise UserError(eligibility["refusal"])
        requested = self._tms_ec_check_return_request(parcel, items)
        comment = (comment or "").strip()[:MAX_COMMENT_LENGTH]
        return self.create(
            {
                "origin_parcel_id": parcel.id,
                "company_id": parcel.company_id.id,
                "partner_id": self._tms_ec_customer(parcel).id,
                "customer_note": comment or False,
                "line_ids": [
                    Command.create(
                        {
                            "parcel_line_id": line_id,
                            "quantity": quantity,
                            "reason_id": reason.id,
                        }
                    )
                    for line_id, (quantity, reason) in requested.items()
                ],
            }
        )

    @api.model
    def _tms_ec_request_from_form(self, parcel, form):
        """:meth:`_tms_ec_request` from the portal's "Return items" form: a
        ``qty_<line id>`` and a ``reason_<line id>`` field per content line of
        ``parcel``, and ``comment``. Lines left at 0 or empty are not returned."""
        items = []
        for line in parcel.line_ids:
            quantity = self._tms_ec_parse_form_quantity(form.get(f"qty_{line.id}"))
            if quantity == 0.0:
                continue
            items.append(
                {
                    "parcel_line_id": line.id,
                    "quantity": quantity,
                    "reason_id": form.get(f"reason_{line.id}"),
                }
            )
        return self._tms_ec_request(parcel, items, form.get("comment"))

    @api.model
    def _tms_ec_parse_form_quantity(self, value):
        """A quantity typed in the form (a French decimal comma allowed); what cannot
        be read as a number is returned as it is, and
        :meth:`_tms_ec_check_return_request` says what is wrong."""
        if value in (None, ""):
            return 0.0
        try:
            return float(str(value).strip().replace(",", "."))
        except ValueError:
            return value

    @api.model
    def _tms_ec_check_return_request(self, parcel, items):
        """Check the items of a return request of ``parcel`` (see
        :meth:`_tms_ec_request`): every item is a content line of the parcel with a
        positive quantity no larger than what is left to return
        (``tms.parcel._tms_ec_returnable_lines``), and one reason customers may choose.
        Return ``{line id: (quantity, tms.return.reason)}``, the quantities of the
        items of a line added up; raise a :class:`UserError` saying what is wrong."""
        _ = self.env._
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        left = {
            returnable["line"].id: returnable["left"]
            for returnable in parcel._tms_ec_returnable_lines()
        }
        lines_by_id = {line.id: line for line in parcel.line_ids}
        reasons = self.env["tms.return.reason"]._tms_ec_available(parcel.company_id)
        reason_by_id = {reason.id: reason for reason in reasons}
        quantities, reason_of_line = {}, {}
        for item in items or []:
            line = lines_by_id.get(_tms_ec_int(item.get("parcel_line_id")))
            if not line:
                raise UserError(_("One of the items is not in this parcel."))
            quantity = item.get("quantity")
            if (
                isinstance(quantity, bool)
                or not isinstance(quantity, int | float)
                or quantity != quantity  # NaN
            ):
                raise UserError(
                    _("Enter a number of items to return for %(item)s.", item=line.name)
                )
            if float_is_zero(quantity, precision_digits=precision):
                continue
            if quantity < 0:
                raise UserError(
                    _(
                        "The quantity of %(item)s to return must be positive.",
                        item=line.name,
                    )
                )
            reason = reason_by_id.get(_tms_ec_int(item.get("reason_id")))
            if not reason:
                raise UserError(_("Choose why you return %(item)s.", item=line.name))
            if reason_of_line.setdefault(line.id, reason) != reason:
                raise UserError(_("Choose one reason for %(item)s.", item=line.name))
            quantities[line.id] = quantities.get(line.id, 0.0) + quantity
        if not quantities:
            raise UserError(_("Choose at least one item to return."))
        for line_id, quantity in quantities.items():
            line = lines_by_id[line_id]
            if (
                float_compare(
                    quantity, left.get(line_id, 0.0), precision_digits=precision
                )
                > 0
            ):
                raise UserError(
                    _(
                        "You can return at most %(left)s of %(item)s (%(delivered)s "
                        "delivered, the others are already in a return).",
                        left=format(left.get(line_id, 0.0), "g"),
                        item=line.name,
                        delivered=format(line.quantity, "g"),
                    )
                )
        return {
            line_id: (quantity, reason_of_line[line_id])
            for line_id, quantity in quantities.items()
        }

    @api.model
    def _tms_ec_customer(self, parcel):
        """The contact returning items of ``parcel``: its recipient, or a new contact
        made of the recipient written on the parcel (a shop or API parcel without
        one)."""
        if parcel.recipient_id:
            return parcel.recipient_id
        return self.env["res.partner"].create(
            {
                "name": parcel.recipient_name or parcel.tracking_number,
                "company_id": parcel.company_id.id,
                "mobile": parcel.recipient_phone,
                "email": parcel.recipient_email,
                "street": parcel.recipient_street,
                "street2": parcel.recipient_street2,
                "zip": parcel.recipient_zip,
                "city": parcel.recipient_city,
                "state_id": parcel.recipient_state_id.id,
                "country_id": parcel.recipient_country_id.id,
            }
        )

    def _tms_ec_link_sale_lines(self):
        """Link each item to the sale order line of its product, when the return has
        a sale order."""
        for ret in self.filtered("sale_order_id"):
            # sudo: only the ids of the order's lines are linked
            order_lines = ret.sale_order_id.sudo().order_line
            for line in ret.line_ids.filtered(
                lambda item: not item.sale_line_id and item.product_id
            ):
                match = order_lines.filtered(
                    lambda order_line, product=line.product_id: order_line.product_id
                    == product
                )[:1]
                if match:
                    line.sale_line_id = match

    # ----------------------------------------------------------------------------------
    # approval
    # ----------------------------------------------------------------------------------
    def _tms_ec_apply_approval_rules(self):
        """Approve at once the requests the shipper's policy approves; the others wait
        for a TMS manager, who gets an activity. Return the approved returns."""
        requested = self.filtered(lambda r: r.state == "requested")
        automatic = requested.filtered(lambda r: r._tms_ec_is_approved_automatically())
        if automatic:
            automatic._tms_ec_approve()
            for ret in automatic:
                ret._message_log(
                    body=self.env._(
                        "Approved automatically by the return policy of %(merchant)s.",
                        merchant=ret.shipper_id.commercial_partner_id.display_name
                        or ret.company_id.name,
                    )
                )
        waiting = requested - automatic
        if waiting:
            waiting._tms_ec_schedule_approval_activities()
            waiting._tms_ec_notify("requested")
        return automatic

    def _tms_ec_is_approved_automatically(self):
        self.ensure_one()
        if (
            not self.line_ids
            or not self.origin_parcel_id._tms_ec_within_return_window()
        ):
            return False
        shipper = self.shipper_id
        policy = shipper._tms_ec_return_approval() if shipper else "manual"
        if policy == "automatic":
            return True
        if policy == "reason":
            return all(line.reason_id.auto_approve for line in self.line_ids)
        return False

    def _tms_ec_check_approver(self):
        """Approving, refusing and cancelling returns is the TMS users' work."""
        if not self.env.su and not self.env.user.has_group("tms_core.group_tms_user"):
            raise AccessError(
                self.env._("Only transport users can approve or refuse returns.")
            )
        self.check_access("write")

    def _tms_ec_approve(self):
        """Approve the returns: each gets its return parcel, awaiting pickup, whose
        tracking number the customer shows at a hub. No access check: see
        :meth:`action_approve`."""
        self._tms_ec_create_return_parcels()
        self.write(
            {
                "state": "approved",
                "date_approved": fields.Datetime.now(),
                "refusal_reason": False,
            }
        )
        self._tms_ec_close_approval_activities(self.env._("Approved"))
        self._tms_ec_notify("approved")

    def _tms_ec_schedule_approval_activities(self):
        """A to-do for each TMS manager of the return's company."""
        managers_group = self.env.ref("tms_core.group_tms_manager")
        # sudo: the customer asking for the return may not read users
        managers = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", managers_group.ids),
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.ids),
                ]
            )
        )
        for ret in self:
            for user in managers.filtered(
                lambda u, r=ret: r.company_id in u.company_ids
            ):
                ret.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Approve or refuse the return"),
                    note=self.env._(
                        "%(customer)s asks to return items of parcel %(number)s.",
                        customer=ret.partner_id.display_name or "",
                        number=ret.origin_parcel_id.tracking_number,
                    ),
                )

    def _tms_ec_close_approval_activities(self, feedback):
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        activities = self.activity_ids.filtered(lambda a: a.activity_type_id == todo)
        if activities:
            activities.action_feedback(feedback=feedback)

    # ----------------------------------------------------------------------------------
    # return parcel
    # ----------------------------------------------------------------------------------
    def _tms_ec_create_return_parcels(self):
        todo = self.filtered(lambda r: not r.return_parcel_id)
        if not todo:
            return self.env["tms.parcel"]
        parcels = (
            self.env["tms.parcel"]
            .with_context(tms_event_source="system")
            .create([ret._tms_ec_prepare_return_parcel_vals() for ret in todo])
        )
        for ret, parcel in zip(todo, parcels, strict=True):
            ret.return_parcel_id = parcel
        return parcels

    def _tms_ec_return_service(self):
        self.ensure_one()
        service = self.env["tms.service"].search(
            [
                ("service_type", "=", "return"),
                ("company_id", "in", [self.company_id.id, False]),
            ],
            order="company_id, sequence, id",
            limit=1,
        )
        return service or self.origin_parcel_id.service_id

    def _tms_ec_prepare_return_parcel_vals(self):
        """The return parcel: from the customer back to the shipper's return address,
        awaiting pickup, with the returned items; its weight is the items' share of
        the delivered parcel; no cash on delivery."""
        self.ensure_one()
        origin = self.origin_parcel_id
        total_quantity = sum(origin.line_ids.mapped("quantity"))
        share_weight = origin.weight / total_quantity if total_quantity else 0.0
        shipper = self.shipper_id
        address = (
            shipper._tms_ec_return_address() if shipper else self.company_id.partner_id
        )
        lines = []
        for line in self.line_ids:
            parcel_line = line.parcel_line_id
            lines.append(
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "name": line.description
                        or line.product_id.display_name
                        or self.env._("Returned item"),
                        "sku": parcel_line.sku,
                        "quantity": line.quantity,
                        "weight": parcel_line.weight or share_weight,
                        "value": line.value,
                    }
                )
            )
        weight = sum(
            (line.parcel_line_id.weight or share_weight) * line.quantity
            for line in self.line_ids
        )
        return {
            "company_id": self.company_id.id,
            "state": "confirmed",
            "shipper_id": self.partner_id.id,
            "recipient_id": address.id,
            "client_reference": self.name,
            "service_id": self._tms_ec_return_service().id,
            "weight": weight,
            "cod_amount": 0.0,
            "declared_value": sum(line.value * line.quantity for line in self.line_ids),
            "line_ids": lines,
            "tms_return_id": self.id,
        }

    def _tms_ec_follow_return_parcel(self, parcel_state):
        """Move the returns along their return parcel (tracking events): the parcel
        left the customer -> in transit; delivered to the merchant -> received."""
        if parcel_state == "delivered":
            received = self.filtered(lambda r: r.state in ("approved", "in_transit"))
            if received:
                received.write(
                    {"state": "received", "date_received": fields.Datetime.now()}
                )
                received._tms_ec_notify("received")
            return received
        moving = self.filtered(lambda r: r.state == "approved")
        if moving:
            moving.write({"state": "in_transit"})
            moving._tms_ec_notify("in_transit")
        return moving

    # ----------------------------------------------------------------------------------
    # notifications
    # ----------------------------------------------------------------------------------
    def _tms_ec_notify(self, step):
        """Tell the customer that their return reached ``step`` (requested, approved,
        refused, in_transit, received, inspected, refunded, done), as the notification
        rules of the return's company for that step say (trigger ``return_<step>``):
        one background job per return, never inside the request; nothing when no
        active rule reacts to the step."""
        if step not in NOTIFY_STEPS:
            raise UserError(
                self.env._("%(step)s is not a step of a return.", step=step)
            )
        if self.env.context.get("tms_ec_no_notify"):
            return True
        # sudo: a flag of the returns' companies, which customers may not read
        new_companies = self.sudo().company_id.filtered(
            lambda company: not company.tms_return_rules_created
        )
        if new_companies:
            self.env["tms.notification.rule"]._tms_ec_create_return_rules(new_companies)
        code = f"{RETURN_TRIGGER_PREFIX}{step}"
        Event = self.env["tms.parcel.event"]
        for ret in self:
            # the company's rules by trigger code, cached by tms_core's engine
            rule_ids, _webhooks = Event._tms_notification_subscriptions(
                ret.company_id.id
            ).get(code, ((), ()))
            if not rule_ids:
                continue
            ret.with_delay(
                description=self.env._(
                    "Return %(name)s: notify the customer (%(step)s)",
                    name=ret.name,
                    step=step,
                )
            )._tms_ec_send_notification(step)
        return True

    def _tms_ec_send_notification(self, step):
        """Job: one notification log per active rule of the return's company for
        ``step``, sent the way parcels' are (tms.notification.log): emails to the mail
        queue, SMS to Odoo's SMS queue or to a retried gateway job. Everything stays
        in the job's transaction: a retried run sends nothing twice."""
        self.ensure_one()
        # sudo: background work of the carrier, run as whoever triggered it (a portal
        # customer, a public visitor, a hub operator), who may not read rules,
        # templates, gateways or the customer's contact.
        ret = self.sudo().exists()
        if not ret:
            return "Return deleted."
        rules = (
            self.env["tms.notification.rule"]
            .sudo()
            .search(
                [
                    ("company_id", "=", ret.company_id.id),
                    ("trigger_ids.code", "=", f"{RETURN_TRIGGER_PREFIX}{step}"),
                ]
            )
        )
        logs = (
            self.env["tms.notification.log"]
            .sudo()
            .create([ret._tms_ec_notification_log_vals(rule, step) for rule in rules])
        )
        logs._tms_send()
        return f"{step}: {len(logs)} notification(s)"

    def _tms_ec_notification_log_vals(self, rule, step):
        """The notification log of ``rule`` for ``step`` of the return: to the
        customer (:meth:`_tms_ec_notification_target`) or to the merchant (the
        delivered parcel's shipper), filed under the delivered parcel."""
        self.ensure_one()
        target = (
            self._tms_ec_notification_target()
            if rule.audience == "recipient"
            else self.origin_parcel_id._tms_notification_target(rule.audience)
        )
        vals = self.env["tms.notification.log"]._tms_prepare_log_vals(
            rule,
            target,
            {
                "company_id": self.company_id.id,
                "parcel_id": self.origin_parcel_id.id,
                "return_id": self.id,
                "return_step": step,
            },
        )
        if rule.channel == "sms" and not rule.sms_gateway_id:
            vals["sms_gateway_id"] = self._tms_ec_sms_gateway().id
        return vals

    def _tms_ec_notify_lang(self):
        """The customer's language (templates are rendered in it)."""
        self.ensure_one()
        return (
            self.partner_id.lang
            or self.company_id.partner_id.lang
            or self.env.lang
            or "en_US"
        )

    def _tms_ec_notification_target(self):
        """``{partner, email, phone, lang}`` of the customer: the contact's email and
        mobile, else those written on the delivered parcel; ``phone`` in E.164, False
        when there is no valid number."""
        self.ensure_one()
        partner = self.partner_id
        origin = self.origin_parcel_id
        Parcel = self.env["tms.parcel"]
        phone = False
        country = partner.country_id or origin.recipient_country_id
        for number in (partner.mobile, origin.recipient_phone):
            if number and Parcel._tms_phone_is_valid(number, country):
                phone = Parcel._tms_format_phone(number, country)
                break
        return {
            "partner": partner,
            "email": partner.email or origin.recipient_email or False,
            "phone": phone,
            "lang": self._tms_ec_notify_lang(),
        }

    def _tms_ec_sms_gateway(self):
        """The gateway of a return SMS rule that names none: the carrier's HTTP
        gateway (that of its SMS rule for parcel recipients, else its first gateway);
        empty: Odoo's SMS service."""
        self.ensure_one()
        company = self.company_id
        rule = self.env["tms.notification.rule"].search(
            [
                ("company_id", "=", company.id),
                ("channel", "=", "sms"),
                ("audience", "=", "recipient"),
                ("res_model", "=", "tms.parcel"),
            ],
            limit=1,
        )
        if rule:
            return rule.sms_gateway_id
        return self.env["tms.sms.gateway"].search(
            [("company_id", "=", company.id)], limit=1
        )

    # ----------------------------------------------------------------------------------
    # what customers see
    # ----------------------------------------------------------------------------------
    def _tms_ec_merchant_name(self):
        """For templates: the shop the items go back to, else the carrier."""
        self.ensure_one()
        return self.shipper_id.commercial_partner_id.name or self.company_id.name

    def _tms_ec_public_url(self):
        """The return's page opened by its access token (emails, SMS)."""
        self.ensure_one()
        return f"{self.get_base_url()}/return/{self._portal_ensure_token()}"

    def _tms_ec_label_url(self):
        self.ensure_one()
        return f"/my/returns/{self.id}/label?access_token={self._portal_ensure_token()}"

    def _tms_ec_qr_url(self, size=QR_SIZE, absolute=False):
        """The image of the QR code of the return parcel's tracking number (what the
        hub scans), from Odoo's barcode route; empty without a return parcel."""
        self.ensure_one()
        number = self.return_tracking_number
        if not number:
            return ""
        url = (
            f"/report/barcode/?barcode_type=QR&value={quote(number)}"
            f"&width={int(size)}&height={int(size)}&barLevel=M"
        )
        return f"{self.get_base_url()}{url}" if absolute else url

    def _tms_ec_shows_qr(self):
        """Whether the customer still has to drop the parcel (the QR code is shown)."""
        self.ensure_one()
        return (
            self.state == "approved"
            and bool(self.return_parcel_id)
            and self.return_parcel_state in ("draft", "confirmed")
        )

    def _tms_ec_dropoff_hubs(self):
        """Where customers may drop their return parcel: the carrier's hubs, as dicts
        with ``name``, ``address`` (lines), ``phone`` and ``map_url``."""
        self.ensure_one()
        # sudo: customers may not read the carrier's hubs; only the public name,
        # address and phone of each leave this method.
        hubs = (
            self.env["tms.hub"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], order="sequence, name")
        )
        result = []
        for hub in hubs:
            partner = hub.partner_id
            zip_city = " ".join(p for p in (partner.zip, partner.city) if p)
            address = [
                line for line in (partner.street, partner.street2, zip_city) if line
            ]
            map_url = ""
            if hub.latitude or hub.longitude:
                map_url = (
                    "https://www.openstreetmap.org/?mlat="
                    f"{hub.latitude}&mlon={hub.longitude}#map=17/"
                    f"{hub.latitude}/{hub.longitude}"
                )
            result.append(
                {
                    "name": hub.name,
                    "address": address,
                    "phone": partner.phone or partner.mobile or "",
                    "map_url": map_url,
                }
            )
        return result

    @api.model
    def _tms_ec_portal_domain(self, partner=None):
        """The returns a portal customer follows: theirs (as the customer) and those
        of their shop (as the merchant), by commercial entity; the record rules of
        portal users say the same."""
        partner = (partner or self.env.user.partner_id).commercial_partner_id
        return [
            "|",
            ("partner_id.commercial_partner_id", "=", partner.id),
            ("shipper_id.commercial_partner_id", "=", partner.id),
        ]

    def _tms_ec_next_step(self):
        """One sentence telling the customer where the return stands."""
        self.ensure_one()
        _ = self.env._
        merchant = self.shipper_id.commercial_partner_id.name or self.company_id.name
        state = self.state
        if state == "requested":
            return _(
                "Your request was sent to %(merchant)s, who will answer soon.",
                merchant=merchant,
            )
        if state == "approved":
            if self._tms_ec_shows_qr():
                return _(
                    "Your return is approved: pack the items and take the parcel to a "
                    "drop-off point with this code. No label to print."
                )
            return _("Your return is approved.")
        if state == "refused":
            return _("%(merchant)s refused this return.", merchant=merchant)
        if state == "in_transit":
            return _(
                "Your parcel is on its way back to %(merchant)s.", merchant=merchant
            )
        if state == "received":
            return _(
                "%(merchant)s received your parcel and will inspect the items.",
                merchant=merchant,
            )
        if state == "inspected":
            return _("%(merchant)s inspected the items.", merchant=merchant)
        if state == "done":
            return _("This return is closed.")
        return _("This return was cancelled.")

    # ----------------------------------------------------------------------------------
    # what merchants see (the shipper's portal users)
    # ----------------------------------------------------------------------------------
    def _tms_ec_is_merchant(self, user=None):
        """Whether ``user`` (the current user) works for the shop the items go
        back to (the shipper, by commercial entity), not for the customer."""
        self.ensure_one()
        user = user or self.env.user
        # sudo: compares commercial entities only; a merchant may not read its
        # customers' contacts
        ret = self.sudo()
        if user._is_public() or not ret.shipper_id:
            return False
        entity = user.partner_id.commercial_partner_id
        return (
            ret.shipper_id.commercial_partner_id == entity
            and ret.partner_id.commercial_partner_id != entity
        )

    def _tms_ec_merchant_can_decide(self, user=None):
        """Whether the merchant may approve or refuse the request on the portal: it
        waits for approval and the shop approves its returns itself (manual policy)."""
        self.ensure_one()
        return (
            self.state == "requested"
            and self._tms_ec_is_merchant(user)
            # sudo: the shop's own policy, a field of its commercial entity
            and self.sudo().shipper_id._tms_ec_return_approval() == "manual"
        )

    def _tms_ec_merchant_decide(self, approve, refusal_reason=None):
        """Approve (``approve`` true) or refuse the request as its merchant, from the
        portal; a refusal needs the reason the customer will read."""
        self.ensure_one()
        self.check_access("read")
        if not self._tms_ec_merchant_can_decide():
            raise AccessError(
                self.env._(
                    "Only the shop the items go back to can approve or refuse this "
                    "return, while it waits for approval."
                )
            )
        merchant = self.env.user.partner_id.display_name
        # sudo: checked just above that the user is the return's merchant and that
        # its policy leaves the decision to it; portal users may not write returns.
        ret = self.sudo()
        if approve:
            ret._tms_ec_approve()
            ret._message_log(
                body=self.env._("Approved by the shop (%(name)s).", name=merchant)
            )
            return True
        reason = (refusal_reason or "").strip()[:MAX_COMMENT_LENGTH]
        if not reason:
            raise UserError(
                self.env._("Write why you refuse the return: the customer reads it.")
            )
        ret.refusal_reason = reason
        ret.action_refuse()
        ret._message_log(
            body=self.env._("Refused by the shop (%(name)s).", name=merchant)
        )
        return True

    def _tms_ec_merchant_next_step(self, can_decide=False):
        """One sentence telling the merchant where the return stands; ``can_decide``:
        the merchant decides on the request (:meth:`_tms_ec_merchant_can_decide`)."""
        self.ensure_one()
        _ = self.env._
        customer = self.partner_id.name or _("Your customer")
        state = self.state
        if state == "requested":
            if can_decide:
                return _(
                    "%(customer)s asks to return these items: approve or refuse the "
                    "request.",
                    customer=customer,
                )
            return _(
                "%(customer)s asks to return these items; %(carrier)s reviews the "
                "request.",
                customer=customer,
                carrier=self.company_id.name,
            )
        if state == "approved":
            return _(
                "Approved: %(customer)s takes the parcel to a drop-off point.",
                customer=customer,
            )
        if state == "refused":
            return _("This return was refused.")
        if state == "in_transit":
            return _("The returned items are on their way back to you.")
        if state == "received":
            return _("The returned items came back and wait for their inspection.")
        if state == "inspected":
            return _("The returned items were inspected.")
        if state == "done":
            return _("This return is closed.")
        return _("This return was cancelled.")

    def _tms_ec_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env)).get(
            self.state, self.state
        )

    def _tms_ec_status_class(self):
        self.ensure_one()
        if self.state in ("refused", "cancelled"):
            return "secondary" if self.state == "cancelled" else "danger"
        if self.state in ("done", "received", "inspected"):
            return "success"
        if self.state == "requested":
            return "warning"
        return "info"

    def _tms_ec_timeline(self):
        """The return parcel's tracking events as customers see them."""
        self.ensure_one()
        if not self.return_parcel_id:
            return []
        # sudo: the public timeline (no users, notes or positions) of the parcel the
        # caller was allowed to see the return of
        return self.return_parcel_id.sudo()._tms_public_timeline()

    def _tms_ec_field_text(self, record, field_name):
        """A field of ``record`` as text (selection label, record name or value)."""
        field = record._fields[field_name]
        value = record[field_name]
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value) or ""
        if field.type in ("many2one", "many2many", "one2many"):
            return ", ".join(value.mapped("display_name"))
        return value or ""

    def _tms_ec_inspection_summary(self):
        """What the inspection found and decided, for the customer, once the return
        is inspected (fields of the inspection, when installed):
        ``{condition, disposition, refund}`` (texts), or an empty dict."""
        self.ensure_one()
        if self.state not in ("inspected", "done"):
            return {}
        summary = {}
        for field_name, key in (
            ("inspection_condition", "condition"),
            ("disposition", "disposition"),
            ("refund_payment_state", "refund"),
        ):
            if field_name in self._fields and self[field_name]:
                summary[key] = self._tms_ec_field_text(self, field_name)
        return summary

    def _tms_ec_disposition_label(self):
        """The disposition chosen after inspection, as text; empty before."""
        self.ensure_one()
        return self._tms_ec_inspection_summary().get("disposition", "")

    # ----------------------------------------------------------------------------------
    # demo
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_ec_demo_returns(self, company_xmlid):
        """Demo data: three returns (waiting, approved, in transit) of recent parcels
        delivered by the demo carrier; nothing when it has none left to return."""
        company = self.env.ref(company_xmlid, raise_if_not_found=False)
        if not company:
            return []
        parcels = self.env["tms.parcel"].search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "delivered"),
                ("recipient_id", "!=", False),
                ("shipper_id", "!=", False),
                ("line_ids", "!=", False),
                ("tms_return_ids", "=", False),
            ],
            order="date_delivered desc, id desc",
            limit=20,
        )
        parcels = parcels.filtered(lambda p: p._tms_ec_can_return())[:3]
        Reason = self.env["tms.return.reason"]
        reason_codes = ("wrong_size", "wrong_item", "wrong_item")
        Return = self.with_company(company).with_context(tms_ec_no_notify=True)
        returns = self.browse()
        for index, parcel in enumerate(parcels):
            reason = Reason.search([("code", "=", reason_codes[index])], limit=1)
            line = parcel.line_ids[:1]
            if not reason:
                continue
            ret = Return._tms_ec_request(
                parcel,
                [{"parcel_line_id": line.id, "quantity": 1, "reason_id": reason.id}],
                comment=self.env._("The item does not fit, I would like a refund.")
                if index == 0
                else False,
            )
            if index == 2 and ret.return_parcel_id:
                hub = self.env["tms.hub"].search(
                    [("company_id", "=", company.id)], limit=1
                )
                ret.return_parcel_id.with_context(tms_ec_no_notify=True)._set_state(
                    "picked_up", source="scan", hub_id=hub.id
                )
            returns |= ret
        return returns.ids


def _tms_ec_int(value):
    """An id from a form or a JSON body; 0 when it is none."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
