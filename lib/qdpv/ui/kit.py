"""The UI kit every qdpv app is built from, so that all apps look and behave alike.

An app is a :class:`StepApp`: controls on the left (each with its unit), linked Bokeh figures on the right,
a results text that updates with the numbers and says what to notice, a model note saying how simple the
model behind them is, presets, a "check your understanding" question with immediate feedback, an error
panel that shows a readable message (never a traceback) when inputs leave a model's range, and a button that
downloads the data behind the figures as CSV.

The CSV is assembled in the browser from the figures' own ``ColumnDataSource`` objects, so the file always
holds exactly what is plotted and the kernel does no work for it.
"""

from __future__ import annotations

import contextlib
import html
import logging
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
from bokeh.core.serialization import Serializer
from bokeh.document.json import PatchJson
from bokeh.layouts import column
from bokeh.models import Button, ColumnDataSource, CustomJS, LayoutDOM
from bokeh.plotting import figure
from bokeh.protocol.messages.patch_doc import patch_doc
from IPython.display import Javascript, display
from jupyter_bokeh.widgets import BokehModel

__all__ = [
    "Quiz",
    "StepApp",
    "dropdown",
    "make_figure",
    "setup_bokeh",
    "slider",
]

log = logging.getLogger("qdpv.ui")

PALETTE = {
    "model": "#1f4e79",  # primary model curve
    "alt": "#c55a11",  # second model / comparison
    "data": "#222222",  # measured points
    "marker": "#7f7f7f",  # reference lines (Bohr radius etc.)
    "highlight": "#2e8b57",
}
FIG_WIDTH = 470
FIG_HEIGHT = 270
_LABEL_STYLE = {"description_width": "13.5em"}
_CONTROL_LAYOUT = w.Layout(width="31em")

_bokeh_ready = False


def setup_bokeh() -> None:
    """Load BokehJS into the page from the installed package (no CDN), once per kernel.

    ``jupyter_bokeh.BokehModel`` widgets render only after BokehJS has been loaded; ``INLINE`` resources make the
    app work on a network with no internet access.
    """
    global _bokeh_ready
    if _bokeh_ready:
        return
    from bokeh.io import output_notebook
    from bokeh.resources import INLINE

    output_notebook(INLINE, hide_banner=True)
    display(Javascript(_BOKEH_PAGE_JS))
    _bokeh_ready = True


# Two changes to BokehJS in the page, each removing work from every slider move (measured with the Chrome
# performance metrics around one key press in the band-alignment app):
# 1. jupyter_bokeh 4.1.0 sends every change of a figure's document back to the kernel, including the changes
#    the kernel itself has just sent: the browser serialises every new data column again (~25 kB for the QD
#    app) and the kernel decodes and re-applies it while the next key press waits. BokehJS marks changes that
#    came from the other side with ``event.sync = false`` ("emitted internally within bokehjs, not synchronized
#    with the server"; bokeh PR #13406) and Bokeh's own server session drops them; so does this, for model and
#    data changes only (roots and titles still pass: the standalone renderer listens to those). Changes made in
#    the browser (a zoom, a range) still reach Python.
# 2. Before drawing an axis, grid or title, BokehJS 3.9 asks ``getComputedStyle`` for a ``--bk-*`` CSS variable
#    per visual property (7 per line), which in the big JupyterLab stylesheet of a Voila page forces style
#    recalculation: ~20 ms of style work and ~25 ms of script per update in the band-alignment app. The kit
#    styles figures only through model properties (``make_figure``), Bokeh's own stylesheets set no such
#    variable, so the lookup always answers "" here; it now does so without asking the browser.
_BOKEH_PAGE_JS = """
(function install() {
  const Bokeh = window.Bokeh;
  if (!Bokeh || !Bokeh.require) { setTimeout(install, 20); return; }
  const {Document} = Bokeh.require("document");
  const {DocumentEventBatch} = Bokeh.require("document/events");
  const {VisualProperties} = Bokeh.require("core/visuals/visual");
  const proto = Document.prototype;
  if (proto.__qdpvPatched) return;
  const kinds = new Set(["ModelChanged", "ColumnDataChanged", "ColumnsStreamed", "ColumnsPatched"]);
  const echo = (e) => e.sync === false && kinds.has(e.kind);
  const trigger = proto._trigger_on_change;
  proto._trigger_on_change = function (event) {
    if (event instanceof DocumentEventBatch) {
      const kept = event.events.filter((e) => !echo(e));
      if (kept.length === 0) return;
      if (kept.length !== event.events.length) event = new DocumentEventBatch(this, kept);
    } else if (echo(event)) {
      return;
    }
    trigger.call(this, event);
  };
  VisualProperties.prototype._get_css_value = () => "";
  proto.__qdpvPatched = true;
})();
"""


def make_figure(title: str, x_label: str, y_label: str, **kwargs: Any) -> figure:
    """A Bokeh figure in the kit's theme. Axis labels must carry their unit, e.g. ``"size (nm)"``."""
    opts: dict[str, Any] = {
        "width": FIG_WIDTH,
        "height": FIG_HEIGHT,
        "tools": "pan,wheel_zoom,box_zoom,reset,save",
        "toolbar_location": "above",
        "title": title,
        "x_axis_label": x_label,
        "y_axis_label": y_label,
    }
    opts.update(kwargs)
    fig = figure(**opts)
    fig.title.text_font_size = "13px"
    fig.axis.axis_label_text_font_size = "12px"
    fig.axis.axis_label_text_font_style = "normal"
    fig.toolbar.logo = None
    return fig


def slider(
    label: str, unit: str, value: float, lo: float, hi: float, step: float, fmt: str = ".2f"
) -> w.FloatSlider:
    """A float slider whose description carries its unit: ``label (unit)``."""
    desc = f"{label} ({unit})" if unit else label
    return w.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=desc,
        readout_format=fmt,
        continuous_update=True,
        style=_LABEL_STYLE,
        layout=_CONTROL_LAYOUT,
    )


def dropdown(label: str, options: Sequence[Any], value: Any) -> w.Dropdown:
    """A dropdown in the kit's style; ``options`` as ipywidgets accepts them (labels or (label, value))."""
    return w.Dropdown(options=options, value=value, description=label, style=_LABEL_STYLE, layout=_CONTROL_LAYOUT)


@dataclass(frozen=True)
class Quiz:
    """A "check your understanding" question with immediate feedback.

    Attributes
    ----------
    question : str
    options : sequence of str
    answer : int
        Index of the correct option.
    explanation : str
        Shown with the verdict once the learner picks an option.
    """

    question: str
    options: Sequence[str]
    answer: int
    explanation: str

    def widget(self) -> w.VBox:
        feedback = w.HTML(value="", layout=w.Layout(min_height="2em"))
        choice = w.RadioButtons(options=list(self.options), value=None, layout=w.Layout(width="auto"))

        def on_pick(change: Mapping[str, Any]) -> None:
            picked = change["new"]
            if picked is None:
                feedback.value = ""
                return
            right = self.options.index(picked) == self.answer
            verdict = "Correct." if right else "Not quite."
            css = "qdpv-right" if right else "qdpv-wrong"
            feedback.value = (
                f'<div class="{css}" role="status"><b>{verdict}</b> {html.escape(self.explanation)}</div>'
            )

        choice.observe(on_pick, names="value")
        title = w.HTML(f"<b>Check your understanding.</b> {html.escape(self.question)}")
        box = w.VBox([title, choice, feedback], layout=w.Layout(margin="1em 0 0 0"))
        box.add_class("qdpv-quiz")
        return box


_CSV_JS = """
function cell(v) {
  if (typeof v === 'number') { return Number.isFinite(v) ? String(v) : ''; }
  const s = String(v);
  return /[",\\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
const out = ['# ' + header];
for (let t = 0; t < sources.length; t++) {
  const data = sources[t].data;
  const cols = columns[t];
  const n = cols.length ? data[cols[0]].length : 0;
  out.push('');
  out.push('# table: ' + titles[t]);
  out.push(labels[t].map(cell).join(','));
  for (let i = 0; i < n; i++) {
    out.push(cols.map((c) => cell(data[c][i])).join(','));
  }
}
const blob = new Blob([out.join('\\n') + '\\n'], {type: 'text/csv;charset=utf-8'});
const url = URL.createObjectURL(blob);
const a = document.createElement('a');
a.href = url;
a.download = filename;
document.body.appendChild(a);
a.click();
a.remove();
setTimeout(() => URL.revokeObjectURL(url), 1000);
"""


@dataclass(frozen=True)
class CsvTable:
    """One table of the CSV download: a plotted source and the columns to write, with their headers."""

    title: str
    source: ColumnDataSource
    columns: Mapping[str, str]  # source column -> header with unit, e.g. {"x": "size_nm"}


def csv_button(tables: Sequence[CsvTable], filename: str, header: str) -> Button:
    """A Bokeh button that downloads ``tables`` as one CSV file, assembled in the browser."""
    button = Button(label="Download the plotted data (CSV)", button_type="default", width=260)
    button.js_on_event(
        "button_click",
        CustomJS(
            args={
                "sources": [t.source for t in tables],
                "columns": [list(t.columns) for t in tables],
                "labels": [list(t.columns.values()) for t in tables],
                "titles": [t.title for t in tables],
                "filename": filename,
                "header": header,
            },
            code=_CSV_JS,
        ),
    )
    return button


class BatchedBokehModel(BokehModel):
    """``jupyter_bokeh.BokehModel`` that can send many figure changes as one document patch.

    ``BokehModel`` sends every change (each ``source.data = ...``, each colour) as its own PATCH-DOC message,
    several websocket frames each, and the browser re-renders after each. Inside :meth:`batch` the changes
    are collected and sent together when the block ends, so one slider move costs one patch and one render.
    """

    _pending: list[Any] | None = None

    def _document_patched(self, event: Any) -> None:
        if event.setter is self:
            return
        if self._pending is not None:
            self._pending.append(event)
            return
        self._send_patch([event])

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        self._pending = []
        try:
            yield
        finally:
            events, self._pending = self._pending, None
            if events:
                self._send_patch(events)

    def _send_patch(self, events: list[Any]) -> None:
        # Bokeh's own PATCH-DOC message, but with arrays inlined (base64) instead of as binary buffers:
        # BokehModel sends every buffer as two more websocket frames, each passing kernel, server and browser,
        # which cost more than the data (an app update has ~10 arrays of a few kB).
        doc = events[0].document
        serializer = Serializer(references=doc.models.synced_references, deferred=False)
        content = PatchJson(events=serializer.encode(events))
        doc.models.flush_synced(lambda model: not serializer.has_ref(model))
        msg = patch_doc(patch_doc.create_header(), {}, content)
        for part in (msg.header_json, msg.metadata_json, msg.content_json):
            self.send({"msg": "patch", "payload": part})


_CSS = """
<style>
.qdpv-error { background:#fdecea; color:#611a15; border-left:4px solid #d93025; padding:0.5em 0.8em; }
.qdpv-results { background:#f4f8fb; border-left:4px solid #1f4e79; padding:0.4em 0.9em; line-height:1.45; }
.qdpv-note { color:#555; font-size:0.9em; line-height:1.4; }
.qdpv-quiz .widget-radio-box label { height:auto; line-height:1.35; white-space:normal; margin:0.15em 0; }
.qdpv-quiz .widget-radio-box label input { vertical-align:top; margin-top:0.2em; }
.qdpv-right { color:#1e6b35; }
.qdpv-wrong { color:#8a3b00; }
</style>
"""


def _on_grid(control: w.ValueWidget, value: Any) -> Any:
    """``value`` snapped to the slider's grid (min + k * step) and clipped to its range; others unchanged."""
    if not isinstance(control, w.FloatSlider | w.IntSlider):
        return value
    k = round((value - control.min) / control.step)
    snapped = min(max(control.min + k * control.step, control.min), control.max)
    return type(control.value)(round(snapped, 12))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


class StepApp:
    """Controls, linked figures, results text, presets, quiz, error panel and CSV download for one step.

    Parameters
    ----------
    controls : mapping of name -> widget
        Every widget's ``value`` is passed to ``update`` under its name.
    figures : bokeh LayoutDOM
        The app's linked figures (one Bokeh layout, rendered as one widget).
    update : callable(values) -> str
        Recomputes the models, assigns the figures' ``source.data`` and returns the results text (HTML).
        Raises ``ValueError`` with a readable message when a combination of inputs leaves a model's range.
    presets : mapping of label -> {control name: value}
        Named settings (e.g. ``"paper: champion"``); the first entry is applied at start.
    quiz : Quiz
    csv_tables : sequence of CsvTable
        What the download button writes.
    csv_filename : str
    model_note : str
        HTML shown under the figures: what is simplified or phenomenological, which values are the paper's and
        which are illustrative.
    extras : sequence of widgets
        Further outputs shown under the results text (e.g. a table the ``update`` function rewrites).
    """

    def __init__(
        self,
        *,
        title: str,
        controls: Mapping[str, w.ValueWidget],
        figures: LayoutDOM,
        update: Callable[[dict[str, Any]], str],
        presets: Mapping[str, Mapping[str, Any]],
        quiz: Quiz,
        csv_tables: Sequence[CsvTable],
        csv_filename: str,
        model_note: str,
        extras: Sequence[w.Widget] = (),
    ) -> None:
        setup_bokeh()
        self.controls = dict(controls)
        self.csv_tables = tuple(csv_tables)
        self._update = update
        self._holding = False
        self.results = w.HTML(layout=w.Layout(width="auto"))
        self.error = w.HTML(value="", layout=w.Layout(width="auto"))
        self.presets = w.Dropdown(
            options=["(custom)", *presets],
            value="(custom)",
            description="Preset",
            style=_LABEL_STYLE,
            layout=_CONTROL_LAYOUT,
        )
        # a slider can only show values on its grid, and the browser sends the snapped value back; snapping
        # here keeps the kernel's state equal to what the learner sees
        self._preset_values = {
            name: {k: _on_grid(self.controls[k], v) for k, v in values.items()} for name, values in presets.items()
        }
        self.figure_widget: BatchedBokehModel | None = None
        # The first state is computed before the figures become a widget: the widget ships the whole document
        # (with its data) when the page shows it, whereas patches sent before the page is there are lost.
        first = next(iter(presets), None)
        if first is not None:
            with self._held():
                self.presets.value = first
            self.apply_preset(first)
        else:
            self.refresh()
        header = f"qdpv-lab {title}: data behind the figures (simplified models; see the app's model note)"
        button = csv_button(csv_tables, csv_filename, header)
        self.figures = column(figures, button)
        """The Bokeh layout shown (the app's figures and the CSV button); tests look models up in it."""
        self.figure_widget = BatchedBokehModel(self.figures)
        note = w.HTML(f'<div class="qdpv-note">{model_note}</div>')

        for ctrl in self.controls.values():
            ctrl.observe(self._on_control, names="value")
        self.presets.observe(self._on_preset, names="value")

        # Everything that changes size (results, error, quiz feedback) sits in the left column; the figures have
        # a fixed size, so a longer text never reflows them (a Bokeh re-layout costs far more than a re-render).
        left = w.VBox(
            [self.presets, *self.controls.values(), self.error, self.results, *extras, quiz.widget()],
            layout=w.Layout(width="32em", margin="0 1.5em 0 0"),
        )
        self.figure_widget.layout = w.Layout(width=f"{FIG_WIDTH + 40}px")
        right = w.VBox([self.figure_widget, note], layout=w.Layout(width=f"{FIG_WIDTH + 60}px"))
        self.widget = w.VBox([w.HTML(_CSS), w.HBox([left, right], layout=w.Layout(flex_flow="row wrap"))])

    # -- behaviour -------------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """Current control values by name."""
        return {name: ctrl.value for name, ctrl in self.controls.items()}

    def refresh(self) -> None:
        """Recompute everything from the current control values; show a message instead of failing."""
        batch = self.figure_widget.batch() if self.figure_widget is not None else contextlib.nullcontext()
        try:
            with batch:
                text = self._update(self.values())
                # the text leaves before the figures' patch (sent as the batch ends): the browser shows it at
                # once instead of after applying and painting the patch
                self.error.value = ""
                self.results.value = f'<div class="qdpv-results" aria-live="polite">{text}</div>'
        except ValueError as exc:
            self.error.value = (
                f'<div class="qdpv-error" role="alert"><b>Check the inputs:</b> '
                f"{html.escape(str(exc))}. The figures still show the last valid state.</div>"
            )
            return
        except Exception as exc:  # an app must keep working; the traceback goes to the server log only
            log.exception("qdpv app update failed")
            self.error.value = (
                f'<div class="qdpv-error" role="alert"><b>Something went wrong</b> '
                f"({html.escape(type(exc).__name__)}). Try other values or a preset.</div>"
            )
            return

    def source(self, title: str) -> ColumnDataSource:
        """The plotted source of the CSV table called ``title``."""
        return {t.title: t.source for t in self.csv_tables}[title]

    def apply_preset(self, name: str) -> None:
        """Set every control named in preset ``name`` at once, then recompute once."""
        with self._held():
            for key, value in self._preset_values[name].items():
                self.controls[key].value = value
        self.refresh()

    @contextlib.contextmanager
    def _held(self) -> Iterator[None]:
        """Change widgets without their observers recomputing the app (one refresh follows instead)."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def _on_control(self, change: Mapping[str, Any]) -> None:
        if self._holding:
            return
        if self.presets.value != "(custom)" and not self._matches(self.presets.value):
            with self._held():
                self.presets.value = "(custom)"
        self.refresh()

    def _on_preset(self, change: Mapping[str, Any]) -> None:
        if self._holding or change["new"] == "(custom)":
            return
        self.apply_preset(change["new"])

    def _matches(self, preset: str) -> bool:
        # the browser echoes slider values back with float rounding (0.1 + 7 * 0.1 != 0.8)
        return all(_same(self.controls[k].value, v) for k, v in self._preset_values[preset].items())

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
