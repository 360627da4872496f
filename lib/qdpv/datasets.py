"""Small data files shipped with the kit (``qdpv/data``), each headed by ``# source:`` lines.

:func:`load_table` returns the columns of a CSV table as numpy arrays (numbers where a column is numeric, strings
otherwise) together with the comment lines, so that an app can print the source next to the points it plots. The
file format and its reader are in :mod:`qdpv.io` (:func:`qdpv.io.read_table_csv`).

:func:`example_file` names one example file per kind of measurement a learner can bring (:data:`EXAMPLES`), to be
read by the matching reader of :mod:`qdpv.io`: the isotherms are real measurements (pyGAPS's MCM-41 and silica),
the others SYNTHETIC, made by the kit's models, as their first line says.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from ._validate import check_choice
from .io import Table, read_table_csv

__all__ = ["EXAMPLES", "Table", "available_tables", "example_file", "load_table"]

EXAMPLES: Mapping[str, str] = MappingProxyType(
    {
        "isotherm": "mcm41_n2_77k_pygaps.csv",  # qdpv.io.read_isotherm (real: MCM-41, N2 at 77 K)
        "isotherm_aif": "sio2_n2_77k_pygaps.aif",  # qdpv.io.read_isotherm (real: a silica, AIF)
        "spectrum": "pl_spectrum_example_synthetic.csv",  # qdpv.io.read_spectrum_csv
        "jv": "jv_example_synthetic.csv",  # qdpv.io.read_jv_csv
        "decay": "trpl_decay_example_synthetic.csv",  # qdpv.io.read_decay_csv
        "pl_temperature": "pl_temperature_example_synthetic.csv",  # qdpv.io.read_pl_temperature_csv
        "degradation": "degradation_example_synthetic.csv",  # qdpv.io.read_degradation_csv
    }
)
"""Kind of measurement -> the example file in ``qdpv/data`` (the reader of :mod:`qdpv.io` for each is named)."""


def available_tables() -> list[str]:
    """Names (file stems) of the tables in ``qdpv/data``.

    Examples
    --------
    >>> available_tables()[:4]
    ['astmg173_global', 'cspbbr3_sizing', 'degradation_example_synthetic', 'jv_example_synthetic']
    """
    return sorted(p.name[:-4] for p in resources.files("qdpv").joinpath("data").iterdir() if p.name.endswith(".csv"))


def load_table(name: str) -> Table:
    """Read ``qdpv/data/<name>.csv``: leading ``#`` lines are notes, then a header row and data rows.

    Examples
    --------
    Two CsPbBr3 nanocrystal sizes, each with its absorption and PL peak, and where the numbers come from:

    >>> table = load_table("cspbbr3_sizing")
    >>> list(table.columns), table.columns["size_nm"].tolist()
    (['size_nm', 'energy_eV', 'kind', 'shape', 'source'], [9.9, 12.5, 9.9, 12.5])
    >>> table.source
    'Energies 14(2), 275 (2021), "Growth Kinetics and Optical Properties of CsPbBr3 ...'
    """
    check_choice("name", name, available_tables())
    with resources.files("qdpv").joinpath("data", f"{name}.csv").open("rb") as file:
        return read_table_csv(file, name)


def example_file(kind: str) -> Path:
    """Path of the example file for one kind of measurement (:data:`EXAMPLES`), for the readers of :mod:`qdpv.io`.

    Examples
    --------
    >>> from qdpv.io import read_decay_csv
    >>> example_file("jv").name
    'jv_example_synthetic.csv'
    >>> round(read_decay_csv(example_file("decay")).bin_ns, 9)
    0.1
    """
    check_choice("kind", kind, EXAMPLES)
    return Path(str(resources.files("qdpv").joinpath("data", EXAMPLES[kind])))
