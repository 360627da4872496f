"""Apps built ahead in the kernels' template (qdpv.ui.kit.ahead): prepare() builds every app without a kernel and
leaves their widgets out of the registry; the first build() of an app in a kernel takes its ready app, opens each of
its widgets' comms once, with the state a freshly built app's widgets send, and sets the page up; every other
build() builds as always. (A forked kernel taking one: tests/test_provisioner.py; pages: the browser tests.)"""

from __future__ import annotations

import importlib
import json
import re
import types
from typing import ClassVar

import comm
import IPython
import pytest
from comm.base_comm import BaseComm
from ipywidgets.widgets import widget as ipw

from qdpv.ui.kit import ahead, page
from qdpv.ui.kit import app as kit_app

APPS = [f"qdpv.ui.{name}" for name in
        ("msn_templating", "qd_sizing", "band_alignment", "device_jv", "carriers_stability", "design_your_cell")]


class RecordingComm(BaseComm):
    """A kernel's comm, recording what it publishes."""

    sent: ClassVar[list[tuple[str, str, dict]]] = []

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        RecordingComm.sent.append((msg_type, self.comm_id, data or {}))


@pytest.fixture
def fresh_ahead(monkeypatch):
    """No app built ahead yet, the apps' builders registered, and the widget registry restored afterwards."""
    for name in APPS:
        importlib.import_module(name)
    monkeypatch.setattr(ahead, "_READY", {})
    registry = dict(ipw._instances)
    yield
    ipw._instances.clear()
    ipw._instances.update(registry)


def _as_kernel(monkeypatch) -> list:
    """This process as a kernel: IPython with a kernel, comms that reach the page (recorded); what the page is
    shown, in order ("setup" for the page setup, the scripts' code)."""
    monkeypatch.setattr(IPython, "get_ipython", lambda: types.SimpleNamespace(kernel=object()))
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: RecordingComm(**kwargs))
    RecordingComm.sent = []
    shown = []
    monkeypatch.setattr(kit_app, "setup_bokeh", lambda: shown.append("setup"))
    monkeypatch.setattr(page, "display", lambda obj: shown.append(obj.data))
    return shown


def _prepared(monkeypatch) -> dict[str, list]:
    setups = []  # what the page setup would send: the page patches, BokehJS
    monkeypatch.setattr(kit_app, "_bokeh_ready", False)
    monkeypatch.setattr(kit_app._bokeh_internals, "display", setups.append)
    monkeypatch.setattr("bokeh.io.output_notebook", lambda *args, **kwargs: setups.append("BokehJS"))
    before = dict(ipw._instances)
    ahead.prepare()
    assert setups == [] and kit_app._bokeh_ready is False, "the page setup waits for the kernel"
    assert not page.holding()
    assert dict(ipw._instances) == before, "a ready app's widgets are in the registry a page is sent"
    assert all(held for _, _, held in ahead._READY.values()), "each app's quiz script is held for the kernel"
    return {module: widgets for module, (_, widgets, _) in ahead._READY.items()}


def _opened(sent) -> list[tuple[str, dict]]:
    """(comm id, widget state) of each widget opened, in order, with the updates sent after it opened applied: what
    the page holds once the messages have arrived."""
    states: dict[str, dict] = {}
    for kind, cid, data in sent:
        if kind == "comm_open":
            states[cid] = dict(data["state"])
        elif kind == "comm_msg" and data.get("method") in ("update", "echo_update") and cid in states:
            states[cid].update(data["state"])
    return list(states.items())


_ID = re.compile(r"IPY_MODEL_[0-9a-f]{32}|qdpv-quiz-\d+|\bp\d{4,}\b"
                 r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _normalised(opened: list[tuple[str, dict]]) -> list[str]:
    """The widgets' states with every widget, Bokeh model, document and element id (the quiz numbers its elements
    per process) replaced by its order of appearance."""
    names: dict[str, str] = {}
    return [_ID.sub(lambda m: names.setdefault(m[0], f"<id{len(names)}>"), json.dumps(state, sort_keys=True))
            for _, state in opened]


def test_prepare_builds_every_app_out_of_the_registry_and_leaves_the_page_setup(fresh_ahead, monkeypatch):
    prepared = _prepared(monkeypatch)
    assert sorted(prepared) == sorted(APPS)
    assert sorted(ahead.ready()) == sorted(APPS)
    assert all(len(widgets) > 20 for widgets in prepared.values())


def test_a_kernel_takes_the_ready_app_once_opening_each_widget_with_what_a_new_app_sends(
        fresh_ahead, monkeypatch):
    module = importlib.import_module("qdpv.ui.carriers_stability")
    prepared = _prepared(monkeypatch)
    shown = _as_kernel(monkeypatch)
    taken = module.build()
    shown_taken = list(shown)
    opened_taken = _opened(RecordingComm.sent)
    widgets = prepared[module.__name__]
    assert taken is not None and module.__name__ not in ahead.ready()
    assert [cid for cid, _ in opened_taken] == [w.model_id for w in widgets], "each widget opened once, in order"
    assert all(isinstance(w.comm, RecordingComm) for w in widgets)
    assert shown_taken[0] == "setup" and len(shown_taken) > 1, "the kernel that takes the app sets the page up"
    assert set(ipw._instances) >= {w.model_id for w in widgets}
    others = {w.model_id for name, ws in prepared.items() if name != module.__name__ for w in ws}
    assert not others & set(ipw._instances), "another app's widgets reached the registry"

    RecordingComm.sent = []
    shown.clear()
    new = module.build()
    opened_new = _opened(RecordingComm.sent)
    assert new is not taken, "a second build() builds a new app"
    assert _normalised(opened_taken) == _normalised(opened_new)
    assert sorted(map(str, shown_taken)) == sorted(map(str, shown)), "the page is shown what a new app shows it"


def test_outside_a_kernel_build_builds_and_leaves_the_ready_apps(fresh_ahead, monkeypatch):
    module = importlib.import_module("qdpv.ui.qd_sizing")
    _prepared(monkeypatch)
    ready_app = ahead._READY[module.__name__][0]
    built = module.build()
    assert built is not ready_app
    assert module.__name__ in ahead.ready()


def test_prepare_refuses_to_run_in_a_kernel(fresh_ahead, monkeypatch):
    _as_kernel(monkeypatch)
    with pytest.raises(RuntimeError, match="forked later"):
        ahead.prepare()
    assert ahead.ready() == []
