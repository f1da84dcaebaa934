from . import test_raw_tcp
