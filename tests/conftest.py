"""pytest configuration of the repository-level tests."""

import os
import threading

import pytest

# Benchmarks are run by "./tms bench" (python -m tests.benchmarks), never by pytest.
collect_ignore = ["benchmarks"]


def _odoo_configured(config):
    return bool(
        config.getoption("--odoo-database", default=None)
        or config.getoption("--odoo-config", default=None)
        or os.environ.get("ODOO_RC")
        or os.environ.get("OPENERP_SERVER")
    )


@pytest.fixture(scope="session", autouse=True)
def load_registry(request):
    """pytest-odoo's fixture of the same name loads the registry of the test database
    for every session; here the registry is loaded only when a database is given, so
    that the checks of this folder that need no database run with a bare ``pytest``."""
    if _odoo_configured(request.config):
        import odoo

        threading.current_thread().testing = True
        odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    yield
