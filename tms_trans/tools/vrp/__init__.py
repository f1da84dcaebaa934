# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Route optimisation without the ORM: problem, matrix, solvers and checker.

Units: distances in metres, times in seconds from the day's start (00:00 local), all
integers where the solver sees them.
"""
