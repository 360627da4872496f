"""The kit's Voila server log: a filter that keeps a normal start free of a warning that does not apply to it.

``voila.json`` names :class:`UntrustedNotebookFilter` in ``Voila.logging_config``. Loading a notebook, the
Jupyter server checks its signature against the user's trust database and warns "Notebook ... is not trusted"
when it finds none; a notebook is trusted only once someone has run ``jupyter trust`` on it on that machine.
Trust decides one thing: whether a notebook's *stored* outputs may run their HTML and JavaScript when opened in
JupyterLab. Voila shows no stored output: it runs each notebook in a fresh kernel and shows what that run
produces, and the kit's notebooks are stored without outputs anyway. So on every start, for every page, the
warning would say something true that never matters here, in the words of a security problem. Every other
message of the log, warnings included, passes.
"""

from __future__ import annotations

import logging

__all__ = ["UntrustedNotebookFilter"]


class UntrustedNotebookFilter(logging.Filter):
    """Drops the Jupyter server's "Notebook %s is not trusted" warning (jupyter_server's ContentsManager)."""

    MESSAGE = "Notebook %s is not trusted"

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != self.MESSAGE
