from . import test_public_holidays_tool
from . import test_holiday_generation
