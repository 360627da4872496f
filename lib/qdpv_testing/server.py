"""A Voila server on 127.0.0.1 for the app tests, the benchmarks and the screenshots; its kernels and CPU.

One place that knows how to start Voila with the project's ``voila.json`` and Voila template, stop it with all
its kernels, find the kernel processes of a server, and wait until a server and its kernels have gone quiet.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from qdpv_testing import NOTEBOOKS, ROOT

# A server and its kernels count as quiet after QUIET_S using together under QUIET_CPU CPU seconds per second:
# idle kernels and Voila use ~0.01 (heartbeats, the culler).
QUIET_S = 2.0
QUIET_CPU = 0.1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def voila_bin() -> str:
    """The ``voila`` executable of the running interpreter's environment."""
    candidate = Path(sys.executable).with_name("voila")
    return str(candidate) if candidate.exists() else "voila"


@dataclass(frozen=True)
class VoilaServer:
    url: str
    pid: int


@contextlib.contextmanager
def voila_server(root: Path = NOTEBOOKS, *extra: str, timeout_s: float = 60.0,
                 preheat: bool = False) -> Iterator[VoilaServer]:
    """Start Voila on 127.0.0.1 serving ``root`` (a folder or one notebook); yield its URL and pid; stop it.

    Voila runs from the repository root so that the project's ``voila.json`` applies, except that by default
    (``preheat=False``) each page's kernel starts when the page asks for it: a test server then does not
    pre-run every notebook at start (7 kernels competing with the first test on 2 cores), and the benchmarks
    measure cold kernels. ``preheat=True`` keeps voila.json's preheated kernel pools, as shipped.
    """
    port = free_port()
    pool = [] if preheat else ["--VoilaConfiguration.preheat_kernel=False"]
    cmd = [voila_bin(), str(root), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1", *pool, *extra]
    log_path = ROOT / ".voila-test.log" if os.environ.get("QDPV_KEEP_LOG") else os.devnull
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(ROOT / "share" / "jupyter"), env.get("JUPYTER_PATH")]))
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"voila exited with code {proc.returncode}: {' '.join(cmd)}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"voila did not answer on {base} within {timeout_s} s") from None
                time.sleep(0.2)
        yield VoilaServer(base, proc.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json")


def kernels(server_pid: int) -> dict[str, psutil.Process]:
    """The running kernels of a Voila server by kernel id (the name of their connection file)."""
    found = {}
    for proc in psutil.Process(server_pid).children(recursive=True):
        try:
            match = KERNEL_FILE.search(" ".join(proc.cmdline()))
        except psutil.Error:  # exited (or a zombie) since listed
            continue
        if match:
            found[match.group(1)] = proc
    return found


def cpu_seconds(procs: Iterable[psutil.Process]) -> float:
    """User + system CPU seconds the processes have used so far, together (one that has exited counts 0)."""
    total = 0.0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            t = proc.cpu_times()
            total += t.user + t.system
    return total


def wait_until_quiet(
    watch: Callable[[], Collection[psutil.Process] | None], *, poll_s: float, timeout_s: float,
    quiet_s: float = QUIET_S, max_cpu: float = QUIET_CPU, what: str = "the server",
) -> Collection[psutil.Process]:
    """Poll ``watch`` every ``poll_s``; return what it gave once those processes have been quiet for ``quiet_s``.

    ``watch`` returns the processes to watch, or None while what the caller waits for is not there yet (a pool
    not yet full). Quiet: the processes used together under ``max_cpu`` CPU seconds per second between two
    successive polls that both returned processes. ``quiet_s=0`` returns at the first quiet poll interval.
    TimeoutError after ``timeout_s``, naming ``what``.
    """
    deadline = time.monotonic() + timeout_s
    quiet_since: float | None = None
    last: float | None = None
    while time.monotonic() < deadline:
        procs = watch()
        cpu = None if procs is None else cpu_seconds(procs)
        if cpu is not None and last is not None and cpu - last < max_cpu * poll_s:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= quiet_s:
                return procs
        else:
            quiet_since = None
        last = cpu
        time.sleep(poll_s)
    raise TimeoutError(f"{what} was not quiet within {timeout_s:.0f} s")
