from . import tms_state_threshold
from . import tms_parcel
from . import tms_parcel_event
from . import res_company
