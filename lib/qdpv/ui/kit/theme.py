"""The kit's look: colours, figure size and style, the widths and label style of controls, the page's CSS."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from bokeh.plotting import figure

PALETTE = {
    "model": "#1f4e79",  # primary model curve
    "alt": "#c55a11",  # second model / comparison
    "data": "#222222",  # measured points
    "marker": "#7f7f7f",  # reference lines (Bohr radius etc.)
    "highlight": "#2e8b57",
}
FIG_WIDTH = 470
FIG_HEIGHT = 270
LABEL_STYLE = {"description_width": "13.5em"}
CONTROL_LAYOUT = w.Layout(width="31em")

CSS = """
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


def make_figure(title: str, x_label: str, y_label: str, **kwargs: Any) -> figure:
    """A Bokeh figure in the kit's theme. Axis labels must carry their unit, e.g. ``"size (nm)"``.

    Figures are styled only through model properties, never through ``--bk-*`` CSS variables: the page patch
    that skips BokehJS's lookup of those variables relies on it (see ``_bokeh_internals``).
    """
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
