r"""N2 isotherms at 77 K of mesoporous silica: the classical forward model and the relations it rests on.

A forward model of the N2 isotherm of a distribution of open cylindrical pores: Harkins-Jura multilayer film
plus capillary condensation at the film-corrected Kelvin pressure (cylindrical meniscus on adsorption,
hemispherical on desorption, hence an H1-like hysteresis loop). It is the classical picture the BJH method
assumes, not a density-functional model: it has no micropores, no pore-size dependent film, and it predicts
hysteresis even below ~4 nm, where real N2 isotherms at 77 K are reversible.

What lives here: the properties of liquid N2 (``N2_*``), :data:`MESOPORE_MIN_NM`,
:func:`harkins_jura_thickness_nm`, :func:`kelvin_radius_nm`, the pressure grid :func:`default_p_rel`, the
external area of the particles :func:`particle_external_area_m2_g`, the pore-size distribution
:func:`pore_volume_density_cm3_g_nm` (cut at :data:`PORE_SIZE_CUTOFF_SD`) and :func:`simulate_isotherm` (with
:class:`SimulatedIsotherm`). All are re-exported by :mod:`qdpv.msn`; import them from there.

Units: p_rel is p/p0 (dimensionless), amounts in mmol per gram of silica, lengths in nm, volumes in cm3/g
(liquid N2 volume for pore volumes), areas in m2/g.

References
----------
.. [1] M. Thommes et al., "Physisorption of gases, with special reference to the evaluation of surface area
   and pore size distribution (IUPAC Technical Report)", Pure Appl. Chem. 87, 1051-1069 (2015).
.. [2] W. D. Harkins, G. Jura, J. Am. Chem. Soc. 66, 1366-1373 (1944).
.. [3] L. H. Cohan, J. Am. Chem. Soc. 60, 433 (1938).
.. [4] E. P. Barrett, L. G. Joyner, P. P. Halenda, J. Am. Chem. Soc. 73, 373-380 (1951).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.special import ndtr

from .._validate import check_array, check_choice
from ..constants import AVOGADRO_PER_MOL, GAS_CONSTANT_J_MOL_K

__all__ = [
    "MESOPORE_MIN_NM",
    "N2_CROSS_SECTION_NM2",
    "N2_MOLAR_VOLUME_CM3_MOL",
    "N2_SURFACE_TENSION_N_M",
    "N2_TEMPERATURE_K",
    "PORE_SIZE_CUTOFF_SD",
    "SimulatedIsotherm",
    "default_p_rel",
    "harkins_jura_thickness_nm",
    "kelvin_radius_nm",
    "particle_external_area_m2_g",
    "pore_volume_density_cm3_g_nm",
    "simulate_isotherm",
]

# --- Liquid nitrogen at its normal boiling point (IUPAC, Thommes et al. 2015 [1]) -------------------------
N2_TEMPERATURE_K = 77.35
N2_SURFACE_TENSION_N_M = 8.88e-3
N2_MOLAR_VOLUME_CM3_MOL = 34.68
N2_CROSS_SECTION_NM2 = 0.162

# gamma * V_m / (R T) in nm: the length scale of the Kelvin equation for N2 at 77.35 K (0.479 nm).
_KELVIN_LENGTH_NM = (
    N2_SURFACE_TENSION_N_M * N2_MOLAR_VOLUME_CM3_MOL * 1e-6 / (GAS_CONSTANT_J_MOL_K * N2_TEMPERATURE_K) * 1e9
)
# Thickness of one statistical N2 monolayer, V_m / (N_A sigma) = 0.355 nm (the 0.354 nm of the t-method).
_MONOLAYER_THICKNESS_NM = N2_MOLAR_VOLUME_CM3_MOL * 1e-6 / (AVOGADRO_PER_MOL * N2_CROSS_SECTION_NM2 * 1e-18) * 1e9

_MENISCUS_FACTOR = {"cylindrical": 1.0, "hemispherical": 2.0}
_BRANCH_MENISCUS = {"ads": "cylindrical", "des": "hemispherical"}


MESOPORE_MIN_NM = 2.0
"""Narrowest mesopore, nm (IUPAC): below it pores are micropores, which fill by a different mechanism than the
capillary condensation this model and the BJH analysis describe."""

PORE_SIZE_CUTOFF_SD = 4.0
"""The Gaussian pore-size distribution of :func:`simulate_isotherm` is cut at this many standard deviations."""

_PORE_RANGE_NM = (MESOPORE_MIN_NM, 50.0)  # mean pore diameters the isotherm model accepts (mesopores)
_SPREAD_MAX = 0.2  # largest relative spread: keeps d0 (1 - 4 s) above 0.2 d0
_VOLUME_MAX_CM3_G = 5.0  # largest pore volume accepted, well above any silica (MSNs: 0.8-1.5 cm3/g)
_SILICA_SKELETAL_DENSITY_G_CM3 = (
    2.2  # amorphous silica wall density; typical literature value, "range" 2.0-2.3
)


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

    Examples
    --------
    The film grows from about one monolayer (0.355 nm) to several as the pressure rises:

    >>> [round(float(t), 3) for t in harkins_jura_thickness_nm([0.1, 0.4, 0.9])]
    [0.368, 0.569, 1.324]
    """
    p = check_array("p_rel", p_rel, 0, 1, hi_closed=False)
    return _hj(p)


def _hj(p: np.ndarray) -> np.ndarray:
    return 0.1 * np.sqrt(13.99 / (0.034 - np.log10(p)))



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

    Examples
    --------
    At the same pressure the desorption (hemispherical) meniscus has twice the radius of the adsorption one:

    >>> round(float(kelvin_radius_nm(0.7)), 3), round(float(kelvin_radius_nm(0.7, "hemispherical")), 3)
    (1.343, 2.685)
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
    ``ln(22) / (0.8 n_points)`` (5 % for 80 points).

    Parameters
    ----------
    n_points : int
        Number of points, [20, 2000].

    Returns
    -------
    numpy.ndarray
        Strictly increasing p/p0 values from 0.01 to 0.974 (where the pores of 40 nm fill).

    Raises
    ------
    ValueError
        If ``n_points`` is out of range.

    Examples
    --------
    >>> p = default_p_rel()
    >>> p.size, round(float(p[0]), 3), round(float(p[-1]), 3)
    (80, 0.01, 0.974)
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

    Examples
    --------
    >>> round(float(particle_external_area_m2_g(100.0, 1.0)), 1)  # 100 nm particles with 1 cm3/g of pores
    87.3
    """
    d = check_array("particle_diameter_nm", particle_diameter_nm, 10, 1e4, unit="nm")
    vp = check_array(
        "pore_volume_cm3_g", pore_volume_cm3_g, 0, _VOLUME_MAX_CM3_G, unit="cm3/g", lo_closed=True
    )
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
    """Bin edges (radius, nm) and bin volume fractions of the distribution of :func:`pore_volume_density_cm3_g_nm`.

    The fractions are the exact integrals of that density over each class (differences of the normal CDF),
    renormalised to the +-PORE_SIZE_CUTOFF_SD support, so they sum to 1.
    """
    z = np.linspace(-PORE_SIZE_CUTOFF_SD, PORE_SIZE_CUTOFF_SD, n_classes + 1)
    edges_r = 0.5 * pore_diameter_nm * (1 + relative_spread * z)
    frac = np.diff(ndtr(z))
    return edges_r, frac / frac.sum()


def pore_volume_density_cm3_g_nm(
    diameter_nm: float | np.ndarray,
    pore_diameter_nm: float | np.ndarray,
    relative_spread: float | np.ndarray = 0.08,
    pore_volume_cm3_g: float | np.ndarray = 1.0,
) -> np.ndarray:
    r"""Pore-volume distribution dV/dd that :func:`simulate_isotherm` assumes: a Gaussian in diameter.

    .. math::
        \frac{dV}{dd} = \frac{V_p}{\Phi(z_c) - \Phi(-z_c)}\,\frac{1}{\sigma\sqrt{2\pi}}\,e^{-z^2/2}, \qquad
        z = \frac{d - d_0}{\sigma}, \quad \sigma = s\, d_0, \quad |z| \le z_c

    and 0 outside. The Gaussian is cut at :math:`z_c` = :data:`PORE_SIZE_CUTOFF_SD` (4) standard deviations and
    renormalised (by 1.00006), so that no pore is narrower than :math:`d_0(1 - 4s)` > 0 and the integral over d
    is exactly :math:`V_p`. :func:`simulate_isotherm` fills the same distribution in 160 classes, each holding
    the integral of this density over its width. A modelling choice (illustrative), not a measured shape.

    Parameters
    ----------
    diameter_nm : array_like
        Pore diameters at which to evaluate the density, in nm, >= 0.
    pore_diameter_nm : array_like
        Mean pore diameter :math:`d_0` in nm, [2, 50] (as in :func:`simulate_isotherm`).
    relative_spread : array_like
        Standard deviation of the diameter over its mean, s, (0, 0.2].
    pore_volume_cm3_g : array_like
        Mesopore volume :math:`V_p` (as liquid N2) in cm3/g, (0, 5].

    Returns
    -------
    numpy.ndarray
        dV/dd in cm3 g^-1 nm^-1, broadcast over the arguments.

    Raises
    ------
    ValueError
        If an argument is out of range or NaN.

    References
    ----------
    .. [1] Thommes et al., Pure Appl. Chem. 87, 1051 (2015) (pore-size distributions as dV/dd).

    Examples
    --------
    >>> round(float(pore_volume_density_cm3_g_nm(8.0, 8.0, 0.08, 1.0)), 4)  # peak: 1 / (0.64 sqrt(2 pi))
    0.6234
    """
    d = check_array("diameter_nm", diameter_nm, 0.0, np.inf, unit="nm", lo_closed=True)
    d0 = check_array("pore_diameter_nm", pore_diameter_nm, *_PORE_RANGE_NM, unit="nm", lo_closed=True)
    s = check_array("relative_spread", relative_spread, 0.0, _SPREAD_MAX)
    vp = check_array("pore_volume_cm3_g", pore_volume_cm3_g, 0.0, _VOLUME_MAX_CM3_G, unit="cm3/g")
    sd = s * d0
    z = (d - d0) / sd
    inside = np.abs(z) <= PORE_SIZE_CUTOFF_SD * (1 + 1e-12)  # a grid built as d0 (1 +- 4 s) ends inside
    norm = ndtr(PORE_SIZE_CUTOFF_SD) - ndtr(-PORE_SIZE_CUTOFF_SD)
    return np.where(inside, vp * np.exp(-0.5 * z**2) / (sd * np.sqrt(2 * np.pi) * norm), 0.0)


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
    ``relative_spread * pore_diameter_nm`` (so dV/dd peaks at ``pore_diameter_nm``), cut at 4 standard
    deviations: :func:`pore_volume_density_cm3_g_nm` gives that dV/dd. A pore of radius R is
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
        External area in m2/g, [0, 1000] (see :func:`particle_external_area_m2_g`). Default 60 (illustrative:
        spheres of about 145 nm with 1 cm3/g of pores).
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

    Examples
    --------
    The 8 nm pores of the paper's medium MSN at p/p0 = 0.75: not yet filled on adsorption, still full on
    desorption (the H1 hysteresis loop):

    >>> ads = simulate_isotherm(8.0, [0.75], external_area_m2_g=88.0)
    >>> des = simulate_isotherm(8.0, [0.75], external_area_m2_g=88.0, branch="des")
    >>> round(float(ads.n_ads_mmol_g[0]), 1), round(float(des.n_ads_mmol_g[0]), 1)
    (14.4, 27.6)
    """
    d0 = _scalar("pore_diameter_nm", pore_diameter_nm, *_PORE_RANGE_NM, unit="nm", lo_closed=True)
    p = check_array("p_rel", p_rel, 0, 1, hi_closed=False, min_size=1)
    vp = _scalar("pore_volume_cm3_g", pore_volume_cm3_g, 0, _VOLUME_MAX_CM3_G, unit="cm3/g")
    spread = _scalar("relative_spread", relative_spread, 0, _SPREAD_MAX)
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
