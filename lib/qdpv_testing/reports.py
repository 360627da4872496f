"""The benchmarks' report, ``docs/performance.md``: its sections, its number format, the machine line.

``benchmarks/bench_apps.py`` writes the file's head (title and the app table) and keeps every ``## `` section
after it; ``benchmarks/bench_preheat.py`` replaces its own section; ``benchmarks/load_test.py`` merges one row
and one subsection per run configuration into its section. Each leaves the others' text as it is.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import time
from pathlib import Path

import psutil

from qdpv_testing import ROOT
from qdpv_testing.browser import chromium_path

PERFORMANCE_MD = ROOT / "docs" / "performance.md"


def machine() -> str:
    """Cores, CPU, memory, system, Python, Voila and Bokeh versions, and the headless Chromium's when installed."""
    import bokeh
    import voila

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    browser = chromium_path()
    if browser:
        version = subprocess.run([browser, "--version"], capture_output=True, text=True).stdout.strip()
        browser = f", {version} headless"
    return (
        f"{psutil.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, voila {voila.__version__}, bokeh {bokeh.__version__}"
        f"{browser or ''}"
    )


def wait_for_quiet_machine(max_load: float, timeout_s: float = 1800.0) -> float:
    """Wait until the 1-minute load average is under ``max_load`` (at most ``timeout_s``); return it. Every
    benchmark starts with it, and reports the load it started at."""
    deadline = time.monotonic() + timeout_s
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        time.sleep(10)
    return os.getloadavg()[0]


def median_max(values: list[float], digits: int = 0) -> str:
    """``median / max`` of ``values`` with ``digits`` decimals; ``n/a`` when there are none."""
    if not values:
        return "n/a"
    return f"{statistics.median(values):.{digits}f} / {max(values):.{digits}f}"


def split_section(document: str, title: str) -> tuple[str, str, str]:
    """(before, the section headed ``title`` up to the next ``## `` heading, after); without that section,
    (the document ending in one blank line, "", "")."""
    start = document.find(title)
    if start < 0:
        return document.rstrip("\n") + "\n\n", "", ""
    end = document.find("\n## ", start + len(title))
    end = len(document) if end < 0 else end + 1
    return document[:start], document[start:end], document[end:]


def replace_section(path: Path, title: str, section: str) -> None:
    """Put ``section`` (headed ``title``) in place of that section of ``path``, or append it; keep the rest."""
    before, _, after = split_section(path.read_text() if path.exists() else "", title)
    path.write_text(before + section + after)


def kept_sections(path: Path) -> str:
    """The ``## `` sections of ``path`` after its head, which a script rewriting the head must keep."""
    text = path.read_text() if path.exists() else ""
    start = text.find("\n## ")
    return "" if start < 0 else "\n" + text[start + 1:]


def _by_number(label: str) -> tuple[int, str]:
    return int(re.match(r"\d+", label).group()), label


def merge_runs_section(document: str, intro: str, table_header: list[str], row: str, subsection: str) -> str:
    """``document`` with its section headed by ``intro``'s first line holding ``row`` and ``subsection``.

    The section is ``intro``, a table (``table_header``, then one row per run configuration) and one ``### ``
    subsection per configuration. A row is known by its first cell, a subsection by its heading, each starting
    with a number (of learners): those of the same configuration are replaced, the others kept, each sorted by
    that number. The section is appended when missing; the rest of the document is left as it is.
    """
    before, old, after = split_section(document, intro.split("\n", 1)[0])
    row_pattern, subsection_pattern = (
        re.compile(r"^\| (\d[^|]*?) \|.*$", re.M),
        re.compile(r"^### (\d.*)$", re.M),
    )
    table = old.split("\n### ", 1)[0]  # the summary table; the subsections hold tables of their own
    rows = {m.group(1): m.group(0) for m in row_pattern.finditer(table)}
    subsections = {
        m.group(1): m.group(0).rstrip("\n") + "\n"
        for m in re.finditer(r"^### (\d.*?)\n.*?(?=^### |\Z)", old, re.M | re.S)
    }
    rows[row_pattern.match(row).group(1)] = row
    subsections[subsection_pattern.match(subsection).group(1)] = subsection.rstrip("\n") + "\n"
    section = "\n".join(
        [
            intro,
            *table_header,
            *(rows[k] for k in sorted(rows, key=_by_number)),
            "",
            *(subsections[k] for k in sorted(subsections, key=_by_number)),
        ]
    )
    return before + section + ("\n" + after if after else "")
