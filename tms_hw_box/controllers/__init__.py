from . import box_api
