"""Light pages, in Chromium, on Voila alone (``scripts/run.sh``) and on a Jupyter server with Voila as its extension
(Binder, JupyterHub, set up by ``binder/postBuild``):

- an app's BokehJS comes from the kit's template as static files (``qdpv.ui.kit.bokehjs``), with a long-lived
  ``Cache-Control``, compressed, and a second app takes it from the browser's cache; the app page itself is small;
- pages, scripts and styles are sent compressed;
- no page asks anything of another machine (no CDN): the apps, the tree of notebooks and an error page;
- a page closed by the learner frees its kernel within seconds, also when it was opened straight at its
  ``/voila/render/...`` URL (``qdpv.serving.websocket``: the ``_xsrf`` cookie its shutdown request needs);
- the app's kernel was forked from the warm template (``qdpv.serving.provisioner``), in both set-ups.
"""

from __future__ import annotations

import re
import time

import bokeh
import pytest

from qdpv.ui.kit import bokehjs
from qdpv_testing import GALLERY
from qdpv_testing.browser import KERNEL_ID_JS, PageWatch, Transfers, open_app
from qdpv_testing.server import jupyter_server_with_voila, kernels, voila_server

pytestmark = pytest.mark.browser

APP, SECOND_APP = "03_band_alignment.ipynb", "02_qd_sizing.ipynb"
STATIC = f"/voila/templates/{bokehjs.TEMPLATE}/static/{bokehjs.FOLDER}/"
ONE_YEAR_S = 365 * 24 * 3600
COLD_PAGE_BYTES = 3_000_000  # an app opened in a browser with an empty cache
WARM_PAGE_BYTES = 300_000  # a learner's second app: the static files come from the browser's cache
HTML_BYTES = 100_000  # the app's HTML page itself (BokehJS inline made it ~8 MB)
FREED_WITHIN_S = 5.0


@pytest.fixture(scope="module")
def server():
    with voila_server() as srv:
        yield srv


@pytest.fixture(scope="module")
def extension(tmp_path_factory):
    with jupyter_server_with_voila(tmp_path_factory.mktemp("home")) as srv:
        yield srv


def _app_url(srv, notebook: str) -> str:
    """An app's URL on a server: ``/voila/render/<app>`` on Voila alone, ``.../notebooks/<app>`` with a token on
    a Jupyter server (as on Binder and the hub)."""
    if srv.query:
        return f"{srv.url}/voila/render/notebooks/{notebook}?{srv.query}"
    return f"{srv.url}/voila/render/{notebook}"


def _open(context, srv, notebook: str):
    """A new page of ``context`` with ``notebook`` open and idle: (page, its Transfers)."""
    page = context.new_page()
    page.qdpv_watch = PageWatch(page)
    transfers = Transfers(page)
    open_app(page, _app_url(srv, notebook))
    page.wait_for_load_state("networkidle")
    return page, transfers


def _max_age(fetch) -> int:
    match = re.search(r"max-age=(\d+)", fetch.headers.get("cache-control", ""))
    return int(match.group(1)) if match else 0


def _assert_static_bokehjs(page, transfers) -> None:
    assert page.evaluate("() => window.Bokeh.version") == bokeh.__version__
    assert page.evaluate("() => window.qdpvBokehPatches") == "applied"
    sources = page.evaluate("() => [...document.querySelectorAll('script[src]')].map((s) => s.src)")
    for path in bokehjs.package_files():
        [src] = [s for s in sources if f"{STATIC}{path.name}?v=" in s]
        [fetch] = transfers.matching(src)
        assert fetch.status == 200 and not fetch.from_cache
        assert _max_age(fetch) >= ONE_YEAR_S, fetch.headers
        assert fetch.headers.get("content-encoding") == "gzip", fetch.headers
        assert fetch.network_bytes < path.stat().st_size / 2, "compressed, BokehJS shrinks to well under half"


def _assert_small_and_compressed(srv, transfers, notebook: str) -> None:
    [html] = transfers.matching(f"/voila/render/{'notebooks/' if srv.query else ''}{notebook}")
    assert html.headers.get("content-encoding") == "gzip", html.headers
    assert html.network_bytes < HTML_BYTES, f"the app's page is {html.network_bytes} bytes"
    scripts = [f for f in transfers.fetches.values() if f.done and f.status == 200 and not f.from_cache
               and "javascript" in f.headers.get("content-type", "") and f.network_bytes > 10_000]
    assert scripts and all(f.headers.get("content-encoding") == "gzip" for f in scripts), [
        (f.url, f.headers.get("content-encoding")) for f in scripts]
    assert transfers.network_bytes() < COLD_PAGE_BYTES, f"{transfers.network_bytes()} bytes for a cold page"


def _close_and_count(page, srv) -> tuple[int, float]:
    """Close ``page`` the way a learner closes a tab; (kernels before, seconds until one fewer, or inf)."""
    before = len(kernels(srv.pid))
    page.close(run_before_unload=True)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 3 * FREED_WITHIN_S:
        if len(kernels(srv.pid)) < before:
            return before, time.monotonic() - t0
        time.sleep(0.1)
    return before, float("inf")


@pytest.mark.parametrize("mode", ["voila", "extension"])
def test_app_loads_bokehjs_as_cached_compressed_static_files_and_a_second_app_takes_it_from_the_cache(
        request, browser, mode):
    srv = request.getfixturevalue("server" if mode == "voila" else "extension")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        first, transfers = _open(context, srv, APP)
        _assert_static_bokehjs(first, transfers)
        _assert_small_and_compressed(srv, transfers, APP)
        assert first.qdpv_watch.problems() == []
        first.close(run_before_unload=True)
        second, transfers = _open(context, srv, SECOND_APP)
        assert second.evaluate("() => window.Bokeh.version") == bokeh.__version__
        bundles = [f for path in bokehjs.package_files() for f in transfers.matching(f"{STATIC}{path.name}")]
        assert len(bundles) == len(bokehjs.package_files()) and all(f.from_cache for f in bundles), bundles
        assert transfers.network_bytes() < WARM_PAGE_BYTES, f"{transfers.network_bytes()} bytes for a second app"
        assert second.qdpv_watch.problems() == []
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["voila", "extension"])
def test_closing_an_app_opened_at_its_own_url_frees_its_kernel_within_seconds(request, browser, mode):
    srv = request.getfixturevalue("server" if mode == "voila" else "extension")
    context = browser.new_context()  # no earlier page of this server: no cookie but the one the app page gets
    try:
        page, _ = _open(context, srv, APP)
        assert "_xsrf" in {c["name"] for c in context.cookies()}
        assert page.qdpv_watch.problems() == []
        before, freed_s = _close_and_count(page, srv)
        assert before >= 1
        assert freed_s <= FREED_WITHIN_S, "the closed page's kernel is still running"
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["voila", "extension"])
def test_an_app_runs_on_a_kernel_forked_from_the_template(request, browser, mode):
    srv = request.getfixturevalue("server" if mode == "voila" else "extension")
    context = browser.new_context()
    try:
        page, _ = _open(context, srv, APP)
        kernel = kernels(srv.pid)[page.evaluate(KERNEL_ID_JS)]
        template = kernel.parent()
        assert template.pid != srv.pid and template.parent().pid == srv.pid
        assert template.cmdline()[1:3] == ["-m", "qdpv.serving.kernel_template"]
        assert page.qdpv_watch.problems() == []
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/?classic-tree=true", "/voila/tree/worked", f"/voila/render/{GALLERY}",
                                  "/voila/render/no_such_notebook.ipynb"])
def test_pages_ask_nothing_of_another_machine(page, server, path):
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    assert page.qdpv_watch.external_requests == []
    assert page.qdpv_watch.failed_requests == []
    assert not re.search(r"//[\w.-]*(cdn|unpkg)", page.content()), "the page names a CDN"
