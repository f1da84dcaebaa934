# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The Return Reception screen's server side: one call per scan, one per saved
inspection, each answered with a result dict."""

import base64
import binascii

from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.tms_core.models.parcel.tms_parcel_event import TmsTransitionError
from odoo.addons.tms_core.models.scanning.tms_scan import ScanRefused

from .tms_return_inspection import CONDITIONS, PACKAGING

# Return states in which the return parcel is still on its way to the merchant.
AWAITED_STATES = ("approved", "in_transit")
MAX_PHOTOS = 10
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_NOTE_LENGTH = 4000


class ReceptionRefused(Exception):
    """A scan or a save that changes nothing, with the status and message to show."""

    def __init__(self, status, message, rma=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.rma = rma


class TmsReturnReception(models.AbstractModel):
    _name = "tms.return.reception"
    _description = "Return Reception"

    # ----------------------------------------------------------------------------------
    # public methods, called by the reception screen
    # ----------------------------------------------------------------------------------
    @api.model
    def scan(self, code):
        """Receive a return parcel by its tracking number or its QR code (the
        tracking number, or the ``/track/<token>`` link): record it delivered at the
        user's hub, which moves its return to Received, and answer with the return,
        its items and the inspection checklist.

        Never raises for a bad scan: returns a dict with ``status`` (ok, already,
        unknown, bad_check_digit, bad_format, not_return, wrong_state, error),
        ``message``, ``code`` and ``return`` (False or the return's values)."""
        self.env["tms.return"].check_access("write")
        try:
            with self.env.cr.savepoint():
                result = self._tms_scan(code)
        except OperationalError:
            raise
        except ScanRefused as refused:
            result = self._tms_result(refused.status, refused.message)
        except ReceptionRefused as refused:
            result = self._tms_result(refused.status, refused.message, refused.rma)
        except TmsTransitionError as error:
            result = self._tms_result("wrong_state", error.args[0])
        except (UserError, ValidationError, AccessError) as error:
            result = self._tms_result("error", error.args[0])
        result["code"] = self.env["tms.scan"]._tms_display_code(code)
        return result

    @api.model
    def save_inspection(self, return_id, values, photos=None):
        """Store the inspection checklist of a received return: ``values`` holds
        ``inspection_packaging``, ``inspection_condition``,
        ``inspection_accessories_complete`` and ``inspection_note``; ``photos`` is a
        list of ``{"name", "data"}`` (base64 pictures from the phone's camera).

        Moves the return to Inspected, computes the proposed disposition, tells the
        customer and asks a manager to confirm. Raises a :class:`UserError` saying
        what is wrong; returns a result dict like :meth:`scan`."""
        rma = self._tms_return(return_id)
        if rma.state not in ("received", "inspected") or rma.disposition_date:
            raise UserError(
                self.env._(
                    "%(name)s is %(state)s: only a received return whose disposition "
                    "is not confirmed yet can be inspected.",
                    name=rma.name,
                    state=self._tms_state_label(rma.state),
                )
            )
        vals = self._tms_checklist_vals(values)
        attachments = self._tms_create_photos(rma, photos)
        first = rma.state == "received"
        vals.update(
            inspection_user_id=self.env.user.id,
            inspection_date=fields.Datetime.now(),
            state="inspected",
        )
        if attachments:
            vals["inspection_photo_ids"] = [
                Command.link(attachment.id) for attachment in attachments
            ]
        rma.write(vals)
        if first:
            rma._tms_ec_notify("inspected")
            self._tms_schedule_confirmation(rma)
        message = self.env._(
            "%(name)s inspected: %(proposal)s proposed.",
            name=rma.name,
            proposal=self._tms_proposal_label(rma),
        )
        return self._tms_result("ok", message, rma)

    @api.model
    def screen_data(self):
        """The choices of the checklist."""
        return {
            "packaging": self._tms_selection("inspection_packaging"),
            "conditions": self._tms_selection("inspection_condition"),
            "max_photos": MAX_PHOTOS,
        }

    # ----------------------------------------------------------------------------------
    # scan
    # ----------------------------------------------------------------------------------
    def _tms_scan(self, code):
        parcel, container = self.env["tms.scan"]._tms_resolve(code)
        if container:
            raise ReceptionRefused(
                "not_return",
                self.env._(
                    "%(container)s is a bag, cage or pallet: scan the return parcel "
                    "itself.",
                    container=container.code,
                ),
            )
        Return = self.env["tms.return"]
        rma = Return.search([("return_parcel_id", "=", parcel.id)], limit=1)
        if not rma:
            origin = Return.search([("origin_parcel_id", "=", parcel.id)], limit=1)
            if origin:
                message = self.env._(
                    "%(number)s is the parcel delivered to the customer of %(name)s, "
                    "not its return parcel: scan the return parcel's label or QR code.",
                    number=parcel.tracking_number,
                    name=origin.name,
                )
            else:
                message = self.env._(
                    "%(number)s is not a return parcel: no return request was sent "
                    "with it.",
                    number=parcel.tracking_number,
                )
            raise ReceptionRefused("not_return", message)
        if rma.state in AWAITED_STATES:
            self._tms_receive_parcel(rma)
            return self._tms_result(
                "ok",
                self.env._(
                    "%(name)s received: inspect the items.",
                    name=rma.name,
                ),
                rma,
            )
        if rma.state == "received":
            return self._tms_result(
                "already",
                self.env._(
                    "%(name)s was already received: inspect the items.", name=rma.name
                ),
                rma,
            )
        if rma.state == "inspected" and not rma.disposition_date:
            return self._tms_result(
                "already",
                self.env._(
                    "%(name)s was already inspected: saving the checklist again "
                    "replaces it.",
                    name=rma.name,
                ),
                rma,
            )
        raise ReceptionRefused(
            "wrong_state",
            self.env._(
                "%(name)s is %(state)s: its parcel cannot be received any more.",
                name=rma.name,
                state=self._tms_state_label(rma.state),
            )
            if rma.state in ("inspected", "done")
            else self.env._(
                "%(name)s is %(state)s: only an approved return's parcel can be "
                "received.",
                name=rma.name,
                state=self._tms_state_label(rma.state),
            ),
            rma,
        )

    def _tms_receive_parcel(self, rma):
        """Record the return parcel delivered (to the merchant) at the user's hub,
        through the hub when it comes straight from pickup or transit."""
        parcel = rma.return_parcel_id
        Transition = self.env["tms.parcel.transition"]
        if parcel.state == "delivered":
            path = []
        elif Transition._is_allowed(parcel.state, "delivered"):
            path = ["delivered"]
        elif Transition._is_allowed(parcel.state, "at_hub") and Transition._is_allowed(
            "at_hub", "delivered"
        ):
            path = ["at_hub", "delivered"]
        else:
            raise ReceptionRefused(
                "wrong_state",
                self.env._(
                    "The return parcel %(number)s is %(state)s: it cannot be received "
                    "before it is back in the network. Check its tracking history.",
                    number=parcel.tracking_number,
                    state=self.env["tms.scan"]._tms_state_label(parcel.state),
                ),
                rma,
            )
        if path:
            hub = self._tms_user_hub(parcel)
            now = fields.Datetime.now()
            note = self.env._(
                "Received at the returns desk for %(name)s.", name=rma.name
            )
            self.env["tms.parcel.event"]._record(
                [
                    {
                        "parcel_id": parcel.id,
                        "state": state,
                        "source": "scan",
                        "event_date": now,
                        "hub_id": hub.id,
                        "device": "return-reception",
                        "note": note if state == "delivered" else False,
                    }
                    for state in path
                ]
            )
        if rma.state in AWAITED_STATES:
            # the returns' event hook moved it to Received with its parcel; a parcel
            # already delivered (by the courier, before this scan) did not
            rma._tms_ec_follow_return_parcel("delivered")

    def _tms_user_hub(self, parcel):
        """The hub of the user's warehouse, else the parcel's destination hub."""
        warehouse = self.env.user._get_default_warehouse_id()
        hub = self.env["tms.hub"].search(
            [
                ("warehouse_id", "=", warehouse.id),
                ("company_id", "=", parcel.company_id.id),
            ],
            limit=1,
        )
        return hub or parcel.destination_hub_id

    # ----------------------------------------------------------------------------------
    # inspection
    # ----------------------------------------------------------------------------------
    def _tms_return(self, return_id):
        if not isinstance(return_id, int) or isinstance(return_id, bool):
            raise UserError(self.env._("The return to inspect is missing."))
        rma = self.env["tms.return"].browse(return_id).exists()
        if not rma:
            raise UserError(self.env._("This return does not exist any more."))
        rma.check_access("write")
        return rma

    def _tms_checklist_vals(self, values):
        values = values if isinstance(values, dict) else {}
        packaging = values.get("inspection_packaging")
        condition = values.get("inspection_condition")
        if packaging not in dict(PACKAGING):
            raise UserError(self.env._("Choose the state of the packaging."))
        if condition not in dict(CONDITIONS):
            raise UserError(self.env._("Choose the condition of the product."))
        note = values.get("inspection_note")
        note = note.strip()[:MAX_NOTE_LENGTH] if isinstance(note, str) else ""
        return {
            "inspection_packaging": packaging,
            "inspection_condition": condition,
            "inspection_accessories_complete": bool(
                values.get("inspection_accessories_complete")
            ),
            "inspection_note": note or False,
        }

    def _tms_create_photos(self, rma, photos):
        photos = photos or []
        if not isinstance(photos, list):
            raise UserError(self.env._("The photos could not be read."))
        if len(photos) > MAX_PHOTOS:
            raise UserError(
                self.env._("Send at most %(count)s photos at a time.", count=MAX_PHOTOS)
            )
        vals_list = []
        for index, photo in enumerate(photos, start=1):
            photo = photo if isinstance(photo, dict) else {"data": photo}
            data = photo.get("data")
            if isinstance(data, str) and data.startswith("data:") and "," in data:
                data = data.split(",", 1)[1]  # a data URL from the browser
            try:
                raw = base64.b64decode(data or "", validate=True)
            except (binascii.Error, TypeError, ValueError) as error:
                raise UserError(
                    self.env._("Photo %(index)s could not be read.", index=index)
                ) from error
            if not raw:
                raise UserError(self.env._("Photo %(index)s is empty.", index=index))
            if len(raw) > MAX_PHOTO_BYTES:
                raise UserError(
                    self.env._(
                        "Photo %(index)s is larger than %(size)s MB: take it again "
                        "with a lower resolution.",
                        index=index,
                        size=MAX_PHOTO_BYTES // (1024 * 1024),
                    )
                )
            mimetype = guess_mimetype(raw)
            if not mimetype.startswith("image/") or "svg" in mimetype:
                raise UserError(
                    self.env._(
                        "Photo %(index)s is not a picture (JPEG, PNG, WebP...).",
                        index=index,
                    )
                )
            name = photo.get("name")
            extension = mimetype.split("/")[1]
            if not isinstance(name, str) or not name.strip():
                name = f"{rma.name}-{index}.{extension}".replace("/", "-")
            vals_list.append(
                {
                    "name": name.strip()[:128],
                    "raw": raw,
                    "mimetype": mimetype,
                    "res_model": rma._name,
                    "res_id": rma.id,
                }
            )
        return self.env["ir.attachment"].create(vals_list)

    def _tms_schedule_confirmation(self, rma):
        """An activity for a TMS manager of the return's company (the inspector if
        they are one) to confirm the proposed disposition."""
        user = self.env.user
        if not user.has_group("tms_core.group_tms_manager"):
            user = self.env["res.users"].search(
                [
                    (
                        "groups_id",
                        "in",
                        self.env.ref("tms_core.group_tms_manager").ids,
                    ),
                    ("share", "=", False),
                    ("company_ids", "in", rma.company_id.ids),
                    ("id", "!=", SUPERUSER_ID),
                ],
                order="id",
                limit=1,
            )
        # a returns desk operator without an email address cannot send the
        # assignment email: the manager still finds the to-do in their activities
        rma.with_context(
            mail_activity_quick_update=not self.env.user.email
        ).activity_schedule(
            "mail.mail_activity_data_todo",
            summary=rma._tms_confirm_summary(),
            note=self.env._(
                "Inspected by %(user)s: %(proposal)s proposed. Check the inspection, "
                "then confirm the disposition.",
                user=self.env.user.name,
                proposal=self._tms_proposal_label(rma),
            ),
            user_id=(user or self.env.user).id,
        )

    # ----------------------------------------------------------------------------------
    # results
    # ----------------------------------------------------------------------------------
    def _tms_selection(self, field_name):
        field = self.env["tms.return"]._fields[field_name]
        return [list(pair) for pair in field._description_selection(self.env)]

    def _tms_state_label(self, state):
        labels = dict(
            self.env["tms.return"]._fields["state"]._description_selection(self.env)
        )
        return labels.get(state, state)

    def _tms_proposal_label(self, rma):
        labels = dict(self._tms_selection("disposition"))
        label = labels.get(rma.proposed_disposition, "-")
        if rma.proposed_refund and rma.proposed_disposition != "refund":
            label = self.env._("%(disposition)s and credit note", disposition=label)
        return label

    def _tms_result(self, status, message, rma=None):
        return {
            "status": status,
            "message": message,
            "return": self._tms_return_values(rma) if rma else False,
        }

    def _tms_return_values(self, rma):
        """What the screen shows of a return: its items and its checklist."""
        return {
            "id": rma.id,
            "name": rma.name,
            "state": rma.state,
            "state_label": self._tms_state_label(rma.state),
            "can_inspect": rma.state in ("received", "inspected")
            and not rma.disposition_date,
            "customer": rma.partner_id.display_name or "",
            "merchant": rma.shipper_id.display_name or "",
            # sudo: the user reads the return (checked by the caller), which shows
            # its order's number; not the order itself (sales rights)
            "order": rma.sale_order_id.sudo().name or "",
            "parcel": rma.return_parcel_id.tracking_number or "",
            "customer_note": rma.customer_note or "",
            "items": [
                {
                    "id": line.id,
                    "product": line.product_id.display_name or line.description or "",
                    "description": line.description or "",
                    "quantity": line.quantity,
                    "reason": line.reason_id.name or "",
                    "merchant_fault": line.reason_id.merchant_fault,
                }
                for line in rma.line_ids
            ],
            "checklist": {
                "inspection_packaging": rma.inspection_packaging or "",
                "inspection_condition": rma.inspection_condition or "",
                "inspection_accessories_complete": rma.inspection_accessories_complete,
                "inspection_note": rma.inspection_note or "",
                "photo_count": len(rma.inspection_photo_ids),
            },
            "proposed_disposition": rma.proposed_disposition or "",
            "proposal_label": self._tms_proposal_label(rma)
            if rma.proposed_disposition
            else "",
        }
