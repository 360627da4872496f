"""The load test (``benchmarks/load_test.py``): a small class runs end to end, its plan of the class is fair
and repeatable, and its report section merges into ``docs/performance.md`` without disturbing what
``bench_apps.py`` and ``bench_preheat.py`` write there (nor being dropped by them).

The plan and the merging live in ``qdpv_testing`` (tests do not import benchmark scripts); the end-to-end test
runs the script itself. It drives one headless Chromium learner and two light learners against a real Voila
server on 127.0.0.1 (about half a minute); it is skipped without Chromium like the browser tests (failed under
CI=true). It checks what the run reports, not how fast anything was: no timing assertions.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from qdpv_testing import ROOT, app_notebooks
from qdpv_testing.browser import require_chromium
from qdpv_testing.classroom import plan_learners
from qdpv_testing.reports import kept_sections, merge_runs_section, replace_section

SCRIPT = ROOT / "benchmarks" / "load_test.py"
MOVES = 2
THINK_S = 3.0  # the last learner's moves take at least MOVES x THINK_S / 2 = 3 s while every kernel is alive:
# longer than load_test.SAMPLE_S, so the sampler sees the whole class at least once
APPS = app_notebooks()
# A section like the load test's: its title, an intro, a table header; rows and subsections per configuration.
SECTION_TITLE = "## Load test"
INTRO = f"{SECTION_TITLE}\n\nWritten by `benchmarks/load_test.py`.\n"
TABLE_HEADER = ["| learners | result |", "|---|---|"]


def merge(document: str, row: str, subsection: str) -> str:
    return merge_runs_section(document, INTRO, TABLE_HEADER, row, subsection)


def _row(label: str, text: str) -> str:
    return f"| {label} | {text} |"


def _subsection(heading: str, text: str) -> str:
    """A subsection as run_subsection writes it: a list, then a table whose rows start with a number."""
    return f"### {heading}\n\n- {text}\n\n| t, s | kernels |\n|---|---|\n| 0 | 7 |\n| 10 | 14 |\n"


BENCH_APPS_REPORT = "# Performance\n\nWritten by `benchmarks/bench_apps.py`.\n\n| app | ... |\n|---|---|\n"


def test_plan_spreads_apps_browsers_and_arrivals():
    plan = plan_learners(12, 3, 10.0, 4, 1.0, seed=0)
    assert [x.notebook for x in plan[:6]] == APPS and plan[6].notebook == APPS[0]
    assert [x.index for x in plan if x.kind == "browser"] == [2, 6, 10]  # one in each third of the ramp
    assert [x.arrive_s for x in plan] == pytest.approx([10.0 * i / 12 for i in range(12)])
    assert all(len(x.think_s) == 4 and all(0.5 <= t <= 1.5 for t in x.think_s) for x in plan)
    assert plan == plan_learners(12, 3, 10.0, 4, 1.0, seed=0)  # seeded: the same class every run


def test_section_is_appended_then_other_runs_are_kept_and_the_same_run_replaced():
    doc = merge(BENCH_APPS_REPORT, _row("60 (3 + 57)", "first"), _subsection("60 learners", "first"))
    assert doc.startswith(BENCH_APPS_REPORT) and SECTION_TITLE in doc
    doc = merge(
        doc + "\n## Later section\n\nkept\n", _row("30 (3 + 27)", "old"), _subsection("30 learners", "old")
    )
    doc = merge(
        doc, _row("30 (3 + 27), `--X.y=1`", "option"), _subsection("30 learners, `--X.y=1`", "option")
    )
    doc = merge(doc, _row("30 (3 + 27)", "new"), _subsection("30 learners", "new"))
    assert doc.startswith(BENCH_APPS_REPORT) and doc.endswith("## Later section\n\nkept\n")
    assert doc.count(SECTION_TITLE) == 1
    assert _row("30 (3 + 27)", "old") not in doc and "- old" not in doc  # the same configuration is replaced
    expected = [
        _row("30 (3 + 27)", "new"),
        _row("30 (3 + 27), `--X.y=1`", "option"),
        _row("60 (3 + 57)", "first"),
        "### 30 learners\n",
        "### 30 learners, `--X.y=1`",
        "### 60 learners",
    ]
    order = [doc.index(s) for s in expected]
    assert order == sorted(order)  # rows, then subsections, each by number of learners
    table = doc[doc.index(SECTION_TITLE) : doc.index("### ")]
    assert "| 0 | 7 |" not in table and doc.count("| 0 | 7 |") == 3  # one table per subsection


def test_preheat_section_is_replaced_in_place_and_the_others_are_kept(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text(BENCH_APPS_REPORT + "\n## Preheated kernels\n\nold\n\n## Load test\n\nkept\n")
    replace_section(path, "## Preheated kernels", "## Preheated kernels\n\nnew\n\n")
    assert path.read_text() == BENCH_APPS_REPORT + "\n## Preheated kernels\n\nnew\n\n## Load test\n\nkept\n"
    missing = tmp_path / "missing.md"
    replace_section(missing, "## Preheated kernels", "## Preheated kernels\n\nnew\n")
    assert missing.read_text() == "\n\n## Preheated kernels\n\nnew\n"


def test_bench_apps_keeps_the_load_test_section_when_it_rewrites_the_file(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text(merge(BENCH_APPS_REPORT, _row("30 (3 + 27)", "a"), _subsection("30 learners", "a")))
    kept = kept_sections(path)
    assert kept.lstrip("\n").startswith(SECTION_TITLE) and _subsection("30 learners", "a") in kept
    assert kept_sections(tmp_path / "missing.md") == ""


@pytest.mark.browser
def test_a_small_class_all_succeed_and_every_kernel_is_freed(tmp_path):
    require_chromium()
    doc, out = tmp_path / "performance.md", tmp_path / "run.json"
    doc.write_text(BENCH_APPS_REPORT)
    cmd = [
        sys.executable,
        str(SCRIPT),
        "--learners",
        "3",
        "--browsers",
        "1",
        "--ramp",
        "1",
        "--moves",
        str(MOVES),
        "--think",
        str(THINK_S),
        "--settle",
        "2",
        "--doc",
        str(doc),
        "--json",
        str(out),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    run = json.loads(out.read_text())
    summary = run["summary"]

    assert (summary["n"], summary["ok"], summary["errors"]) == (3, 3, {})
    assert {k: (v["n"], v["ok"]) for k, v in summary["kinds"].items()} == {"browser": (1, 1), "light": (2, 2)}
    assert [x["notebook"] for x in run["learners"]] == APPS[:3]
    for learner in run["learners"]:
        assert learner["ok"] and learner["kernel_freed"] and learner["tti_s"] > 0, learner
        assert len(learner["text_ms"]) == MOVES
        assert len(learner["painted_ms"]) == (MOVES if learner["kind"] == "browser" else 0)
    assert run["assets"]["tree"] > 0 and run["assets"]["app"] > 0  # light learners fetched a browser's files

    memory = summary["memory_mb"]
    assert any(s["t_s"] < 0 for s in run["samples"]) and any(s["t_s"] > 0 for s in run["samples"])
    assert memory["peak_kernels"] == 3  # everybody stays until all have moved: the class is there at once
    assert memory["kernels_after_leave"] == 0  # every page's leave beacon shut its kernel down
    assert 0 < memory["baseline"] < memory["peak"] and memory["per_learner"] > 0
    assert set(run["cpu_s"]) == {"server", "voila", "light", "sampler", "browsers", "machine"}

    written = doc.read_text()
    assert written.startswith(BENCH_APPS_REPORT) and "| 3 (1 + 2), preheat off | 3 / 3 |" in written
    assert "### 3 learners, preheat off" in written and "| t, s | kernels |" in written
