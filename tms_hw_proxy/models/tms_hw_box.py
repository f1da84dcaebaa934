# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.tms_hw_box.tools.box import normalize_origin

DEVICE_STATUSES = ("unknown", "online", "offline", "unsupported")
MAX_REPORTED_DEVICES = 200
# a reachable box is written down at most this often (seconds), to spare the database
LAST_SEEN_PRECISION = 300


class TmsHwBox(models.Model):
    """A hardware box on a warehouse LAN (a PC or a Raspberry Pi running Odoo with
    ``tms_hw_proxy`` loaded server-wide, without database).

    The Odoo server never calls the box: it may be in the cloud while the box is on
    a private network. The browsers of the warehouse staff do, through the
    ``tms_hw_proxy`` web client service, with the token obtained at pairing, and report
    back what they saw (``tms_report_status``) and printed
    (``tms.print.job.action_box_result``).
    """

    _name = "tms.hw.box"
    _description = "Hardware Box"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    url = fields.Char(
        string="URL",
        required=True,
        tracking=True,
        help="The box's address as the browsers of the warehouse reach it, e.g. "
        "https://box-dock1.local:8069 (https when Odoo is served over https).",
    )
    state = fields.Selection(
        [("unpaired", "Not Paired"), ("paired", "Paired"), ("offline", "Offline")],
        default="unpaired",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    token = fields.Char(
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="Secret given by the box at pairing; every call to the box carries it.",
    )
    box_identifier = fields.Char(
        string="Box ID", readonly=True, copy=False, index="btree_not_null"
    )
    version = fields.Char(readonly=True, copy=False)
    paired_origin = fields.Char(
        readonly=True,
        copy=False,
        help="The Odoo address the box accepts calls from (set at pairing).",
    )
    paired_date = fields.Datetime(readonly=True, copy=False)
    last_seen = fields.Datetime(
        readonly=True, copy=False, help="Last time a browser reached the box."
    )
    status_message = fields.Char(readonly=True, copy=False)
    device_ids = fields.One2many("tms.hw.device", "box_id", string="Devices")
    device_count = fields.Integer(compute="_compute_device_count")
    printer_ids = fields.One2many("tms.printer", "box_id", string="Printers")

    _sql_constraints = [
        (
            "box_identifier_company_uniq",
            "unique(box_identifier, company_id)",
            "This box is already registered in this company.",
        ),
    ]

    def _compute_device_count(self):
        counts = dict(
            self.env["tms.hw.device"]._read_group(
                [("box_id", "in", self.ids)], ["box_id"], ["__count"]
            )
        )
        for box in self:
            box.device_count = counts.get(box, 0)

    @api.constrains("url")
    def _check_url(self):
        for box in self:
            if not normalize_origin(box.url):
                raise ValidationError(
                    self.env._(
                        "The address of box %(box)s is https://host:port (e.g. "
                        "https://box-dock1.local:8069), without path.",
                        box=box.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("url"):
                vals["url"] = normalize_origin(vals["url"]) or vals["url"]
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("url"):
            vals["url"] = normalize_origin(vals["url"]) or vals["url"]
        return super().write(vals)

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_pair(self):
        """Open the pairing wizard for this box (pairing again replaces the token)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_hw_proxy.tms_hw_box_pair_wizard_action"
        )
        action["context"] = {
            "default_box_id": self.id,
            "default_url": self.url,
            "default_name": self.name,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_unpair(self):
        """Forget the token: browsers stop sending jobs to this box."""
        self.check_access("write")
        # the token field is for administrators only; the write access checked
        # above is what a manager needs to unpair his company's box
        self.sudo().write({"token": False, "state": "unpaired"})
        return True

    def action_check(self):
        """Ask this browser to reach the box now and report what it sees."""
        return {
            "type": "ir.actions.client",
            "tag": "tms_hw_proxy.box_check",
            "params": {"box_ids": self.ids},
        }

    def action_view_devices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_hw_proxy.tms_hw_device_action"
        )
        action["domain"] = [("box_id", "=", self.id)]
        action["context"] = {"default_box_id": self.id}
        return action

    # ----------------------------------------------------------------------------------
    # called by the web client service
    # ----------------------------------------------------------------------------------
    @api.model
    def tms_client_config(self):
        """What this user's browser needs to work with the boxes of his companies.

        The browser calls the boxes itself, so it receives their tokens: any
        operator of the company may print on the company's boxes. Scanner reads go
        to the screens of the users a scanner is assigned to (everybody when none).
        """
        if not self.env.user.has_group("tms_core.group_tms_user"):
            return {"boxes": []}
        boxes = self.search([("state", "!=", "unpaired")])
        # search() applied this user's access rights and company rules: he may use
        # these boxes; the token field itself is readable by administrators only
        tokens = {box.id: box.token for box in boxes.sudo()}
        scanners = self.env["tms.hw.device"].search(
            [
                ("box_id", "in", boxes.ids),
                ("device_type", "=", "scanner"),
                "|",
                ("user_ids", "=", False),
                ("user_ids", "in", self.env.uid),
            ]
        )
        return {
            "boxes": [
                {
                    "id": box.id,
                    "name": box.name,
                    "url": box.url,
                    "token": tokens[box.id],
                    "state": box.state,
                    "scanners": scanners.filtered(
                        lambda d, box=box: d.box_id == box
                    ).mapped("identifier"),
                }
                for box in boxes
                if tokens[box.id]
            ],
        }

    def tms_report_status(self, reachable, status=None, message=None):
        """A browser reports whether it reached the box, and the box's status answer.

        Updates the box's state, its devices and the status of the printers on
        them. Returns the box's new state.
        """
        self.ensure_one()
        self.check_access("read")
        # operators may read, not write, boxes, devices and printers; a status
        # report is what any browser of the company does for them
        box = self.sudo()
        now = fields.Datetime.now()
        if reachable and isinstance(status, dict):
            vals = {
                "state": "paired" if box.state != "unpaired" else "unpaired",
                "status_message": False,
            }
            if str(status.get("box_id") or "") != (box.box_identifier or ""):
                vals.update(
                    state="offline",
                    status_message=self.env._(
                        "Another box answers at %(url)s: pair this one again.",
                        url=box.url,
                    ),
                )
            elif not status.get("paired"):
                vals.update(
                    state="unpaired",
                    status_message=self.env._(
                        "The box has forgotten its pairing (reset): pair it again."
                    ),
                )
            if (
                not box.last_seen
                or (now - box.last_seen).total_seconds() > LAST_SEEN_PRECISION
                or vals["state"] != box.state
            ):
                vals["last_seen"] = now
                vals["version"] = str(status.get("version") or "")[:32]
            box._tms_write_changed(vals)
            if vals["state"] != "offline":
                box._tms_sync_devices(status.get("devices"))
        else:
            box._tms_write_changed(
                {
                    "state": "offline" if box.state == "paired" else box.state,
                    "status_message": str(
                        message
                        or self.env._("The box does not answer from this browser.")
                    )[:500],
                }
            )
            box.printer_ids.filtered(lambda p: p.connection == "box")._tms_set_status(
                "offline",
                self.env._(
                    "Box %(box)s does not answer: %(reason)s",
                    box=box.name,
                    reason=box.status_message,
                ),
            )
        return box.state

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    def _tms_write_changed(self, vals):
        self.ensure_one()
        changed = {
            key: value
            for key, value in vals.items()
            if self._fields[key].convert_to_write(self[key], self) != value
        }
        if changed:
            self.write(changed)

    def _tms_sync_devices(self, reported):
        """Create, update and mark missing the devices the box reported.

        ``reported`` is the box's device list (untrusted input: checked here)."""
        self.ensure_one()
        if not isinstance(reported, list):
            return
        now = fields.Datetime.now()
        existing = {device.identifier: device for device in self.device_ids}
        to_create = []
        seen = self.env["tms.hw.device"]
        for item in reported[:MAX_REPORTED_DEVICES]:
            vals = self._tms_device_vals(item)
            if not vals:
                continue
            device = existing.get(vals["identifier"])
            if device:
                device._tms_update(vals, now)
                seen |= device
            else:
                to_create.append(dict(vals, box_id=self.id, status_date=now))
        devices = self.env["tms.hw.device"].create(to_create) | seen
        missing = self.device_ids - devices
        missing.filtered(lambda d: d.status != "offline")._tms_update(
            {
                "status": "offline",
                "status_message": self.env._("No longer reported by the box."),
            },
            now,
        )
        (devices | missing)._tms_update_printers()

    @api.model
    def _tms_device_vals(self, item):
        if not isinstance(item, dict):
            return None
        identifier = item.get("id")
        device_type = item.get("type")
        if not isinstance(identifier, str) or not identifier or len(identifier) > 64:
            return None
        if device_type not in ("printer", "scanner"):
            return None
        status = item.get("status")
        language = item.get("language")
        return {
            "identifier": identifier,
            "name": str(item.get("name") or identifier)[:128],
            "device_type": device_type,
            "language": language if language in ("zpl", "escpos", "raw") else False,
            "connection": str(item.get("connection") or "")[:32],
            "status": status if status in DEVICE_STATUSES else "unknown",
            "status_message": str(item.get("status_message") or "")[:500],
        }

    def _tms_register_pairing(self, payload, origin):
        """Store what the box answered to a successful pairing (called by the wizard).

        ``payload``: the box's answer (``token``, ``box_id``, ``version``,
        ``devices``...), relayed by the browser.
        """
        self.ensure_one()
        token = payload.get("token") if isinstance(payload, dict) else None
        box_identifier = payload.get("box_id") if token else None
        if not isinstance(token, str) or not token or not box_identifier:
            raise UserError(self.env._("The box did not answer with a token."))
        self.write(
            {
                "token": token,
                "box_identifier": str(box_identifier)[:64],
                "version": str(payload.get("version") or "")[:32],
                "paired_origin": str(payload.get("origin") or origin or "")[:256],
                "paired_date": fields.Datetime.now(),
                "last_seen": fields.Datetime.now(),
                "state": "paired",
                "status_message": False,
            }
        )
        self._tms_sync_devices(payload.get("devices"))
        self.message_post(
            body=self.env._(
                "Paired by %(user)s from %(origin)s.",
                user=self.env.user.name,
                origin=origin or "-",
            )
        )
