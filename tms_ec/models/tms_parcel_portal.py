# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a merchant (a portal user whose commercial partner ships parcels) sees of its
parcels in the portal: cash-on-delivery totals and the parcels whose labels it may
download."""

from odoo import api, models
from odoo.exceptions import AccessError, MissingError

# Cash on delivery that will not be collected any more: the parcel goes or went back
# to the shipper, was cancelled or lost. Delivered parcels are counted as collected.
COD_NOT_COLLECTED_STATES = ("cancelled", "returning", "returned", "lost")
# One request renders at most this many labels (a page of the portal list is 20).
MAX_PORTAL_LABELS = 200


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    @api.model
    def _tms_ec_shipper_domain(self, partner=None):
        """The parcels shipped by ``partner``'s commercial entity (the user's by
        default), whatever contact of it is on the parcel."""
        partner = (partner or self.env.user.partner_id).commercial_partner_id
        return [("shipper_id.commercial_partner_id", "=", partner.id)]

    @api.model
    def _tms_ec_portal_is_shipper(self):
        """Whether the current user may read a parcel its commercial partner ships."""
        if not self.has_access("read"):
            return False
        return bool(self.search_count(self._tms_ec_shipper_domain(), limit=1))

    @api.model
    def _tms_ec_portal_cod_totals(self):
        """The cash-on-delivery totals of the parcels the current user ships, as it
        may read them, per currency: ``{"is_shipper": bool, "totals": [{"currency":
        res.currency, "to_collect": float, "collected": float, "to_collect_count":
        int, "collected_count": int}]}``, in one grouped query."""
        if not self._tms_ec_portal_is_shipper():
            return {"is_shipper": False, "totals": []}
        groups = self._read_group(
            [*self._tms_ec_shipper_domain(), ("cod_amount", ">", 0)],
            ["cod_currency_id", "state"],
            ["cod_amount:sum", "__count"],
        )
        by_currency = {}
        for currency, state, amount, count in groups:
            if state in COD_NOT_COLLECTED_STATES:
                continue
            totals = by_currency.setdefault(
                currency,
                {
                    "currency": currency,
                    "to_collect": 0.0,
                    "collected": 0.0,
                    "to_collect_count": 0,
                    "collected_count": 0,
                },
            )
            key = "collected" if state == "delivered" else "to_collect"
            totals[key] += amount
            totals[f"{key}_count"] += count
        return {
            "is_shipper": True,
            "totals": sorted(by_currency.values(), key=lambda t: t["currency"].name),
        }

    def _tms_ec_portal_shipped(self):
        """The parcels of ``self`` the current user's commercial partner ships."""
        partner = self.env.user.commercial_partner_id
        return self.filtered(
            lambda parcel: parcel.shipper_id.commercial_partner_id == partner
        )

    @api.model
    def _tms_ec_portal_label_parcels(self, parcel_ids):
        """The parcels of ``parcel_ids`` (in that order) whose labels the current
        user may download: each one readable by the user under its own rights and
        shipped by its commercial partner. Raise :class:`MissingError` when one of
        them does not exist or may not be read (the caller answers 404, saying
        nothing about which parcels exist), :class:`AccessError` when the user may
        read it but does not ship it (the recipient: 403)."""
        if not parcel_ids or len(parcel_ids) > MAX_PORTAL_LABELS:
            raise MissingError(self.env._("No parcel to print."))
        readable = self.search([("id", "in", parcel_ids)])
        if len(readable) != len(parcel_ids):
            raise MissingError(self.env._("This parcel does not exist."))
        shipped = self.search(
            [("id", "in", parcel_ids), *self._tms_ec_shipper_domain()]
        )
        if len(shipped) != len(parcel_ids):
            raise AccessError(
                self.env._("Only the shipper of a parcel may download its label.")
            )
        return self.browse(parcel_ids)
