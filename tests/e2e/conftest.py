"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test's thread, so Django would refuse database
calls there (SynchronousOnlyOperation) although nothing in the test is asynchronous.
"""

import os

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def browser(live_server) -> Browser:
    """Chromium for one test, started after the test database is ready and stopped before it is reset.

    While Playwright's loop runs, Django hands the test thread other database connections than
    the test case's own (they are context-local); starting the browser per test, after the
    database set-up, keeps `serialized_rollback` and the flush on the test case's connection.
    """
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()  # the connections opened while Playwright ran


@pytest.fixture
def new_page(browser: Browser):
    """Open pages in fresh browser contexts (one per person: separate cookies), closed afterwards."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(viewport=VIEWPORT, locale="en-US")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
