# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TMS Hardware Box (box side)",
    "summary": "The program of the hardware box: drives ZPL and ESC/POS printers and "
    "serial scanners of the warehouse LAN for a paired Odoo, without database",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/tms-odoo/tms",
    "author": "TMS for Odoo contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["web", "tms_device"],
    "external_dependencies": {"python": ["python-escpos", "pyserial"]},
    "post_load": "_tms_box_post_load",
}
