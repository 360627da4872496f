"""qdpv.constants: every physical constant once, with the CODATA value, and written nowhere else in the library.

Reference values are typed in from CODATA 2018/2022 (the SI-defining constants are exact since 2019), not taken
from scipy.constants, so a wrong combination in constants.py (a missing 1e9, e instead of e^2) is caught.
"""

from __future__ import annotations

import io
import math
import tokenize
from pathlib import Path

import pytest

from qdpv import carriers, confinement, constants

LIB = Path(constants.__file__).parent

# name -> (CODATA value typed in by hand, relative tolerance: 1e-12 where the value follows from exact SI
# constants, else the CODATA relative uncertainty, or the digits typed)
CODATA = {
    "BOLTZMANN_J_K": (1.380649e-23, 1e-12),
    "ELEMENTARY_CHARGE_C": (1.602176634e-19, 1e-12),
    "PLANCK_J_S": (6.62607015e-34, 1e-12),
    "SPEED_OF_LIGHT_M_S": (299792458.0, 1e-12),
    "AVOGADRO_PER_MOL": (6.02214076e23, 1e-12),
    "GAS_CONSTANT_J_MOL_K": (6.02214076e23 * 1.380649e-23, 1e-12),  # R = N_A k_B
    "BOLTZMANN_EV_K": (1.380649e-23 / 1.602176634e-19, 1e-12),  # 8.617333262e-5 eV/K
    "HC_EV_NM": (6.62607015e-34 * 299792458.0 / 1.602176634e-19 * 1e9, 1e-12),  # 1239.841984 eV nm
    "ELECTRON_MASS_KG": (9.1093837e-31, 1e-8),  # CODATA 2018: 9.1093837015e-31, 2022: 9.1093837139e-31
    "HBAR2_2M0_EV_NM2": (0.0380998212, 1e-8),  # CODATA 2018 hbar^2/(2 m_e) in eV nm^2 (2022 differs by 1e-9)
    "COULOMB_EV_NM": (1.439964548, 1e-8),  # CODATA 2018 e^2/(4 pi eps0) in eV nm
}


def test_every_constant_has_a_reference_value():
    assert sorted(CODATA) == sorted(constants.__all__)


@pytest.mark.parametrize("name", sorted(CODATA))
def test_constant_matches_codata(name):
    value, rel = CODATA[name]
    assert getattr(constants, name) == pytest.approx(value, rel=rel)


def test_modules_use_the_same_numbers():
    assert carriers.BOLTZMANN_eV_K is constants.BOLTZMANN_EV_K
    assert confinement.HC_EV_NM is constants.HC_EV_NM
    assert confinement.HBAR2_2M0_EV_NM2 is constants.HBAR2_2M0_EV_NM2
    assert confinement.COULOMB_EV_NM is constants.COULOMB_EV_NM


def _constant_literals(source: str) -> list[tuple[int, str, str]]:
    """(line, literal, constant name) for every number in the code that is one of the constants to 4 digits.

    Only number tokens count (not comments or docstrings): a docstring may state a value, code must import it.
    Four significant digits (relative 1e-4) catch a constant typed to any precision, e.g. 8.617e-5 or 1239.8.
    """
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.NUMBER or tok.string[-1] in "jJ":
            continue
        x = float(tok.string.replace("_", ""))
        for name in constants.__all__:
            value = getattr(constants, name)
            if x != 0 and math.isclose(x, value, rel_tol=1e-4):
                found.append((tok.start[0], tok.string, name))
    return found


def test_the_scan_finds_a_typed_constant():
    source = "kt = 8.617e-5 * t\nedge = 1239.84 / eg\nq = 1.602176634e-19\nn = 6_022e20\n"
    assert [name for _, _, name in _constant_literals(source)] == [
        "BOLTZMANN_EV_K",
        "HC_EV_NM",
        "ELEMENTARY_CHARGE_C",
        "AVOGADRO_PER_MOL",
    ]


@pytest.mark.parametrize(
    "path",
    sorted(p for p in LIB.rglob("*.py") if p.name != "constants.py"),
    ids=lambda p: str(p.relative_to(LIB)),
)
def test_no_module_types_a_physical_constant(path):
    found = _constant_literals(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name}: import these from qdpv.constants instead: {found}"
