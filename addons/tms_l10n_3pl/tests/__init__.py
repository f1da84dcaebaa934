from . import test_preset_sla_policies
