# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# Feature folders: rounds and their stops (with their hooks on parcels and tracking
# events), then the optimisation runs that rework them, then the demo data helper.
from . import res_company
from . import res_config_settings
from . import rounds
from . import dispatch
from . import optimization
from . import cod
from . import demo
