"""Preheated kernels: time-to-interactive of the gallery and every app, Voila's kernel pools filled vs off.

Two servers serving notebooks/ with the shipped ``voila.json``: one with preheating turned off (each page
starts its kernel and runs the notebook), one as shipped (preheated kernel pools). Each is measured as it
starts, the other one idle:

- first load: the gallery opened as soon as the server answers, while the pools are still filling;
- start: seconds from launch until every pooled kernel has run its notebook (server and kernels quiet), and
  the resident memory (RSS, psutil) of the server and of its waiting kernels then.

Then, both servers up, the loads alternate between them, in rounds over all notebooks: time-to-interactive
of the gallery and of every app, each load in a fresh browser context, started once both servers are quiet (a
pool has replaced the kernel the previous load took). Interactive means ``qdpv_testing.browser.READY_JS`` for
an app, the links to the apps for the gallery.

Writes (or replaces) the "## Preheated kernels" section of docs/performance.md, keeping the rest of the file.

Usage::

    .venv/bin/python benchmarks/bench_preheat.py                 # gallery and every app, 3 loads each
    .venv/bin/python benchmarks/bench_preheat.py --loads 1 --only 02 --no-write
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field

import psutil

from qdpv_testing import GALLERY, NOTEBOOKS, ROOT, app_notebooks, reports
from qdpv_testing.browser import GALLERY_READY_JS, KERNEL_ID_JS, READY_JS, launch_chromium
from qdpv_testing.reports import median_max
from qdpv_testing.server import QUIET_S, VoilaServer, kernels, voila_server, wait_until_quiet

SECTION = "## Preheated kernels"
POLL_S = 0.25


@dataclass
class Mode:
    name: str
    preheat: bool
    server: VoilaServer | None = None
    taken: set[str] = field(default_factory=set)  # kernels the loads took (not waiting in a pool)
    kernels: int = 0  # kernels waiting in pools when settled
    settle_s: float = 0.0
    server_mb: float = 0.0
    kernels_mb: float = 0.0
    first_gallery_s: float = 0.0
    tti_s: dict[str, list[float]] = field(default_factory=dict)


def pooled_kernels(preheat: bool) -> int:
    """How many kernels voila.json keeps waiting for the notebooks in notebooks/ (Voila 0.5.13's rules)."""
    config = json.loads((ROOT / "voila.json").read_text())
    if not (preheat and config["VoilaConfiguration"].get("preheat_kernel")):
        return 0
    default_size = config["VoilaConfiguration"].get("default_pool_size", 1)
    pools = config.get("VoilaKernelManager", {}).get("kernel_pools_config",
                                                     {"default": {"pool_size": default_size}})
    default = pools.get("default", {})
    return sum(pools.get(nb.name, default).get("pool_size", default.get("pool_size", 1))
               for nb in NOTEBOOKS.glob("*.ipynb"))


def settle(mode: Mode, timeout_s: float = 300.0) -> None:
    """Wait until the pools are full and the server and all its kernels have been quiet for QUIET_S."""

    def server_and_kernels() -> list[psutil.Process] | None:
        found = kernels(mode.server.pid)
        full = len(found.keys() - mode.taken) == mode.kernels
        return [psutil.Process(mode.server.pid), *found.values()] if full else None

    wait_until_quiet(server_and_kernels, poll_s=POLL_S, timeout_s=timeout_s, what=f"{mode.name}: the server")


def load(browser, mode: Mode, notebook: str) -> float:
    """Open ``notebook`` in a fresh browser context; return the time until it is interactive."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(f"{mode.server.url}/voila/render/{notebook}", wait_until="commit")
    page.wait_for_function(GALLERY_READY_JS if notebook == GALLERY else READY_JS,
                           timeout=180_000, polling=50)
    tti = time.perf_counter() - t0
    mode.taken.add(page.evaluate(KERNEL_ID_JS))
    # leaving the page: it asks Voila to shut its kernel down, with the _xsrf cookie its kernel websocket set
    # (qdpv.serving.websocket; before, this script gave the browser a made-up cookie to the same end)
    page.goto("about:blank")
    context.close()
    return tti


def start(stack: contextlib.ExitStack, browser, mode: Mode) -> None:
    """Launch the mode's server, open the gallery as soon as it answers, then measure it settled."""
    t_launch = time.monotonic()
    mode.server = stack.enter_context(voila_server(preheat=mode.preheat, timeout_s=120.0))
    mode.first_gallery_s = load(browser, mode, GALLERY)
    mode.kernels = pooled_kernels(mode.preheat)
    settle(mode)
    mode.settle_s = time.monotonic() - t_launch - QUIET_S
    mode.server_mb = psutil.Process(mode.server.pid).memory_info().rss / 1e6
    waiting = [proc for kid, proc in kernels(mode.server.pid).items() if kid not in mode.taken]
    mode.kernels_mb = sum(proc.memory_info().rss for proc in waiting) / 1e6


def report(off: Mode, on: Mode, loads: int, load_avg: tuple[float, float]) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        "| notebook | time-to-interactive, preheat off, s (median / max) | pool filled, s (median / max) "
        "| saved, s |",
        "|---|---|---|---|",
    ]
    for nb, cold in off.tti_s.items():
        warm = on.tti_s[nb]
        saved = statistics.median(cold) - statistics.median(warm)
        rows.append(f"| {nb} | {median_max(cold, 2)} | {median_max(warm, 2)} | {saved:.2f} |")
    at_start = [
        "| at server start | preheat off | preheat on (shipped) |",
        "|---|---|---|",
        f"| kernels running once settled | {off.kernels} | {on.kernels} |",
        f"| RSS of the Voila server, MB | {off.server_mb:.0f} | {on.server_mb:.0f} |",
        f"| RSS of its kernels, MB | {off.kernels_mb:.0f} | {on.kernels_mb:.0f} |",
        f"| s from launch until the server and its kernels are quiet (pools filled) | {off.settle_s:.1f} "
        f"| {on.settle_s:.1f} |",
        f"| gallery opened as soon as the server answers, s | {off.first_gallery_s:.2f} "
        f"| {on.first_gallery_s:.2f} |",
    ]
    return "\n".join([
        SECTION,
        "",
        "Written by `benchmarks/bench_preheat.py` (do not edit by hand; run it again instead).",
        "",
        f"- Run: {now}; {loads} load(s) per notebook and mode, each in a fresh browser context, the two "
        "servers up side by side and their loads alternating, in rounds over all notebooks; each load starts "
        "once both servers and their kernels are quiet (with preheating: once the pool has replaced the "
        "kernel the previous load took).",
        f"- Machine: {reports.machine()}; 1-min load average {load_avg[0]:.1f} at the start and "
        f"{load_avg[1]:.1f} at the end of the run (a shared machine: compare the modes, not runs).",
        "- *preheat off*: `--VoilaConfiguration.preheat_kernel=False`, every page starts a kernel and runs "
        "the notebook; *pool filled*: `voila.json` as shipped, the page takes a kernel that has already run "
        "it.",
        "",
        *rows,
        "",
        *at_start,
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=3, help="loads per notebook and mode (default 3)")
    parser.add_argument("--only", default="", help="only apps whose name contains this text (gallery always)")
    parser.add_argument("--no-write", action="store_true", help="print the section, do not write docs/")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    apps = app_notebooks(args.only)
    off, on = Mode("preheat off", preheat=False), Mode("pool filled", preheat=True)
    load_at_start = os.getloadavg()[0]
    with sync_playwright() as pw, contextlib.ExitStack() as servers:
        browser = launch_chromium(pw)
        for mode in (off, on):
            start(servers, browser, mode)
        # Both servers stay up and the loads alternate between them, in rounds over all notebooks: a burst of
        # other work on the machine hits both modes alike and only one load of each notebook.
        for i in range(args.loads):
            for notebook in [GALLERY, *apps]:
                for mode in (off, on):
                    for m in (off, on):
                        settle(m)
                    mode.tti_s.setdefault(notebook, []).append(load(browser, mode, notebook))
            print(f"round {i + 1} of {args.loads} measured", file=sys.stderr)
        browser.close()
    section = report(off, on, args.loads, (load_at_start, os.getloadavg()[0]))
    print(section)
    if not args.no_write:
        reports.replace_section(reports.PERFORMANCE_MD, SECTION, section)


if __name__ == "__main__":
    main()
