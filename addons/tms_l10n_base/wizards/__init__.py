from . import tms_holiday_wizard
from . import tms_l10n_preset_wizard
