# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Inspection of a received return, the disposition it proposes and what the
manager's confirmation does: restock, refund, repair or scrap."""

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

PACKAGING = [
    ("intact", "Intact"),
    ("damaged", "Damaged"),
    ("missing", "Missing"),
]
CONDITIONS = [
    ("new", "New"),
    ("like_new", "Like New"),
    ("used", "Used"),
    ("damaged", "Damaged"),
    ("defective", "Defective"),
]
DISPOSITIONS = [
    ("restock", "Restock"),
    ("refund", "Refund"),
    ("repair", "Repair"),
    ("scrap", "Scrap"),
]
# A refund is final once the credit note is paid (or its payment is on the way).
REFUNDED_PAYMENT_STATES = ("paid", "in_payment")
# The checklist fields the reception screen and save_inspection() fill.
CHECKLIST_FIELDS = (
    "inspection_packaging",
    "inspection_condition",
    "inspection_accessories_complete",
    "inspection_note",
)
# Dispositions that send the items back into the warehouse (a return transfer).
RESTOCKING = ("restock", "scrap")


class TmsReturn(models.Model):
    _inherit = "tms.return"

    # ----------------------------------------------------------------------------------
    # inspection checklist
    # ----------------------------------------------------------------------------------
    inspection_packaging = fields.Selection(
        PACKAGING, string="Packaging", tracking=True, copy=False
    )
    inspection_condition = fields.Selection(
        CONDITIONS, string="Product Condition", tracking=True, copy=False
    )
    inspection_accessories_complete = fields.Boolean(
        string="Accessories Complete",
        copy=False,
        help="Every accessory, manual and part delivered with the item is back.",
    )
    inspection_photo_ids = fields.Many2many(
        "ir.attachment",
        "tms_return_inspection_photo_rel",
        "return_id",
        "attachment_id",
        string="Inspection Photos",
        copy=False,
    )
    inspection_note = fields.Text(copy=False)
    inspection_user_id = fields.Many2one(
        "res.users", string="Inspected By", readonly=True, copy=False
    )
    inspection_date = fields.Datetime(string="Inspected On", readonly=True, copy=False)
    # ----------------------------------------------------------------------------------
    # disposition
    # ----------------------------------------------------------------------------------
    proposed_disposition = fields.Selection(
        DISPOSITIONS,
        compute="_compute_proposed_disposition",
        store=True,
        help="Computed from the inspection and the reasons; see the Returns "
        "documentation for the rule.",
    )
    proposed_refund = fields.Boolean(
        compute="_compute_proposed_disposition",
        store=True,
        help="A credit note is proposed: the order is invoiced and the reason or the "
        "condition of the items justify it.",
    )
    disposition = fields.Selection(
        DISPOSITIONS,
        compute="_compute_disposition",
        store=True,
        readonly=False,
        tracking=True,
        copy=False,
        help="Restock: the items go back into stock. Refund: a credit note only, the "
        "items are not put back in stock. Repair: the merchant repairs the items. "
        "Scrap: the items come back into the warehouse and are scrapped.",
    )
    refund = fields.Boolean(
        string="Issue Credit Note",
        compute="_compute_refund",
        store=True,
        readonly=False,
        tracking=True,
        copy=False,
        help="Issue a credit note for the returned items, from the order's invoice.",
    )
    disposition_user_id = fields.Many2one(
        "res.users", string="Confirmed By", readonly=True, copy=False
    )
    disposition_date = fields.Datetime(string="Confirmed On", readonly=True, copy=False)
    return_picking_id = fields.Many2one(
        "stock.picking",
        string="Return Transfer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    refund_move_id = fields.Many2one(
        "account.move",
        string="Credit Note",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    refund_payment_state = fields.Selection(
        related="refund_move_id.payment_state", string="Refund Status"
    )
    scrap_ids = fields.Many2many(
        "stock.scrap",
        "tms_return_stock_scrap_rel",
        "return_id",
        "scrap_id",
        string="Scraps",
        readonly=True,
        copy=False,
    )
    # sudo: a count, shown to TMS users who may not read scraps
    scrap_count = fields.Integer(compute="_compute_scrap_count", compute_sudo=True)
    date_repaired = fields.Datetime(string="Repaired On", readonly=True, copy=False)

    @api.depends(
        "inspection_packaging",
        "inspection_condition",
        "inspection_accessories_complete",
        "merchant_fault",
        "line_ids.reason_id.default_disposition",
        "sale_order_id",
    )
    def _compute_proposed_disposition(self):
        """The proposal, first match wins (documented in readme/RECEPTION.md):

        1. not inspected yet: no proposal;
        2. defective: repair (no credit note: the item comes back repaired);
        3. damaged: scrap, with a credit note only when the merchant is at fault
           (arrived damaged, wrong item); damaged by the customer, none;
        4. passes the inspection (new or like new, accessories complete, packaging
           intact or damaged): the reasons' default disposition, else restock; a
           credit note whenever the order is invoiced;
        5. otherwise (used, accessories or packaging missing): refund only (the
           items are not resold as new) when the order is invoiced and the merchant
           is at fault or it is a restock candidate anyway, else restock without a
           credit note.
        A credit note is only ever proposed for an invoiced order.
        """
        for rma in self:
            invoiced = bool(rma._tms_refundable_invoices())
            disposition, refund = rma._tms_propose(invoiced)
            rma.proposed_disposition = disposition
            rma.proposed_refund = refund

    def _tms_propose(self, invoiced):
        """``(disposition, refund)`` for the checklist of ``self``; see
        :meth:`_compute_proposed_disposition`."""
        self.ensure_one()
        condition = self.inspection_condition
        if not condition:
            return False, False
        fault = self.merchant_fault
        if condition == "defective":
            return "repair", False
        if condition == "damaged":
            return "scrap", invoiced and fault
        passes = (
            condition in ("new", "like_new")
            and self.inspection_accessories_complete
            and self.inspection_packaging in ("intact", "damaged")
        )
        if passes:
            defaults = [
                value
                for value in self.line_ids.reason_id.mapped("default_disposition")
                if value
            ]
            disposition = defaults[0] if defaults else "restock"
            if disposition == "repair":
                return disposition, False
            if disposition == "refund" and not invoiced:
                disposition = "restock"
            return disposition, invoiced
        if invoiced and fault:
            return "refund", True
        return "restock", False

    @api.depends("proposed_disposition")
    def _compute_disposition(self):
        for rma in self:
            if not rma.disposition_date:
                rma.disposition = rma.proposed_disposition

    @api.depends("disposition", "proposed_refund")
    def _compute_refund(self):
        for rma in self:
            if rma.disposition_date:
                continue
            if rma.disposition == "refund":
                rma.refund = True
            elif rma.disposition == "repair":
                rma.refund = False
            else:
                rma.refund = rma.proposed_refund

    def _compute_scrap_count(self):
        for rma in self:
            rma.scrap_count = len(rma.scrap_ids)

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_confirm_disposition(self):
        """The manager's decision: apply the disposition (return transfer, credit
        note, repair activity, scraps). Done now for a restock or a scrap without
        credit note; when the credit note is paid for a refund; when the items are
        repaired for a repair."""
        if not self.env.user.has_group("tms_core.group_tms_manager"):
            raise AccessError(
                self.env._("Only TMS managers can confirm the disposition of a return.")
            )
        self.check_access("write")
        for rma in self:
            rma._tms_check_can_confirm()
        for rma in self:
            rma._tms_apply_disposition()
        return True

    def action_mark_repaired(self):
        """The merchant repaired the items: the return is done."""
        self.check_access("write")
        for rma in self:
            if rma.disposition != "repair" or not rma.disposition_date:
                raise UserError(
                    self.env._(
                        "%(name)s is not waiting for a repair: confirm the Repair "
                        "disposition first.",
                        name=rma.name,
                    )
                )
            if rma.state != "inspected":
                raise UserError(
                    self.env._("%(name)s is already closed.", name=rma.name)
                )
        self.write({"date_repaired": fields.Datetime.now()})
        self._tms_close_activities(self.env._("Repair the returned items"))
        self._tms_set_done()
        return True

    def action_view_return_picking(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action.update(
            views=[(False, "form")], res_id=self.return_picking_id.id, domain=[]
        )
        return action

    def action_view_refund(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_refund_type"
        )
        action.update(views=[(False, "form")], res_id=self.refund_move_id.id, domain=[])
        return action

    def action_view_scraps(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_stock_scrap"
        )
        action["domain"] = [("id", "in", self.scrap_ids.ids)]
        action["context"] = {"create": False}
        return action

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    def _tms_check_can_confirm(self):
        """Refuse a confirmation that cannot be carried out, before anything is
        written, with what to do instead."""
        self.ensure_one()
        if self.state != "inspected" or self.disposition_date:
            raise UserError(
                self.env._(
                    "%(name)s cannot be confirmed: only an inspected return whose "
                    "disposition is not confirmed yet can be.",
                    name=self.name,
                )
            )
        if not self.disposition:
            raise UserError(
                self.env._("Choose the disposition of %(name)s first.", name=self.name)
            )
        lines = self.line_ids.filtered(lambda line: line.quantity > 0)
        if self.disposition in RESTOCKING or self.refund:
            missing = lines.filtered(lambda line: not line.product_id)
            if missing or not lines:
                raise UserError(
                    self.env._(
                        "%(name)s has items without a product (%(items)s): set the "
                        "product of each returned item, or choose Repair.",
                        name=self.name,
                        items=", ".join(missing.mapped("description") or ["-"]),
                    )
                )
        if self.disposition in RESTOCKING:
            if not self.env["stock.picking"].has_access("create"):
                raise UserError(
                    self.env._(
                        "Putting the items back in stock needs Inventory rights: ask "
                        "an inventory user to confirm %(name)s.",
                        name=self.name,
                    )
                )
            self._tms_origin_picking()  # raises when there is no delivery to return
        if self.refund:
            if not self.env["account.move"].has_access("create"):
                raise UserError(
                    self.env._(
                        "A credit note needs Invoicing rights: ask an accountant "
                        "to confirm %(name)s.",
                        name=self.name,
                    )
                )
            self._tms_refund_allocation()  # raises when there is no invoice

    def _tms_apply_disposition(self):
        self.ensure_one()
        self.write(
            {
                "disposition_user_id": self.env.user.id,
                "disposition_date": fields.Datetime.now(),
            }
        )
        self._tms_close_activities(self._tms_confirm_summary())
        disposition = self.disposition
        if disposition in RESTOCKING:
            self.return_picking_id = self._tms_create_return_picking()
        if disposition == "scrap":
            self.scrap_ids = self._tms_create_scraps()
        if self.refund:
            self.refund_move_id = self._tms_create_refund()
        if disposition == "repair":
            self._tms_schedule_repair()
            return
        if self.refund:
            self._message_log(
                body=self.env._(
                    "Disposition confirmed: credit note %(move)s issued; the return "
                    "is done when it is paid.",
                    move=self.refund_move_id.name,
                )
            )
            # a credit note reconciled at once (a zero amount) is already paid
            self._tms_check_refund_paid()
            return
        self._tms_set_done()

    def _tms_set_done(self):
        self.write({"state": "done"})
        for rma in self:
            rma._tms_ec_notify("done")

    def _tms_confirm_summary(self):
        return self.env._("Confirm the disposition of the return")

    def _tms_close_activities(self, summary):
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = self.activity_ids.filtered(
            lambda act: act.activity_type_id == todo and act.summary == summary
        )
        if not activities:
            return
        if self.env.user.email:
            activities.action_feedback(feedback=self.env._("Done from the return."))
        else:
            # marking done posts a message, which needs the author's email address
            activities.unlink()

    # ----- restock --------------------------------------------------------------------
    def _tms_origin_picking(self):
        """The done delivery the returned items left with: the delivered parcel's
        transfer, else the order's done delivery holding every returned product."""
        self.ensure_one()
        picking = self.origin_parcel_id.picking_id
        if picking and picking.state == "done":
            return picking
        needed = set(self.line_ids.product_id.ids)
        candidates = self.sale_order_id.picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        )
        for candidate in candidates.sorted("date_done", reverse=True):
            if needed <= set(candidate.move_ids.product_id.ids):
                return candidate
        raise UserError(
            self.env._(
                "%(name)s cannot be put back in stock with a return transfer: no done "
                "delivery order of Odoo holds its items (the parcel was created "
                "without one). Receive the items in Inventory (a receipt or a "
                "quantity update), then choose the disposition Refund or Repair, or "
                "link the parcel to its delivery order.",
                name=self.name,
            )
        )

    def _tms_create_return_picking(self):
        """A return of the origin delivery for the returned quantities, validated
        (left ready when lots or serial numbers must be given)."""
        self.ensure_one()
        picking = self._tms_origin_picking()
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        remaining = self._tms_quantities_by_line()
        for wizard_line in wizard.product_return_moves:
            move = wizard_line.move_id
            returnable = move.quantity - sum(
                move.returned_move_ids.filtered(lambda m: m.state != "cancel").mapped(
                    "product_uom_qty"
                )
            )
            quantity = 0.0
            for key in list(remaining):
                sale_line_id, product_id = key
                if product_id != move.product_id.id:
                    continue
                if sale_line_id and move.sale_line_id.id not in (sale_line_id, False):
                    continue
                take = min(remaining[key], returnable - quantity)
                if take <= 0:
                    continue
                quantity += take
                remaining[key] -= take
                if float_is_zero(remaining[key], precision_digits=6):
                    del remaining[key]
            values = {"quantity": quantity}
            if "to_refund" in wizard_line._fields:
                # the order's delivered quantity goes down only when the customer
                # gets a credit note for it (else the order would ask for one)
                values["to_refund"] = bool(self.refund)
            wizard_line.write(values)
        if remaining:
            products = self.env["product.product"].browse(
                [product_id for _sale_line, product_id in remaining]
            )
            raise UserError(
                self.env._(
                    "%(name)s returns more than %(picking)s delivered and was not "
                    "returned yet: %(products)s.",
                    name=self.name,
                    picking=picking.name,
                    products=", ".join(products.mapped("display_name")),
                )
            )
        return_picking = wizard._create_return()
        return_picking.origin = f"{self.name} ({return_picking.origin})"
        self._tms_validate_picking(return_picking)
        return return_picking

    def _tms_quantities_by_line(self):
        """Returned quantities by (sale order line id, product id), in the products'
        units of measure."""
        quantities = defaultdict(float)
        for line in self.line_ids.filtered(lambda r: r.product_id and r.quantity > 0):
            quantities[(line.sale_line_id.id, line.product_id.id)] += line.quantity
        return quantities

    def _tms_validate_picking(self, picking):
        if any(move.has_tracking != "none" for move in picking.move_ids):
            picking._message_log(
                body=self.env._(
                    "Return %(name)s: give the lots or serial numbers of the returned "
                    "items, then validate this transfer.",
                    name=self.name,
                )
            )
            return
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        result = picking.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=picking.ids
        ).button_validate()
        if result is not True and picking.state != "done":
            picking._message_log(
                body=self.env._(
                    "Return %(name)s: this transfer needs a check before validation.",
                    name=self.name,
                )
            )

    # ----- scrap ----------------------------------------------------------------------
    def _tms_create_scraps(self):
        """Scrap the returned items from where the return transfer put them."""
        self.ensure_one()
        picking = self.return_picking_id
        if picking.state != "done":
            raise UserError(
                self.env._(
                    "The return transfer %(picking)s of %(name)s must be validated "
                    "before its items are scrapped.",
                    picking=picking.name,
                    name=self.name,
                )
            )
        quantities = defaultdict(float)
        for move in picking.move_ids.filtered(lambda m: m.state == "done"):
            quantities[move.product_id] += move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
        scraps = self.env["stock.scrap"].create(
            [
                {
                    "company_id": self.company_id.id,
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    "scrap_qty": quantity,
                    "picking_id": picking.id,
                    "location_id": picking.location_dest_id.id,
                    "origin": self.name,
                }
                for product, quantity in quantities.items()
            ]
        )
        # the return transfer just put these quantities there: no availability check
        scraps.do_scrap()
        return scraps

    # ----- refund ---------------------------------------------------------------------
    def _tms_refundable_invoices(self):
        """The order's posted customer invoices."""
        self.ensure_one()
        return self.sale_order_id.invoice_ids.filtered(
            lambda move: move.state == "posted" and move.move_type == "out_invoice"
        )

    def _tms_refund_allocation(self):
        """``(invoice, {invoice line: quantity})``: the one posted invoice the
        returned items are credited from."""
        self.ensure_one()
        invoices = self._tms_refundable_invoices()
        if not invoices:
            raise UserError(
                self.env._(
                    "%(name)s cannot be refunded: its order %(order)s has no posted "
                    "customer invoice to issue a credit note from. Invoice the order "
                    "first, or untick Credit Note and refund the customer another "
                    "way.",
                    name=self.name,
                    order=self.sale_order_id.name or self.env._("(none)"),
                )
            )
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        for invoice in invoices.sorted("invoice_date", reverse=True):
            allocation = {}
            available = {}
            complete = True
            for (
                sale_line_id,
                product_id,
            ), quantity in self._tms_quantities_by_line().items():
                left = quantity
                for line in invoice.invoice_line_ids.filtered(
                    lambda invl, p=product_id, s=sale_line_id: invl.product_id.id == p
                    and (not s or s in invl.sale_line_ids.ids)
                ):
                    # in the product's unit, like the returned quantities
                    room = available.setdefault(
                        line,
                        line.product_uom_id._compute_quantity(
                            line.quantity, line.product_id.uom_id, round=False
                        ),
                    )
                    take = min(left, room)
                    if take <= 0:
                        continue
                    allocation[line] = allocation.get(line, 0.0) + take
                    available[line] -= take
                    left -= take
                if float_compare(left, 0.0, precision_digits=precision) > 0:
                    complete = False
                    break
            if complete and allocation:
                return invoice, allocation
        raise UserError(
            self.env._(
                "%(name)s cannot be refunded automatically: no single posted invoice "
                "of %(order)s holds all the returned items. Issue the credit notes "
                "from the invoices, or untick Credit Note.",
                name=self.name,
                order=self.sale_order_id.name,
            )
        )

    def _tms_create_refund(self):
        """A posted credit note of the original invoice, limited to the returned
        products and quantities."""
        self.ensure_one()
        invoice, allocation = self._tms_refund_allocation()
        reason = self.env._("Return %(name)s", name=self.name)
        credit_note = invoice._reverse_moves(
            default_values_list=[
                {
                    "ref": reason,
                    "invoice_origin": invoice.invoice_origin,
                    "invoice_date": fields.Date.context_today(self),
                    "date": fields.Date.context_today(self),
                }
            ]
        )
        # the copy holds every line of the invoice: replace them with the returned
        # items only, at the invoiced prices, taxes and accounts
        linked = bool(self.return_picking_id)
        commands = [Command.delete(line.id) for line in credit_note.invoice_line_ids]
        for source, quantity in allocation.items():
            values = {
                "display_type": "product",
                "product_id": source.product_id.id,
                "name": source.name,
                "product_uom_id": source.product_uom_id.id,
                "quantity": source.product_id.uom_id._compute_quantity(
                    quantity, source.product_uom_id
                ),
                "price_unit": source.price_unit,
                "discount": source.discount,
                "tax_ids": [Command.set(source.tax_ids.ids)],
                "account_id": source.account_id.id,
                "analytic_distribution": source.analytic_distribution,
            }
            if linked and "sale_line_ids" in source._fields:
                # the return transfer lowered the order's delivered quantity: the
                # credit note lowers its invoiced quantity the same way (unlinked,
                # the order would ask to invoice the items again)
                values["sale_line_ids"] = [Command.set(source.sale_line_ids.ids)]
            commands.append(Command.create(values))
        credit_note.write({"invoice_line_ids": commands})
        credit_note.action_post()
        credit_note._message_log(
            body=self.env._(
                "Credit note of the return %(name)s.", name=self._get_html_link()
            )
        )
        return credit_note

    def _tms_check_refund_paid(self):
        """Close the returns whose credit note is paid; tell the customers."""
        refunded = self.filtered(
            lambda rma: rma.state == "inspected"
            and rma.disposition_date
            and rma.refund_move_id.payment_state in REFUNDED_PAYMENT_STATES
        )
        if not refunded:
            return refunded
        refunded.write({"state": "done"})
        for rma in refunded:
            rma._message_log(
                body=self.env._(
                    "Credit note %(move)s paid: the return is done.",
                    move=rma.refund_move_id.name,
                )
            )
            rma._tms_ec_notify("refunded")
        return refunded

    # ----- repair ---------------------------------------------------------------------
    def _tms_schedule_repair(self):
        """An activity for the merchant's salesperson (else the manager) to repair
        the items and mark the return repaired."""
        self.ensure_one()
        user = self.sale_order_id.user_id or self.env.user
        # without an email address, no assignment email (see the reception)
        self.with_context(
            mail_activity_quick_update=not self.env.user.email
        ).activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Repair the returned items"),
            note=self.env._(
                "Repair the items of %(name)s, then press Mark Repaired on the return.",
                name=self.name,
            ),
            user_id=user.id,
        )
        self._message_log(
            body=self.env._(
                "Disposition confirmed: repair, assigned to %(user)s.", user=user.name
            )
        )
