# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

from .tms_label_print import LABEL_FORMATS
from .tms_print_job import CONTENT_TYPES, FILE_EXTENSIONS

_logger = logging.getLogger(__name__)

# parcels rendered per step of a background batch (its progress moves by this much)
CHUNK_SIZE = 100
DEFAULT_BACKGROUND_THRESHOLD = 200


class TmsLabelBatch(models.Model):
    """A request to print the labels of many parcels, in a given order.

    Small requests are rendered at once in the user's request; above the
    ``tms_core.label_background_threshold`` system parameter (200 parcels by
    default) the ``_cron_process`` cron renders them a chunk at a time, with the
    progress shown on the batch, and tells the user when the file or the print job
    is ready.
    """

    _name = "tms.label.batch"
    _description = "Label Batch"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Requested By",
        default=lambda self: self.env.user,
        required=True,
        readonly=True,
        index=True,
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "In Progress"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="queued",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    label_format = fields.Selection(
        LABEL_FORMATS, string="Format", required=True, readonly=True
    )
    layout_id = fields.Many2one("tms.label.layout", readonly=True, check_company=True)
    printer_id = fields.Many2one("tms.printer", readonly=True, check_company=True)
    copies = fields.Integer(default=1, readonly=True)
    is_return = fields.Boolean(string="Return Labels", readonly=True)
    parcel_ids = fields.Many2many(
        "tms.parcel",
        "tms_label_batch_parcel_rel",
        "batch_id",
        "parcel_id",
        string="Parcels",
        readonly=True,
    )
    parcel_order = fields.Json(
        readonly=True, help="The parcels' ids in printing order."
    )
    parcel_count = fields.Integer(readonly=True)
    done_count = fields.Integer(string="Labels Rendered", readonly=True, copy=False)
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    chunk_attachment_ids = fields.Many2many(
        "ir.attachment",
        "tms_label_batch_chunk_rel",
        "batch_id",
        "attachment_id",
        string="Rendered Parts",
        readonly=True,
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="File", readonly=True, ondelete="set null"
    )
    job_ids = fields.One2many("tms.print.job", "label_batch_id", string="Print Jobs")
    error = fields.Text(readonly=True, copy=False)
    date_done = fields.Datetime(readonly=True, copy=False)

    @api.depends("done_count", "parcel_count")
    def _compute_progress(self):
        for batch in self:
            batch.progress = (
                100.0 * batch.done_count / batch.parcel_count
                if batch.parcel_count
                else 0.0
            )

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_download(self):
        self.ensure_one()
        if self.state != "done" or not self.attachment_id:
            raise UserError(self.env._("The labels are not ready yet."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def action_view_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_print_job_action"
        )
        action["domain"] = [("label_batch_id", "=", self.id)]
        action["context"] = {}
        return action

    def _tms_open_action(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_label_batch_action"
        )
        action.update(
            {"res_id": self.id, "view_mode": "form", "views": [(False, "form")]}
        )
        return action

    def _tms_result_action(self):
        """What the user sees after asking for the labels: the batch's progress when
        it runs in the background, a notice when the labels went to a printer, else
        the file."""
        self.ensure_one()
        if self.state != "done":
            return self._tms_open_action()
        if self.printer_id and self.printer_id.connection != "download":
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": (
                        self.env._(
                            "%(count)s labels sent to %(printer)s.",
                            count=self.parcel_count * self.copies,
                            printer=self.printer_id.name,
                        )
                        if self.parcel_count * self.copies > 1
                        else self.env._(
                            "1 label sent to %(printer)s.",
                            printer=self.printer_id.name,
                        )
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        if self.job_ids:
            return self.job_ids[:1].action_download()
        return self.action_download()

    def action_retry(self):
        """Start a failed batch again from the labels not rendered yet."""
        failed = self.filtered(lambda b: b.state == "failed")
        failed.write({"state": "queued", "error": False})
        if failed:
            self.env.ref("tms_core.ir_cron_tms_label_batch")._trigger()
        return True

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_background_threshold(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("tms_core.label_background_threshold")
        )
        try:
            return int(value) if value else DEFAULT_BACKGROUND_THRESHOLD
        except ValueError:
            return DEFAULT_BACKGROUND_THRESHOLD

    @api.model
    def _tms_create_batch(
        self,
        parcels,
        label_format,
        layout=None,
        printer=None,
        copies=1,
        is_return=False,
    ):
        """A batch for ``parcels`` (printed in this order); rendered now when small,
        else queued for the background cron."""
        if not parcels:
            raise UserError(self.env._("Select the parcels whose labels to print."))
        parcels.check_access("write")
        if len(parcels.company_id) > 1:
            raise UserError(
                self.env._("Print the labels of one company's parcels at a time.")
            )
        batch = self.create(
            {
                "name": self.env._(
                    "%(count)s labels, %(date)s",
                    count=len(parcels),
                    date=fields.Datetime.to_string(
                        fields.Datetime.context_timestamp(self, fields.Datetime.now())
                    )[:16],
                ),
                "company_id": parcels.company_id.id,
                "label_format": label_format,
                "layout_id": layout.id if layout else False,
                "printer_id": printer.id if printer else False,
                "copies": max(copies, 1),
                "is_return": is_return,
                "parcel_ids": [fields.Command.set(parcels.ids)],
                "parcel_order": parcels.ids,
                "parcel_count": len(parcels),
            }
        )
        if len(parcels) > self._tms_background_threshold():
            self.env.ref("tms_core.ir_cron_tms_label_batch")._trigger()
        else:
            batch._tms_process()
        return batch

    def _tms_ordered_parcels(self):
        self.ensure_one()
        parcels = self.env["tms.parcel"].browse(self.parcel_order or [])
        # parcels deleted since the request drop out; the others keep their order
        existing = set(parcels.exists().ids)
        return parcels.filtered(lambda p: p.id in existing)

    def _tms_process(self, limit=None):
        """Render the next ``limit`` labels (all of them when ``limit`` is None);
        finish the batch when none are left."""
        self.ensure_one()
        parcels = self._tms_ordered_parcels()
        todo = parcels[self.done_count :]
        if limit:
            todo = todo[:limit]
        if self.state == "queued":
            self.state = "running"
        while todo:
            data = todo._tms_render_labels(
                self.label_format,
                layout=self.layout_id,
                printer=self.printer_id,
                is_return=self.is_return,
                copies=self.copies,
            )
            chunk = self.env["ir.attachment"].create(
                {
                    "name": f"{self.name}-{self.done_count}",
                    "raw": data,
                    "res_model": self._name,
                    "res_id": self.id,
                    "company_id": self.company_id.id,
                }
            )
            self.write(
                {
                    "done_count": self.done_count + len(todo),
                    "chunk_attachment_ids": [fields.Command.link(chunk.id)],
                }
            )
            if limit:
                break
            todo = parcels[self.done_count :]
        if self.done_count >= len(parcels):
            self._tms_finish(parcels)

    def _tms_finish(self, parcels):
        """Join the rendered parts into one file, send it to the printer (or keep it
        to download), log the prints and tell the user."""
        chunks = self.chunk_attachment_ids.sorted("id")
        parts = [chunk.raw for chunk in chunks]
        if self.label_format == "pdf":
            data = parts[0] if len(parts) == 1 else merge_pdf(parts)
        else:
            data = b"".join(parts)
        extension = FILE_EXTENSIONS[self.label_format]
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"labels-{self.id}.{extension}",
                "raw": data,
                "mimetype": CONTENT_TYPES[self.label_format],
                "res_model": self._name,
                "res_id": self.id,
                "company_id": self.company_id.id,
            }
        )
        jobs = self.env["tms.print.job"]
        if self.printer_id:
            jobs = self.env["tms.print.job"]._tms_create_jobs(
                self.printer_id,
                [
                    {
                        "data": data,
                        "parcels": parcels,
                        "label_format": self.label_format,
                        "name": self.name,
                        "label_batch_id": self.id,
                    }
                ],
            )
        chunks.unlink()
        self.write(
            {
                "state": "done",
                "attachment_id": attachment.id,
                "date_done": fields.Datetime.now(),
            }
        )
        parcels._tms_record_label_prints(
            self.label_format,
            printer=self.printer_id,
            job_ids=dict.fromkeys(parcels.ids, jobs[:1].id),
            batch=self,
            copies=self.copies,
            is_return=self.is_return,
        )

    def _tms_notify_user(self):
        """Tell the requester that a background batch is finished (or failed)."""
        for batch in self:
            if batch.state == "done":
                message = batch.env._(
                    "The labels of %(batch)s are ready.", batch=batch.name
                )
                kind = "success"
            else:
                message = batch.env._(
                    "The labels of %(batch)s could not be made: %(error)s",
                    batch=batch.name,
                    error=batch.error,
                )
                kind = "danger"
            batch.user_id._bus_send(
                "simple_notification",
                {
                    "type": kind,
                    "title": batch.env._("Labels"),
                    "message": message,
                    "sticky": kind == "danger",
                },
            )

    @api.model
    def _cron_process(self):
        """Render the next chunk of the oldest waiting batch, as its requester."""
        batch = self.search(
            [("state", "in", ("queued", "running"))], order="id", limit=1
        )
        if not batch:
            return
        batch_as_user = batch.with_user(batch.user_id).with_company(batch.company_id)
        try:
            with self.env.cr.savepoint():
                batch_as_user._tms_process(limit=CHUNK_SIZE)
        # any error (a missing font, a deleted layout…) stops the batch visibly
        except Exception as error:  # pylint: disable=broad-except
            _logger.exception("Label batch %s failed", batch.id)
            self.env.invalidate_all()
            batch.write({"state": "failed", "error": str(error)})
        if batch.state in ("done", "failed"):
            batch._tms_notify_user()
        remaining = self.search_count([("state", "in", ("queued", "running"))])
        self.env["ir.cron"]._notify_progress(done=1, remaining=remaining)
