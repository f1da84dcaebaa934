from . import api
from . import portal
