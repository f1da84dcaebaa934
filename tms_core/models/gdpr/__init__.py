from . import tms_parcel
from . import res_partner
