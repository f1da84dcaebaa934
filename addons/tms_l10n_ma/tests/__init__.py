from . import test_preset_ma
