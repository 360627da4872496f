"""What the kit shows a page besides its widgets (the quiz's script): shown at once, or, while apps are built where
no page is (:func:`qdpv.ui.kit.ahead.prepare`, in the kernels' template), held for the kernel that takes the app,
which shows them in the same order. (The page setup, :func:`qdpv.ui.kit.setup_bokeh`, waits for that kernel.)"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from IPython.display import display

_held: list[Any] | None = None


def holding() -> bool:
    """Whether what is shown now is held for a kernel (an app is being built ahead)."""
    return _held is not None


def show(obj: Any) -> None:
    """Display ``obj`` in the page, or hold it while an app is built ahead."""
    if _held is not None:
        _held.append(obj)
    else:
        display(obj)


@contextlib.contextmanager
def held() -> Iterator[list[Any]]:
    """Hold what is shown inside the block; yields the list it fills, in order."""
    global _held
    if _held is not None:
        raise RuntimeError("already holding what the page is shown")
    _held = []
    try:
        yield _held
    finally:
        _held = None
