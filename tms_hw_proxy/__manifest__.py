# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TMS Hardware Box",
    "summary": "Print labels on ZPL and ESC/POS printers and read serial scanners "
    "on the warehouse LAN through a paired hardware box, from a cloud-hosted Odoo",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/tms-odoo/tms",
    "author": "TMS for Odoo contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["tms_core", "tms_hw_box"],
    "data": [
        "security/ir.model.access.csv",
        "security/tms_hw_proxy_rules.xml",
        "data/ir_cron_data.xml",
        "views/tms_hw_box_views.xml",
        "views/tms_hw_device_views.xml",
        "views/tms_printer_views.xml",
        "views/tms_print_job_views.xml",
        "wizards/tms_hw_box_pair_wizard_views.xml",
        "views/tms_hw_proxy_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "tms_hw_proxy/static/src/**/*",
        ],
        "web.assets_tests": [
            "tms_hw_proxy/static/tests/tours/*.js",
        ],
    },
}
