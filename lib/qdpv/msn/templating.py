r"""Templating of mesoporous silica nanoparticles: synthesis knobs -> pore diameter and particle size.

A model of the biphasic stratification synthesis (Shen et al. 2014). Only the micelle geometry is physics
(Tanford chain length, volume conservation when oil swells a cylindrical micelle core); the calcination factor,
the oil uptakes and the shell-growth kinetics are fitted to the range Shen et al. report (pores 2.8-13 nm, shell
thickness ~5-180 nm) or illustrative. :data:`TEMPLATING_NOTES` says which is which, in words an app can show.

What lives here: :func:`tanford_chain_length_nm`, :func:`swollen_pore_diameter_nm`, :func:`shell_thickness_nm`,
:func:`template_msn` (with :class:`TemplatingConditions`, :class:`TemplatingResult`), the presets
:data:`MSN_PRESETS`, the solvents :data:`OIL_UPTAKE` and :data:`TEMPLATING_NOTES`. All are re-exported by
:mod:`qdpv.msn`; import them from there.

References
----------
.. [1] D. Shen et al., "Biphase Stratification Approach to Three-Dimensional Dendritic Biodegradable
   Mesoporous Silica Nanospheres", Nano Lett. 14, 923-932 (2014). doi:10.1021/nl404316v
.. [2] C. Tanford, "Micelle shape and size", J. Phys. Chem. 76, 3020-3024 (1972); J. N. Israelachvili,
   Intermolecular and Surface Forces, 3rd ed. (Academic Press, 2011), ch. 20.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_array, check_choice
from ..constants import BOLTZMANN_EV_K
from ..paper import PAPER
from .isotherm import MESOPORE_MIN_NM

__all__ = [
    "MSN_PRESETS",
    "OIL_UPTAKE",
    "TEMPLATING_NOTES",
    "TemplatingConditions",
    "TemplatingResult",
    "shell_thickness_nm",
    "swollen_pore_diameter_nm",
    "tanford_chain_length_nm",
    "template_msn",
]

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

    Examples
    --------
    >>> round(float(tanford_chain_length_nm(16)), 2)  # the C16 chain of CTAC
    2.18
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

    Examples
    --------
    No oil gives the smallest pore of Shen et al. (2.8 nm), the largest uptake their largest (about 13 nm):

    >>> [round(float(d), 1) for d in swollen_pore_diameter_nm(16, [0.0, 20.6])]
    [2.8, 13.0]
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

    Examples
    --------
    The shell thickens with time at 60 °C, and faster when warmer (6 h at 40, 60 and 80 °C):

    >>> [round(float(h), 1) for h in shell_thickness_nm([2.5, 6.0, 16.0], 333.15)]
    [17.8, 39.8, 87.6]
    >>> [round(float(h), 1) for h in shell_thickness_nm(6.0, [313.15, 333.15, 353.15])]
    [14.2, 39.8, 87.9]
    """
    t = check_array("reaction_time_h", reaction_time_h, 0, 168, unit="h")
    temp = check_array("temperature_K", temperature_K, 293.15, 363.15, unit="K", lo_closed=True)
    tau = _SHELL_TAU_H * np.exp(_SHELL_EA_EV / BOLTZMANN_EV_K * (1 / temp - 1 / _SHELL_T_REF_K))
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
    *,
    check_pores: bool = False,
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
    check_pores : bool
        Also refuse conditions whose particles the rest of step 1 cannot describe (see Raises). Off by
        default: the templating relations themselves still hold there.

    Returns
    -------
    TemplatingResult
        ``pore_diameter_nm``, ``particle_diameter_nm``, ``micelle_core_radius_nm``, ``oil_uptake``.

    Raises
    ------
    ValueError
        If an argument is out of range or ``oil`` is unknown. With ``check_pores``, also if the pores are
        narrower than :data:`MESOPORE_MIN_NM` (2 nm: micropores, where the Kelvin/BJH picture of
        :func:`qdpv.msn.simulate_isotherm` and the analyses fails), or if the shell, :math:`h(t, T)`, is thinner than
        one pore (the pores live in the shell, so it cannot hold them). The message names the derived
        quantity (``pore_diameter_nm`` or ``shell_thickness_nm``), its value and its allowed range, the
        conditions that gave it, and which knobs move it back.

    References
    ----------
    .. [1] Shen et al., Nano Lett. 14, 923 (2014); Tanford, J. Phys. Chem. 76, 3020 (1972).

    Examples
    --------
    The paper's medium MSN: about 8 nm pores in particles of about 100 nm.

    >>> import dataclasses
    >>> msn = template_msn(**dataclasses.asdict(MSN_PRESETS["medium"]))
    >>> round(float(msn.pore_diameter_nm), 2), round(float(msn.particle_diameter_nm), 1)
    (8.0, 99.6)
    """
    check_choice("oil", oil, OIL_UPTAKE)
    x = check_array("oil_loading", oil_loading, 0, 1, lo_closed=True)
    u = OIL_UPTAKE[oil] * x
    pore = swollen_pore_diameter_nm(n_carbons, u)
    shell = shell_thickness_nm(reaction_time_h, temperature_K)
    if check_pores:
        _check_pores(pore, shell, n_carbons, oil, x, reaction_time_h, temperature_K)
    return TemplatingResult(
        pore_diameter_nm=pore,
        particle_diameter_nm=_SEED_DIAMETER_NM + 2 * shell,
        micelle_core_radius_nm=tanford_chain_length_nm(n_carbons),
        oil_uptake=u,
    )


def _check_pores(
    pore: np.ndarray, shell: np.ndarray, n_carbons: object, oil: str, x: np.ndarray, time_h: object, temp_K: object
) -> None:
    """Raise ValueError at the first element with micropores or with a shell thinner than one pore."""
    pore, shell, n, x, t, temp = np.broadcast_arrays(
        pore, shell, *(np.asarray(v, dtype=float) for v in (n_carbons, x, time_h, temp_K))
    )
    micro = np.flatnonzero(pore < MESOPORE_MIN_NM)
    if micro.size:
        i = micro[0]
        raise ValueError(
            f"pore_diameter_nm must be at least {MESOPORE_MIN_NM:g} nm, got {pore.flat[i]:.2f} nm "
            f"(n_carbons = {n.flat[i]:g}, oil {oil!r}, oil_loading = {x.flat[i]:g}): below the "
            f"{MESOPORE_MIN_NM:g} nm limit of mesopores the Kelvin/BJH picture of the isotherm model does not "
            "hold for these micropores. Use a longer surfactant tail or more (or a stronger-swelling) oil"
        )
    thin = np.flatnonzero(shell < pore)
    if thin.size:
        i = thin[0]
        raise ValueError(
            f"shell_thickness_nm must be at least the pore diameter, {pore.flat[i]:.1f} nm, got "
            f"{shell.flat[i]:.1f} nm (reaction_time_h = {t.flat[i]:g}, temperature_K = {temp.flat[i]:g}): a shell "
            "thinner than one pore cannot hold the pores, which live in the shell. Grow the shell longer or "
            "warmer, or template smaller pores (less oil)"
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
