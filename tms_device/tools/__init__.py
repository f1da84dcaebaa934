from . import raw_tcp
