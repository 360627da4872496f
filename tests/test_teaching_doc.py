"""docs/teaching.md quotes only numbers that scripts/teaching_numbers.py computes from the library.

Numbers quoted in docs are produced by a script, not typed, so that a changed model cannot leave a stale number
in the instructors' guide. These tests fail when a model changes and the doc was not regenerated (run
``.venv/bin/python scripts/teaching_numbers.py``), and they check that the check itself can fail.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "teaching_numbers.py"


@pytest.fixture(scope="module")
def tn():
    spec = importlib.util.spec_from_file_location("teaching_numbers", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def numbers(tn):
    return tn.compute_numbers()


def test_every_number_in_the_doc_matches_the_library(tn, numbers):
    assert tn.problems(tn.DOC.read_text(encoding="utf-8"), numbers) == []


def test_the_paper_numbers_are_the_papers(numbers):
    # held to the abstract of Xu et al. (2026) directly, not to qdpv.paper, so a wrong PAPER entry shows here
    assert numbers["paper_pce"] == "22.15 %"
    assert (numbers["paper_air_retained"], numbers["paper_air_h"]) == ("93.16 %", "1300 h")
    assert (numbers["paper_light_retained"], numbers["paper_light_h"]) == ("98.14 %", "1000 h")


def test_the_check_catches_a_drifted_value_an_unknown_marker_and_an_unused_number(tn, numbers):
    good = "".join(f"<!-- num:{k} -->{v}<!-- /num -->" for k, v in numbers.items())
    assert tn.problems(good, numbers) == []
    drifted = good.replace(f"<!-- num:qd_gap_8nm -->{numbers['qd_gap_8nm']}", "<!-- num:qd_gap_8nm -->2.500 eV")
    assert [p.split(":")[0] for p in tn.problems(drifted, numbers)] == ["qd_gap_8nm"]
    assert tn.problems(good + "<!-- num:typo -->1 nm<!-- /num -->", numbers)[0].startswith("typo: unknown")
    missing = good.replace(f"<!-- num:sq_voc -->{numbers['sq_voc']}<!-- /num -->", "")
    assert tn.problems(missing, numbers) == ["sq_voc: computed but not quoted in the doc"]


def test_fill_rewrites_stale_values_and_leaves_the_text_alone(tn, numbers):
    text = "gap <!-- num:qd_gap_8nm -->old<!-- /num --> and <!-- num:nope -->kept<!-- /num -->."
    assert tn.fill(text, numbers) == (
        f"gap <!-- num:qd_gap_8nm -->{numbers['qd_gap_8nm']}<!-- /num --> and <!-- num:nope -->kept<!-- /num -->."
    )


def test_main_check_exits_non_zero_on_a_stale_doc(tn, numbers, tmp_path, monkeypatch):
    stale = tmp_path / "teaching.md"
    text = tn.DOC.read_text(encoding="utf-8")
    stale.write_text(tn.MARKER.sub(lambda m: f"<!-- num:{m[1]} -->0<!-- /num -->", text), encoding="utf-8")
    monkeypatch.setattr(tn, "DOC", stale)
    monkeypatch.setattr(tn, "ROOT", tmp_path)
    assert tn.main(["--check"]) == 1
    assert tn.main([]) == 0  # rewriting fixes it
    assert stale.read_text(encoding="utf-8") == text
