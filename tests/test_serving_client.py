"""The client Voila runs a page's notebook with (qdpv.serving.client.PromptKernelClient) is ready once the kernel
has answered kernel_info and gone idle on IOPub, without waiting for silence: it asks again while IOPub is not
connected, skips replies to earlier requests, stops at a dead kernel or the timeout, and is what voila.json (and
the server extension's settings, tests/test_project.py) have the server's kernel managers create."""

from __future__ import annotations

import asyncio
import json
import sys
from queue import Empty

import pytest
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets.config import Config, LoggingConfigurable

from qdpv.serving import client as prompt
from qdpv_testing import ROOT
from qdpv_testing.kernels import FORKING, kit_preload, parent, run


class Channel:
    """A channel whose messages arrive in order; ``None`` in the script stands for a wait that times out."""

    def __init__(self) -> None:
        self.script: list[dict | None] = []
        self.read = 0

    async def get_msg(self, timeout: float | None = None) -> dict:
        if not self.script:
            await asyncio.sleep(0)
            raise Empty
        self.read += 1
        msg = self.script.pop(0)
        if msg is None:
            raise Empty
        return msg


def _msg(msg_type: str, parent_id: str, **content) -> dict:
    return {"msg_type": msg_type, "parent_header": {"msg_id": parent_id}, "content": content}


class Kernel(prompt.PromptKernelClient):
    """A PromptKernelClient talking to a scripted kernel: ``answers(request number)`` gives what the shell and
    IOPub channels then deliver."""

    def __init__(self, answers, alive=True) -> None:
        super().__init__()
        self.shell, self.iopub = Channel(), Channel()
        self.requests: list[str] = []
        self.handled: list[dict] = []
        self.answers, self.alive = answers, alive

    shell_channel = property(lambda self: self.shell)
    iopub_channel = property(lambda self: self.iopub)

    def kernel_info(self) -> str:
        msg_id = f"info-{len(self.requests)}"
        self.requests.append(msg_id)
        shell, iopub = self.answers(len(self.requests) - 1, msg_id)
        self.shell.script += shell
        self.iopub.script += iopub
        return msg_id

    async def is_alive(self) -> bool:
        return self.alive

    def _handle_kernel_info_reply(self, msg: dict) -> None:
        self.handled.append(msg)


def _answer(msg_id: str) -> tuple[list, list]:
    """A kernel's answer to kernel_info: busy, the reply, idle."""
    return [_msg("kernel_info_reply", msg_id)], [
        _msg("status", msg_id, execution_state="busy"),
        _msg("status", msg_id, execution_state="idle"),
    ]


def test_ready_at_the_idle_status_of_its_request_without_reading_on():
    later = _msg("stream", "someone-else", text="after start-up")

    def answers(n, msg_id):
        shell, iopub = _answer(msg_id)
        return shell, [*iopub, later]

    kernel = Kernel(answers)
    asyncio.run(kernel.wait_for_ready(timeout=5))
    assert kernel.requests == ["info-0"]
    assert [m["parent_header"]["msg_id"] for m in kernel.handled] == ["info-0"]
    assert kernel.iopub.script == [later], "it read past the idle status, waiting for silence"


def test_asks_again_while_iopub_is_not_connected():
    # ZeroMQ's late joiner: the first request is answered on shell but its statuses never reach the client
    def answers(n, msg_id):
        shell, iopub = _answer(msg_id)
        return (shell, [None]) if n == 0 else (shell, iopub)

    kernel = Kernel(answers)
    asyncio.run(kernel.wait_for_ready(timeout=5))
    assert kernel.requests == ["info-0", "info-1"]
    assert [m["parent_header"]["msg_id"] for m in kernel.handled] == ["info-1"]


def test_replies_and_statuses_of_earlier_requests_are_skipped():
    def answers(n, msg_id):
        if n == 0:
            return [None], []  # the first reply is late: it arrives while the client waits for the second
        shell, iopub = _answer(msg_id)
        stale = _msg("kernel_info_reply", "info-0")
        stale_idle = _msg("status", "info-0", execution_state="idle")
        return [stale, *shell], [stale_idle, *iopub]

    kernel = Kernel(answers)
    asyncio.run(kernel.wait_for_ready(timeout=5))
    assert [m["parent_header"]["msg_id"] for m in kernel.handled] == ["info-1"]


def test_a_dead_kernel_or_the_timeout_ends_the_wait():
    silent = Kernel(lambda n, msg_id: ([None], []), alive=False)
    with pytest.raises(RuntimeError, match="died"):
        asyncio.run(silent.wait_for_ready(timeout=5))
    never_idle = Kernel(lambda n, msg_id: ([_msg("kernel_info_reply", msg_id)], [None]))
    with pytest.raises(RuntimeError, match="didn't respond in 0 seconds"):
        asyncio.run(never_idle.wait_for_ready(timeout=0))


def test_the_shipped_settings_select_it_for_the_servers_kernel_managers():
    shipped = json.loads((ROOT / "voila.json").read_text())
    config = Config(shipped)
    manager = AsyncKernelManager(parent=LoggingConfigurable(config=config))
    assert manager.client_class == "qdpv.serving.client.PromptKernelClient"
    assert issubclass(manager.client_factory, AsyncKernelClient)
    assert isinstance(manager.client(), prompt.PromptKernelClient)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernels are forked on Linux only")
def test_a_real_kernel_is_ready_and_runs_code_with_nothing_of_its_start_left_on_iopub():
    async def start() -> tuple[object, bool]:
        manager = AsyncKernelManager(parent=parent(FORKING, kit_preload()))
        manager.client_class = "qdpv.serving.client.PromptKernelClient"
        await manager.start_kernel()
        kc = manager.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            leftover = await kc.iopub_channel.msg_ready()
            result = await run(kc, "result = 6 * 7")
            return result, leftover
        finally:
            kc.stop_channels()
            await manager.shutdown_kernel(now=True)

    result, leftover = asyncio.run(start())
    assert result == 42
    assert not leftover
