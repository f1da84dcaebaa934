# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
from collections import defaultdict

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from ...tools import label_escpos, label_pdf, label_zpl
from ...tools.arabic_text import FontNotFoundError
from ...tools.label_data import LabelAddress, LabelData

BUILDERS = {
    "zpl": label_zpl.render_labels,
    "escpos": label_escpos.render_labels,
    "pdf": label_pdf.render_labels,
}


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    label_print_ids = fields.One2many(
        "tms.label.print", "parcel_id", string="Label Print History", readonly=True
    )
    label_print_count = fields.Integer(
        string="Label Prints",
        readonly=True,
        copy=False,
        help="How many times the parcel's label was printed; more than one means "
        "reprints.",
    )

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_tms_print_labels(self):
        """Open the label printing wizard for these parcels (in this order)."""
        if not self:
            raise UserError(self.env._("Select the parcels whose labels to print."))
        return self.env["tms.label.print.wizard"]._tms_open_for(self)

    def _tms_label_download_action(self, label_format, layout=None):
        """Make the labels of ``self`` as a file to download (logged as printed)
        and return the action that downloads it (or shows the batch's progress)."""
        batch = self.env["tms.label.batch"]._tms_create_batch(
            self, label_format, layout=layout
        )
        return batch._tms_result_action()

    def action_tms_view_label_prints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tms_core.tms_label_print_action"
        )
        action["domain"] = [("parcel_id", "=", self.id)]
        return action

    # ----------------------------------------------------------------------------------
    # label data
    # ----------------------------------------------------------------------------------
    def _tms_label_data(self, index=1, count=1, is_return=False, caches=None):
        """What this parcel's label says, as a plain
        :class:`~odoo.addons.tms_core.tools.label_data.LabelData`.

        ``index``/``count``: the parcel's place in its shipment (printed "1/3").
        A return label swaps the blocks: it goes from the recipient back to the
        shipper. ``caches`` is shared between the parcels of one batch.
        """
        self.ensure_one()
        caches = caches if caches is not None else {}
        company = self.company_id
        shipper = self._tms_label_partner_block(
            self.shipper_id or company.partner_id, caches
        )
        recipient = LabelAddress(
            name=self.recipient_name or "",
            lines=self._tms_label_address_lines(
                self.recipient_street,
                self.recipient_street2,
                self.recipient_zip,
                self.recipient_city,
                self.recipient_country_id,
            ),
            phone=self.recipient_phone or "",
        )
        if is_return:
            shipper, recipient = recipient, shipper
        hub = self.destination_hub_id
        zone = self.zone_id
        date = self.date_shipping or fields.Datetime.now()
        return LabelData(
            tracking_number=self.tracking_number,
            qr_url=self._tms_public_tracking_url(),
            shipper=shipper,
            recipient=recipient,
            service=self.service_id.name or "",
            weight=self.weight,
            index=index,
            count=count,
            cod_amount=self.cod_amount if self.cod_amount else None,
            cod_currency=self.cod_currency_id.name or "",
            sort_code=hub.code or zone.code or "",
            zone_code=zone.code or "",
            date=fields.Datetime.context_timestamp(self, date).date(),
            company_name=company.name,
            logo=self._tms_label_logo(company, caches),
            reference=self.client_reference or "",
            contents=", ".join(
                f"{line.quantity:g} x {line.name}" for line in self.line_ids
            ),
            is_return=is_return,
            direction="rtl" if (self.env.lang or "").startswith("ar") else "ltr",
        )

    def _tms_label_address_lines(self, street, street2, zip_code, city, country):
        city_line = " ".join(part for part in (zip_code, city) if part)
        return [line for line in (street, street2, city_line, country.name) if line]

    def _tms_label_partner_block(self, partner, caches):
        key = ("partner", partner.id)
        if key not in caches:
            caches[key] = LabelAddress(
                name=partner.name or "",
                lines=self._tms_label_address_lines(
                    partner.street,
                    partner.street2,
                    partner.zip,
                    partner.city,
                    partner.country_id,
                ),
                phone=partner.phone or partner.mobile or "",
            )
        return caches[key]

    def _tms_label_logo(self, company, caches):
        key = ("logo", company.id)
        if key not in caches:
            caches[key] = base64.b64decode(company.logo) if company.logo else None
        return caches[key]

    def _tms_shipment_positions(self):
        """``{parcel id: (index, count)}``: each parcel's place among the parcels of
        its shipment (the same transfer, or the same shipper's order reference),
        in creation order; a parcel alone is 1/1."""
        pickings = self.picking_id
        references = {p.client_reference for p in self if p.client_reference}
        domain = [("picking_id", "in", pickings.ids)]
        if references:
            domain = [
                "|",
                ("picking_id", "in", pickings.ids),
                ("client_reference", "in", list(references)),
            ]
        siblings = self.search(domain, order="id") if pickings or references else self

        def key(parcel):
            if parcel.picking_id:
                return ("picking", parcel.picking_id.id)
            if parcel.client_reference:
                return (
                    "reference",
                    parcel.company_id.id,
                    parcel.shipper_id.id,
                    parcel.client_reference,
                )
            return ("parcel", parcel.id)

        groups = defaultdict(list)
        for parcel in siblings | self:
            groups[key(parcel)].append(parcel.id)
        positions = {}
        for ids in groups.values():
            ids.sort()
            for index, parcel_id in enumerate(ids, start=1):
                positions[parcel_id] = (index, len(ids))
        return positions

    def _tms_labels_data(self, is_return=False):
        """The :class:`LabelData` of each parcel of ``self``, in order."""
        self.check_access("read")
        positions = self._tms_shipment_positions()
        caches = {}
        missing = self.filtered(lambda p: not p.tracking_number)
        if missing:
            raise UserError(
                self.env._("Parcels without a tracking number get no label.")
            )
        return [
            parcel._tms_label_data(
                *positions[parcel.id], is_return=is_return, caches=caches
            )
            for parcel in self
        ]

    def _tms_render_labels(
        self, fmt, layout=None, printer=None, is_return=False, copies=1
    ):
        """The labels of ``self``, in this order, as one stream of ``fmt`` ("pdf",
        "zpl" or "escpos"): a multi-page PDF, or concatenated ZPL / ESC/POS. Each
        label is repeated ``copies`` times in a row."""
        if fmt not in BUILDERS:
            raise UserError(self.env._("Unknown label format %(format)s.", format=fmt))
        company = self[:1].company_id or self.env.company
        layout = (
            layout
            or (printer and printer.label_layout_id)
            or self.env["tms.label.layout"]._tms_default_layout(company)
        )
        if not layout:
            raise UserError(
                self.env._("No label layout exists: create one in the configuration.")
            )
        labels = self._tms_labels_data(is_return=is_return)
        if copies > 1:
            labels = [data for data in labels for _copy in range(copies)]
        try:
            return BUILDERS[fmt](labels, layout._tms_tool_layout(fmt, printer))
        except FontNotFoundError as error:
            raise UserError(str(error)) from error

    def _tms_record_label_prints(
        self,
        label_format,
        printer=None,
        job_ids=None,
        batch=None,
        copies=1,
        is_return=False,
    ):
        """Log that the labels of ``self`` were printed (or downloaded to print): a
        ``tms.label.print`` per parcel, its print count, and a note in its
        history saying whether it is a reprint. ``job_ids``: ``{parcel id: job}``."""
        job_ids = job_ids or {}
        user = self.env.user
        prints = []
        bodies = {}
        by_count = defaultdict(list)
        format_name = dict(
            self.env["tms.label.print"]._fields["label_format"].selection
        )[label_format]
        where = printer.name if printer else self.env._("download")
        for parcel in self:
            number = parcel.label_print_count + 1
            by_count[number].append(parcel.id)
            prints.append(
                {
                    "parcel_id": parcel.id,
                    "user_id": user.id,
                    "label_format": label_format,
                    "printer_id": printer.id if printer else False,
                    "job_id": job_ids.get(parcel.id, False),
                    "batch_id": batch.id if batch else False,
                    "copies": copies,
                    "print_number": number,
                    "is_reprint": number > 1,
                    "is_return": is_return,
                }
            )
            if number > 1:
                body = self.env._(
                    "Label reprinted (print no. %(number)s, %(format)s, %(where)s).",
                    number=number,
                    format=format_name,
                    where=where,
                )
            else:
                body = self.env._(
                    "Label printed (%(format)s, %(where)s).",
                    format=format_name,
                    where=where,
                )
            if is_return:
                body = self.env._("Return label: %(body)s", body=body)
            bodies[parcel.id] = Markup("<p>%s</p>") % body
        self.env["tms.label.print"].create(prints)
        for number, parcel_ids in by_count.items():
            self.browse(parcel_ids).write({"label_print_count": number})
        # the parcel's history: logged in one insert (access already checked above
        # by the creation of the label prints and the write)
        self._message_log_batch(bodies=bodies)
