"""The learner's own measurement in an app: an upload button, "use the example file" and "clear".

An app lists an :class:`Upload` among its controls, like a slider; its ``value`` is the file now chosen
(:class:`Chosen`) or None. The app's ``update`` passes that value to :meth:`Upload.outcome` with a function that
reads the file (a reader of :mod:`qdpv.io`) and analyses it (the library); ``outcome`` returns the analysis of the
last file that could be used (:class:`Outcome`), computed once per file and setting: moving a model's slider
reuses it, so the learner's data stay on the figures while the model moves.

A file that cannot be used (empty, not text, too large, wrong columns, text where a number belongs, ...) makes
``outcome`` raise a ``ValueError`` once, with the reader's message (``line N: ...``) after the file's name; the app
shows it in its error panel, its figures unchanged, and at the next update carries on with the last good file,
``Outcome.failed`` saying which file could not be used and why. The same file downloaded from the app (its CSV
button) can be uploaded back: :func:`.download.download_table` picks the table of the learner's data out of it, so
the app reads the same numbers and repeats the same analysis.

The panel's three buttons are native buttons named by their text, which names the measurement ("Upload your
isotherm", "Use the example isotherm", "Clear your isotherm"; ipywidgets appends the count of files to the first),
each with a tooltip saying what it does; the file dialog opens with Enter or Space.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

import ipywidgets as w
import traitlets

from ...io import MAX_CSV_BYTES
from .download import download_table

T = TypeVar("T")
_SMALL = "color:#555;font-size:0.9em;line-height:1.4"  # the formats and the status line: 7.5:1 on white

__all__ = ["ANALYSIS_COLUMNS", "Chosen", "Outcome", "Upload", "analysis_rows", "plus_minus"]


@dataclass(frozen=True, eq=False)  # compared by identity: choosing the same file again is a new choice
class Chosen:
    """A file the learner chose (or the example file): its name and content."""

    name: str
    content: bytes
    example: bool = False
    """True for the kit's example file."""


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What :meth:`Upload.outcome` returns: the analysis of the last file that could be used."""

    result: T | None = None
    """The analysing function's return value, or None (no file, or cleared)."""
    name: str = ""
    """The file's name."""
    example: bool = False
    """True if ``result`` is the kit's example file's."""
    failed: str = ""
    """The last file that could not be used and why (its name, then the reader's message); "" if none."""
    version: int = 0
    """Changes whenever ``result`` does: an app redraws the learner's data only then."""

    def failure_html(self) -> str:
        """A sentence for the results text about the file that could not be used ("" if none)."""
        if not self.failed:
            return ""
        kept = f" The figures keep {html.escape(self.name)}." if self.result is not None else ""
        return f"<b>Your last file could not be used:</b> {html.escape(self.failed)}.{kept}<br>"


class Upload(w.VBox):
    """A learner's measurement file for an app: upload, example and clear buttons, the formats (folded), a status.

    Parameters
    ----------
    what : str
        What the file holds, for the buttons and messages (``"isotherm"``, ``"J-V sweeps"``).
    formats : str
        The layouts the reader takes, in a sentence or two (HTML), folded under the buttons.
    table : str
        Title of the app's CSV table that holds the data as read from the learner's file: uploading the app's
        own download reads that table (the round trip).
    example : path, optional
        The kit's example file of this kind (:func:`qdpv.datasets.example_file`).
    accept : str
        File types the browser's dialog offers first (the learner can still pick any file).
    """

    value = traitlets.Any(None, allow_none=True)
    """The file now chosen (:class:`Chosen`) or None; an app's ``update`` receives it like a slider's value."""

    def __init__(self, what: str, *, formats: str, table: str, example: Path | None = None,
                 accept: str = ".csv,.txt") -> None:
        self.what = what
        self.table = table
        self.example = example
        self.picker = w.FileUpload(
            # no icon: its glyph would become part of the button's accessible name
            accept=accept, multiple=False, description=f"Upload your {what}", icon="",
            tooltip=f"Upload your {what}: opens a file dialog (a text file of at most {MAX_CSV_BYTES:,} bytes)",
            layout=w.Layout(width="auto"),
        )
        # the buttons' texts name the measurement: an app with several uploads has one of each per measurement
        self.use_example = w.Button(
            description=f"Use the example {what}",
            tooltip=(f"Load the kit's example {what} ({example.name})" if example is not None else ""),
            layout=w.Layout(width="auto", display=None if example is not None else "none"),
        )
        self.clear_button = w.Button(description=f"Clear your {what}",
                                     tooltip=f"Remove your {what} from the figures and the text",
                                     layout=w.Layout(width="auto"))
        self.status = w.HTML(layout=w.Layout(width="auto"))
        self.status.add_class("qdpv-upload-status")
        buttons = w.HBox([self.picker, self.use_example, self.clear_button],
                         layout=w.Layout(flex_flow="row wrap", width="auto"))
        # the formats fold away under a summary the keyboard opens (Enter or Space): the page stays short
        hint = w.HTML(f"<details class='qdpv-upload-formats' style='{_SMALL}'><summary>Which {html.escape(what)} "
                      f"files it reads</summary>{formats}</details>", layout=w.Layout(width="auto"))
        super().__init__([buttons, hint, self.status], layout=w.Layout(width="auto", margin="0.3em 0 0.6em 0"))
        self.add_class("qdpv-upload")
        self._seen: tuple[Chosen | None, Hashable] | None = None
        self._outcome: Outcome[Any] = Outcome()
        self._show_status()
        self.picker.observe(self._on_pick, names="value")
        self.use_example.on_click(lambda _: self.load_example())
        self.clear_button.on_click(lambda _: self.clear())

    # -- what the learner does ------------------------------------------------------------------------------
    def load(self, content: bytes, name: str, *, example: bool = False) -> None:
        """Choose a file by its content (what the upload button does with the file the browser read)."""
        self.value = Chosen(name, bytes(content), example)

    def load_example(self) -> None:
        """Choose the kit's example file (the "use the example file" button)."""
        if self.example is None:
            raise ValueError(f"this upload of {self.what} has no example file")
        self.load(self.example.read_bytes(), self.example.name, example=True)

    def clear(self) -> None:
        """Remove the file (the "clear" button): the app shows the model alone again."""
        self.picker.value = ()
        self.value = None

    def _on_pick(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:  # emptied by clear()
            return
        item = files[0]
        content = item["content"]
        # a file over the limit is cut one byte past it: the reader refuses it without copying all of it
        self.load(bytes(content[: MAX_CSV_BYTES + 1]), str(item.get("name") or "upload"))

    # -- what the app's update does -------------------------------------------------------------------------
    def outcome(self, chosen: Chosen | None, analyse: Callable[[IO[bytes]], T], key: Hashable = ()) -> Outcome[T]:
        """The analysis of ``chosen`` (the control's value) by ``analyse``, computed once per file and ``key``.

        ``analyse`` takes the file (binary, for a reader of :mod:`qdpv.io`) and returns what the app draws and
        writes; ``key`` holds the other settings the analysis depends on (e.g. the fit model). A file of the
        app's own download is read from its table :attr:`table`.

        Raises
        ------
        ValueError
            Once, when ``chosen`` with ``key`` cannot be used: ``your file 'name' could not be used: <why>``. Later
            calls return the last good outcome with :attr:`Outcome.failed` set.
        """
        if self._seen is not None and self._seen[0] is chosen and self._seen[1] == key:
            return self._outcome
        self._seen = (chosen, key)
        last = self._outcome
        if chosen is None:
            if last.result is not None or last.failed:
                self._outcome = Outcome(version=last.version + 1)
            self._show_status()
            return self._outcome
        try:
            table = download_table(chosen.content, self.table)
            result = analyse(BytesIO(chosen.content if table is None else table))
        except ValueError as exc:
            self._outcome = replace(last, failed=f"{chosen.name!r}: {exc}")
            self._show_status()
            raise ValueError(f"your file {chosen.name!r} could not be used: {exc}") from None
        self._outcome = Outcome(result, chosen.name, chosen.example, "", last.version + 1)
        self._show_status()
        return self._outcome

    def _show_status(self) -> None:
        o = self._outcome
        if o.failed:
            text = f"Could not use {html.escape(o.failed)}"
        elif o.result is not None:
            text = f"Shown: {html.escape(o.name)}" + (" (the kit's example)" if o.example else "")
        else:
            text = ""  # nothing loaded: the buttons say what to do
        self.status.value = f"<div style='{_SMALL}'>{text}</div>" if text else ""


# -- the analysis as a table of the CSV download, and numbers with their standard errors ----------------------

ANALYSIS_COLUMNS = {"quantity": "quantity", "value": "value", "se": "standard_error", "unit": "unit"}
"""Source columns -> CSV headers of an analysis table (one row per quantity)."""


def analysis_rows(rows: list[tuple[str, float, float, str]]) -> dict[str, list[Any]]:
    """``source.data`` of an analysis table from (quantity, value, standard error or nan, unit) rows."""
    return {
        "quantity": [r[0] for r in rows],
        "value": [float(r[1]) for r in rows],
        "se": [float(r[2]) for r in rows],
        "unit": [r[3] for r in rows],
    }


def plus_minus(value: float, se: float, unit: str = "", *, digits: int = 4) -> str:
    """``value &plusmn; se unit`` (HTML), the value rounded to the standard error's second significant digit.

    Without a finite, positive standard error the value is given to ``digits`` significant digits alone; very
    large or small values are written as (m &plusmn; s) &times; 10<sup>k</sup>.

    Examples
    --------
    >>> plus_minus(357.1905, 1.3052, "m²/g")
    '357.2 &plusmn; 1.3 m²/g'
    >>> plus_minus(150.834, 13.539)
    '151 &plusmn; 14'
    >>> plus_minus(5.0917e-17, 1.6e-19, "mA/cm²")
    '(5.092 &plusmn; 0.016) &times; 10<sup>-17</sup> mA/cm²'
    >>> plus_minus(0.8, float("nan"))
    '0.8'
    """
    tail = f" {unit}" if unit else ""
    if not math.isfinite(value):
        return f"{value}{tail}"
    exponent = math.floor(math.log10(abs(value))) if value != 0 else 0
    scale = 0 if -3 <= exponent < 6 else exponent
    v = value / 10.0**scale
    if math.isfinite(se) and se > 0:
        s = se / 10.0**scale
        decimals = max(1 - math.floor(math.log10(s)), 0)
        text = f"{v:.{decimals}f} &plusmn; {s:.{decimals}f}" if decimals else f"{v:.0f} &plusmn; {s:.0f}"
        if not decimals:  # an error of 10 or more: round both to its second significant digit
            step = 10.0 ** (math.floor(math.log10(s)) - 1)
            text = f"{round(v / step) * step:.0f} &plusmn; {round(s / step) * step:.0f}"
    else:
        text = f"{v:.{digits}g}"
    if scale:
        text = (f"({text})" if "&plusmn;" in text else text) + f" &times; 10<sup>{scale}</sup>"
    return text + tail
