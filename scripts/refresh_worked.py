"""Re-execute the worked notebooks and their solutions, and store them with their new outputs.

Run it after a deliberate change to a model, then review the numbers that moved (``git diff``) before committing:

    .venv/bin/python scripts/refresh_worked.py            # all of notebooks/worked/ and instructor/
    .venv/bin/python scripts/refresh_worked.py 04_device  # only notebooks whose name contains this text

Each notebook runs top to bottom in a fresh kernel of this interpreter, in its own folder, as nbval runs it. What is
stored is what ``scripts/test.sh`` compares (nbval in strict mode): the text a cell prints or returns. Everything
that changes from run to run without a physics change is left out or made uniform (``qdpv_testing.worked``, which
``tests/test_worked_notebooks.py`` checks the stored notebooks with):

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
import sys

import nbformat
from nbclient.exceptions import CellExecutionError

from qdpv_testing import ROOT
from qdpv_testing.worked import clean, execute, notebooks, sanitize_patterns

TARGET_S = 30.0


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
        slow = f" (slower than the {TARGET_S:g} s target)" if seconds > TARGET_S else ""
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
