"""Each change the kit makes to BokehJS and jupyter_bokeh (``qdpv.ui.kit._bokeh_internals``), in Chromium: that
it is applied in an app's page, that it does what it is for, and that the page leaves BokehJS alone when its
version is not the measured one or when it never loads.

The tests on a bare page load the installed package's BokehJS file and the kit's patch script, nothing else;
the tests on an app use the band-alignment app, where the patches were measured.
"""

from __future__ import annotations

from pathlib import Path

import bokeh
import pytest

from qdpv.ui.kit import _bokeh_internals
from qdpv_testing.browser import key_latency_ms, open_app, sent_since

pytestmark = pytest.mark.browser

BOKEHJS = Path(bokeh.__file__).parent / "server" / "static" / "js" / "bokeh.min.js"
APP = "03_band_alignment.ipynb"


def _warnings(page) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text) if msg.type == "warning" else None)
    return seen


def _bare_page(page) -> None:
    page.set_content("<!doctype html><html><head><title>patches</title></head><body></body></html>")


def _outcome(page, timeout_ms: float = 10_000) -> str:
    page.wait_for_function("() => window.qdpvBokehPatches !== undefined", timeout=timeout_ms)
    return page.evaluate("() => window.qdpvBokehPatches")


# -- the page script's own checks ------------------------------------------------------------------------------


def test_page_script_leaves_an_unmeasured_bokehjs_alone(page):
    warnings = _warnings(page)
    _bare_page(page)
    # a BokehJS of another version whose internals must not be touched
    page.evaluate(
        """() => { window.Bokeh = {version: "3.8.0",
                                  require() { throw new Error("an internal module was required"); }}; }"""
    )
    page.add_script_tag(content=_bokeh_internals.page_js())
    assert _outcome(page) == "not applied to BokehJS 3.8.0"
    assert any("BokehJS 3.8.0 is not 3.9.2" in w for w in warnings), warnings
    assert page.qdpv_watch.problems() == []


def test_page_script_gives_up_when_bokehjs_never_loads(page):
    warnings = _warnings(page)
    _bare_page(page)
    page.evaluate(
        """() => {
          window.__timers = 0;
          const setTimeout_ = window.setTimeout;
          window.setTimeout = (...args) => { window.__timers += 1; return setTimeout_(...args); };
        }"""
    )
    page.add_script_tag(content=_bokeh_internals.page_js(give_up_s=0.5))
    assert _outcome(page) == "BokehJS not loaded"
    polls = page.evaluate("() => window.__timers")
    assert polls > 1, "the script must wait for BokehJS before giving up"
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__timers") == polls, "the script must stop polling once it gave up"
    assert any("did not load within 0.5 s" in w for w in warnings), warnings
    assert page.qdpv_watch.problems() == []


def test_the_measured_version_is_the_installed_bokehjs(page):
    """The page script compares ``Bokeh.version`` with the Python package's measured version: the same string."""
    _bare_page(page)
    page.add_script_tag(path=str(BOKEHJS))
    assert page.evaluate("() => Bokeh.version") == bokeh.__version__ == _bokeh_internals.MEASURED["bokeh"]


# -- change 1: the kernel's own changes are not sent back -------------------------------------------------------

ECHO_JS = """
() => {
  const {Document} = Bokeh.require("document");
  const {DocumentEventBatch, ModelChangedEvent} = Bokeh.require("document/events");
  const {Range1d, ColumnDataSource} = Bokeh.require("models");
  const doc = new Document();
  const range = new Range1d({start: 0, end: 1});
  const source = new ColumnDataSource({data: {x: [1]}});
  doc.add_root(range);
  doc.add_root(source);
  const name = (e) => e.kind + (e.attr ? ":" + e.attr : "");
  let single = [];
  let whole = [];
  // jupyter_bokeh listens without batches; the standalone renderer with them
  doc.on_change((e) => single.push(name(e)), false);
  doc.on_change((e) => whole.push(e instanceof DocumentEventBatch ? e.events.map(name) : name(e)), true);
  const changed = (e, sync) => { e.sync = sync; return e; };
  const steps = {
    "kernel: a range": () => range.setv({start: 2}, {sync: false}),
    "kernel: two attributes at once": () => range.setv({start: 3, end: 4}, {sync: false}),
    "kernel: new data": () => source.setv({data: {x: [2]}}, {sync: false, check_eq: false}),
    "kernel: streamed data": () => source.stream_to(source.properties.data, {x: [3]}, undefined, {sync: false}),
    "kernel: patched data": () => source.patch_to(source.properties.data, {x: [[0, 9]]}, {sync: false}),
    "browser: a range": () => range.setv({start: 5}),
    "browser: streamed data": () => source.stream_to(source.properties.data, {x: [4]}, undefined),
    "kernel and browser in one batch": () => doc._trigger_on_change(new DocumentEventBatch(doc, [
      changed(new ModelChangedEvent(doc, range, "start", 6), false),
      changed(new ModelChangedEvent(doc, range, "end", 7), true),
    ])),
    "kernel: a title": () => doc.set_title("t", {sync: false}),
    "kernel: a root": () => doc.add_root(new Range1d(), {sync: false}),
  };
  const seen = {};
  for (const [step, run] of Object.entries(steps)) {
    single = [];
    whole = [];
    run();
    seen[step] = {single, whole};
  }
  return seen;
}
"""


def test_kernel_changes_are_not_sent_back_but_browser_changes_are(page):
    _bare_page(page)
    page.add_script_tag(path=str(BOKEHJS))
    page.add_script_tag(content=_bokeh_internals.page_js())
    assert _outcome(page) == "applied"
    seen = page.evaluate(ECHO_JS)
    for step in ("kernel: a range", "kernel: two attributes at once", "kernel: new data", "kernel: streamed data",
                 "kernel: patched data"):
        assert seen[step] == {"single": [], "whole": []}, step
    assert seen["browser: a range"] == {"single": ["ModelChanged:start"], "whole": ["ModelChanged:start"]}
    assert seen["browser: streamed data"] == {"single": ["ColumnsStreamed:data"], "whole": ["ColumnsStreamed:data"]}
    # a batch keeps its browser changes and loses the kernel's
    assert seen["kernel and browser in one batch"] == {"single": ["ModelChanged:end"], "whole": [["ModelChanged:end"]]}
    # roots and titles pass even when they came from the kernel: the standalone renderer listens to them
    assert seen["kernel: a title"]["single"] == ["TitleChanged"]
    assert seen["kernel: a root"]["single"] == ["RootAdded"]
    assert page.qdpv_watch.problems() == []


# -- in an app's page ------------------------------------------------------------------------------------------

FIGURE_JS = """
() => [...Bokeh.index.all_views()].find((v) => v.model.x_range !== undefined && v.model.renderers !== undefined)
"""


def test_app_page_is_patched_and_sends_only_the_browsers_own_changes(page, voila_url):
    open_app(page, f"{voila_url}/voila/render/{APP}")
    assert page.evaluate("() => window.qdpvBokehPatches") == "applied"
    assert page.evaluate("() => Bokeh.require('document').Document.prototype.__qdpvPatched") is True
    mark = page.evaluate("() => window.__qdpvSent.length")
    times = key_latency_ms(page, 0, "ArrowRight")
    assert times["drew"]
    sent = sent_since(page, mark)
    assert sent, "the key press must reach the kernel"
    assert not [m for m in sent if '"event":"jsevent"' in m], "the kernel's figure changes came back from the page"
    # a change made in the browser (what a zoom or pan does to a range) still reaches the kernel
    mark = page.evaluate("() => window.__qdpvSent.length")
    page.evaluate(f"() => {{ ({FIGURE_JS})().model.x_range.start = 1.25; }}")
    page.wait_for_function("(mark) => window.__qdpvSent.length > mark", arg=mark, timeout=10_000)
    sent = sent_since(page, mark)
    assert [m for m in sent if '"event":"jsevent"' in m and '"attr":"start"' in m and "1.25" in m], sent
    assert page.qdpv_watch.problems() == []


# -- change 2: no CSS variable lookups ----------------------------------------------------------------------------

COUNT_CSS_JS = """
() => {
  window.__bkCss = [];
  const get = CSSStyleDeclaration.prototype.getPropertyValue;
  CSSStyleDeclaration.prototype.getPropertyValue = function (name) {
    const value = get.call(this, name);
    if (String(name).startsWith("--bk-")) window.__bkCss.push(value);
    return value;
  };
}
"""

# BokehJS 3.9.2's own lookup, as it was before the patch
UNPATCHED_LOOKUP_JS = """
() => {
  const {VisualProperties} = Bokeh.require("core/visuals/visual");
  window.__patchedLookup = VisualProperties.prototype._get_css_value;
  VisualProperties.prototype._get_css_value = function (name) {
    return getComputedStyle(this.obj.el).getPropertyValue(`${this.css_prefix}${name}`);
  };
}
"""


def test_app_page_repaints_without_css_variable_lookups_and_they_would_all_be_empty(page, voila_url):
    open_app(page, f"{voila_url}/voila/render/{APP}")
    page.evaluate(COUNT_CSS_JS)
    times = key_latency_ms(page, 0, "ArrowRight")
    assert times["drew"]
    assert page.evaluate("() => window.__bkCss.length") == 0, "a repaint looked up --bk-* CSS variables"
    # the same repaint with BokehJS's own lookup: many lookups, every one answering "" (so the patch, which
    # answers "" without asking, draws the same figures)
    page.evaluate(UNPATCHED_LOOKUP_JS)
    times = key_latency_ms(page, 0, "ArrowRight")
    assert times["drew"]
    values = page.evaluate("() => window.__bkCss")
    assert len(values) > 50, f"only {len(values)} lookups: the repaint did not go through the patched function"
    assert set(values) == {""}
    page.evaluate(
        """() => { Bokeh.require("core/visuals/visual").VisualProperties.prototype._get_css_value =
                       window.__patchedLookup; }"""
    )
    assert page.qdpv_watch.problems() == []


# -- change 3: one document patch per update ---------------------------------------------------------------------

COUNT_PATCHES_JS = """
() => {
  window.__bkPatches = [];
  const {Document} = Bokeh.require("document");
  const apply = Document.prototype.apply_json_patch;
  Document.prototype.apply_json_patch = function (patch, buffers) {
    window.__bkPatches.push({events: patch.events.length, buffers: buffers == null ? 0 : buffers.size});
    return apply.call(this, patch, buffers);
  };
}
"""


def test_app_page_gets_one_document_patch_per_key_press(page, voila_url):
    open_app(page, f"{voila_url}/voila/render/{APP}")
    page.evaluate(COUNT_PATCHES_JS)
    times = key_latency_ms(page, 0, "ArrowRight")
    assert times["drew"]
    patches = page.evaluate("() => window.__bkPatches")
    # the update changes several sources; unbatched, each would be a patch of its own, with binary buffers
    assert len(patches) == 1, patches
    assert patches[0]["events"] > 1, patches
    assert patches[0]["buffers"] == 0, "arrays must travel inline, not as extra binary frames"
    assert page.qdpv_watch.problems() == []
