from . import test_tracking_number
from . import test_parcel
from . import test_parcel_events
from . import test_security
