"""The kernel websocket of the kit's pages: small messages leave at once, and the page can free its kernel.

1. ``TCP_NODELAY``. Every slider move is a handful of small kernel messages (status, widget echo, a Bokeh patch,
   the results text). Tornado's websocket leaves Nagle's algorithm on, so a small server -> browser write waits
   for the browser's delayed ACK of the previous one (up to 40 ms on Linux) before it leaves. Measured on this
   kit in headless Chromium on 127.0.0.1 (key press to last canvas draw, 12 presses, the way
   ``qdpv_testing.browser.key_latency_ms`` times it): the one-slider floor app answered in a median 73 ms with
   Nagle on and 49 ms with it off. Setting ``TCP_NODELAY`` is what Tornado recommends for interactive websockets
   (:meth:`tornado.websocket.WebSocketHandler.set_nodelay`).
2. The ``_xsrf`` cookie. When a page is closed, Voila's page script posts ``voila/api/shutdown/<kernel id>``
   (``navigator.sendBeacon``) with the value of the ``_xsrf`` cookie in the form, and the server shuts the kernel
   down only if that value matches the cookie (tornado's XSRF check: a page of another site can neither read
   nor set it). Voila 0.5.13 sets the cookie on its tree page (rendering it reads ``xsrf_token``) but not on a
   notebook's page, so a page opened straight at its ``voila/render/...`` URL (a link, a bookmark, the gallery
   on Binder or JupyterHub) had no cookie, its shutdown was refused (403) and its kernel stayed until the idle
   culler took it, an hour later (``MappingKernelManager.cull_idle_timeout``). Every page opens this websocket
   as it starts; the handshake now reads the handler's ``xsrf_token``, which, like on the tree page, sets the
   cookie if the browser has none (and leaves one it has alone). Chromium stores a cookie set on a websocket
   handshake like any other; ``tests/test_browser_static.py`` checks that a closed page frees its kernel
   within seconds, on Voila alone and as a Jupyter server extension.

Used through ``voila.json`` (``Voila.kernel_websocket_connection_class``) when Voila runs on its own, and
through ``ServerApp.kernel_websocket_connection_class`` when it runs as a Jupyter server extension
(Binder, JupyterHub).
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["PageKernelWebsocketConnection"]


class PageKernelWebsocketConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection with ``TCP_NODELAY`` set, whose handshake gives the page the
    ``_xsrf`` cookie its shutdown request needs."""

    async def prepare(self):
        # jupyter_server calls this before it answers the handshake: a cookie set now goes out with the answer
        self.websocket_handler.xsrf_token  # noqa: B018 (read for its effect: tornado sets a missing cookie)
        return await super().prepare()

    async def connect(self):
        self.websocket_handler.set_nodelay(True)
        return await super().connect()
