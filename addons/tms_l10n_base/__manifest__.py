# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TMS Country Presets",
    "summary": "Public holidays from the holidays library on working calendars, kept "
    "up to date each year, and the country presets of the tms_l10n_* modules",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/tms-odoo/tms",
    "author": "TMS for Odoo contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["tms_core", "resource"],
    "external_dependencies": {"python": ["holidays"]},
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/resource_calendar_views.xml",
        "wizards/tms_holiday_wizard_views.xml",
        "wizards/tms_l10n_preset_wizard_views.xml",
        "views/tms_l10n_menus.xml",
    ],
}
