# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import tms_failure_reason
from . import tms_sla_policy
from . import tms_parcel
from . import tms_parcel_event
from . import tms_notification_trigger
