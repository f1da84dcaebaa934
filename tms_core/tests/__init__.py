from . import test_tracking_number
from . import test_parcel
from . import test_parcel_events
from . import test_security
from . import test_stock_link
from . import test_gdpr
from . import test_api
from . import test_demo
