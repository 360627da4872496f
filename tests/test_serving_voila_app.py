"""The kit's Voila (qdpv.serving.voila_app) applies voila.json's compress_response, which Voila 0.5.13 on its own reads
only after building its server, and it is what the run command and the test servers start. (On a running server,
in Chromium: tests/test_browser_static.py checks the compressed responses.)"""

from __future__ import annotations

import json

import pytest
import tornado.web
from voila.app import Voila

from qdpv.serving.voila_app import KitVoila
from qdpv_testing import ROOT
from qdpv_testing.server import voila_command


@pytest.fixture
def listened(monkeypatch):
    """KitVoila.listen on a tornado application built as Voila builds it; Voila's own listen does nothing here."""
    monkeypatch.setattr(Voila, "listen", lambda self: None)

    def listen(settings: dict, built_with: dict) -> list:
        voila = KitVoila(tornado_settings=settings)
        voila.app = tornado.web.Application(**built_with)
        voila.listen()
        return voila.app.transforms

    return listen


def test_compression_is_added_once_the_server_is_built(listened):
    assert listened({"compress_response": True}, {}) == [tornado.web.GZipContentEncoding]


def test_a_server_already_compressing_gets_no_second_transform(listened):
    assert listened({"compress_response": True}, {"compress_response": True}) == [tornado.web.GZipContentEncoding]


def test_without_the_setting_nothing_is_compressed(listened):
    assert listened({}, {}) == []


def test_the_shipped_settings_ask_for_compression_and_the_kit_starts_its_voila():
    assert json.loads((ROOT / "voila.json").read_text())["Voila"]["tornado_settings"]["compress_response"] is True
    assert voila_command()[1:] == ["-m", "qdpv.serving.voila_app"]
    assert "python -m qdpv.serving.voila_app notebooks/" in (ROOT / "scripts" / "run.sh").read_text()
