"""pytest configuration for every test folder of the repository.

In continuous integration (``CI=true``) a browser tour that cannot start - no
Chromium, no websocket-client, no DevTools port - fails instead of being skipped:
Odoo's test framework skips such tours with a warning, and a green run would then
hide a broken screen.
"""

import os

import pytest

BROWSER_SKIP_MARKERS = (
    "chrome",
    "chromium",
    "websocket-client",
    "devtools",
)


def browser_skip_reason(report):
    """The reason of a skip caused by a missing browser, or None."""
    if not report.skipped or not isinstance(report.longrepr, tuple):
        return None
    reason = str(report.longrepr[-1]).removeprefix("Skipped: ")
    lowered = reason.lower()
    if any(marker in lowered for marker in BROWSER_SKIP_MARKERS):
        return reason
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") != "true":
        return
    reason = browser_skip_reason(report)
    if reason:
        report.outcome = "failed"
        report.longrepr = (
            f"Browser tour skipped in CI ({reason}): install Debian's 'chromium' "
            "and the 'websocket-client' package pinned in requirements.txt."
        )
