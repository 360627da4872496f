"""A normal start of the kit's Voila server logs no warning that does not apply: voila.json filters the Jupyter
server's "Notebook ... is not trusted" (meaningless for Voila, qdpv.serving.logs) and encrypts the kernels'
channels, which silences ipykernel's warning that they run over TCP in plain text."""

from __future__ import annotations

import copy
import json
import logging
import logging.config

from traitlets.config import Application
from traitlets.utils.nested_update import nested_update

from qdpv.serving.logs import UntrustedNotebookFilter
from qdpv_testing import ROOT

CONFIG = json.loads((ROOT / "voila.json").read_text())


def _record(msg: str, *args: object, level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord("Voila", level, __file__, 1, msg, args, None)


def test_the_filter_drops_only_the_trust_warning():
    keep = UntrustedNotebookFilter()
    assert not keep.filter(_record("Notebook %s is not trusted", "02_qd_sizing.ipynb"))
    assert keep.filter(_record("Notebook %s is not found", "02_qd_sizing.ipynb"))
    assert keep.filter(_record("Kernel started: %s", "abc", level=logging.INFO))


def test_voila_json_puts_the_filter_on_the_servers_console_handler(capsys):
    """Voila merges ``logging_config`` into traitlets' default logging configuration; do the same here."""

    class Voila(Application):  # the application name is the logger's name, as for Voila's own class
        pass

    app = Voila()
    config = app.get_default_logging_config()
    nested_update(config, copy.deepcopy(CONFIG["Voila"]["logging_config"]))
    logging.config.dictConfig(config)
    log = logging.getLogger("Voila")
    try:
        log.warning("Notebook %s is not trusted", "00_start_here.ipynb")
        log.warning("Notebook %s is not found", "00_start_here.ipynb")
    finally:
        for handler in list(log.handlers):
            log.removeHandler(handler)
    err = capsys.readouterr().err
    assert "not trusted" not in err and "00_start_here.ipynb is not found" in err


def test_kernel_channels_are_encrypted_where_the_kernel_can_be():
    assert CONFIG["KernelManager"] == {"transport_encryption": "auto"}
