# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

COD_METHODS = [("cash", "Cash"), ("cheque", "Cheque"), ("card", "Card")]


class TmsParcel(models.Model):
    """What the driver declares he collected at the door, for a cash-on-delivery
    parcel. Written once per delivery by ``_tms_record_cod_collection`` (the driver app,
    the back office); the cash sheets and remittances read it."""

    _inherit = "tms.parcel"

    cod_collected_amount = fields.Monetary(
        string="COD Collected",
        currency_field="cod_currency_id",
        readonly=True,
        copy=False,
        tracking=True,
    )
    cod_collected_method = fields.Selection(
        COD_METHODS, string="COD Payment Method", readonly=True, copy=False
    )
    cod_collected_reference = fields.Char(
        string="COD Payment Reference",
        readonly=True,
        copy=False,
        help="Cheque number or card payment reference.",
    )
    cod_difference_reason = fields.Text(
        string="COD Difference Explained",
        readonly=True,
        copy=False,
        help="Why the amount collected differs from the amount to collect.",
    )
    cod_collected_date = fields.Datetime(
        string="COD Collected On", readonly=True, copy=False
    )
    cod_collected_user_id = fields.Many2one(
        "res.users", string="COD Collected By", readonly=True, copy=False
    )

    def _tms_record_cod_collection(
        self, amount, method, reference=None, reason=None, date=None
    ):
        """Record what was collected for this COD parcel. The amount must match the
        amount to collect, or the difference be explained; cheques and cards need their
        reference. Raises a UserError and changes nothing on bad input."""
        self.ensure_one()
        _ = self.env._
        if not self.cod_amount:
            raise UserError(
                _("Parcel %(parcel)s has no cash on delivery to collect.")
                % {"parcel": self.display_name}
            )
        if (
            self.env["tms.cod.sheet.line"]
            .sudo()
            .search_count(
                [("parcel_id", "=", self.id), ("sheet_id.state", "=", "confirmed")]
            )
        ):
            raise UserError(
                _(
                    "The cash of parcel %(parcel)s was already counted at the hub.",
                    parcel=self.display_name,
                )
            )
        if method not in dict(COD_METHODS):
            raise UserError(
                _("Unknown payment method %(method)r.") % {"method": method}
            )
        if amount is None or amount < 0:
            raise UserError(_("The amount collected cannot be negative."))
        if method in ("cheque", "card") and not (reference or "").strip():
            raise UserError(_("Give the cheque number or the card payment reference."))
        rounding = self.cod_currency_id.rounding or 0.01
        differs = float_compare(amount, self.cod_amount, precision_rounding=rounding)
        if differs and not (reason or "").strip():
            raise UserError(
                _(
                    "Parcel %(parcel)s: %(collected)s collected instead of "
                    "%(expected)s. Explain the difference."
                )
                % {
                    "parcel": self.display_name,
                    "collected": amount,
                    "expected": self.cod_amount,
                }
            )
        self.write(
            {
                "cod_collected_amount": amount,
                "cod_collected_method": method,
                "cod_collected_reference": (reference or "").strip() or False,
                "cod_difference_reason": (reason or "").strip() if differs else False,
                "cod_collected_date": date or fields.Datetime.now(),
                "cod_collected_user_id": self.env.uid,
            }
        )
        return True
