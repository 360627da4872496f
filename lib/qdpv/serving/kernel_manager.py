"""The kit's Voila kernel manager: preheated kernels that the idle culler cannot kill under a page.

Not a physics module: it imports jupyter_server and runs only inside the Voila server, which loads it by
name from ``voila.json``: ``VoilaConfiguration.multi_kernel_manager_class``
= ``"qdpv.serving.kernel_manager.PoolAwareKernelManager"``.

How Voila 0.5.13 uses it (``voila/app.py``, ``voila/voila_kernel_manager.py``): the configured class is the
*base* that ``voila_kernel_manager_factory(base, preheat_kernel, default_pool_size)`` subclasses. With
``preheat_kernel`` on, the subclass ``VoilaKernelManager`` keeps ``_pools``: notebook name -> list of asyncio
tasks, each resolving to ``{"kernel_id", "renderer", "task"}`` of a kernel that has already run the notebook;
a page takes the first one (``get_rendered_notebook``: ``self._pools[notebook_name].pop(0)``). Its
``cull_kernel_if_idle`` returns early for a kernel still in a pool, so waiting kernels are never culled, but
their idle clock (``last_activity``) keeps running from the end of the pre-run. Two ways a page could still
receive a dead pooled kernel, and what this class does about them:

1. The culler. Once a page has taken a kernel it is no longer in the pool, and if it waited there longer
   than ``cull_idle_timeout`` the next culler pass shuts it down: the page arrived, but its kernel websocket
   (opened seconds later, once the browser has started the page's scripts) finds no kernel and the app never
   starts. Here every culler pass first restarts the idle clock of each kernel still waiting in a pool, so a
   taken kernel counts as idle since the last pass at most: its page has at least
   ``cull_idle_timeout - cull_interval`` to connect (55 min with the shipped 3600 s / 300 s).
2. A pooled kernel that died. jupyter_client's restarter starts it again, empty (the page would show widgets
   that no kernel knows), or gives up, and jupyter_server drops it from its map (the page's websocket gets
   404); Voila leaves it in the pool either way. Here such a kernel leaves its pool as soon as the restarter
   notices (it polls every few seconds), and the pool is refilled. A restarted, empty kernel is culled like
   any kernel without a page.

3. Not a danger, a cost: a server that rendered a class's pages keeps the heap it grew for them after the class
   has left (glibc holds freed memory for reuse). A few seconds (``TRIM_AFTER_S``) after the last kernel
   shutdown of a wave, this class hands the freed heap back (``trim_heap``, glibc's ``malloc_trim``).

The class sits below Voila's in the method resolution order, so it overrides methods Voila's subclass does not
(``start_kernel``, ``cull_kernels``) or calls after its own work (``shutdown_kernel``), and it works unchanged
with ``preheat_kernel`` off (no pools).
``tests/test_security.py`` checks both remedies against a running server.

It reads and edits Voila's private ``_pools``, whose shape is Voila's to change, only under a Voila version in
``POOLS_MEASURED_WITH``. Under any other it logs a warning when the server starts and leaves the pools alone:
the server then runs as plain Voila would (the two dangers above come back; nothing else changes).
``tests/test_kernel_manager.py`` checks that gate.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from importlib import metadata

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

# Voila releases whose ``VoilaKernelManager._pools`` (voila/voila_kernel_manager.py: notebook name -> list of
# asyncio tasks, each resolving to a dict with "kernel_id") this module was measured with, against a running
# server (tests/test_security.py, "preheated kernels"): 0.5.13, with jupyter_server 2.21.1 and jupyter_client
# 8.10.0. Add a release here only after those tests pass with it.
POOLS_MEASURED_WITH = frozenset({"0.5.13"})


# Seconds after the last kernel shutdown of a wave (a class leaving) before the server trims its heap.
TRIM_AFTER_S = 5.0


def trim_heap() -> bool:
    """Hand the heap memory Python has freed back to the system (glibc's ``malloc_trim``); whether it could.

    Rendering a page and serving its kernel allocate in the server process (notebook models, rendered HTML,
    messages); freed, glibc's allocator keeps those pages for the next allocation, so after a class has left the
    server would otherwise stay at the size it had with the whole class in it."""
    import ctypes

    libc = ctypes.CDLL(None)
    if not hasattr(libc, "malloc_trim"):
        return False
    libc.malloc_trim(0)
    return True


def _installed_voila() -> str | None:
    try:
        return metadata.version("voila")
    except metadata.PackageNotFoundError:
        return None


def _pooled_kernel_id(task: asyncio.Task) -> str | None:
    """The kernel id a pool entry holds, or None while it is starting (or if it failed to start)."""
    if task.done() and not task.cancelled() and task.exception() is None:
        return task.result()["kernel_id"]
    return None


class PoolAwareKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, aware of the kernels waiting in Voila's preheated pools."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._trim: asyncio.TimerHandle | None = None
        voila = _installed_voila()
        self._pools_readable = voila in POOLS_MEASURED_WITH
        if not self._pools_readable:
            self.log.warning(
                "qdpv.serving.kernel_manager: Voila %s is not a version its kernel pools were measured with "
                "(%s); preheated kernels are left to Voila as it is: the idle culler may stop a kernel a page "
                "has just taken, and a pooled kernel that died stays in its pool",
                voila or "(not installed)", ", ".join(sorted(POOLS_MEASURED_WITH)),
            )

    def _waiting_in_pools(self) -> dict[str, str]:
        """Kernel id -> notebook name of every started kernel waiting in a pool (none without preheating, and
        none under a Voila version whose pools this class does not know)."""
        if not self._pools_readable:
            return {}
        return {
            kernel_id: notebook
            for notebook, pool in getattr(self, "_pools", {}).items()
            for kernel_id in map(_pooled_kernel_id, pool)
            if kernel_id is not None
        }

    async def start_kernel(self, *args, **kwargs) -> str:
        """Start a kernel (jupyter_server); watch its restarter: a pooled kernel that dies leaves the pool."""
        kernel_id = await super().start_kernel(*args, **kwargs)
        leave = functools.partial(self._leave_pool, kernel_id)
        self.add_restart_callback(kernel_id, leave, "restart")  # died, about to be restarted empty
        self.add_restart_callback(kernel_id, leave, "dead")  # died, restarts failed: dropped from the map
        return kernel_id

    def _leave_pool(self, kernel_id: str) -> None:
        """Restarter callback, a kernel died: if it was waiting in a pool, drop it there and refill."""
        notebook = self._waiting_in_pools().get(kernel_id)
        if notebook is None:  # not pooled: a page's kernel, left to jupyter_server
            return
        pool = self._pools[notebook]
        pool[:] = [task for task in pool if _pooled_kernel_id(task) != kernel_id]
        self.log.warning("Pooled kernel %s of %s died: taken out of the pool, refilling", kernel_id, notebook)
        self.fill_if_needed(notebook_name=notebook)

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs) -> None:
        """Shut a kernel down (jupyter_server; Voila's subclass calls this after its own step); a few seconds
        after the last of a wave of shutdowns, hand the server's freed heap memory back to the system."""
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
        if self._trim is not None:
            self._trim.cancel()
        self._trim = asyncio.get_running_loop().call_later(TRIM_AFTER_S, trim_heap)

    async def cull_kernels(self) -> None:
        """Restart the idle clock of the kernels waiting in a pool, then cull as jupyter_server does."""
        now = dt.datetime.now(dt.UTC)
        for kernel_id in self._waiting_in_pools():
            if kernel_id in self:  # still known to jupyter_server (a dead kernel may have been dropped)
                self.get_kernel(kernel_id).last_activity = now
        await super().cull_kernels()
