"""One learner's Jupyter server, as Binder and the class image run the kit: its memory over a session, and the CPU
it spends to open each page.

The server is a Jupyter server with Voila as its extension, set up by ``binder/postBuild`` in a scratch home
directory and serving the repository, so that pages are at ``/voila/render/notebooks/<page>`` as on Binder and
the hub (``qdpv_testing.server.jupyter_server_with_voila``; the hub's ``jupyterhub-singleuser`` is the same
server behind the hub's login). One learner in headless Chromium, one browser context for the whole session (its
cache warms as a learner's does): the gallery, then ``--rounds`` rounds of the gallery and the six apps. Each page
is opened until interactive, the server and the page's kernel are left to go quiet, and the page is closed like
a tab (its kernel is shut down) before the next one opens.

- *server RSS*: resident set size of the server process alone (psutil): before any page, after the first
  gallery, after each round; *growth per page*: from the end of the first round to the end of the session,
  divided by the pages opened in between (the first round loads code and templates once).
- *CPU to open a page*: user + system CPU seconds of the server process and of the page's new kernel, from the
  request until both are quiet (``qdpv_testing.server.wait_until_quiet``), median / max over the rounds.

Writes (or replaces) the "## One learner's Jupyter server" section of docs/performance.md and refreshes the
figures docs/deploy.md quotes from it (``scripts/quote_numbers.py``). Waits, like ``bench_apps.py``, until the
machine's 1-minute load average is under ``--max-load``.

Usage::

    .venv/bin/python benchmarks/bench_learner_server.py              # 3 rounds, writes docs/performance.md
    .venv/bin/python benchmarks/bench_learner_server.py --rounds 1 --no-write
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from qdpv_testing import GALLERY, app_notebooks, quoted, reports
from qdpv_testing.browser import GALLERY_READY_JS, READY_JS, launch_chromium
from qdpv_testing.reports import median_max
from qdpv_testing.server import cpu_seconds, is_kernel_template, jupyter_server_with_voila, kernels, wait_until_quiet

SECTION = "## One learner's Jupyter server"
POLL_S = 0.25
LEAVE_S = 10.0  # the longest wait for a closed page's kernel to be shut down


@dataclass
class Session:
    server_cpu_s: dict[str, list[float]] = field(default_factory=dict)
    kernel_cpu_s: dict[str, list[float]] = field(default_factory=dict)
    rss_mb: list[tuple[str, float]] = field(default_factory=list)  # (when, server RSS)
    pages: int = 0
    template: str = "none (kernels started normally)"  # the kernels' template: CPU and memory at the end


def open_and_close(context, srv, notebook: str, session: Session) -> None:
    """Open ``notebook`` until interactive and quiet, record the CPU it took, close it and wait for its kernel."""
    server = psutil.Process(srv.pid)
    known = set(kernels(srv.pid))
    server_before = cpu_seconds([server])
    page = context.new_page()
    page.goto(f"{srv.url}/voila/render/notebooks/{notebook}?{srv.query}", wait_until="commit")
    page.wait_for_function(GALLERY_READY_JS if notebook == GALLERY else READY_JS, timeout=180_000, polling=50)
    new = [p for kernel_id, p in kernels(srv.pid).items() if kernel_id not in known]
    wait_until_quiet(lambda: [server, *new], poll_s=POLL_S, timeout_s=180.0, what=f"{notebook}'s server and kernel")
    session.server_cpu_s.setdefault(notebook, []).append(cpu_seconds([server]) - server_before)
    session.kernel_cpu_s.setdefault(notebook, []).append(cpu_seconds(new))
    page.close(run_before_unload=True)
    deadline = time.monotonic() + LEAVE_S
    while any(p.is_running() for p in new) and time.monotonic() < deadline:
        time.sleep(0.1)
    session.pages += 1


def rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 1e6


def report(session: Session, rounds: int, load_avg: tuple[float, float]) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        "| page | CPU to open, server, s (median / max) | CPU to open, its kernel, s (median / max) "
        "| CPU to open, together, s (median / max) |",
        "|---|---|---|---|",
    ]
    for notebook, server_s in session.server_cpu_s.items():
        kernel_s = session.kernel_cpu_s[notebook]
        together = [a + b for a, b in zip(server_s, kernel_s, strict=True)]
        rows.append(f"| {notebook} | {median_max(server_s, 1)} | {median_max(kernel_s, 1)} "
                    f"| {median_max(together, 1)} |")
    after_first = dict(session.rss_mb)["after round 1"]
    later_pages = (rounds - 1) * (1 + len(app_notebooks()))
    growth = (session.rss_mb[-1][1] - after_first) / later_pages if later_pages else float("nan")
    memory = [
        "| server RSS | MB |",
        "|---|---|",
        *(f"| {when} | {mb:.0f} |" for when, mb in session.rss_mb),
        f"| growth per page after round 1 | {growth:.1f} |",
    ]
    return "\n".join([
        SECTION,
        "",
        "Written by `benchmarks/bench_learner_server.py` (do not edit by hand; run it again instead).",
        "",
        f"- Run: {now}; a Jupyter server with Voila as its extension, set up by `binder/postBuild` in a scratch home "
        "directory (as on Binder and in the class image); one learner in headless Chromium, one browser context: "
        f"the gallery, then {rounds} round(s) of the gallery and the six apps, {session.pages} pages, each opened "
        "until interactive and quiet, then closed like a tab (its kernel shut down).",
        f"- Machine: {reports.machine()}; 1-min load average {load_avg[0]:.1f} at the start and "
        f"{load_avg[1]:.1f} at the end of the run.",
        "- *CPU to open*: user + system CPU seconds of the server process and of the page's new kernel, from "
        "the request until both are quiet; *server RSS*: the server process alone (its kernels not counted).",
        f"- The kernels' template (`qdpv.serving.kernel_template`, started with the first page, once per server; its "
        f"CPU is in no page's figure): {session.template}.",
        "",
        *rows,
        "",
        *memory,
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the gallery and the six apps (default 3)")
    parser.add_argument("--no-write", action="store_true", help="print the section, do not write docs/")
    parser.add_argument("--max-load", type=float, default=1.5,
                        help="wait until the 1-minute load average is under this before starting (default 1.5)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    session = Session()
    load_at_start = reports.wait_for_quiet_machine(args.max_load)
    with (tempfile.TemporaryDirectory() as home, jupyter_server_with_voila(Path(home), timeout_s=120.0) as srv,
          sync_playwright() as pw):
        wait_until_quiet(lambda: [psutil.Process(srv.pid)], poll_s=POLL_S, timeout_s=120.0, what="the server")
        session.rss_mb.append(("before any page", rss_mb(srv.pid)))
        browser = launch_chromium(pw)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        open_and_close(context, srv, GALLERY, session)
        session.rss_mb.append(("after the gallery", rss_mb(srv.pid)))
        for i in range(args.rounds):
            for notebook in [GALLERY, *app_notebooks()]:
                open_and_close(context, srv, notebook, session)
            session.rss_mb.append((f"after round {i + 1}", rss_mb(srv.pid)))
            print(f"round {i + 1} of {args.rounds} measured", file=sys.stderr)
        browser.close()
        for child in psutil.Process(srv.pid).children():
            if is_kernel_template(child):
                memory = child.memory_full_info()
                session.template = (f"{cpu_seconds([child]):.1f} CPU s in all, RSS {memory.rss / 1e6:.0f} MB, "
                                    f"PSS {memory.pss / 1e6:.0f} MB")
    section = report(session, args.rounds, (load_at_start, os.getloadavg()[0]))
    print(section)
    if not args.no_write:
        reports.replace_section(reports.PERFORMANCE_MD, SECTION, section)
        quoted.refresh()  # the figures docs/deploy.md quotes from this section


if __name__ == "__main__":
    main()
