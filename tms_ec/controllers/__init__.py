from . import webhook
from . import portal_merchant
from . import import_template
from . import portal
