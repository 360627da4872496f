"""The CSV download: a Bokeh button whose JavaScript writes the figures' own ``ColumnDataSource`` data to a file.

The CSV is assembled in the browser, so the file always holds exactly what is plotted and the kernel does no
work for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bokeh.models import Button, ColumnDataSource, CustomJS

from .theme import BOKEH_FOCUS_CSS

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
