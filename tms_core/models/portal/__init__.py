from . import tms_parcel
from . import tms_track_rate
