"""Time-to-interactive, slider latency and kernel memory of every app, in headless Chromium, beside the floor.

The floor is ``benchmarks/floor/trivial.ipynb`` (one slider, one Bokeh line, one HTML label): what Voila,
ipywidgets and jupyter_bokeh cost before any qdpv code runs. Every app and the floor are measured in the same
run, on the same machine, so their ratio is meaningful even where absolute numbers are not.

- time-to-interactive: from navigation start until a slider handle, the results text and a canvas exist
  (``qdpv_testing.browser.open_app``), each load in a fresh browser context (nothing cached), cold kernel.
- latency: a real ArrowRight/ArrowLeft key press on the first slider until the results text changed
  ("text") and until the last canvas drawing call of that update ("painted": the last draw before the
  figures stayed unchanged for ``qdpv_testing.browser.QUIET_MS``); the clock runs in the page, from the keydown event.
- kernel memory: resident set size of the app's kernel process after loading (psutil).
- transferred: bytes of all responses of one load.

Usage::

    .venv/bin/python benchmarks/bench_apps.py                 # all apps, writes docs/performance.md
    .venv/bin/python benchmarks/bench_apps.py --loads 2 --presses 10 --only 02 --no-write
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from dataclasses import dataclass, field

from qdpv_testing import ROOT, app_notebooks, quoted, reports
from qdpv_testing.browser import QUIET_MS, READY_JS, key_latency_ms, launch_chromium
from qdpv_testing.reports import median_max
from qdpv_testing.server import VoilaServer, kernels, voila_server

FLOOR = ROOT / "benchmarks" / "floor" / "trivial.ipynb"
FLOOR_READY_JS = READY_JS.replace("results && results.textContent.trim().length > 0 && ", "")


@dataclass
class Result:
    name: str
    tti_s: list[float] = field(default_factory=list)
    text_ms: list[float] = field(default_factory=list)
    painted_ms: list[float] = field(default_factory=list)
    kernel_mb: list[float] = field(default_factory=list)
    transferred_mb: list[float] = field(default_factory=list)


def measure(browser, server: VoilaServer, url: str, name: str, loads: int, presses: int, ready_js: str):
    res = Result(name)
    for i in range(loads):
        known = set(kernels(server.pid))
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        sizes: list[int] = []
        page.on("requestfinished", lambda req, sizes=sizes: sizes.append(req.sizes()["responseBodySize"]))
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(ready_js, timeout=120_000, polling=50)
        res.tti_s.append(time.perf_counter() - t0)
        page.wait_for_load_state("networkidle")
        res.transferred_mb.append(sum(sizes) / 1e6)
        new = [p for kernel_id, p in kernels(server.pid).items() if kernel_id not in known]
        if new:
            res.kernel_mb.append(max(p.memory_info().rss for p in new) / 1e6)
        if i == loads - 1:
            for k in range(presses):
                t = key_latency_ms(page, 0, "ArrowRight" if k % 2 == 0 else "ArrowLeft")
                res.text_ms.append(t["text_ms"])
                res.painted_ms.append(t["painted_ms"])
        context.close()
        time.sleep(1.0)  # let Voila shut the page's kernel down before the next load
    return res


def report(results: list[Result], loads: int, presses: int) -> str:
    floor = results[0]
    rows = [
        "| app | time-to-interactive, s (median / max) | x floor | slider -> painted, ms (median / max) "
        "| slider -> text, ms (median / max) | kernel RSS, MB | transferred per load, MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = statistics.median(r.tti_s) / statistics.median(floor.tti_s)
        rows.append(
            f"| {r.name} | {median_max(r.tti_s, 2)} | {ratio:.2f} | {median_max(r.painted_ms)} "
            f"| {median_max(r.text_ms)} | {median_max(r.kernel_mb)} | {median_max(r.transferred_mb, 1)} |"
        )
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Performance",
            "",
            "Written by `benchmarks/bench_apps.py` (do not edit by hand; run it again instead).",
            "",
            f"- Run: {now}; {loads} cold loads per app (fresh browser context, new kernel each), "
            f"{presses} key presses on the first slider of the last load.",
            f"- Machine: {reports.machine()}.",
            "- *floor*: `benchmarks/floor/trivial.ipynb`, one slider, one Bokeh line, one HTML label, measured in "
            "the same run: the cost of Voila + ipywidgets + jupyter_bokeh before any qdpv code.",
            "- *painted*: key press until the last canvas drawing call of the update (the last draw before no "
            f"canvas was drawn for {QUIET_MS} ms); *text*: until the results text changed (the kernel sends "
            "the text first, then the figures). The clock runs in the page, from the keydown event.",
            "- Goal: painted median under 100 ms for every app.",
            "",
            *rows,
            "",
            "Diode speed against pvlib: run `benchmarks/bench_diode.py` (prints its own table).",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5, help="cold loads per app (default 5)")
    parser.add_argument("--presses", type=int, default=20, help="key presses timed per app (default 20)")
    parser.add_argument("--only", default="", help="only notebooks whose name contains this text")
    parser.add_argument("--no-write", action="store_true", help="print the report, do not write docs/")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    apps = app_notebooks(args.only)
    results = []
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
    text = report(results, args.loads, args.presses)
    print(text)
    if not args.no_write:
        path = reports.PERFORMANCE_MD
        path.write_text(text + reports.kept_sections(path))
        quoted.refresh()  # the figures README.md quotes from this table


if __name__ == "__main__":
    main()
