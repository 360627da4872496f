"""The UI kit's behaviour that every app relies on: messages instead of tracebacks, one patch per update,
presets applied at once, quiz feedback, the gallery listing; its changes to BokehJS and jupyter_bokeh made only
on the versions they were measured with."""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from pathlib import Path

import ipywidgets
import numpy as np
import pytest
from bokeh.models import ColumnDataSource
from jupyter_bokeh.widgets import BokehModel
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from qdpv.ui import kit
from qdpv.ui.gallery import ROUTES, STEPS, gallery_html
from qdpv.ui.kit import _bokeh_internals, widgets


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


QUIZ = kit.Quiz(
    "Which is right?",
    ["the first", "the second", "the third"],
    1,
    "because of the reason",
    ["one is too small", "", "three is too large"],
)


def _texts(box) -> list[str]:
    return [b.description for b in box.buttons]


def test_quiz_options_are_buttons_in_a_group_labelled_by_the_question():
    box = QUIZ.widget()
    assert _texts(box) == list(QUIZ.options)
    assert all(isinstance(b, ipywidgets.Button) for b in box.buttons)  # no RadioButtons: arrows must not select
    assert "qdpv-quiz-group" in box.group._dom_classes and list(box.group.children) == box.buttons
    qid = re.search(r'<span id="([^"]+)">Which is right\?</span>', box.question.value).group(1)
    assert "qdpv-quiz-question" in box.question._dom_classes
    other = re.search(r'<span id="([^"]+)">', QUIZ.widget().question.value).group(1)
    assert other != qid  # each quiz's question has its own id, which its group is labelled by
    assert box.feedback.value == "" and not any("qdpv-checked" in b._dom_classes for b in box.buttons)


def test_a_wrong_pick_says_why_without_the_answer_and_invites_a_second_try():
    box = QUIZ.widget()
    box.buttons[0].click()
    text = box.feedback.value
    assert "Not quite." in text and "one is too small" in text and "Try again" in text
    assert "because of the reason" not in text and "the second" not in text  # the answer is not given away
    assert box.buttons[0]._dom_classes == ("qdpv-option", "qdpv-checked")
    box.buttons[0].click()  # the same wrong option again is not a second try
    assert "because of the reason" not in box.feedback.value


def test_a_second_wrong_option_shows_the_answer_and_the_explanation():
    box = QUIZ.widget()
    box.buttons[0].click()
    box.buttons[2].click()
    text = box.feedback.value
    assert "three is too large" in text and "one is too small" not in text
    assert "The answer is <i>the second</i>" in text and "because of the reason" in text
    assert "qdpv-tried" in box.buttons[0]._dom_classes and "qdpv-checked" in box.buttons[2]._dom_classes
    assert "qdpv-checked" not in box.buttons[0]._dom_classes


def test_the_answer_shown_after_two_wrong_tries_reads_as_one_sentence():
    box = kit.Quiz("q?", ["Wrong one.", "Right one.", "Wrong two."], 1, "Because.", ["a b", "", "c d"]).widget()
    box.buttons[0].click()
    box.buttons[2].click()
    assert "The answer is <i>Right one</i>. Because." in box.feedback.value


def test_the_right_pick_is_confirmed_with_the_explanation():
    box = QUIZ.widget()
    box.buttons[1].click()
    assert box.feedback.value.startswith('<div class="qdpv-right"><b>Correct.</b> because of the reason')
    box = QUIZ.widget()
    box.buttons[2].click()
    box.buttons[1].click()
    assert "Correct, on try 2." in box.feedback.value
    box.buttons[0].click()  # after the answer was found, a wrong option's feedback may show the explanation
    assert "one is too small" in box.feedback.value and "because of the reason" in box.feedback.value


def test_quiz_without_reasons_still_withholds_the_explanation_at_first():
    box = kit.Quiz("q?", ["right", "wrong", "also wrong"], 0, "the reason").widget()
    box.buttons[1].click()
    assert "Not quite" in box.feedback.value and "the reason" not in box.feedback.value


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"options": ["only one"]}, "at least 2"),
        ({"answer": 3}, "answer must be an index in [0, 2], got 3"),
        ({"why_wrong": ["a", ""]}, "one entry per option (3), got 2"),
        ({"why_wrong": ["a", "", " "]}, "option(s) [2]"),
    ],
)
def test_quiz_refuses_inconsistent_content(kwargs, words):
    fields = {"question": "q?", "options": ["a", "b", "c"], "answer": 1, "explanation": "e",
              "why_wrong": ["x", "", "y"], **kwargs}
    with pytest.raises(ValueError, match=re.escape(words)):
        kit.Quiz(**fields)


def test_quiz_page_script_moves_focus_with_arrows_and_never_clicks():
    """The page script's keyboard handling (exercised in the browser by test_browser.py's quiz journey)."""
    js = widgets.QUIZ_JS
    assert all(key in js for key in ("ArrowDown", "ArrowUp", "Home", "End", ".focus()"))
    assert ".click(" not in js  # selection is the button's own Space/Enter, never an arrow key
    assert '"radiogroup"' in js and '"aria-checked"' in js and '"aria-labelledby"' in js


def test_controls_carry_units():
    assert kit.slider("Pore", "nm", 8, 3, 15, 0.1).description == "Pore (nm)"


def test_gallery_links_existing_apps_and_marks_the_rest(tmp_path):
    (tmp_path / STEPS[1].notebook).write_text("{}")
    text = gallery_html(tmp_path)
    assert f'href="{STEPS[1].notebook}"' in text
    assert f'href="{STEPS[0].notebook}"' not in text and "in preparation" in text


def test_gallery_shows_the_paths_total_and_the_shorter_routes(tmp_path):
    for s in STEPS:
        (tmp_path / s.notebook).write_text("{}")
    text = gallery_html(tmp_path)
    total = sum(s.minutes for s in STEPS)
    assert f"The whole path: {len(STEPS)} apps, about {total} min" in text
    assert [r.minutes for r in ROUTES] == [45, 90]  # one lesson, a double lesson
    for route in ROUTES:
        assert f"<b>{route.title}</b>, {route.minutes} min:" in text
        for stop in route.stops:
            step = STEPS[stop.step - 1]
            assert f'<a href="{step.notebook}">Step {step.number}, {step.title}</a>, {stop.minutes} min' in text
    # the route links never share the main list's link names ("2. Quantum-dot sizing"), which tests click by name
    names = re.findall(r'<a href="[^"]+">(?:<b>)?([^<]+)<', text)
    assert len([n for n in names if re.match(r"\d\. ", n)]) == len(STEPS)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.key)
def test_a_route_visits_apps_in_order_each_for_no_longer_than_the_whole_path(route):
    numbers = [stop.step for stop in route.stops]
    assert numbers == sorted(set(numbers))
    for stop in route.stops:
        assert 0 < stop.minutes <= STEPS[stop.step - 1].minutes and stop.focus
    assert route.minutes < sum(s.minutes for s in STEPS)


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


# -- the private BokehJS / jupyter_bokeh changes and their version check (kit._bokeh_internals) -----------------


@pytest.fixture
def versions(monkeypatch):
    """Pretend other installed versions of bokeh and jupyter_bokeh (the check is cached per kernel)."""

    def pretend(**found):
        monkeypatch.setattr(_bokeh_internals, "installed_versions", lambda: {**_bokeh_internals.MEASURED, **found})
        _bokeh_internals.patches_apply.cache_clear()

    yield pretend
    _bokeh_internals.patches_apply.cache_clear()


@pytest.fixture
def shown(monkeypatch):
    """What the kit displays in the page, instead of displaying it."""
    out = []
    monkeypatch.setattr(_bokeh_internals, "display", out.append)
    return out


def _layout():
    return kit.make_figure("t", "x (nm)", "y (eV)")


def test_measured_versions_are_the_installed_ones():
    assert _bokeh_internals.installed_versions() == _bokeh_internals.MEASURED


def test_on_the_measured_versions_the_kit_patches(versions, shown, caplog):
    versions()
    _bokeh_internals.install_page_patches()
    assert len(shown) == 1 and '"3.9.2"' in shown[0].data and "_trigger_on_change" in shown[0].data
    assert isinstance(_bokeh_internals.figure_widget(_layout()), kit.BatchedBokehModel)
    assert "not patching" not in caplog.text


@pytest.mark.parametrize("found", [{"bokeh": "3.10.0"}, {"jupyter_bokeh": "4.0.5"}])
def test_on_an_unmeasured_version_the_kit_does_not_patch_and_says_so_once(versions, shown, caplog, found):
    versions(**found)
    _bokeh_internals.install_page_patches()
    widget = _bokeh_internals.figure_widget(_layout())
    assert shown == []  # no page script
    assert not isinstance(widget, kit.BatchedBokehModel)
    assert type(widget)._document_patched is BokehModel._document_patched  # jupyter_bokeh's own
    [(name, version)] = found.items()
    records = [r for r in caplog.records if "not patching" in r.getMessage()]
    assert len(records) == 1 and records[0].levelname == "WARNING"
    assert f"{name} {version} (measured: {_bokeh_internals.MEASURED[name]})" in records[0].getMessage()


def test_an_app_works_unbatched_on_an_unmeasured_version(versions, shown, monkeypatch):
    versions(bokeh="3.10.0")
    sent: list = []
    monkeypatch.setattr(BokehModel, "send", lambda self, content, buffers=None: sent.append(content))
    app, source = _app(_linear)
    app.controls["a"].value = 2.0
    assert app.results.value.endswith("a = 2</div>")
    assert list(source.data["y"]) == [2.0, 4.0, 6.0]
    # jupyter_bokeh's own messages: the data and the tags change each travel as their own patch
    parts = [json.loads(c["payload"]) for c in sent if c.get("msg") == "patch" and "payload" in c]
    assert [p["msgtype"] for p in parts if "msgtype" in p] == ["PATCH-DOC", "PATCH-DOC"]


def test_pyproject_bounds_bokeh_and_jupyter_bokeh_to_the_measured_versions():
    """The package declares the versions the kit's patches check for, and requirements.txt pins them."""
    root = Path(__file__).resolve().parents[1]
    declared = {}
    for dep in tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]:
        req = Requirement(dep)
        declared[canonicalize_name(req.name)] = req.specifier
    pins = dict(
        line.split("==")
        for line in (root / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    pins = {canonicalize_name(k): v.strip() for k, v in pins.items()}
    for name, version in _bokeh_internals.MEASURED.items():
        spec = declared[canonicalize_name(name)]
        assert str(spec) == f"=={version}", (name, str(spec))
        assert pins[canonicalize_name(name)] in spec


# -- the learner's own file: kit.Upload, the download's tables read back -----------------------------------------

def _read_pairs(file) -> np.ndarray:
    """A stand-in analysis: the reader of two-column degradation files, then a number from it."""
    from qdpv.io import read_degradation_csv

    time_h, retained = read_degradation_csv(file)
    return float(time_h[-1]), float(retained[-1])


GOOD = b"time_h,retained\n0,1\n100,0.9\n200,0.8\n"


def _upload_app():
    """A one-slider app with an upload among its controls, drawing the file's last point over its line."""
    source = ColumnDataSource({"x": [0.0], "y": [0.0]})
    mine = ColumnDataSource({"x": [], "y": []})
    fig = kit.make_figure("t", "x (nm)", "y (eV)")
    fig.line("x", "y", source=source)
    fig.scatter("x", "y", source=mine)
    upload = kit.Upload("pairs", formats="two columns", table="your pairs, as read")
    calls = []

    def update(v):
        out = upload.outcome(v["file"], lambda f: calls.append(1) or _read_pairs(f))
        source.data = {"x": [0.0, 1.0], "y": [v["a"], v["a"]]}
        if out.result is not None:
            mine.data = {"x": [out.result[0]], "y": [out.result[1]]}
        return f"a = {v['a']:g}; {out.failure_html()}mine: {out.result}"

    app = kit.StepApp(
        title="test", controls={"a": kit.slider("a", "nm", 1.0, 0.0, 10.0, 0.5), "file": upload}, figures=fig,
        update=update, presets={}, quiz=kit.Quiz("q?", ["yes", "no"], 0, "because"),
        csv_tables=[kit.CsvTable("t", source, {"x": "x_nm", "y": "y_eV"}),
                    kit.CsvTable("your pairs, as read", mine, {"x": "time_h", "y": "retained"})],
        csv_filename="t.csv", model_note="note",
    )
    return app, upload, mine, calls


def test_an_upload_is_read_once_and_stays_while_the_model_moves():
    app, upload, mine, calls = _upload_app()
    upload.load(GOOD, "good.csv")
    assert app.error.value == "" and "mine: (200.0, 0.8)" in app.results.value
    assert "Shown: good.csv" in upload.status.value
    app.controls["a"].value = 3.0  # the model moves; the file is not read again and stays drawn
    assert len(calls) == 1 and mine.data["x"] == [200.0] and "a = 3; mine: (200.0, 0.8)" in app.results.value
    upload.load(GOOD, "good.csv")  # choosing a file again reads it again
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "no data rows"),
        (b"\x00\xff\xfe binary", "line 1: byte 1 is not valid UTF-8"),
        (b"time_h,retained\n0,1\n100,abc\n", "line 3: retained 'abc' is not a number"),
        (b"time_h,retained\n0,1\n100,0.9\n50,0.8\n", "line 4: time_h must be strictly increasing"),
    ],
    ids=["empty", "binary", "text", "non-monotonic"],
)
def test_a_bad_upload_is_reported_once_and_the_last_good_file_stays(content, words):
    app, upload, mine, _ = _upload_app()
    upload.load(GOOD, "good.csv")
    drawn = mine.data
    upload.load(content, "bad.csv")
    assert "your file &#x27;bad.csv&#x27; could not be used" in app.error.value
    assert words.replace("'", "&#x27;") in app.error.value and "Traceback" not in app.error.value
    assert mine.data is drawn  # the figures keep the last good file
    assert "Could not use" in upload.status.value
    app.controls["a"].value = 2.0  # the app goes on with the good file and says the new one was not used
    assert app.error.value == ""
    assert "Your last file could not be used:</b> &#x27;bad.csv&#x27;" in app.results.value
    assert "The figures keep good.csv" in app.results.value and "mine: (200.0, 0.8)" in app.results.value


def test_clear_removes_the_file_and_the_example_button_loads_the_example(tmp_path):
    app, upload, _, _ = _upload_app()
    # what the browser's file dialog sets (ipywidgets 8)
    upload.picker.value = ({"name": "good.csv", "type": "text/csv", "size": len(GOOD), "content": memoryview(GOOD),
                            "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},)
    assert "mine: (200.0, 0.8)" in app.results.value
    upload.clear_button.click()
    assert upload.value is None and upload.picker.value == () and "mine: None" in app.results.value
    assert upload.use_example.layout.display == "none"  # no example file: no button
    example = tmp_path / "pairs_example.csv"
    example.write_bytes(b"0,1\n10,0.5\n")
    with_example = kit.Upload("pairs", formats="", table="t", example=example)
    with_example.use_example.click()
    assert with_example.value.name == "pairs_example.csv" and with_example.value.example
    assert with_example.outcome(with_example.value, _read_pairs).result == (10.0, 0.5)


def test_a_file_over_the_limit_is_refused_without_being_copied_whole():
    from qdpv.io import MAX_CSV_BYTES

    app, upload, _, _ = _upload_app()
    big = b"0,1\n" * (MAX_CSV_BYTES // 4 + 100)
    upload.picker.value = ({"name": "big.csv", "type": "", "size": len(big), "content": memoryview(big),
                            "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},)
    assert len(upload.value.content) == MAX_CSV_BYTES + 1
    assert f"at most {MAX_CSV_BYTES} bytes" in app.error.value


def test_the_apps_download_uploads_back_from_its_table_with_the_files_line_numbers():
    app, upload, _, _ = _upload_app()
    upload.load(GOOD, "good.csv")
    text = kit.download_text(app.figures)
    assert text.startswith("# qdpv-lab test") and "# table: your pairs, as read\ntime_h,retained\n200.0,0.8\n" in text
    upload.load(text.encode(), "download.csv")
    assert app.error.value == "" and "mine: (200.0, 0.8)" in app.results.value
    # a bad value in the table is named by its line in the downloaded file
    lines = text.splitlines()
    k = lines.index("200.0,0.8")
    lines[k] = "200.0,x"
    upload.load("\n".join(lines).encode(), "edited.csv")
    assert f"line {k + 1}: retained &#x27;x&#x27; is not a number" in app.error.value
    # a download of the kit without the table says what to upload instead
    other = b"# qdpv-lab other app\n\n# table: t\nx_nm,y_eV\n0,1\n"
    upload.load(other, "other.csv")
    assert "a qdpv-lab download without the table &#x27;your pairs, as read&#x27;" in app.error.value


def test_download_text_leaves_out_empty_tables_and_columns_and_quotes_text():
    a = ColumnDataSource({"x": [1.0, 2.0], "s": ['say "hi", then', "b"], "nan": [np.nan, np.nan]})
    empty = ColumnDataSource({"x": []})
    fig = kit.make_figure("t", "x (nm)", "y (eV)")
    fig.line("x", "x", source=a)
    button = kit.csv_button([kit.CsvTable("a", a, {"x": "x_nm", "s": "label", "nan": "none_eV"}),
                             kit.CsvTable("empty", empty, {"x": "x_nm"})], "f.csv", "qdpv-lab header")
    from bokeh.layouts import column

    text = kit.download_text(column(fig, button))
    assert text == '# qdpv-lab header\n\n# table: a\nx_nm,label\n1.0,"say ""hi"", then"\n2.0,b\n'


def test_download_table_blanks_every_other_line_and_ignores_other_files():
    from qdpv.ui.kit.download import download_table

    content = b"# qdpv-lab x\n\n# table: a\nx\n1\n\n# table: b\ny\n2\n"
    assert download_table(content, "b") == b"\n\n\n\n\n\n\ny\n2\n"
    assert download_table(b"time,counts\n0,1\n", "b") is None
    with pytest.raises(ValueError, match="without the table 'c'"):
        download_table(content, "c")


@pytest.mark.parametrize(
    ("value", "se", "unit", "text"),
    [
        (357.1905, 1.3052, "m²/g", "357.2 &plusmn; 1.3 m²/g"),
        (150.834, 13.539, "", "151 &plusmn; 14"),
        (12345.0, 135.0, "h", "12340 &plusmn; 140 h"),
        (5.0917e-17, 1.6e-19, "mA/cm²", "(5.092 &plusmn; 0.016) &times; 10<sup>-17</sup> mA/cm²"),
        (0.86775, float("nan"), "", "0.8678"),
        (2.0e-5, 0.0, "1/h", "2 &times; 10<sup>-5</sup> 1/h"),
    ],
)
def test_plus_minus_rounds_the_value_where_its_standard_error_is_known(value, se, unit, text):
    assert kit.plus_minus(value, se, unit) == text


def test_displaying_an_app_trims_the_heap_once_after_its_cell():
    """The app's display registers one post_run_cell callback (glibc's malloc_trim), which has run and removed
    itself once the cell has ended."""
    import asyncio

    from qdpv_testing.kernels import NORMAL, kernel, parent, run

    code = (
        "from qdpv.ui.band_alignment import build\n"
        "ip = get_ipython()\n"
        "before = len(ip.events.callbacks['post_run_cell'])\n"
        "build()._ipython_display_()\n"
        "result = len(ip.events.callbacks['post_run_cell']) - before"
    )

    async def displayed():
        async with kernel(parent(NORMAL)) as (_manager, client):
            during = await run(client, code)
            after = await run(client, "result = len(ip.events.callbacks['post_run_cell']) - before")
            return during, after

    assert asyncio.run(displayed()) == (1, 0)
