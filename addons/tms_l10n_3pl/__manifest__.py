# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TMS Presets: SLA Policies",
    "summary": "Example SLA policies in the country presets: express, standard and "
    "return delays by region, with cut-off times, for Morocco and France",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/tms-odoo/tms",
    "author": "TMS for Odoo contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["tms_l10n_base", "tms_3pl"],
    "post_init_hook": "post_init_hook",
}
