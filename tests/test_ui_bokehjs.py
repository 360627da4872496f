"""BokehJS as static files of the kit's Voila template (qdpv.ui.kit.bokehjs): the bundles every app needs are the ones
installed, the installer copies this bokeh's own files, and a kernel sends BokehJS through itself only where its page
does not load it. (In a browser: tests/test_browser_static.py.)"""

from __future__ import annotations

import importlib
import re

import pytest

from qdpv.ui.kit import app as kit_app
from qdpv.ui.kit import bokehjs
from qdpv_testing import NOTEBOOKS, ROOT, app_notebooks

TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "qdpv"
# the module whose build() each app notebook shows ("from qdpv.ui.<module> import build")
APP_MODULES = [re.search(r"from qdpv\.ui\.(\w+) import build", (NOTEBOOKS / nb).read_text())[1]
               for nb in app_notebooks()]


@pytest.fixture
def template(tmp_path):
    """A copy of the kit's template in a Jupyter data folder of its own: ``(data folder, template folder)``."""
    folder = tmp_path / "voila" / "templates" / bokehjs.TEMPLATE
    folder.mkdir(parents=True)
    (folder / "index.html.j2").write_text((TEMPLATE / "index.html.j2").read_text())
    return tmp_path, folder


@pytest.fixture
def voila_kernel(monkeypatch, template):
    """This process as a kernel Voila started, with ``template``'s data folder first on Jupyter's data path."""
    monkeypatch.setenv(bokehjs.VOILA_KERNEL_ENV, "/")
    monkeypatch.setenv("JUPYTER_PATH", str(template[0]))
    return template[1]


@pytest.mark.parametrize("module", APP_MODULES)
def test_every_app_needs_no_bundle_beyond_those_the_template_loads(module):
    layout = importlib.import_module(f"qdpv.ui.{module}").build().figures
    needed = bokehjs.needed_components(layout)
    assert "bokeh" in needed and needed <= set(bokehjs.COMPONENTS), needed


def test_install_copies_this_bokehs_bundles_and_loads_each_from_the_static_folder(template):
    folder = template[1]
    written = bokehjs.install(folder)
    sources = bokehjs.package_files()
    assert [s.name for s in sources] == [f"{c}.min.js" for c in bokehjs.COMPONENTS]
    for source in sources:
        assert (folder / "static" / bokehjs.FOLDER / source.name).read_bytes() == source.read_bytes()
    include = (folder / bokehjs.INCLUDE).read_text()
    assert [line for line in include.splitlines() if "include_js" in line] == [
        f'{{{{ resources.include_js("static/{bokehjs.FOLDER}/{s.name}") }}}}' for s in sources]
    assert len(written) == len(sources) + 1
    assert bokehjs.install(folder) == [], "files already up to date are left alone"


def test_install_replaces_a_changed_bundle_and_drops_a_stale_one(template):
    folder = template[1]
    bokehjs.install(folder)
    static = folder / "static" / bokehjs.FOLDER
    (static / "bokeh.min.js").write_text("another bokeh")
    (static / "bokeh-tables.min.js").write_text("a bundle no page loads")
    assert bokehjs.install(folder) == [static / "bokeh.min.js"]
    assert not (static / "bokeh-tables.min.js").exists()


def test_install_refuses_a_folder_that_is_not_the_template(tmp_path):
    with pytest.raises(ValueError, match="template_dir must be the kit's Voila template folder"):
        bokehjs.install(tmp_path)


def test_a_voila_kernel_finds_the_templates_bundles(voila_kernel):
    assert not bokehjs.in_page(), "nothing installed yet"
    bokehjs.install(voila_kernel)
    assert bokehjs.in_page()


def test_a_kernel_outside_voila_never_counts_on_the_template(voila_kernel, monkeypatch):
    bokehjs.install(voila_kernel)
    monkeypatch.delenv(bokehjs.VOILA_KERNEL_ENV)
    assert not bokehjs.in_page()


@pytest.mark.parametrize("damage", ["another bokeh's bundle", "no include"])
def test_a_template_without_this_bokehs_bundles_does_not_count(voila_kernel, damage):
    bokehjs.install(voila_kernel)
    if damage == "no include":
        (voila_kernel / bokehjs.INCLUDE).unlink()
    else:
        (voila_kernel / "static" / bokehjs.FOLDER / "bokeh-widgets.min.js").write_text("bokeh 3.0")
    assert not bokehjs.in_page()


@pytest.fixture
def sent(monkeypatch):
    """What setup_bokeh sends to the page: "inline" (output_notebook) and "patches", in order."""
    import bokeh.io

    calls: list[str] = []
    monkeypatch.setattr(kit_app, "_bokeh_ready", False)
    monkeypatch.setattr(bokeh.io, "output_notebook", lambda *args, **kwargs: calls.append("inline"))
    monkeypatch.setattr(kit_app._bokeh_internals, "install_page_patches", lambda: calls.append("patches"))
    return calls


def test_in_a_voila_page_with_the_templates_bokehjs_the_kernel_sends_only_the_patches(voila_kernel, sent):
    bokehjs.install(voila_kernel)
    kit_app.setup_bokeh()
    kit_app.setup_bokeh()  # once per kernel
    assert sent == ["patches"]


def test_elsewhere_the_kernel_sends_bokehjs_inline_then_the_patches(voila_kernel, sent, monkeypatch, caplog):
    monkeypatch.delenv(bokehjs.VOILA_KERNEL_ENV)  # e.g. JupyterLab
    kit_app.setup_bokeh()
    assert sent == ["inline", "patches"]
    assert not caplog.records


def test_a_voila_template_without_bokehjs_gets_it_inline_and_the_log_says_how_to_install(voila_kernel, sent, caplog):
    kit_app.setup_bokeh()
    assert sent == ["inline", "patches"]
    assert "python -m qdpv.ui.kit.bokehjs" in caplog.text
