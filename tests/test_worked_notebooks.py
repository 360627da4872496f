"""The worked notebooks (notebooks/worked/) and their solutions (instructor/), without running a kernel.

nbval runs them in strict mode (the second pytest run of scripts/test.sh): a printed number that moved fails there.
These tests check what nbval cannot:

- a student's copy holds no solution: every exercise is followed by an empty answer cell, and no solution code
  appears in it; every exercise has a solution, with the same heading, in instructor/;
- the stored outputs are complete (every code cell ran, in order, without an error) and small (no BokehJS, no
  figure HTML); figure cells, and only they, ignore their output;
- the numbers a worked notebook or a solution prints agree with its app's results text for the same inputs: the
  app is built here, without a browser, as in tests/test_app_*.py, and set to the preset whose inputs the notebook
  uses (the paper's case and several illustrative ones: other pores, rod-like dots, resistive contacts, the light
  test); numbers agree to the precision of the coarser of the two prints. The stored outputs are those nbval
  compares with a fresh run, so after a physics change both this test and nbval ask for
  ``scripts/refresh_worked.py``;
- Voila pre-runs no worked notebook (voila.json's preheat_denylist) and never reaches the solutions.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import nbformat
import pytest

from qdpv.ui import band_alignment, carriers_stability, design_your_cell, device_jv, msn_templating, qd_sizing
from qdpv.ui.gallery import STEPS, worked_html
from qdpv_testing import ROOT
from qdpv_testing.worked import INSTRUCTOR, WORKED, is_bokeh_output, sanitize, sanitize_patterns

NOTEBOOKS = sorted(WORKED.glob("*.ipynb"))
SOLUTIONS = sorted(INSTRUCTOR.glob("*.ipynb"))
ANSWER_CELL = "# your answer here"
EXERCISE = re.compile(r"^### (Exercise \d+\.\d+)", re.MULTILINE)
MAX_BYTES = 50_000  # BokehJS alone is 3.9 MB; a figure's stored HTML and JSON tens of kB


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _printed(path: Path) -> str:
    """All text a notebook's stored outputs show (streams and plain-text results)."""
    out = []
    for cell in _read(path).cells:
        for output in cell.get("outputs", []):
            out.append(output.get("text", "") + output.get("data", {}).get("text/plain", ""))
    return "".join(out)


def _exercises(nb: nbformat.NotebookNode) -> list[str]:
    return [m for cell in nb.cells if cell.cell_type == "markdown" for m in EXERCISE.findall(cell.source)]


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html.replace("&plusmn;", "±").replace("&times;", "×"))


def test_one_worked_notebook_and_one_solution_notebook_per_step():
    assert [p.name for p in NOTEBOOKS] == [s.notebook for s in STEPS]
    assert [p.name for p in SOLUTIONS] == [s.notebook.replace(".ipynb", "_solutions.ipynb") for s in STEPS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_students_copy_has_exercises_and_no_solutions(path):
    nb = _read(path)
    solution = _read(INSTRUCTOR / path.name.replace(".ipynb", "_solutions.ipynb"))
    exercises = _exercises(nb)
    assert 2 <= len(exercises) <= 3, "each worked notebook ends with two or three exercises"
    assert _exercises(solution) == exercises, "the solutions answer exactly the notebook's exercises"
    # every exercise is followed by an empty answer cell, and nothing else follows the first exercise
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and EXERCISE.search(c.source))
    after = nb.cells[first:]
    assert [c.cell_type for c in after] == ["markdown", "code"] * len(exercises)
    assert all(c.source.strip() == ANSWER_CELL and not c.outputs for c in after if c.cell_type == "code")
    # neither a solution's code nor the answer it prints appears in the student's notebook (setup lines such as
    # `champion = device.PRESETS[...]` may be shared; a whole solution cell may not)
    student_code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    student_text = _printed(path) + "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    solution_cells = [c for c in solution.cells[2:] if c.cell_type == "code"]  # after the imports
    assert len(solution_cells) == len(exercises)
    for cell in solution_cells:
        assert cell.source.strip() not in student_code
        answers = [line for o in cell.outputs for line in o.get("text", "").splitlines() if line.strip()]
        assert answers and not [a for a in answers if a.strip() in student_text], answers


@pytest.mark.parametrize("path", NOTEBOOKS + SOLUTIONS, ids=lambda p: p.name)
def test_stored_with_complete_small_outputs(path):
    nb = _read(path)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip() != ANSWER_CELL]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), \
        f"{path.name} is not stored fully executed: run scripts/refresh_worked.py"
    for cell in code:
        assert all(o.output_type != "error" for o in cell.outputs)
        assert not any(is_bokeh_output(o) for o in cell.outputs), "Bokeh output stored"
        ignored = cell.source.startswith("# NBVAL_IGNORE_OUTPUT\n")
        # only figure cells (and the cell that loads BokehJS) ignore their output; cells that print are compared
        assert ignored == ("show(" in cell.source or "output_notebook(" in cell.source), cell.source[:80]
        assert not (ignored and "print(" in cell.source), "a cell that prints numbers must be compared by nbval"
    assert path.stat().st_size < MAX_BYTES
    assert "metadata" not in json.dumps(nb.metadata.get("widgets", {}))


def test_sanitizer_file_is_read_as_nbval_reads_it():
    patterns = sanitize_patterns()
    assert len(patterns) >= 3
    text = "<bokeh.plotting.figure at 0x7f3a2c1d9e50> id='p1042' ran in 1.23 s; PCE 22.15 %, 4,094 h"
    clean = sanitize(text, patterns)
    assert "0x7f3a" not in clean and "p1042" not in clean and "1.23 s" not in clean
    assert "22.15 %" in clean and "4,094 h" in clean  # numbers are never sanitised away
    assert sanitize(clean, patterns) == clean


# The numbers the worked notebooks (and the solutions) print, against the app's results text at the preset whose
# inputs they use: (app module, notebook, preset, [(pattern in the notebook's output, pattern in the app's text)]).
W, S = "notebooks/worked/", "instructor/"
AGREEMENT = [
    (msn_templating, W + "01_msn_templating.ipynb", "paper: medium MSN (~8 nm pores)",
     [(r"pores (\S+) nm, particles (\S+) nm", r"pores (\S+) nm, particles (\S+) nm"),
      (r"these pores grow (\S+) nm dots", r"these pores grow ~(\S+) nm dots"),
      (r"library: .*?C = (\d+), area (\d+) m2/g", r"BET area: (?=\d+ m²/g \(C = (\d+))(\d+)"),
      (r"BJH peak (\S+) nm \(adsorption\), (\S+) nm", r"BJH peak: (\S+) nm \(adsorption\), (\S+) nm"),
      (r"classical BJH reads it as (\S+) nm", r"classical BJH reads a \S+ nm pore as ~(\S+) nm")]),
    (msn_templating, S + "01_msn_templating_solutions.ipynb", "small MSN, ~4 nm pores (illustrative)",
     [(r"small .*?pores (\S+) nm, particles (\S+) nm, BET area (\d+)",
       r"pores (\S+) nm, particles (\S+) nm.*?BET area: (\d+)")]),
    (msn_templating, S + "01_msn_templating_solutions.ipynb", "large MSN, ~12 nm pores (illustrative)",
     [(r"large .*?pores (\S+) nm, particles (\S+) nm, BET area (\d+)",
       r"pores (\S+) nm, particles (\S+) nm.*?BET area: (\d+)")]),
    (qd_sizing, W + "02_qd_sizing.ipynb", "paper: medium MSN (~8 nm pores)",
     [(r"dots (\S+) ± (\S+) nm", r"Dots: (\S+) ± (\S+) nm"),
      (r"mean dot: (\S+) eV \(intermediate\), (\S+) eV \(Brus\)", r"mean dot: (\S+) eV .*other model gives (\S+) eV"),
      (r"PL: peak (\d+) nm \((\S+) eV\), FWHM (\d+) meV", r"PL: peak (\d+) nm \((\S+) eV\), FWHM (\d+) meV")]),
    (qd_sizing, W + "02_qd_sizing.ipynb", "small pores, 4 nm (illustrative)",
     [(r"pores 4 ± 0.5 nm: dots (\S+) ± (\S+) nm, gap (\S+) eV, PL peak (\d+) nm",
       r"Dots: (\S+) ± (\S+) nm.*?mean dot: (\S+) eV.*?PL: peak (\d+) nm")]),
    (qd_sizing, W + "02_qd_sizing.ipynb", "large pores, 12 nm (illustrative)",
     [(r"pores 12 ± 1.2 nm: dots (\S+) ± (\S+) nm, gap (\S+) eV, PL peak (\d+) nm",
       r"Dots: (\S+) ± (\S+) nm.*?mean dot: (\S+) eV.*?PL: peak (\d+) nm")]),
    (band_alignment, W + "03_band_alignment.ipynb", "paper: with QD interlayer (8 nm pores)",
     [(r"8 nm pores grow (\S+) nm dots", r"Dots: (\S+) nm CsPbBr3 \(grown in 8.0 nm pores\)"),
      (r"CBM (\S+) eV, VBM (\S+) eV, gap (\S+) eV", r"CBM (\S+) eV, VBM (\S+) eV, gap (\S+) eV"),
      (r"step into the dots \+(\S+) eV", r"into QDs: a (\S+) eV barrier")]),
    (band_alignment, S + "03_band_alignment_solutions.ipynb", "small pores, 4 nm (illustrative)",
     [(r"4 nm pores \((\S+) nm dots\): electron barrier (\S+) eV",
       r"Dots: (\S+) nm .*?into QDs: a (\S+) eV barrier")]),
    (band_alignment, S + "03_band_alignment_solutions.ipynb", "large pores, 15 nm (illustrative)",
     [(r"15 nm pores \((\S+) nm dots\): electron barrier (\S+) eV",
       r"Dots: (\S+) nm .*?into QDs: a (\S+) eV barrier")]),
    (device_jv, W + "04_device_jv.ipynb", "paper: champion",  # table rows: quantity, then limit, control, treated
     [(r"control: .*?Voc (\S+) V.*?FF (\S+), PCE (\S+) %",
       r"Voc \(V\)\d\.\d{3}(\d\.\d{3})\d\.\d{3}.*?FF0\.\d{3}(0\.\d{3})0\.\d{3}PCE \(%\)\d\d\.\d\d(\d\d\.\d\d)"),
      (r"champion: .*?Voc (\S+) V.*?FF (\S+), PCE (\S+) %",
       r"Voc \(V\)\d\.\d{3}\d\.\d{3}(\d\.\d{3}).*?FF0\.\d{3}0\.\d{3}(0\.\d{3})"
       r"PCE \(%\)\d\d\.\d\d\d\d\.\d\d(\d\d\.\d\d)"),
      (r"detailed balance at .*?Voc (\S+) V, Jsc (\S+) mA/cm2, PCE (\S+) %",
       r"Voc \(V\)(\d\.\d{3}).*?Jsc \(mA/cm2\)(\d\d\.\d\d).*?PCE \(%\)(\d\d\.\d\d)"),
      (r"champion: Δn/N at Voc by hand \S+, library (\S+)", r"carrier density is (\S+) ×")]),
    (device_jv, S + "04_device_jv_solutions.ipynb", "4 nm pores: dots off best size (illustrative)",
     [(r"4 nm pores \((\S+) nm dots\)", r"Notice: (\S+) nm dots \(in 4.0 nm pores\)"),
      (r"4 nm pores .*?Voc (\S+) V, FF (\S+), PCE (\S+) %",
       r"Voc \(V\)\d\.\d{3}\d\.\d{3}(\d\.\d{3}).*?FF0\.\d{3}0\.\d{3}(0\.\d{3})"
       r"PCE \(%\)\d\d\.\d\d\d\d\.\d\d(\d\d\.\d\d)")]),
    (device_jv, S + "04_device_jv_solutions.ipynb", "resistive contacts (illustrative)",
     [(r"Rs 8, Rsh 500: Voc (\S+) V, Jsc (\S+) mA/cm2, FF (\S+), PCE (\S+) %",
       r"Voc \(V\)\d\.\d{3}\d\.\d{3}(\d\.\d{3})Jsc \(mA/cm2\)\d\d\.\d\d\d\d\.\d\d(\d\d\.\d\d)"
       r"FF0\.\d{3}0\.\d{3}(0\.\d{3})PCE \(%\)\d\d\.\d\d\d\d\.\d\d(\d\d\.\d\d)")]),
    (carriers_stability, W + "05_carriers_and_stability.ipynb",
     "paper: ISOS-D, air (lifetimes illustrative)",
     [(r"library: T80 (\S+) h", r"T80 with beta = 1: (\S+) h"),
      (r"same point: (\S+)-(\S+) h \(a factor (\S+)\)", r"same point: (\S+)-(\S+) h \(a factor (\S+)\)"),
      (r"flags: ([^\n]*)", r"\(caution: (.*?)\)\."),
      (r"library: (\S+) ns", r"\(true (\S+) ns\)")]),
    (carriers_stability, S + "05_carriers_and_stability_solutions.ipynb",
     "paper: ISOS-L, light (lifetimes illustrative)",
     [(r"light: T80 by hand \S+ h, library (\S+) h", r"T80 with beta = 1: (\S+) h"),
      (r"same point: (\S+)-(\S+) h", r"same point: (\S+)-(\S+) h"),
      (r"flags: ([^\n]*)", r"\(caution: (.*?)\)\.")]),
    (carriers_stability, S + "05_carriers_and_stability_solutions.ipynb",
     "paper: ISOS-D, air (lifetimes illustrative)",
     [(r"control: T80 (\S+) h", r"Control \(illustrative, 3× the rate\): T80 (\S+) h")]),
    (design_your_cell, W + "06_design_your_cell.ipynb", "paper: champion (~8 nm pores)",
     [(r"pore (\S+) nm -> dot (\S+) nm -> gap (\S+) eV, CBM step (\S+) eV",
       r"pore diameter \(nm\)-(\d+\.\d\d)step 2dot edge \(nm\)-(\d+\.\d\d) .*?dot gap \(eV\)-(\d\.\d{3})"
       r".*?CsPbI3 CBM \(eV\)-(\S\d\.\d\d)"),
      (r"control: .*?PCE (\S+) %.*?design: .*?PCE (\S+) %", r"PCE \(%\)(\d\d\.\d\d)(\d\d\.\d\d)")]),
    (design_your_cell, S + "06_design_your_cell_solutions.ipynb", "dots 3x as long as wide (illustrative)",
     [(r"act like (\S+) nm cubes: PCE (\S+) %", r"dot edge \(nm\)-(\d+\.\d\d).*?PCE \(%\)\d\d\.\d\d(\d\d\.\d\d)")]),
    (design_your_cell, S + "06_design_your_cell_solutions.ipynb", "paper: champion (~8 nm pores)",
     [(r"perfect interface: PCE (\S+) %", r"perfect interface \(S = 0\) would give (\S+) %")]),
]


@functools.cache
def _app(module):
    return module.build()


def _agree(printed: str, shown: str) -> bool:
    """The same number to the precision of the coarser print (thousands separators ignored), or the same text."""
    try:
        a, b = float(printed.replace(",", "")), float(shown.replace(",", ""))
    except ValueError:
        return printed == shown
    if "e" in printed.lower() + shown.lower():
        return printed == shown

    def step(text: str) -> float:
        return 10.0 ** -len(text.split(".")[1]) if "." in text else 1.0

    if step(printed) == step(shown):  # one value rounded twice the same way
        return a == b
    # the value both were rounded from lies within half a step of each
    return abs(a - b) <= (step(printed) + step(shown)) / 2 * (1 + 1e-9)


def test_agreement_compares_to_the_coarser_print_only():
    assert _agree("7.12", "7.1") and _agree("2.28", "2.3") and _agree("4,094", "4094") and _agree("1", "1.4")
    assert not _agree("7.16", "7.1") and not _agree("564", "570") and not _agree("22.15", "22.16")
    assert _agree("extrapolated", "extrapolated") and not _agree("1.85e-15", "1.86e-15")


@pytest.mark.parametrize(("module", "name", "preset", "pairs"), AGREEMENT,
                         ids=[f"{Path(a[1]).name}:{a[2]}" for a in AGREEMENT])
def test_printed_numbers_agree_with_the_apps_results_text(module, name, preset, pairs):
    printed = _printed(ROOT / name)
    app = _app(module)
    app.presets.value = preset
    results = _plain(app.results.value)
    for nb_pattern, app_pattern in pairs:
        nb_match = re.search(nb_pattern, printed, re.DOTALL)
        app_match = re.search(app_pattern, results, re.DOTALL)
        assert nb_match and app_match, (nb_pattern, app_pattern)
        nb_values, app_values = nb_match.groups(), app_match.groups()
        assert len(nb_values) == len(app_values)
        assert all(map(_agree, nb_values, app_values)), (
            f"{name} prints {nb_values}, the app shows {app_values} at {preset!r}: after a physics change run "
            "scripts/refresh_worked.py and review the numbers"
        )


def test_voila_preheats_no_worked_notebook_and_cannot_reach_the_solutions():
    config = json.loads((ROOT / "voila.json").read_text())
    denied = config["VoilaKernelManager"]["preheat_denylist"]
    for path in NOTEBOOKS:  # Voila 0.5.13's rule: the pattern is a substring of, or matches, the relative name
        name = str(path.relative_to(ROOT / "notebooks"))
        assert any(p in name or re.match(p, name) for p in denied), name
    assert (ROOT / "notebooks") not in INSTRUCTOR.parents  # scripts/run.sh serves notebooks/ only
    dockerfile = (ROOT / "deploy/jupyterhub/Dockerfile").read_text()
    assert "instructor" not in dockerfile  # the class image holds no solutions...
    assert not re.search(r"^COPY\b.*\s\.{1,2}/?\s+\S+\s*$", dockerfile, re.MULTILINE)  # ...nor the whole repository


def test_gallery_links_the_worked_notebooks_for_jupyterlab():
    text = worked_html(WORKED)
    for step in STEPS:
        assert f'href="../../../lab/tree/notebooks/worked/{step.notebook}"' in text
        assert f"{step.number}. {step.title}" not in text  # the browser test finds the apps' links by that name
    assert "solutions" not in text
