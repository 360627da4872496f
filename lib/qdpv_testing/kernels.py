"""Kernels started in-process by jupyter_client, with the normal or the kit's forking provisioner; what a kernel
reports about itself; the memory of a process from /proc.

The tests of :mod:`qdpv.serving.provisioner` compare a forked kernel with a normal one through
:func:`probe`, and ``benchmarks/bench_kernel_start.py`` times both.
"""

from __future__ import annotations

import ast
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import KernelProvisionerFactory
from traitlets.config import Config, LoggingConfigurable

from qdpv_testing import ROOT

FORKING = "qdpv-forking-provisioner"
NORMAL = "local-provisioner"


def kit_preload() -> list[str]:
    """The modules the shipped configuration (voila.json) has the template preload."""
    config = json.loads((ROOT / "voila.json").read_text())
    return list(config["ForkingProvisioner"]["preload"])


def parent(provisioner: str, preload: list[str] | None = None) -> LoggingConfigurable:
    """A parent for kernel managers, configured as voila.json configures the server's: jupyter_client reads the
    provisioner's name, the kernels' transport encryption and the client class (the one Voila runs a page's
    notebook with) from it."""
    shipped = json.loads((ROOT / "voila.json").read_text())
    config = Config()
    config.KernelProvisionerFactory.default_provisioner_name = provisioner
    config.KernelManager.transport_encryption = shipped["KernelManager"]["transport_encryption"]
    config.AsyncKernelManager.client_class = shipped["AsyncKernelManager"]["client_class"]
    if preload is not None:
        config.ForkingProvisioner.preload = preload
    KernelProvisionerFactory.clear_instance()  # a singleton: the first parent's settings would stay
    return LoggingConfigurable(config=config)


@contextlib.asynccontextmanager
async def kernel(owner: LoggingConfigurable, **start: object) -> AsyncIterator[tuple[AsyncKernelManager, object]]:
    """A started kernel and a ready client; shut down (now) on leaving."""
    manager = AsyncKernelManager(parent=owner)
    await manager.start_kernel(**start)
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=120)
        yield manager, client
    finally:
        client.stop_channels()
        if await manager.is_alive():
            await manager.shutdown_kernel(now=True)


async def run(client: object, code: str, timeout: float = 60) -> object:
    """Run ``code`` whose last statement assigns ``result``; returns ``result`` (JSON-able) as the kernel saw it."""
    reply = await client.execute_interactive(  # type: ignore[attr-defined]
        code + "\nimport json as _json\n_result_json = _json.dumps(result)",
        user_expressions={"r": "_result_json"},
        timeout=timeout,
    )
    content = reply["content"]
    if content["status"] != "ok":
        raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")
    return json.loads(ast.literal_eval(content["user_expressions"]["r"]["data"]["text/plain"]))


# What a kernel knows of itself; a normal and a forked kernel started alike must agree on all but the pids.
PROBE = """
import os, sys, json
from ipykernel import get_connection_file
try:
    os.read(0, 1)
    stdin = "eof"
except OSError as error:
    stdin = type(error).__name__
result = {
    "pid": os.getpid(), "ppid": os.getppid(), "pgid": os.getpgid(0), "sid": os.getsid(0),
    "cwd": os.getcwd(), "env": dict(os.environ), "executable": sys.executable,
    "argv": sys.argv, "path": sys.path,
    "connection_file": get_connection_file(),
    "key": get_ipython().kernel.session.key.decode(),
    "stdin": stdin, "cmdline": open("/proc/self/cmdline", "rb").read().replace(b"\\x00", b" ").decode().split(),
}
"""


# What importing an app does to the kernel's registries (comm targets, IPython's event callbacks, display
# formatters, extensions): where a module hooks itself in at import only when it finds a running kernel.
HOOKS = """
import comm
import {module}
ip = get_ipython()
result = {{
    "comm_targets": sorted(comm.get_comm_manager().targets),
    "events": {{name: len(callbacks) for name, callbacks in ip.events.callbacks.items()}},
    "formatters": {{kind: sorted(map(str, [*f.type_printers, *f.deferred_printers]))
                    for kind, f in ip.display_formatter.formatters.items()}},
    "extensions": sorted(ip.extension_manager.loaded),
}}
"""


async def hooks(client: object, module: str) -> dict:
    return await run(client, HOOKS.format(module=module))  # type: ignore[return-value]


async def probe(client: object) -> dict:
    return await run(client, PROBE)  # type: ignore[return-value]


def memory_kib(pid: int) -> dict[str, int]:
    """Resident (Rss), proportional (Pss) and unique (Private_Clean + Private_Dirty = USS) memory of a process."""
    fields: dict[str, int] = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                fields[name] = int(rest.split()[0])
    return {"rss": fields["Rss"], "pss": fields["Pss"], "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


def gone(pid: int, within_s: float, zombie_counts: bool = False) -> bool:
    """Whether the process has ended and been reaped within ``within_s`` seconds (or, with ``zombie_counts``,
    ended and waits for a parent to reap it: an orphan in a container whose first process reaps no one)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                state = stat.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if zombie_counts and state == "Z":
            return True
        time.sleep(0.05)
    return False


def start_a_thread() -> None:
    """For a test: a preload step that leaves a thread running (the template must then refuse to fork)."""
    threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
