"""Voila's page templates are compiled once per server (qdpv.serving.templates): a second page's exporter compiles
nothing, an edited template is compiled again, environments that compile differently do not share code, and both
ways the kit runs Voila install it (KitVoila on its own, the kit's Jupyter server extension on Binder/JupyterHub).
(That pages render as before is checked by every browser test, which runs on servers that have it.)"""

from __future__ import annotations

import asyncio
import logging

import jinja2
import pytest
import tornado.web
from jinja2 import meta
from voila.exporter import VoilaExporter
from voila.paths import collect_template_paths

from qdpv.serving import extension, templates
from qdpv.serving.voila_app import KitVoila
from qdpv_testing import ROOT

TEMPLATE_NAME = "qdpv"


@pytest.fixture
def kit_template_paths(monkeypatch):
    """Voila's search path for the kit's template, as Voila builds it for a page (this checkout's template first)."""
    monkeypatch.setenv("JUPYTER_PATH", str(ROOT / "share" / "jupyter"))
    return collect_template_paths(["voila", "nbconvert"], TEMPLATE_NAME)


@pytest.fixture
def compiles(monkeypatch):
    """The names of the templates Jinja compiles from now on."""
    seen: list[str] = []
    compile_ = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, raw=False, defer_init=False):
        seen.append(name)
        return compile_(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return seen


def _load_page_templates(env: jinja2.Environment, name: str = "index.html.j2") -> list[str]:
    """Load ``name`` and every template it extends, includes or imports, as rendering a page does; their names."""
    loaded, todo = [], [name]
    while todo:
        current = todo.pop()
        if current in loaded:
            continue
        try:
            source = env.loader.get_source(env, current)[0]
        except jinja2.TemplateNotFound:  # an "include ... ignore missing"
            continue
        env.get_template(current)
        loaded.append(current)
        todo.extend(ref for ref in meta.find_referenced_templates(env.parse(source)) if ref is not None)
    return loaded


def test_a_second_page_compiles_none_of_the_templates_the_first_compiled(kit_template_paths, compiles):
    assert templates.install() and templates.installed()
    templates.CACHE.clear()
    pages = [VoilaExporter(template_paths=kit_template_paths, template_name=TEMPLATE_NAME) for _ in range(2)]
    for page in pages:  # the filters Voila registers as it renders a page
        page.register_filter("highlight_code", lambda source, **options: source)
        page.register_filter("trusted", lambda output: output)
    used = _load_page_templates(pages[0].environment)
    compiled_for_the_first = list(compiles)
    assert _load_page_templates(pages[1].environment) == used
    assert len(used) >= 10  # the kit's index.html.j2 and the Voila and nbconvert templates it builds on
    assert sorted(compiled_for_the_first) == sorted(used)
    assert compiles == compiled_for_the_first, "the second page's exporter compiled templates again"
    assert pages[1].environment.bytecode_cache is templates.CACHE


def test_an_edited_template_is_compiled_again(tmp_path):
    cache = templates.CompiledTemplates()
    page = tmp_path / "page.html.j2"
    page.write_text("Hello {{ who }}")

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=cache)
        return env.get_template("page.html.j2").render(who="class")

    assert render() == "Hello class"
    assert render() == "Hello class"
    page.write_text("Goodbye {{ who }}")
    assert render() == "Goodbye class"
    assert len(cache) == 1


def test_environments_that_compile_differently_do_not_share_code(tmp_path):
    cache = templates.CompiledTemplates()
    (tmp_path / "page.html.j2").write_text("{% for x in xs %}{{ x }};{% endfor %}")

    def env(**options) -> jinja2.Environment:
        return jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=cache, **options)

    # asynchronous code run by a synchronous environment (or the reverse) fails or renders nothing
    assert env(enable_async=True).get_template("page.html.j2").render(xs=[1, 2]) == "1;2;"
    assert env().get_template("page.html.j2").render(xs=[1, 2]) == "1;2;"
    rendered = asyncio.run(env(enable_async=True).get_template("page.html.j2").render_async(xs=[3]))
    assert rendered == "3;"
    assert env(extensions=["jinja2.ext.do"]).get_template("page.html.j2").render(xs=[4]) == "4;"
    assert len(cache) == 3


def test_voila_on_its_own_installs_it(monkeypatch):
    monkeypatch.setattr(VoilaExporter, "environment", templates._ORIGINAL)
    assert not templates.installed()
    monkeypatch.setattr("voila.app.Voila.listen", lambda self: None)
    voila = KitVoila(tornado_settings={})
    voila.app = tornado.web.Application()
    voila.listen()
    assert templates.installed()


def test_the_kits_server_extension_installs_it(monkeypatch, caplog):
    monkeypatch.setattr(VoilaExporter, "environment", templates._ORIGINAL)
    assert extension._jupyter_server_extension_points() == [{"module": "qdpv.serving.extension"}]

    class Server:
        log = logging.getLogger("test-server")

    with caplog.at_level(logging.INFO, logger="test-server"):
        extension._load_jupyter_server_extension(Server())
    assert templates.installed()
    assert "compiled once per server" in caplog.text


def test_a_voila_without_the_environment_property_is_left_alone(monkeypatch, caplog):
    monkeypatch.setattr(templates, "_ORIGINAL", None)
    monkeypatch.setattr(VoilaExporter, "environment", jinja2.Environment())
    with caplog.at_level(logging.WARNING, logger=templates.__name__):
        assert templates.install() is False
    assert "compiled for every page" in caplog.text
