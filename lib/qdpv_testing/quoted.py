"""Numbers that README.md quotes from docs/performance.md, written between markers by a script, never typed.

A quoted figure sits between markers, ``<!-- perf:KEY -->3.7-4.9 s<!-- /perf -->``. :func:`performance_numbers`
reads them off the first table of docs/performance.md (what ``benchmarks/bench_apps.py`` writes), :func:`fill`
writes them into a text and :func:`problems` lists what differs. ``scripts/quote_numbers.py`` runs these on the
files, ``bench_apps.py`` refreshes them after each run, and ``tests/test_quoted_numbers.py`` fails on drift.
"""

from __future__ import annotations

import re

from . import ROOT
from .reports import PERFORMANCE_MD

QUOTING = (ROOT / "README.md",)
"""The files that quote benchmark figures."""

MARKER = re.compile(r"<!-- perf:(\w+) -->(.*?)<!-- /perf -->", re.DOTALL)


def _table(text: str) -> dict[str, list[str]]:
    """The first markdown table of ``text`` as {first cell: other cells}."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
        elif rows:
            break
    return rows


def _median(cell: str) -> float:
    return float(cell.split("/")[0])


def performance_numbers(text: str) -> dict[str, str]:
    """The quoted figures from the benchmark table: time-to-interactive and slider-to-painted, apps and floor."""
    rows = _table(text)
    floor = rows.pop("floor")
    rows.pop("app", None)
    tti = [_median(cells[0]) for cells in rows.values()]
    painted = [_median(cells[2]) for cells in rows.values()]
    return {
        "tti_apps": f"{min(tti):.1f}-{max(tti):.1f} s",
        "tti_floor": f"{_median(floor[0]):.1f} s",
        "painted_apps": f"{min(painted):.0f}-{max(painted):.0f} ms",
        "painted_floor": f"{_median(floor[2]):.0f} ms",
    }


def fill(text: str, numbers: dict[str, str]) -> str:
    """``text`` with every marker's content replaced by its number (unknown keys are left for problems())."""
    return MARKER.sub(lambda m: f"<!-- perf:{m[1]} -->{numbers.get(m[1], m[2])}<!-- /perf -->", text)


def problems(text: str, numbers: dict[str, str]) -> list[str]:
    """What differs between the quoted figures in ``text`` and ``numbers``."""
    out = []
    for key, quoted in MARKER.findall(text):
        if key not in numbers:
            out.append(f"{key}: unknown figure")
        elif quoted != numbers[key]:
            out.append(f"{key}: quoted {quoted!r}, the benchmark says {numbers[key]!r}")
    return out


def refresh() -> None:
    """Write the current figures of docs/performance.md into every quoting file."""
    numbers = performance_numbers(PERFORMANCE_MD.read_text(encoding="utf-8"))
    for path in QUOTING:
        path.write_text(fill(path.read_text(encoding="utf-8"), numbers), encoding="utf-8")
