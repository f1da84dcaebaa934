from . import tms_label_print_wizard
