"""Physical constants, defined once for every physics module of :mod:`qdpv`.

Values are CODATA as the installed :mod:`scipy.constants` provides them (the 2022 adjustment from SciPy
1.15 on). Since the 2019 SI the Planck constant, the elementary charge, the Boltzmann constant, the Avogadro
constant and the speed of light are exact, so every derived value below is exact up to floating-point
rounding except those involving the electron mass or the vacuum permittivity (relative uncertainty
~1e-10). Each name carries its unit (``_EV_K`` is eV per kelvin, ``_EV_NM`` eV times nm, ...), so that a
formula shows which unit it works in.

Modules import the names they need (``from .constants import BOLTZMANN_EV_K``) instead of writing a
number or recombining :mod:`scipy.constants`; ``tests/test_constants.py`` checks that no physics module
types one of these numbers again.
"""

from __future__ import annotations

import math

from scipy import constants as _sc

__all__ = [
    "AVOGADRO_PER_MOL",
    "BOLTZMANN_EV_K",
    "BOLTZMANN_J_K",
    "COULOMB_EV_NM",
    "ELECTRON_MASS_KG",
    "ELEMENTARY_CHARGE_C",
    "GAS_CONSTANT_J_MOL_K",
    "HBAR2_2M0_EV_NM2",
    "HC_EV_NM",
    "PLANCK_J_S",
    "SPEED_OF_LIGHT_M_S",
]

BOLTZMANN_J_K: float = _sc.k
"""Boltzmann constant k_B in J/K (exact)."""

ELEMENTARY_CHARGE_C: float = _sc.e
"""Elementary charge e in C (exact)."""

PLANCK_J_S: float = _sc.h
"""Planck constant h in J s (exact)."""

SPEED_OF_LIGHT_M_S: float = _sc.c
"""Speed of light in vacuum c in m/s (exact)."""

ELECTRON_MASS_KG: float = _sc.m_e
"""Free-electron rest mass m_0 in kg."""

AVOGADRO_PER_MOL: float = _sc.Avogadro
"""Avogadro constant N_A in 1/mol (exact)."""

GAS_CONSTANT_J_MOL_K: float = _sc.gas_constant
"""Molar gas constant R = N_A k_B in J/(mol K) (exact)."""

BOLTZMANN_EV_K: float = _sc.k / _sc.e
"""Boltzmann constant in eV/K, k_B / e = 8.617333e-5 eV/K; k_B T / e is the thermal voltage in V."""

HC_EV_NM: float = _sc.h * _sc.c / _sc.e * 1e9
"""Planck constant times the speed of light in eV nm, hc / e = 1239.842 eV nm: photon energy times
wavelength."""

HBAR2_2M0_EV_NM2: float = _sc.hbar**2 / (2.0 * _sc.m_e) / _sc.e * 1e18
"""hbar^2 / (2 m_0) in eV nm^2, 0.0380998 eV nm^2: the kinetic energy of a free electron is this times k^2."""

COULOMB_EV_NM: float = _sc.e / (4.0 * math.pi * _sc.epsilon_0) * 1e9
"""e^2 / (4 pi epsilon_0) in eV nm, 1.439965 eV nm: the Coulomb energy of two elementary charges 1 nm apart
in vacuum."""
