# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import tms_round_plan_wizard
from . import tms_round_plan_wizard_batch
from . import tms_round_plan_wizard_pickup
from . import tms_round_optimize_wizard
