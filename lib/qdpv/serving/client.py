"""``PromptKernelClient``: the kernel client Voila runs a page's notebook with, ready as soon as the kernel is.

Before Voila runs a page's notebook it waits until the new kernel answers (``wait_for_ready``).
jupyter_client's client then also empties the kernel's IOPub channel by reading until no message has come for
0.2 s, so every page waited 0.2 s after its kernel was ready: a tenth of a learner's time-to-interactive on a
warm page. This client waits for exactly what that flush makes sure of: the ``kernel_info`` reply on the shell
channel, then the kernel's ``idle`` status for that same request on IOPub. That status is the last message a
kernel publishes for a request, so when it arrives IOPub is connected and holds nothing more of the start-up.
If it has not come within the same 0.2 s, IOPub is not subscribed yet (ZeroMQ's late joiner) and the
client asks again, as jupyter_client's client does. It is selected by ``AsyncKernelManager.client_class`` in
``voila.json`` (and by ``binder/postBuild`` for the server extension); the kernels are unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient

SHELL_WAIT_S = 1.0  # how long one kernel_info request waits for its reply before it is sent again
IOPUB_WAIT_S = 0.2  # how long the reply's idle status may take on IOPub before the request is sent again


class PromptKernelClient(AsyncKernelClient):
    """An asynchronous kernel client whose ``wait_for_ready`` returns once the kernel's IOPub is idle."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait until the kernel has answered a ``kernel_info`` request on shell and gone idle on IOPub.

        Raises ``RuntimeError`` if the kernel dies first or does not answer within ``timeout`` seconds (no limit
        if ``None``), as jupyter_client's client does.
        """
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            msg_id = self.kernel_info()
            reply = await _first(self.shell_channel, SHELL_WAIT_S, _answers, msg_id)
            if reply is not None and await _first(self.iopub_channel, IOPUB_WAIT_S, _idle, msg_id):
                self._handle_kernel_info_reply(reply)
                return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


def _answers(msg: dict, msg_id: str) -> bool:
    """Whether ``msg`` is about request ``msg_id`` (a reply to it, or a status it caused)."""
    return msg["parent_header"].get("msg_id") == msg_id


def _idle(msg: dict, msg_id: str) -> bool:
    """Whether ``msg`` is the kernel's ``idle`` status after request ``msg_id``."""
    return _answers(msg, msg_id) and msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"


async def _first(channel, wait_s: float, wanted: Callable[[dict, str], bool], msg_id: str) -> dict | None:
    """The first message on ``channel`` that is ``wanted`` for request ``msg_id`` (the others are dropped: replies
    and statuses of earlier requests); None if none has come within ``wait_s`` seconds."""
    end = time.monotonic() + wait_s
    while (left := end - time.monotonic()) > 0:
        try:
            msg = await channel.get_msg(timeout=left)
        except Empty:
            return None
        if wanted(msg, msg_id):
            return msg
    return None
