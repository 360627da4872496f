"""Voila as the kit runs it on one machine: ``voila``, plus responses compressed when ``voila.json`` asks for it
and page templates compiled once.

``voila.json`` sets ``"compress_response": true`` in ``Voila.tornado_settings``: the server gzips its pages, its
JavaScript bundles (Voila's, and the BokehJS of :mod:`qdpv.ui.kit.bokehjs`) and its JSON, so a learner's first
page is a fraction of its size on the network. Voila 0.5.13 on its own (``voila/app.py``, ``Voila.start``)
builds its tornado application first and copies ``tornado_settings`` into it afterwards, but tornado reads
``compress_response`` only when an application is built (it then adds its ``GZipContentEncoding`` transform),
so the setting does nothing there. :class:`KitVoila` adds that transform, through tornado's public
``Application.add_transform``, once the application exists and before the server listens, when the setting is
on and the transform is not there already (a Voila that passes the setting at build time needs nothing).

When Voila runs as a Jupyter server extension (Binder, JupyterHub), the Jupyter server builds the application
with its ``ServerApp.tornado_settings``, where ``binder/postBuild`` puts the same setting: that needs no class.

:class:`KitVoila` also keeps Voila's page templates compiled once per server instead of once per page
(:mod:`qdpv.serving.templates`); as a server extension, :mod:`qdpv.serving.extension` does that.

Run it like ``voila``: ``python -m qdpv.serving.voila_app notebooks/ --port=8866`` (``scripts/run.sh``); it
reads the same ``voila.json`` and takes the same options.
"""

from __future__ import annotations

import sys

from tornado.web import GZipContentEncoding
from voila.app import Voila

from . import templates

__all__ = ["KitVoila", "main"]


class KitVoila(Voila):
    """Voila, with ``tornado_settings["compress_response"]`` applied to the server it starts, and its page
    templates compiled once (:func:`qdpv.serving.templates.install`)."""

    def listen(self) -> None:
        templates.install()
        # Voila.start has built self.app and added its handlers; listen() starts serving
        if self.tornado_settings.get("compress_response") and GZipContentEncoding not in self.app.transforms:
            self.app.add_transform(GZipContentEncoding)
        super().listen()


def main(argv: list[str] | None = None) -> None:
    KitVoila.launch_instance(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
