"""``PromptKernelClient``: the kernel client Voila runs a page's notebook with, ready as soon as the kernel is.

Before Voila runs a page's notebook it waits until the new kernel answers (``wait_for_ready``).
jupyter_client's client then also empties the kernel's IOPub channel by reading until no message has come for
0.2 s, so every page waited 0.2 s after its kernel was ready: a tenth of a learner's time-to-interactive on a
warm page. This client waits for exactly what that flush makes sure of: the ``kernel_info`` reply on the shell
channel, then the kernel's ``idle`` status for that same request on IOPub. That status is the last message a
kernel publishes for a request, so when it arrives IOPub is connected and holds nothing more of the start-up.
If it has not come within the same 0.2 s, IOPub is not subscribed yet (ZeroMQ's late joiner) and the
client asks again, as jupyter_client's client does. It is selected by ``KernelManager.client_class`` in
``voila.json`` (and by ``binder/postBuild`` for the server extension); the kernels are unchanged.
"""

from __future__ import annotations

import time
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
            reply = await self._reply(msg_id, "shell", SHELL_WAIT_S)
            if reply is not None and await self._idle(msg_id):
                self._handle_kernel_info_reply(reply)
                return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    async def _reply(self, msg_id: str, channel: str, wait_s: float) -> dict | None:
        """The reply to ``msg_id`` on ``channel``, skipping replies to earlier requests; None after ``wait_s``."""
        end = time.monotonic() + wait_s
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await getattr(self, f"{channel}_channel").get_msg(timeout=left)
            except Empty:
                return None
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        return None

    async def _idle(self, msg_id: str) -> bool:
        """Whether the kernel's ``idle`` status for ``msg_id`` arrives on IOPub within ``IOPUB_WAIT_S``."""
        end = time.monotonic() + IOPUB_WAIT_S
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
                    and msg["parent_header"].get("msg_id") == msg_id):
                return True
        return False
