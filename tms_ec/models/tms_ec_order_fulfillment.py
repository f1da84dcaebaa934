# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Tracking numbers and deliveries of a shop order's parcels, sent back to the shop
by background jobs.

- Tracking: one job per order (deduplicated while it waits) sends the parcels that
  are on their way and not sent yet. Shopify fulfils the order's items once: the
  first parcel's tracking number and link go in that fulfillment, the order's other
  parcels are recorded as covered by it. WooCommerce gets one customer note per
  parcel. Both calls are idempotent on the shop's side (a retried call finds what the
  previous one created).
- Delivery: when every parcel of the order that is not cancelled is delivered, one
  job tells the shop (Shopify: a ``delivered`` fulfillment event; WooCommerce: the
  order completed and a note), sending the tracking first if it was not yet.
- Failures: a shop asking to slow down (429) is retried after the delay it gave,
  other temporary failures along the job function's retry pattern; a permanent
  failure (or the last attempt) fails the job and leaves a message and an activity
  on the shop order, whose "Send Tracking Again" button enqueues it again.
"""

import math

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.queue_job.job import identity_exact

from ..tools.shop_base import ShopError, ShopRateLimited
from .tms_parcel_event_ec import TRACKING_STATES

# Attempts of one push (the job's max_retries); the delays between them are the retry
# pattern of the job functions (data/tms_ec_fulfillment_data.xml), or the shop's
# Retry-After.
PUSH_MAX_ATTEMPTS = 10
# Shops that fulfil the whole order with the first tracking number sent.
ONE_FULFILLMENT_SHOPS = ("shopify",)


class TmsEcOrder(models.Model):
    _name = "tms.ec.order"
    # activities: a failed shop update is a task for someone
    _inherit = ["tms.ec.order", "mail.activity.mixin"]

    push_error = fields.Text(
        string="Shop Update Error",
        readonly=True,
        copy=False,
        help="Why the last update of the shop (tracking or delivery) failed; empty "
        "once it went through.",
    )

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_tms_ec_push_tracking(self):
        """Send the tracking (and the delivery, once delivered) to the shop again, in
        the background."""
        self.check_access("write")
        if self.filtered(lambda o: o.state == "cancelled"):
            raise UserError(
                self.env._("A cancelled order's tracking is not sent to the shop.")
            )
        # sudo: the pushed flags are the system's to set; the right to edit the
        # orders was just checked.
        orders = self.sudo()
        no_parcel = orders.filtered(
            lambda o: not o.parcel_ids.filtered(lambda p: p.state in TRACKING_STATES)
        )
        if no_parcel:
            raise UserError(
                self.env._(
                    "%(orders)s has no parcel on its way yet: validate the delivery "
                    "first.",
                    orders=", ".join(no_parcel.mapped("name")),
                )
            )
        orders.write({"push_error": False})
        orders.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("mail.mail_activity_data_warning")
        ).action_done()
        delivered = orders.filtered(
            lambda o: not o.delivered_pushed and o._tms_ec_all_parcels_delivered()
        )
        to_track = (orders - delivered).filtered(
            lambda o: not o.tracking_pushed
            or o.parcel_ids.filtered(
                lambda p: p.state in TRACKING_STATES and not p.tms_ec_tracking_pushed
            )
        )
        to_track._tms_ec_enqueue_push_tracking()
        delivered._tms_ec_enqueue_push_delivered()
        if to_track or delivered:
            message = self.env._(
                "The shop will be updated in the background: see the order's "
                "messages."
            )
        else:
            message = self.env._("The shop already has the tracking of these orders.")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "info", "message": message},
        }

    # ----------------------------------------------------------------------------------
    # enqueuing
    # ----------------------------------------------------------------------------------
    def _tms_ec_all_parcels_delivered(self):
        """Whether the order has parcels and all that are not cancelled are
        delivered."""
        self.ensure_one()
        parcels = self.parcel_ids.filtered(lambda p: p.state != "cancelled")
        return bool(parcels) and all(p.state == "delivered" for p in parcels)

    def _tms_ec_enqueue_push_tracking(self):
        """One job per order; a job already waiting for the order takes the new
        parcels too (same identity), so a delivery of ten parcels calls the shop once
        per parcel at most, from a single job."""
        for order in self:
            order.sudo(False).with_delay(
                max_retries=PUSH_MAX_ATTEMPTS,
                identity_key=identity_exact,
                description=self.env._(
                    "Send the tracking of shop order %(order)s", order=order.name
                ),
            )._tms_ec_push_tracking()

    def _tms_ec_enqueue_push_delivered(self):
        for order in self:
            order.sudo(False).with_delay(
                max_retries=PUSH_MAX_ATTEMPTS,
                identity_key=identity_exact,
                description=self.env._(
                    "Tell the shop that order %(order)s was delivered",
                    order=order.name,
                ),
            )._tms_ec_push_delivered()

    # ----------------------------------------------------------------------------------
    # jobs
    # ----------------------------------------------------------------------------------
    def _tms_ec_push_tracking(self):
        """Job: send the tracking numbers of the order's parcels that are on their
        way and not sent yet."""
        self.ensure_one()
        # sudo: background work of the company, run as the user whose delivery or
        # scan enqueued it, who need not read the shop's credentials.
        order = self.sudo().exists()
        if not order:
            return "The shop order was deleted."
        order._tms_ec_lock()
        if order.state == "cancelled":
            return "The order is cancelled: nothing sent."
        sent = order._tms_ec_send_tracking()
        if not sent:
            return "Nothing to send."
        return f"Tracking sent: {', '.join(sent)}"

    def _tms_ec_push_delivered(self):
        """Job: tell the shop that the order was delivered (after its tracking, when
        that was not sent yet)."""
        self.ensure_one()
        # sudo: as in _tms_ec_push_tracking().
        order = self.sudo().exists()
        if not order:
            return "The shop order was deleted."
        order._tms_ec_lock()
        if order.state == "cancelled":
            return "The order is cancelled: nothing sent."
        if order.delivered_pushed:
            return "The shop already knows."
        if not order._tms_ec_all_parcels_delivered():
            return "Some parcels are not delivered yet."
        order._tms_ec_send_tracking()
        parcels = order.parcel_ids.filtered(lambda p: p.state == "delivered").sorted(
            "id"
        )
        try:
            ref = order._tms_ec_client().push_delivered(
                order.external_id,
                parcels[0].tracking_number,
                fulfillment_ref=order.fulfillment_ref or None,
            )
        except ShopError as error:
            raise order._tms_ec_job_error(error) from error
        order.write(
            {
                "delivered_pushed": True,
                "state": "delivered",
                "push_error": False,
            }
        )
        order._message_log(
            body=self.env._(
                "The shop was told that the order was delivered (%(numbers)s).",
                numbers=", ".join(parcels.mapped("tracking_number")),
            )
        )
        return f"Delivered sent ({ref or 'no reference'})."

    def _tms_ec_send_tracking(self):
        """Send the tracking of the parcels not sent yet; return their numbers.

        A parcel sent is marked at once; if a later parcel of the same run fails,
        the run ends normally (what was sent is kept) and a new job sends the rest,
        so that a retry never sends a parcel twice."""
        self.ensure_one()
        parcels = self.parcel_ids.filtered(
            lambda p: p.state in TRACKING_STATES and not p.tms_ec_tracking_pushed
        ).sorted("id")
        if not parcels:
            return []
        one_fulfillment = self.backend_id.shop_type in ONE_FULFILLMENT_SHOPS
        if one_fulfillment and self.tracking_pushed:
            # the order's items were fulfilled with its first parcel's number
            parcels.write(
                {
                    "tms_ec_tracking_pushed": True,
                    "tms_ec_tracking_ref": self.fulfillment_ref,
                }
            )
            return []
        sent, client = [], None
        for parcel in parcels:
            try:
                client = client or self._tms_ec_client()
                ref = client.push_tracking(
                    self.external_id,
                    parcel.tracking_number,
                    parcel._tms_public_tracking_url(),
                    parcel.carrier_id.name or parcel.company_id.name,
                )
            except ShopError as error:
                if not sent:
                    raise self._tms_ec_job_error(error) from error
                seconds = error.retry_after or 60
                self.with_delay(
                    max_retries=PUSH_MAX_ATTEMPTS,
                    eta=math.ceil(seconds),
                    identity_key=identity_exact,
                    description=self.env._(
                        "Send the tracking of shop order %(order)s", order=self.name
                    ),
                )._tms_ec_push_tracking()
                break
            sent.append(parcel.tracking_number)
            covered = parcels if one_fulfillment else parcel
            covered.write({"tms_ec_tracking_pushed": True, "tms_ec_tracking_ref": ref})
            vals = {"tracking_pushed": True, "push_error": False}
            if not self.fulfillment_ref:
                vals["fulfillment_ref"] = ref
            if self.state == "imported":
                vals["state"] = "shipped"
            self.write(vals)
            self._message_log(
                body=self.env._(
                    "Tracking number %(number)s sent to the shop (reference "
                    "%(ref)s).",
                    number=parcel.tracking_number,
                    ref=ref or "-",
                )
            )
            if one_fulfillment:
                break
        return sent

    def _tms_ec_client(self):
        """The shop client of the order's backend (raises ShopError when a setting
        is missing)."""
        self.ensure_one()
        return self.backend_id._tms_ec_client()

    def _tms_ec_lock(self):
        """Serialise the jobs of one order: a second job waits for the first one's
        transaction, then fails to serialise and is retried by the job runner,
        seeing what the first one sent."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM tms_ec_order WHERE id = %s FOR NO KEY UPDATE", [self.id]
        )
        self.env.invalidate_all()

    def _tms_ec_job_error(self, error):
        """The queue_job error for a shop error: retried after the shop's delay when
        it asked to slow down, along the retry pattern when temporary, failed (and
        reported on the order by the job function's on-fail hook) otherwise."""
        if isinstance(error, ShopRateLimited) or (
            error.transient and error.retry_after
        ):
            return RetryableJobError(
                error.message, seconds=math.ceil(error.retry_after or 1)
            )
        if error.transient:
            return RetryableJobError(error.message)
        return FailedJobError(error.message)

    # ----------------------------------------------------------------------------------
    # job failure hooks (queue.job.function on_fail_method, run in a new transaction)
    # ----------------------------------------------------------------------------------
    def _tms_ec_on_push_tracking_failed(self, exc_message=None, **_failure):
        self._tms_ec_report_push_failure(
            self.env._(
                "The tracking could not be sent to the shop: %(error)s. Fix the cause "
                "(credentials, the order in the shop), then click Send Tracking "
                "Again.",
                error=exc_message or "?",
            ),
            exc_message,
        )

    def _tms_ec_on_push_delivered_failed(self, exc_message=None, **_failure):
        self._tms_ec_report_push_failure(
            self.env._(
                "The shop could not be told that the order was delivered: "
                "%(error)s. Fix the cause, then click Send Tracking Again.",
                error=exc_message or "?",
            ),
            exc_message,
        )

    def _tms_ec_report_push_failure(self, message, error):
        # sudo: run by the job runner as the job's user (a driver, a storekeeper);
        # reporting the failure on the company's own order is the system's work.
        for order in self.sudo().exists():
            order.push_error = error or message
            order.message_post(body=message, message_type="comment")
            order.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=self.env._("Shop not updated"),
                note=message,
                user_id=order._tms_ec_responsible().id,
            )

    def _tms_ec_responsible(self):
        """Who gets the activity of a failed shop update: the salesperson of the
        order, else whoever set the shop up, else the current user."""
        self.ensure_one()
        for user in (self.sale_order_id.user_id, self.backend_id.create_uid):
            if user and user.active and not user.share:
                return user
        return self.env.user
