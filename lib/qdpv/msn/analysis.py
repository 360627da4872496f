r"""Analysis of N2 isotherms at 77 K: BET area, BJH pore sizes (classical and KJS-corrected), pore volume.

The standard analyses, applied to a measured isotherm or one from :func:`qdpv.msn.simulate_isotherm`: BET area
with the Rouquerol criteria, the BJH pore-size distribution with the classical Kelvin relation or the
Kruk-Jaroniec-Sayari (KJS) correction, the small-pore bias of classical BJH, Gurvich total pore volume, and the
largest CsPbBr3 mass the pore volume can hold.

What lives here: :func:`bet_area_m2_g` (:class:`BETResult`), :func:`bjh_pore_distribution` (:class:`BJHResult`),
:func:`kjs_thickness_nm`, :func:`kjs_pore_diameter_nm`, :func:`classical_bjh_diameter_nm`,
:data:`KJS_CORRECTION_NM`, :data:`KJS_CALIBRATED_NM`, :func:`total_pore_volume_cm3_g`,
:func:`max_cspbbr3_loading_g_g`, :data:`CSPBBR3_DENSITY_G_CM3`, and :func:`analyse_isotherm`
(:class:`IsothermAnalysis`), which runs the standard analyses of a measured isotherm in one call. All are
re-exported by :mod:`qdpv.msn`; import them from there. A file of measured points is read by
:func:`qdpv.io.read_isotherm` (CSV or AIF).

Units: p_rel is p/p0 (dimensionless), amounts in mmol per gram of silica, lengths in nm, volumes in cm3/g
(liquid N2 volume for pore volumes), areas in m2/g.

References
----------
.. [1] S. Brunauer, P. H. Emmett, E. Teller, J. Am. Chem. Soc. 60, 309-319 (1938).
.. [2] J. Rouquerol, P. Llewellyn, F. Rouquerol, Stud. Surf. Sci. Catal. 160, 49-56 (2007).
.. [3] E. P. Barrett, L. G. Joyner, P. P. Halenda, J. Am. Chem. Soc. 73, 373-380 (1951).
.. [4] M. Kruk, M. Jaroniec, A. Sayari, Langmuir 13, 6267-6273 (1997). doi:10.1021/la970776m
.. [5] M. Thommes et al., Pure Appl. Chem. 87, 1051-1069 (2015).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._validate import check_array, check_choice, check_increasing
from ..constants import AVOGADRO_PER_MOL
from .isotherm import _BRANCH_MENISCUS, N2_CROSS_SECTION_NM2, N2_MOLAR_VOLUME_CM3_MOL, _hj, _kelvin, _scalar

__all__ = [
    "CSPBBR3_DENSITY_G_CM3",
    "KJS_CALIBRATED_NM",
    "KJS_CORRECTION_NM",
    "BETResult",
    "BJHResult",
    "IsothermAnalysis",
    "analyse_isotherm",
    "bet_area_m2_g",
    "bjh_pore_distribution",
    "classical_bjh_diameter_nm",
    "kjs_pore_diameter_nm",
    "kjs_thickness_nm",
    "max_cspbbr3_loading_g_g",
    "total_pore_volume_cm3_g",
]

# --- CsPbBr3 in the pores -------------------------------------------------------------------------------
_CSPBBR3_MOLAR_MASS_G_MOL = 132.905 + 207.2 + 3 * 79.904  # IUPAC standard atomic weights of Cs, Pb, Br
_CSPBBR3_PSEUDOCUBIC_A_NM = 0.587  # pseudo-cubic lattice constant (Protesescu et al. 2015 give a = 0.587 nm)
CSPBBR3_DENSITY_G_CM3 = _CSPBBR3_MOLAR_MASS_G_MOL / (AVOGADRO_PER_MOL * (_CSPBBR3_PSEUDOCUBIC_A_NM * 1e-7) ** 3)
"""Crystallographic density of CsPbBr3, M / (N_A a^3) with one formula unit per pseudo-cubic cell of
a = 0.587 nm: 4.76 g/cm3 (an approximation: the orthorhombic cell differs by a small tilt of the
octahedra)."""

# --- KJS-corrected Kelvin relation (small mesopores) -------------------------------------------------


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

# --- BET, BJH, Gurvich, CsPbBr3 loading ------------------------------------------------------------------


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
    """Result of :func:`bet_area_m2_g`. ``float(result)`` is the area in m2/g.

    The standard errors are those of the straight line through the chosen points (from its scatter); the
    choice of the points usually matters more, which ``area_range_m2_g`` shows: the smallest and largest area
    of every window of points that passes the same criteria.
    """

    area_m2_g: float
    c_constant: float
    n_monolayer_mmol_g: float
    p_range: tuple[float, float]
    """Lowest and highest p/p0 of the points used."""
    n_points: int
    r_squared: float
    p_monolayer: float
    """p/p0 at which the BET equation gives n = n_m, 1 / (sqrt(C) + 1)."""
    area_se_m2_g: float = float("nan")
    """Standard error of the area from the scatter of the points about the line (nan with 3 collinear points)."""
    c_constant_se: float = float("nan")
    n_monolayer_se_mmol_g: float = float("nan")
    p_at_n_monolayer: float = float("nan")
    """p/p0 at which the measured isotherm reaches n_m (linear interpolation; nan outside the data)."""
    criteria: tuple[bool, bool, bool, bool] = (False, False, False, False)
    """The four Rouquerol criteria for the points used: (1) n(1 - p/p0) increases over them, (2) C > 0,
    (3) ``p_monolayer`` lies in ``p_range``, (4) ``p_at_n_monolayer`` agrees with ``p_monolayer`` within 10 %."""
    n_windows: int = 0
    """How many windows of at least 3 consecutive points passed the criteria the choice required."""
    area_range_m2_g: tuple[float, float] = (float("nan"), float("nan"))
    """Smallest and largest area over those windows (the area alone with ``p_range`` given)."""

    def __float__(self) -> float:
        return self.area_m2_g


_ROUQUEROL_TOLERANCE = 0.10  # criterion 4: p/p0 at n_m read from the isotherm within 10 % of 1/(sqrt(C) + 1)


def _line_fits(x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Least-squares lines through x[lo:hi+1], y[lo:hi+1] for many windows at once (cumulative sums).

    Returns slope, intercept, R^2 and the covariance terms var(slope), var(intercept), cov(slope, intercept)
    from the residual scatter (ordinary least squares, s^2 = SSR / (k - 2)).
    """
    cs = [np.concatenate([[0.0], np.cumsum(v)]) for v in (np.ones_like(x), x, y, x * x, x * y, y * y)]
    k, sx, sy, sxx, sxy, syy = (c[hi + 1] - c[lo] for c in cs)
    vxx = sxx - sx * sx / k
    vxy = sxy - sx * sy / k
    vyy = syy - sy * sy / k
    slope = vxy / vxx
    intercept = (sy - slope * sx) / k
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(vyy > 0, vxy * vxy / (vxx * vyy), 1.0)
        s2 = np.maximum(vyy - slope * vxy, 0.0) / (k - 2)
    var_slope = s2 / vxx
    mean_x = sx / k
    var_intercept = s2 * (1.0 / k + mean_x**2 / vxx)
    cov = -mean_x * s2 / vxx
    return slope, intercept, r2, (var_slope, var_intercept, cov)


def bet_area_m2_g(
    p_rel: np.ndarray,
    n_ads_mmol_g: np.ndarray,
    p_range: tuple[float, float] | None = None,
    fourth_criterion: bool = False,
) -> BETResult:
    r"""BET specific surface area from an N2 isotherm at 77 K.

    Linear BET plot:

    .. math::
        \frac{p/p_0}{n\,(1 - p/p_0)} = \frac{1}{n_m C} + \frac{C - 1}{n_m C}\,\frac{p}{p_0}, \qquad
        a_\mathrm{BET} = n_m N_A \sigma_{N_2}, \quad \sigma_{N_2} = 0.162\ \mathrm{nm^2}

    Without ``p_range`` the points are chosen with the Rouquerol criteria: (1) only points where
    :math:`n(1 - p/p_0)` still increases with p/p0; (2) C > 0; (3) the p/p0 of the monolayer,
    :math:`1/(\sqrt{C} + 1)`, lies inside the range used. Among all windows of at least 3 consecutive points
    that pass, the one with most points is used, ties broken by the best linearity (R^2). With
    ``fourth_criterion`` the windows that also meet the fourth criterion are preferred: (4) the p/p0 at which
    the measured isotherm reaches :math:`n_m` agrees with :math:`1/(\sqrt{C} + 1)` within 10 %; when none
    does, the choice falls back to (1)-(3) and ``criteria[3]`` of the result says so. The result reports all
    four criteria for the points used (``criteria``), in every case.

    Standard errors: from the scatter of the points about the line (ordinary least squares, which takes the
    points of the BET plot as equally uncertain), propagated to :math:`n_m = 1/(s + i)` and :math:`C = s/i + 1`
    (slope s, intercept i) with their covariance. They say how well the line is determined, not how much the
    choice of points moves the area: that is ``area_range_m2_g``, over every window that passes.

    Parameters
    ----------
    p_rel : array_like
        Relative pressures, strictly increasing, in (0, 1); at least 3.
    n_ads_mmol_g : array_like
        Amount adsorbed in mmol/g, non-negative and non-decreasing, same length.
    p_range : tuple of float, optional
        (low, high) p/p0 limits, inclusive; overrides the automatic choice.
    fourth_criterion : bool
        Prefer windows that also pass the fourth Rouquerol criterion (default False: criteria 1-3 only).

    Returns
    -------
    BETResult
        ``area_m2_g``, ``c_constant``, ``n_monolayer_mmol_g``, ``p_range``, ``n_points``, ``r_squared``,
        ``p_monolayer``, standard errors, ``p_at_n_monolayer``, ``criteria``, ``n_windows`` and
        ``area_range_m2_g``; ``float(result)`` gives the area.

    Raises
    ------
    ValueError
        For invalid input, a ``p_range`` holding fewer than 3 points or giving C <= 0, or when no window
        satisfies the Rouquerol criteria (1)-(3).

    References
    ----------
    .. [1] S. Brunauer, P. H. Emmett, E. Teller, J. Am. Chem. Soc. 60, 309 (1938).
    .. [2] J. Rouquerol, P. Llewellyn, F. Rouquerol, Stud. Surf. Sci. Catal. 160, 49 (2007).
    .. [3] Thommes et al., Pure Appl. Chem. 87, 1051 (2015), section 4.

    Examples
    --------
    BET on a simulated isotherm of 8 nm pores finds the area of the first adsorbed layer to about 1 %:

    >>> from qdpv.msn import default_p_rel, simulate_isotherm
    >>> iso = simulate_isotherm(8.0, default_p_rel(), external_area_m2_g=88.0)
    >>> bet = bet_area_m2_g(iso.p_rel, iso.n_ads_mmol_g)
    >>> round(bet.area_m2_g, 1), round(iso.monolayer_area_m2_g, 1)
    (562.9, 568.6)
    >>> bet.criteria  # the longest window misses the fourth criterion (p/p0 at n_m 13 % above 1/(sqrt(C)+1))
    (True, True, True, False)
    >>> round(bet_area_m2_g(iso.p_rel, iso.n_ads_mmol_g, fourth_criterion=True).area_m2_g, 1)
    565.7
    """
    p, n = _check_isotherm(p_rel, n_ads_mmol_g)
    if np.any(n <= 0):
        raise ValueError("n_ads_mmol_g must be > 0 mmol/g at every point for BET, got 0")
    y = p / (n * (1 - p))
    roq = n * (1 - p)
    if p_range is not None:
        lo_p, hi_p = (float(v) for v in check_array("p_range", p_range, 0, 1, hi_closed=False, min_size=2))
        if lo_p >= hi_p:
            raise ValueError(f"p_range must be (low, high) with low < high, got {p_range!r}")
        idx = np.flatnonzero((p >= lo_p) & (p <= hi_p))
        if idx.size < 3:
            raise ValueError(f"p_range {p_range!r} must contain at least 3 points, got {idx.size}")
        lo, hi = np.array([idx[0]]), np.array([idx[-1]])
    else:
        falling = np.flatnonzero(np.diff(roq) <= 0)
        last = int(falling[0]) if falling.size else p.size - 1
        lo, hi = np.triu_indices(last + 1, k=2)
    slope, intercept, r2, (var_s, var_i, cov_si) = _line_fits(p, y, lo, hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = slope / intercept + 1
        p_mono = 1 / (np.sqrt(np.where(c > 0, c, np.nan)) + 1)
        n_m = 1.0 / (slope + intercept)
        # criterion 4: where the measured isotherm reaches n_m (nan outside the measured amounts)
        p_at = np.where((n_m >= n[0]) & (n_m <= n[-1]), np.interp(n_m, n, p), np.nan)
        consistent = np.abs(p_at / p_mono - 1.0) <= _ROUQUEROL_TOLERANCE
    ok = (c > 0) & (intercept > 0) & (p_mono >= p[lo]) & (p_mono <= p[hi])
    if p_range is not None:
        if not (c[0] > 0 and intercept[0] > 0):
            raise ValueError(f"p_range {p_range!r} gives a BET constant C <= 0; choose a lower range")
        best, chosen = 0, np.array([True])
    else:
        if not ok.any():
            raise ValueError(
                "n_ads_mmol_g: no range of p_rel satisfies the Rouquerol criteria; give p_range explicitly"
            )
        chosen = ok & consistent if fourth_criterion and (ok & consistent).any() else ok
        npts = np.where(chosen, hi - lo + 1, 0)
        best = int(np.lexsort((np.where(chosen, r2, -1.0), npts))[-1])
    to_area = 1e-3 * AVOGADRO_PER_MOL * N2_CROSS_SECTION_NM2 * 1e-18  # mmol/g -> m2/g
    s, i = slope[best], intercept[best]
    nm = float(n_m[best])
    var_nm = nm**4 * max(float(var_s[best] + var_i[best] + 2 * cov_si[best]), 0.0)
    var_c = max(float(var_s[best] / i**2 + s**2 * var_i[best] / i**4 - 2 * s * cov_si[best] / i**3), 0.0)
    areas = n_m[chosen] * to_area
    window = slice(int(lo[best]), int(hi[best]) + 1)
    return BETResult(
        area_m2_g=float(nm * to_area),
        c_constant=float(c[best]),
        n_monolayer_mmol_g=nm,
        p_range=(float(p[lo[best]]), float(p[hi[best]])),
        n_points=int(hi[best] - lo[best] + 1),
        r_squared=float(r2[best]),
        p_monolayer=float(p_mono[best]),
        area_se_m2_g=float(np.sqrt(var_nm) * to_area),
        c_constant_se=float(np.sqrt(var_c)),
        n_monolayer_se_mmol_g=float(np.sqrt(var_nm)),
        p_at_n_monolayer=float(p_at[best]),
        criteria=(
            bool(np.all(np.diff(roq[window]) > 0)),
            bool(c[best] > 0),
            bool(p[lo[best]] <= p_mono[best] <= p[hi[best]]),
            bool(consistent[best]),
        ),
        n_windows=int(np.count_nonzero(chosen)),
        area_range_m2_g=(float(areas.min()), float(areas.max())),
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
    diameter_edges_nm: np.ndarray | None = None
    """Pore diameters at the two pressures that bound each step (one more than steps), increasing, nm."""

    @property
    def peak_diameter_nm(self) -> float:
        """Diameter at which dV/dd is largest, nm."""
        return float(self.pore_diameter_nm[np.argmax(self.dv_dd)])

    @property
    def peak_range_nm(self) -> tuple[float, float]:
        """Diameters that bound the step holding the peak, nm: how finely the measured pressures resolve it."""
        i = int(np.argmax(self.dv_dd))
        if self.diameter_edges_nm is None:
            return (float("nan"), float("nan"))
        return (float(self.diameter_edges_nm[i]), float(self.diameter_edges_nm[i + 1]))

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

    Examples
    --------
    Classical BJH inverts the model :func:`qdpv.msn.simulate_isotherm` is built on, so it finds its 8 nm pores:

    >>> from qdpv.msn import default_p_rel, simulate_isotherm
    >>> iso = simulate_isotherm(8.0, default_p_rel(), external_area_m2_g=88.0)
    >>> round(bjh_pore_distribution(iso.p_rel, iso.n_ads_mmol_g).peak_diameter_nm, 1)
    8.1
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
        diameter_edges_nm=(2 * r_p)[::-1],
    )


def total_pore_volume_cm3_g(p_rel: np.ndarray, n_ads_mmol_g: np.ndarray, p_at: float = 0.95) -> float:
    r"""Total pore volume by the Gurvich rule: the amount adsorbed near saturation, as liquid N2.

    .. math:: V_p = n(p_\mathrm{at})\, V_m, \qquad V_m = 34.68\ \mathrm{cm^3/mol}

    ``n`` is interpolated linearly at ``p_at``. It includes the film on the external surface (at 0.95 a film of
    1.6 nm: about 0.14 cm3/g on the ~90 m2/g of ~100 nm particles) and misses pores wider than the Kelvin
    diameter at ``p_at`` (at 0.95 about 22 nm on the adsorption branch, 40 nm on the desorption branch).

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

    Examples
    --------
    1 cm3/g of 8 nm pores plus a 1.6 nm film on 88 m2/g of external surface (0.14 cm3/g):

    >>> from qdpv.msn import default_p_rel, simulate_isotherm
    >>> iso = simulate_isotherm(8.0, default_p_rel(), pore_volume_cm3_g=1.0, external_area_m2_g=88.0)
    >>> round(total_pore_volume_cm3_g(iso.p_rel, iso.n_ads_mmol_g), 3)
    1.139
    """
    p, n = _check_isotherm(p_rel, n_ads_mmol_g)
    pa = _scalar("p_at", p_at, 0.8, 1, lo_closed=True, hi_closed=False)
    if not p[0] <= pa <= p[-1]:
        raise ValueError(f"p_at must lie within the measured p_rel range [{p[0]:g}, {p[-1]:g}], got {pa:g}")
    return float(np.interp(pa, p, n) * N2_MOLAR_VOLUME_CM3_MOL * 1e-3)


@dataclass(frozen=True)
class IsothermAnalysis:
    """Result of :func:`analyse_isotherm`: the standard analyses of one measured N2 isotherm, each with the
    uncertainty the data allow."""

    bet: BETResult
    """BET area with its Rouquerol report (four criteria), standard errors and the range over valid windows."""
    bjh: BJHResult
    """Classical BJH (Kelvin + Harkins-Jura) on the adsorption branch; ``peak_range_nm`` bounds the peak."""
    bjh_kjs: BJHResult
    """KJS-corrected BJH on the adsorption branch (calibrated on MCM-41, 2-6.5 nm)."""
    bjh_des: BJHResult | None
    """Classical BJH on the desorption branch, or None when no desorption branch was given."""
    pore_volume_cm3_g: float
    """Gurvich total pore volume at ``pore_volume_p_at`` (nan when the data stop below p/p0 = 0.8)."""
    pore_volume_range_cm3_g: tuple[float, float]
    """Liquid volumes at the two measured points around ``pore_volume_p_at``: the interpolated value lies
    between them, and a reading one point earlier or later would give one of them."""
    pore_volume_p_at: float
    """p/p0 at which the pores are taken as full: the ``p_at`` asked for, or the highest measured p/p0 if the
    data stop below it."""


def analyse_isotherm(
    p_rel: np.ndarray,
    n_ads_mmol_g: np.ndarray,
    p_rel_des: np.ndarray | None = None,
    n_des_mmol_g: np.ndarray | None = None,
    p_at: float = 0.95,
) -> IsothermAnalysis:
    r"""BET area (Rouquerol report), BJH pore sizes (classical and KJS) and total pore volume of an N2 isotherm.

    One call for a measured isotherm (e.g. from :func:`qdpv.io.read_isotherm`), with the choices a report
    states:

    * BET: :func:`bet_area_m2_g` with the Rouquerol criteria, preferring windows that also pass the fourth
      (``fourth_criterion=True``), so the result lists which of the four criteria its points meet, the
      standard error of the line and the spread of the area over every valid window;
    * BJH: :func:`bjh_pore_distribution` on the adsorption branch, classical and KJS-corrected, and classical
      on the desorption branch when one is given; the peak comes with the bounds of its step;
    * total pore volume: :func:`total_pore_volume_cm3_g` (Gurvich) at ``p_at``, or at the highest measured
      p/p0 if the data stop between 0.8 and ``p_at``, with the volumes at the measured points around it.

    The analyses assume N2 at 77 K on a silica-like surface (Harkins-Jura and KJS film thickness, 0.162 nm^2
    per molecule); on other gases or temperatures their numbers have no meaning.

    Parameters
    ----------
    p_rel, n_ads_mmol_g : array_like
        Adsorption branch: p/p0 strictly increasing in (0, 1), amounts in mmol/g non-decreasing; at least 3.
    p_rel_des, n_des_mmol_g : array_like, optional
        Desorption branch in the same form (increasing p/p0); both or neither.
    p_at : float
        p/p0 of the Gurvich pore volume, [0.8, 1); default 0.95.

    Returns
    -------
    IsothermAnalysis

    Raises
    ------
    ValueError
        For invalid branches (as :func:`bet_area_m2_g` and :func:`bjh_pore_distribution` check them), one of
        ``p_rel_des``/``n_des_mmol_g`` without the other, or ``p_at`` outside [0.8, 1).

    References
    ----------
    .. [1] Thommes et al., Pure Appl. Chem. 87, 1051 (2015) (what an isotherm report holds).
    .. [2] Rouquerol, Llewellyn, Rouquerol, Stud. Surf. Sci. Catal. 160, 49 (2007).
    .. [3] Barrett, Joyner, Halenda, J. Am. Chem. Soc. 73, 373 (1951); Kruk, Jaroniec, Sayari, Langmuir 13,
       6267 (1997).

    Examples
    --------
    >>> from qdpv.msn import default_p_rel, simulate_isotherm
    >>> grid = default_p_rel()
    >>> ads = simulate_isotherm(8.0, grid, external_area_m2_g=88.0)
    >>> des = simulate_isotherm(8.0, grid, external_area_m2_g=88.0, branch="des")
    >>> report = analyse_isotherm(ads.p_rel, ads.n_ads_mmol_g, des.p_rel, des.n_ads_mmol_g)
    >>> round(report.bet.area_m2_g), report.bet.criteria
    (566, (True, True, True, True))
    >>> round(report.bjh.peak_diameter_nm, 1), [round(d, 1) for d in report.bjh.peak_range_nm]
    (8.1, [7.9, 8.3])
    >>> round(report.pore_volume_cm3_g, 3), report.pore_volume_p_at
    (1.139, 0.95)
    """
    p, n = _check_isotherm(p_rel, n_ads_mmol_g)
    if (p_rel_des is None) != (n_des_mmol_g is None):
        raise ValueError("p_rel_des and n_des_mmol_g must be given together (the desorption branch), got one")
    pa = _scalar("p_at", p_at, 0.8, 1, lo_closed=True, hi_closed=False)
    bet = bet_area_m2_g(p, n, fourth_criterion=True)
    bjh = bjh_pore_distribution(p, n, "ads")
    bjh_kjs = bjh_pore_distribution(p, n, "ads", method="kjs")
    if p_rel_des is not None:
        p_des, n_des = _check_isotherm(p_rel_des, n_des_mmol_g)
        bjh_des = bjh_pore_distribution(p_des, n_des, "des")
    else:
        bjh_des = None
    nan = float("nan")
    if p[-1] < 0.8:
        volume, volume_range, at = nan, (nan, nan), nan
    else:
        at = min(pa, float(p[-1]))
        volume = total_pore_volume_cm3_g(p, n, at)
        k = int(np.searchsorted(p, at))
        around = n[[max(k - 1, 0), k]] if p[k] != at else n[[k, k]]
        volume_range = tuple(float(v) for v in around * N2_MOLAR_VOLUME_CM3_MOL * 1e-3)
    return IsothermAnalysis(bet, bjh, bjh_kjs, bjh_des, volume, volume_range, at)


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
        CsPbBr3 density in g/cm3, [3, 6]; default :data:`CSPBBR3_DENSITY_G_CM3` (4.76, crystallographic).

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
    .. [1] Density: M / (N_A a^3) with the pseudo-cubic lattice constant a = 0.587 nm (see
       :data:`CSPBBR3_DENSITY_G_CM3`).

    Examples
    --------
    Half-filled pores of 1 cm3/g hold 2.4 g of CsPbBr3 per gram of silica, 70 % of the composite's weight:

    >>> m = max_cspbbr3_loading_g_g(1.0, fill_fraction=0.5)
    >>> round(float(m), 2), round(float(m / (1 + m)), 2)
    (2.38, 0.7)
    """
    vp = check_array("pore_volume_cm3_g", pore_volume_cm3_g, 0, 5, unit="cm3/g", lo_closed=True)
    phi = check_array("fill_fraction", fill_fraction, 0, 1, lo_closed=True)
    rho = check_array("density_g_cm3", density_g_cm3, 3, 6, unit="g/cm3", lo_closed=True)
    return phi * vp * rho
