# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TMS Transport",
    "summary": "Delivery rounds with vehicles and drivers, route optimisation that "
    "always returns a plan, road sheets, a dispatcher map, the driver's offline phone "
    "app with proofs of delivery, live arrival windows and the cash-on-delivery cycle",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/tms-odoo/tms",
    "author": "TMS for Odoo contributors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["tms_core", "fleet", "stock_fleet", "stock_picking_batch", "account"],
    "external_dependencies": {"python": ["ortools"]},
    "data": [
        "security/cod_security.xml",
        "security/ir.model.access.csv",
        "security/tms_trans_rules.xml",
        "security/cod_rules.xml",
        "data/ir_sequence_data.xml",
        "data/queue_job_data.xml",
        "data/tms_tracking_data.xml",
        # rounds and stops (the plan wizard first: the rounds list opens it)
        "views/fleet_vehicle_views.xml",
        "wizards/tms_round_plan_wizard_views.xml",
        "views/tms_round_views.xml",
        "views/tms_round_stop_views.xml",
        "views/tms_parcel_views.xml",
        "views/res_config_settings_views.xml",
        # optimisation
        "views/tms_round_optimization_views.xml",
        "wizards/tms_round_optimize_wizard_views.xml",
        # batch transfers of the parcels that come from the warehouse
        "views/stock_picking_batch_views.xml",
        # reports
        "report/tms_round_report.xml",
        "report/tms_parcel_pod_report.xml",
        # dispatcher map
        "views/tms_round_map_views.xml",
        # the driver's phone app
        "views/tms_driver_views.xml",
        # deliveries on their way: arrival windows, GPS points, proof of delivery
        "views/tms_tracking_views.xml",
        # cash on delivery: cash sheets, remittances, their settings and portal
        "data/cod_data.xml",
        "report/cod_remittance_report.xml",
        "views/cod_sheet_views.xml",
        "views/cod_remittance_views.xml",
        "views/cod_config_views.xml",
        "views/cod_portal_templates.xml",
        # menus
        "views/tms_menus.xml",
    ],
    "assets": {
        # Leaflet (tms_core/static/lib/leaflet/) is loaded by the map when it opens
        "web.assets_backend": [
            "tms_trans/static/src/dispatch_map/*",
            "tms_trans/static/src/optimization/*",
            "tms_trans/static/src/driver_app/*",
            ("remove", "tms_trans/static/src/driver_app/service_worker.js"),
        ],
        "web.assets_tests": [
            "tms_trans/static/tests/tours/*.js",
        ],
        "web.assets_unit_tests": [
            "tms_trans/static/tests/driver_app/*.test.js",
        ],
        "web.report_assets_common": [
            "tms_trans/static/src/report/*.scss",
        ],
    },
    "demo": ["demo/fleet_demo.xml"],
}
