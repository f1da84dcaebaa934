from . import tms_notification_trigger
from . import tms_notification_rule
from . import tms_sms_gateway
from . import tms_notification_log
from . import tms_webhook
from . import tms_webhook_delivery
from . import tms_parcel_event
from . import tms_parcel
