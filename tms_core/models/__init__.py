# Feature folders, in the order their classes stack on the shared models (tms.parcel,
# tms.parcel.event, res.company): each folder extends what the folders above it define.
# The map of what each folder holds and which hooks it overrides is in ../README.md.
from . import res_company
from . import res_config_settings
from . import parcel

from . import gdpr
from . import intake
from . import api
from . import demo
from . import labels
from . import exception
from . import dashboard
from . import scanning
from . import portal
from . import notification
