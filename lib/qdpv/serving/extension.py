"""The kit's Jupyter server extension: what :class:`qdpv.serving.voila_app.KitVoila` adds to Voila on its own, for
Voila running as a Jupyter server extension (Binder, JupyterHub), where no ``KitVoila`` runs.

It keeps Voila's page templates compiled once per server (:func:`qdpv.serving.templates.install`).
``binder/postBuild`` enables it in the Jupyter server's settings (``ServerApp.jpserver_extensions``).
"""

from __future__ import annotations

from . import templates


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp) -> None:
    if templates.install():
        serverapp.log.info("qdpv: Voila's page templates are compiled once per server")
