"""The UI kit's behaviour that every app relies on: messages instead of tracebacks, one patch per update,
presets applied at once, quiz feedback, the gallery listing."""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import ColumnDataSource

from qdpv.ui import kit
from qdpv.ui.gallery import STEPS, gallery_html


def _app(update, presets=None):
    source = ColumnDataSource({"x": [0.0], "y": [0.0]})
    fig = kit.make_figure("t", "x (nm)", "y (eV)")
    fig.line("x", "y", source=source)
    controls = {"a": kit.slider("a", "nm", 1.0, 0.0, 10.0, 0.5), "b": kit.slider("b", "eV", 2.0, 0.0, 10.0, 0.5)}
    app = kit.StepApp(
        title="test",
        controls=controls,
        figures=fig,
        update=lambda v: update(v, source),
        presets=presets or {},
        quiz=kit.Quiz("q?", ["yes", "no"], 0, "because"),
        csv_tables=[kit.CsvTable("t", source, {"x": "x_nm", "y": "y_eV"})],
        csv_filename="t.csv",
        model_note="note",
    )
    return app, source


def _linear(v, source):
    if v["a"] > 8:
        raise ValueError(f"a must be at most 8 nm, got {v['a']:g}")
    source.data = {"x": np.arange(3.0), "y": v["a"] * np.arange(3.0) + v["b"]}
    source.tags = [v["a"]]  # a second change in the same update
    return f"a = {v['a']:g}"


def test_value_error_becomes_a_readable_message_and_the_app_recovers():
    app, _ = _app(_linear)
    assert app.results.value.endswith("a = 1</div>")
    app.controls["a"].value = 9.0
    assert "a must be at most 8 nm, got 9" in app.error.value
    assert 'role="alert"' in app.error.value
    assert "a = 1</div>" in app.results.value  # the last valid state stays
    app.controls["a"].value = 3.0
    assert app.error.value == ""
    assert "a = 3" in app.results.value


def test_unexpected_errors_never_show_a_traceback(caplog):
    def broken(v, source):
        if v["a"] > 5:
            return 1 / 0
        return "ok"

    app, _ = _app(broken)
    app.controls["a"].value = 6.0
    assert "Something went wrong" in app.error.value and "ZeroDivisionError" in app.error.value
    assert "Traceback" not in app.error.value and "line" not in app.error.value
    assert "qdpv app update failed" in caplog.text  # the traceback goes to the server log only
    app.controls["a"].value = 1.0
    assert app.error.value == ""


def test_one_update_sends_one_document_patch():
    app, _ = _app(_linear)
    sent: list[list] = []
    app.figure_widget._send_patch = sent.append
    app.controls["a"].value = 2.0
    assert len(sent) == 1
    assert len(sent[0]) == 2  # data and tags changes travel together


def test_a_preset_sets_every_control_then_updates_once():
    calls = []

    def counting(v, source):
        calls.append(dict(v))
        return "ok"

    app, _ = _app(counting, presets={"p1": {"a": 4.0, "b": 5.0}, "p2": {"a": 6.0, "b": 7.0}})
    assert calls[-1] == {"a": 4.0, "b": 5.0}  # the first preset is applied at start
    n = len(calls)
    app.presets.value = "p2"
    assert calls[n:] == [{"a": 6.0, "b": 7.0}]


def test_quiz_gives_immediate_feedback():
    box = kit.Quiz("q?", ["right", "wrong"], 0, "the reason").widget()
    choice, feedback = box.children[1], box.children[2]
    choice.value = "wrong"
    assert "Not quite" in feedback.value and "the reason" in feedback.value
    choice.value = "right"
    assert "Correct" in feedback.value


def test_controls_carry_units():
    assert kit.slider("Pore", "nm", 8, 3, 15, 0.1).description == "Pore (nm)"


def test_gallery_links_existing_apps_and_marks_the_rest(tmp_path):
    (tmp_path / STEPS[1].notebook).write_text("{}")
    text = gallery_html(tmp_path)
    assert f'href="{STEPS[1].notebook}"' in text
    assert f'href="{STEPS[0].notebook}"' not in text and "in preparation" in text


@pytest.mark.parametrize("step", STEPS)
def test_gallery_steps_are_numbered_in_order(step):
    assert step.notebook.startswith(f"{step.number:02d}_")


def test_presets_are_snapped_to_the_slider_grid():
    """The browser shows (and sends back) only grid values; the kernel must hold the same value."""
    seen = []

    def record(v, source):
        seen.append(v["a"])
        return "ok"

    app, _ = _app(record, presets={"off-grid": {"a": 4.26, "b": 5.0}})
    assert app.controls["a"].value == 4.5  # grid of the test slider: 0, 0.5, 1, ...
    assert seen[-1] == 4.5
    app.controls["a"].value = 4.5  # what the browser echoes back
    assert app.presets.value == "off-grid"
