# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

import odoo

from . import controllers
from . import tools

_logger = logging.getLogger(__name__)


def _tms_box_post_load():
    """Start the hardware box when this module is loaded server-wide.

    On the main Odoo the module is installed in a database (``tms_hw_proxy`` depends
    on it) and this does nothing. On a box (``--load=base,web,tms_hw_box``, no
    database) the box serves no database at all, as Odoo's own ``hw_drivers`` does:
    requests never look for one, so a box without PostgreSQL answers without errors.
    The box starts its device threads at once and logs its one-time pairing code.
    """
    if not controllers.box_api.is_box_mode():
        return
    _logger.warning(
        "tms_hw_box is loaded server-wide: this Odoo runs as a TMS hardware box "
        "and serves no database."
    )
    odoo.http.db_list = lambda force=False, host=None: []
    controllers.box_api.get_box()
