# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What customers see of a parcel: the public tracking page (no personal data, the
delivery details behind a second factor) and the portal pages of logged-in customers.

Everything shown to a visitor goes through the whitelists of this file
(:meth:`_tms_public_data`, :meth:`_tms_public_timeline`,
:meth:`_tms_delivery_details`): templates get plain values, never a parcel record
they could read anything from.
"""

import hmac
import re

import pytz

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date, format_datetime

# Filters of the portal's "My parcels" list.
PORTAL_FILTER_STATES = {
    "progress": (
        "draft",
        "confirmed",
        "picked_up",
        "at_hub",
        "in_transit",
        "out_for_delivery",
    ),
    "delivered": ("delivered",),
    "problem": ("failed", "returning", "returned", "lost", "exception"),
}
# The steps of the progress bar of the tracking page, and the step each state reached.
PROGRESS_STEP_OF_STATE = {
    "draft": 0,
    "confirmed": 0,
    "picked_up": 1,
    "at_hub": 2,
    "in_transit": 2,
    "out_for_delivery": 3,
    "failed": 3,
    "delivered": 4,
}
# Access tokens are uuid4 strings (see tms.parcel create); anything else is not looked
# up at all.
ACCESS_TOKEN_RE = re.compile(r"^[A-Za-z0-9-]{16,64}$")
NON_ALNUM_RE = re.compile(r"[^0-9A-Za-z]")
PHONE_DIGITS = 4
# A postcode of fewer characters cannot prove anything (and anonymised parcels keep
# only the first two).
MIN_POSTCODE_LENGTH = 3


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    # portal.mixin does not index the token: /track/<token> looks parcels up by it.
    access_token = fields.Char(index="btree_not_null")

    # ----------------------------------------------------------------------------------
    # lookups of the public tracking page
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_track_find_by_number(self, number):
        """The parcel with tracking number ``number``, whoever may read it, or an empty
        recordset. Raise a :class:`UserError` for a malformed number or a wrong check
        digit, before anything is looked up.

        The parcel comes back in sudo mode: use it only through the public helpers of
        this file (``_tms_public_data``, and ``_tms_delivery_details`` after the second
        factor).
        """
        number = self._tms_parse_tracking_number(number)
        # sudo: the visitor of the public page is anonymous and may read no parcel. The
        # number was validated just above (format and check digit: junk and typing
        # errors never reach the database), the caller counted the lookup against the
        # per-IP rate limit, and what is shown is limited to the public whitelist.
        return self.sudo().search([("tracking_number", "=", number)], limit=1)

    @api.model
    def _tms_track_find_by_token(self, token):
        """The parcel whose public tracking link (label QR code, notifications) holds
        ``token``, or an empty recordset; in sudo mode, like
        :meth:`_tms_track_find_by_number`."""
        if not isinstance(token, str) or not ACCESS_TOKEN_RE.match(token):
            return self.browse()
        # sudo: as above; a token is 122 random bits, the link to one parcel.
        parcel = self.sudo().search([("access_token", "=", token)], limit=1)
        # the index found it; compare in constant time all the same
        if parcel and hmac.compare_digest(parcel.access_token, token):
            return parcel
        return self.browse()

    # ----------------------------------------------------------------------------------
    # public data (no personal data)
    # ----------------------------------------------------------------------------------
    def _tms_public_tz(self):
        self.ensure_one()
        company = self.company_id
        return company.resource_calendar_id.tz or company.partner_id.tz or "UTC"

    def _tms_public_state_labels(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        # "Draft" means something to the back office, not to a customer
        labels["draft"] = self.env._("Announced by the shipper")
        return labels

    def _tms_public_events(self):
        """The parcel's events as customers see them, newest first: dicts with
        ``id``, ``event_date``, ``state``, ``hub_id``, ``place`` (the hub's city, its
        name when it has no address) and ``reason`` (the failure reason's label).

        One query for events, hubs, their addresses and failure reasons: the public
        page is the busiest page of the suite. It reads the carrier's records, which
        customers may not: only the values above leave this method, and the caller
        has checked that the visitor may follow the parcel. A scan undone by its user
        and the event undoing it are left out: for the customer they never happened.
        """
        self.ensure_one()
        Event = self.env["tms.parcel.event"]
        has_corrections = "correction_of_id" in Event._fields
        for model in ("tms.parcel.event", "tms.hub", "res.partner"):
            self.env[model].flush_model()
        self.env["tms.failure.reason"].flush_model(["name"])
        lang = self.env.lang or "en_US"
        self.env.cr.execute(
            SQL(
                """
                SELECT e.id, e.event_date, e.state, e.hub_id,
                       COALESCE(NULLIF(hp.city, ''), h.name, ''),
                       COALESCE(r.name->>%(lang)s, r.name->>'en_US', ''),
                       %(correction)s
                  FROM tms_parcel_event e
                  LEFT JOIN tms_hub h ON h.id = e.hub_id
                  LEFT JOIN res_partner hp ON hp.id = h.partner_id
                  LEFT JOIN tms_failure_reason r ON r.id = e.failure_reason_id
                 WHERE e.parcel_id = %(parcel)s
                 ORDER BY e.event_date DESC, e.id DESC
                """,
                lang=lang,
                correction=SQL("e.correction_of_id")
                if has_corrections
                else SQL("NULL::int"),
                parcel=self.id,
            )
        )
        rows = self.env.cr.fetchall()
        undone = {row[6] for row in rows if row[6]}
        return [
            {
                "id": event_id,
                "event_date": event_date,
                "state": state,
                "hub_id": hub_id,
                "place": place,
                "reason": reason,
            }
            for event_id, event_date, state, hub_id, place, reason, correction in rows
            if not correction and event_id not in undone
        ]

    def _tms_public_timeline(self, events=None):
        """The parcel's tracking events as customers see them, newest first: a list of
        dicts with ``date`` (text in the company's timezone), ``day`` and ``time``
        (its two parts), ``datetime`` (ISO, for ``<time>``), ``state``, ``label``,
        ``place`` (hub city) and ``reason`` (the failure reason's public label).

        Never in it: who scanned (users), notes, free-text places, GPS positions,
        devices. ``events``: :meth:`_tms_public_events`, when the caller has them.
        """
        self.ensure_one()
        if events is None:
            events = self._tms_public_events()
        labels = self._tms_public_state_labels()
        tz = self._tms_public_tz()
        # The day and the time apart: in a right-to-left page, a day in words
        # followed by digits of the time is reordered by the browser; each part is
        # isolated (<bdi>) by the template.
        return [
            {
                "date": format_datetime(
                    self.env, event["event_date"], tz=tz, dt_format="d MMM y, HH:mm"
                ),
                "day": format_datetime(
                    self.env, event["event_date"], tz=tz, dt_format="d MMMM y"
                ),
                "time": format_datetime(
                    self.env, event["event_date"], tz=tz, dt_format="HH:mm"
                ),
                "datetime": pytz.utc.localize(event["event_date"]).isoformat(),
                "state": event["state"],
                "label": labels.get(event["state"], event["state"]),
                "place": event["place"],
                "reason": event["reason"],
            }
            for event in events
        ]

    def _tms_public_date(self, value):
        """A date for customers: the day in the company's timezone (promised dates
        are the end of a working day, the time adds nothing)."""
        if not value:
            return ""
        local = pytz.utc.localize(value).astimezone(
            pytz.timezone(self._tms_public_tz())
        )
        return format_date(self.env, local.date(), date_format="full")

    def _tms_public_is_late(self):
        """Whether the promised delivery date is past and the parcel is still on its
        way (or its delivery failed): the customer is told it is late."""
        self.ensure_one()
        return bool(
            self.date_promised
            and self.date_promised < fields.Datetime.now()
            and (
                self.state in PORTAL_FILTER_STATES["progress"] or self.state == "failed"
            )
        )

    def _tms_public_out_today(self, events):
        """Whether the parcel left for delivery today (in the company's timezone):
        only then does it arrive today."""
        self.ensure_one()
        if self.state != "out_for_delivery":
            return False
        latest = next(
            (e["event_date"] for e in events if e["state"] == "out_for_delivery"), None
        )
        if not latest:
            return False
        tz = pytz.timezone(self._tms_public_tz())
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()
        return pytz.utc.localize(latest).astimezone(tz).date() == today

    def _tms_public_contact(self):
        """How customers reach the carrier: its name, phone, email and website (the
        company's public details)."""
        self.ensure_one()
        # sudo: a visitor of the public page may not read companies; only the public
        # contact details below leave this method.
        company = self.sudo().company_id
        return {
            "name": company.name or "",
            "phone": company.phone or "",
            "email": company.email or "",
            "website": company.website or "",
        }

    def _tms_public_next_step(self, events=None):
        """One sentence saying where the parcel is and what happens next."""
        self.ensure_one()
        _ = self.env._
        promised = self._tms_public_date(self.date_promised)
        if events is None:
            events = self._tms_public_events()
        if self._tms_public_is_late():
            return self._tms_public_late_step(events, promised)
        # the hub where the parcel is: that of its latest event at a hub
        hub_id = self.sudo().hub_id.id
        city = next((e["place"] for e in events if e["hub_id"] == hub_id), "")
        state = self.state
        if state in ("draft", "confirmed"):
            if promised:
                return _(
                    "The shipper has prepared your parcel; we will pick it up soon "
                    "and deliver it by %(date)s.",
                    date=promised,
                )
            return _("The shipper has prepared your parcel; we will pick it up soon.")
        if state in ("picked_up", "at_hub", "in_transit"):
            if state == "at_hub" and city:
                where = _("Your parcel is at the %(city)s hub", city=city)
            elif state == "in_transit":
                where = _("Your parcel is on its way")
            else:
                where = _("We have your parcel")
            if promised:
                return _(
                    "%(where)s; it will be delivered by %(date)s.",
                    where=where,
                    date=promised,
                )
            return _("%(where)s; it will be delivered soon.", where=where)
        if state == "out_for_delivery":
            if self._tms_public_out_today(events):
                return _("Your parcel is out for delivery: it arrives today.")
            return _("Your parcel is out for delivery.")
        if state == "delivered":
            return _(
                "Your parcel was delivered on %(date)s.",
                date=self._tms_public_date(self.date_delivered),
            )
        if state == "failed":
            return _(
                "We could not deliver your parcel; we will try again or contact you."
            )
        if state == "returning":
            return _("Your parcel is on its way back to the shipper.")
        if state == "returned":
            return _("Your parcel was returned to the shipper.")
        if state == "cancelled":
            return _("This shipment was cancelled.")
        return _(
            "Your parcel needs our attention: our team is on it and will keep you "
            "informed."
        )

    def _tms_public_late_step(self, events, promised):
        """The next step of a late parcel: that it is late, and when it now comes
        when that is known."""
        self.ensure_one()
        _ = self.env._
        state = self.state
        if state == "out_for_delivery" and self._tms_public_out_today(events):
            return _(
                "Your parcel is late: it was due on %(date)s. It is out for delivery "
                "and should arrive today.",
                date=promised,
            )
        if state == "out_for_delivery":
            # out since an earlier day: it is with a driver, not waiting to leave
            return _(
                "Your parcel is late: it was due on %(date)s. It is with our driver "
                "and we are doing our best to deliver it.",
                date=promised,
            )
        if state == "failed":
            return _(
                "Your parcel is late: it was due on %(date)s and we could not deliver "
                "it. We will try again or contact you.",
                date=promised,
            )
        if state in ("draft", "confirmed"):
            return _(
                "Your parcel is late: it was due on %(date)s and we have not picked it "
                "up from the shipper yet.",
                date=promised,
            )
        return _(
            "Your parcel is late: it was due on %(date)s. We are doing our best to "
            "deliver it and will tell you when it leaves for delivery.",
            date=promised,
        )

    def _tms_public_data(self):
        """What anybody with the tracking number or link may see: status, timeline,
        promised date and next step. No personal data: no names, phones, addresses,
        notes or users."""
        self.ensure_one()
        labels = self._tms_public_state_labels()
        events = self._tms_public_events()
        state = self.state
        if state == "delivered":
            status_class = "success"
        elif state in PORTAL_FILTER_STATES["problem"]:
            status_class = "warning"
        elif state == "cancelled":
            status_class = "secondary"
        else:
            status_class = "info"
        late = self._tms_public_is_late()
        return {
            "tracking_number": self.tracking_number,
            "state": state,
            "state_label": labels.get(state, state),
            "status_class": status_class,
            "progress_step": PROGRESS_STEP_OF_STATE.get(state),
            # a promise means nothing any more once the parcel is back or lost
            "date_promised": self._tms_public_date(self.date_promised)
            if state in PORTAL_FILTER_STATES["progress"] or state == "failed"
            else "",
            "date_delivered": self._tms_public_date(self.date_delivered),
            "late": late,
            # the only new date we can stand by: a late parcel out for delivery today
            "new_estimate": self.env._("Today")
            if late and self._tms_public_out_today(events)
            else "",
            "contact": self._tms_public_contact(),
            "next_step": self._tms_public_next_step(events),
            "timeline": self._tms_public_timeline(events),
            "carrier": self.company_id.name,
            "can_reveal": self._tms_can_reveal(),
        }

    # ----------------------------------------------------------------------------------
    # second factor and delivery details
    # ----------------------------------------------------------------------------------
    def _tms_can_reveal(self):
        """Whether the recipient can prove who they are on the public page (there is
        a phone number or a postcode to check against)."""
        self.ensure_one()
        parcel = self.sudo()
        return not parcel.anonymized and bool(
            self._tms_phone_digits(parcel.recipient_phone)
            or len(self._tms_normalize_postcode(parcel.recipient_zip))
            >= MIN_POSTCODE_LENGTH
        )

    @api.model
    def _tms_phone_digits(self, phone):
        digits = re.sub(r"\D", "", phone or "")
        return digits[-PHONE_DIGITS:] if len(digits) >= PHONE_DIGITS else ""

    @api.model
    def _tms_normalize_postcode(self, postcode):
        return NON_ALNUM_RE.sub("", postcode or "").upper()

    def _tms_check_second_factor(self, answer):
        """Whether ``answer`` is the last four digits of the recipient's phone or the
        delivery postcode (spaces, dashes and case ignored). Compared in constant
        time; an anonymised parcel has nothing left to reveal."""
        self.ensure_one()
        if not self._tms_can_reveal() or not isinstance(answer, str):
            return False
        # sudo: the recipient's phone and postcode are compared, never returned.
        parcel = self.sudo()
        answer = self._tms_normalize_postcode(answer[:64])
        if not answer:
            return False
        phone_ok = False
        expected_digits = self._tms_phone_digits(parcel.recipient_phone)
        if expected_digits and len(answer) == PHONE_DIGITS and answer.isdigit():
            phone_ok = hmac.compare_digest(answer, expected_digits)
        postcode = self._tms_normalize_postcode(parcel.recipient_zip)
        postcode_ok = len(postcode) >= MIN_POSTCODE_LENGTH and hmac.compare_digest(
            answer.encode(), postcode.encode()
        )
        return phone_ok or postcode_ok

    def _tms_delivery_details(self):
        """The delivery details shown to the recipient once they passed the second
        factor, or to a customer who may read the parcel: the recipient's name and
        address, and the proof of delivery (receiver, signature, photos)."""
        self.ensure_one()
        # sudo: called after the second factor or the portal access check; addresses
        # and proofs of delivery belong to the carrier's records.
        parcel = self.sudo()
        zip_city = " ".join(
            p for p in (parcel.recipient_zip, parcel.recipient_city) if p
        )
        address = [
            line
            for line in (
                parcel.recipient_street,
                parcel.recipient_street2,
                zip_city,
                parcel.recipient_state_id.name,
                parcel.recipient_country_id.name,
            )
            if line
        ]
        return {
            "parcel_id": parcel.id,
            "recipient_name": parcel.recipient_name or "",
            "address": address,
            "delivered": parcel.state == "delivered",
            "date_delivered": format_datetime(
                self.env,
                parcel.date_delivered,
                tz=parcel._tms_public_tz(),
                dt_format="d MMM y, HH:mm",
            )
            if parcel.date_delivered
            else "",
            "pod_receiver_name": parcel.pod_receiver_name or "",
            "has_signature": bool(parcel.pod_signature),
            "photo_ids": parcel.pod_photo_ids.ids,
        }

    def _tms_pod_attachment(self, attachment_id):
        """One photo of the proof of delivery of the parcel (sudo), or an empty
        recordset when ``attachment_id`` is not one of them."""
        self.ensure_one()
        photos = self.sudo().pod_photo_ids
        return photos.filtered(lambda a: a.id == attachment_id)

    # ----------------------------------------------------------------------------------
    # portal ("My parcels")
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_portal_domain(self, partner=None):
        """The parcels a customer sent (as the shipper) or receives, by commercial
        entity; the record rules of portal users say the same."""
        partner = (partner or self.env.user.partner_id).commercial_partner_id
        return [
            "|",
            ("shipper_id.commercial_partner_id", "=", partner.id),
            ("recipient_id.commercial_partner_id", "=", partner.id),
        ]

    @api.model
    def _tms_portal_filter_domain(self, filterby):
        states = PORTAL_FILTER_STATES.get(filterby)
        return [("state", "in", states)] if states else []

    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # The access token is the public tracking link printed on labels: it opens the
        # public timeline, never the chatter, whose messages may hold personal data.
        kwargs.pop("token", None)
        return super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
