# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Remittances: the cash on delivery the cashiers confirmed, paid back to each shipper
less the carrier's fee per parcel and, when the shipper's terms say so, less their open
customer invoices. Paying posts one entry for the fees and the netting, and one
outbound payment from the remittance journal; both debit the COD payable account."""

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

REMITTANCE_STATES = [("draft", "Draft"), ("paid", "Paid")]


class TmsCodRemittance(models.Model):
    _name = "tms.cod.remittance"
    _description = "COD Remittance"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    shipper_id = fields.Many2one(
        "res.partner",
        string="Shipper",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        REMITTANCE_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    line_ids = fields.One2many(
        "tms.cod.remittance.line", "remittance_id", string="Parcels", readonly=True
    )
    parcel_count = fields.Integer(compute="_compute_totals", store=True)
    collected_total = fields.Monetary(
        string="Collected", compute="_compute_totals", store=True
    )
    fee_total = fields.Monetary(string="Fees", compute="_compute_totals", store=True)
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices Netted",
        readonly=True,
        copy=False,
        check_company=True,
    )
    netted_amount = fields.Monetary(
        string="Invoices Netted Amount", readonly=True, copy=False
    )
    net_amount = fields.Monetary(
        string="Net Paid", compute="_compute_net_amount", store=True
    )
    move_id = fields.Many2one(
        "account.move",
        string="Fee Entry",
        readonly=True,
        copy=False,
        check_company=True,
    )
    payment_id = fields.Many2one(
        "account.payment", readonly=True, copy=False, check_company=True
    )

    @api.depends("line_ids.collected_amount", "line_ids.fee")
    def _compute_totals(self):
        for remittance in self:
            remittance.parcel_count = len(remittance.line_ids)
            remittance.collected_total = sum(
                remittance.line_ids.mapped("collected_amount")
            )
            remittance.fee_total = sum(remittance.line_ids.mapped("fee"))

    @api.depends("collected_total", "fee_total", "netted_amount")
    def _compute_net_amount(self):
        for remittance in self:
            remittance.net_amount = (
                remittance.collected_total
                - remittance.fee_total
                - remittance.netted_amount
            )

    def _compute_access_url(self):
        for remittance in self:
            remittance.access_url = f"/my/cod/remittances/{remittance.id}"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("tms.cod.remittance")
                    or "/"
                )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(remittance.state != "draft" for remittance in self):
            raise UserError(self.env._("A paid remittance cannot be deleted."))

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("COD Statement %(name)s", name=self.name)

    def action_prepare(self):
        """Prepare a draft remittance per shipper for the cash on delivery the
        cashiers confirmed and nobody remitted yet, then show them. A list's
        button: called with the selected remittances, if any, which play no part."""
        remittances = self.browse()._tms_prepare(self.env.company)
        if not remittances:
            raise UserError(self.env._("No confirmed cash on delivery to remit."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_trans.tms_cod_remittance_action"
        )
        action["domain"] = [("id", "in", remittances.ids)]
        return action

    def action_pay(self):
        self._tms_check_cashier()
        for remittance in self:
            if remittance.state != "draft":
                raise UserError(
                    self.env._(
                        "Remittance %(name)s is already paid.", name=remittance.name
                    )
                )
            remittance._tms_pay()
        return True

    def _tms_check_cashier(self):
        if not self.env.user.has_group("tms_trans.group_tms_cod_cashier"):
            raise AccessError(
                self.env._("Only COD cashiers may prepare or pay remittances.")
            )

    @api.model
    def _tms_prepare(self, company, shippers=None):
        """One draft remittance per shipper with confirmed, unremitted cash on
        delivery; parcels already on a draft remittance stay there."""
        self._tms_check_cashier()
        domain = [
            ("company_id", "=", company.id),
            ("sheet_id.state", "=", "confirmed"),
            ("collected_amount", ">", 0),
            ("remittance_line_ids", "=", False),
            ("shipper_id", "!=", False),
        ]
        if shippers is not None:
            domain.append(("shipper_id", "in", shippers.ids))
        lines = self.env["tms.cod.sheet.line"].search(domain)
        remittances = self.browse()
        for shipper in lines.shipper_id:
            fee = shipper._tms_cod_fee_per_parcel(company)
            shipper_lines = lines.filtered(lambda li, s=shipper: li.shipper_id == s)
            remittances |= self.create(
                {
                    "company_id": company.id,
                    "shipper_id": shipper.id,
                    "line_ids": [
                        Command.create(
                            {
                                "sheet_line_id": line.id,
                                # never more fee than the parcel brought in
                                "fee": min(fee, line.collected_amount),
                            }
                        )
                        for line in shipper_lines
                    ],
                }
            )
        return remittances

    def _tms_open_invoices(self, limit_amount):
        """The shipper's open customer invoices, oldest first, netted up to
        ``limit_amount``: {invoice: amount}."""
        self.ensure_one()
        invoices = self.env["account.move"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("commercial_partner_id", "=", self.shipper_id.id),
                ("currency_id", "=", self.currency_id.id),
            ],
            order="invoice_date_due, id",
        )
        netted = {}
        left = limit_amount
        for invoice in invoices:
            if self.currency_id.compare_amounts(left, 0) <= 0:
                break
            amount = min(invoice.amount_residual, left)
            netted[invoice] = amount
            left -= amount
        return netted

    def _tms_pay(self):
        """Post the fee and netting entry and the outbound payment, and reconcile
        the shipper's COD payable."""
        self.ensure_one()
        _ = self.env._
        company = self.company_id
        currency = self.currency_id
        payable = company.tms_cod_account_id
        if not payable:
            raise UserError(
                _("Set the COD payable account in the settings (Cash on Delivery).")
            )
        if not self.line_ids:
            raise UserError(_("Remittance %(name)s has no parcel.", name=self.name))
        available = self.collected_total - self.fee_total
        netted = (
            self._tms_open_invoices(available)
            if self.shipper_id.tms_cod_net_invoices
            else {}
        )
        self.write(
            {
                "netted_amount": sum(netted.values()),
                "invoice_ids": [Command.set([i.id for i in netted])],
            }
        )
        if currency.compare_amounts(self.net_amount, 0) < 0:
            raise UserError(
                _("The fees of %(name)s exceed what was collected.", name=self.name)
            )
        moves = self.env["account.move"]
        if not currency.is_zero(self.fee_total) or netted:
            moves |= self._tms_post_fee_entry(payable, netted)
        if not currency.is_zero(self.net_amount):
            moves |= self._tms_post_payment(payable)
        (moves.line_ids | self._tms_sheet_payable_lines(payable)).filtered(
            lambda line: line.account_id == payable
            and line.partner_id == self.shipper_id
            and not line.reconciled
        ).reconcile()
        self.write({"state": "paid"})
        self._message_log(
            body=_(
                "Paid %(net)s to %(shipper)s: %(collected)s collected, %(fees)s fees, "
                "%(netted)s invoices netted.",
                net=self.net_amount,
                shipper=self.shipper_id.name,
                collected=self.collected_total,
                fees=self.fee_total,
                netted=self.netted_amount,
            )
        )

    def _tms_sheet_payable_lines(self, payable):
        return self.line_ids.sheet_line_id.sheet_id.move_ids.line_ids.filtered(
            lambda line: line.account_id == payable
        )

    def _tms_post_fee_entry(self, payable, netted):
        _ = self.env._
        company = self.company_id
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "general"),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(_("The company needs a miscellaneous journal."))
        lines = []
        if not self.currency_id.is_zero(self.fee_total):
            if not company.tms_cod_fee_account_id:
                raise UserError(_("Set the COD fee income account in the settings."))
            lines += [
                {
                    "name": _("%(name)s: COD fees", name=self.name),
                    "account_id": payable.id,
                    "partner_id": self.shipper_id.id,
                    "debit": self.fee_total,
                },
                {
                    "name": _("%(name)s: COD fees", name=self.name),
                    "account_id": company.tms_cod_fee_account_id.id,
                    "partner_id": self.shipper_id.id,
                    "credit": self.fee_total,
                },
            ]
        receivable = self.shipper_id.with_company(
            company
        ).property_account_receivable_id
        for invoice, amount in netted.items():
            lines += [
                {
                    "name": _(
                        "%(name)s: %(invoice)s netted",
                        name=self.name,
                        invoice=invoice.name,
                    ),
                    "account_id": payable.id,
                    "partner_id": self.shipper_id.id,
                    "debit": amount,
                },
                {
                    "name": _(
                        "%(name)s: %(invoice)s netted",
                        name=self.name,
                        invoice=invoice.name,
                    ),
                    "account_id": receivable.id,
                    "partner_id": self.shipper_id.id,
                    "credit": amount,
                },
            ]
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "company_id": company.id,
                "date": self.date,
                "ref": self.name,
                "tms_cod_remittance_id": self.id,
                "line_ids": [Command.create(vals) for vals in lines],
            }
        )
        move.action_post()
        for invoice in netted:
            (invoice.line_ids | move.line_ids).filtered(
                lambda line: line.account_id == receivable and not line.reconciled
            ).reconcile()
        self.move_id = move
        return move

    def _tms_post_payment(self, payable):
        company = self.company_id
        journal = company.tms_cod_remit_journal_id or self.env[
            "account.journal"
        ].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "bank"),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(
                self.env._("Set the COD remittance journal in the settings.")
            )
        payment = self.env["account.payment"].create(
            {
                "payment_type": "outbound",
                "partner_type": "supplier",
                "partner_id": self.shipper_id.id,
                "amount": self.net_amount,
                "currency_id": self.currency_id.id,
                "journal_id": journal.id,
                "company_id": company.id,
                "date": self.date,
                "memo": self.name,
                "destination_account_id": payable.id,
            }
        )
        payment.action_post()
        self.payment_id = payment
        return payment.move_id

    @api.model
    def _tms_portal_figures(self, partner):
        """The COD figures a shipper (a commercial partner) sees in the portal:
        collected and confirmed, in transit to a cashier, remitted, still held."""
        Line = self.env["tms.cod.sheet.line"]
        confirmed = Line.search(
            [("shipper_id", "=", partner.id), ("sheet_id.state", "=", "confirmed")]
        )
        in_transit = self.env["tms.parcel"].search(
            [
                ("shipper_id.commercial_partner_id", "=", partner.id),
                ("state", "=", "delivered"),
                ("cod_collected_amount", ">", 0),
                ("id", "not in", confirmed.parcel_id.ids),
            ]
        )
        remitted = confirmed.filtered("remitted")
        return {
            "collected": sum(confirmed.mapped("collected_amount")),
            "in_transit": sum(in_transit.mapped("cod_collected_amount")),
            "remitted": sum(remitted.mapped("collected_amount")),
            "held": sum((confirmed - remitted).mapped("collected_amount")),
        }
