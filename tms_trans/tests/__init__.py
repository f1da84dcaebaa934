# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import test_rounds
from . import test_optimization
from . import test_picking_batch
from . import test_pickups
from . import test_road_sheet
from . import test_dispatch_map
from . import test_dispatch_map_draw
from . import test_dispatch_tour
from . import test_rounds_tour
from . import test_vrp_matrix
from . import test_vrp_solver
from . import test_cod_collection
from . import test_eta_tools
from . import test_tracking_eta
from . import test_tracking_gps
from . import test_tracking_pod
from . import test_cod_sheet
from . import test_cod_remittance
from . import test_cod_tour
from . import test_driver_app
from . import test_driver_tour
from . import test_driver_gps_consent
