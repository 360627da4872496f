"""The worked notebooks (``notebooks/worked/``) and their solutions (``instructor/``): running them and storing them.

``scripts/refresh_worked.py`` re-executes them with these functions; ``tests/test_worked_notebooks.py`` checks the
stored notebooks with the same rules (what counts as Bokeh output, how text is sanitised), so both read one copy.

What is stored is what nbval compares in strict mode (``scripts/test.sh``): the text a cell prints or returns.
Everything that changes from run to run without a physics change is left out or made uniform: Bokeh's output
(BokehJS and each figure's HTML with its random ids), execution timings, widget state, the kernel's version details,
and memory addresses and timings in printed text (replaced as in ``tests/nbval_sanitize.cfg``).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from qdpv_testing import NOTEBOOKS, ROOT

WORKED = NOTEBOOKS / "worked"
INSTRUCTOR = ROOT / "instructor"
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"
BOKEH_MIME = re.compile(r"application/(vnd\.bokehjs_(load|exec)\.v0\+json|javascript)$")


def notebooks(selection: str = "") -> list[Path]:
    """The worked notebooks, then their solutions (optionally only those whose name contains ``selection``)."""
    return [p for folder in (WORKED, INSTRUCTOR) for p in sorted(folder.glob("*.ipynb")) if selection in p.name]


def sanitize_patterns(path: Path = SANITIZE_FILE) -> list[tuple[str, str]]:
    """The (regex, replacement) pairs of an nbval sanitiser file, read the way nbval 0.11 reads them."""
    return re.findall(r"^regex: (.*)$\n^replace: (.*)$", path.read_text(), flags=re.MULTILINE)


def sanitize(text: str, patterns: list[tuple[str, str]]) -> str:
    """``text`` with every pattern replaced, in the file's order (as nbval applies them)."""
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    return text


def is_bokeh_output(output: dict) -> bool:
    """Whether an output is BokehJS or a Bokeh figure: Bokeh's (or plain JavaScript's) MIME types, or the empty
    ``<div data-root-id=...>`` that ``bokeh.io.show`` displays for BokehJS to draw into."""
    data = output.get("data", {})
    return any(BOKEH_MIME.match(mime) for mime in data) or "data-root-id=" in "".join(data.get("text/html", ""))


def clean(nb: nbformat.NotebookNode, patterns: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """The executed notebook as it is stored: no Bokeh output, no run-dependent metadata, sanitised text."""
    nb.metadata.pop("widgets", None)
    nb.metadata["language_info"] = {"name": nb.metadata.get("language_info", {}).get("name", "python")}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            if is_bokeh_output(output):
                continue
            if output.output_type == "stream":
                output.text = sanitize(output.text, patterns)
            for mime in ("text/plain", "text/html"):
                if mime in output.get("data", {}):
                    output["data"][mime] = sanitize(output["data"][mime], patterns)
            kept.append(output)
        cell.outputs = kept
    return nb


def execute(path: Path, timeout_s: float) -> tuple[nbformat.NotebookNode, float]:
    """Run a copy of the notebook (outputs cleared first) in a fresh kernel in its folder, as nbval runs it; return
    the executed copy and the seconds it took. Raises ``nbclient.exceptions.CellExecutionError`` if a cell fails."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(nb, timeout=timeout_s, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return nb, time.perf_counter() - start
