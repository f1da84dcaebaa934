# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The driver app's server side: what the phone shows (``driver_data``) and the
actions it queued, sent in order (``sync``).

Every action carries a key made by the phone. Sent twice (the first answer lost on a
bad network), an action is applied once: its tracking events carry the key
(``tms.parcel.event._record`` finds them), its photo is stored under it. Each action
is applied in its own savepoint: one refused action (a required proof missing, a
parcel taken off the round) never blocks the ones after it.

Actions (``type``):

- ``start``: the parcels scanned into the van go out for delivery, which starts the
  round (``rounds/tms_parcel_event.py``);
- ``photo``: a photo taken at the door, attached to the parcel (sent before the
  delivery or failure that refers to it);
- ``deliver``: proofs checked against the parcel's service, cash on delivery
  recorded (``cod/tms_parcel.py``), then the delivered event;
- ``fail``: the failure reason, the next step, then the failed event.
"""

import base64
import binascii
import logging
from datetime import datetime, timezone
from urllib.parse import quote

from psycopg2 import OperationalError

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.tms_core.models.scanning.tms_scan import IDEMPOTENCY_KEY_RE

from ..cod.tms_parcel import COD_METHODS
from .tms_parcel import NEXT_STEPS

_logger = logging.getLogger(__name__)

ACTION_TYPES = ("start", "photo", "deliver", "fail")
# rounds the driver works on: their parcels may be loaded, delivered or failed
LIVE_STATES = ("planned", "started")
MAX_ACTIONS = 500
MAX_PHOTO_BYTES = 4 * 1024 * 1024
# what a failure reason's usual follow-up proposes as the next step
NEXT_STEP_OF_ACTION = {"retry": "retry", "return": "hub", "hold": "hub"}


class TmsDriverApp(models.AbstractModel):
    _name = "tms.driver.app"
    _description = "Driver App"

    # ----------------------------------------------------------------------------------
    # public methods, called by the app's routes
    # ----------------------------------------------------------------------------------
    @api.model
    def driver_data(self):
        """Today's rounds of the current user (and any round of his still started),
        their stops in order, parcels, cash on delivery and the proofs each parcel's
        service asks for; the failure reasons, next steps and payment methods."""
        self._tms_check_driver()
        today = self.env["tms.round"]._tms_today()
        rounds = self.env["tms.round"].search(
            [
                ("driver_id", "=", self.env.uid),
                "|",
                "&",
                ("date", "=", today),
                ("state", "in", ("planned", "started", "done")),
                ("state", "=", "started"),
            ],
            order="date, id",
        )
        reasons = self.env["tms.failure.reason"].search([])
        return {
            "user_id": self.env.uid,
            "gps": self._tms_gps_values(),
            "rounds": [self._tms_round_values(tms_round) for tms_round in rounds],
            "failure_reasons": [
                {
                    "id": reason.id,
                    "name": reason.name,
                    "requires_note": reason.requires_note,
                    "next_step": NEXT_STEP_OF_ACTION.get(reason.next_action, "retry"),
                }
                for reason in reasons
            ],
            "next_steps": self._tms_selection(NEXT_STEPS, "failure_next_step"),
            "cod_methods": [
                {"key": key, "label": label}
                for key, label in self.env["tms.parcel"]
                ._fields["cod_collected_method"]
                ._description_selection(self.env)
            ],
        }

    @api.model
    def sync(self, actions):
        """Apply the queued ``actions`` in their order; returns ``{"results": [...]}``,
        one ``{key, status, message, parcel_id, parcel_state}`` per action, ``status``
        being ``ok``, ``replayed`` (already applied: nothing new) or ``error``."""
        self._tms_check_driver()
        if not isinstance(actions, list):
            raise UserError(self.env._("The actions must be a list."))
        if len(actions) > MAX_ACTIONS:
            raise UserError(
                self.env._("Send at most %(count)s actions at once.", count=MAX_ACTIONS)
            )
        results = []
        for action in actions:
            key = action.get("key") if isinstance(action, dict) else None
            try:
                with self.env.cr.savepoint():
                    result = self._tms_apply_action(action)
            except OperationalError:
                # a concurrent change of the same parcel: Odoo retries the whole call
                raise
            except (UserError, ValidationError, AccessError) as error:
                result = {"status": "error", "message": error.args[0]}
            except Exception:
                _logger.exception("Driver action %r failed", key)
                result = {
                    "status": "error",
                    "message": self.env._(
                        "The action could not be recorded because of an unexpected "
                        "error; it was logged for the administrator."
                    ),
                }
            result.setdefault("parcel_id", False)
            result.setdefault("parcel_state", False)
            result["key"] = key if isinstance(key, str) else False
            results.append(result)
        return {"results": results}

    @api.model
    def set_gps_consent(self, consent, user_id=None):
        """The driver turns the sharing of his position during rounds on or off;
        ``user_id``, when given, must be his own: nobody decides for another."""
        self._tms_check_driver()
        if user_id not in (None, False, self.env.uid):
            raise AccessError(
                self.env._("You can only change your own position sharing.")
            )
        # no sudo: a user may write this field on himself only (res_users.py)
        self.env.user.write({"tms_gps_consent": bool(consent)})
        return self._tms_gps_values()

    # ----------------------------------------------------------------------------------
    # data
    # ----------------------------------------------------------------------------------
    def _tms_gps_values(self):
        """Whether the phone sends its positions during a started round, and how
        often (seconds)."""
        return {
            "consent": self.env.user.tms_gps_consent,
            "interval": max(self.env.company.tms_gps_interval, 1),
        }

    def _tms_check_driver(self):
        if not self.env.user.has_group("tms_core.group_tms_driver"):
            raise AccessError(self.env._("The driver app is for drivers only."))

    def _tms_selection(self, selection, field):
        labels = dict(
            self.env["tms.parcel"]._fields[field]._description_selection(self.env)
        )
        return [{"key": key, "label": labels.get(key, key)} for key, _l in selection]

    def _tms_round_values(self, tms_round):
        vehicle = tms_round.vehicle_id
        return {
            "id": tms_round.id,
            "name": tms_round.name,
            "date": fields.Date.to_string(tms_round.date),
            "state": tms_round.state,
            "hub": tms_round.hub_id.display_name,
            "vehicle": vehicle.license_plate or vehicle.display_name or "",
            "cod_total": tms_round.cod_total,
            "stops": [
                self._tms_stop_values(stop)
                for stop in tms_round.stop_ids.sorted(lambda s: (s.sequence, s.id))
            ],
        }

    def _tms_stop_values(self, stop):
        address = ", ".join(part for part in (stop.street, stop.zip, stop.city) if part)
        return {
            "id": stop.id,
            "kind": stop.kind,
            "state": stop.state,
            "contact": stop.contact_name or stop.partner_id.name or "",
            "phone": stop.phone or "",
            "phone_uri": "tel:"
            + "".join(c for c in (stop.phone or "") if c.isdigit() or c == "+")
            if stop.phone
            else False,
            "address": address,
            "latitude": stop.latitude if stop.coordinate_source != "none" else False,
            "longitude": stop.longitude if stop.coordinate_source != "none" else False,
            "links": self._tms_navigation_links(stop, address),
            "planned_arrival": fields.Datetime.to_string(stop.planned_arrival),
            "window_start": fields.Datetime.to_string(stop.window_start),
            "window_end": fields.Datetime.to_string(stop.window_end),
            "instructions": stop.instructions or "",
            "cod_amount": stop.cod_amount,
            "parcels": [self._tms_parcel_values(parcel) for parcel in stop.parcel_ids],
        }

    @api.model
    def _tms_navigation_links(self, stop, address):
        """geo: URI (the phone's own map app), Google Maps and Waze, to the stop's
        coordinates, else to its address."""
        if stop.coordinate_source != "none":
            point = f"{stop.latitude:.6f},{stop.longitude:.6f}"
            return {
                "geo": f"geo:{point}?q={point}",
                "google": f"https://www.google.com/maps/dir/?api=1&destination={point}",
                "waze": f"https://waze.com/ul?ll={point}&navigate=yes",
            }
        if not address:
            return False
        query = quote(address)
        return {
            "geo": f"geo:0,0?q={query}",
            "google": f"https://www.google.com/maps/dir/?api=1&destination={query}",
            "waze": f"https://waze.com/ul?q={query}&navigate=yes",
        }

    def _tms_parcel_values(self, parcel):
        currency = parcel.cod_currency_id
        states = dict(parcel._fields["state"]._description_selection(self.env))
        return {
            "id": parcel.id,
            "tracking_number": parcel.tracking_number,
            "access_token": parcel.access_token or "",
            "state": parcel.state,
            "state_label": states.get(parcel.state, parcel.state),
            "recipient": parcel.recipient_name or "",
            "weight": parcel.weight,
            "cod_amount": parcel.cod_amount,
            "cod_currency": currency.symbol or currency.name or "",
            "cod_currency_after": currency.position == "after",
            "cod_digits": currency.decimal_places,
            "cod_collected": bool(parcel.cod_collected_date),
            "proofs": parcel.service_id._tms_proof_modes(),
        }

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def _tms_apply_action(self, action):
        if not isinstance(action, dict) or action.get("type") not in ACTION_TYPES:
            raise UserError(self.env._("Unknown driver action."))
        key = action.get("key")
        if not isinstance(key, str) or not IDEMPOTENCY_KEY_RE.match(key):
            raise UserError(
                self.env._(
                    "An action's key must have 8 to 100 letters, digits or dashes."
                )
            )
        kind = action["type"]
        replayed = self._tms_replayed(kind, key)
        if replayed is not None:
            return replayed
        context = self._tms_action_context(action)
        return getattr(self, f"_tms_action_{kind}")(action, key, context)

    def _tms_replayed(self, kind, key):
        """The answer to an action already applied (sent again), or None."""
        if kind == "photo":
            # sudo: photos are attached to parcels the driver may not edit; only the
            # parcel's id comes out
            photo = (
                self.env["ir.attachment"]
                .sudo()
                .search(
                    [("res_model", "=", "tms.parcel"), ("name", "=", f"{key}.jpg")],
                    limit=1,
                )
            )
            if not photo:
                return None
            return {
                "status": "replayed",
                "message": self.env._("Photo already received (sent again)."),
                "parcel_id": photo.res_id,
            }
        # sudo: the events of an action sent again must be found even if a record
        # rule hides them now (parcel reassigned); only ids and states come out
        events = (
            self.env["tms.parcel.event"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.env.companies.ids),
                    "|",
                    ("idempotency_key", "=", key),
                    ("idempotency_key", "=like", f"{key}:%"),
                ]
            )
        )
        if not events:
            return None
        parcel = events.parcel_id[:1]
        return {
            "status": "replayed",
            "message": self.env._("Already recorded (sent again)."),
            "parcel_id": parcel.id if len(events.parcel_id) == 1 else False,
            "parcel_state": parcel.state if len(events.parcel_id) == 1 else False,
        }

    def _tms_action_context(self, action):
        """What every event of the action gets: the device's time and position."""
        values = {
            "event_date": self._tms_device_time(action.get("device_time")),
            "source": "driver",
            "device": self.env._("Driver app"),
        }
        latitude, longitude = action.get("latitude"), action.get("longitude")
        if (
            all(
                isinstance(value, int | float) and not isinstance(value, bool)
                for value in (latitude, longitude)
            )
            and -90 <= latitude <= 90
            and -180 <= longitude <= 180
        ):
            values.update(latitude=latitude, longitude=longitude)
        return values

    def _tms_device_time(self, value):
        """The phone's clock (ISO 8601 with its offset) as a naive UTC datetime."""
        if not value:
            return fields.Datetime.now()
        try:
            date = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The device time %(time)s is not a date and time.", time=value
                )
            ) from error
        if date.tzinfo:
            date = date.astimezone(timezone.utc).replace(tzinfo=None)
        return date

    def _tms_driver_parcel(self, parcel_id):
        """A parcel of a round of the current driver still being worked on."""
        parcel = self.env["tms.parcel"]
        if isinstance(parcel_id, int) and not isinstance(parcel_id, bool):
            # the user's own access rules apply: another driver's parcel is not found
            parcel = parcel.search(
                [
                    ("id", "=", parcel_id),
                    ("round_id.driver_id", "=", self.env.uid),
                    ("round_id.state", "in", LIVE_STATES),
                ],
                limit=1,
            )
        if not parcel:
            raise UserError(
                self.env._(
                    "This parcel is not on one of your rounds of today: ask your "
                    "dispatcher."
                )
            )
        return parcel

    def _tms_action_start(self, action, key, context):
        round_id = action.get("round_id")
        tms_round = self.env["tms.round"]
        if isinstance(round_id, int) and not isinstance(round_id, bool):
            tms_round = tms_round.search(
                [
                    ("id", "=", round_id),
                    ("driver_id", "=", self.env.uid),
                    ("state", "in", LIVE_STATES),
                ],
                limit=1,
            )
        if not tms_round:
            raise UserError(
                self.env._("This round is not one of yours, or it is already over.")
            )
        loaded_ids = {i for i in action.get("parcel_ids") or [] if isinstance(i, int)}
        loaded = tms_round.parcel_ids.filtered(lambda p: p.id in loaded_ids)
        if not loaded:
            raise UserError(
                self.env._("Scan the parcels into the van before starting the round.")
            )
        to_move = loaded.filtered(lambda p: p.state == "at_hub")
        self.env["tms.parcel.event"]._record(
            [
                dict(
                    context,
                    parcel_id=parcel.id,
                    state="out_for_delivery",
                    hub_id=tms_round.hub_id.id,
                    idempotency_key=f"{key}:{parcel.id}",
                )
                for parcel in to_move
            ]
        )
        if tms_round.state == "planned":
            # sudo: the driver may only read his round; he starts it with his parcels
            # out for delivery already (loaded through the scan screen)
            tms_round.sudo().write(
                {"state": "started", "date_started": context["event_date"]}
            )
        left = tms_round.parcel_ids - loaded
        return {
            "status": "ok",
            "message": self.env._(
                "Round %(round)s started: %(loaded)s parcels loaded, %(left)s left "
                "at the depot.",
                round=tms_round.name,
                loaded=len(loaded),
                left=len(left),
            ),
        }

    def _tms_action_photo(self, action, key, context):
        parcel = self._tms_driver_parcel(action.get("parcel_id"))
        data = action.get("data") or ""
        if isinstance(data, str) and data.startswith("data:"):
            data = data.partition(",")[2]
        try:
            raw = base64.b64decode(data, validate=True) if data else b""
        except (binascii.Error, ValueError):
            raw = b""
        if not raw or len(raw) > MAX_PHOTO_BYTES:
            raise UserError(
                self.env._(
                    "The photo of parcel %(parcel)s could not be read or is too big.",
                    parcel=parcel.tracking_number,
                )
            )
        # sudo: attaching to a parcel takes the right to edit it, which a driver does
        # not have; the parcel is on his own round (checked above)
        self.env["ir.attachment"].sudo().create(
            {
                "name": f"{key}.jpg",
                "raw": raw,
                "res_model": "tms.parcel",
                "res_id": parcel.id,
                "mimetype": "image/jpeg",
            }
        )
        return {
            "status": "ok",
            "message": self.env._(
                "Photo of %(parcel)s received.", parcel=parcel.tracking_number
            ),
            "parcel_id": parcel.id,
            "parcel_state": parcel.state,
        }

    def _tms_photos(self, parcel, keys):
        keys = [
            k for k in keys or [] if isinstance(k, str) and IDEMPOTENCY_KEY_RE.match(k)
        ]
        if not keys:
            return self.env["ir.attachment"]
        # sudo: see _tms_action_photo
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "tms.parcel"),
                    ("res_id", "=", parcel.id),
                    ("name", "in", [f"{k}.jpg" for k in keys]),
                ]
            )
        )

    def _tms_check_out_for_delivery(self, parcel):
        if parcel.state != "out_for_delivery":
            states = dict(parcel._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Parcel %(parcel)s is %(state)s, not out for delivery: load it and "
                    "start the round first.",
                    parcel=parcel.tracking_number,
                    state=states.get(parcel.state, parcel.state),
                )
            )

    def _tms_action_deliver(self, action, key, context):
        parcel = self._tms_driver_parcel(action.get("parcel_id"))
        self._tms_check_out_for_delivery(parcel)
        modes = parcel.service_id._tms_proof_modes()
        name = (action.get("receiver_name") or "").strip()[:128]
        signature = action.get("signature") or ""
        if isinstance(signature, str) and signature.startswith("data:"):
            signature = signature.partition(",")[2]
        photos = self._tms_photos(parcel, action.get("photo_keys"))
        given = {"receiver_name": name, "signature": signature, "photo": photos}
        labels = {
            "receiver_name": self.env._("the receiver's name"),
            "signature": self.env._("a signature"),
            "photo": self.env._("a photo"),
        }
        missing = [
            labels[proof]
            for proof, mode in modes.items()
            if mode == "required" and not given[proof]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Parcel %(parcel)s cannot be delivered without %(proofs)s: its "
                    "service asks for it.",
                    parcel=parcel.tracking_number,
                    proofs=", ".join(missing),
                )
            )
        if parcel.cod_amount:
            cod = action.get("cod")
            if not isinstance(cod, dict):
                raise UserError(
                    self.env._(
                        "Parcel %(parcel)s is cash on delivery: enter what you "
                        "collected.",
                        parcel=parcel.tracking_number,
                    )
                )
            try:
                amount = float(cod.get("amount"))
            except (TypeError, ValueError):
                amount = None
            if cod.get("method") not in dict(COD_METHODS) or amount is None:
                raise UserError(
                    self.env._("Enter the amount collected and how it was paid.")
                )
            # sudo: the driver records what he collected for his own parcel (checked
            # above) without the right to edit parcels; the collector stays his user
            parcel.sudo()._tms_record_cod_collection(
                amount,
                cod["method"],
                reference=cod.get("reference"),
                reason=cod.get("reason"),
                date=context["event_date"],
            )
        vals = {}
        if name and modes["receiver_name"] != "off":
            vals["pod_receiver_name"] = name
        if signature and modes["signature"] != "off":
            vals["pod_signature"] = signature
        if photos and modes["photo"] != "off":
            vals["pod_photo_ids"] = [Command.link(photo.id) for photo in photos]
        if vals:
            # sudo: the proofs of his own delivery (parcel checked above)
            parcel.sudo().write(vals)
        self.env["tms.parcel.event"]._record(
            [dict(context, parcel_id=parcel.id, state="delivered", idempotency_key=key)]
        )
        return {
            "status": "ok",
            "message": self.env._(
                "%(parcel)s delivered.", parcel=parcel.tracking_number
            ),
            "parcel_id": parcel.id,
            "parcel_state": parcel.state,
        }

    def _tms_action_fail(self, action, key, context):
        parcel = self._tms_driver_parcel(action.get("parcel_id"))
        self._tms_check_out_for_delivery(parcel)
        reason_id = action.get("reason_id")
        reason = self.env["tms.failure.reason"]
        if isinstance(reason_id, int) and not isinstance(reason_id, bool):
            reason = reason.search([("id", "=", reason_id)], limit=1)
        if not reason:
            raise UserError(self.env._("Choose why the delivery failed."))
        note = (action.get("note") or "").strip()
        if reason.requires_note and not note:
            raise UserError(
                self.env._(
                    "The reason %(reason)s needs a note.", reason=reason.display_name
                )
            )
        next_step = action.get("next_step") or NEXT_STEP_OF_ACTION.get(
            reason.next_action, "retry"
        )
        steps = dict(
            parcel._fields["failure_next_step"]._description_selection(self.env)
        )
        if next_step not in steps:
            raise UserError(self.env._("Unknown next step %(step)s.", step=next_step))
        # sudo: the driver's proposal for his own parcel (checked above)
        parcel.sudo().write({"failure_next_step": next_step})
        note = "\n".join(
            part
            for part in (
                note,
                self.env._("Next step: %(step)s", step=steps[next_step]),
            )
            if part
        )
        self.env["tms.parcel.event"]._record(
            [
                dict(
                    context,
                    parcel_id=parcel.id,
                    state="failed",
                    failure_reason_id=reason.id,
                    note=note,
                    idempotency_key=key,
                )
            ]
        )
        return {
            "status": "ok",
            "message": self.env._(
                "%(parcel)s: delivery failed (%(reason)s).",
                parcel=parcel.tracking_number,
                reason=reason.display_name,
            ),
            "parcel_id": parcel.id,
            "parcel_state": parcel.state,
        }
