# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.osv import expression
from odoo.tools import html2plaintext

# A parcel in one of these states is finished: nobody needs its recipient any more.
GDPR_FINISHED_STATES = ("delivered", "returned", "cancelled")
GDPR_BATCH_SIZE = 1000
# Postcode characters kept for statistics: the French department, the Moroccan province.
GDPR_ZIP_KEPT = 2
# Shorter values ("A", "12") would match unrelated text in the chatter.
GDPR_MIN_MATCH_LENGTH = 3
PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")


class TmsParcel(models.Model):
    _inherit = "tms.parcel"

    anonymized = fields.Boolean(
        string="Anonymised",
        readonly=True,
        copy=False,
        help="The recipient's personal data was erased: name, phone, email, street, "
        "proof of delivery, event notes and places, and chatter messages holding them.",
    )
    date_anonymized = fields.Datetime(string="Anonymised On", readonly=True, copy=False)

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    @api.model
    def _tms_gdpr_cleared_fields(self):
        """Parcel fields emptied by the anonymisation; extend it for fields you add that
        hold the recipient's personal data."""
        return [
            "recipient_id",
            "recipient_name",
            "recipient_phone",
            "recipient_email",
            "recipient_street",
            "recipient_street2",
            "pod_receiver_name",
            "pod_signature",
            "pod_photo_ids",
            "note",
        ]

    def _tms_anonymize(self):
        """Erase the recipients' personal data from the parcels in ``self``.

        Cleared: the recipient link and the name, phone, email and street copied on
        the parcel, the proof of delivery (receiver's name, signature, photos), the
        internal note, every file attached to the parcel (labels show the address),
        the note, place and coordinates of every tracking event, and the chatter
        messages, tracking values and activities that hold one of the cleared values
        or come from the recipient. Kept for statistics: the city, state, country and
        the first two characters of the postcode; the zone and hubs do not change.
        The recipient's contact (res.partner) is detached, never changed or deleted:
        it may serve other documents. Anonymised parcels are skipped, so this can run
        again safely.
        """
        parcels = self.filtered(lambda p: not p.anonymized)
        if not parcels:
            return
        parcels.check_access("write")
        # Events are append-only and the parcels' files and messages belong to their
        # authors: erasing personal data is the one change allowed on them, and write
        # access to the parcels was just checked.
        parcels = parcels.sudo()
        values_by_parcel = parcels._tms_gdpr_personal_values()
        parcels._tms_gdpr_clean_chatter(values_by_parcel)
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", parcels.ids)])
        ) | parcels.pod_photo_ids
        parcels.event_ids.with_context(tms_event_anonymize=True).write(
            {"note": False, "location": False, "latitude": 0.0, "longitude": 0.0}
        )
        vals = {
            fname: [Command.clear()]
            if self._fields[fname].type == "many2many"
            else False
            for fname in self._tms_gdpr_cleared_fields()
        }
        vals.update(anonymized=True, date_anonymized=fields.Datetime.now())
        parcels = parcels.with_context(tracking_disable=True)
        # The zone was found from the full postcode: keep it and the destination hub as
        # they were for the statistics.
        with self.env.protecting([self._fields["zone_id"]], parcels):
            parcels.write(vals)
            by_zip = defaultdict(lambda: self.browse().sudo())
            for parcel in parcels.filtered("recipient_zip"):
                by_zip[parcel.recipient_zip[:GDPR_ZIP_KEPT]] |= parcel
            for zip_prefix, zip_parcels in by_zip.items():
                zip_parcels.write({"recipient_zip": zip_prefix})
        attachments.unlink()
        body = self.env._("The recipient's personal data was erased (data protection).")
        parcels._message_log_batch(bodies=dict.fromkeys(parcels.ids, body))

    def _tms_gdpr_personal_values(self):
        """Return {parcel id: (texts, phones)}: the lower-cased personal values of the
        parcel's recipient, and their phone numbers as digits only."""
        result = {}
        for parcel in self:
            partner = parcel.recipient_id
            texts = {
                parcel.recipient_name,
                parcel.recipient_email,
                parcel.recipient_street,
                parcel.recipient_street2,
                parcel.pod_receiver_name,
                partner.name,
                partner.email,
                partner.street,
                partner.street2,
            }
            phones = {parcel.recipient_phone, partner.phone, partner.mobile}
            texts |= phones
            result[parcel.id] = (
                {
                    t.strip().lower()
                    for t in texts
                    if t and len(t.strip()) >= GDPR_MIN_MATCH_LENGTH
                },
                {
                    # the national number, without the country or trunk prefix
                    digits[-9:]
                    for digits in (re.sub(r"\D", "", p) for p in phones if p)
                    if len(digits) >= 6
                },
            )
        return result

    @api.model
    def _tms_gdpr_text_matches(self, text, values):
        if not text:
            return False
        texts, phones = values
        text = text.lower()
        if any(value in text for value in texts):
            return True
        compact = PHONE_SEPARATORS.sub("", text)
        return any(phone in compact for phone in phones)

    def _tms_gdpr_clean_chatter(self, values_by_parcel):
        """Delete the messages, tracking values, activities and followers of the parcels
        that hold personal data of their recipients. Called in sudo mode."""
        Message = self.env["mail.message"]
        messages = Message.search(
            [("model", "=", self._name), ("res_id", "in", self.ids)]
        )
        recipient_by_parcel = {parcel.id: parcel.recipient_id for parcel in self}
        personal_fields = self.env["ir.model.fields"].search(
            [
                ("model", "=", self._name),
                (
                    "name",
                    "in",
                    [*self._tms_gdpr_cleared_fields(), "recipient_zip"],
                ),
            ]
        )
        trackings = self.env["mail.tracking.value"]
        to_delete = Message
        for message in messages:
            values = values_by_parcel[message.res_id]
            recipient = recipient_by_parcel[message.res_id]
            if (
                (recipient and message.author_id == recipient)
                or self._tms_gdpr_text_matches(
                    html2plaintext(message.body or ""), values
                )
                or self._tms_gdpr_text_matches(message.subject, values)
                or self._tms_gdpr_text_matches(message.email_from, values)
            ):
                to_delete |= message
                continue
            message_trackings = message.tracking_value_ids.filtered(
                lambda t, values=values: t.field_id in personal_fields
                or any(
                    self._tms_gdpr_text_matches(t[fname], values)
                    for fname in (
                        "old_value_char",
                        "new_value_char",
                        "old_value_text",
                        "new_value_text",
                    )
                )
            )
            if not message_trackings:
                continue
            if message_trackings == message.tracking_value_ids and not (
                html2plaintext(message.body or "").strip() or message.attachment_ids
            ):
                # Only personal tracking in it: an empty message would be left.
                to_delete |= message
            else:
                trackings |= message_trackings
        trackings.unlink()
        to_delete.unlink()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        )
        activities.filtered(
            lambda a: self._tms_gdpr_text_matches(a.summary, values_by_parcel[a.res_id])
            or self._tms_gdpr_text_matches(
                html2plaintext(a.note or ""), values_by_parcel[a.res_id]
            )
        ).unlink()
        recipients = self.recipient_id
        if recipients:
            self.env["mail.followers"].search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("partner_id", "in", recipients.ids),
                ]
            ).unlink()

    @api.model
    def _tms_gdpr_anonymize_domain(self):
        """Parcels to anonymise now: finished, not anonymised yet, of a company with an
        anonymisation delay, whose last tracking event is older than that delay. None
        when no company has a delay."""
        companies = (
            self.env["res.company"].sudo().search([("tms_gdpr_anonymize_days", ">", 0)])
        )
        if not companies:
            return None
        now = fields.Datetime.now()
        per_company = []
        for company in companies:
            limit = now - timedelta(days=company.tms_gdpr_anonymize_days)
            per_company.append(
                [
                    "&",
                    ("company_id", "=", company.id),
                    "|",
                    ("last_event_date", "<", limit),
                    "&",
                    ("last_event_date", "=", False),
                    ("create_date", "<", limit),
                ]
            )
        return expression.AND(
            [
                [("anonymized", "=", False), ("state", "in", GDPR_FINISHED_STATES)],
                expression.OR(per_company),
            ]
        )

    @api.model
    def _cron_tms_gdpr_anonymize(self, batch_size=GDPR_BATCH_SIZE):
        """Anonymise one batch of parcels and report the progress to the scheduler.

        The scheduler commits after each call and calls again while parcels remain
        (up to ten times, then it comes back as soon as the other jobs ran): a crash
        loses one batch at most and never leaves a half-anonymised parcel.
        """
        domain = self._tms_gdpr_anonymize_domain()
        if domain is None:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        parcels = self.search(domain, order="id", limit=batch_size)
        parcels._tms_anonymize()
        remaining = self.search_count(domain) if len(parcels) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(parcels), remaining=remaining)
        if remaining and not self.env.context.get("cron_id"):
            # Run by hand ("Run Manually" processes one batch): schedule the rest.
            cron = self.env.ref(
                "tms_core.ir_cron_tms_gdpr_anonymize", raise_if_not_found=False
            )
            if cron:
                cron._trigger()
