"""The browser tests' fixtures (congdoan/core/tests/test_browser.py)."""

from congdoan.core.tests.test_browser import browser, phone_no_js  # noqa: F401  (browser fixtures)
