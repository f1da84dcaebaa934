from . import tms_hw_box_pair_wizard
