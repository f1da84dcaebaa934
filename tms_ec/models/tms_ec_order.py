# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from collections import defaultdict
from datetime import datetime, timezone

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import email_normalize, format_amount

_logger = logging.getLogger(__name__)

# Parcel states in which a cancelled order's parcel is still at the merchant's.
PARCEL_CANCELLABLE_STATES = ("draft", "confirmed")
ORDER_UNIQUE_CONSTRAINT = "tms_ec_order_external_uniq"


def parse_shop_datetime(value):
    """A shop's ISO 8601 date (with offset or Z) as a naive UTC datetime, or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


class TmsEcOrder(models.Model):
    _name = "tms.ec.order"
    _description = "Shop Order"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Order", required=True, readonly=True)
    backend_id = fields.Many2one(
        "tms.ec.backend", required=True, readonly=True, index=True, check_company=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    external_id = fields.Char(string="Shop Order ID", required=True, readonly=True)
    state = fields.Selection(
        [
            ("imported", "Imported"),
            ("shipped", "Shipped"),
            ("delivered", "Delivered"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="imported",
        tracking=True,
        index=True,
    )
    date_order = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    partner_shipping_id = fields.Many2one(
        "res.partner", string="Delivery Address", readonly=True
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_total = fields.Monetary(readonly=True)
    payment_status = fields.Selection(
        [
            ("paid", "Paid"),
            ("cod", "Cash on Delivery"),
            ("pending", "Pending"),
            ("refunded", "Refunded"),
            ("cancelled", "Cancelled"),
        ],
        readonly=True,
    )
    cod_amount = fields.Monetary(string="Amount to Collect", readonly=True)
    sale_order_id = fields.Many2one(
        "sale.order", readonly=True, index="btree_not_null", check_company=True
    )
    parcel_ids = fields.One2many("tms.parcel", "tms_ec_order_id", string="Parcels")
    parcel_count = fields.Integer(compute="_compute_parcel_count")
    payload = fields.Json(readonly=True, help="The shop's order, as last received.")
    shop_updated_at = fields.Char(readonly=True)
    log_ids = fields.One2many(
        "tms.ec.sync.log", "ec_order_id", string="Sync Log", readonly=True
    )
    # tracking pushed back to the shop
    fulfillment_ref = fields.Char(
        readonly=True, copy=False, help="Shop id of the fulfillment (Shopify) or note."
    )
    tracking_pushed = fields.Boolean(readonly=True, copy=False)
    delivered_pushed = fields.Boolean(readonly=True, copy=False)

    _sql_constraints = [
        (
            "external_uniq",
            "unique(backend_id, external_id)",
            "An order is imported once per shop.",
        ),
    ]

    @api.depends("name", "backend_id")
    def _compute_display_name(self):
        for order in self:
            order.display_name = (
                f"{order.backend_id.name} {order.name}"
                if order.backend_id
                else order.name
            )

    @api.depends("parcel_ids")
    def _compute_parcel_count(self):
        counts = dict(
            self.env["tms.parcel"]._read_group(
                [("tms_ec_order_id", "in", self.ids)], ["tms_ec_order_id"], ["__count"]
            )
        )
        for order in self:
            order.parcel_count = counts.get(order, 0)

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_view_parcels(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_parcel_action"
        )
        action["domain"] = [("tms_ec_order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
        }

    # ----------------------------------------------------------------------------------
    # import
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_ec_import(self, backend, shop_orders, run):
        """Import ``shop_orders`` (``tools.shop_base.ShopOrder``, one page or one
        webhook) of ``backend`` and log each in ``run`` (``tms.ec.sync.run``).

        New paid or cash-on-delivery orders become a shop order with its customer,
        and a confirmed sale order or a parcel (the backend's order flow); orders
        already imported are skipped, or cancelled when the shop cancelled them;
        the others are skipped with the reason. Local work only: no shop call.
        Return the ``tms.ec.sync.log`` lines, exactly one per order, in the order of
        ``shop_orders``."""
        backend.ensure_one()
        company = backend.company_id
        self = self.with_company(company).with_context(
            tms_event_source="api", mail_create_nosubscribe=True
        )
        backend = backend.with_company(company)
        results = [None] * len(shop_orders)
        known = {
            order.external_id: order
            for order in self.search(
                [
                    ("backend_id", "=", backend.id),
                    ("external_id", "in", [str(o.external_id) for o in shop_orders]),
                ]
            )
        }
        seen = set()
        to_cancel, to_create = [], []
        for index, shop_order in enumerate(shop_orders):
            external_id = str(shop_order.external_id)
            order = known.get(external_id)
            if external_id in seen:
                results[index] = self._tms_ec_log_vals(
                    shop_order,
                    "skipped",
                    self.env._("The shop sent this order twice in one batch."),
                    order,
                )
                continue
            seen.add(external_id)
            if order:
                if shop_order.cancelled and order.state != "cancelled":
                    to_cancel.append((index, shop_order, order))
                elif order.state == "cancelled":
                    results[index] = self._tms_ec_log_vals(
                        shop_order, "skipped", self.env._("Already cancelled."), order
                    )
                else:
                    results[index] = self._tms_ec_log_vals(
                        shop_order, "skipped", self.env._("Already imported."), order
                    )
            elif shop_order.cancelled:
                results[index] = self._tms_ec_log_vals(
                    shop_order,
                    "skipped",
                    self.env._("Cancelled in the shop before it was imported."),
                )
            elif not shop_order.importable:
                results[index] = self._tms_ec_log_vals(
                    shop_order,
                    "skipped",
                    self.env._(
                        "Payment pending: only paid or cash-on-delivery orders are "
                        "imported (this one will be once paid)."
                    )
                    if shop_order.payment_status == "pending"
                    else self.env._(
                        "Payment %(status)s: only paid or cash-on-delivery orders are "
                        "imported.",
                        status=shop_order.payment_status or "-",
                    ),
                )
            else:
                to_create.append((index, shop_order))
        if to_cancel:
            orders = self.browse([order.id for _i, _s, order in to_cancel])
            reasons = orders._tms_ec_cancel()
            for index, shop_order, order in to_cancel:
                results[index] = self._tms_ec_log_vals(
                    shop_order, "cancelled", reasons.get(order.id), order
                )
        if to_create:
            created = self._tms_ec_create_orders(
                backend, [shop_order for _i, shop_order in to_create]
            )
            for (index, _shop_order), vals in zip(to_create, created, strict=True):
                results[index] = vals
        logs = self.env["tms.ec.sync.log"].create(
            [dict(vals, run_id=run.id, backend_id=backend.id) for vals in results]
        )
        if run.trigger == "webhook" and "error" in logs.mapped("result"):
            run.state = "partial"
        return logs

    @api.model
    def _tms_ec_log_vals(self, shop_order, result, reason=None, order=None):
        return {
            "external_id": str(shop_order.external_id),
            "order_name": shop_order.name,
            "result": result,
            "reason": reason or False,
            "ec_order_id": order.id if order else False,
        }

    @api.model
    def _tms_ec_create_orders(self, backend, shop_orders):
        """Create the orders of one page in one batch; return their log values.

        When the batch fails (an order imported meanwhile by a webhook, a value a
        parcel refuses), each order is tried again on its own so that only the bad
        one is left out."""
        products = self._tms_ec_find_products(backend, shop_orders)
        results = [None] * len(shop_orders)
        todo = []
        for index, shop_order in enumerate(shop_orders):
            missing = self._tms_ec_missing_skus(backend, shop_order, products)
            if missing:
                results[index] = self._tms_ec_log_vals(shop_order, "skipped", missing)
            else:
                todo.append(index)
        if backend.order_flow == "parcel" and todo:
            # an order whose parcel the intake refuses is not imported at all
            prepared = self._tms_ec_prepare_parcels(
                backend, [shop_orders[i] for i in todo], products
            )
            refused = [
                (index, item["errors"])
                for index, item in zip(todo, prepared, strict=True)
                if item["errors"]
            ]
            for index, errors in refused:
                results[index] = self._tms_ec_log_vals(
                    shop_orders[index],
                    "error",
                    "\n".join(error["message"] for error in errors),
                )
            todo = [index for index in todo if results[index] is None]
        batches = [todo] if todo else []
        while batches:
            batch = batches.pop(0)
            try:
                with self.env.cr.savepoint():
                    created = self._tms_ec_create_batch(
                        backend, [shop_orders[i] for i in batch], products
                    )
            except psycopg2.IntegrityError as error:
                if len(batch) > 1:
                    batches[:0] = [[i] for i in batch]
                    continue
                if error.diag.constraint_name != ORDER_UNIQUE_CONSTRAINT:
                    raise
                results[batch[0]] = self._tms_ec_log_vals(
                    shop_orders[batch[0]],
                    "skipped",
                    self.env._("Duplicate: already imported meanwhile."),
                )
            except UserError as error:
                if len(batch) > 1:
                    batches[:0] = [[i] for i in batch]
                    continue
                _logger.info(
                    "Shop %s: order %s not imported: %s",
                    backend.id,
                    shop_orders[batch[0]].external_id,
                    error,
                )
                results[batch[0]] = self._tms_ec_log_vals(
                    shop_orders[batch[0]], "error", str(error)
                )
            else:
                for index, (order, warnings) in zip(batch, created, strict=True):
                    results[index] = self._tms_ec_log_vals(
                        shop_orders[index],
                        "imported",
                        "\n".join(warnings) if warnings else False,
                        order,
                    )
        return results

    @api.model
    def _tms_ec_find_products(self, backend, shop_orders):
        """The products of the orders' SKUs (internal references), in one search."""
        skus = {line.sku for order in shop_orders for line in order.lines if line.sku}
        if not skus:
            return {}
        products = (
            self.env["product.product"]
            .with_company(backend.company_id)
            .search(
                [
                    ("default_code", "in", list(skus)),
                    ("company_id", "in", [backend.company_id.id, False]),
                ],
                order="company_id, id",
            )
        )
        by_sku = {}
        for product in products:
            by_sku.setdefault(product.default_code, product)
        return by_sku

    @api.model
    def _tms_ec_missing_skus(self, backend, shop_order, products):
        """Why the order cannot be imported for lack of products, or None. Only the
        sale order flow needs a product for every line."""
        if backend.order_flow != "sale_order":
            return None
        if not shop_order.lines:
            return self.env._("The order has no line.")
        missing = [
            line.sku or line.name
            for line in shop_order.lines
            if line.sku not in products
        ]
        if not missing:
            return None
        no_sku = [line.name for line in shop_order.lines if not line.sku]
        if no_sku:
            return self.env._(
                "No SKU on the shop's line %(lines)s: set the product's SKU in the "
                "shop, equal to its internal reference.",
                lines=", ".join(no_sku),
            )
        return self.env._(
            "Unknown SKU %(skus)s: no product with this internal reference.",
            skus=", ".join(missing),
        )

    @api.model
    def _tms_ec_create_batch(self, backend, shop_orders, products):
        """Create customers, shop orders and their sale orders or parcels; return
        ``[(order, warnings)]`` in the order of ``shop_orders``."""
        partners = self._tms_ec_prepare_partners(backend, shop_orders)
        currencies = self._tms_ec_currencies(shop_orders)
        company = backend.company_id
        order_vals_list = []
        for shop_order in shop_orders:
            customer, shipping, _warnings = partners[shop_order.external_id]
            currency = currencies.get(shop_order.currency) or company.currency_id
            order_vals_list.append(
                {
                    "name": shop_order.name or str(shop_order.external_id),
                    "backend_id": backend.id,
                    "external_id": str(shop_order.external_id),
                    "date_order": parse_shop_datetime(shop_order.created_at),
                    "partner_id": customer.id,
                    "partner_shipping_id": shipping.id,
                    "currency_id": currency.id,
                    "amount_total": float(shop_order.total or 0),
                    "payment_status": shop_order.payment_status,
                    "cod_amount": float(shop_order.total or 0)
                    if shop_order.is_cod
                    else 0.0,
                    "payload": shop_order.raw or False,
                    "shop_updated_at": shop_order.updated_at or False,
                }
            )
        orders = self.create(order_vals_list)
        if backend.order_flow == "sale_order":
            sale_orders = self.env["sale.order"].create(
                [
                    self._tms_ec_prepare_sale_order_vals(
                        backend, shop_order, order, products
                    )
                    for shop_order, order in zip(shop_orders, orders, strict=True)
                ]
            )
            for order, sale_order in zip(orders, sale_orders, strict=True):
                order.sale_order_id = sale_order
            # confirmed at once: its delivery is what the warehouse prepares
            sale_orders.action_confirm()
        else:
            self._tms_ec_create_parcels(backend, shop_orders, orders, products)
        return [
            (order, partners[shop_order.external_id][2])
            for shop_order, order in zip(shop_orders, orders, strict=True)
        ]

    @api.model
    def _tms_ec_currencies(self, shop_orders):
        codes = {order.currency for order in shop_orders if order.currency}
        if not codes:
            return {}
        currencies = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "in", list(codes))])
        )
        return {currency.name: currency for currency in currencies}

    @api.model
    def _tms_ec_prepare_sale_order_vals(self, backend, shop_order, order, products):
        company = backend.company_id
        lines = [
            Command.create(
                {
                    "product_id": products[line.sku].id,
                    "name": line.name or products[line.sku].display_name,
                    "product_uom_qty": line.quantity,
                    "price_unit": float(line.price_unit or 0),
                    # the shop's prices include the taxes: kept as the customer
                    # paid them
                    "tax_id": [Command.set([])],
                }
            )
            for line in shop_order.lines
        ]
        if shop_order.is_cod:
            lines.append(
                Command.create(
                    {
                        "display_type": "line_note",
                        "name": self.env._(
                            "Cash on delivery: %(amount)s to collect.",
                            amount=format_amount(
                                self.env, order.cod_amount, order.currency_id
                            ),
                        ),
                    }
                )
            )
        vals = {
            "partner_id": order.partner_id.id,
            "partner_invoice_id": order.partner_id.id,
            "partner_shipping_id": order.partner_shipping_id.id,
            "company_id": company.id,
            "client_order_ref": shop_order.name,
            "origin": f"{backend.name} {shop_order.name}",
            "user_id": False,
            "order_line": lines,
        }
        if shop_order.note:
            vals["note"] = shop_order.note
        if backend.warehouse_id:
            vals["warehouse_id"] = backend.warehouse_id.id
        return vals

    @api.model
    def _tms_ec_parcel_item(self, backend, shop_order, products):
        """The parcel of a shop order in the intake schema's shape (tms_core
        ``tools/intake.py``): the order's delivery address, its lines, the backend's
        service and default weight, the total to collect on delivery."""
        address = self._tms_ec_address(shop_order)
        line_weight = sum(
            (line.weight_kg or 0.0) * (line.quantity or 0) for line in shop_order.lines
        )
        lines = []
        for line in shop_order.lines:
            product = products.get(line.sku)
            line_vals = {
                "description": line.name or line.sku or "-",
                "sku": line.sku or None,
                "quantity": line.quantity or 1,
                "value": float(line.price_unit or 0),
                # no weight from the shop: the parcel weighs the default weight
                "weight": (line.weight_kg or 0.0) if line_weight else 0.0,
            }
            if product:
                line_vals["product_id"] = product.id
            lines.append(line_vals)
        customer = shop_order.customer
        item = {
            "reference": shop_order.name,
            "state": "confirmed",
            "recipient": {
                "name": self._tms_ec_customer_name(shop_order, address),
                "phone": address.phone or customer.phone or None,
                "email": customer.email or address.email or None,
                "street": address.street or None,
                "street2": address.street2 or None,
                "zip": address.zip or None,
                "city": address.city or None,
                "country": address.country_code or customer.country_code or None,
            },
            "weight": line_weight or backend.default_weight,
            "cod_amount": float(shop_order.total or 0) if shop_order.is_cod else 0.0,
            "lines": lines,
        }
        if backend.service_id:
            item["service"] = backend.service_id.code
        return item

    @api.model
    def _tms_ec_intake_options(self, backend):
        company = backend.company_id
        return {
            "company": company,
            "shipper": backend.shipper_id or company.partner_id,
            # the shop took the order: a doubtful phone number is a warning
            "lenient_phone": True,
        }

    @api.model
    def _tms_ec_prepare_parcels(self, backend, shop_orders, products):
        """The parcels of ``shop_orders`` validated by the parcel intake, nothing
        created: per order ``{"vals", "recipient", "shipper", "errors",
        "warnings"}``."""
        return self.env["tms.parcel.intake"]._tms_intake_prepare(
            [
                self._tms_ec_parcel_item(backend, shop_order, products)
                for shop_order in shop_orders
            ],
            self._tms_ec_intake_options(backend),
        )

    @api.model
    def _tms_ec_create_parcels(self, backend, shop_orders, orders, products):
        """Create the parcels of the shop orders ``orders`` through the parcel
        intake, delivered to the order's delivery address (a contact of the order's
        customer, not the company's recipient policy)."""
        Intake = self.env["tms.parcel.intake"]
        prepared = self._tms_ec_prepare_parcels(backend, shop_orders, products)
        refused = [item["errors"] for item in prepared if item["errors"]]
        if refused:
            raise UserError("\n".join(error["message"] for error in refused[0]))
        return Intake._tms_intake_create(
            prepared,
            "api",
            self._tms_ec_intake_options(backend),
            [
                {
                    "recipient_id": order.partner_shipping_id.id,
                    "recipient_state_id": order.partner_shipping_id.state_id.id,
                    "cod_currency_id": order.currency_id.id,
                    "tms_ec_order_id": order.id,
                }
                for order in orders
            ],
        )

    @api.model
    def _tms_ec_address(self, shop_order):
        """Where the order goes: its shipping address, or the customer's when the
        shop gave none."""
        address = shop_order.shipping
        if not (address.street or address.city):
            address = shop_order.customer
        return address

    @api.model
    def _tms_ec_customer_name(self, shop_order, address):
        email = email_normalize(shop_order.customer.email or address.email or "")
        return (
            address.name
            or shop_order.customer.name
            or email
            or self.env._("Customer of %(order)s", order=shop_order.name)
        )

    @api.model
    def _tms_ec_prepare_partners(self, backend, shop_orders):
        """Find each order's customer among the company's contacts (by e-mail, then
        phone) or create it with the order's shipping address; when a known
        customer ships elsewhere, a delivery address is added under it.

        One search for the whole batch. Return ``{external_id: (customer,
        delivery address, [warnings])}``."""
        infos = self._tms_ec_partner_infos(backend, shop_orders)
        customers, created = self._tms_ec_find_or_create_customers(backend, infos)
        shippings = self._tms_ec_delivery_addresses(backend, infos, customers, created)
        return {
            external_id: (
                customers[external_id],
                shippings[external_id],
                infos[external_id]["warnings"],
            )
            for external_id in infos
        }

    @api.model
    def _tms_ec_partner_infos(self, backend, shop_orders):
        """Per order: the customer's normalised e-mail and phone, the values of a
        new contact (the shipping address) and the warnings about them."""
        company = backend.company_id
        addresses = {
            shop_order.external_id: self._tms_ec_address(shop_order)
            for shop_order in shop_orders
        }
        # the phone as the parcel intake reads it: in E.164, or as given with a
        # warning when it is not valid for the country
        prepared = self._tms_ec_prepare_parcels(backend, shop_orders, {})
        codes = {
            address.country_code or shop_order.customer.country_code
            for shop_order, address in zip(shop_orders, addresses.values(), strict=True)
        } - {"", None}
        countries = {
            country.code: country
            for country in self.env["res.country"].search([("code", "in", list(codes))])
        }
        states = defaultdict(dict)
        state_codes = {a.state_code for a in addresses.values()} - {"", None}
        if state_codes and countries:
            for state in self.env["res.country.state"].search(
                [
                    ("country_id", "in", [c.id for c in countries.values()]),
                    ("code", "in", list(state_codes)),
                ]
            ):
                states[state.country_id.id][state.code] = state
        infos = {}
        for shop_order, item in zip(shop_orders, prepared, strict=True):
            address = addresses[shop_order.external_id]
            country = (
                countries.get(address.country_code or shop_order.customer.country_code)
                or company.country_id
            )
            phone = (item["recipient"] or {}).get("phone")
            warnings = [
                self.env._(
                    "Warning: %(problem)s Check it with the customer before "
                    "delivery.",
                    problem=warning["message"],
                )
                for warning in item["warnings"]
            ]
            raw_email = shop_order.customer.email or address.email or ""
            email = email_normalize(raw_email) or False
            state = states[country.id].get(address.state_code)
            infos[shop_order.external_id] = {
                "warnings": warnings,
                "email": email,
                "phone": phone if phone and not warnings else False,
                "vals": {
                    "name": self._tms_ec_customer_name(shop_order, address),
                    "street": address.street or False,
                    "street2": address.street2 or False,
                    "city": address.city or False,
                    "zip": address.zip or False,
                    "country_id": country.id,
                    "state_id": state.id if state else False,
                    "phone": phone or False,
                    "email": raw_email or False,
                    "company_id": company.id,
                },
            }
        return infos

    @api.model
    def _tms_ec_find_or_create_customers(self, backend, infos):
        """The customer of each order: a contact of the company with its e-mail,
        or its phone (unless that contact has another e-mail), else a new one,
        created once per e-mail or phone of the batch. Return ``({external_id:
        partner}, created partners)``."""
        company = backend.company_id
        Partner = self.env["res.partner"].with_company(company)
        emails = {info["email"] for info in infos.values() if info["email"]}
        phones = {info["phone"] for info in infos.values() if info["phone"]}
        domains = []
        if emails:
            domains.append([("email_normalized", "in", list(emails))])
        if phones:
            domains.append([("phone_sanitized", "in", list(phones))])
        by_email, by_phone = {}, {}
        if domains:
            found = Partner.search(
                expression.AND(
                    [[("company_id", "=", company.id)], expression.OR(domains)]
                ),
                order="id",
            )
            for partner in found:
                by_email.setdefault(partner.email_normalized, partner)
                by_phone.setdefault(partner.phone_sanitized, partner)
        customers, new_keys, new_vals = {}, {}, []
        for external_id, info in infos.items():
            partner = by_email.get(info["email"]) if info["email"] else None
            if not partner and info["phone"]:
                partner = by_phone.get(info["phone"])
                # the same phone with another e-mail address: someone else
                if partner and info["email"] and partner.email_normalized:
                    partner = None
            if partner:
                customers[external_id] = partner
                continue
            key = info["email"] or info["phone"] or (external_id,)
            if key not in new_keys:
                new_keys[key] = len(new_vals)
                new_vals.append(info["vals"])
            customers[external_id] = new_keys[key]
        created = Partner.create(new_vals) if new_vals else Partner
        for external_id, customer in customers.items():
            if isinstance(customer, int):
                customers[external_id] = created[customer]
        return customers, created

    @api.model
    def _tms_ec_delivery_addresses(self, backend, infos, customers, created):
        """The delivery address of each order: a new customer's own address, else
        the known customer or one of its delivery addresses at the same place, else
        a new delivery address under it. Return ``{external_id: partner}``."""
        Partner = self.env["res.partner"].with_company(backend.company_id)
        shippings, delivery_vals, delivery_keys = {}, [], {}
        for external_id, info in infos.items():
            customer = customers[external_id]
            if customer in created:
                shippings[external_id] = customer
                continue
            address_key = _address_key(info["vals"])
            candidates = customer | customer.child_ids.filtered(
                lambda p: p.type == "delivery"
            )
            match = next(
                (p for p in candidates if _address_key(p) == address_key), None
            )
            if match:
                shippings[external_id] = match
                continue
            key = (customer.id, address_key)
            if key not in delivery_keys:
                delivery_keys[key] = len(delivery_vals)
                delivery_vals.append(
                    dict(info["vals"], parent_id=customer.id, type="delivery")
                )
            shippings[external_id] = delivery_keys[key]
        deliveries = Partner.create(delivery_vals) if delivery_vals else Partner
        return {
            external_id: deliveries[shipping] if isinstance(shipping, int) else shipping
            for external_id, shipping in shippings.items()
        }

    # ----------------------------------------------------------------------------------
    # cancellation
    # ----------------------------------------------------------------------------------
    def _tms_ec_cancel(self):
        """Cancel what the shop cancelled: the sale order unless its delivery is
        done, the parcels not yet handed over (draft or awaiting pickup); parcels
        already on their way are left alone and said so. Return ``{order id:
        what was done}``."""
        sale_orders = self.sale_order_id
        pickings = sale_orders.picking_ids
        parcels = self.env["tms.parcel"].search(
            [
                "|",
                ("tms_ec_order_id", "in", self.ids),
                ("picking_id", "in", pickings.ids),
            ]
        )
        order_by_sale = {order.sale_order_id: order for order in self}
        parcels_by_order = defaultdict(lambda: self.env["tms.parcel"])
        for parcel in parcels:
            order = parcel.tms_ec_order_id or order_by_sale.get(
                parcel.picking_id.sale_id
            )
            if order:
                parcels_by_order[order] |= parcel
        to_cancel = parcels.filtered(lambda p: p.state in PARCEL_CANCELLABLE_STATES)
        if to_cancel:
            to_cancel._set_state(
                "cancelled",
                source="api",
                note=self.env._("The order was cancelled in the shop."),
            )
        state_labels = dict(
            self.env["tms.parcel"]._fields["state"]._description_selection(self.env)
        )
        sales_to_cancel = self.env["sale.order"]
        reasons = {}
        for order in self:
            messages = []
            sale_order = order.sale_order_id
            if sale_order and sale_order.state != "cancel":
                done = sale_order.picking_ids.filtered(lambda p: p.state == "done")
                if done:
                    messages.append(
                        self.env._(
                            "Sale order %(order)s not cancelled: delivery "
                            "%(pickings)s is already done.",
                            order=sale_order.name,
                            pickings=", ".join(done.mapped("name")),
                        )
                    )
                else:
                    sales_to_cancel |= sale_order
                    messages.append(
                        self.env._(
                            "Sale order %(order)s cancelled.", order=sale_order.name
                        )
                    )
            order_parcels = parcels_by_order[order]
            cancelled = order_parcels & to_cancel
            if cancelled:
                messages.append(
                    self.env._(
                        "Parcel(s) %(parcels)s cancelled.",
                        parcels=", ".join(cancelled.mapped("tracking_number")),
                    )
                )
            for parcel in order_parcels - to_cancel:
                if parcel.state == "cancelled":
                    continue
                messages.append(
                    self.env._(
                        "Parcel %(parcel)s NOT cancelled: it is already %(state)s; "
                        "intercept it or have it returned.",
                        parcel=parcel.tracking_number,
                        state=state_labels.get(parcel.state, parcel.state),
                    )
                )
            reasons[order.id] = " ".join(messages) or self.env._(
                "Cancelled in the shop."
            )
        if sales_to_cancel:
            sales_to_cancel.with_context(disable_cancel_warning=True)._action_cancel()
        self.write({"state": "cancelled"})
        for order in self:
            order.message_post(
                body=self.env._(
                    "Cancelled in the shop. %(details)s", details=reasons[order.id]
                )
            )
        return reasons


def _address_key(address):
    """What makes two addresses the same place (street, city, ZIP), ignoring case
    and spaces; ``address`` is a partner or a dict of partner values."""

    def norm(value):
        return " ".join(str(value or "").split()).casefold()

    return (norm(address["street"]), norm(address["city"]), norm(address["zip"]))
