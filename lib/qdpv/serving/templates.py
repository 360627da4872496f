"""Voila's page templates compiled once per server, not once per page.

Voila renders every page with a new ``VoilaExporter`` (nbconvert's ``TemplateExporter``), whose new Jinja
environment parses and compiles every template the page uses: the kit's ``index.html.j2`` and the 16 templates
of Voila's "lab" and nbconvert's "lab" and "base" templates it extends. Measured on this 2-core machine with
Voila 0.5.13, nbconvert 7.17.2 and Jinja 3.1.6 (``curl`` of step 2's page, 6 requests, the first left out):
compiling took ~140 ms of every page, before the page's first byte, on the critical path of every learner's
page; with the compiled templates kept, the first byte came after a median 110 ms instead of 250 ms.

:func:`install` gives every ``VoilaExporter``'s environment one process-wide :class:`CompiledTemplates`, a Jinja
bytecode cache (Jinja's own mechanism for skipping the parse and compile of a template that has not changed,
``Environment.bytecode_cache``). Jinja still reads each template file for every page and uses the kept code only
while the file's text is unchanged (its checksum); the code is kept apart for environments that compile
differently (asynchronous or not, other extensions). Pages render exactly as before: the compiled code is what
compiling the same text again would give.

It runs in the server process: :class:`qdpv.serving.voila_app.KitVoila` installs it when Voila runs on its own,
and :mod:`qdpv.serving.extension`, a Jupyter server extension that ``binder/postBuild`` enables, when Voila runs
as a Jupyter server extension (Binder, JupyterHub).
"""

from __future__ import annotations

import logging
from types import CodeType

import jinja2
from voila.exporter import VoilaExporter

__all__ = ["CACHE", "CompiledTemplates", "install", "installed"]

log = logging.getLogger(__name__)


class CompiledTemplates(jinja2.BytecodeCache):
    """A Jinja bytecode cache in memory: each template's compiled code, with the checksum of the text it was
    compiled from, per kind of environment (asynchronous or not, and its extensions)."""

    def __init__(self) -> None:
        self._codes: dict[tuple, tuple[str, CodeType]] = {}

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple:
        env = bucket.environment
        return bucket.key, env.is_async, tuple(sorted(env.extensions))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = self._codes.get(self._key(bucket))
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._codes[self._key(bucket)] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        self._codes.clear()

    def __len__(self) -> int:
        return len(self._codes)


CACHE = CompiledTemplates()
"""The server's compiled templates, shared by every page's exporter."""

_ORIGINAL = VoilaExporter.__dict__.get("environment")


def installed() -> bool:
    """Whether Voila's exporters use :data:`CACHE`."""
    return getattr(VoilaExporter.__dict__.get("environment"), "fget", None) is _environment


def _environment(self: VoilaExporter) -> jinja2.Environment:
    env = _ORIGINAL.fget(self)  # type: ignore[union-attr]
    if env.bytecode_cache is None:
        env.bytecode_cache = CACHE
    return env


def install() -> bool:
    """Give every ``VoilaExporter`` environment :data:`CACHE`, once per process; return whether it is in place.

    If this Voila's ``VoilaExporter`` has no ``environment`` property of its own (the one it adds to nbconvert's
    to switch on Jinja's asynchronous rendering), pages are rendered as Voila renders them, and the log says so
    once.
    """
    if installed():
        return True
    if not isinstance(_ORIGINAL, property):
        log.warning("Voila's VoilaExporter has no environment property: page templates are compiled for every page")
        return False
    VoilaExporter.environment = property(_environment, doc=_ORIGINAL.__doc__)
    return True
