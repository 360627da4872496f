"""Time-to-interactive, slider latency, kernel memory and bytes on the network of every app in headless Chromium,
beside the floor.

The floor is ``benchmarks/floor/trivial.ipynb`` (one slider, one Bokeh line, one HTML label): what Voila,
ipywidgets and jupyter_bokeh cost before any qdpv code runs. Every app and the floor are measured in the same
run, on the same machine, so their ratio is meaningful even where absolute numbers are not.

Each load opens the app twice in one fresh browser context (a learner's browser): first *cold* (nothing cached),
then, once that page has been closed, *warm* (the browser's cache holds what the first page fetched: the kit's
BokehJS, Voila's and the widgets' bundles, the same files every page of the kit loads, so the warm page costs
what a learner's second app costs). Each page gets a new kernel (no preheated kernels).

- time-to-interactive: from navigation start until a slider handle, the results text and a canvas exist
  (``qdpv_testing.browser.open_app``).
- latency: a real ArrowRight/ArrowLeft key press on the first slider until the results text changed
  ("text") and until the last canvas drawing call of that update ("painted": the last draw before the
  figures stayed unchanged for ``qdpv_testing.browser.QUIET_MS``); the clock runs in the page, from the keydown
  event; on the cold page of the last load.
- page HTML: from navigation start until the first and the last byte of the page itself (the browser's
  navigation timing, ``responseStart`` / ``responseEnd``), on the warm page: what the server spends starting the
  kernel, rendering the template and running the notebook, while the browser loads and runs the scripts.
- kernel memory: resident set size of the cold page's kernel after loading (psutil).
- transferred: bytes received over the network by the page until it is idle (Chrome DevTools Protocol,
  ``qdpv_testing.browser.Transfers``): compressed bodies count compressed, files from the browser's cache 0;
  the kernel websocket's frames are not counted.

The run waits until the machine's 1-minute load average is under ``--max-load`` (other work on a shared machine
slows every figure) and reports it at the start and the end.

Usage::

    .venv/bin/python benchmarks/bench_apps.py                 # all apps, writes docs/performance.md
    .venv/bin/python benchmarks/bench_apps.py --loads 2 --presses 10 --only 02 --no-write
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from dataclasses import dataclass, field

from qdpv_testing import ROOT, app_notebooks, quoted, reports
from qdpv_testing.browser import QUIET_MS, READY_JS, Transfers, key_latency_ms, launch_chromium
from qdpv_testing.reports import median_max
from qdpv_testing.server import VoilaServer, kernels, voila_server

FLOOR = ROOT / "benchmarks" / "floor" / "trivial.ipynb"
FLOOR_READY_JS = READY_JS.replace("results && results.textContent.trim().length > 0 && ", "")
NAVIGATION_JS = ("(() => { const n = performance.getEntriesByType('navigation')[0]; "
                 "return [n.responseStart, n.responseEnd]; })()")
LEAVE_S = 10.0  # the longest wait for a closed page's kernel to be shut down


@dataclass
class Result:
    name: str
    tti_s: list[float] = field(default_factory=list)
    tti_warm_s: list[float] = field(default_factory=list)
    html_first_ms: list[float] = field(default_factory=list)
    html_last_ms: list[float] = field(default_factory=list)
    text_ms: list[float] = field(default_factory=list)
    painted_ms: list[float] = field(default_factory=list)
    kernel_mb: list[float] = field(default_factory=list)
    cold_mb: list[float] = field(default_factory=list)
    warm_kb: list[float] = field(default_factory=list)


def open_page(context, server: VoilaServer, url: str, ready_js: str):
    """Open ``url`` in a new page of ``context`` until interactive and idle: (page, seconds, bytes, its kernel)."""
    known = set(kernels(server.pid))
    page = context.new_page()
    transfers = Transfers(page)
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(ready_js, timeout=120_000, polling=50)
    tti = time.perf_counter() - t0
    page.wait_for_load_state("networkidle")
    new = [p for kernel_id, p in kernels(server.pid).items() if kernel_id not in known]
    return page, tti, transfers.network_bytes(), new


def close_page(page, server: VoilaServer, kernel_procs) -> None:
    """Close ``page`` as a learner closes a tab; wait (at most LEAVE_S) until Voila has shut its kernel down."""
    page.close(run_before_unload=True)
    deadline = time.monotonic() + LEAVE_S
    while any(p.is_running() for p in kernel_procs) and time.monotonic() < deadline:
        time.sleep(0.1)


def measure(browser, server: VoilaServer, url: str, name: str, loads: int, presses: int, ready_js: str):
    res = Result(name)
    for i in range(loads):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page, tti, cold_bytes, new = open_page(context, server, url, ready_js)
        res.tti_s.append(tti)
        res.cold_mb.append(cold_bytes / 1e6)
        if new:
            res.kernel_mb.append(max(p.memory_info().rss for p in new) / 1e6)
        if i == loads - 1:
            for k in range(presses):
                t = key_latency_ms(page, 0, "ArrowRight" if k % 2 == 0 else "ArrowLeft")
                res.text_ms.append(t["text_ms"])
                res.painted_ms.append(t["painted_ms"])
        close_page(page, server, new)
        page, tti, warm_bytes, new = open_page(context, server, url, ready_js)
        res.tti_warm_s.append(tti)
        first_ms, last_ms = page.evaluate(NAVIGATION_JS)
        res.html_first_ms.append(first_ms)
        res.html_last_ms.append(last_ms)
        res.warm_kb.append(warm_bytes / 1e3)
        close_page(page, server, new)
        context.close()
    return res


def report(results: list[Result], loads: int, presses: int, load_avg: tuple[float, float]) -> str:
    floor = results[0]
    rows = [
        "| app | time-to-interactive, s (median / max) | x floor | warm: time-to-interactive, s (median / max) "
        "| warm: page HTML first / last byte, ms (median) "
        "| slider -> painted, ms (median / max) | slider -> text, ms (median / max) | kernel RSS, MB "
        "| transferred cold, MB | transferred warm, kB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = statistics.median(r.tti_s) / statistics.median(floor.tti_s)
        rows.append(
            f"| {r.name} | {median_max(r.tti_s, 2)} | {ratio:.2f} | {median_max(r.tti_warm_s, 2)} "
            f"| {statistics.median(r.html_first_ms):.0f} / {statistics.median(r.html_last_ms):.0f} "
            f"| {median_max(r.painted_ms)} | {median_max(r.text_ms)} | {median_max(r.kernel_mb)} "
            f"| {median_max(r.cold_mb, 2)} | {median_max(r.warm_kb)} |"
        )
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Performance",
            "",
            "Written by `benchmarks/bench_apps.py` (do not edit by hand; run it again instead).",
            "",
            f"- Run: {now}; {loads} loads per app, each in a fresh browser context: the app opened cold (nothing "
            "cached), closed, and opened again warm (the browser's cache holds the kit's and Voila's static files, "
            f"as for a learner's second app); a new kernel for each page; {presses} key presses on the first "
            "slider of the last cold page.",
            f"- Machine: {reports.machine()}; 1-min load average {load_avg[0]:.1f} at the start and "
            f"{load_avg[1]:.1f} at the end of the run.",
            "- *floor*: `benchmarks/floor/trivial.ipynb`, one slider, one Bokeh line, one HTML label, measured in "
            "the same run: the cost of Voila + ipywidgets + jupyter_bokeh before any qdpv code.",
            "- *painted*: key press until the last canvas drawing call of the update (the last draw before no "
            f"canvas was drawn for {QUIET_MS} ms); *text*: until the results text changed (the kernel sends "
            "the text first, then the figures). The clock runs in the page, from the keydown event.",
            "- *page HTML*: navigation start until the first and the last byte of the page itself (navigation "
            "timing), warm page: the server's part (kernel start, template, the notebook run), while the browser "
            "already loads and runs the scripts the page names first.",
            "- *transferred*: bytes the page received over the network until idle (compressed as sent; files "
            "from the browser's cache count 0; kernel websocket frames not counted), median / max.",
            "- Goals: painted median under 100 ms for every app; an app page at most 3 MB cold and 300 kB warm.",
            "",
            *rows,
            "",
            "Diode speed against pvlib: run `benchmarks/bench_diode.py` (prints its own table).",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5, help="loads per app, each cold then warm (default 5)")
    parser.add_argument("--presses", type=int, default=20, help="key presses timed per app (default 20)")
    parser.add_argument("--only", default="", help="only notebooks whose name contains this text")
    parser.add_argument("--no-write", action="store_true", help="print the report, do not write docs/")
    parser.add_argument("--max-load", type=float, default=1.5,
                        help="wait until the 1-minute load average is under this before starting (default 1.5)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    apps = app_notebooks(args.only)
    results = []
    load_at_start = reports.wait_for_quiet_machine(args.max_load)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        with voila_server(FLOOR) as server:
            results.append(measure(browser, server, server.url + "/", "floor", args.loads, args.presses,
                                   FLOOR_READY_JS))
        with voila_server() as server:
            for app in apps:
                url = f"{server.url}/voila/render/{app}"
                results.append(measure(browser, server, url, app, args.loads, args.presses, READY_JS))
                print(f"measured {app}", file=sys.stderr)
        browser.close()
    text = report(results, args.loads, args.presses, (load_at_start, os.getloadavg()[0]))
    print(text)
    if not args.no_write:
        path = reports.PERFORMANCE_MD
        path.write_text(text + reports.kept_sections(path))
        quoted.refresh()  # the figures README.md quotes from this table


if __name__ == "__main__":
    main()
