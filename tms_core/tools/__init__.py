from . import tracking_number
