"""Kernels for a class: start time, CPU and memory of a learner's kernel, started normally vs forked from the
warm template (``qdpv.serving.provisioner``), with the shipped preload list (``voila.json``).

For each way of starting, in one process through jupyter_client (as Voila starts kernels), with the kernel
manager configured as ``voila.json`` configures the server's:

- *start to first reply*: from ``start_kernel`` until the kernel's first ``kernel_info`` reply, and *start to
  ready*: until the client's ``wait_for_ready`` returns (Voila waits for it before it runs a notebook),
  ms, median / max over ``--starts`` kernels started one after another; for the forked kernels, the template was
  started (and timed) before the first of them;
- then ``--class-size`` kernels stay alive together, each running the code cells of one app notebook in turn
  (what Voila runs for a page, the app displayed without a browser, in the environment Voila gives a page's
  kernel: the kit's template with its BokehJS, so that the kernel sends none). Per kernel: *CPU* (user +
  system seconds of the kernel process, from its start until the app is built: for a forked kernel, its own
  seconds after the fork; a forked kernel takes the app its template built ahead, ``qdpv.ui.kit.ahead``),
  *RSS*, *PSS* (resident memory with each page shared by n processes counted 1/n)
  and *USS* (the pages that are the kernel's alone: what a learner adds) from /proc/PID/smaps_rollup; median /
  max. For the forked kernels also the template's own memory, and the class's total PSS (template + kernels),
  which is what the class costs the machine.

Writes (or replaces) the "## Kernels: start, CPU, memory" section of docs/performance.md and refreshes the
figures README.md quotes from it (``scripts/quote_numbers.py``). Waits until the
machine's 1-minute load average is under ``--max-load`` and reports it at start and end.

Usage::

    .venv/bin/python benchmarks/bench_kernel_start.py                # 10 starts, a class of 12, writes the file
    .venv/bin/python benchmarks/bench_kernel_start.py --starts 3 --class-size 6 --no-write
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import sys
import time

import psutil
from jupyter_client.manager import AsyncKernelManager

from qdpv.serving import provisioner as forking
from qdpv.ui.kit import bokehjs
from qdpv_testing import ROOT, app_notebooks, quoted, reports
from qdpv_testing.kernels import FORKING, NORMAL, kernel, kit_preload, memory_kib, parent
from qdpv_testing.reports import median_max
from qdpv_testing.server import TEMPLATE, cpu_seconds, install_bokehjs

SECTION = "## Kernels: start, CPU, memory"


def notebook_code(notebook: str) -> str:
    cells = json.loads((ROOT / "notebooks" / notebook).read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


async def first_reply(owner) -> tuple[float, float]:
    """Ms from ``start_kernel`` to the kernel's first ``kernel_info`` reply, and to the client's ``wait_for_ready``
    (the client voila.json has the kernel managers create, ``qdpv.serving.client.PromptKernelClient``, which
    returns once the kernel's IOPub is idle)."""
    manager = AsyncKernelManager(parent=owner)
    t0 = time.perf_counter()
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.kernel_info()  # ZeroMQ holds it until the kernel's socket is up
        while (await client.get_shell_msg(timeout=120))["msg_type"] != "kernel_info_reply":
            pass
        first = time.perf_counter() - t0
        await client.wait_for_ready(timeout=120)
        return first * 1000, (time.perf_counter() - t0) * 1000
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


async def start_times(provisioner: str, starts: int) -> tuple[list[float], list[float], float | None]:
    owner = parent(provisioner, kit_preload())
    template_s = None
    if provisioner == FORKING:  # the template starts with the first kernel; time it apart
        t0 = time.perf_counter()
        async with kernel(owner):
            pass
        template_s = time.perf_counter() - t0
    first, ready = [], []
    for _ in range(starts):
        reply_ms, ready_ms = await first_reply(owner)
        first.append(reply_ms)
        ready.append(ready_ms)
    return first, ready, template_s


def page_env() -> dict[str, str]:
    """A page kernel's environment as Voila gives it: the kit's template on Jupyter's path and Voila's variable
    (``qdpv.ui.kit.bokehjs.in_page``: the page has BokehJS, the kernel sends none)."""
    install_bokehjs()
    jupyter_path = os.pathsep.join(filter(None, [str(TEMPLATE.parents[2]), os.environ.get("JUPYTER_PATH")]))
    return {**os.environ, "JUPYTER_PATH": jupyter_path, bokehjs.VOILA_KERNEL_ENV: "http://127.0.0.1/"}


async def a_class(provisioner: str, size: int) -> dict:
    owner = parent(provisioner, kit_preload())
    apps = app_notebooks()
    found: dict[str, list[float]] = {"cpu_s": [], "rss": [], "pss": [], "uss": []}
    template = None
    pids = []
    env = page_env()
    async with contextlib.AsyncExitStack() as stack:
        for i in range(size):
            manager, client = await stack.enter_async_context(kernel(owner, env=env))
            pids.append(manager.provisioner.pid)
            reply = await client.execute_interactive(notebook_code(apps[i % len(apps)]), timeout=300,
                                                     output_hook=lambda _msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"{apps[i % len(apps)]}: {reply['content']}")
            if provisioner == FORKING:
                template = manager.provisioner.process._template.pid
            found["cpu_s"].append(cpu_seconds([psutil.Process(manager.provisioner.pid)]))
        await asyncio.sleep(2)  # let every kernel go idle
        for kernel_pid in pids:
            memory = memory_kib(kernel_pid)
            for key in ("rss", "pss", "uss"):
                found[key].append(memory[key] / 1024)
        if template is not None:
            found["template"] = {k: v / 1024 for k, v in memory_kib(template).items()}
    return found


def row(name: str, times: list[float], ready: list[float], template_s: float | None, c: dict) -> str:
    total = sum(c["pss"]) + (c["template"]["pss"] if "template" in c else 0.0)
    template = (f"{template_s:.1f} s to start; RSS {c['template']['rss']:.0f}, PSS {c['template']['pss']:.0f}"
                if "template" in c else "n/a")
    cells = [name, median_max(times), median_max(ready), median_max(c["cpu_s"], 2), median_max(c["rss"]),
             median_max(c["pss"]), median_max(c["uss"]), template, f"{total:.0f}"]
    return "| " + " | ".join(cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--class-size", type=int, default=12)
    parser.add_argument("--max-load", type=float, default=1.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load_at_start = reports.wait_for_quiet_machine(args.max_load)
    started = dt.datetime.now(dt.UTC)
    rows = []
    for name, provisioner in (("normal start", NORMAL), ("forked from the template (shipped)", FORKING)):
        times, ready, template_s = asyncio.run(start_times(provisioner, args.starts))
        c = asyncio.run(a_class(provisioner, args.class_size))
        rows.append(row(name, times, ready, template_s, c))
        print(rows[-1], flush=True)
    forking.close_templates()
    load_at_end = os.getloadavg()[0]
    section = "\n".join([
        SECTION,
        "",
        f"`benchmarks/bench_kernel_start.py --starts {args.starts} --class-size {args.class_size}`, "
        f"{started:%Y-%m-%d %H:%M} UTC; 1-minute load average {load_at_start:.1f} at the start, "
        f"{load_at_end:.1f} at the end; {reports.machine()}.",
        "",
        "Start: from `start_kernel` to the kernel's first `kernel_info` reply, and to the client's `wait_for_ready` "
        "(as Voila waits before it runs a page's notebook, with the client `voila.json` selects, "
        "`qdpv.serving.client.PromptKernelClient`: it returns once the kernel is idle on IOPub), one kernel at a "
        "time. Then a class of "
        f"{args.class_size} kernels alive together, each having run one app notebook's code (the six apps in "
        "turn): the kernel's CPU seconds from its start (a forked kernel: after the fork) and its memory from "
        "/proc/PID/smaps_rollup, MB: RSS, PSS (shared pages split between the processes sharing them) and USS "
        "(the kernel's own pages, what one more learner adds). Class PSS: all kernels plus the template.",
        "",
        "| kernels | start to first reply, ms (median / max) | start to ready, ms (median / max) "
        "| CPU per kernel, s (median / max) | RSS, MB (median / max) | PSS, MB (median / max) "
        "| USS, MB (median / max) | template | class PSS, MB |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ])
    print(section)
    if not args.no_write:
        reports.replace_section(reports.PERFORMANCE_MD, SECTION, section)
        quoted.refresh()
    return 0


if __name__ == "__main__":
    sys.exit(main())
