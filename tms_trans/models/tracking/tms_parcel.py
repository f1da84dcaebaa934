# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the recipient of a parcel on a round sees (its arrival window, how many stops
before theirs, the driver's position near the end) and the parcel's proof of
delivery as a PDF."""

import uuid
from datetime import timedelta

from odoo import fields, models
from odoo.tools.misc import format_datetime

from odoo.addons.tms_core.models.notification.tms_parcel_event import _iso

from ...tools import eta as eta_tools

# parcel states in which the arrival window still means something
ETA_PARCEL_STATES = ("at_hub", "in_transit", "out_for_delivery")
POD_REPORT = "tms_trans.tms_parcel_report_pod"


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    # ----------------------------------------------------------------------------------
    # arrival window
    # ----------------------------------------------------------------------------------
    def _tms_round_eta(self, now=None):
        """The parcel's arrival on its round, for customers, or None when it is on no
        planned or started round, its stop is done or has no planned time:
        ``{stops_before, stops_label, window_start, window_end, day, late, started,
        driver}``. Times are texts (HH:mm) in the company's time zone, as the page's
        timeline; ``driver`` is None or ``{latitude, longitude, time}``, only when
        the company shows it and the stop is one of the next ones."""
        self.ensure_one()
        # sudo: the caller shows the result to whoever may follow the parcel; the
        # round, its stops and the driver's position stay on the server.
        parcel = self.sudo()
        stop = parcel.round_stop_id
        tms_round = stop.round_id
        if (
            not tms_round
            or tms_round.state not in ("planned", "started")
            or stop.state != "pending"
            or stop.kind != "delivery"
            or parcel.state not in ETA_PARCEL_STATES
        ):
            return None
        estimate = tms_round._tms_eta(now).get(stop.id)
        if not estimate:
            return None
        company = tms_round.company_id
        margin = timedelta(minutes=max(company.tms_eta_margin_minutes, 0))
        start, end = estimate.window(margin)
        # the time zone of the rest of the tracking page (its timeline)
        tz = parcel._tms_public_tz()
        before = eta_tools.stops_before(tms_round._tms_pending_stops().ids, stop.id)
        driver = None
        if (
            tms_round.state == "started"
            and company.tms_track_show_driver
            and before is not None
            and before < max(company.tms_track_driver_stops, 0)
        ):
            last = self.env["tms.round.position"]._tms_last_position(tms_round.id)
            if last:
                driver = {
                    "latitude": round(last[0], 5),
                    "longitude": round(last[1], 5),
                    "time": format_datetime(
                        self.env, last[2], tz=tz, dt_format="HH:mm"
                    ),
                }
        before = before or 0
        if before == 0:
            stops_label = self.env._("You are the driver's next stop.")
        elif before == 1:
            stops_label = self.env._("1 stop before yours.")
        else:
            stops_label = self.env._("%(count)s stops before yours.", count=before)
        return {
            "stops_before": before,
            "stops_label": stops_label,
            "window_start": format_datetime(self.env, start, tz=tz, dt_format="HH:mm"),
            "window_end": format_datetime(self.env, end, tz=tz, dt_format="HH:mm"),
            "day": format_datetime(self.env, start, tz=tz, dt_format="EEEE d MMMM"),
            "late": estimate.late,
            "started": tms_round.state == "started",
            "driver": driver,
        }

    def _tms_round_started_payload(self, tms_round, estimates, db_uuid=None):
        """The JSON body of ``parcel.round_started`` (readme/TRACKING.md): the parcel
        as in tms_core's ``parcel.state_changed`` and its delivery on the round that
        started (arrival window in UTC, stops before it); no personal data, the same
        id for every attempt and every webhook."""
        self.ensure_one()
        parcel = self.sudo()
        namespace = uuid.UUID(db_uuid) if db_uuid else uuid.NAMESPACE_URL
        key = f"tms.round.started/{tms_round.id}/{parcel.id}"
        stop = parcel.round_stop_id
        estimate = estimates.get(stop.id)
        window = None
        if estimate:
            margin = timedelta(
                minutes=max(tms_round.company_id.tms_eta_margin_minutes, 0)
            )
            start, end = estimate.window(margin)
            window = {"start": _iso(start), "end": _iso(end)}
        return {
            "id": f"evt_{uuid.uuid5(namespace, key).hex}",
            "type": "parcel.round_started",
            "occurred_at": _iso(fields.Datetime.now()),
            "api_version": 1,
            "parcel": {
                "tracking_number": parcel.tracking_number,
                "client_reference": parcel.client_reference or None,
                "state": parcel.state,
                "date_promised": _iso(parcel.date_promised),
                "tracking_url": parcel._tms_public_tracking_url(),
                "delivery": {
                    "arrival_window": window,
                    "stops_before": eta_tools.stops_before(
                        tms_round._tms_pending_stops().ids, stop.id
                    ),
                },
            },
        }

    def _tms_public_data(self):
        data = super()._tms_public_data()
        data["eta"] = self._tms_round_eta()
        return data

    def _tms_notification_eta_window(self):
        """For templates: "10:30 - 11:30", the parcel's arrival window in the
        rendering language; empty when it has none."""
        self.ensure_one()
        eta = self._tms_round_eta()
        if not eta:
            return ""
        return f"{eta['window_start']} - {eta['window_end']}"

    # ----------------------------------------------------------------------------------
    # proof of delivery
    # ----------------------------------------------------------------------------------
    def _tms_pod_event(self):
        """The tracking event that delivered the parcel (the latest one)."""
        self.ensure_one()
        return (
            self.env["tms.parcel.event"]
            .sudo()
            .search(
                [("parcel_id", "=", self.id), ("state", "=", "delivered")],
                order="event_date desc, id desc",
                limit=1,
            )
        )

    def _tms_pod_values(self):
        """What the proof of delivery shows of the parcel (the report reads it)."""
        self.ensure_one()
        parcel = self.sudo()
        event = parcel._tms_pod_event()
        zip_city = " ".join(
            p for p in (parcel.recipient_zip, parcel.recipient_city) if p
        )
        address = [
            line
            for line in (
                parcel.recipient_street,
                parcel.recipient_street2,
                zip_city,
                parcel.recipient_country_id.name,
            )
            if line
        ]
        has_position = bool(event.latitude or event.longitude)
        tz = parcel._tms_public_tz()
        delivered_on = parcel.date_delivered or event.event_date
        return {
            "delivered": parcel.state == "delivered",
            "date_delivered": format_datetime(
                self.env, delivered_on, tz=tz, dt_format="d MMMM y, HH:mm"
            )
            if delivered_on
            else "",
            "tz": tz,
            "receiver": parcel.pod_receiver_name or "",
            "recipient": parcel.recipient_name or "",
            "address": address,
            "latitude": f"{event.latitude:.6f}" if has_position else "",
            "longitude": f"{event.longitude:.6f}" if has_position else "",
            "signature": parcel.pod_signature,
            "photos": [photo.datas for photo in parcel.pod_photo_ids if photo.datas],
            "shipper": parcel.shipper_id.name or "",
            "driver": event.user_id.name or "",
        }

    def _tms_pod_lang(self):
        """The language of the proof of delivery: the recipient's, else the
        shipper's, else the user's."""
        self.ensure_one()
        parcel = self.sudo()
        return (
            parcel.recipient_id.lang
            or parcel.shipper_id.lang
            or self.env.user.lang
            or "en_US"
        )

    def _tms_pod_pdf(self):
        """The proof of delivery PDF of the parcel (bytes). The caller has checked
        that the user may see it."""
        self.ensure_one()
        # sudo: the report reads the carrier's records (events, attachments); the
        # caller checked access to the parcel
        pdf, _type = (
            self.env["ir.actions.report"].sudo()._render_qweb_pdf(POD_REPORT, self.ids)
        )
        return pdf

    def _tms_pod_filename(self):
        self.ensure_one()
        return f"POD-{self.tracking_number or self.id}.pdf"
