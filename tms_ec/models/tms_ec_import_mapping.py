# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib

from odoo import api, fields, models

from ..tools.spreadsheet import guess_mapping, normalize_header

# Column titles merchants use, in English, French and Arabic (compared without case,
# accents, spaces nor punctuation), for each target field of an import. The fields'
# labels, in English and in the user's language, are recognised as well.
HEADER_SYNONYMS = {
    "client_reference": [
        "order reference",
        "order",
        "order number",
        "order no",
        "order id",
        "order name",
        "reference",
        "ref",
        "référence",
        "référence commande",
        "réf commande",
        "n° commande",
        "no commande",
        "numéro de commande",
        "numéro commande",
        "commande",
        "id commande",
        "رقم الطلب",
        "الطلب",
        "مرجع الطلب",
        "المرجع",
    ],
    "recipient_name": [
        "recipient",
        "recipient name",
        "name",
        "customer",
        "customer name",
        "full name",
        "client",
        "nom",
        "nom client",
        "nom du client",
        "nom complet",
        "nom et prénom",
        "destinataire",
        "nom destinataire",
        "nom du destinataire",
        "الاسم",
        "الاسم الكامل",
        "اسم الزبون",
        "اسم العميل",
        "الزبون",
        "المستلم",
        "اسم المستلم",
    ],
    "phone": [
        "phone",
        "phone number",
        "telephone",
        "mobile",
        "mobile phone",
        "tel",
        "gsm",
        "téléphone",
        "tél",
        "portable",
        "numéro de téléphone",
        "téléphone destinataire",
        "الهاتف",
        "هاتف",
        "رقم الهاتف",
        "الجوال",
        "المحمول",
    ],
    "email": [
        "email",
        "e-mail",
        "mail",
        "email address",
        "courriel",
        "adresse email",
        "adresse e-mail",
        "البريد الإلكتروني",
        "البريد",
    ],
    "street": [
        "street",
        "address",
        "address 1",
        "address line 1",
        "shipping address",
        "adresse",
        "adresse 1",
        "adresse de livraison",
        "rue",
        "العنوان",
        "عنوان",
        "عنوان التسليم",
    ],
    "street2": [
        "street 2",
        "address 2",
        "address line 2",
        "adresse 2",
        "complément d'adresse",
        "complément adresse",
        "quartier",
        "العنوان 2",
        "الحي",
    ],
    "city": [
        "city",
        "town",
        "ville",
        "localité",
        "ville destinataire",
        "المدينة",
        "مدينة",
    ],
    "zip": [
        "zip",
        "zip code",
        "postal code",
        "postcode",
        "code postal",
        "cp",
        "الرمز البريدي",
    ],
    "country": ["country", "country code", "pays", "code pays", "البلد", "الدولة"],
    "weight": ["weight", "weight kg", "poids", "poids kg", "الوزن", "الوزن كغ"],
    "length": ["length", "length cm", "longueur", "longueur cm", "الطول"],
    "width": ["width", "width cm", "largeur", "largeur cm", "العرض"],
    "height": ["height", "height cm", "hauteur", "hauteur cm", "الارتفاع"],
    "cod_amount": [
        "cod",
        "cod amount",
        "cash on delivery",
        "amount to collect",
        "collect",
        "montant cre",
        "cre",
        "crbt",
        "montant crbt",
        "contre remboursement",
        "montant contre remboursement",
        "montant à encaisser",
        "montant à collecter",
        "montant",
        "prix",
        "total",
        "الدفع عند الاستلام",
        "المبلغ",
        "مبلغ التحصيل",
        "المبلغ المطلوب",
        "الثمن",
        "السعر",
    ],
    "declared_value": [
        "declared value",
        "value",
        "valeur",
        "valeur déclarée",
        "القيمة",
        "القيمة المصرح بها",
    ],
    "service": [
        "service",
        "delivery service",
        "shipping method",
        "shipping service",
        "type de livraison",
        "mode de livraison",
        "الخدمة",
        "نوع التوصيل",
    ],
    "product": [
        "product",
        "products",
        "description",
        "item",
        "article",
        "sku",
        "produit",
        "produits",
        "désignation",
        "contenu",
        "content",
        "المنتج",
        "المنتجات",
        "الوصف",
        "السلعة",
    ],
    "quantity": [
        "quantity",
        "qty",
        "quantité",
        "qté",
        "qte",
        "nombre",
        "الكمية",
        "العدد",
    ],
    "note": [
        "note",
        "notes",
        "comment",
        "comments",
        "instructions",
        "delivery instructions",
        "remarque",
        "remarques",
        "commentaire",
        "ملاحظة",
        "ملاحظات",
    ],
}


class TmsEcImportMapping(models.Model):
    """How a shipper's spreadsheet columns map to the import's fields, remembered from
    one import to the next (one record per shipper and set of column titles)."""

    _name = "tms.ec.import.mapping"
    _description = "Order Import Column Mapping"
    _order = "last_used desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    shipper_id = fields.Many2one(
        "res.partner",
        string="Shipper",
        required=True,
        index=True,
        check_company=True,
        ondelete="cascade",
    )
    header_signature = fields.Char(
        required=True,
        index=True,
        help="Fingerprint of the file's column titles (normalised).",
    )
    header = fields.Json(string="Columns", help="The file's column titles.")
    mapping = fields.Json(
        help="Column title -> target field; an empty target: the column is ignored."
    )
    last_used = fields.Datetime(default=fields.Datetime.now)

    _sql_constraints = [
        (
            "signature_uniq",
            "unique(company_id, shipper_id, header_signature)",
            "A shipper has one mapping per set of columns.",
        ),
    ]

    @api.depends("shipper_id", "header")
    def _compute_display_name(self):
        for mapping in self:
            mapping.display_name = self.env._(
                "%(shipper)s: %(count)s columns",
                shipper=mapping.shipper_id.display_name,
                count=len(mapping.header or []),
            )

    @api.model
    def _tms_signature(self, header):
        key = "\x1f".join(normalize_header(title) for title in header)
        return hashlib.sha1(key.encode()).hexdigest()

    @api.model
    def _tms_synonyms(self):
        """``HEADER_SYNONYMS`` plus each field's key, English label and label in the
        user's language."""
        synonyms = {target: list(titles) for target, titles in HEADER_SYNONYMS.items()}
        Import = self.env["tms.ec.import"]
        english = Import.with_context(lang="en_US")._tms_import_field_labels()
        for target, label in Import._tms_import_field_labels().items():
            synonyms.setdefault(target, []).extend([target, english[target], label])
        return synonyms

    @api.model
    def _tms_guess(self, company, shipper, header):
        """``{column title: target}`` for ``header``: what the shipper chose for the
        same columns last time, else for the same titles in other files, else the
        titles' usual names."""
        known = {}
        if shipper:
            mappings = self.search(
                [("company_id", "=", company.id), ("shipper_id", "=", shipper.id)]
            )
            signature = self._tms_signature(header)
            exact = mappings.filtered(lambda m: m.header_signature == signature)
            # the most recent first, the exact match above all: apply them in reverse
            for mapping in reversed(exact | (mappings - exact)):
                known.update(mapping.mapping or {})
        return guess_mapping(header, self._tms_synonyms(), known)

    @api.model
    def _tms_remember(self, company, shipper, header, mapping):
        """Store the shipper's mapping for this set of columns."""
        signature = self._tms_signature(header)
        record = self.search(
            [
                ("company_id", "=", company.id),
                ("shipper_id", "=", shipper.id),
                ("header_signature", "=", signature),
            ],
            limit=1,
        )
        vals = {
            "header": list(header),
            "mapping": {title: mapping.get(title) or "" for title in header},
            "last_used": fields.Datetime.now(),
        }
        if record:
            record.write(vals)
            return record
        return self.create(
            dict(
                vals,
                company_id=company.id,
                shipper_id=shipper.id,
                header_signature=signature,
            )
        )
