"""The Examples sections of the physics modules run as doctests, and every public function has one.

An example is documentation a learner pastes into a notebook; running it here means a change of the code that
moves its printed number fails until the docstring says the new number.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import pytest

import qdpv

NON_PHYSICS = ("qdpv.ui", "qdpv.serving")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _physics_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(qdpv.__path__, "qdpv.")]
    return sorted(n for n in names if not n.startswith(NON_PHYSICS) and not n.rpartition(".")[2].startswith("_"))


PHYSICS = _physics_modules()


@pytest.mark.parametrize("name", PHYSICS)
def test_examples_run_and_print_what_they_show(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS, report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} fail (run doctest on it)"


@pytest.mark.parametrize("name", PHYSICS)
def test_every_public_function_has_an_example(name):
    module = importlib.import_module(name)
    public = [getattr(module, n) for n in getattr(module, "__all__", [])]
    functions = [f for f in public if callable(f) and not inspect.isclass(f) and f.__module__ == name]
    missing = [f.__name__ for f in functions if ">>>" not in (f.__doc__ or "").partition("Examples")[2]]
    assert not missing, f"{name}: public functions without an Examples section: {missing}"
