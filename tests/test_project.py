"""Project hygiene the README promises: pinned dependencies, Binder on the same pins, notebooks stored without
outputs, data files with a source line, offline Voila template."""

from __future__ import annotations

import json
import pkgutil
import re
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import qdpv
from qdpv.datasets import available_tables, load_table
from qdpv.serving.kernel_manager import POOLS_MEASURED_WITH

ROOT = Path(__file__).resolve().parents[1]


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"{path.name}: {line!r} is not pinned with =="
        pins[re.sub(r"[-_.]+", "-", name.lower())] = version
    return pins


def test_runtime_and_test_requirements_are_pinned():
    runtime = _pins(ROOT / "requirements.txt")
    assert {"jupyterlab", "ipywidgets", "voila", "numpy", "scipy", "bokeh", "jupyter-bokeh"} <= set(runtime)
    test = _pins(ROOT / "requirements-test.txt")
    assert {"pytest", "nbval", "playwright", "hypothesis", "ruff", "pvlib", "pygaps"} <= set(test)


def test_binder_uses_the_same_pins():
    assert _pins(ROOT / "binder" / "requirements.txt") == _pins(ROOT / "requirements.txt")


def test_serving_bounds_start_at_the_pinned_versions_which_are_installed_and_measured():
    pins = _pins(ROOT / "requirements.txt")
    serving = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["serving"]
    for spec in serving:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        lower = [s.version for s in req.specifier if s.operator == ">="]
        assert lower == [pins[name]], f"{spec}: the lower bound is not requirements.txt's pin {pins.get(name)}"
        assert req.specifier.contains(metadata.version(name)), f"installed {name} is outside {spec}"
        assert any(s.operator == "<" for s in req.specifier), f"{spec}: no upper bound"
    assert pins["voila"] in POOLS_MEASURED_WITH, "the pinned Voila's kernel pools were not measured"


def test_package_docstring_names_exactly_the_modules_there_are():
    named = set(re.findall(r"``(\w+)``", qdpv.__doc__))
    present = {m.name for m in pkgutil.iter_modules(qdpv.__path__)}
    assert named == present, f"named but missing: {named - present}; present but not named: {present - named}"




# Files that name the module search path for a reason other than sharing code
SYS_PATH_READERS = {
    # a kernel forked from the template must start with a normal kernel's module search path (without the working
    # directory that ``python -m`` put first, as ipykernel_launcher takes it out)
    "lib/qdpv/serving/kernel_template.py",
    # code sent to a kernel, reporting its module search path (the tests compare a forked with a normal kernel)
    "lib/qdpv_testing/kernels.py",
}


def test_no_test_benchmark_or_script_edits_sys_path():
    # tests, benchmarks and scripts share code only through qdpv_testing, which is installed with qdpv
    pattern = re.compile(r"\bsys\.path\b")
    files = [p for folder in ("tests", "benchmarks", "scripts", "lib") for p in (ROOT / folder).rglob("*.py")]
    offenders = [str(p.relative_to(ROOT)) for p in files if pattern.search(p.read_text(encoding="utf-8"))
                 and p.relative_to(ROOT).as_posix() not in SYS_PATH_READERS]
    assert not offenders, offenders


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(notebook):
    nb = json.loads(notebook.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, notebook.name
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", available_tables())
def test_every_data_table_names_its_source(name):
    table = load_table(name)
    assert table.source, f"{name}.csv has no '# source:' line"
    assert all(len(col) == len(next(iter(table.columns.values()))) for col in table.columns.values())


def test_voila_template_drops_only_the_cdn_stylesheets():
    template = (ROOT / "share/jupyter/voila/templates/qdpv/index.html.j2").read_text()
    assert "extends 'voila/templates/lab/index.html.j2'" in template
    config = json.loads((ROOT / "voila.json").read_text())
    assert config["VoilaConfiguration"]["template"] == "qdpv"
    assert config["VoilaConfiguration"]["show_tracebacks"] is False
    assert config["Voila"]["ip"] == "127.0.0.1"


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("0[1-9]_*.ipynb")), ids=lambda p: p.name)
def test_every_app_has_a_gallery_thumbnail(notebook):
    thumb = ROOT / "notebooks" / "img" / notebook.name.replace(".ipynb", ".png")
    assert thumb.exists(), f"run scripts/screenshots.py to make {thumb.relative_to(ROOT)}"


def test_binder_post_build_installs_the_kit_template_and_settings(tmp_path):
    """Run binder/postBuild in a scratch HOME without its pip line (what setup.sh does): the kit's template with its
    BokehJS, and the server extension's settings. (In a server: tests/test_browser_static.py.)"""
    import os

    from qdpv.ui.kit import bokehjs
    from qdpv_testing.server import run_post_build

    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)
    run_post_build(tmp_path)
    template = tmp_path / ".local/share/jupyter/voila/templates/qdpv"
    assert (template / "index.html.j2").exists() and (template / bokehjs.INCLUDE).exists()
    for source in bokehjs.package_files():
        assert (template / "static" / bokehjs.FOLDER / source.name).read_bytes() == source.read_bytes()
    config = json.loads((tmp_path / ".jupyter/jupyter_server_config.json").read_text())
    shipped = json.loads((ROOT / "voila.json").read_text())
    # Every section of voila.json reaches the Jupyter server's settings as it is, except those that do not apply
    # when Voila runs as a server extension: "Voila" configures Voila's own application (the settings of it that
    # the server needs are checked below), and the VoilaKernelManager (the pool of preheated kernels) exists only
    # in Voila's own application; the server extension starts kernels with the server's MappingKernelManager.
    not_for_the_server = {"Voila", "VoilaKernelManager"}
    for section in sorted(set(shipped) - not_for_the_server):
        assert config.get(section) == shipped[section], f"binder/postBuild does not carry over {section}"
    connection = "kernel_websocket_connection_class"
    assert config["ServerApp"][connection] == shipped["Voila"][connection]
    tornado = config["ServerApp"]["tornado_settings"]
    assert tornado["compress_response"] is shipped["Voila"]["tornado_settings"]["compress_response"] is True
    assert tornado["mathjax_url"] is None and tornado["mathjax_config"] is None  # Voila's own MathJax, no CDN
    # what KitVoila adds to Voila on its own, the kit's server extension adds to the Jupyter server
    assert config["ServerApp"]["jpserver_extensions"]["qdpv.serving.extension"] is True


def test_shipped_files_cite_nothing_a_learner_cannot_open():
    # Learner-visible sources are papers, books or datasets with a DOI or URL: no shipped file may point at the
    # project's internal planning sheets or say how it was written.
    root = Path(__file__).resolve().parents[1]
    banned = re.compile(r"params\.md|shared/|parameter sheet|params sheet|search tool|DESIGN\.md", re.IGNORECASE)
    shipped = [*root.joinpath("lib").rglob("*.py"), *root.joinpath("lib").rglob("*.csv"),
               *root.joinpath("notebooks").rglob("*.ipynb"), *root.joinpath("docs").rglob("*.md"), root / "README.md"]
    offenders = [f"{p.relative_to(root)}:{i}" for p in shipped
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if banned.search(line)]
    assert not offenders, offenders


def _layout_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return [line for line in block.splitlines() if line.startswith("    ")]


def test_readme_layout_matches_the_tree():
    lines = _layout_block()
    named = " ".join(lines)
    # every entry of the first column exists (an indented entry is inside the last unindented one)
    parent = ROOT
    for line in lines:
        indent = len(line) - len(line.lstrip())
        entry = line.split()[0]
        if indent == 4:
            parent = ROOT / entry if entry.endswith("/") else ROOT
        if indent in (4, 6) and ("/" in entry or "." in entry) and "<" not in entry:
            base = ROOT if indent == 4 else parent
            assert (base / entry).exists(), f"README layout names {entry}, which is not in {base}"
    # every file it names exists somewhere in the repository
    tracked = {Path(f).name for f in subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                                    check=True).stdout.split()}
    for name in re.findall(r"(?<![\w-])([\w-]+\.(?:py|md|sh))\b", named):
        assert name in tracked, f"README layout names {name}, which is not in the repository"
    # every public module and subpackage of the library, and every top-level folder, is named
    for path in sorted((ROOT / "lib" / "qdpv").iterdir()):
        if path.name.startswith(("_", ".")) or path.name == "data":
            continue
        short = path.name + ("/" if path.is_dir() else "")
        assert short in named, f"README layout does not name lib/qdpv/{short}"
    for path in sorted(ROOT.iterdir()):
        if path.is_dir() and not path.name.startswith((".", "_")) and path.name not in {"share"}:
            assert f"{path.name}/" in named, f"README layout does not name the folder {path.name}/"
