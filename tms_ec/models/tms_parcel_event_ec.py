# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Tracking events of parcels shipped for a shop order tell the shop: a parcel
awaiting pickup (or further) sends its tracking number, the last parcel delivered
marks the order delivered. Only jobs are enqueued here; the shop is called by them."""

from odoo import models

# States in which a parcel is on its way: its tracking number goes to the shop.
TRACKING_STATES = (
    "confirmed",
    "picked_up",
    "at_hub",
    "in_transit",
    "out_for_delivery",
    "delivered",
)


class TmsParcelEvent(models.Model):
    _inherit = "tms.parcel.event"

    def _apply_to_parcels(self, events):
        result = super()._apply_to_parcels(events)
        self._tms_ec_enqueue_shop_updates(events)
        return result

    def _tms_ec_enqueue_shop_updates(self, events):
        """Enqueue, per shop order, the tracking and delivery updates that ``events``
        call for; nothing when no parcel of ``events`` belongs to a shop order."""
        if not events:
            return
        # sudo: which shop order a parcel belongs to is hidden from drivers, whose
        # scans must still tell the shop; only jobs are enqueued, for the company's
        # own orders.
        shop_events = events.sudo().filtered(lambda e: e.parcel_id.tms_ec_order_id)
        if not shop_events:
            return
        Order = self.env["tms.ec.order"].sudo()
        to_track, delivered = Order, Order
        for event in shop_events:
            parcel = event.parcel_id
            order = parcel.tms_ec_order_id
            if order.state == "cancelled":
                continue
            if parcel.state in TRACKING_STATES and not parcel.tms_ec_tracking_pushed:
                to_track |= order
            if event.state == "delivered" and not order.delivered_pushed:
                delivered |= order
        delivered = delivered.filtered(lambda o: o._tms_ec_all_parcels_delivered())
        (to_track - delivered)._tms_ec_enqueue_push_tracking()
        # the delivery job sends the tracking first when it was not yet sent
        delivered._tms_ec_enqueue_push_delivered()
