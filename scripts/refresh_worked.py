"""Re-execute the worked notebooks and their solutions, and store them with their new outputs.

Run it after a deliberate change to a model, then review the numbers that moved (``git diff``) before committing:

    .venv/bin/python scripts/refresh_worked.py            # all of notebooks/worked/ and instructor/
    .venv/bin/python scripts/refresh_worked.py 04_device  # only notebooks whose name contains this text

Each notebook runs top to bottom in a fresh kernel of this interpreter, in its own folder, as nbval runs it. What is
stored is what ``scripts/test.sh`` compares (nbval in strict mode): the text a cell prints or returns. Everything
that changes from run to run without a physics change is left out or made uniform:

- Bokeh's output (BokehJS itself, 3.9 MB, and each figure's HTML with its random ids) is not stored: a stored
  figure could not be drawn anyway until the notebook runs again (JupyterLab does not keep BokehJS), and the
  notebooks stay small. Figure cells carry ``# NBVAL_IGNORE_OUTPUT``;
- execution timings, widget state and the kernel's version details are dropped from the metadata;
- memory addresses and timings in printed text are replaced as in ``tests/nbval_sanitize.cfg``.

A notebook that fails to run is reported and left as it was; the exit status is then 1. Each run is timed; a
notebook slower than ``--max-seconds`` also fails (the classroom promise is well under 30 s per notebook).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = (ROOT / "notebooks" / "worked", ROOT / "instructor")
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"
BOKEH_MIME = re.compile(r"application/(vnd\.bokehjs_(load|exec)\.v0\+json|javascript)$")
TARGET_S = 30.0


def notebooks(selection: str = "") -> list[Path]:
    """The worked notebooks and their solutions (optionally those whose name contains ``selection``)."""
    return [p for folder in FOLDERS for p in sorted(folder.glob("*.ipynb")) if selection in p.name]


def sanitize_patterns(path: Path = SANITIZE_FILE) -> list[tuple[str, str]]:
    """The (regex, replacement) pairs of an nbval sanitiser file, read the way nbval 0.11 reads them."""
    return re.findall(r"^regex: (.*)$\n^replace: (.*)$", path.read_text(), flags=re.MULTILINE)


def _sanitize(text: str, patterns: list[tuple[str, str]]) -> str:
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
                output.text = _sanitize(output.text, patterns)
            for mime in ("text/plain", "text/html"):
                if mime in output.get("data", {}):
                    output["data"][mime] = _sanitize(output["data"][mime], patterns)
            kept.append(output)
        cell.outputs = kept
    return nb


def execute(path: Path, timeout_s: float) -> tuple[nbformat.NotebookNode, float]:
    """Run a copy of the notebook (outputs cleared first) in a fresh kernel in its folder; return it and the time."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(nb, timeout=timeout_s, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return nb, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="?", default="", help="only notebooks whose name contains this text")
    parser.add_argument("--max-seconds", type=float, default=120.0,
                        help="fail a notebook that takes longer than this (default 120 s: a generous guard)")
    args = parser.parse_args(argv)
    patterns = sanitize_patterns()
    failed = []
    for path in notebooks(args.only):
        name = path.relative_to(ROOT)
        try:
            nb, seconds = execute(path, timeout_s=args.max_seconds)
        except CellExecutionError as err:
            print(f"FAILED {name}: left unchanged\n{err}", file=sys.stderr)
            failed.append(name)
            continue
        slow = " (slower than the 30 s target)" if seconds > TARGET_S else ""
        if seconds > args.max_seconds:
            print(f"FAILED {name}: {seconds:.1f} s, over --max-seconds; left unchanged", file=sys.stderr)
            failed.append(name)
            continue
        nbformat.write(clean(nb, patterns), path)
        print(f"refreshed {name} in {seconds:.1f} s{slow}")
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(map(str, failed))}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
