"""What the tests, the benchmarks and the scripts of a qdpv-lab checkout share; not part of the kit.

Tests, benchmarks and scripts never import each other: whatever two of them need lives here, once. It works on
the repository it sits in (``ROOT``: notebooks, ``voila.json``, the Voila template), so it is only of use from
a checkout: the editable install (``pip install -e .``, as ``scripts/setup.sh`` does) and pytest's
``pythonpath = ["lib"]`` both import it from ``lib/``.

- :mod:`qdpv_testing.server`: Voila on 127.0.0.1 from the repository root, its kernels, waiting until the
  server and its kernels are quiet.
- :mod:`qdpv_testing.browser`: Debian's headless Chromium, opening an app until it is interactive, timing a
  key press until the page has changed, what a page did wrong.
- :mod:`qdpv_testing.devices`: random single-diode devices, and their parameters as pvlib takes them.
- :mod:`qdpv_testing.reports`: the sections the benchmarks write into ``docs/performance.md``, and the
  machine they ran on.
- :mod:`qdpv_testing.classroom`: the load test's class: who arrives when, with which app, in which client.
- :mod:`qdpv_testing.uploads`: files a learner might upload that the apps must refuse, and what the refusal
  says; a snapshot of what an app's figures show, to check that a refused file changed none.
- :mod:`qdpv_testing.kernels`: kernels started in-process with the normal or the forking provisioner, what a
  kernel reports about itself, a process's memory (RSS, PSS, USS).
- :mod:`qdpv_testing.worked`: the worked notebooks and their solutions: running them in a fresh kernel and
  storing them the way nbval compares them (no Bokeh output, sanitised text).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if not (ROOT / "voila.json").is_file():
    raise ImportError(f"qdpv_testing works on a qdpv-lab checkout; {ROOT} is not one (no voila.json)")

NOTEBOOKS = ROOT / "notebooks"
GALLERY = "00_start_here.ipynb"


def app_notebooks(only: str = "") -> list[str]:
    """File names of the step apps in ``notebooks/`` (01 to 09, in order), those containing ``only``."""
    return [p.name for p in sorted(NOTEBOOKS.glob("0[1-9]_*.ipynb")) if only in p.name]
