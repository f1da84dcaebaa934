# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# What customers see of a round on its way (ETA windows, the notification when it
# starts, the driver's position), the drivers' GPS breadcrumbs, and the proof of
# delivery PDF.
from . import res_company
from . import res_config_settings
from . import res_users
from . import tms_round_position
from . import tms_round
from . import tms_parcel
from . import tms_notification_trigger
