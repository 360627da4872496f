"""The kit's kernel manager touches Voila's private kernel pools only under a Voila version it was measured with.

What it does with the pools against a running server is ``tests/test_security.py``'s subject ("preheated
kernels"); here, without a server: a kernel waiting in a pool gets its idle clock restarted by a culler pass
under the measured version, and under any other version the pools are not read, not edited, and the server
log says so.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from types import SimpleNamespace

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from qdpv.serving import kernel_manager
from qdpv.serving.kernel_manager import PoolAwareKernelManager

LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _manager_with_a_pooled_kernel(monkeypatch) -> tuple[PoolAwareKernelManager, SimpleNamespace]:
    """A manager whose pool for ``app.ipynb`` holds one started kernel, idle since LONG_AGO; culling itself
    (jupyter_server's pass over all kernels) is left out, so only what this class adds is seen."""

    async def no_culling(self) -> None:
        return None

    monkeypatch.setattr(AsyncMappingKernelManager, "cull_kernels", no_culling)
    manager = PoolAwareKernelManager()
    kernel = SimpleNamespace(last_activity=LONG_AGO)
    manager._kernels["k1"] = kernel
    loop = asyncio.new_event_loop()
    started = loop.create_future()
    started.set_result({"kernel_id": "k1"})
    loop.close()
    manager._pools = {"app.ipynb": [started]}
    return manager, kernel


def test_installed_voila_is_a_measured_one():
    # The shipped pins (requirements.txt) must run the measured path: tests/test_project.py holds the pin to it.
    assert kernel_manager._installed_voila() in kernel_manager.POOLS_MEASURED_WITH


def test_measured_voila_restarts_the_idle_clock_of_a_pooled_kernel(monkeypatch, caplog):
    with caplog.at_level(logging.WARNING):
        manager, kernel = _manager_with_a_pooled_kernel(monkeypatch)
    assert not [r for r in caplog.records if "not a version" in r.getMessage()]
    assert manager._waiting_in_pools() == {"k1": "app.ipynb"}
    asyncio.run(manager.cull_kernels())
    assert kernel.last_activity > LONG_AGO


def test_other_voila_leaves_the_pools_alone_and_says_so(monkeypatch, caplog):
    monkeypatch.setattr(kernel_manager, "_installed_voila", lambda: "0.6.0")
    with caplog.at_level(logging.WARNING):
        manager, kernel = _manager_with_a_pooled_kernel(monkeypatch)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("Voila 0.6.0 is not a version" in m and "0.5.13" in m for m in warnings), warnings
    assert manager._waiting_in_pools() == {}
    asyncio.run(manager.cull_kernels())
    assert kernel.last_activity == LONG_AGO
    pool = list(manager._pools["app.ipynb"])
    manager._leave_pool("k1")  # the restarter's callback: would edit the pool and refill it
    assert manager._pools["app.ipynb"] == pool


def test_a_wave_of_shutdowns_ends_with_one_heap_trim(monkeypatch):
    """After a class leaves, the server gives its freed heap back once, a moment after the last shutdown."""

    async def no_shutdown(self, kernel_id, *args, **kwargs) -> None:
        return None

    trims = []
    monkeypatch.setattr(AsyncMappingKernelManager, "shutdown_kernel", no_shutdown)
    monkeypatch.setattr(kernel_manager, "TRIM_AFTER_S", 0.2)
    monkeypatch.setattr(kernel_manager, "trim_heap", lambda: trims.append(1))
    manager = PoolAwareKernelManager()

    async def leave() -> list[int]:
        for kernel_id in ("k1", "k2", "k3"):
            await manager.shutdown_kernel(kernel_id)
            await asyncio.sleep(0.05)
        before = list(trims)
        await asyncio.sleep(0.4)
        return before

    assert asyncio.run(leave()) == [] and trims == [1]


def test_trim_heap_gives_memory_back_with_glibc():
    assert kernel_manager.trim_heap() is True  # the test machine's C library is glibc
