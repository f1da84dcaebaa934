from . import tms_demo
