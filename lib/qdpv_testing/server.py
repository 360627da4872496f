"""A Voila server on 127.0.0.1 for the app tests, the benchmarks and the screenshots; its kernels and CPU.

One place that knows how to start Voila with the project's ``voila.json`` and Voila template, or a Jupyter server
with Voila as its extension set up by ``binder/postBuild``, stop it with all its kernels, find the kernel
processes of a server, and wait until a server and its kernels have gone quiet.
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
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from qdpv.serving import kernel_template
from qdpv_testing import NOTEBOOKS, ROOT

# A server and its kernels count as quiet after QUIET_S using together under QUIET_CPU CPU seconds per second:
# idle kernels and Voila use ~0.01 (heartbeats, the culler).
QUIET_S = 2.0
QUIET_CPU = 0.1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "qdpv"
"""The kit's Voila template in this checkout, which the servers started here use (through ``JUPYTER_PATH``)."""


def voila_command() -> list[str]:
    """The kit's Voila (``voila`` with compressed responses, :mod:`qdpv.serving.voila_app`), as ``scripts/run.sh``
    starts it, in the running interpreter's environment."""
    return [sys.executable, "-m", "qdpv.serving.voila_app"]


def install_bokehjs() -> None:
    """Put the installed bokeh's BokehJS into this checkout's template, as ``scripts/setup.sh`` does."""
    from qdpv.ui.kit import bokehjs

    bokehjs.install(TEMPLATE)


@dataclass(frozen=True)
class VoilaServer:
    url: str
    pid: int
    query: str = ""  # what a page URL needs after "?" (a Jupyter server's token), empty for Voila on its own


@contextlib.contextmanager
def _serve(cmd: list[str], cwd: Path, env: dict[str, str], port: int, query: str,
           timeout_s: float) -> Iterator[VoilaServer]:
    """Run ``cmd`` (a server on 127.0.0.1:``port``) in a session of its own; yield it once it answers; stop it
    with all its kernels."""
    log_path = ROOT / ".voila-test.log" if os.environ.get("QDPV_KEEP_LOG") else os.devnull
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with code {proc.returncode}: {' '.join(cmd)}")
            try:
                with urllib.request.urlopen(f"{base}/?{query}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer on {base} within {timeout_s} s") from None
                time.sleep(0.2)
        yield VoilaServer(base, proc.pid, query)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextlib.contextmanager
def voila_server(root: Path = NOTEBOOKS, *extra: str, timeout_s: float = 60.0,
                 preheat: bool = False) -> Iterator[VoilaServer]:
    """Start Voila on 127.0.0.1 serving ``root`` (a folder or one notebook); yield its URL and pid; stop it.

    Voila runs from the repository root so that the project's ``voila.json`` applies, with the kit's template
    and its BokehJS (:func:`install_bokehjs`), except that by default (``preheat=False``) each page's kernel
    starts when the page asks for it: a test server then does not pre-run every notebook at start (7 kernels
    competing with the first test on 2 cores), and the benchmarks measure cold kernels. ``preheat=True`` keeps
    voila.json's preheated kernel pools, as shipped.
    """
    port = free_port()
    install_bokehjs()
    pool = [] if preheat else ["--VoilaConfiguration.preheat_kernel=False"]
    cmd = [*voila_command(), str(root), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1", *pool, *extra]
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(ROOT / "share" / "jupyter"), env.get("JUPYTER_PATH")]))
    with _serve(cmd, ROOT, env, port, "", timeout_s) as server:
        yield server


def run_post_build(home: Path) -> None:
    """Run ``binder/postBuild`` with ``home`` as the home directory, without its pip line (the kit is importable
    here already): the kit's template, its BokehJS and the Jupyter server's settings land in ``home``."""
    script = (ROOT / "binder" / "postBuild").read_text()
    pip = "pip install --no-deps -e ."
    if pip not in script:
        raise RuntimeError(f"binder/postBuild no longer runs {pip!r}: update run_post_build")
    env = {**os.environ, "HOME": str(home), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("JUPYTER_PATH", None)
    subprocess.run(["bash", "-c", script.replace(pip, ":")], cwd=ROOT, env=env, check=True)


@contextlib.contextmanager
def jupyter_server_with_voila(home: Path, *extra: str, timeout_s: float = 60.0) -> Iterator[VoilaServer]:
    """A Jupyter server with Voila as its extension, set up the way Binder and the JupyterHub image set it up.

    :func:`run_post_build` puts the kit's template, its BokehJS and the settings into ``home``; the server runs
    with that home directory, from it (no ``voila.json`` in reach: the image's server starts in the home
    directory), serving the repository, so that the apps are at ``/voila/render/notebooks/<app>``, the
    path of Binder and of the hub. It listens on 127.0.0.1 and asks for a token (``query``), like a Jupyter
    server; a browser that opened one URL with it is logged in by cookie.
    """
    run_post_build(home)
    port = free_port()
    token = uuid.uuid4().hex
    cmd = [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.root_dir={ROOT}", f"--IdentityProvider.token={token}", *extra]
    if os.geteuid() == 0:  # a container's root (the test machine): the server refuses root unless told
        cmd.append("--allow-root")
    env = {**os.environ, "HOME": str(home)}
    env.pop("JUPYTER_PATH", None)
    with _serve(cmd, home, env, port, f"token={token}", timeout_s) as server:
        yield server


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


def is_kernel_template(proc: psutil.Process) -> bool:
    """Whether ``proc`` is the warm template a server forks its kernels from (``qdpv.serving.kernel_template``),
    not a kernel: under the server, beside its kernels."""
    try:
        return kernel_template.__name__ in proc.cmdline()
    except psutil.Error:  # exited since listed
        return False


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
