# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The driver's cash sheet: at the end of a round, the cash on delivery expected per
parcel against what he declared at the door, by method. He hands the money over at the
hub; the cashier counts it per method and confirms, which posts one journal entry in
the hub's cash journal, crediting what the customers paid to the shippers' COD payable
account and putting a counted difference on the journal's loss or profit account."""

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from .tms_parcel import COD_METHODS

SHEET_STATES = [("draft", "To Count"), ("confirmed", "Confirmed")]


class TmsCodSheet(models.Model):
    _name = "tms.cod.sheet"
    _description = "COD Cash Sheet"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    round_id = fields.Many2one(
        "tms.round",
        required=True,
        readonly=True,
        check_company=True,
        index=True,
        ondelete="restrict",
    )
    driver_id = fields.Many2one(
        "res.users", string="Driver", required=True, readonly=True, index=True
    )
    hub_id = fields.Many2one(
        "tms.hub", string="Depot", required=True, readonly=True, check_company=True
    )
    date = fields.Date(required=True, readonly=True, index=True)
    state = fields.Selection(
        SHEET_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    line_ids = fields.One2many("tms.cod.sheet.line", "sheet_id", string="Parcels")
    parcel_count = fields.Integer(compute="_compute_totals", store=True)
    expected_total = fields.Monetary(
        string="Expected", compute="_compute_totals", store=True
    )
    declared_cash = fields.Monetary(compute="_compute_totals", store=True)
    declared_cheque = fields.Monetary(
        string="Declared Cheques", compute="_compute_totals", store=True
    )
    declared_card = fields.Monetary(compute="_compute_totals", store=True)
    declared_total = fields.Monetary(
        string="Declared", compute="_compute_totals", store=True
    )
    parcel_difference_count = fields.Integer(
        string="Parcels with a Difference", compute="_compute_totals", store=True
    )
    counted_cash = fields.Monetary(tracking=True)
    counted_cheque = fields.Monetary(string="Counted Cheques", tracking=True)
    counted_card = fields.Monetary(tracking=True)
    counted_total = fields.Monetary(
        string="Counted", compute="_compute_counted", store=True
    )
    difference = fields.Monetary(
        compute="_compute_counted",
        store=True,
        help="Counted less declared: negative when money is missing.",
    )
    has_difference = fields.Boolean(
        compute="_compute_counted",
        store=True,
        index=True,
        help="The count differs from the declaration, or a parcel's amount collected "
        "from its amount to collect.",
    )
    move_ids = fields.One2many("account.move", "tms_cod_sheet_id", string="Postings")
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", compute="_compute_move_id"
    )
    # the posting's lines shown on the sheet: billing users (the cashiers) do not
    # see an entry's journal items on the entry itself
    move_line_ids = fields.One2many(
        "account.move.line", string="Journal Items", compute="_compute_move_id"
    )
    date_confirmed = fields.Datetime(string="Confirmed On", readonly=True, copy=False)
    cashier_id = fields.Many2one("res.users", string="Cashier", readonly=True)

    _sql_constraints = [
        (
            "round_driver_uniq",
            "UNIQUE(round_id, driver_id)",
            "A round has one cash sheet per driver.",
        ),
    ]

    @api.depends(
        "line_ids.expected_amount",
        "line_ids.collected_amount",
        "line_ids.method",
        "line_ids.has_difference",
    )
    def _compute_totals(self):
        for sheet in self:
            lines = sheet.line_ids
            sheet.parcel_count = len(lines)
            sheet.expected_total = sum(lines.mapped("expected_amount"))
            by_method = defaultdict(float)
            for line in lines:
                by_method[line.method] += line.collected_amount
            sheet.declared_cash = by_method["cash"]
            sheet.declared_cheque = by_method["cheque"]
            sheet.declared_card = by_method["card"]
            sheet.declared_total = sum(lines.mapped("collected_amount"))
            sheet.parcel_difference_count = len(lines.filtered("has_difference"))

    @api.depends(
        "counted_cash",
        "counted_cheque",
        "counted_card",
        "declared_total",
        "parcel_difference_count",
    )
    def _compute_counted(self):
        for sheet in self:
            sheet.counted_total = (
                sheet.counted_cash + sheet.counted_cheque + sheet.counted_card
            )
            sheet.difference = sheet.counted_total - sheet.declared_total
            sheet.has_difference = bool(
                sheet.parcel_difference_count
                or not sheet.currency_id.is_zero(sheet.difference)
            )

    @api.depends("move_ids")
    def _compute_move_id(self):
        for sheet in self:
            sheet.move_id = sheet.move_ids[:1]
            sheet.move_line_ids = sheet.move_ids[:1].line_ids

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
                    .next_by_code("tms.cod.sheet")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        if {"counted_cash", "counted_cheque", "counted_card"} & set(vals) and any(
            sheet.state == "confirmed" for sheet in self
        ):
            raise UserError(self.env._("A confirmed cash sheet cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(sheet.state == "confirmed" for sheet in self):
            raise UserError(self.env._("A confirmed cash sheet cannot be deleted."))

    def action_count_as_declared(self):
        """Fill the count with what the driver declared, method by method."""
        for sheet in self.filtered(lambda s: s.state == "draft"):
            sheet.write(
                {
                    "counted_cash": sheet.declared_cash,
                    "counted_cheque": sheet.declared_cheque,
                    "counted_card": sheet.declared_card,
                }
            )
        return True

    def action_confirm(self):
        """The cashier confirms the count: the sheet is posted once, and a
        difference gets an activity for the hub manager."""
        if not self.env.user.has_group("tms_trans.group_tms_cod_cashier"):
            raise AccessError(self.env._("Only COD cashiers may confirm cash sheets."))
        for sheet in self:
            if sheet.state != "draft":
                raise UserError(
                    self.env._(
                        "Cash sheet %(sheet)s is already confirmed.",
                        sheet=sheet.display_name,
                    )
                )
            sheet._tms_add_missing_parcels()
            move = sheet._tms_post()
            sheet.write(
                {
                    "state": "confirmed",
                    "date_confirmed": fields.Datetime.now(),
                    "cashier_id": self.env.uid,
                }
            )
            if move:
                sheet._message_log(
                    body=self.env._("Posted as %(move)s.", move=move.display_name)
                )
            if sheet.has_difference:
                sheet._tms_schedule_difference_activity()
        return True

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "form",
            "res_id": self.move_id.id,
        }

    @api.model
    def _tms_sheet_parcels(self, tms_round):
        """The parcels a round's cash sheet accounts for: its COD parcels delivered."""
        return tms_round.stop_ids.parcel_ids.filtered(
            lambda p: p.cod_amount > 0 and p.state == "delivered"
        )

    @api.model
    def _tms_create_for_rounds(self, rounds):
        """One sheet per finished round and driver, with its delivered COD parcels;
        an existing sheet still to count gets the parcels it misses."""
        existing = self.search([("round_id", "in", rounds.ids)])
        sheets = self.browse()
        for tms_round in rounds.filtered(lambda r: r.driver_id):
            sheet = existing.filtered(
                lambda s, r=tms_round: s.round_id == r and s.driver_id == r.driver_id
            )
            if not sheet:
                sheet = self.create(
                    {
                        "company_id": tms_round.company_id.id,
                        "round_id": tms_round.id,
                        "driver_id": tms_round.driver_id.id,
                        "hub_id": tms_round.hub_id.id,
                        "date": tms_round.date,
                    }
                )
            sheet._tms_add_missing_parcels()
            sheets |= sheet
        return sheets

    def _tms_add_missing_parcels(self):
        for sheet in self.filtered(lambda s: s.state == "draft"):
            missing = self._tms_sheet_parcels(sheet.round_id) - sheet.line_ids.parcel_id
            # a parcel is on one sheet only: one on another sheet stays there
            taken = self.env["tms.cod.sheet.line"].search(
                [("parcel_id", "in", missing.ids)]
            )
            missing -= taken.parcel_id
            if missing:
                sheet.line_ids = [
                    Command.create({"parcel_id": parcel.id}) for parcel in missing
                ]

    def _prepare_move_vals(self):
        """The journal entry of a confirmed sheet: the money counted into the hub's
        cash journal, method by method; what the customers paid owed to each shipper;
        the counted difference to the journal's loss or profit account."""
        self.ensure_one()
        _ = self.env._
        journal = self.hub_id.cod_journal_id
        if not journal:
            raise UserError(
                _(
                    "Depot %(hub)s has no COD cash journal: set it on the depot.",
                    hub=self.hub_id.display_name,
                )
            )
        payable = self.company_id.tms_cod_account_id
        if not payable:
            raise UserError(
                _("Set the COD payable account in the settings (Cash on Delivery).")
            )
        currency = self.currency_id
        lines = []
        labels = dict(COD_METHODS)
        for method, amount in [
            ("cash", self.counted_cash),
            ("cheque", self.counted_cheque),
            ("card", self.counted_card),
        ]:
            if not currency.is_zero(amount):
                lines.append(
                    {
                        "name": _(
                            "%(sheet)s: %(method)s counted",
                            sheet=self.name,
                            method=labels[method],
                        ),
                        "account_id": journal.default_account_id.id,
                        "partner_id": self.driver_id.partner_id.id,
                        "debit": max(amount, 0.0),
                        "credit": max(-amount, 0.0),
                    }
                )
        by_shipper = defaultdict(float)
        for line in self.line_ids:
            by_shipper[line.shipper_id] += line.collected_amount
        for shipper, amount in by_shipper.items():
            if currency.is_zero(amount):
                continue
            lines.append(
                {
                    "name": _("%(sheet)s: cash on delivery collected", sheet=self.name),
                    "account_id": payable.id,
                    "partner_id": shipper.id,
                    "credit": amount,
                    "debit": 0.0,
                }
            )
        difference = self.difference
        if not currency.is_zero(difference):
            account = (
                journal.loss_account_id if difference < 0 else journal.profit_account_id
            )
            if not account:
                raise UserError(
                    _(
                        "Journal %(journal)s needs a loss and a profit account for "
                        "cash differences.",
                        journal=journal.display_name,
                    )
                )
            lines.append(
                {
                    "name": _(
                        "%(sheet)s: difference of driver %(driver)s",
                        sheet=self.name,
                        driver=self.driver_id.name,
                    ),
                    "account_id": account.id,
                    "partner_id": self.driver_id.partner_id.id,
                    "debit": max(-difference, 0.0),
                    "credit": max(difference, 0.0),
                }
            )
        if not lines:
            return None
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "date": fields.Date.context_today(self),
            "ref": self.name,
            "tms_cod_sheet_id": self.id,
            "line_ids": [Command.create(vals) for vals in lines],
        }

    def _tms_post(self):
        """Create and post the sheet's one journal entry (none when nothing was
        collected nor counted)."""
        self.ensure_one()
        if self.move_ids:
            raise UserError(
                self.env._(
                    "Cash sheet %(sheet)s is already posted.", sheet=self.display_name
                )
            )
        vals = self._prepare_move_vals()
        if vals is None:
            return self.env["account.move"]
        move = self.env["account.move"].create(vals)
        move.action_post()
        return move

    def _tms_difference_manager(self):
        """Who hears about a difference: the depot's manager, else the company's TMS
        managers' first user."""
        self.ensure_one()
        if self.hub_id.cod_manager_id:
            return self.hub_id.cod_manager_id
        return self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("tms_core.group_tms_manager").id),
                ("company_ids", "in", self.company_id.id),
                ("share", "=", False),
            ],
            order="id",
            limit=1,
        )

    def _tms_schedule_difference_activity(self):
        self.ensure_one()
        _ = self.env._
        notes = [
            _(
                "%(parcel)s: %(collected)s collected for %(expected)s (%(reason)s)",
                parcel=line.parcel_id.display_name,
                collected=line.collected_amount,
                expected=line.expected_amount,
                reason=line.difference_reason or _("no reason given"),
            )
            for line in self.line_ids.filtered("has_difference")
        ]
        if not self.currency_id.is_zero(self.difference):
            notes.insert(
                0,
                _(
                    "Counted %(counted)s for %(declared)s declared by %(driver)s.",
                    counted=self.counted_total,
                    declared=self.declared_total,
                    driver=self.driver_id.name,
                ),
            )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("COD difference on %(sheet)s", sheet=self.name),
            note=Markup("<br/>").join(notes),
            user_id=self._tms_difference_manager().id or self.env.uid,
        )

    @api.model
    def _tms_cod_invariant_problems(self, company):
        """What does not add up for a company's cash on delivery, as sentences:
        a delivered COD parcel of a finished round on no sheet or on several, a
        confirmed sheet without exactly one posted entry, and the COD payable
        balance against what was collected and not yet remitted."""
        _ = self.env._
        problems = []
        Parcel = self.env["tms.parcel"]
        Line = self.env["tms.cod.sheet.line"]
        parcels = Parcel.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "delivered"),
                ("cod_amount", ">", 0),
                ("round_id.state", "=", "done"),
            ]
        )
        counts = dict(
            Line._read_group(
                [("parcel_id", "in", parcels.ids)], ["parcel_id"], ["__count"]
            )
        )
        for parcel in parcels:
            count = counts.get(parcel, 0)
            if count != 1:
                problems.append(
                    _(
                        "Parcel %(parcel)s is on %(count)s cash sheets.",
                        parcel=parcel.display_name,
                        count=count,
                    )
                )
        sheets = self.search(
            [("company_id", "=", company.id), ("state", "=", "confirmed")]
        )
        for sheet in sheets:
            posted = sheet.move_ids.filtered(lambda m: m.state == "posted")
            nothing = sheet.currency_id.is_zero(
                sheet.declared_total
            ) and sheet.currency_id.is_zero(sheet.counted_total)
            if len(posted) != (0 if nothing else 1) or len(sheet.move_ids) != len(
                posted
            ):
                problems.append(
                    _(
                        "Cash sheet %(sheet)s has %(count)s postings.",
                        sheet=sheet.display_name,
                        count=len(sheet.move_ids),
                    )
                )
        payable = company.tms_cod_account_id
        if payable:
            held = sum(
                Line.search(
                    [
                        ("company_id", "=", company.id),
                        ("sheet_id.state", "=", "confirmed"),
                        ("remitted", "=", False),
                    ]
                ).mapped("collected_amount")
            )
            balance = -sum(
                self.env["account.move.line"]
                .search(
                    [
                        ("company_id", "=", company.id),
                        ("account_id", "=", payable.id),
                        ("parent_state", "=", "posted"),
                    ]
                )
                .mapped("balance")
            )
            if float_compare(
                held, balance, precision_rounding=company.currency_id.rounding
            ):
                problems.append(
                    _(
                        "The COD payable account holds %(balance)s, but %(held)s was "
                        "collected and not remitted.",
                        balance=balance,
                        held=held,
                    )
                )
        return problems

    @api.model
    def _cron_tms_check_cod(self):
        """Daily: say on each company's contact what does not add up, with an
        activity for its TMS managers; nothing is said when all adds up."""
        for company in self.env["res.company"].search([]):
            problems = self.with_company(company)._tms_cod_invariant_problems(company)
            if not problems:
                continue
            partner = company.partner_id
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Cash on delivery does not add up:"),
                Markup().join(Markup("<li>%s</li>") % problem for problem in problems),
            )
            partner.message_post(body=body, subtype_xmlid="mail.mt_note")
            manager = (
                self.with_company(company)
                .new({"company_id": company.id})
                ._tms_difference_manager()
            )
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Cash on delivery does not add up"),
                note=body,
                user_id=manager.id or self.env.ref("base.user_admin").id,
            )
