# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
import json
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

# Exports hold personal data: they are deleted this long after they were made.
GDPR_EXPORT_LIFETIME = timedelta(days=1)
GDPR_EXPORT_MARKER = "tms_gdpr_export"
# Secrets and mail/activity plumbing, not data about the person.
GDPR_EXPORT_SKIPPED = {"access_token", "access_url"}
GDPR_EXPORT_SKIPPED_PREFIXES = ("message_", "activity_", "website_message")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ----------------------------------------------------------------------------------
    # actions
    # ----------------------------------------------------------------------------------
    def action_tms_gdpr_export(self):
        """Download, as a JSON file, every parcel about this contact (data subject
        access request). TMS managers only."""
        if not self.env.user.has_group("tms_core.group_tms_manager"):
            raise AccessError(
                self.env._("Only TMS managers may export the parcel data of a contact.")
            )
        if len(self) != 1:
            raise UserError(self.env._("Select one contact to export its parcel data."))
        data = self._tms_gdpr_export_data()
        name = f"parcel-data-{self.id}-{fields.Date.context_today(self)}.json"
        # No res_id: only the user who made the export (and administrators) can read
        # the file; the autovacuum deletes it after a day.
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": json.dumps(
                    data, indent=2, ensure_ascii=False, default=str
                ).encode(),
                "mimetype": "application/json",
                "res_model": self._name,
                "description": GDPR_EXPORT_MARKER,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    # ----------------------------------------------------------------------------------
    # business methods
    # ----------------------------------------------------------------------------------
    def _tms_gdpr_parcel_domain(self):
        """Parcels about the contacts in ``self`` or their child contacts (delivery
        addresses): as shipper, as recipient, or with their email or phone number copied
        on a parcel without a recipient contact (API, imports)."""
        partners = self.with_context(active_test=False).search(
            [("id", "child_of", self.ids)]
        )
        domains = [
            [("shipper_id", "in", partners.ids)],
            [("recipient_id", "in", partners.ids)],
        ]
        Parcel = self.env["tms.parcel"]
        for partner in partners:
            if partner.email:
                domains.append([("recipient_email", "=ilike", partner.email.strip())])
            phones = {
                Parcel._tms_format_phone(number, partner.country_id, strict=False)
                for number in (partner.phone, partner.mobile)
                if number
            }
            if phones:
                domains.append([("recipient_phone", "in", list(phones))])
        return expression.OR(domains)

    def _tms_gdpr_export_data(self):
        """Return, as a JSON-ready dict, every parcel the current user may read about
        this contact: all the parcel's fields, its content lines and its tracking
        events. Files (signature, photos) are not embedded."""
        self.ensure_one()
        parcels = self.env["tms.parcel"].search(
            self._tms_gdpr_parcel_domain(), order="id"
        )
        lines_by_parcel = {}
        for row in self._tms_gdpr_export_rows(parcels.line_ids, skip={"parcel_id"}):
            lines_by_parcel.setdefault(row.pop("_parcel_id"), []).append(row)
        events_by_parcel = {}
        for row in self._tms_gdpr_export_rows(parcels.event_ids, skip={"parcel_id"}):
            events_by_parcel.setdefault(row.pop("_parcel_id"), []).append(row)
        parcel_rows = []
        for row in self._tms_gdpr_export_rows(parcels):
            parcel_id = row.pop("_parcel_id")
            row["lines"] = lines_by_parcel.get(parcel_id, [])
            row["events"] = events_by_parcel.get(parcel_id, [])
            parcel_rows.append(row)
        return {
            "partner": {
                "id": self.id,
                "name": self.name,
                "email": self.email or None,
                "phone": self.phone or None,
                "mobile": self.mobile or None,
            },
            "exported_at": fields.Datetime.to_string(fields.Datetime.now()),
            "exported_by": self.env.user.name,
            "companies": self.env.companies.mapped("name"),
            "parcel_count": len(parcels),
            "parcels": parcel_rows,
        }

    @api.model
    def _tms_gdpr_export_rows(self, records, skip=()):
        """Read the stored fields of ``records`` the user may see, as JSON-ready dicts
        (relations as {id, name}, dates as ISO strings), each with ``_parcel_id``."""
        names = [
            name
            for name, field in records._fields.items()
            if field.store
            and field.type not in ("binary", "one2many")
            and name not in skip
            and name not in GDPR_EXPORT_SKIPPED
            and not name.startswith(GDPR_EXPORT_SKIPPED_PREFIXES)
            and field.is_accessible(self.env)
        ]
        rows = []
        for record, row in zip(records, records.read(names), strict=True):
            values = {
                name: self._tms_gdpr_json_value(value, records._fields[name])
                for name, value in row.items()
            }
            values["_parcel_id"] = (
                record.parcel_id.id if "parcel_id" in records._fields else record.id
            )
            rows.append(values)
        return rows

    @api.model
    def _tms_gdpr_json_value(self, value, field):
        if isinstance(value, tuple) and len(value) == 2:
            return {"id": value[0], "name": value[1]}
        if isinstance(value, datetime.datetime):
            return fields.Datetime.to_string(value)
        if isinstance(value, datetime.date):
            return fields.Date.to_string(value)
        if isinstance(value, Markup):
            return str(value)
        if value is False and field.type != "boolean":
            return None
        return value

    @api.autovacuum
    def _gc_tms_gdpr_exports(self):
        """Delete the parcel data exports older than a day: they hold personal data."""
        limit = fields.Datetime.now() - GDPR_EXPORT_LIFETIME
        # The autovacuum runs as superuser; sudo states it: files without res_id are
        # otherwise readable by their creator only.
        self.env["ir.attachment"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", False),
                ("description", "=", GDPR_EXPORT_MARKER),
                ("create_date", "<", limit),
            ]
        ).unlink()
