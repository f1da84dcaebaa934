from . import tms_container
from . import tms_parcel
from . import res_company
from . import res_config_settings
from . import res_users
from . import tms_parcel_event
from . import tms_scan
