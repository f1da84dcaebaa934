from . import tms_parcel
