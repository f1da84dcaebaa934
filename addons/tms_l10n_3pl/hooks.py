# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).


def post_init_hook(env):
    """The example SLA policies for the companies given a preset before."""
    env["res.company"]._tms_l10n_install_sla_policies()
