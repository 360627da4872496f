r"""Mesoporous silica nanoparticles (MSNs): templating, N2 isotherms at 77 K, BET area and BJH pore sizes.

The chain a learner follows here is

    synthesis knobs -> pore diameter and particle size -> simulated N2 isotherm -> BET area, BJH pore sizes,
    pore volume -> how much CsPbBr3 the pores can hold.

Three parts:

1. A templating model of the biphasic stratification synthesis (Shen et al. 2014). Only the micelle geometry
   is physics (Tanford chain length, volume conservation when oil swells a cylindrical micelle core); the
   calcination factor, the oil uptakes and the shell-growth kinetics are fitted to the range Shen et al.
   report (pores 2.8-13 nm, shell thickness ~5-180 nm) or illustrative. :data:`TEMPLATING_NOTES` says which is
   which, in words an app can show.
2. A forward model of the N2 isotherm of a distribution of open cylindrical pores: Harkins-Jura multilayer
   film plus capillary condensation at the film-corrected Kelvin pressure (cylindrical meniscus on
   adsorption, hemispherical on desorption, hence an H1-like hysteresis loop). It is the classical picture the
   BJH method assumes, not a density-functional model: it has no micropores, no pore-size dependent
   film, and it predicts hysteresis even below ~4 nm, where real N2 isotherms at 77 K are reversible.
3. The standard analyses: BET area with the Rouquerol criteria, BJH pore-size distribution, Gurvich total pore
   volume, and the maximum CsPbBr3 mass the pore volume can hold.

Units: p_rel is p/p0 (dimensionless), amounts in mmol per gram of silica, lengths in nm, volumes in cm3/g
(liquid N2 volume for pore volumes), areas in m2/g.

References
----------
.. [1] D. Shen et al., "Biphase Stratification Approach to Three-Dimensional Dendritic Biodegradable
   Mesoporous Silica Nanospheres", Nano Lett. 14, 923-932 (2014). doi:10.1021/nl404316v
.. [2] M. Thommes et al., "Physisorption of gases, with special reference to the evaluation of surface area
   and pore size distribution (IUPAC Technical Report)", Pure Appl. Chem. 87, 1051-1069 (2015).
.. [3] E. P. Barrett, L. G. Joyner, P. P. Halenda, J. Am. Chem. Soc. 73, 373-380 (1951).
.. [4] S. Brunauer, P. H. Emmett, E. Teller, J. Am. Chem. Soc. 60, 309-319 (1938).
.. [5] J. Rouquerol, P. Llewellyn, F. Rouquerol, Stud. Surf. Sci. Catal. 160, 49-56 (2007).
.. [6] W. D. Harkins, G. Jura, J. Am. Chem. Soc. 66, 1366-1373 (1944).
.. [7] C. Tanford, "Micelle shape and size", J. Phys. Chem. 76, 3020-3024 (1972); J. N. Israelachvili,
   Intermolecular and Surface Forces, 3rd ed. (Academic Press, 2011), ch. 20.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.constants import Avogadro, gas_constant
from scipy.special import ndtr

from ._validate import check_array, check_choice, check_increasing
from .paper import PAPER

__all__ = [
    "CSPBBR3_DENSITY_G_CM3",
    "KJS_CALIBRATED_NM",
    "KJS_CORRECTION_NM",
    "MSN_PRESETS",
    "N2_CROSS_SECTION_NM2",
    "N2_MOLAR_VOLUME_CM3_MOL",
    "N2_SURFACE_TENSION_N_M",
    "N2_TEMPERATURE_K",
    "OIL_UPTAKE",
    "TEMPLATING_NOTES",
    "BETResult",
    "BJHResult",
    "SimulatedIsotherm",
    "TemplatingConditions",
    "TemplatingResult",
    "bet_area_m2_g",
    "bjh_pore_distribution",
    "classical_bjh_diameter_nm",
    "default_p_rel",
    "harkins_jura_thickness_nm",
    "kelvin_radius_nm",
    "kjs_pore_diameter_nm",
    "kjs_thickness_nm",
    "load_isotherm_csv",
    "max_cspbbr3_loading_g_g",
    "particle_external_area_m2_g",
    "shell_thickness_nm",
    "simulate_isotherm",
    "swollen_pore_diameter_nm",
    "tanford_chain_length_nm",
    "template_msn",
    "total_pore_volume_cm3_g",
]

# --- Liquid nitrogen at its normal boiling point (IUPAC, Thommes et al. 2015 [2]) -------------------------
N2_TEMPERATURE_K = 77.35
N2_SURFACE_TENSION_N_M = 8.88e-3
N2_MOLAR_VOLUME_CM3_MOL = 34.68
N2_CROSS_SECTION_NM2 = 0.162

# gamma * V_m / (R T) in nm: the length scale of the Kelvin equation for N2 at 77.35 K (0.479 nm).
_KELVIN_LENGTH_NM = (
    N2_SURFACE_TENSION_N_M * N2_MOLAR_VOLUME_CM3_MOL * 1e-6 / (gas_constant * N2_TEMPERATURE_K) * 1e9
)
# Thickness of one statistical N2 monolayer, V_m / (N_A sigma) = 0.355 nm (the 0.354 nm of the t-method).
_MONOLAYER_THICKNESS_NM = N2_MOLAR_VOLUME_CM3_MOL * 1e-6 / (Avogadro * N2_CROSS_SECTION_NM2 * 1e-18) * 1e9

_MENISCUS_FACTOR = {"cylindrical": 1.0, "hemispherical": 2.0}
_BRANCH_MENISCUS = {"ads": "cylindrical", "des": "hemispherical"}

# --- Silica and CsPbBr3 --------------------------------------------------------------------------------
_SILICA_SKELETAL_DENSITY_G_CM3 = (
    2.2  # amorphous silica wall density; typical literature value, "range" 2.0-2.3
)
_CSPBBR3_MOLAR_MASS_G_MOL = 132.905 + 207.2 + 3 * 79.904  # IUPAC standard atomic weights of Cs, Pb, Br
_CSPBBR3_PSEUDOCUBIC_A_NM = 0.587  # pseudo-cubic lattice constant (Protesescu et al. 2015 give a = 0.587 nm)
CSPBBR3_DENSITY_G_CM3 = _CSPBBR3_MOLAR_MASS_G_MOL / (Avogadro * (_CSPBBR3_PSEUDOCUBIC_A_NM * 1e-7) ** 3)
"""Crystallographic density of CsPbBr3, M / (N_A a^3) with one formula unit per pseudo-cubic cell of
a = 0.587 nm: 4.77 g/cm3 (an approximation: the orthorhombic cell differs by a small tilt of the
octahedra)."""


# ========================================================================================================
# 1. Templating (biphasic stratification)
# ========================================================================================================

TEMPLATING_NOTES = (
    "What is physics and what is fitted in the templating model. "
    "Physical: the hydrophobic core of a CTAC micelle cannot be wider than two fully stretched alkyl chains; "
    "Tanford's chain length l = 0.154 + 0.1265 n nm gives 2.18 nm for the C16 chain of CTAC. Oil dissolved "
    "in a cylindrical micelle core swells it at constant length, so the core diameter grows as "
    "sqrt(1 + oil volume / tail volume). "
    "Fitted: one calcination/shrinkage factor, chosen so that an unswollen C16 template gives the smallest "
    "pore Shen et al. (Nano Lett. 2014) report, 2.8 nm; the oil uptakes of the solvents are chosen so that "
    "the strongest swelling reaches their largest pore, about 13 nm. Which solvent gave which pore in that "
    "paper is not in the kit's sources: the solvent ranking (small cyclic molecules swell more than long "
    "linear alkenes) is illustrative. "
    "Illustrative: the shell growth (saturating in time, Arrhenius in temperature) is scaled to the 5-180 nm "
    "shell thicknesses of Shen et al.; the seed size and activation energy are not from the paper. "
    "The small and large MSN presets are illustrative; the medium preset is set to the paper's ~8 nm pore."
)

OIL_UPTAKE: dict[str, float] = {
    "none": 0.0,
    "1-octadecene": 2.0,
    "decahydronaphthalene": 8.0,
    "cyclohexane": 14.0,
    "cyclohexene": 20.6,
}
"""Maximum oil volume dissolved per volume of surfactant tails, u_max (illustrative; see TEMPLATING_NOTES).

The largest value is fitted so that the strongest swelling gives the ~13 nm upper end of Shen et al. (2014):
(13 / 2.8)^2 - 1 = 20.6."""

_CALCINATION_FACTOR = 2.8 / (2 * (0.154 + 0.1265 * 16))  # fitted: unswollen C16 template -> 2.8 nm pore
_SEED_DIAMETER_NM = 20.0  # illustrative core size before the first shell grows
_SHELL_MAX_NM = 180.0  # upper end of the shell thickness Shen et al. report
_SHELL_TAU_H = 24.0  # illustrative growth time constant at the reference temperature
_SHELL_T_REF_K = 333.15  # 60 C, a typical temperature of the biphasic synthesis (illustrative)
_SHELL_EA_EV = 0.5  # illustrative activation energy of TEOS hydrolysis/condensation at the interface
_K_B_EV_K = 8.617333262e-5


def tanford_chain_length_nm(n_carbons: float | np.ndarray) -> np.ndarray:
    r"""Maximum (fully extended) length of a saturated alkyl chain, Tanford's formula.

    .. math:: l_\mathrm{max} = 0.154 + 0.1265\, n_C \ \mathrm{nm}

    Parameters
    ----------
    n_carbons : array_like
        Number of carbon atoms in the chain, in [6, 22] (CTAC: 16).

    Returns
    -------
    numpy.ndarray
        Chain length in nm; the radius of the hydrophobic core of a micelle cannot exceed it.

    Raises
    ------
    ValueError
        If ``n_carbons`` is outside [6, 22].

    References
    ----------
    .. [1] C. Tanford, J. Phys. Chem. 76, 3020 (1972); Israelachvili, Intermolecular and Surface Forces
       (2011).
    """
    n = check_array("n_carbons", n_carbons, 6, 22, lo_closed=True)
    return 0.154 + 0.1265 * n


def swollen_pore_diameter_nm(n_carbons: float | np.ndarray, oil_uptake: float | np.ndarray) -> np.ndarray:
    r"""Pore diameter templated by a cylindrical micelle whose core is swollen by oil.

    .. math:: d = f_\mathrm{cal}\; 2\, l_\mathrm{max}(n_C)\, \sqrt{1 + u}

    The square root is volume conservation for a cylinder of fixed length that takes up ``u`` volumes of oil
    per volume of surfactant tails (physical). :math:`f_\mathrm{cal} = 0.64` is fitted so that an unswollen
    C16 template gives the 2.8 nm smallest pore of Shen et al. (2014); it lumps head-group/silica
    interpenetration and calcination shrinkage. Phenomenological beyond the geometry.

    Parameters
    ----------
    n_carbons : array_like
        Carbons in the surfactant tail, [6, 22].
    oil_uptake : array_like
        Oil volume per tail volume in the micelle core, [0, 30] (dimensionless).

    Returns
    -------
    numpy.ndarray
        Pore diameter in nm.

    Raises
    ------
    ValueError
        If an argument is out of range.

    References
    ----------
    .. [1] Tanford (1972); Shen et al., Nano Lett. 14, 923 (2014).
    """
    u = check_array("oil_uptake", oil_uptake, 0, 30, lo_closed=True)
    return _CALCINATION_FACTOR * 2 * tanford_chain_length_nm(n_carbons) * np.sqrt(1 + u)


def shell_thickness_nm(reaction_time_h: float | np.ndarray, temperature_K: float | np.ndarray) -> np.ndarray:
    r"""Thickness of the dendritic silica shell grown at the oil-water interface (illustrative kinetics).

    .. math::
        h = h_\mathrm{max}\,\bigl(1 - e^{-t/\tau}\bigr), \qquad
        \tau = \tau_\mathrm{ref}
        \exp\!\Bigl[\frac{E_a}{k_B}\Bigl(\frac{1}{T} - \frac{1}{T_\mathrm{ref}}\Bigr)\Bigr]

    A first-order, saturating growth with an Arrhenius rate: phenomenological. :math:`h_\mathrm{max}` = 180 nm
    is the upper end of the shell thicknesses Shen et al. (2014) report (5-180 nm, set by time and silica
    amount); :math:`\tau_\mathrm{ref}` = 24 h at 333.15 K and :math:`E_a` = 0.5 eV are illustrative.

    Parameters
    ----------
    reaction_time_h : array_like
        Reaction time in hours, (0, 168].
    temperature_K : array_like
        Reaction temperature in K, [293.15, 363.15].

    Returns
    -------
    numpy.ndarray
        Shell thickness in nm.

    Raises
    ------
    ValueError
        If an argument is out of range.

    References
    ----------
    .. [1] Shen et al., Nano Lett. 14, 923 (2014).
    """
    t = check_array("reaction_time_h", reaction_time_h, 0, 168, unit="h")
    temp = check_array("temperature_K", temperature_K, 293.15, 363.15, unit="K", lo_closed=True)
    tau = _SHELL_TAU_H * np.exp(_SHELL_EA_EV / _K_B_EV_K * (1 / temp - 1 / _SHELL_T_REF_K))
    return _SHELL_MAX_NM * -np.expm1(-t / tau)


@dataclass(frozen=True)
class TemplatingConditions:
    """Synthesis knobs of the biphasic stratification method (see :func:`template_msn`)."""

    n_carbons: float = 16.0
    oil: str = "cyclohexane"
    oil_loading: float = 0.5
    reaction_time_h: float = 12.0
    temperature_K: float = 333.15


@dataclass(frozen=True)
class TemplatingResult:
    """Output of :func:`template_msn`; arrays broadcast like the inputs."""

    pore_diameter_nm: np.ndarray
    particle_diameter_nm: np.ndarray
    micelle_core_radius_nm: np.ndarray
    """Unswollen core radius, the Tanford chain length (physical)."""
    oil_uptake: np.ndarray
    """Oil volume per surfactant-tail volume in the core (fitted/illustrative)."""


def template_msn(
    n_carbons: float | np.ndarray = 16.0,
    oil: str = "cyclohexane",
    oil_loading: float | np.ndarray = 0.5,
    reaction_time_h: float | np.ndarray = 12.0,
    temperature_K: float | np.ndarray = 333.15,
) -> TemplatingResult:
    r"""Pore diameter and particle size of an MSN from the synthesis conditions (phenomenological model).

    .. math::
        u = u_\mathrm{max}(\mathrm{oil})\; x, \qquad
        d_\mathrm{pore} = f_\mathrm{cal}\, 2\, l_\mathrm{max}(n_C) \sqrt{1 + u}, \qquad
        D_\mathrm{particle} = D_\mathrm{seed} + 2\, h(t, T)

    ``oil_loading`` x (0-1) stands for the amount of oil in the upper phase relative to saturating the micelle
    cores. See :data:`TEMPLATING_NOTES` for which parts are physical (micelle geometry) and which are fitted
    to Shen et al. (2014) or illustrative (uptakes, shell kinetics, 20 nm seed).

    Parameters
    ----------
    n_carbons : array_like
        Surfactant tail carbons, [6, 22] (CTAC: 16).
    oil : str
        Upper-phase solvent, one of :data:`OIL_UPTAKE`.
    oil_loading : array_like
        Relative oil amount x in [0, 1].
    reaction_time_h : array_like
        Reaction time in h, (0, 168].
    temperature_K : array_like
        Reaction temperature in K, [293.15, 363.15].

    Returns
    -------
    TemplatingResult
        ``pore_diameter_nm``, ``particle_diameter_nm``, ``micelle_core_radius_nm``, ``oil_uptake``.

    Raises
    ------
    ValueError
        If an argument is out of range or ``oil`` is unknown.

    References
    ----------
    .. [1] Shen et al., Nano Lett. 14, 923 (2014); Tanford, J. Phys. Chem. 76, 3020 (1972).
    """
    check_choice("oil", oil, OIL_UPTAKE)
    x = check_array("oil_loading", oil_loading, 0, 1, lo_closed=True)
    u = OIL_UPTAKE[oil] * x
    return TemplatingResult(
        pore_diameter_nm=swollen_pore_diameter_nm(n_carbons, u),
        particle_diameter_nm=_SEED_DIAMETER_NM + 2 * shell_thickness_nm(reaction_time_h, temperature_K),
        micelle_core_radius_nm=tanford_chain_length_nm(n_carbons),
        oil_uptake=u,
    )


def _loading_for_pore(pore_nm: float, oil: str, n_carbons: float = 16.0) -> float:
    """Invert the pore model: oil loading that gives ``pore_nm`` with ``oil`` (used to set the presets)."""
    ratio = pore_nm / (_CALCINATION_FACTOR * 2 * float(tanford_chain_length_nm(n_carbons)))
    return (ratio**2 - 1) / OIL_UPTAKE[oil]


MSN_PRESETS: dict[str, TemplatingConditions] = {
    # illustrative: a small-pore, small-particle MSN (about 4 nm pores, ~55 nm particles)
    "small": TemplatingConditions(
        oil="1-octadecene", oil_loading=_loading_for_pore(4.0, "1-octadecene"), reaction_time_h=2.5
    ),
    # the paper's medium MSN: oil loading set so that the model gives PAPER.medium_msn_pore_nm (about 8 nm);
    # the ~100 nm particle size is illustrative
    "medium": TemplatingConditions(
        oil="cyclohexane",
        oil_loading=_loading_for_pore(PAPER.medium_msn_pore_nm, "cyclohexane"),
        reaction_time_h=6.0,
    ),
    # illustrative: a large-pore, large-particle MSN (about 12 nm pores, ~195 nm particles)
    "large": TemplatingConditions(
        oil="cyclohexene", oil_loading=_loading_for_pore(12.0, "cyclohexene"), reaction_time_h=16.0
    ),
}
"""Presets for the paper's small/medium/large MSNs. Only the medium pore (~8 nm) is the paper's number; the
small and large pores and all particle sizes are illustrative (not found in the kit's copy of the paper)."""


# ========================================================================================================
# 2. N2 isotherm at 77 K
# ========================================================================================================


def harkins_jura_thickness_nm(p_rel: float | np.ndarray) -> np.ndarray:
    r"""Statistical thickness of the adsorbed N2 film at 77 K, Harkins-Jura t-curve.

    .. math:: t = 0.1 \left[\frac{13.99}{0.034 - \log_{10}(p/p_0)}\right]^{1/2}\ \mathrm{nm}

    Parameters
    ----------
    p_rel : array_like
        Relative pressure p/p0 in (0, 1).

    Returns
    -------
    numpy.ndarray
        Film thickness in nm.

    Raises
    ------
    ValueError
        If ``p_rel`` is outside (0, 1).

    References
    ----------
    .. [1] W. D. Harkins, G. Jura, J. Am. Chem. Soc. 66, 1366 (1944); Thommes et al., Pure Appl. Chem. 87,
       1051 (2015).
    """
    p = check_array("p_rel", p_rel, 0, 1, hi_closed=False)
    return _hj(p)


def _hj(p: np.ndarray) -> np.ndarray:
    return 0.1 * np.sqrt(13.99 / (0.034 - np.log10(p)))


def kjs_thickness_nm(p_rel: float | np.ndarray) -> np.ndarray:
    r"""Statistical thickness of the N2 film on silica at 77 K, the Kruk-Jaroniec-Sayari (KJS) t-curve.

    .. math:: t = 0.1 \left[\frac{60.65}{0.03071 - \log_{10}(p/p_0)}\right]^{0.3968}\ \mathrm{nm}

    Parameters
    ----------
    p_rel : array_like
        Relative pressure p/p0 in (0, 1).

    Returns
    -------
    numpy.ndarray
        Film thickness in nm.

    Raises
    ------
    ValueError
        If ``p_rel`` is outside (0, 1).

    References
    ----------
    .. [1] M. Kruk, M. Jaroniec, A. Sayari, "Application of large pore MCM-41 molecular sieves to improve pore
       size analysis using nitrogen adsorption measurements", Langmuir 13, 6267-6273 (1997).
       doi:10.1021/la970776m

    Examples
    --------
    >>> round(float(kjs_thickness_nm(0.4)), 3)
    0.714
    """
    return _kjs_t(check_array("p_rel", p_rel, 0, 1, hi_closed=False))


def _kjs_t(p: np.ndarray) -> np.ndarray:
    return 0.1 * (60.65 / (0.03071 - np.log10(p))) ** 0.3968


def _kjs_core_nm(p: np.ndarray) -> np.ndarray:
    """Radius of the liquid core (pore radius minus film) in the KJS relation, nm."""
    return _kelvin(p, "hemispherical") + KJS_CORRECTION_NM


def _kjs_diameter(p: np.ndarray) -> np.ndarray:
    return 2.0 * (_kjs_core_nm(p) + _kjs_t(p))


@lru_cache(maxsize=1)
def _kjs_inverse_grid() -> tuple[np.ndarray, np.ndarray]:
    """(diameter, ln p/p0) on a log-pressure grid, for inverting the monotonic KJS relation (~1e-4 nm steps)."""
    log_p = -np.logspace(-4.0, 1.0, 4001)[::-1]  # ln(p/p0) from -10 to -1e-4, increasing
    return _kjs_diameter(np.exp(log_p)), log_p


KJS_CORRECTION_NM = 0.3
"""Empirical radius correction of the KJS relation (Kruk, Jaroniec, Sayari 1997), calibrated on MCM-41 silicas
whose pore sizes were known from X-ray diffraction and pore volume."""

KJS_CALIBRATED_NM = (2.0, 6.5)
"""Pore diameters (nm) of the MCM-41 silicas on which the KJS relation was calibrated; it is commonly used up to
~12 nm (SBA-15), where it is an extrapolation."""


def kjs_pore_diameter_nm(p_rel: float | np.ndarray) -> np.ndarray:
    r"""Diameter of the cylindrical silica pore that fills with N2 at p/p0 (adsorption branch), KJS relation.

    .. math:: d = 2\left[\frac{2\gamma V_m}{R T \ln(p_0/p)} + t_\mathrm{KJS}(p/p_0) + 0.3\ \mathrm{nm}\right]

    An empirical correction of the Kelvin equation: Kruk, Jaroniec and Sayari measured where MCM-41 silicas of
    known pore size (X-ray diffraction) fill, and found that the classical Kelvin-plus-film estimate
    (:func:`classical_bjh_diameter_nm`) reads such narrow mesopores too small; the 0.3 nm and the KJS
    t-curve (:func:`kjs_thickness_nm`) make up the difference. Calibrated for 2-6.5 nm
    (:data:`KJS_CALIBRATED_NM`).

    Parameters
    ----------
    p_rel : array_like
        Relative pressure in (0, 1).

    Returns
    -------
    numpy.ndarray
        Pore diameter in nm.

    Raises
    ------
    ValueError
        If ``p_rel`` is outside (0, 1).

    References
    ----------
    .. [1] Kruk, Jaroniec, Sayari, Langmuir 13, 6267 (1997). doi:10.1021/la970776m

    Examples
    --------
    >>> round(float(kjs_pore_diameter_nm(0.4)), 2)
    4.12
    """
    return _kjs_diameter(check_array("p_rel", p_rel, 0, 1, hi_closed=False))


def classical_bjh_diameter_nm(pore_diameter_nm: float | np.ndarray) -> np.ndarray:
    r"""What classical BJH reports for a real cylindrical silica pore of diameter ``pore_diameter_nm``.

    The pore fills at the pressure the KJS relation gives (:func:`kjs_pore_diameter_nm`, measured on MCM-41);
    classical BJH converts that pressure back with the hemispherical-meniscus Kelvin radius plus the
    Harkins-Jura film, :math:`d_\mathrm{BJH} = 2[2\gamma V_m / (RT\ln(p_0/p)) + t_\mathrm{HJ}]`. The
    ratio shows the well-known bias of Kelvin-based sizes in narrow mesopores (about 22 % low at 4 nm, 11 % at
    8 nm). Outside :data:`KJS_CALIBRATED_NM` this is an extrapolation of the calibration.

    Parameters
    ----------
    pore_diameter_nm : array_like
        True pore diameter in nm, in [1.5, 50].

    Returns
    -------
    numpy.ndarray
        The classical BJH diameter in nm.

    Raises
    ------
    ValueError
        If ``pore_diameter_nm`` is outside [1.5, 50] nm.

    References
    ----------
    .. [1] Kruk, Jaroniec, Sayari, Langmuir 13, 6267 (1997). doi:10.1021/la970776m
    .. [2] Barrett, Joyner, Halenda, J. Am. Chem. Soc. 73, 373 (1951).

    Examples
    --------
    >>> round(float(classical_bjh_diameter_nm(8.0)), 2)
    7.13
    """
    d = check_array("pore_diameter_nm", pore_diameter_nm, 1.5, 50.0, unit="nm", lo_closed=True)
    grid_d, log_p = _kjs_inverse_grid()
    p = np.exp(np.interp(d, grid_d, log_p))
    return 2.0 * (_kelvin(p, "hemispherical") + _hj(p))


def kelvin_radius_nm(p_rel: float | np.ndarray, meniscus: str = "cylindrical") -> np.ndarray:
    r"""Kelvin radius of the liquid-N2 meniscus in equilibrium at p/p0 (77.35 K, perfect wetting).

    .. math:: r_K = -\frac{m\, \gamma V_m}{R T \ln(p/p_0)}, \qquad
              m = 1 \text{ (cylindrical meniscus, adsorption)},\ 2 \text{ (hemispherical, desorption)}

    with :math:`\gamma` = 8.88 mN/m, :math:`V_m` = 34.68 cm3/mol, T = 77.35 K. The pore radius at which
    condensation (or evaporation) happens is :math:`r_K + t` (BJH/Cohan).

    Parameters
    ----------
    p_rel : array_like
        Relative pressure in (0, 1).
    meniscus : {"cylindrical", "hemispherical"}
        Meniscus shape.

    Returns
    -------
    numpy.ndarray
        Kelvin radius in nm.

    Raises
    ------
    ValueError
        If ``p_rel`` is outside (0, 1) or ``meniscus`` is unknown.

    References
    ----------
    .. [1] L. H. Cohan, J. Am. Chem. Soc. 60, 433 (1938); Thommes et al., Pure Appl. Chem. 87, 1051 (2015).
    """
    check_choice("meniscus", meniscus, _MENISCUS_FACTOR)
    p = check_array("p_rel", p_rel, 0, 1, hi_closed=False)
    return _kelvin(p, meniscus)


def _kelvin(p: np.ndarray, meniscus: str) -> np.ndarray:
    return -_MENISCUS_FACTOR[meniscus] * _KELVIN_LENGTH_NM / np.log(p)


def default_p_rel(n_points: int = 80) -> np.ndarray:
    """A pressure grid for simulations: ~20 % of points in the BET region, the rest evenly spaced in log(d).

    The condensation points are spaced evenly in the logarithm of the film-corrected Kelvin diameter from
    1.8 nm to 40 nm (adsorption meniscus), so every pore size 2-30 nm is resolved to about
    ``ln(22) / (0.8 n_points)`` (4 % for 80 points).

    Parameters
    ----------
    n_points : int
        Number of points, [20, 2000].

    Returns
    -------
    numpy.ndarray
        Strictly increasing p/p0 values in (0.01, 0.99].

    Raises
    ------
    ValueError
        If ``n_points`` is out of range.
    """
    n = int(check_array("n_points", n_points, 20, 2000, lo_closed=True))
    return _p_grid(n).copy()


@lru_cache(maxsize=16)
def _p_grid(n: int) -> np.ndarray:
    n_bet = max(6, n // 5)
    p_fine = np.geomspace(1e-3, 0.999, 4000)
    d_fine = 2 * (_kelvin(p_fine, "cylindrical") + _hj(p_fine))
    d_grid = np.geomspace(1.8, 40.0, n - n_bet)
    p_cond = np.interp(np.log(d_grid), np.log(d_fine), p_fine)
    p_bet = np.geomspace(0.01, 0.9 * p_cond[0], n_bet)
    return np.concatenate([p_bet, p_cond])


def particle_external_area_m2_g(
    particle_diameter_nm: float | np.ndarray, pore_volume_cm3_g: float | np.ndarray
) -> np.ndarray:
    r"""External (envelope) area of spherical porous particles per gram of silica.

    .. math:: a_\mathrm{ext} = \frac{6}{\rho_p D}, \qquad \rho_p = \frac{1}{1/\rho_s + V_p}

    with skeletal silica density :math:`\rho_s` = 2.2 g/cm3 (typical for amorphous silica). A smooth sphere:
    the rough surface of dendritic particles has more external area (simplified).

    Parameters
    ----------
    particle_diameter_nm : array_like
        Particle diameter in nm, (10, 10000].
    pore_volume_cm3_g : array_like
        Pore volume in cm3/g, [0, 5].

    Returns
    -------
    numpy.ndarray
        External area in m2/g.

    Raises
    ------
    ValueError
        If an argument is out of range.

    References
    ----------
    .. [1] Geometry of a sphere; see e.g. Thommes et al., Pure Appl. Chem. 87, 1051 (2015), section on
       external surface.
    """
    d = check_array("particle_diameter_nm", particle_diameter_nm, 10, 1e4, unit="nm")
    vp = check_array("pore_volume_cm3_g", pore_volume_cm3_g, 0, 5, unit="cm3/g", lo_closed=True)
    rho_p = 1 / (1 / _SILICA_SKELETAL_DENSITY_G_CM3 + vp)
    return 6000.0 / (rho_p * d)


@dataclass(frozen=True)
class SimulatedIsotherm:
    """A simulated N2 isotherm at 77.35 K and the geometry behind it.

    ``wall_area_m2_g`` is the geometric area of the solid (pore walls 4 V_p / d plus external area).
    ``monolayer_area_m2_g`` is what BET should measure: the area of the surface through the middle of the
    first adsorbed layer, smaller than the wall area inside concave pores by the factor 1 - t_m / d
    (t_m = V_m / (N_A sigma) = 0.355 nm), i.e. 12 % for 3 nm pores, 3 % for 12 nm pores.
    """

    p_rel: np.ndarray
    n_ads_mmol_g: np.ndarray
    branch: str
    pore_diameter_nm: float
    pore_volume_cm3_g: float
    pore_wall_area_m2_g: float
    external_area_m2_g: float
    wall_area_m2_g: float
    monolayer_area_m2_g: float


def _pore_classes(pore_diameter_nm: float, relative_spread: float, n_classes: int = 160):
    """Bin edges (radius, nm) and bin volume fractions of a Gaussian distribution of pore volume in d."""
    z = np.linspace(-4.0, 4.0, n_classes + 1)
    edges_r = 0.5 * pore_diameter_nm * (1 + relative_spread * z)
    frac = np.diff(ndtr(z))
    return edges_r, frac / frac.sum()


def simulate_isotherm(
    pore_diameter_nm: float,
    p_rel: float | np.ndarray,
    *,
    pore_volume_cm3_g: float = 1.0,
    relative_spread: float = 0.08,
    external_area_m2_g: float = 60.0,
    branch: str = "ads",
) -> SimulatedIsotherm:
    r"""N2 isotherm (77.35 K) of open cylindrical mesopores with a Gaussian size distribution (classical).

    Pore volume is distributed as a Gaussian in diameter, mean ``pore_diameter_nm``, standard deviation
    ``relative_spread * pore_diameter_nm`` (so dV/dd peaks at ``pore_diameter_nm``). A pore of radius R is
    filled with liquid once the critical radius reaches it; otherwise it carries a film of the Harkins-Jura
    thickness t(p):

    .. math::
        r_c(p) = r_K(p) + t(p), \qquad
        V_\mathrm{liq} = \sum_{R_i \le r_c} V_i + \sum_{R_i > r_c} V_i
            \Bigl[1 - \Bigl(\frac{R_i - t}{R_i}\Bigr)^2\Bigr] + a_\mathrm{ext}\, t,
        \qquad n = V_\mathrm{liq} / V_m

    with the cylindrical-meniscus Kelvin radius on adsorption and the hemispherical one on desorption (the
    delayed condensation of Cohan's picture gives an H1 loop). Within one size class the filled fraction is
    interpolated linearly in R, which makes the isotherm continuous. No micropores, no DFT corrections, no
    cavitation: this is the model the BJH method inverts.

    Parameters
    ----------
    pore_diameter_nm : float
        Mean pore diameter in nm, [2, 50].
    p_rel : array_like
        Relative pressures p/p0 in (0, 1), any order.
    pore_volume_cm3_g : float
        Mesopore volume (as liquid N2) in cm3/g, (0, 5]. Default 1.0 (illustrative, typical MSN 0.8-1.5).
    relative_spread : float
        Standard deviation of the pore diameter over its mean, (0, 0.2]. Default 0.08 (illustrative).
    external_area_m2_g : float
        External area in m2/g, [0, 1000] (see :func:`particle_external_area_m2_g`). Default 60 (illustrative,
        ~100 nm particles).
    branch : {"ads", "des"}
        Adsorption (cylindrical meniscus) or desorption (hemispherical meniscus) branch.

    Returns
    -------
    SimulatedIsotherm
        ``p_rel``, ``n_ads_mmol_g`` (mmol/g) and the model's geometry: ``pore_wall_area_m2_g``,
        ``external_area_m2_g``, ``wall_area_m2_g`` (sum), ``monolayer_area_m2_g`` (what BET should give) and
        ``pore_volume_cm3_g``.

    Raises
    ------
    ValueError
        If an argument is out of range or ``branch`` is unknown.

    References
    ----------
    .. [1] E. P. Barrett, L. G. Joyner, P. P. Halenda, J. Am. Chem. Soc. 73, 373 (1951).
    .. [2] L. H. Cohan, J. Am. Chem. Soc. 60, 433 (1938).
    .. [3] Thommes et al., Pure Appl. Chem. 87, 1051 (2015).
    """
    d0 = _scalar("pore_diameter_nm", pore_diameter_nm, 2, 50, unit="nm", lo_closed=True)
    p = check_array("p_rel", p_rel, 0, 1, hi_closed=False, min_size=1)
    vp = _scalar("pore_volume_cm3_g", pore_volume_cm3_g, 0, 5, unit="cm3/g")
    spread = _scalar("relative_spread", relative_spread, 0, 0.2)
    a_ext = _scalar("external_area_m2_g", external_area_m2_g, 0, 1000, unit="m2/g", lo_closed=True)
    check_choice("branch", branch, _BRANCH_MENISCUS)

    edges, frac = _pore_classes(d0, spread)
    vol = vp * frac  # cm3/g per class
    r_mid = 0.5 * (edges[:-1] + edges[1:])
    t = _hj(p)
    r_c = _kelvin(p, _BRANCH_MENISCUS[branch]) + t
    empty = np.clip((edges[1:, None] - r_c) / np.diff(edges)[:, None], 0.0, 1.0)  # (classes, points)
    film_factor = 1 - np.clip(1 - t / r_mid[:, None], 0.0, None) ** 2
    v_liq = vol @ (1 - empty) + (vol[:, None] * empty * film_factor).sum(axis=0) + a_ext * t * 1e-3
    pore_wall = float(np.sum(4000.0 * vol / (2 * r_mid)))
    monolayer = float(np.sum(4000.0 * vol / (2 * r_mid) * (1 - _MONOLAYER_THICKNESS_NM / (2 * r_mid))))
    return SimulatedIsotherm(
        p_rel=p,
        n_ads_mmol_g=v_liq / N2_MOLAR_VOLUME_CM3_MOL * 1000.0,
        branch=branch,
        pore_diameter_nm=d0,
        pore_volume_cm3_g=vp,
        pore_wall_area_m2_g=pore_wall,
        external_area_m2_g=a_ext,
        wall_area_m2_g=pore_wall + a_ext,
        monolayer_area_m2_g=monolayer + a_ext,
    )


def _scalar(name: str, value: object, lo: float, hi: float, **kw) -> float:
    arr = check_array(name, value, lo, hi, **kw)
    if arr.size != 1:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    return float(arr.reshape(()))


# ========================================================================================================
# 3. Analysis: BET, BJH, Gurvich, CsPbBr3 loading, CSV input
# ========================================================================================================


def _check_isotherm(p_rel: object, n_ads_mmol_g: object) -> tuple[np.ndarray, np.ndarray]:
    p = check_array("p_rel", p_rel, 0, 1, hi_closed=False, min_size=3)
    n = check_array("n_ads_mmol_g", n_ads_mmol_g, 0, np.inf, unit="mmol/g", lo_closed=True, min_size=3)
    if p.ndim != 1 or p.shape != n.shape:
        raise ValueError(
            "p_rel and n_ads_mmol_g must be 1-D arrays of the same length, "
            f"got shapes {p.shape} and {n.shape}"
        )
    check_increasing("p_rel", p)
    check_increasing("n_ads_mmol_g", n, strict=False)
    return p, n


@dataclass(frozen=True)
class BETResult:
    """Result of :func:`bet_area_m2_g`. ``float(result)`` is the area in m2/g."""

    area_m2_g: float
    c_constant: float
    n_monolayer_mmol_g: float
    p_range: tuple[float, float]
    """Lowest and highest p/p0 of the points used."""
    n_points: int
    r_squared: float
    p_monolayer: float
    """p/p0 at which the BET equation gives n = n_m, 1 / (sqrt(C) + 1)."""

    def __float__(self) -> float:
        return self.area_m2_g


def _line_fits(x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Least-squares lines through x[lo:hi+1], y[lo:hi+1] for many windows at once (cumulative sums)."""
    cs = [np.concatenate([[0.0], np.cumsum(v)]) for v in (np.ones_like(x), x, y, x * x, x * y, y * y)]
    k, sx, sy, sxx, sxy, syy = (c[hi + 1] - c[lo] for c in cs)
    vxx = sxx - sx * sx / k
    vxy = sxy - sx * sy / k
    vyy = syy - sy * sy / k
    slope = vxy / vxx
    intercept = (sy - slope * sx) / k
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(vyy > 0, vxy * vxy / (vxx * vyy), 1.0)
    return slope, intercept, r2


def bet_area_m2_g(
    p_rel: np.ndarray, n_ads_mmol_g: np.ndarray, p_range: tuple[float, float] | None = None
) -> BETResult:
    r"""BET specific surface area from an N2 isotherm at 77 K.

    Linear BET plot:

    .. math::
        \frac{p/p_0}{n\,(1 - p/p_0)} = \frac{1}{n_m C} + \frac{C - 1}{n_m C}\,\frac{p}{p_0}, \qquad
        a_\mathrm{BET} = n_m N_A \sigma_{N_2}, \quad \sigma_{N_2} = 0.162\ \mathrm{nm^2}

    Without ``p_range`` the points are chosen with the Rouquerol criteria: (i) only points where
    :math:`n(1 - p/p_0)` still increases with p/p0; (ii) C > 0; (iii) the p/p0 of the monolayer,
    :math:`1/(\sqrt{C} + 1)`, lies inside the range used. Among all windows of at least 3 consecutive points
    that pass, the one with most points is used, ties broken by the best linearity (R^2).

    Parameters
    ----------
    p_rel : array_like
        Relative pressures, strictly increasing, in (0, 1); at least 3.
    n_ads_mmol_g : array_like
        Amount adsorbed in mmol/g, non-negative and non-decreasing, same length.
    p_range : tuple of float, optional
        (low, high) p/p0 limits, inclusive; overrides the automatic choice.

    Returns
    -------
    BETResult
        ``area_m2_g``, ``c_constant``, ``n_monolayer_mmol_g``, ``p_range``, ``n_points``, ``r_squared``,
        ``p_monolayer``; ``float(result)`` gives the area.

    Raises
    ------
    ValueError
        For invalid input, a ``p_range`` holding fewer than 3 points or giving C <= 0, or when no window
        satisfies the Rouquerol criteria.

    References
    ----------
    .. [1] S. Brunauer, P. H. Emmett, E. Teller, J. Am. Chem. Soc. 60, 309 (1938).
    .. [2] J. Rouquerol, P. Llewellyn, F. Rouquerol, Stud. Surf. Sci. Catal. 160, 49 (2007).
    .. [3] Thommes et al., Pure Appl. Chem. 87, 1051 (2015), section 4.
    """
    p, n = _check_isotherm(p_rel, n_ads_mmol_g)
    if np.any(n <= 0):
        raise ValueError("n_ads_mmol_g must be > 0 mmol/g at every point for BET, got 0")
    y = p / (n * (1 - p))
    if p_range is not None:
        lo_p, hi_p = (float(v) for v in check_array("p_range", p_range, 0, 1, hi_closed=False, min_size=2))
        if lo_p >= hi_p:
            raise ValueError(f"p_range must be (low, high) with low < high, got {p_range!r}")
        idx = np.flatnonzero((p >= lo_p) & (p <= hi_p))
        if idx.size < 3:
            raise ValueError(f"p_range {p_range!r} must contain at least 3 points, got {idx.size}")
        lo, hi = np.array([idx[0]]), np.array([idx[-1]])
    else:
        roq = n * (1 - p)
        falling = np.flatnonzero(np.diff(roq) <= 0)
        last = int(falling[0]) if falling.size else p.size - 1
        lo, hi = np.triu_indices(last + 1, k=2)
    slope, intercept, r2 = _line_fits(p, y, lo, hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = slope / intercept + 1
        p_mono = 1 / (np.sqrt(np.where(c > 0, c, np.nan)) + 1)
    ok = (c > 0) & (intercept > 0) & (p_mono >= p[lo]) & (p_mono <= p[hi])
    if p_range is not None:
        if not (c[0] > 0 and intercept[0] > 0):
            raise ValueError(f"p_range {p_range!r} gives a BET constant C <= 0; choose a lower range")
        best = 0
    else:
        if not ok.any():
            raise ValueError(
                "n_ads_mmol_g: no range of p_rel satisfies the Rouquerol criteria; give p_range explicitly"
            )
        npts = np.where(ok, hi - lo + 1, 0)
        best = int(np.lexsort((np.where(ok, r2, -1.0), npts))[-1])
    n_m = 1.0 / (slope[best] + intercept[best])
    return BETResult(
        area_m2_g=float(n_m * 1e-3 * Avogadro * N2_CROSS_SECTION_NM2 * 1e-18),
        c_constant=float(c[best]),
        n_monolayer_mmol_g=float(n_m),
        p_range=(float(p[lo[best]]), float(p[hi[best]])),
        n_points=int(hi[best] - lo[best] + 1),
        r_squared=float(r2[best]),
        p_monolayer=float(p_mono[best]),
    )


@dataclass(frozen=True)
class BJHResult:
    """Result of :func:`bjh_pore_distribution`, ordered by increasing pore diameter."""

    pore_diameter_nm: np.ndarray
    """Mean pore diameter of each desorption (or adsorption) step, nm."""
    dv_dd: np.ndarray
    """Pore volume distribution dV/dd in cm3/g/nm."""
    pore_volume_cm3_g: np.ndarray
    """Pore volume of each step, cm3/g."""
    pore_area_m2_g: np.ndarray
    """Wall area of each step, m2/g."""
    branch: str

    @property
    def peak_diameter_nm(self) -> float:
        """Diameter at which dV/dd is largest, nm."""
        return float(self.pore_diameter_nm[np.argmax(self.dv_dd)])

    @property
    def total_volume_cm3_g(self) -> float:
        """Sum of the BJH pore volumes, cm3/g."""
        return float(self.pore_volume_cm3_g.sum())


def bjh_pore_distribution(
    p_rel: np.ndarray,
    n_ads_mmol_g: np.ndarray,
    branch: str = "ads",
    p_range: tuple[float, float] = (0.1, 0.99),
    method: str = "classical",
) -> BJHResult:
    r"""BJH mesopore size distribution (cylindrical pores, Harkins-Jura film, Kelvin equation).

    Steps are taken from the highest pressure down. In step j the critical radius falls from
    :math:`r_{p,j-1} = r_K + t` to :math:`r_{p,j}`; the liquid volume released, :math:`\Delta V_j`, comes from
    pores emptied in this step and from the film thinning by :math:`\Delta t_j` in all pores emptied before:

    .. math::
        V_{p,j} = \Bigl(\frac{\bar r_{p,j}}{\bar r_{K,j} + \Delta t_j}\Bigr)^2
                  \Bigl[\Delta V_j - \Delta t_j \sum_{i<j} \frac{\bar r_{p,i} - \bar t_j}{\bar r_{p,i}}
                  A_{p,i}\Bigr], \qquad A_{p,j} = \frac{2 V_{p,j}}{\bar r_{p,j}}

    and :math:`dV/dd = V_{p,j} / (2 \Delta r_{p,j})`. The sum is kept as two running totals,
    :math:`\sum A` and :math:`\sum A / \bar r_p`, so the loop is O(N).

    ``method="classical"``: :math:`r_K` from the Kelvin equation with the meniscus of the branch, t from
    Harkins-Jura. ``method="kjs"`` (adsorption branch only): the Kruk-Jaroniec-Sayari corrected relation,
    :math:`r_K = 2\gamma V_m/(RT\ln(p_0/p)) + 0.3` nm with the KJS t-curve (:func:`kjs_pore_diameter_nm`).
    Classical sizes of real pores below ~10 nm come out low (:func:`classical_bjh_diameter_nm`); KJS was
    calibrated against X-ray sizes of MCM-41 to remove that bias.

    Parameters
    ----------
    p_rel : array_like
        Relative pressures, strictly increasing, in (0, 1); at least 3.
    n_ads_mmol_g : array_like
        Amount adsorbed in mmol/g (non-decreasing), same length.
    branch : {"ads", "des"}
        Branch the data come from: cylindrical meniscus for adsorption, hemispherical for desorption.
    p_range : tuple of float
        (low, high) p/p0 of the points used, inclusive. Default (0.1, 0.99).
    method : {"classical", "kjs"}
        Kelvin relation and film thickness (see above); "kjs" needs ``branch="ads"``.

    Returns
    -------
    BJHResult
        ``pore_diameter_nm``, ``dv_dd`` (cm3/g/nm), ``pore_volume_cm3_g``, ``pore_area_m2_g``,
        ``peak_diameter_nm``, ``total_volume_cm3_g``.

    Raises
    ------
    ValueError
        For invalid input, an unknown ``branch`` or ``method``, "kjs" on the desorption branch, or fewer than
        3 points in ``p_range``.

    References
    ----------
    .. [1] E. P. Barrett, L. G. Joyner, P. P. Halenda, J. Am. Chem. Soc. 73, 373 (1951).
    .. [2] Thommes et al., Pure Appl. Chem. 87, 1051 (2015).
    .. [3] Kruk, Jaroniec, Sayari, Langmuir 13, 6267 (1997). doi:10.1021/la970776m
    """
    p, n = _check_isotherm(p_rel, n_ads_mmol_g)
    check_choice("branch", branch, _BRANCH_MENISCUS)
    check_choice("method", method, ("classical", "kjs"))
    if method == "kjs" and branch != "ads":
        raise ValueError(f"method 'kjs' is calibrated on the adsorption branch: branch must be 'ads', got {branch!r}")
    lo_p, hi_p = (float(v) for v in check_array("p_range", p_range, 0, 1, hi_closed=False, min_size=2))
    keep = (p >= lo_p) & (p <= hi_p)
    if keep.sum() < 3:
        raise ValueError(
            f"p_range {p_range!r} must contain at least 3 points of p_rel, got {int(keep.sum())}"
        )
    p, v = p[keep][::-1], n[keep][::-1] * N2_MOLAR_VOLUME_CM3_MOL * 1e-3  # high -> low; liquid cm3/g
    if method == "kjs":
        t, r_k = _kjs_t(p), _kjs_core_nm(p)
    else:
        t, r_k = _hj(p), _kelvin(p, _BRANCH_MENISCUS[branch])
    r_p = r_k + t
    d_v = -np.diff(v)
    d_t = -np.diff(t)
    t_bar = 0.5 * (t[:-1] + t[1:])
    rp_bar = 0.5 * (r_p[:-1] + r_p[1:])
    rk_bar = 0.5 * (r_k[:-1] + r_k[1:])
    ratio = (rp_bar / (rk_bar + d_t)) ** 2
    vol = np.zeros_like(d_v)
    area = np.zeros_like(d_v)
    sum_a = sum_a_over_r = 0.0
    for j in range(d_v.size):
        # film thinning in already emptied pores; nm * m2/g = 1e-3 cm3/g
        thinning = d_t[j] * (sum_a - t_bar[j] * sum_a_over_r) * 1e-3
        vol[j] = max(ratio[j] * (d_v[j] - thinning), 0.0)
        area[j] = 2 * vol[j] / rp_bar[j] * 1e3  # cm3/g / nm -> m2/g
        sum_a += area[j]
        sum_a_over_r += area[j] / rp_bar[j]
    dv_dd = vol / (2 * -np.diff(r_p))
    return BJHResult(
        pore_diameter_nm=(2 * rp_bar)[::-1],
        dv_dd=dv_dd[::-1],
        pore_volume_cm3_g=vol[::-1],
        pore_area_m2_g=area[::-1],
        branch=branch,
    )


def total_pore_volume_cm3_g(p_rel: np.ndarray, n_ads_mmol_g: np.ndarray, p_at: float = 0.95) -> float:
    r"""Total pore volume by the Gurvich rule: the amount adsorbed near saturation, as liquid N2.

    .. math:: V_p = n(p_\mathrm{at})\, V_m, \qquad V_m = 34.68\ \mathrm{cm^3/mol}

    ``n`` is interpolated linearly at ``p_at``. It includes the film on the external surface (a few % for
    ~100 nm particles) and misses pores wider than the Kelvin diameter at ``p_at`` (about 40 nm at 0.95).

    Parameters
    ----------
    p_rel : array_like
        Relative pressures, strictly increasing, in (0, 1).
    n_ads_mmol_g : array_like
        Amount adsorbed in mmol/g, same length.
    p_at : float
        p/p0 at which the pores are taken as full, [0.8, 1), inside the data range.

    Returns
    -------
    float
        Pore volume in cm3/g.

    Raises
    ------
    ValueError
        For invalid input or ``p_at`` outside [0.8, 1) or outside the measured range.

    References
    ----------
    .. [1] L. Gurvich, J. Phys. Chem. Soc. Russ. 47, 805 (1915); Thommes et al., Pure Appl. Chem. 87, 1051
       (2015).
    """
    p, n = _check_isotherm(p_rel, n_ads_mmol_g)
    pa = _scalar("p_at", p_at, 0.8, 1, lo_closed=True, hi_closed=False)
    if not p[0] <= pa <= p[-1]:
        raise ValueError(f"p_at must lie within the measured p_rel range [{p[0]:g}, {p[-1]:g}], got {pa:g}")
    return float(np.interp(pa, p, n) * N2_MOLAR_VOLUME_CM3_MOL * 1e-3)


def max_cspbbr3_loading_g_g(
    pore_volume_cm3_g: float | np.ndarray,
    fill_fraction: float | np.ndarray = 1.0,
    density_g_cm3: float | np.ndarray = CSPBBR3_DENSITY_G_CM3,
) -> np.ndarray:
    r"""Largest mass of CsPbBr3 the pores of one gram of silica can hold.

    .. math:: m_\mathrm{QD} / m_\mathrm{SiO_2} = \phi\, V_p\, \rho_\mathrm{CsPbBr_3}

    An upper bound: dense crystals filling the fraction :math:`\phi` of the pore volume. The weight fraction
    of the composite is m / (1 + m).

    Parameters
    ----------
    pore_volume_cm3_g : array_like
        Pore volume in cm3/g, [0, 5].
    fill_fraction : array_like
        Filled fraction of the pore volume, [0, 1].
    density_g_cm3 : array_like
        CsPbBr3 density in g/cm3, [3, 6]; default :data:`CSPBBR3_DENSITY_G_CM3` (4.77, crystallographic).

    Returns
    -------
    numpy.ndarray
        g of CsPbBr3 per g of silica.

    Raises
    ------
    ValueError
        If an argument is out of range.

    References
    ----------
    .. [1] Density: M / (N_A a^3) with a pseudo-cubic lattice constant of about 0.587 nm ("check").
    """
    vp = check_array("pore_volume_cm3_g", pore_volume_cm3_g, 0, 5, unit="cm3/g", lo_closed=True)
    phi = check_array("fill_fraction", fill_fraction, 0, 1, lo_closed=True)
    rho = check_array("density_g_cm3", density_g_cm3, 3, 6, unit="g/cm3", lo_closed=True)
    return phi * vp * rho


def load_isotherm_csv(path_or_text: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Read a two-column isotherm: p/p0 and amount adsorbed in mmol/g.

    Lines starting with ``#`` are comments; a first non-comment line that is not numeric is a header. Columns
    may be separated by commas, semicolons, tabs or spaces. One branch per file, p/p0 increasing.

    Parameters
    ----------
    path_or_text : str or pathlib.Path
        A path to the file, or the file's text itself (any string containing a line break).

    Returns
    -------
    tuple of numpy.ndarray
        ``(p_rel, n_ads_mmol_g)``.

    Raises
    ------
    ValueError
        If a row does not have two numbers, there are fewer than 3 rows, p/p0 is outside (0, 1) or not
        increasing, or amounts are negative or decreasing. The message names the line or the parameter.
    FileNotFoundError
        If a path is given that does not exist.
    """
    if isinstance(path_or_text, Path) or "\n" not in str(path_or_text):
        text = Path(path_or_text).read_text(encoding="utf-8")
    else:
        text = str(path_or_text)
    rows = []
    for lineno, line in enumerate(io.StringIO(text), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = stripped.replace(",", " ").replace(";", " ").split()
        try:
            values = [float(f) for f in fields]
        except ValueError:
            if not rows:  # the first non-comment line may be a header
                rows.append(None)
                continue
            raise ValueError(f"isotherm CSV line {lineno}: expected two numbers, got {stripped!r}") from None
        if len(values) != 2 or not all(math.isfinite(x) for x in values):
            raise ValueError(f"isotherm CSV line {lineno}: expected two numbers, got {stripped!r}")
        rows.append(values)
    data = np.array([r for r in rows if r is not None], dtype=float).reshape(-1, 2)
    if data.shape[0] < 3:
        raise ValueError(f"isotherm CSV must have at least 3 data rows, got {data.shape[0]}")
    p, n = _check_isotherm(data[:, 0], data[:, 1])
    return p, n
