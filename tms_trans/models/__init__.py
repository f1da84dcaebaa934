# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# Feature folders: rounds and their stops (with their hooks on parcels and tracking
# events), then the optimisation runs that rework them, what drivers collect for
# cash-on-delivery parcels, what customers see of a round on its way (arrival windows,
# GPS points, proof of delivery), then the demo data helper.
from . import res_company
from . import res_config_settings
from . import rounds
from . import dispatch
from . import optimization
from . import batch
from . import pickup
from . import cod
from . import tracking
from . import driver
from . import demo
