# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).


def post_init_hook(env):
    """The Moroccan preset for the Moroccan companies not set up yet."""
    env["res.company"]._tms_l10n_install_preset("ma")
