"""The kit's look: colours, figure size and style, the widths and label style of controls, the app's layout CSS.

Colours come from the Okabe-Ito palette (Okabe and Ito, "Color Universal Design", 2008), chosen so that viewers
with red-green colour blindness (protanopia, deuteranopia) can still tell them apart; every line colour also has a
contrast of at least 3:1 against the white plot background (WCAG 2.1, 1.4.11) and every text colour at least 4.5:1
(1.4.3). Where two curves must be told apart, a figure gives them a second cue as well: a line dash or a marker
shape.
"""

from __future__ import annotations

import textwrap
from typing import Any

import ipywidgets as w
from bokeh.plotting import figure

PALETTE = {
    "model": "#0072B2",  # primary model curve (Okabe-Ito blue)
    "alt": "#D55E00",  # second model / comparison (Okabe-Ito vermillion); draw it dashed
    "data": "#222222",  # measured points
    "marker": "#6E6E6E",  # reference lines (Bohr radius etc.)
    "highlight": "#009E73",  # the chosen point (Okabe-Ito bluish green); drawn as a diamond
    "extra": "#CC79A7",  # a further series, e.g. the learner's own data (Okabe-Ito reddish purple)
}
FIG_WIDTH = 470
"""Width (px) a figure is drawn at before it stretches to its column (between FIG_MIN_WIDTH and FIG_MAX_WIDTH)."""
FIG_MIN_WIDTH = 260
FIG_MAX_WIDTH = 1100
FIG_HEIGHT = 270
TITLE_CHARS = 40
"""A figure title or axis label longer than this many characters is wrapped: 40 fit a 290 px figure (a 320 px
screen)."""
LABEL_STYLE = {"description_width": "initial"}
CONTROL_LAYOUT = w.Layout(width="auto", max_width="100%")

# The app is one grid: in the page's order controls, figures, results, quiz, model note. On a narrow screen (a
# phone, a zoomed page) that is the order top to bottom, so the figures come right under the controls; from
# 700 px on the controls, results and quiz form a left column, the figures fill the rest of the width, and the
# model note runs under both. The results text and the quiz change height as the learner works; they share no row
# with the top of the figures, so the figures never move (a Bokeh re-layout costs far more than a repaint).
# Controls wrap instead of truncating: a label takes its own line when the column is too narrow for it, and so
# does a dropdown (a native select, whose choice cannot wrap) too wide to sit beside its label: it then spans the
# column, which on a 320 px screen or at 700-800 px leaves about 258 px for its text (kit.dropdown). A number
# field (kit.number) gets the page's focus ring (FOCUS_RING) here: ipywidgets removes its input's outline with a rule
# more specific than the page's.
CSS = """
<style>
.qdpv-app { display:grid !important; grid-template-columns:minmax(0, 1fr); gap:0.8em 1.5em; align-items:start;
  width:100%; max-width:100%; box-sizing:border-box; overflow:visible; }
.qdpv-app > * { min-width:0; max-width:100%; }
@media (min-width: 700px) {
  .qdpv-app { grid-template-columns:clamp(17rem, 38vw, 29rem) minmax(0, 1fr);
    grid-template-areas:"controls figures" "results figures" "quiz figures" "note note";
    grid-template-rows:auto auto 1fr auto; }
  .qdpv-app > .qdpv-controls { grid-area:controls; }
  .qdpv-app > .qdpv-figures { grid-area:figures; }
  .qdpv-app > .qdpv-outputs { grid-area:results; }
  .qdpv-app > .qdpv-quiz-area { grid-area:quiz; }
  .qdpv-app > .qdpv-note-area { grid-area:note; }
}
.qdpv-controls { container-type:inline-size; }
.qdpv-app .widget-inline-hbox { flex-wrap:wrap; height:auto; min-height:var(--jp-widgets-inline-height, 28px);
  align-items:center; row-gap:2px; }
.qdpv-app .widget-inline-hbox > .widget-label { flex:1 1 9em; min-width:0; max-width:100%; width:auto !important;
  white-space:normal; overflow:visible; text-overflow:clip; height:auto; line-height:1.3; text-align:left;
  padding:2px 0; }
@container (max-width: 25em) {
  .qdpv-app .widget-inline-hbox > .widget-label { flex-basis:100%; }
}
.qdpv-app .widget-slider .slider-container { flex:1 1 8em; min-width:6em; }
.qdpv-app .widget-slider .widget-readout { flex:0 0 auto; width:auto; min-width:3.5em; max-width:6em; }
.qdpv-app .widget-dropdown > select { flex:1 0 auto; width:auto; min-width:8em; max-width:100%; }
.qdpv-app .widget-checkbox { width:auto !important; }
.qdpv-app .widget-checkbox > .widget-label { flex:0 0 0; padding:0; }
.qdpv-app .widget-checkbox > label.widget-label-basic { white-space:normal; height:auto; }
.qdpv-outputs .widget-html { min-height:0; }
.qdpv-app .widget-html, .qdpv-app .widget-html-content { height:auto; }
.qdpv-app .widget-html-content { white-space:normal; overflow-wrap:anywhere; }
.qdpv-figures .jupyter-widgets { max-width:100%; }
.qdpv-app .widget-inline-hbox input:focus-visible { outline:3px solid #0072B2 !important; outline-offset:2px;
  box-shadow:0 0 0 2px #fff; }
.qdpv-error { background:#fdecea; color:#611a15; border-left:4px solid #d93025; padding:0.5em 0.8em; }
.qdpv-results { background:#f4f8fb; border-left:4px solid #0072B2; padding:0.4em 0.9em; line-height:1.45; }
.qdpv-note { color:#555; font-size:0.9em; line-height:1.4; }
.qdpv-right { color:#1e6b35; }
.qdpv-wrong { color:#8a3b00; }
</style>
"""


FOCUS_RING = "outline:3px solid #0072B2 !important; outline-offset:2px;"
"""The keyboard focus ring of every focusable part of an app (the page's CSS and the Bokeh stylesheets below)."""
BOKEH_FOCUS_CSS = f":focus-visible {{ {FOCUS_RING} }}"
"""A stylesheet for Bokeh toolbars and buttons (every focusable element in their shadow root: tool buttons, the
overflow button, a button's element), which the page's CSS cannot reach."""


def wrap_title(title: str) -> str:
    """``title`` broken into lines of at most ``TITLE_CHARS`` characters: a Bokeh title does not wrap by itself,
    and would run off a narrow figure. Use it wherever a figure's title is set."""
    return "\n".join(textwrap.wrap(title, TITLE_CHARS)) if title else title


def make_figure(title: str, x_label: str, y_label: str, **kwargs: Any) -> figure:
    """A Bokeh figure in the kit's theme. Axis labels must carry their unit, e.g. ``"size (nm)"``.

    The figure stretches to the width of its column (from ``FIG_MIN_WIDTH`` to ``FIG_MAX_WIDTH`` px) at a fixed
    height; its title has the full width (the toolbar sits below the plot); the title and the axis labels wrap
    after ``TITLE_CHARS``.
    Figures are styled only through model properties, never through ``--bk-*`` CSS variables: the page
    patch that skips BokehJS's lookup of those variables relies on it (see ``_bokeh_internals``).
    """
    opts: dict[str, Any] = {
        "width": FIG_WIDTH,
        "height": FIG_HEIGHT,
        "sizing_mode": "stretch_width",
        "min_width": FIG_MIN_WIDTH,
        "max_width": FIG_MAX_WIDTH,
        "tools": "pan,wheel_zoom,box_zoom,reset,save",
        "toolbar_location": "below",
        "title": title,
        "x_axis_label": wrap_title(x_label),
        "y_axis_label": wrap_title(y_label),
    }
    opts.update(kwargs)
    opts["title"] = wrap_title(title)
    fig = figure(**opts)
    fig.title.text_font_size = "13px"
    fig.axis.axis_label_text_font_size = "13px"
    fig.axis.axis_label_text_font_style = "normal"
    fig.axis.major_label_text_font_size = "12px"
    fig.toolbar.logo = None
    fig.toolbar.stylesheets = [BOKEH_FOCUS_CSS]
    return fig
