# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# Cash on delivery: what the driver declares at the door (tms_parcel), his cash sheet at
# the end of the round, the cashier's count and its posting, the remittances to the
# shippers, and the daily check that nothing collected goes unaccounted.
from . import tms_parcel
from . import res_company
from . import res_config_settings
from . import res_partner
from . import tms_hub
from . import tms_cod_sheet
from . import tms_cod_sheet_line
from . import tms_cod_remittance
from . import tms_cod_remittance_line
from . import account_move
from . import tms_round
