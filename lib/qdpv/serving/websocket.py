"""The kernel websocket connection of the kit's Voila server: small messages leave at once.

Every slider move is a handful of small kernel messages (status, widget echo, a Bokeh patch, the results
text). Tornado's websocket leaves Nagle's algorithm on, so a small server -> browser write waits for the
browser's delayed ACK of the previous one (up to 40 ms on Linux) before it leaves. Measured on this kit in
headless Chromium on 127.0.0.1 (key press to last canvas draw, 12 presses, the way
``qdpv_testing.browser.key_latency_ms`` times it): the one-slider floor app answered in a median 73 ms with
Nagle on and 49 ms with it off. Setting ``TCP_NODELAY`` is what Tornado recommends for interactive websockets
(:meth:`tornado.websocket.WebSocketHandler.set_nodelay`).

Used through ``voila.json`` (``Voila.kernel_websocket_connection_class``) when Voila runs on its own, and
through ``ServerApp.kernel_websocket_connection_class`` when it runs as a Jupyter server extension
(Binder, JupyterHub).
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["NoDelayKernelWebsocketConnection"]


class NoDelayKernelWebsocketConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection with ``TCP_NODELAY`` set on the websocket."""

    async def connect(self):
        self.websocket_handler.set_nodelay(True)
        return await super().connect()
