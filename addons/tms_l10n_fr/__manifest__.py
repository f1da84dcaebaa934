# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TMS France",
    "summary": "French preset: working week, bank holidays, the 13 metropolitan "
    "regions as zones by department, EUR, services, SMS gateway",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/tms-odoo/tms",
    "author": "TMS for Odoo contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["tms_l10n_base"],
    "external_dependencies": {"python": ["holidays"]},
    "post_init_hook": "post_init_hook",
}
