# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Return analysis: what each merchant delivered and what came back, per product.

One row per returned item (a ``tms.return.line`` of a return that was not cancelled
or refused, dated when the return was requested) and one row per content line of a
delivered parcel (``tms.parcel.line``, dated when it was delivered). A row holds
either a returned or a delivered quantity, never both, so that sums stay right
whatever the grouping: a delivered quantity has no return reason.

The return rate of a group is ``sum(returned) / sum(delivered)``, computed by
``_read_group_select`` for the ``return_rate`` measure (as in core's vendor delay
report): the average of per-row rates would weigh a line of 1 item like a line of
100. Grouped by reason, the delivered quantity is all under "no reason", so the rate
of a reason column is empty: read the rate by product, merchant or month.
"""

from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL

# Returns that bring nothing back.
EXCLUDED_RETURN_STATES = ("cancelled", "refused")
TOP_REASONS = 3


class TmsReturnReport(models.Model):
    _name = "tms.return.report"
    _description = "Return Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "product_id"

    line_type = fields.Selection(
        [("return", "Returned"), ("delivery", "Delivered")],
        string="Type",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    shipper_id = fields.Many2one(
        "res.partner",
        string="Merchant",
        readonly=True,
        help="The commercial entity of the parcel's shipper.",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    reason_id = fields.Many2one("tms.return.reason", string="Reason", readonly=True)
    merchant_fault = fields.Boolean(readonly=True)
    return_id = fields.Many2one("tms.return", string="Return", readonly=True)
    parcel_id = fields.Many2one(
        "tms.parcel",
        string="Parcel",
        readonly=True,
        help="The delivered parcel (the one the items were returned from).",
    )
    date = fields.Datetime(
        readonly=True,
        help="When the return was requested, or when the parcel was delivered.",
    )
    returned_qty = fields.Float(
        string="Returned Quantity", digits="Product Unit of Measure", readonly=True
    )
    delivered_qty = fields.Float(
        string="Delivered Quantity", digits="Product Unit of Measure", readonly=True
    )
    return_count = fields.Integer(
        string="Returns",
        readonly=True,
        help="Number of returns (a return of several items counts once).",
    )
    return_rate = fields.Float(
        string="Return Rate (%)",
        digits=(16, 1),
        readonly=True,
        help="Returned quantity / delivered quantity of the group, in percent.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT
                        2 * rl.id AS id,
                        'return' AS line_type,
                        r.company_id,
                        COALESCE(shipper.commercial_partner_id, r.shipper_id)
                            AS shipper_id,
                        rl.product_id,
                        rl.reason_id,
                        COALESCE(reason.merchant_fault, FALSE) AS merchant_fault,
                        r.id AS return_id,
                        r.origin_parcel_id AS parcel_id,
                        r.date_requested AS date,
                        COALESCE(rl.quantity, 0) AS returned_qty,
                        0.0 AS delivered_qty,
                        1 AS return_count,
                        NULL::numeric AS return_rate
                    FROM tms_return_line rl
                    JOIN tms_return r ON r.id = rl.return_id
                    LEFT JOIN res_partner shipper ON shipper.id = r.shipper_id
                    LEFT JOIN tms_return_reason reason ON reason.id = rl.reason_id
                    WHERE r.state NOT IN %(excluded)s
                    UNION ALL
                    SELECT
                        2 * pl.id + 1 AS id,
                        'delivery' AS line_type,
                        p.company_id,
                        COALESCE(shipper.commercial_partner_id, p.shipper_id)
                            AS shipper_id,
                        pl.product_id,
                        NULL AS reason_id,
                        FALSE AS merchant_fault,
                        NULL AS return_id,
                        p.id AS parcel_id,
                        COALESCE(p.date_delivered, p.write_date) AS date,
                        0.0 AS returned_qty,
                        COALESCE(pl.quantity, 0) AS delivered_qty,
                        0 AS return_count,
                        NULL::numeric AS return_rate
                    FROM tms_parcel_line pl
                    JOIN tms_parcel p ON p.id = pl.parcel_id
                    LEFT JOIN res_partner shipper ON shipper.id = p.shipper_id
                    WHERE p.state = 'delivered'
                )
                """,
                table=SQL.identifier(self._table),
                excluded=EXCLUDED_RETURN_STATES,
            )
        )

    def _read_group_select(self, aggregate_spec, query):
        """The rate and the return count of a group are not sums of its rows."""
        if aggregate_spec == "return_rate:sum":
            return SQL(
                "SUM(%(returned)s) * 100.0 / NULLIF(SUM(%(delivered)s), 0)",
                returned=self._field_to_sql(self._table, "returned_qty", query),
                delivered=self._field_to_sql(self._table, "delivered_qty", query),
            )
        if aggregate_spec == "return_count:sum":
            return SQL(
                "COUNT(DISTINCT %s)",
                self._field_to_sql(self._table, "return_id", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    # ----------------------------------------------------------------------------------
    # portal
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_portal_stats(self, days):
        """The current user's delivered and returned quantities of the last ``days``
        days, per product: ``{"rows": [{"product_name", "delivered_qty",
        "returned_qty", "return_rate" (None without deliveries), "return_count",
        "reasons": [(reason name, returned qty)]}], "total": {...}}``, the most
        returned products first.

        Read under the user's rights: a portal user reads the rows of its own
        commercial partner only (record rule ``tms_return_report_rule_portal``);
        the domain says the same for back-office users who open the portal."""
        partner = self.env.user.commercial_partner_id
        domain = [
            ("shipper_id", "=", partner.id),
            ("date", ">=", fields.Datetime.now() - timedelta(days=days)),
        ]
        measures = [
            "delivered_qty:sum",
            "returned_qty:sum",
            "return_rate:sum",
            "return_count:sum",
        ]
        groups = self._read_group(domain, ["product_id"], measures)
        by_reason = self._read_group(
            [*domain, ("line_type", "=", "return")],
            ["product_id", "reason_id"],
            ["returned_qty:sum"],
            order="returned_qty:sum desc, reason_id",
        )
        [total] = self._read_group(domain, [], measures)
        reasons = {}
        for product, reason, quantity in by_reason:
            reasons.setdefault(product, []).append((reason, quantity))
        # sudo: only the names of the products of the rows read above, which are the
        # user's own parcels and returns; portal users may not read products
        names = {
            product: product.sudo().display_name
            for product, *_values in groups
            if product
        }
        rows = []
        for product, delivered, returned, rate, count in groups:
            rows.append(
                {
                    "product_name": names.get(product)
                    or self.env._("Items without a product"),
                    **self._tms_portal_figures(delivered, returned, rate, count),
                    "reasons": [
                        (reason.name or "", quantity)
                        for reason, quantity in reasons.get(product, [])[:TOP_REASONS]
                    ],
                }
            )
        rows.sort(key=lambda row: (-row["returned_qty"], -row["delivered_qty"]))
        return {"rows": rows, "total": self._tms_portal_figures(*total)}

    @api.model
    def _tms_portal_figures(self, delivered, returned, rate, count):
        # empty aggregates come back as False; a rate without deliveries is None
        return {
            "delivered_qty": delivered or 0.0,
            "returned_qty": returned or 0.0,
            "return_rate": None if rate is False or rate is None else rate,
            "return_count": count or 0,
        }
