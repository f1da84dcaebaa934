# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TMS E-commerce",
    "summary": "Shopify and WooCommerce orders to parcels, tracking pushed back, "
    "spreadsheet order import, merchant portal, returns with labelless QR codes, "
    "inspection and disposition",
    "version": "18.0.1.2.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/tms-odoo/tms",
    "author": "TMS for Odoo contributors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": [
        "tms_core",
        "sale_stock",
        "account",
    ],
    "external_dependencies": {"python": ["ShopifyAPI", "woocommerce", "openpyxl"]},
    "data": [
        "security/ir.model.access.csv",
        "security/tms_ec_rules.xml",
        "data/ir_sequence_data.xml",
        "data/tms_ec_cron_data.xml",
        "data/tms_ec_fulfillment_data.xml",
        "data/tms_return_reason_data.xml",
        "data/tms_return_mail_templates.xml",
        "data/tms_return_notification_data.xml",
        "views/tms_ec_menus.xml",
        "views/tms_ec_sync_views.xml",
        "views/tms_ec_order_views.xml",
        "views/tms_ec_order_fulfillment_views.xml",
        "views/tms_ec_backend_views.xml",
        "views/sale_order_views.xml",
        "views/tms_ec_import_views.xml",
        "views/tms_return_views.xml",
        "views/tms_notification_views.xml",
        "views/tms_return_inspection_views.xml",
        "views/tms_return_report_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/tms_merchant_portal_templates.xml",
        "views/tms_return_portal_templates.xml",
        "wizards/tms_ec_import_wizard_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "tms_ec/static/src/reception/*",
        ],
        "web.assets_tests": [
            "tms_ec/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/tms_ec_backend_demo.xml",
        "demo/tms_return_demo.xml",
        "demo/tms_ec_fulfillment_demo.xml",
    ],
}
