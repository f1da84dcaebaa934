from . import tms_l10n_preset_wizard
