"""The kit's kernel websocket connection sets TCP_NODELAY before connecting, and the shipped settings use it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from traitlets.utils.importstring import import_item

from qdpv.serving.websocket import NoDelayKernelWebsocketConnection

ROOT = Path(__file__).resolve().parents[1]


class _Handler:
    def __init__(self) -> None:
        self.calls: list[bool] = []

    def set_nodelay(self, value: bool) -> None:
        self.calls.append(value)


def test_nodelay_is_set_before_the_base_class_connects(monkeypatch):
    handler = _Handler()
    seen_at_connect: list[list[bool]] = []

    async def base_connect(self):
        seen_at_connect.append(list(handler.calls))

    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", base_connect)
    conn = NoDelayKernelWebsocketConnection.__new__(NoDelayKernelWebsocketConnection)
    monkeypatch.setattr(NoDelayKernelWebsocketConnection, "websocket_handler", handler, raising=False)
    asyncio.run(conn.connect())
    assert seen_at_connect == [[True]]


def test_shipped_voila_settings_use_the_nodelay_connection():
    settings = json.loads((ROOT / "voila.json").read_text())
    name = settings["Voila"]["kernel_websocket_connection_class"]
    assert import_item(name) is NoDelayKernelWebsocketConnection
