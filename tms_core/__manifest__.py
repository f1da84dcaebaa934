# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TMS Core",
    "summary": "Parcels, tracking numbers, status machine and tracking events, hubs, "
    "zones, services and a REST API for parcel carriers and e-merchants",
    "version": "18.0.1.2.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/tms-odoo/tms",
    "author": "TMS for Odoo contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "mail",
        "portal",
        "resource",
        "stock",
        "phone_validation",
        "barcodes",
        "queue_job",
        "sms",
        "tms_device",
    ],
    "external_dependencies": {
        "python": ["phonenumbers", "python-escpos", "arabic-reshaper", "python-bidi"]
    },
    "data": [
        "security/tms_security.xml",
        "security/ir.model.access.csv",
        "security/tms_rules.xml",
        "security/tms_notification_rules.xml",
        "security/tms_exception_rules.xml",
        "security/tms_label_rules.xml",
        "security/tms_scan_rules.xml",
        "security/tms_portal_rules.xml",
        # parcel: states and transitions, hubs, zones, services, carriers, stock link
        "data/ir_sequence_data.xml",
        "data/tms_parcel_transition_data.xml",
        "data/tms_failure_reason_data.xml",
        "data/tms_service_data.xml",
        "data/ir_cron_data.xml",
        "report/tms_parcel_report.xml",
        "views/tms_parcel_views.xml",
        "views/tms_parcel_event_views.xml",
        "views/tms_service_views.xml",
        "views/tms_hub_views.xml",
        "views/tms_zone_views.xml",
        "views/tms_failure_reason_views.xml",
        "views/tms_carrier_views.xml",
        "views/tms_parcel_transition_views.xml",
        "views/res_config_settings_views.xml",
        "views/stock_picking_views.xml",
        "views/tms_menus.xml",
        # data protection (GDPR)
        "views/tms_gdpr_views.xml",
        # labels and printing
        "data/tms_label_data.xml",
        "views/tms_printer_views.xml",
        "views/tms_print_job_views.xml",
        "views/tms_label_layout_views.xml",
        "views/tms_label_batch_views.xml",
        "views/tms_parcel_label_views.xml",
        "wizards/tms_label_print_wizard_views.xml",
        "views/stock_picking_label_views.xml",
        # exceptions, then the dashboard that counts them
        "data/tms_exception_data.xml",
        "views/tms_state_threshold_views.xml",
        "views/tms_exception_views.xml",
        "views/tms_dashboard_views.xml",
        # scanning and containers
        "data/tms_container_data.xml",
        "views/tms_container_views.xml",
        "views/tms_scan_views.xml",
        # tracking pages and portal
        "views/tms_portal_templates.xml",
        # notifications and webhooks
        "data/tms_notification_data.xml",
        "views/tms_notification_views.xml",
        "views/tms_webhook_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "tms_core/static/src/dashboard/*",
            "tms_core/static/src/label_print/*",
            "tms_core/static/src/map/*",
            "tms_core/static/src/scan/*",
            "tms_core/static/src/scan_input/*",
        ],
        "web.assets_frontend": [
            "tms_core/static/src/portal/*.scss",
            "tms_core/static/src/portal/*.js",
        ],
        "web.assets_tests": [
            "tms_core/static/tests/tours/*.js",
        ],
        "web.assets_unit_tests": [
            "tms_core/static/tests/scan/*.test.js",
            "tms_core/static/tests/scan_input/*.test.js",
        ],
    },
    "demo": [
        "demo/res_lang_demo.xml",
        "demo/res_company_demo.xml",
        "demo/tms_hub_demo.xml",
        "demo/tms_zone_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/tms_demo.xml",
        "demo/tms_notification_demo.xml",
    ],
}
