# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rate limits of the public tracking page: lookups per visitor IP address and
second-factor attempts per parcel, counted by the suite's rate limiter
(``tms.rate.limit``), which stores a hash of the address or parcel, never the address.
"""

from odoo import api, models

# Settings (ir.config_parameter) and their defaults; 0 disables a limit.
PARAM_LOOKUPS = "tms_core.track_lookups_per_minute"
DEFAULT_LOOKUPS = 30
PARAM_REVEAL_ATTEMPTS = "tms_core.track_reveal_attempts"
DEFAULT_REVEAL_ATTEMPTS = 5
LOOKUP_WINDOW_SECONDS = 60
REVEAL_WINDOW_SECONDS = 15 * 60


class TmsTrackRate(models.AbstractModel):
    """What the public tracking page counts, and how much it allows."""

    _name = "tms.track.rate"
    _description = "Public Tracking Rate Limits"

    @api.model
    def _tms_rate_limits(self):
        """``(lookups per IP and minute, second-factor attempts per parcel and 15
        minutes)``, from the system parameters: unset is the documented default
        (30 and 5), an explicit 0 means no limit."""
        Param = self.env["ir.config_parameter"].sudo()
        return (
            self._tms_int_param(Param.get_param(PARAM_LOOKUPS), DEFAULT_LOOKUPS),
            self._tms_int_param(
                Param.get_param(PARAM_REVEAL_ATTEMPTS), DEFAULT_REVEAL_ATTEMPTS
            ),
        )

    @api.model
    def _tms_int_param(self, value, default):
        # get_param() gives False for a parameter never set: the default, not 0
        if value is None or value is False or not str(value).strip():
            return default
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return default

    @api.model
    def _tms_hit(self, scope, subject, limit, window_seconds):
        """``(allowed, retry_after)`` of a hit counted by the rate limiter; a hit that
        is not counted (no limit) is allowed."""
        hit = self.env["tms.rate.limit"]._tms_hit(scope, subject, limit, window_seconds)
        return (hit.allowed, hit.retry_after) if hit else (True, 0)

    @api.model
    def _tms_hit_lookup(self, ip_address):
        """Count a lookup of the public tracking page from ``ip_address``."""
        limit = self._tms_rate_limits()[0]
        return self._tms_hit("lookup", ip_address, limit, LOOKUP_WINDOW_SECONDS)

    @api.model
    def _tms_hit_reveal(self, parcel):
        """Count a second-factor attempt on ``parcel``, whoever makes it: a session
        or an IP address of its own does not give more tries."""
        limit = self._tms_rate_limits()[1]
        return self._tms_hit("reveal", parcel.id, limit, REVEAL_WINDOW_SECONDS)
