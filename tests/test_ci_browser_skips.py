"""In CI, a browser tour that cannot start fails instead of being skipped.

Odoo's test framework skips a tour with a warning when Chromium or websocket-client is
missing; the root ``conftest.py`` turns those skips into failures under ``CI=true``.
"""

from pathlib import Path

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent

TESTS = """
import unittest

def test_tour_without_browser():
    raise unittest.SkipTest("chromium not found")

def test_tour_without_websocket():
    raise unittest.SkipTest("websocket-client module is not installed")

def test_other_skip():
    raise unittest.SkipTest("needs a shop account")
"""


def run(pytester, monkeypatch, ci):
    if ci:
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_tours=TESTS)
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:odoo")


def test_browser_skips_fail_in_ci(pytester, monkeypatch):
    result = run(pytester, monkeypatch, ci=True)
    result.assert_outcomes(failed=2, skipped=1)
    result.stdout.fnmatch_lines(["*Browser tour skipped in CI (chromium not found)*"])


def test_browser_skips_stay_skips_outside_ci(pytester, monkeypatch):
    result = run(pytester, monkeypatch, ci=False)
    result.assert_outcomes(skipped=3)
