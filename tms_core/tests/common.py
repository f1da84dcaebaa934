# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import common as odoo_test_common

from odoo.addons.base.tests.common import BaseCommon

# queue_job's test helpers register themselves in odoo.tests.common.SETATTR_SOURCES,
# which Odoo 18.0 builds before its introduction lack.
if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}
from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402

__all__ = ["TmsCommon", "trap_jobs"]


class TmsCommon(BaseCommon):
    """Two companies (Morocco, France), each with a hub, a zone and a user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.morocco = cls.env.ref("base.ma")
        cls.france = cls.env.ref("base.fr")
        cls.company_ma = cls.env["res.company"].create(
            {"name": "Colis Express Maroc", "country_id": cls.morocco.id}
        )
        cls.company_fr = cls.env["res.company"].create(
            {"name": "Colis Rapide France", "country_id": cls.france.id}
        )
        cls.hub_cas = cls.env["tms.hub"].create(
            {
                "name": "Casablanca Depot",
                "code": "CAS",
                "hub_type": "depot",
                "company_id": cls.company_ma.id,
            }
        )
        cls.hub_par = cls.env["tms.hub"].create(
            {
                "name": "Paris Depot",
                "code": "PAR",
                "hub_type": "depot",
                "company_id": cls.company_fr.id,
            }
        )
        cls.zone_cas = cls.env["tms.zone"].create(
            {
                "name": "Casablanca",
                "code": "CAS-1",
                "company_id": cls.company_ma.id,
                "country_id": cls.morocco.id,
                "zip_prefixes": "20",
                "hub_id": cls.hub_cas.id,
            }
        )
        cls.service_std = cls.env.ref("tms_core.tms_service_standard")
        cls.shipper_ma = cls.env["res.partner"].create(
            {
                "name": "Boutique Atlas",
                "company_id": cls.company_ma.id,
                "country_id": cls.morocco.id,
                "city": "Casablanca",
            }
        )
        cls.recipient_ma = cls.env["res.partner"].create(
            {
                "name": "Fatima Zahra Benali",
                "street": "12 Rue Ibnou Mounir",
                "city": "Casablanca",
                "zip": "20250",
                "country_id": cls.morocco.id,
                "mobile": "0612345678",
                "company_id": cls.company_ma.id,
            }
        )
        cls.user_ma = cls._create_tms_user(
            "operator_ma", cls.company_ma, "group_tms_user"
        )
        cls.user_fr = cls._create_tms_user(
            "operator_fr", cls.company_fr, "group_tms_user"
        )

    @classmethod
    def _create_tms_user(cls, login, company, group):
        return cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [cls.env.ref(f"tms_core.{group}").id])],
            }
        )

    def _create_parcel(self, company=None, **vals):
        company = company or self.company_ma
        values = {
            "company_id": company.id,
            "shipper_id": self.shipper_ma.id if company == self.company_ma else False,
            "recipient_id": self.recipient_ma.id
            if company == self.company_ma
            else False,
            "service_id": self.service_std.id,
            "weight": 1.5,
        }
        values.update(vals)
        return self.env["tms.parcel"].with_company(company).create(values)
