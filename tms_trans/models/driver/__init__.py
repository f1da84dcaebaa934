# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# The driver's phone app: proofs required per service, what the driver records at the
# door, the app's data and its queue of actions (tms_driver_app.py), the driver's
# landing page.
from . import tms_service
from . import tms_parcel
from . import tms_driver_app
from . import ir_http
