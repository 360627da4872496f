"""The app class every qdpv step is: controls, linked figures, results text, presets, quiz, error panel and
CSV download, laid out alike in every app."""

from __future__ import annotations

import contextlib
import html
import logging
import math
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import bokeh
import ipywidgets as w
from bokeh.layouts import column
from bokeh.models import Column, ColumnDataSource, GridBox, LayoutDOM, Plot, Row

from . import _bokeh_internals, page
from .download import CsvTable, csv_button
from .theme import CONTROL_LAYOUT, CSS, LABEL_STYLE
from .widgets import Quiz

log = logging.getLogger("qdpv.ui")

_bokeh_ready = False


def setup_bokeh() -> None:
    """Make the page ready for the kit's figures, once per kernel: BokehJS, then the page patches.

    ``jupyter_bokeh.BokehModel`` widgets render only once BokehJS is in the page. In a Voila page of the kit's
    template it is already there, loaded from the template's static files (:mod:`qdpv.ui.kit.bokehjs`), and the
    kernel sends nothing but the patches. Anywhere else (JupyterLab, or a template folder without this bokeh's
    BokehJS) the kernel sends it with ``output_notebook(INLINE)``: from the installed package, no CDN, but ~8 MB
    through the kernel into the page. The patches are those of ``_bokeh_internals``, applied only on the versions
    they were measured with.

    While apps are built where no page is (:func:`qdpv.ui.kit.page.held`, in the kernels' template) it does nothing:
    which BokehJS a page has is the kernel's to find out, and the kernel that takes the app calls it again.
    """
    global _bokeh_ready
    if _bokeh_ready or page.holding():
        return
    from . import bokehjs  # here, not at the top: python -m qdpv.ui.kit.bokehjs must be its first import

    if not bokehjs.in_page():
        from bokeh.io import output_notebook
        from bokeh.resources import INLINE

        if bokehjs.VOILA_KERNEL_ENV in os.environ:
            log.warning(
                "the kit's Voila template has no BokehJS of bokeh %s: sending it through the kernel instead "
                "(run python -m qdpv.ui.kit.bokehjs <the template folder>)", bokeh.__version__,
            )
        output_notebook(INLINE, hide_banner=True)
    _bokeh_internals.install_page_patches()
    _bokeh_ready = True


def describe_figure(fig: Plot, text: str) -> None:
    """Give ``fig`` a text alternative: screen readers announce it as a figure named "title. text".

    An app's ``update`` calls this with a sentence or two built from the same numbers as its results text (what
    the curves show, where the marked points sit), so that a learner who cannot see the canvas gets what it
    shows. Bokeh sets the attributes on the figure's element in the page; a change travels in the update's one
    document patch and costs the browser no re-layout.
    """
    title = " ".join(fig.title.text.split()) if fig.title is not None else ""
    label = f"{title}. {text}" if title and text else (title or text)
    attrs = {"role": "figure", "aria-label": label}
    if dict(fig.html_attributes) != attrs:
        fig.html_attributes = attrs


def _stretch(layout: LayoutDOM) -> None:
    """Let every row, column and grid of ``layout`` that has no sizing mode of its own take its parent's width."""
    for box in layout.select({"type": LayoutDOM}):
        if isinstance(box, Column | Row | GridBox) and box.sizing_mode is None:
            box.sizing_mode = "stretch_width"


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
        Recomputes the models, assigns the figures' ``source.data``, describes each figure in words with
        :func:`describe_figure` (from the same numbers) and returns the results text (HTML).
        Raises ``ValueError`` with a readable message when a combination of inputs leaves a model's range.
    presets : mapping of label -> {control name: value}
        Named settings (e.g. ``"paper: champion"``); the first entry is applied at start. The names are the
        options of the "Preset" dropdown: each must fit a phone's controls column (see ``kit.dropdown``).
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
        # the results text is the page's polite live region (the page marks the stable container, since the
        # text inside is replaced on every update)
        self.results = w.HTML(layout=w.Layout(width="auto"))
        self.results.add_class("qdpv-live")
        self.error = w.HTML(value="", layout=w.Layout(width="auto"))
        self.presets = w.Dropdown(
            options=["(custom)", *presets],
            value="(custom)",
            description="Preset",
            tooltip="Preset: sets every control to a named case",
            style=LABEL_STYLE,
            layout=CONTROL_LAYOUT,
        )
        self.presets.add_class("qdpv-control")
        for ctrl in self.controls.values():  # a label's tooltip names it in full (ipywidgets shows "null" if unset)
            if getattr(ctrl, "tooltip", "") is None and getattr(ctrl, "description", ""):
                ctrl.tooltip = ctrl.description
        # a slider can only show values on its grid, and the browser sends the snapped value back; snapping
        # here keeps the kernel's state equal to what the learner sees
        self._preset_values = {
            name: {k: _on_grid(self.controls[k], v) for k, v in values.items()} for name, values in presets.items()
        }
        self.figure_widget: _bokeh_internals.FigureWidget | None = None
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
        self.figures = column(figures, button, sizing_mode="stretch_width")
        """The Bokeh layout shown (the app's figures and the CSV button); tests look models up in it."""
        _stretch(self.figures)
        for fig in self.figures.select({"type": Plot}):  # an app that describes no figure still names each one
            if "aria-label" not in fig.html_attributes:
                describe_figure(fig, "")
        self.figure_widget = _bokeh_internals.figure_widget(self.figures)
        note = w.HTML(f'<div class="qdpv-note">{model_note}</div>')

        for ctrl in self.controls.values():
            ctrl.observe(self._on_control, names="value")
        self.presets.observe(self._on_preset, names="value")

        # One grid (theme.CSS) in reading and Tab order: controls, figures, results, quiz, note. Wide screens show
        # the figures beside the controls, narrow ones right under them; what changes height as the learner works
        # (results, error, quiz feedback) never sits above the figures, so a longer text never moves them.
        self.figure_widget.layout = w.Layout(width="100%")
        parts = [
            ("qdpv-controls", w.VBox([self.presets, *self.controls.values()])),
            ("qdpv-figures", w.VBox([self.figure_widget])),
            ("qdpv-outputs", w.VBox([self.error, self.results, *extras])),
            ("qdpv-quiz-area", w.VBox([quiz.widget()])),
            ("qdpv-note-area", note),
        ]
        for css_class, part in parts:
            part.add_class(css_class)
        grid = w.Box([part for _, part in parts])
        grid.add_class("qdpv-app")
        self.widget = w.VBox([w.HTML(CSS), grid], layout=w.Layout(width="100%"))

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
                self.results.value = f'<div class="qdpv-results">{text}</div>'
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
        _trim_after_this_cell()


def _trim_after_this_cell() -> None:
    """Once the cell that displayed an app has finished, hand the heap memory its building and sending freed
    (figure documents, widget states) back to the system: glibc's allocator keeps it otherwise, and on a class
    server every kernel's unique memory counts (``malloc_trim``; step 5's kernel, forked from the template, kept
    67 MB of its own before and 59 MB after). Nothing happens outside IPython or where the C library is not glibc."""
    import ctypes

    from IPython import get_ipython

    shell = get_ipython()
    libc = ctypes.CDLL(None)  # the symbols of the running process, the C library's among them
    if shell is None or not hasattr(libc, "malloc_trim"):
        return

    def trim(_result: object = None) -> None:
        shell.events.unregister("post_run_cell", trim)
        libc.malloc_trim(0)

    shell.events.register("post_run_cell", trim)
