"""The kit's Voila kernel manager: preheated kernels that the idle culler cannot kill under a page.

Not a physics module: it imports jupyter_server and runs only inside the Voila server, which loads it by
name from ``voila.json``: ``VoilaConfiguration.multi_kernel_manager_class``
= ``"qdpv.serving.PoolAwareKernelManager"``.

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

The class sits below Voila's in the method resolution order, so it overrides only methods Voila's subclass
does not (``start_kernel``, ``cull_kernels``), and it works unchanged with ``preheat_kernel`` off (no pools).
It relies on Voila's private ``_pools`` and jupyter_server's ``_kernels``: ``tests/test_security.py`` checks
both behaviours against a running server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


def _pooled_kernel_id(task: asyncio.Task) -> str | None:
    """The kernel id a pool entry holds, or None while it is starting (or if it failed to start)."""
    if task.done() and not task.cancelled() and task.exception() is None:
        return task.result()["kernel_id"]
    return None


class PoolAwareKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, aware of the kernels waiting in Voila's preheated pools."""

    def _waiting_in_pools(self) -> dict[str, str]:
        """Kernel id -> notebook name of every started kernel waiting in a pool (none without preheating)."""
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

    async def cull_kernels(self) -> None:
        """Restart the idle clock of the kernels waiting in a pool, then cull as jupyter_server does."""
        now = dt.datetime.now(dt.UTC)
        for kernel_id in self._waiting_in_pools():
            kernel = self._kernels.get(kernel_id)
            if kernel is not None:
                kernel.last_activity = now
        await super().cull_kernels()
