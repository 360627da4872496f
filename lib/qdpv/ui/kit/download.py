"""The CSV download: a Bokeh button whose JavaScript writes the figures' own ``ColumnDataSource`` data to a file.

The CSV is assembled in the browser, so the file always holds exactly what is plotted and the kernel does no
work for it. A table without rows (e.g. the learner's own data before a file is loaded) is left out, and so is a
column without a value (e.g. a measurement's optional standard errors when the file had none).

The same file can be uploaded back (:mod:`.upload`): :func:`download_table` finds the table of the learner's data in
it, so the app reads what it had read from the learner's file and repeats the same analysis.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from bokeh.models import Button, ColumnDataSource, CustomJS, LayoutDOM

from ...io import MAX_CSV_BYTES
from .theme import BOKEH_FOCUS_CSS

_CSV_JS = """
function empty(v) {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v));
}
function cell(v) {
  if (empty(v)) { return ''; }
  if (typeof v === 'number') { return String(v); }
  const s = String(v);
  return /[",\\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
const out = ['# ' + header];
for (let t = 0; t < sources.length; t++) {
  const data = sources[t].data;
  const n = columns[t].length ? data[columns[t][0]].length : 0;
  const keep = columns[t].map((c, k) => k).filter((k) => {
    for (let i = 0; i < n; i++) { if (!empty(data[columns[t][k]][i])) { return true; } }
    return false;
  });
  if (!keep.length) { continue; }
  out.push('');
  out.push('# table: ' + titles[t]);
  out.push(keep.map((k) => cell(labels[t][k])).join(','));
  for (let i = 0; i < n; i++) {
    out.push(keep.map((k) => cell(data[columns[t][k]][i])).join(','));
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
    button = Button(label="Download the plotted data (CSV)", button_type="default", width=260,
                    stylesheets=[BOKEH_FOCUS_CSS])
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


DOWNLOAD_MARK = "# qdpv-lab"
"""How every file the download button writes begins (its first line, the header)."""
_TABLE_MARK = "# table: "


def _empty(value: object) -> bool:
    if value is None or (isinstance(value, str) and value == ""):
        return True
    return isinstance(value, float | np.floating) and not math.isfinite(float(value))


def _cell(value: object) -> str:
    if _empty(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return repr(float(value))
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in '",\n') else text


def download_text(layout: LayoutDOM) -> str:
    """The text the CSV button in ``layout`` writes, assembled in Python from the button's own arguments.

    The same tables, columns and lines as the page's file (tables without rows and columns without a value left
    out); numbers are written as Python spells them (``1e-07``), the page as JavaScript does (``1e-7``), and both
    read back as the same floats. For a notebook that wants the file without a browser, and for tests.
    """
    js = next(cb for button in layout.select({"type": Button})
              for cb in button.js_event_callbacks.get("button_click", ()) if "sources" in cb.args)
    args = js.args
    out = ["# " + args["header"]]
    for source, columns, labels, title in zip(args["sources"], args["columns"], args["labels"], args["titles"],
                                              strict=True):
        data = source.data
        n = len(data[columns[0]]) if columns else 0
        keep = [k for k, c in enumerate(columns) if any(not _empty(data[c][i]) for i in range(n))]
        if not keep:
            continue
        out += ["", _TABLE_MARK + title, ",".join(_cell(labels[k]) for k in keep)]
        out += [",".join(_cell(data[columns[k]][i]) for k in keep) for i in range(n)]
    return "\n".join(out) + "\n"


def download_table(content: bytes, title: str) -> bytes | None:
    """The table ``title`` of a file the download button wrote, as a file of its own; None for any other file.

    Every line outside the table (the header, the other tables) is blanked rather than dropped, so a reader's
    ``line N:`` still counts the lines of the file the learner has. A file larger than a reader takes is returned
    as it is, for the reader to refuse.

    Raises
    ------
    ValueError
        If ``content`` is a download of the kit without a table ``title`` (made in another app, or while no file
        of the learner's was loaded).
    """
    if len(content) > MAX_CSV_BYTES or not content.removeprefix(b"\xef\xbb\xbf").startswith(DOWNLOAD_MARK.encode()):
        return None
    lines = content.split(b"\n")
    mark = (_TABLE_MARK + title).encode()
    start = next((i for i, line in enumerate(lines) if line.rstrip(b"\r") == mark), None)
    if start is None:
        raise ValueError(
            f"this is a qdpv-lab download without the table {title!r}; upload your measurement file, or a download "
            "made while one was loaded in this app"
        )
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
    return b"\n".join(line if start < i < end else b"" for i, line in enumerate(lines))
