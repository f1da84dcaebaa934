# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import tms_carrier_penalty_rule
from . import tms_carrier_penalty
from . import tms_carrier_contract
from . import tms_sla_policy
from . import tms_parcel
from . import account_move
from . import account_move_line
