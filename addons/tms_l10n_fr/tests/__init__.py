from . import test_preset_fr
