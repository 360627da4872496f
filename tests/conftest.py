"""Fixtures for the app and browser tests: a Voila server on 127.0.0.1 and Debian's headless Chromium.

Outside CI a missing browser skips the browser tests with a message saying how to install it; under
``CI=true`` it fails them, so that a CI run can never pass without having driven a real browser.
"""

from __future__ import annotations

import os

import harness
import pytest


def _require_chromium() -> str:
    path = harness.chromium_path()
    if path is None:
        msg = (
            "chromium is not installed: the browser tests drive Debian's chromium package "
            "(scripts/install-browser.sh installs it; the README's test command runs that script)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg + "; under CI=true the browser tests must run", pytrace=False)
        pytest.skip(msg)
    return path


@pytest.fixture(scope="module")
def voila_url() -> str:
    """Base URL of a Voila server serving notebooks/ for the tests of one module (stopped afterwards)."""
    with harness.voila_server() as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = harness.launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page (own context, downloads allowed) with a watch on console errors and network failures."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    context.add_init_script(harness.RECORD_SENT_JS)
    pg = context.new_page()
    pg.qdpv_watch = harness.PageWatch(pg)
    yield pg
    context.close()
