# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import tms_weekday
from . import tms_carrier
from . import tms_carrier_contract
from . import tms_carrier_contract_zone
from . import tms_carrier_rate
from . import tms_zone
