"""The kit's layout and accessibility hooks, without a browser: the grid's parts in reading order, figures that
stretch and are named, controls that name themselves in their tooltip and carry their unit for the page script.
The browser tests (tests/test_browser_a11y.py) check what the page makes of them."""

from __future__ import annotations

import ipywidgets as w
from bokeh.models import ColumnDataSource, Plot

from qdpv.ui import kit
from qdpv.ui.kit import theme


def _app(describe: bool):
    source = ColumnDataSource({"x": [0.0], "y": [0.0]})
    figs = [kit.make_figure("first figure", "x (nm)", "y (eV)"), kit.make_figure("second", "x (nm)", "y (eV)")]
    for fig in figs:
        fig.line("x", "y", source=source)

    def update(v):
        source.data = {"x": [0.0, 1.0], "y": [v["a"], v["a"]]}
        if describe:
            kit.describe_figure(figs[0], f"a flat line at {v['a']:g} eV")
        return f"a = {v['a']:g}"

    from bokeh.layouts import column

    app = kit.StepApp(
        title="test",
        controls={"a": kit.slider("a", "eV", 1.0, 0.0, 10.0, 0.5), "k": kit.slider("k (ratio)", "", 1.0, 0, 2, 1)},
        figures=column(*figs),
        update=update,
        presets={},
        quiz=kit.Quiz("q?", ["yes", "no"], 0, "because"),
        csv_tables=[kit.CsvTable("t", source, {"x": "x_nm", "y": "y_eV"})],
        csv_filename="t.csv",
        model_note="note",
    )
    return app, figs


def test_the_grid_holds_controls_figures_results_quiz_note_in_that_order():
    app, _ = _app(describe=True)
    grid = app.widget.children[1]
    assert "qdpv-app" in grid._dom_classes
    parts = [next(c for c in child._dom_classes if c.startswith("qdpv-")) for child in grid.children]
    assert parts == ["qdpv-controls", "qdpv-figures", "qdpv-outputs", "qdpv-quiz-area", "qdpv-note-area"]
    assert app.presets in grid.children[0].children and app.figure_widget in grid.children[1].children
    assert "qdpv-live" in app.results._dom_classes


def test_describe_figure_names_the_figure_from_the_update_and_follows_the_numbers():
    app, figs = _app(describe=True)
    assert figs[0].html_attributes == {"role": "figure", "aria-label": "first figure. a flat line at 1 eV"}
    app.controls["a"].value = 2.5
    assert figs[0].html_attributes["aria-label"] == "first figure. a flat line at 2.5 eV"
    # a figure the app does not describe is still a named figure: its title
    assert figs[1].html_attributes == {"role": "figure", "aria-label": "second"}


def test_one_update_still_sends_one_patch_with_the_description_in_it():
    app, _ = _app(describe=True)
    sent: list[list] = []
    app.figure_widget._send_patch = sent.append
    app.controls["a"].value = 3.0
    assert len(sent) == 1
    assert {getattr(e, "attr", None) for e in sent[0]} >= {"html_attributes"}


def test_figures_stretch_to_their_column_between_bounds():
    app, _ = _app(describe=False)
    for fig in app.figures.select({"type": Plot}):
        assert fig.sizing_mode == "stretch_width"
        assert (fig.min_width, fig.max_width) == (theme.FIG_MIN_WIDTH, theme.FIG_MAX_WIDTH)
    assert app.figures.sizing_mode == "stretch_width"
    assert app.figures.children[0].sizing_mode == "stretch_width"  # the app's own column


def test_long_titles_and_axis_labels_wrap():
    long = "a title that is much longer than forty characters, so it wraps"
    fig = kit.make_figure(long, long, "y (eV)")
    assert all(len(line) <= theme.TITLE_CHARS for line in fig.title.text.splitlines())
    assert "\n" in fig.title.text and "\n" in fig.xaxis[0].axis_label
    assert kit.wrap_title("short (nm)") == "short (nm)"


def test_controls_name_themselves_in_their_tooltip_and_mark_a_missing_unit():
    s = kit.slider("Pore", "nm", 8, 3, 15, 0.1)
    assert s.description == s.tooltip == "Pore (nm)"
    assert "qdpv-control" in s._dom_classes and "qdpv-unitless" not in s._dom_classes
    ratio = kit.slider("QD coverage (treated)", "", 0.5, 0, 1, 0.1)
    assert "qdpv-unitless" in ratio._dom_classes  # its parenthesis is not a unit
    d = kit.dropdown("Shape", ["cube", "sphere"], "cube")
    assert d.tooltip == "Shape"
    app, _ = _app(describe=False)
    assert app.presets.tooltip


def test_a_control_without_tooltip_gets_its_description():
    box = w.Checkbox(value=True, description="interlayer")
    source = ColumnDataSource({"x": [0.0]})
    fig = kit.make_figure("t", "x (nm)", "y (eV)")
    fig.scatter("x", "x", source=source)
    kit.StepApp(title="t", controls={"c": box}, figures=fig, update=lambda v: "ok", presets={},
                quiz=kit.Quiz("q?", ["a", "b"], 0, "e"), csv_tables=[kit.CsvTable("t", source, {"x": "x"})],
                csv_filename="t.csv", model_note="")
    assert box.tooltip == "interlayer"
