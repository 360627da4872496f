"""Apps built ahead, once, in the process kernels are forked from, and handed to the first kernel page that asks.

An app page's kernel spends most of its notebook building the app: the Bokeh models of its figures, their first
state and the serialised document, its widgets (step 5: ~0.35 s of a ~0.4 s notebook, measured in forked kernels
on this kit's 2-core test machine). The page's HTML, and with it the page's own scripts, waits for that. On a
server whose kernels are forked from a warm template (:mod:`qdpv.serving.kernel_template`; ``voila.json`` has it
call :func:`prepare` after importing the apps), every app is built once in the template, and each forked kernel
inherits the finished apps. The first ``build()`` of an app in such a kernel takes its ready app instead of
building one: it sets the page up (:func:`qdpv.ui.kit.setup_bokeh`, the scripts the build held) and opens the
app's widgets' comms, in the order they were created, each with the state it has (what creating the widget in
the kernel would have sent); step 5's notebook then took ~0.06 s. Every later ``build()`` in the kernel builds a
new app.

Nothing else changes: the ready app is the one ``build()`` makes (its presets applied), each kernel owns its copy
(a forked process's memory is its own), and where no template built it (JupyterLab, tests, a normal kernel start)
``build()`` builds as always. The ready apps' widgets are kept out of ipywidgets' registry until a kernel takes
them (a page is sent the state of every widget in the registry: the gallery's page gets none of the apps'), and
the apps a kernel does not take are kept, untouched, so that the memory they share with the template is not
copied.

In the template no kernel exists: widgets built there get comm-less stand-ins (``comm``'s ``DummyComm``), the page
setup waits for the kernel, and what building an app shows the page (the quiz's script) is held
(:mod:`qdpv.ui.kit.page`) and shown by the kernel that takes the app, before the app's widgets, as building it
there would have.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ipywidgets.widgets import widget as _widget

from . import app as _app
from . import page

if TYPE_CHECKING:
    from .app import StepApp

__all__ = ["built_ahead", "prepare", "ready"]

_BUILDERS: dict[str, Callable[[], StepApp]] = {}
"""Each app's own ``build`` by app module."""

_READY: dict[str, tuple[StepApp, list[_widget.Widget], list[Any]]] = {}
"""Apps built by :func:`prepare`, with their widgets in creation order and what building them would have shown
the page (scripts), by app module; a kernel takes each once.
An app stays here until taken, so that nothing of it is freed: a freed widget would try to close a comm this
kernel never had, and freeing writes to memory shared with the template."""


def built_ahead(build: Callable[[], StepApp]) -> Callable[[], StepApp]:
    """Decorate an app module's ``build()``: it returns the app :func:`prepare` built ahead, once, in a kernel
    forked after that; otherwise what ``build`` builds."""
    _BUILDERS[build.__module__] = build

    @functools.wraps(build)
    def build_or_take() -> StepApp:
        ready_app = _take(build.__module__)
        return ready_app if ready_app is not None else build()

    return build_or_take


def prepare() -> None:
    """Build every app whose module has been imported, without a kernel: in the kernels' template process."""
    if _in_kernel():
        raise RuntimeError("qdpv.ui.kit.ahead.prepare builds apps for kernels forked later; this is a kernel")
    for module, build in _BUILDERS.items():
        if module in _READY:
            continue
        before = set(_widget._instances)
        with page.held() as shown:
            built = build()
        widgets = [w for key, w in _widget._instances.items() if key not in before]
        for w in widgets:  # out of the registry: a page is sent the state of every widget in it
            del _widget._instances[w.model_id]
        _READY[module] = (built, widgets, shown)


def ready() -> list[str]:
    """The app modules whose app is built and not yet taken."""
    return list(_READY)


def _in_kernel() -> bool:
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


def _take(module: str) -> StepApp | None:
    if module not in _READY or not _in_kernel():
        return None
    taken, widgets, shown = _READY.pop(module)
    _app.setup_bokeh()  # what building the app shows first; held back while it was built
    for obj in shown:
        page.show(obj)
    for w in widgets:  # children before the widgets that hold them, as they were created
        w.comm = None
        w.open()  # a comm of this kernel, opened with the widget's state; the widget is in the registry again
    return taken
