"""Debian's headless Chromium for the browser tests, the benchmarks and the screenshots, and what it does in a page.

One place that finds and launches Chromium, opens an app and waits until it is interactive, times a key press
until the page has changed, collects what a page did wrong and what it fetched over the network, runs axe-core's
accessibility rules on a page and walks its keyboard Tab order.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from importlib.resources import files

# Chromium flags for a machine with no internet: without the background-networking flags chromium keeps
# trying to reach its vendor's hosts, which shows up as failed requests unrelated to the app.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The system Chromium (Debian package ``chromium``), or None."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def require_chromium() -> str:
    """The system Chromium for a browser test; without one, skip the test, or fail it under ``CI=true``.

    Outside CI a missing browser skips the test with a message saying how to install it; under ``CI=true`` it
    fails, so that a CI run can never pass without having driven a real browser.
    """
    import pytest

    path = chromium_path()
    if path is None:
        msg = (
            "chromium is not installed: the browser tests drive Debian's chromium package "
            "(scripts/install-browser.sh installs it; the README's test command runs that script)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg + "; under CI=true the browser tests must run", pytrace=False)
        pytest.skip(msg)
    return path


def launch_chromium(playwright):  # playwright's sync API object
    path = chromium_path()
    if path is None:
        raise RuntimeError("chromium not found")
    return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)


class PageWatch:
    """Collects what a page did wrong: console errors, failed requests, requests that left 127.0.0.1."""

    def __init__(self, page) -> None:
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.external_requests: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        page.on("requestfailed", lambda req: self.failed_requests.append(f"{req.url} ({req.failure})"))
        page.on("request", self._on_request)

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text)

    def _on_request(self, req) -> None:
        url = req.url
        if url.startswith(("http://", "https://", "ws://", "wss://")) and "//127.0.0.1" not in url:
            self.external_requests.append(url)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"failed request: {m}" for m in self.failed_requests]
            + [f"request off this machine: {m}" for m in self.external_requests]
        )


@dataclass
class Fetch:
    """One HTTP request of a page as Chromium's network layer saw it."""

    url: str
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)  # response headers, names in lower case
    from_cache: bool = False  # answered from the browser's memory or disk cache, nothing asked of the server
    network_bytes: int = 0  # bytes received over the network: headers and body as sent (compressed), 0 if cached
    done: bool = False


class Transfers:
    """Every HTTP request of a page and the bytes it cost on the network, from the Chrome DevTools Protocol.

    What crossed the network, as a learner's connection carries it: compressed bodies count compressed, a
    response from the browser's cache counts 0, a revalidation (304) its headers. Websocket frames are not
    counted. Start it before the page navigates.
    """

    def __init__(self, page) -> None:
        self.fetches: dict[str, Fetch] = {}
        self._cdp = page.context.new_cdp_session(page)
        self._cdp.on("Network.requestWillBeSent", self._sent)
        self._cdp.on("Network.responseReceived", self._received)
        self._cdp.on("Network.requestServedFromCache", self._cached)
        self._cdp.on("Network.loadingFinished", self._finished)
        self._cdp.send("Network.enable")

    def _fetch(self, event: dict) -> Fetch:
        return self.fetches.setdefault(event["requestId"], Fetch(url=""))

    def _sent(self, event: dict) -> None:
        self._fetch(event).url = event["request"]["url"]

    def _received(self, event: dict) -> None:
        fetch, response = self._fetch(event), event["response"]
        fetch.url = response["url"]
        fetch.status = response["status"]
        fetch.headers = {k.lower(): v for k, v in response["headers"].items()}
        fetch.from_cache = fetch.from_cache or response.get("fromDiskCache", False)

    def _cached(self, event: dict) -> None:
        self._fetch(event).from_cache = True

    def _finished(self, event: dict) -> None:
        fetch = self._fetch(event)
        fetch.network_bytes = 0 if fetch.from_cache else int(event["encodedDataLength"])
        fetch.done = True

    def network_bytes(self) -> int:
        """Bytes received over the network so far, all requests together."""
        return sum(f.network_bytes for f in self.fetches.values())

    def matching(self, part: str) -> list[Fetch]:
        """The finished requests whose URL contains ``part``."""
        return [f for f in self.fetches.values() if f.done and part in f.url]

    def detach(self) -> None:
        self._cdp.detach()


# The page is interactive: a slider handle, the results text written by the kernel, and a Bokeh canvas exist.
READY_JS = """
() => {
  const handle = document.querySelector('.noUi-handle');
  const results = document.querySelector('.qdpv-results');
  const hasCanvas = (root) => !!root.querySelector('canvas')
    || [...root.querySelectorAll('*')].some((e) => e.shadowRoot && hasCanvas(e.shadowRoot));
  const canvas = hasCanvas(document);
  return !!(handle && results && results.textContent.trim().length > 0 && canvas);
}
"""


# The gallery is interactive: its links to the apps exist.
GALLERY_READY_JS = "() => !!document.querySelector(\"a[href$='01_msn_templating.ipynb']\")"


# The id of the kernel Voila gave the page.
KERNEL_ID_JS = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"


# Records what the page sends to the kernel (as text: the JSON parts of the v1 binary frames stay readable),
# for tests that check what one key press makes the browser send. Added with ``context.add_init_script``.
RECORD_SENT_JS = """
window.__qdpvSent = [];
const __qdpvSend = WebSocket.prototype.send;
const __qdpvText = new TextDecoder();
WebSocket.prototype.send = function (data) {
  window.__qdpvSent.push(typeof data === 'string' ? data : __qdpvText.decode(data));
  return __qdpvSend.call(this, data);
};
"""


def sent_since(page, mark: int) -> list[str]:
    """What the page has sent over websockets since ``mark`` (a length of ``window.__qdpvSent``)."""
    return page.evaluate("(mark) => window.__qdpvSent.slice(mark)", mark)


def open_app(page, url: str, timeout_ms: float = 60_000) -> float:
    """Open ``url`` and wait until the app is interactive; return the time this took, in seconds.

    Interactive means: a slider handle can take focus, the results text has been written by the kernel and a
    Bokeh canvas exists.
    """
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(READY_JS, timeout=timeout_ms, polling=50)
    return time.perf_counter() - t0


# Times one real key press on a slider handle. The clock starts in the page at the keydown event itself, so
# playwright's own round trips are not counted. Two times come back: until the results text changed, and until
# the last canvas drawing call of the update. The kernel sends the text first and the figures' patch right
# after it; Bokeh paints on animation frames, so the update counts as painted once no canvas has been drawn
# for QUIET_MS after the text changed (nothing in the apps animates on its own). ``drew`` says whether any
# canvas was drawn after the key press at all, i.e. whether a figure changed.
QUIET_MS = 250
ARM_JS = """
(index) => {
  if (!window.__qdpvDrawHooked) {
    window.__qdpvDrawHooked = true;
    window.__qdpvLastDraw = 0;
    const proto = CanvasRenderingContext2D.prototype;
    for (const name of ['stroke', 'fill', 'fillRect', 'fillText']) {
      const orig = proto[name];
      proto[name] = function (...args) { window.__qdpvLastDraw = performance.now(); return orig.apply(this, args); };
    }
  }
  // the HTML widget replaces its content on every update: watch its container, which stays
  const results = document.querySelector('.qdpv-results');
  const target = results ? results.parentElement : document.querySelector('.widget-html-content');
  const handle = document.querySelectorAll('.noUi-handle')[index];
  const state = {t0: null, text: null, painted: null, drew: null};
  window.__qdpvLatency = state;
  const before = target.innerHTML;
  handle.addEventListener('keydown', () => { state.t0 = performance.now(); }, {once: true, capture: true});
  const settle = () => {
    const now = performance.now();
    const last = Math.max(state.t0 + state.text, window.__qdpvLastDraw);
    if (now - last < QUIET_MS) { requestAnimationFrame(settle); return; }
    state.drew = window.__qdpvLastDraw > state.t0;
    state.painted = state.drew ? Math.max(state.text, window.__qdpvLastDraw - state.t0) : state.text;
  };
  const obs = new MutationObserver(() => {
    if (state.t0 === null || target.innerHTML === before) return;
    obs.disconnect();
    state.text = performance.now() - state.t0;
    requestAnimationFrame(settle);
  });
  obs.observe(target, {subtree: true, childList: true, characterData: true});
  handle.focus();
}
""".replace("QUIET_MS", str(QUIET_MS))


def key_latency_ms(page, slider_index: int = 0, key: str = "ArrowRight", *,
                   timeout_ms: float = 10_000) -> dict[str, float]:
    """Press ``key`` on slider ``slider_index``; return ms until the results text changed and until painted.

    ``timeout_ms`` bounds the wait for the repaint (the load test allows more on a saturated machine). Also
    ``drew``: whether any figure was repainted after the key press.
    """
    page.evaluate(ARM_JS, slider_index)
    page.keyboard.press(key)
    page.wait_for_function("() => window.__qdpvLatency.painted !== null", timeout=timeout_ms, polling="raf")
    state = page.evaluate("() => window.__qdpvLatency")
    return {"text_ms": state["text"], "painted_ms": state["painted"], "drew": state["drew"]}


# -- accessibility ---------------------------------------------------------------------------------------------

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
"""axe-core's rule tags for WCAG 2.1 levels A and AA (the rules of WCAG 2.0 A/AA and those WCAG 2.1 added)."""


def axe_script() -> str:
    """axe-core's ``axe.min.js``, from the PyPI package ``axe-playwright-python`` (requirements-test.txt)."""
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page, tags=AXE_TAGS) -> list[dict]:
    """Run axe-core on the whole page (open shadow roots included) with the rules tagged ``tags``.

    Returns axe's violations, each with ``id``, ``impact``, ``help`` and ``nodes`` (``target``,
    ``failureSummary``).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_script())
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(tags),
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    """axe's violations in a few readable lines (rule, impact, count, first element and why)."""
    lines = []
    for v in violations:
        node = v["nodes"][0]
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}; first: "
                     f"{node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


# What has keyboard focus, looking into open shadow roots (Bokeh's elements live in them): its tag, role, accessible
# name as a screen reader would compute it for these elements (aria-label, aria-labelledby, a <label>, the text
# of a button or link, a title), whether it is in a shadow root, and its focus outline.
FOCUSED_JS = """
() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const byIds = (ids) => ids.split(/\\s+/).map((id) => el.getRootNode().getElementById(id))
    .filter(Boolean).map((e) => e.textContent).join(' ');
  const textual = ['A', 'BUTTON', 'SUMMARY'].includes(el.tagName) || el.getAttribute('role') === 'button';
  const name = (el.getAttribute('aria-label')
    || (el.getAttribute('aria-labelledby') && byIds(el.getAttribute('aria-labelledby')))
    || (el.labels && el.labels.length && [...el.labels].map((l) => l.textContent).join(' '))
    || (textual && el.textContent) || el.getAttribute('title') || '').trim();
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {tag: el.tagName, role: el.getAttribute('role'), name, inShadow: el.getRootNode() !== document,
          outline: [style.outlineStyle, parseFloat(style.outlineWidth)], boxShadow: style.boxShadow,
          x: box.x, y: box.y, className: String(el.className)};
}
"""


def tab_stops(page, max_stops: int = 80) -> list[dict]:
    """Press Tab from the top of the page until focus leaves the page or comes back; what each stop was.

    Each stop as :data:`FOCUSED_JS` describes it; at most ``max_stops``.
    """
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops: list[dict] = []
    seen: set[tuple] = set()
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED_JS)
        if stop is None:
            if stops:
                break
            continue
        key = (stop["tag"], stop["className"], round(stop["x"]), round(stop["y"]), stop["name"])
        if key in seen:
            break
        seen.add(key)
        stops.append(stop)
    return stops
