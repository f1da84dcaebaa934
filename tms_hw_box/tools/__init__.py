from . import box
from . import devices
from . import drivers
