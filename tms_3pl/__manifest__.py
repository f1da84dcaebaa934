# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TMS Third-Party Logistics",
    "summary": "Subcontracted carriers with contracts, zones and delivery days; SLA "
    "policies per client, service and zone on working calendars; parcels on track, "
    "at risk or breached",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/tms-odoo/tms",
    "author": "TMS for Odoo contributors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": [
        "tms_core",
        "stock_picking_batch",
        "purchase",
        "account",
        "portal",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/tms_3pl_rules.xml",
        "data/tms_weekday_data.xml",
        "data/tms_sla_data.xml",
        "data/tms_failure_reason_data.xml",
        "data/tms_penalty_data.xml",
        "report/tms_sla_client_report.xml",
        "data/tms_sla_report_data.xml",
        # carrier network
        "views/tms_carrier_contract_views.xml",
        "views/tms_carrier_views.xml",
        "views/tms_zone_views.xml",
        # SLAs
        "views/tms_sla_policy_views.xml",
        "views/tms_failure_reason_views.xml",
        "views/tms_parcel_sla_views.xml",
        # penalties
        "views/tms_carrier_penalty_views.xml",
        # client SLA reports and dashboards
        "views/tms_sla_report_views.xml",
        "views/tms_sla_portal_templates.xml",
        # menus
        "views/tms_menus.xml",
    ],
    "demo": [
        "demo/tms_3pl_demo.xml",
    ],
    "assets": {
        # Leaflet (tms_core/static/lib/leaflet/) is loaded by the map when it opens
        "web.assets_backend": ["tms_3pl/static/src/sla_zone_map/*"],
        "web.assets_tests": ["tms_3pl/static/tests/tours/*"],
    },
}
