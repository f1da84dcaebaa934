from . import tms_return_report
