"""Small data tables shipped with the kit (``qdpv/data/*.csv``), each headed by ``# source:`` lines.

:func:`load_table` returns the columns as numpy arrays (numbers where a column is numeric, strings otherwise)
together with the comment lines, so that an app can print the source next to the points it plots.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np

from ._validate import check_choice

__all__ = ["Table", "available_tables", "load_table"]


@dataclass(frozen=True)
class Table:
    """Columns of a shipped CSV and its leading ``#`` comment lines (the source notes)."""

    name: str
    columns: dict[str, np.ndarray]
    notes: tuple[str, ...]

    @property
    def source(self) -> str:
        """The first ``# source:`` note, without its prefix."""
        for note in self.notes:
            if note.lower().startswith("source:"):
                return note.split(":", 1)[1].strip()
        return ""


def available_tables() -> list[str]:
    """Names (file stems) of the tables in ``qdpv/data``."""
    return sorted(p.name[:-4] for p in resources.files("qdpv").joinpath("data").iterdir() if p.name.endswith(".csv"))


def load_table(name: str) -> Table:
    """Read ``qdpv/data/<name>.csv``: leading ``#`` lines are notes, then a header row and data rows."""
    check_choice("name", name, available_tables())
    text = resources.files("qdpv").joinpath("data", f"{name}.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    notes = tuple(line.lstrip("#").strip() for line in lines if line.startswith("#"))
    rows = list(csv.reader(io.StringIO("\n".join(line for line in lines if line and not line.startswith("#")))))
    header, body = rows[0], rows[1:]
    columns: dict[str, np.ndarray] = {}
    for j, key in enumerate(header):
        values = [row[j] for row in body]
        try:
            columns[key] = np.array(values, dtype=float)
        except ValueError:
            columns[key] = np.array(values, dtype=str)
    return Table(name, columns, notes)
