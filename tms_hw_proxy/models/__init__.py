from . import tms_hw_box
from . import tms_hw_device
from . import tms_printer
from . import tms_print_job
from . import ir_http
