from . import tms_ec_import_wizard
