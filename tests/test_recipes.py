"""The recipes of docs/own_data.md run as written on folders holding the kit's example files (and one bad
file, which the isotherm recipe must report and skip): a recipe that no longer matches the library fails here."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from qdpv import datasets

DOC = Path(__file__).resolve().parents[1] / "docs" / "own_data.md"
FOLDERS = {"isotherms": ("isotherm", "isotherm_aif"), "spectra": ("spectrum",), "jv": ("jv",), "decays": ("decay",)}


def _recipes() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_there_is_a_recipe_per_kind_of_measurement():
    assert len(_recipes()) == len(FOLDERS)


@pytest.mark.parametrize("index", range(len(FOLDERS)))
def test_recipe_runs_on_a_folder_of_files(index, tmp_path, monkeypatch, capsys):
    for folder, kinds in FOLDERS.items():
        (tmp_path / folder).mkdir()
        for kind in kinds:
            source = datasets.example_file(kind)
            shutil.copy(source, tmp_path / folder / source.name)
    (tmp_path / "isotherms" / "broken.csv").write_text("p_rel,n_ads_mmol_g\n0.1,5\n0.2,x\n")
    monkeypatch.chdir(tmp_path)
    exec(compile(_recipes()[index], f"{DOC.name} recipe {index + 1}", "exec"), {})
    printed = capsys.readouterr().out
    if index == 0:
        rows = (tmp_path / "isotherm_summary.csv").read_text().splitlines()
        assert len(rows) == 3  # header and the two good isotherms
        assert "broken.csv: skipped, line 3" in printed
    else:
        assert printed.strip(), "the recipe prints one line per file"
