# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import test_sla_tools
from . import test_carrier_network
from . import test_sla_parcel
from . import test_sla_monitoring
from . import test_security
from . import test_penalty
from . import test_sla_report
from . import test_sla_map
from . import test_demo
