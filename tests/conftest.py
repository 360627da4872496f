"""Fixtures for the app and browser tests: a Voila server on 127.0.0.1 and Debian's headless Chromium.

Outside CI a missing browser skips the browser tests with a message saying how to install it; under
``CI=true`` it fails them (``qdpv_testing.browser.require_chromium``), so that a CI run can never pass without
having driven a real browser.
"""

from __future__ import annotations

import pytest

from qdpv_testing.browser import RECORD_SENT_JS, PageWatch, launch_chromium, require_chromium
from qdpv_testing.server import voila_server


@pytest.fixture(scope="module")
def voila_url() -> str:
    """Base URL of a Voila server serving notebooks/ for the tests of one module (stopped afterwards)."""
    with voila_server() as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page (own context, downloads allowed) with a watch on console errors and network failures."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    context.add_init_script(RECORD_SENT_JS)
    pg = context.new_page()
    pg.qdpv_watch = PageWatch(pg)
    yield pg
    context.close()
