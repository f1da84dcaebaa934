from . import public_holidays
