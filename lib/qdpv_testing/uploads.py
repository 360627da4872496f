"""Files a learner might upload that the apps must refuse, each with the words the refusal must hold.

One list per kind of measurement (the kinds of :data:`qdpv.datasets.EXAMPLES`): every kind gets an empty file, a
binary one, one over :data:`qdpv.io.MAX_CSV_BYTES`, one with columns of another kind, text where a number belongs,
a value that breaks the order, a NaN; and the faults of its own (negative pressures, a decay with no counts, ...).
The words are the reader's, naming the line at fault where one is; the app and browser tests look for them in the
app's error panel (HTML-escaped there).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bokeh.models import ColumnDataSource, Range1d

from qdpv.io import MAX_CSV_BYTES
from qdpv.ui.kit import download_text


@dataclass(frozen=True)
class BadFile:
    """One file to refuse: a short id for the test's name, the content, the words the message must hold."""

    id: str
    content: bytes
    words: str


def _common(row: bytes) -> list[BadFile]:
    """The faults of any kind: empty, binary, over the size limit (``row`` repeated)."""
    return [
        BadFile("empty", b"", "the file contains no data rows"),
        BadFile("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "line 1: byte 0 is not valid UTF-8"),
        BadFile("too-large", row * (MAX_CSV_BYTES // len(row) + 1), f"at most {MAX_CSV_BYTES} bytes"),
    ]


BAD_FILES: dict[str, list[BadFile]] = {
    "isotherm": [
        *_common(b"0.1,1.0\n"),
        BadFile("wrong-columns", b"time (ns),counts\n0,5\n0.1,9\n0.2,4\n",
                "line 1: the header ['time (ns)', 'counts'] needs a pressure column"),
        BadFile("text", b"p/p0,n (mmol/g)\n0.1,1.0\n0.2,abc\n0.3,3.0\n", "line 3: n (mmol/g) 'abc' is not a number"),
        BadFile("non-monotonic", b"p/p0,n (mmol/g),branch\n0.1,1,ads\n0.3,2,ads\n0.2,3,ads\n",
                "line 4: p_rel must rise from row to row within the adsorption branch"),
        BadFile("nan", b"p/p0,n (mmol/g)\n0.1,1.0\n0.2,nan\n0.3,3.0\n", "line 3: n (mmol/g) must be a finite number"),
        BadFile("negative-pressure", b"p (kPa),p0 (kPa),n (mmol/g)\n10,100,1\n-20,100,2\n30,100,3\n",
                "line 3: p (kPa) must be in (0, inf), got -20"),
    ],
    "spectrum": [
        *_common(b"500,1\n"),
        BadFile("wrong-columns", b"time (ns),counts\n0,5\n0.1,9\n0.2,4\n",
                "line 1: the header ['time (ns)', 'counts'] needs an axis column"),
        BadFile("text", b"wavelength (nm),PL (counts)\n500,1\n510,x\n520,1\n",
                "line 3: PL (counts) 'x' is not a number"),
        BadFile("non-monotonic", b"wavelength (nm),PL (counts)\n500,1\n520,3\n510,1\n530,1\n",
                "line 4: wavelength_nm must rise from row to row, got 510 after 520 on line 3"),
        BadFile("nan", b"wavelength (nm),PL (counts)\n500,1\n510,NaN\n520,1\n",
                "line 3: PL (counts) must be a finite number"),
        BadFile("no-signal", b"wavelength (nm),PL (counts)\n500,0\n510,0\n520,0\n",
                "the signal has no positive value"),
    ],
    "jv": [
        *_common(b"0.1,20\n"),
        BadFile("wrong-columns", b"time (ns),counts\n0,5\n0.1,9\n0.2,4\n",
                "line 1: the header ['time (ns)', 'counts'] needs a voltage column"),
        BadFile("text", b"V,J (mA/cm2)\n0,20\n0.5,abc\n1.0,-5\n", "line 3: J (mA/cm2) 'abc' is not a number"),
        BadFile("non-monotonic", b"V,J (mA/cm2),direction\n0,20,up\n0.5,19,up\n0.4,19.5,up\n1.0,-5,up\n",
                "line 4: voltage_V must rise from row to row within the sweep labelled 'up'"),
        BadFile("nan", b"V,J (mA/cm2)\n0,20\n0.5,nan\n1.0,-5\n", "line 3: J (mA/cm2) must be a finite number"),
        BadFile("current-without-area", b"V,I (mA)\n0,2\n0.5,1.9\n1.0,-0.5\n", "area_cm2 must be given"),
    ],
    "decay": [
        *_common(b"0.1,5\n"),
        BadFile("wrong-columns", b"wavelength (nm),PL (counts)\n500,1\n510,3\n520,1\n",
                "line 1: the header ['wavelength (nm)', 'PL (counts)'] needs a time column"),
        BadFile("text", b"time (ns),counts\n0,5\n0.1,five\n0.2,4\n", "line 3: counts 'five' is not a number"),
        BadFile("non-monotonic", b"time (ns),counts\n0,5\n0.2,9\n0.1,4\n0.3,2\n",
                "line 4: time_ns must be strictly increasing"),
        BadFile("nan", b"time (ns),counts\n0,5\n0.1,nan\n0.2,4\n", "line 3: counts must be a finite number"),
        BadFile("no-counts", b"time (ns),counts\n0,0\n0.1,0\n0.2,0\n0.3,0\n",
                "counts are all 0: the decay has no counts"),
    ],
    "pl_temperature": [
        *_common(b"100,1\n"),
        BadFile("wrong-columns", b"wavelength (nm),counts\n500,1\n510,3\n520,1\n",
                "line 1: the header ['wavelength (nm)', 'counts'] needs a temperature column"),
        BadFile("text", b"T (K),PL\n100,1\n200,one\n300,0.5\n", "line 3: PL 'one' is not a number"),
        BadFile("non-monotonic", b"T (K),PL\n100,1\n200,0.8\n150,0.9\n300,0.5\n",
                "line 4: temperature_K must rise from row to row"),
        BadFile("nan", b"T (K),PL\n100,1\n200,nan\n300,0.5\n", "line 3: PL must be a finite number"),
        BadFile("negative-intensity", b"T (K),PL\n100,1\n200,-0.8\n300,0.5\n", "line 3: intensity must be in (0"),
    ],
    "degradation": [
        *_common(b"0,1\n"),
        BadFile("text", b"time_h,retained\n0,abc\n100,0.9\n", "line 2: retained 'abc' is not a number"),
        BadFile("non-monotonic", b"time_h,retained\n0,1\n200,0.9\n100,0.8\n",
                "line 4: time_h must be strictly increasing"),
        BadFile("nan", b"time_h,retained\n0,1\n100,nan\n", "line 3: retained must be a finite number"),
    ],
}
"""Kind of measurement -> files of that kind the app must refuse."""


def figure_state(app: Any) -> list[tuple[Any, ...]]:
    """What an app's figures show, by identity: each source's data object and each range's ends.

    Equal before and after an update (compared with :func:`same_figures`) means the update changed no figure.
    """
    state: list[tuple[Any, ...]] = [(src, src.data) for src in app.figures.select({"type": ColumnDataSource})]
    state += [(r, r.start, r.end) for r in app.figures.select({"type": Range1d})]
    return state


def same_figures(before: list[tuple[Any, ...]], after: list[tuple[Any, ...]]) -> bool:
    """True if no source got new data and no range moved between the two :func:`figure_state` snapshots."""
    return len(before) == len(after) and all(
        a[0] is b[0] and (a[1] is b[1] if len(a) == 2 else a[1:] == b[1:]) for a, b in zip(before, after, strict=True)
    )


def refuse_then_go_on(app: Any, upload: str, bad: BadFile, control: str, value: Any) -> None:
    """Load the example, then ``bad``: the app must refuse it with the reader's words and keep its figures and
    text; moving ``control`` to ``value`` then clears the message, and the results say the file was not used
    while the example stays on. What every app with an upload promises (the tests add their app's own checks)."""
    panel = app.controls[upload]
    panel.load_example()
    before, text = figure_state(app), app.results.value
    panel.load(bad.content, "bad.csv")
    assert "your file &#x27;bad.csv&#x27; could not be used: " in app.error.value
    assert html.escape(bad.words) in app.error.value and "Traceback" not in app.error.value
    assert same_figures(before, figure_state(app)) and app.results.value == text
    app.controls[control].value = value
    assert app.error.value == ""
    assert "Your last file could not be used:</b> &#x27;bad.csv&#x27;" in app.results.value
    assert panel.example.name in app.results.value


def download_back(app: Any, upload: str, table: str, filename: str, yours: Callable[[Any], str]) -> tuple[str, str]:
    """Load the example into ``upload``, then the app's own CSV download (saved as ``filename``): the analysis
    ``table`` must come back the same to the last digit. Returns the learner's part of the results text
    (``yours``) before and after, for the test to compare."""
    app.controls[upload].load_example()
    report, text = dict(app.source(table).data), yours(app)
    app.controls[upload].load(download_text(app.figures).encode(), filename)
    assert app.error.value == ""
    again = app.source(table).data
    assert again["quantity"] == report["quantity"] and again["value"] == report["value"]
    return text, yours(app)
