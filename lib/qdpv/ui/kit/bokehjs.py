"""BokehJS in the apps' pages: static files of the kit's Voila template, fetched once, not sent by every kernel.

jupyter_bokeh's figure widget draws only once BokehJS is in the page. ``bokeh.io.output_notebook(INLINE)`` puts
it there through the kernel: the five bundles of BokehJS (3.9 MB of JavaScript) leave every kernel as ~8 MB of
iopub JSON, which Voila writes into every page, uncompressed and never cached by the browser. Instead, the kit's
Voila template (``share/jupyter/voila/templates/qdpv``) loads the bundles the apps use, :data:`COMPONENTS`,
copied from the installed bokeh into its ``static/bokehjs`` folder, with ``<script src=".../bokehjs/bokeh.min.js?v=
<hash of the file>">``. Voila serves a template's static files at ``voila/templates/<name>/static/...`` with
tornado's static file handler, which sends a file asked for with ``?v=`` with a ten-year ``Cache-Control:
max-age``: a browser fetches each bundle once and a new bokeh (a new hash) is fetched again. The server
compresses it (``compress_response``, see :mod:`qdpv.serving.voila_app`). No CDN is involved.

:func:`install` copies the bundles into a template folder and writes the template's ``bokehjs.html.j2``, which
``index.html.j2`` includes if it exists; ``scripts/setup.sh``, ``binder/postBuild`` and the test server run it
(``python -m qdpv.ui.kit.bokehjs <template folder>``). :func:`in_page` tells a kernel whether its page has
this bokeh's BokehJS that way; where it has not (JupyterLab, a test runner, a Voila template folder without
them or with another bokeh's), :func:`qdpv.ui.kit.setup_bokeh` sends BokehJS inline, as before.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
from pathlib import Path

import bokeh
from bokeh.embed.bundle import bundle_for_objs_and_resources
from bokeh.models import LayoutDOM
from bokeh.resources import Resources
from jupyter_core.paths import jupyter_path

COMPONENTS = ("bokeh", "bokeh-widgets")
"""The BokehJS bundles the apps' figures need: the core and the widgets (the CSV download button is a Bokeh
``Button``). ``output_notebook(INLINE)`` also sends gl, tables and mathjax (2.3 MB), which no app uses;
``tests/test_ui_kit.py`` checks every app against this list with bokeh's own choice of bundles."""

TEMPLATE = "qdpv"
"""The kit's Voila template, whose ``static`` folder serves the bundles."""

FOLDER = "bokehjs"
"""The bundles' folder inside the template's ``static`` folder."""

INCLUDE = "bokehjs.html.j2"
"""The template file that loads the bundles, written by :func:`install` next to ``index.html.j2``."""

VOILA_KERNEL_ENV = "VOILA_SERVER_URL"
"""An environment variable Voila gives every kernel it starts for a page (preheated or not, on its own or as a
Jupyter server extension); a kernel without it is not drawing in a Voila page."""


def package_files() -> list[Path]:
    """The minified bundles of :data:`COMPONENTS` in the installed bokeh, in the order a page loads them."""
    return [Path(p) for p in Resources(mode="absolute", components=list(COMPONENTS)).js_files]


def needed_components(layout: LayoutDOM) -> set[str]:
    """The BokehJS bundles bokeh itself would load for ``layout`` (e.g. ``{"bokeh", "bokeh-widgets"}``)."""
    bundle = bundle_for_objs_and_resources([layout], Resources(mode="absolute"))
    return {Path(str(url.url)).name.removesuffix(".min.js") for url in bundle.js_files}


def _include_text() -> str:
    lines = [
        f"{{#- Written by qdpv.ui.kit.bokehjs.install for bokeh {bokeh.__version__}: its BokehJS bundles, served",
        "    from this template's static folder (cached by the browser, compressed by the server). -#}",
        *(f'{{{{ resources.include_js("static/{FOLDER}/{path.name}") }}}}' for path in package_files()),
    ]
    return "\n".join(lines) + "\n"


def install(template_dir: str | Path) -> list[Path]:
    """Copy the installed bokeh's bundles of :data:`COMPONENTS` into ``template_dir/static/bokehjs`` and write
    ``template_dir/bokehjs.html.j2`` that loads them; return the files written (those already up to date are
    left alone). ``template_dir`` is a copy of the kit's template (it holds ``index.html.j2``)."""
    template = Path(template_dir)
    if not (template / "index.html.j2").is_file():
        raise ValueError(f"template_dir must be the kit's Voila template folder (with index.html.j2), got {template}")
    folder = template / "static" / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source in package_files():
        target = folder / source.name
        if not (target.is_file() and filecmp.cmp(source, target, shallow=False)):
            shutil.copyfile(source, target)
            written.append(target)
    wanted = {path.name for path in package_files()}
    for stale in folder.glob("*.js"):  # another bokeh's bundle that no page loads any more
        if stale.name not in wanted:
            stale.unlink()
    include = template / INCLUDE
    text = _include_text()
    if not include.is_file() or include.read_text(encoding="utf-8") != text:
        include.write_text(text, encoding="utf-8")
        written.append(include)
    return written


def _first(folders: list[Path], name: str) -> Path | None:
    """``name`` in the first of ``folders`` that has it: the file a Voila template search resolves to."""
    return next((folder / name for folder in folders if (folder / name).is_file()), None)


def in_page() -> bool:
    """Whether this kernel draws in a Voila page that loads this bokeh's own BokehJS from the kit's template.

    True when the kernel was started by Voila (:data:`VOILA_KERNEL_ENV`) and the kit's template on Jupyter's data
    path, searched as Voila searches it (the first folder that has a file wins), has :data:`INCLUDE` and bundles
    equal, byte for byte, to the installed bokeh's. The kernel inherits the server's environment, so it searches
    the same folders. (The template is the kit's because ``voila.json`` and the server extension's settings
    choose it and forbid choosing another from the URL.)
    """
    if VOILA_KERNEL_ENV not in os.environ:
        return False
    templates = [Path(p) for p in jupyter_path("voila", "templates", TEMPLATE)]
    if _first(templates, INCLUDE) is None:
        return False
    statics = [t / "static" / FOLDER for t in templates]
    for source in package_files():
        served = _first(statics, source.name)
        if served is None or not filecmp.cmp(source, served, shallow=False):
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Install the installed bokeh's BokehJS into the kit's Voila template.")
    parser.add_argument("template_dir", type=Path, help="the template folder (with index.html.j2)")
    args = parser.parse_args(argv)
    written = install(args.template_dir)
    if written:
        print(f"BokehJS {bokeh.__version__} installed into {args.template_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
