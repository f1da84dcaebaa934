from . import tms_api
from . import ir_http
from . import tms_api_request
from . import tms_rate_limit
