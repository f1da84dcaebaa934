# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import test_rounds
from . import test_optimization
from . import test_road_sheet
from . import test_dispatch_map
from . import test_dispatch_tour
from . import test_rounds_tour
from . import test_vrp_matrix
from . import test_vrp_solver
from . import test_cod_collection
