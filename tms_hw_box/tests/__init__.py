from . import test_box_drivers
from . import test_box_api
from . import test_box_process
from . import test_setup_box
