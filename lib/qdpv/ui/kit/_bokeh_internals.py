"""Every use the kit makes of private parts of BokehJS, bokeh and jupyter_bokeh, in one place.

Three changes, each removing work from every slider move (measured with the Chrome performance metrics around
one key press in the band-alignment app, on the versions in :data:`MEASURED`), and a fourth for keyboard and
screen-reader users:

1. In the page, BokehJS's ``Document.prototype._trigger_on_change`` drops the kernel's own changes before
   jupyter_bokeh's listener sends them back. jupyter_bokeh 4.1.0 sends every change of a figure's document to
   the kernel, including the changes the kernel itself has just sent: the browser serialises every new data
   column again (~25 kB for the QD app) and the kernel decodes and re-applies it while the next key press
   waits. BokehJS marks changes that came from the other side with ``event.sync = false`` ("emitted internally
   within bokehjs, not synchronized with the server"; bokeh PR #13406) and Bokeh's own server session drops
   them; so does this, for model and data changes only (roots and titles still pass: the standalone renderer
   listens to those). Changes made in the browser (a zoom, a range) still reach Python.
2. In the page, BokehJS's ``VisualProperties.prototype._get_css_value`` answers "" without asking the browser.
   Before drawing an axis, grid or title, BokehJS 3.9 asks ``getComputedStyle`` for a ``--bk-*`` CSS variable
   per visual property (7 per line), which in the big JupyterLab stylesheet of a Voila page forces style
   recalculation: ~20 ms of style work and ~25 ms of script per update in the band-alignment app. The kit
   styles figures only through model properties (``theme.make_figure``) and Bokeh's own stylesheets set no
   such variable, so the lookup always answers "" here.
3. In the kernel, :class:`BatchedBokehModel` overrides jupyter_bokeh's private ``BokehModel._document_patched``
   to send all figure changes of one update as one document patch, built with bokeh's serializer and
   document-model bookkeeping (``Document.models.synced_references`` and ``flush_synced``).
4. In the page, BokehJS's views leave no unnamed stop in the keyboard's Tab order. ``CanvasView`` makes every
   plot's event layer focusable (``tabIndex = 0``) for key-driven tools, which the kit does not use: a keyboard
   user met an unnamed stop per figure; it keeps ``tabIndex = -1`` (a click can still focus it). The toolbar's
   overflow button ("⋮") and the tool buttons are focusable ``div``s with only a tooltip: they get
   ``role="button"`` and a name (the overflow button also ``aria-haspopup="menu"`` and Space to open it, as a
   button has). The figure itself is named from Python (``app.describe_figure``, Bokeh's public
   ``html_attributes``).

Each change is made only on the versions it was measured with; on any other version the kit does without it
(the apps then work as plain jupyter_bokeh, with the extra work above) and says so once in the log (Python) or
the browser console (JavaScript). The JavaScript also gives up, with a console message, if BokehJS has not
loaded within :data:`BOKEHJS_GIVE_UP_S` seconds.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
from collections.abc import Iterator
from typing import Any

import bokeh
import jupyter_bokeh
from bokeh.core.serialization import Serializer
from bokeh.document.json import PatchJson
from bokeh.models import LayoutDOM
from bokeh.protocol.messages.patch_doc import patch_doc
from IPython.display import Javascript, display
from jupyter_bokeh.widgets import BokehModel

log = logging.getLogger(__name__)

MEASURED = {"bokeh": "3.9.2", "jupyter_bokeh": "4.1.0"}
"""The versions every change here was measured and tested with (BokehJS is the same version as bokeh)."""

BOKEHJS_GIVE_UP_S = 60.0
"""How long the page waits for BokehJS to load before it gives up patching it."""


def installed_versions() -> dict[str, str]:
    """The versions of bokeh and jupyter_bokeh this kernel has imported."""
    return {"bokeh": bokeh.__version__, "jupyter_bokeh": jupyter_bokeh.__version__}


@functools.cache
def patches_apply() -> bool:
    """Whether the installed bokeh and jupyter_bokeh are the measured ones; if not, log once which differ."""
    other = {name: v for name, v in installed_versions().items() if v != MEASURED[name]}
    if other:
        found = ", ".join(f"{name} {v} (measured: {MEASURED[name]})" for name, v in sorted(other.items()))
        log.warning("not patching BokehJS or jupyter_bokeh, whose versions differ from those measured: %s", found)
    return not other


_PAGE_JS = """
(function () {
  const measured = __MEASURED__;
  const giveUpMs = __GIVE_UP_MS__;
  const start = Date.now();
  (function install() {
    const Bokeh = window.Bokeh;
    if (!Bokeh || !Bokeh.require) {
      if (Date.now() - start < giveUpMs) { setTimeout(install, 20); return; }
      console.warn(`qdpv: BokehJS did not load within ${giveUpMs / 1000} s; its figure patches are not applied`);
      window.qdpvBokehPatches = "BokehJS not loaded";
      return;
    }
    if (Bokeh.version !== measured) {
      console.warn(`qdpv: BokehJS ${Bokeh.version} is not ${measured}, the version its figure patches were `
        + "measured with; they are not applied");
      window.qdpvBokehPatches = "not applied to BokehJS " + Bokeh.version;
      return;
    }
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
    const {CanvasView} = Bokeh.require("models/canvas/canvas");
    const {ToolbarView} = Bokeh.require("models/tools/toolbar");
    const {ToolButtonView} = Bokeh.require("models/tools/tool_button");
    const canvasInit = CanvasView.prototype.initialize;
    CanvasView.prototype.initialize = function () {
      canvasInit.call(this);
      this.events_el.tabIndex = -1;
    };
    const toolbarRender = ToolbarView.prototype.render;
    ToolbarView.prototype.render = function () {
      toolbarRender.call(this);
      const el = this._overflow_el;
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", "More tools for this figure");
      el.setAttribute("aria-haspopup", "menu");
      el.addEventListener("keydown", (event) => {
        if (event.key === " ") { event.preventDefault(); this.toggle_menu(); }
      });
    };
    const buttonRender = ToolButtonView.prototype.render;
    ToolButtonView.prototype.render = function () {
      buttonRender.call(this);
      this.el.setAttribute("role", "button");
      this.el.setAttribute("aria-label", this.el.title || "figure tool");
    };
    proto.__qdpvPatched = true;
    window.qdpvBokehPatches = "applied";
  })();
})();
"""


def page_js(bokehjs_version: str = MEASURED["bokeh"], give_up_s: float = BOKEHJS_GIVE_UP_S) -> str:
    """The page's JavaScript that patches BokehJS (changes 1 and 2) if it is ``bokehjs_version``.

    It waits for BokehJS, polling every 20 ms for at most ``give_up_s`` seconds, and leaves its outcome in
    ``window.qdpvBokehPatches``: "applied", "not applied to BokehJS <version>" or "BokehJS not loaded".
    """
    return _PAGE_JS.replace("__MEASURED__", json.dumps(bokehjs_version)).replace(
        "__GIVE_UP_MS__", str(round(give_up_s * 1000))
    )


def install_page_patches() -> None:
    """Send the page patches to the browser, if the installed versions are the measured ones.

    The script waits for BokehJS, which the page loads from the kit's template or the kernel has sent
    (``output_notebook``).
    """
    if patches_apply():
        display(Javascript(page_js()))


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


class UnbatchedBokehModel(BokehModel):
    """jupyter_bokeh's ``BokehModel`` as it is, with a :meth:`batch` that changes nothing (each change is sent
    as it happens): the figure widget on versions :class:`BatchedBokehModel` was not measured with."""

    def batch(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()


FigureWidget = BatchedBokehModel | UnbatchedBokehModel


def figure_widget(layout: LayoutDOM) -> FigureWidget:
    """The widget that shows ``layout``: batched on the measured versions, jupyter_bokeh's own otherwise."""
    if patches_apply():
        return BatchedBokehModel(layout)
    return UnbatchedBokehModel(layout)
