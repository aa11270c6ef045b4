"""Browser tests drive Debian's Chromium (the `browser` fixture, tests/conftest.py) through
Playwright against pytest-django's live server."""

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    # Closing a page sends what it holds back on the way out (autosave.js, the view beacon);
    # refused here, so no request reaches the server while the test's database is emptied.
    context.route("**/*", lambda route: route.abort())
    context.close()
