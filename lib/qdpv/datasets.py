"""Small data tables shipped with the kit (``qdpv/data/*.csv``), each headed by ``# source:`` lines.

:func:`load_table` returns the columns as numpy arrays (numbers where a column is numeric, strings otherwise)
together with the comment lines, so that an app can print the source next to the points it plots. The file
format and its reader are in :mod:`qdpv.io` (:func:`qdpv.io.read_table_csv`).
"""

from __future__ import annotations

from importlib import resources

from ._validate import check_choice
from .io import Table, read_table_csv

__all__ = ["Table", "available_tables", "load_table"]


def available_tables() -> list[str]:
    """Names (file stems) of the tables in ``qdpv/data``.

    Examples
    --------
    >>> available_tables()
    ['astmg173_global', 'cspbbr3_sizing', 'degradation_example_synthetic', 'msn_medium_isotherm_synthetic']
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
