"""The kit's kernel websocket connection sets TCP_NODELAY before connecting and gives the page its _xsrf cookie
before the handshake is answered, and the shipped settings use it. (In a browser, on a running server:
tests/test_browser_static.py, a closed page frees its kernel.)"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from traitlets.utils.importstring import import_item

from qdpv.serving.websocket import PageKernelWebsocketConnection

ROOT = Path(__file__).resolve().parents[1]


class _Handler:
    """What the connection uses of jupyter_server's websocket handler, recording the calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def set_nodelay(self, value: bool) -> None:
        self.calls.append(f"set_nodelay({value})")

    @property
    def xsrf_token(self) -> bytes:
        self.calls.append("xsrf_token")  # tornado sets the _xsrf cookie here when the request has none
        return b"token"


def _connection(monkeypatch, handler: _Handler) -> PageKernelWebsocketConnection:
    conn = PageKernelWebsocketConnection.__new__(PageKernelWebsocketConnection)
    monkeypatch.setattr(PageKernelWebsocketConnection, "websocket_handler", handler, raising=False)
    return conn


def test_nodelay_is_set_before_the_base_class_connects(monkeypatch):
    handler = _Handler()
    seen_at_connect: list[list[str]] = []

    async def base_connect(self):
        seen_at_connect.append(list(handler.calls))

    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", base_connect)
    asyncio.run(_connection(monkeypatch, handler).connect())
    assert seen_at_connect == [["set_nodelay(True)"]]


def test_xsrf_cookie_is_set_before_the_base_class_prepares_the_handshake(monkeypatch):
    handler = _Handler()
    seen_at_prepare: list[list[str]] = []

    async def base_prepare(self):
        seen_at_prepare.append(list(handler.calls))

    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "prepare", base_prepare)
    asyncio.run(_connection(monkeypatch, handler).prepare())
    assert seen_at_prepare == [["xsrf_token"]]


def test_shipped_voila_settings_use_the_pages_connection():
    settings = json.loads((ROOT / "voila.json").read_text())
    name = settings["Voila"]["kernel_websocket_connection_class"]
    assert import_item(name) is PageKernelWebsocketConnection
