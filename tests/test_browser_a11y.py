"""The gallery and every app for keyboard and screen-reader users and on any screen width, in Chromium.

axe-core (Deque's rules engine, from the PyPI package in requirements-test.txt, injected into the page) must find
no violation of WCAG 2.1 A or AA. Beyond what axe checks: no control label is cut off and each names itself in its
tooltip; every value of every dropdown, once chosen, shows in full at any width; at 320 px (a phone, or a 1280 px
screen at 400 % zoom, WCAG 1.4.10) nothing needs sideways scrolling or is cut off, and the figures come right after
the controls; on a wide screen the figures sit beside the controls and use the width; every slider is named and
reads out the value shown, with its unit, also after a key press; every figure is a labelled figure whose label
follows the numbers; the results text is a polite live region; every Tab stop has a name and a visible focus.
"""

from __future__ import annotations

import re

import pytest

from qdpv_testing import GALLERY, app_notebooks
from qdpv_testing.browser import PageWatch, axe_violations, describe_violations, open_app, tab_stops

APPS = app_notebooks()

pytestmark = pytest.mark.browser

# -- what the page shows, measured in the page -----------------------------------------------------------------

# Controls whose text does not fit: a label cut off (its text wider than its box), or a dropdown with a value that,
# once chosen, would be wider than the box shows (the text's width in the select's font, against the box less its
# padding; the right padding holds the arrow). Every option is measured, not only the one chosen at start: a
# learner may choose any of them, and a native select's box shows the choice on one line.
CUT_JS = """
() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const cut = [];
  for (const label of document.querySelectorAll('.qdpv-app .widget-label')) {
    if (label.offsetParent && label.scrollWidth > label.clientWidth + 1) cut.push('label: ' + label.textContent);
  }
  for (const select of document.querySelectorAll('.qdpv-app select')) {
    if (!select.offsetParent) continue;
    const style = getComputedStyle(select);
    ctx.font = style.font;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const option of select.options) {
      const text = option.textContent;
      const width = ctx.measureText(text).width;
      if (width > room) cut.push(`dropdown value: ${text} (${Math.ceil(width)} > ${Math.floor(room)} px)`);
    }
  }
  return cut;
}
"""

TOOLTIPS_JS = """
() => [...document.querySelectorAll('.qdpv-app .widget-label')].filter((l) => l.offsetParent && l.textContent.trim())
  .map((l) => [l.textContent.trim(), l.getAttribute('title')])
"""

# Horizontal overflow: the page's scrolling container is Voila's #rendered_cells (the document itself does not
# scroll); and any control or figure that reaches past the right edge of the window or starts left of it.
OVERFLOW_JS = """
() => {
  const cells = document.getElementById('rendered_cells');
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth) out.push('document scrolls sideways');
  if (cells.scrollWidth > cells.clientWidth) {
    out.push(`page scrolls sideways (${cells.scrollWidth} > ${cells.clientWidth})`);
  }
  const items = [...document.querySelectorAll('.qdpv-app .qdpv-control, .qdpv-app .widget-checkbox, '
    + '.qdpv-app .widget-upload, .qdpv-app .noUi-handle, .qdpv-app select, .qdpv-figures .jupyter-widgets')];
  for (const el of items) {
    if (!el.offsetParent) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > window.innerWidth + 1) {
      out.push(`${el.className.split(' ').slice(-2).join(' ')} spans ${Math.round(r.left)}-${Math.round(r.right)}`);
    }
  }
  return out;
}
"""

BOXES_JS = """
() => Object.fromEntries(['qdpv-controls', 'qdpv-figures', 'qdpv-outputs', 'qdpv-quiz-area', 'qdpv-note-area'].map(
  (c) => { const r = document.querySelector('.qdpv-app > .' + c).getBoundingClientRect();
           return [c, {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}]; }))
"""

# The sliders as a screen reader gets them: the label's text, the readout, the handle's name and value text.
SLIDERS_JS = """
() => [...document.querySelectorAll('.qdpv-app .widget-slider')].filter((b) => b.offsetParent).map((b) => {
  const h = b.querySelector('.noUi-handle');
  return {label: b.querySelector('.widget-label').textContent.trim(),
          readout: b.querySelector('.widget-readout').textContent.trim(),
          unitless: b.classList.contains('qdpv-unitless'),
          name: h.getAttribute('aria-label'), valuetext: h.getAttribute('aria-valuetext')};
})
"""

# Each Bokeh plot's element (in the shadow roots of the figure widget) with its role and label.
FIGURES_JS = """
() => {
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.classList.contains('bk-Figure')) found.push([el.getAttribute('role'), el.getAttribute('aria-label')]);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document.querySelector('.qdpv-figures'));
  return found;
}
"""


def _open(browser, voila_url: str, notebook: str, width: int, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.qdpv_watch = PageWatch(page)
    if notebook == GALLERY:
        page.goto(f"{voila_url}/voila/render/{notebook}")
        page.locator(f"a[href$='{APPS[-1]}']").first.wait_for(state="attached", timeout=60_000)
    else:
        open_app(page, f"{voila_url}/voila/render/{notebook}")
    page.wait_for_timeout(300)  # Bokeh lays the figures out on the next animation frames
    return page


@pytest.fixture
def opened(browser, voila_url):
    """Open a notebook at a given window width; the pages close after the test."""
    pages = []

    def open_at(notebook: str, width: int, height: int = 900):
        page = _open(browser, voila_url, notebook, width, height)
        pages.append(page)
        return page

    yield open_at
    for page in pages:
        page.context.close()


@pytest.mark.parametrize("notebook", [GALLERY, *APPS])
def test_axe_finds_no_wcag_2_1_a_or_aa_violation(opened, notebook):
    page = opened(notebook, 1366, 768)
    violations = axe_violations(page)
    assert violations == [], f"{notebook}:\n{describe_violations(violations)}"
    assert page.qdpv_watch.problems() == []


@pytest.mark.parametrize("width", [1366, 768, 375])
@pytest.mark.parametrize("notebook", APPS)
def test_no_label_or_chosen_value_is_cut_off_and_tooltips_name_the_control(opened, notebook, width):
    page = opened(notebook, width)
    cut = page.evaluate(CUT_JS)
    assert cut == [], f"{notebook} at {width} px: {cut}"
    for text, title in page.evaluate(TOOLTIPS_JS):
        assert title not in (None, "", "null"), f"the label {text!r} has no tooltip"


@pytest.mark.parametrize("notebook", APPS)
def test_at_320_px_nothing_is_clipped_and_the_figures_follow_the_controls(opened, notebook):
    page = opened(notebook, 320, 640)
    assert page.evaluate(OVERFLOW_JS) == [], notebook
    assert page.evaluate(CUT_JS) == [], notebook
    box = page.evaluate(BOXES_JS)
    assert box["qdpv-controls"]["bottom"] <= box["qdpv-figures"]["top"] + 1
    assert box["qdpv-figures"]["bottom"] <= box["qdpv-outputs"]["top"] + 1
    assert box["qdpv-outputs"]["bottom"] <= box["qdpv-quiz-area"]["top"] + 1


@pytest.mark.parametrize("width", [768, 1366, 1920])
@pytest.mark.parametrize("notebook", APPS[:1])
def test_on_wider_screens_the_figures_sit_beside_the_controls_and_use_the_width(opened, notebook, width):
    page = opened(notebook, width)
    box = page.evaluate(BOXES_JS)
    controls, figures = box["qdpv-controls"], box["qdpv-figures"]
    assert figures["left"] >= controls["right"], "figures beside the controls"
    assert abs(figures["top"] - controls["top"]) < 5, "the figures start level with the controls"
    assert figures["right"] >= width - 60, "the figures fill the width right of the controls"
    assert page.evaluate(OVERFLOW_JS) == []


def _check_sliders(sliders, notebook):
    assert sliders, notebook
    for s in sliders:
        assert s["name"] == s["label"], s
        match = re.search(r"\(([^()]*)\)\s*$", s["label"])
        unit = "" if s["unitless"] or not match else match.group(1).strip()
        assert s["valuetext"] == (f"{s['readout']} {unit}" if unit else s["readout"]), s


@pytest.mark.parametrize("notebook", APPS)
def test_sliders_are_named_and_read_out_the_value_shown_with_its_unit(opened, notebook):
    page = opened(notebook, 1366)
    _check_sliders(page.evaluate(SLIDERS_JS), notebook)
    handle = page.locator(".noUi-handle").first
    handle.focus()
    before = page.evaluate(SLIDERS_JS)[0]["valuetext"]
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(before) => document.querySelector('.noUi-handle').getAttribute('aria-valuetext') !== before", arg=before,
        timeout=10_000)
    _check_sliders(page.evaluate(SLIDERS_JS), notebook)


@pytest.mark.parametrize("notebook", APPS)
def test_figures_are_labelled_from_the_numbers_and_the_results_are_a_polite_live_region(opened, notebook):
    page = opened(notebook, 1366)
    figures = page.evaluate(FIGURES_JS)
    assert figures, notebook
    for role, label in figures:
        assert role == "figure" and label and len(label) > 80, (role, label)
    assert page.locator(".qdpv-live").get_attribute("aria-live") == "polite"
    page.locator(".noUi-handle").first.focus()
    page.keyboard.press("End")
    page.wait_for_function(f"(before) => JSON.stringify(({FIGURES_JS})()) !== before", arg=str(figures),
                           timeout=10_000, polling=100)


@pytest.mark.parametrize("notebook", APPS)
def test_every_tab_stop_is_named_and_shows_its_focus(opened, notebook):
    page = opened(notebook, 1366)
    stops = tab_stops(page)
    assert len(stops) >= 5, stops
    unnamed = [s for s in stops if not s["name"]]
    assert unnamed == [], f"{notebook}: unnamed Tab stops {unnamed}"
    for s in stops:
        style, width = s["outline"]
        assert style != "none" and width >= 2, f"{notebook}: no visible focus on {s}"
