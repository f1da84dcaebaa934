# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TMS Devices",
    "summary": "Device clients shared by the main Odoo and the hardware box: raw TCP "
    "(port 9100) printing with timeouts and a reachability check",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/tms-odoo/tms",
    "author": "TMS for Odoo contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["base"],
}
