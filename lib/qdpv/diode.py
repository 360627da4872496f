r"""Single-diode solar cell: explicit J-V curve, Voc, Jsc, FF, PCE, the detailed-balance limit, and fitting.

The model is the single-diode equation in the photovoltaic sign convention (current positive in the power
quadrant), per unit area:

.. math::

    J = J_{ph} - J_0 \left[\exp\!\left(\frac{V + J R_s}{n k T/q}\right) - 1\right] - \frac{V + J R_s}{R_{sh}}

Units: J in mA/cm2, V in V, R in ohm cm2 (so J R is in mV; the code converts), T in K.

Everything broadcasts over arrays: pass arrays of parameters to evaluate many devices at once. A measured sweep
goes the other way: :func:`fit_jv` returns the five parameters with standard errors, :func:`hysteresis_index`
compares a forward and a reverse sweep.

References
----------
.. [1] A. Jain and A. Kapoor, "Exact analytical solutions of the parameters of real solar cells using Lambert
   W-function", Sol. Energy Mater. Sol. Cells 81, 269-277 (2004).
.. [2] J. W. Bishop, "Computer simulation of the effects of electrical mismatches in photovoltaic cell
   interconnection circuits", Solar Cells 25, 73-89 (1988) (the diode-voltage parametrisation used for the
   maximum power point).
.. [3] W. Shockley and H. J. Queisser, J. Appl. Phys. 32, 510 (1961); S. Ruhle, Solar Energy 130, 139 (2016).
.. [4] U. Rau, B. Blank, T. C. M. Muller and T. Kirchartz, "Efficiency potential of photovoltaic materials and
   devices unveiled by detailed-balance analysis", Phys. Rev. Applied 7, 044016 (2017) (splitting the gap
   between the limit and a device into short-circuit, non-radiative open-circuit and fill-factor losses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy.optimize import least_squares
from scipy.special import wrightomega

from . import spectra
from ._fitting import covariance_from_jacobian
from ._validate import check_array
from .constants import BOLTZMANN_EV_K

__all__ = [
    "DiodeMetrics",
    "JVCurve",
    "JVFit",
    "LossBreakdown",
    "current_density",
    "detailed_balance",
    "detailed_balance_curve",
    "fit_jv",
    "hysteresis_index",
    "jv_curve",
    "loss_breakdown",
    "metrics",
    "thermal_voltage_V",
]

_MPP_TOL_V = 1e-12  # stop Newton once every diode-voltage step is below this
_MPP_MAX_ITER = 60
_LOG_THETA_SMALL = -500.0  # below this W(theta) = theta underflows towards denormals


class DiodeMetrics(NamedTuple):
    """Figures of merit of one or many devices (each field an array of the broadcast shape)."""

    voc_V: np.ndarray
    jsc_mA_cm2: np.ndarray
    ff: np.ndarray
    pce_percent: np.ndarray
    vmp_V: np.ndarray
    jmp_mA_cm2: np.ndarray


class JVCurve(NamedTuple):
    """A J-V curve: voltage grid, current density and power density (arrays of one shape)."""

    voltage_V: np.ndarray
    current_density_mA_cm2: np.ndarray
    power_mW_cm2: np.ndarray


def thermal_voltage_V(temperature_K: np.ndarray) -> np.ndarray:
    r"""Thermal voltage :math:`V_t = k T / q`.

    Parameters
    ----------
    temperature_K : array_like
        Temperature in K, in (0, 1000].

    Returns
    -------
    numpy.ndarray
        Thermal voltage in V (25.69 mV at 298.15 K).

    Raises
    ------
    ValueError
        If ``temperature_K`` is outside (0, 1000] K or NaN.

    References
    ----------
    .. [1] CODATA values of k and q (:mod:`qdpv.constants`).

    Examples
    --------
    >>> round(float(thermal_voltage_V(298.15)), 5)
    0.02569
    """
    t = check_array("temperature_K", temperature_K, *spectra.TEMPERATURE_RANGE_K, unit="K")
    return BOLTZMANN_EV_K * t


def _diode_inputs(jph_mA_cm2, j0_mA_cm2, ideality, rs_ohm_cm2, rsh_ohm_cm2, temperature_K, *, dark_ok):
    """Validate the five parameters and T; return (jph, j0, a = n kT/q, rs in kohm cm2, gsh in 1/kohm cm2)."""
    jph = check_array("jph_mA_cm2", jph_mA_cm2, 0.0, np.inf, unit="mA/cm2", lo_closed=dark_ok)
    j0 = check_array("j0_mA_cm2", j0_mA_cm2, 0.0, np.inf, unit="mA/cm2")
    n = check_array("ideality", ideality, 0.0, 10.0)
    rs = check_array("rs_ohm_cm2", rs_ohm_cm2, 0.0, np.inf, unit="ohm cm2", lo_closed=True, hi_closed=False)
    rsh = check_array("rsh_ohm_cm2", rsh_ohm_cm2, 0.0, np.inf, unit="ohm cm2")
    a = n * thermal_voltage_V(temperature_K)
    # mA/cm2 times kohm cm2 gives V; a shunt conductance of 0 stands for Rsh = inf.
    return jph, j0, a, rs * 1e-3, 1e3 / rsh


def _current(v, jph, j0, a, rs, gsh):
    """Explicit Lambert-W solution in the log domain (no overflow: W(e^x) is Wright's omega of x)."""
    denom = 1.0 + rs * gsh
    exponent = (rs * (jph + j0) + v) / (a * denom)
    # rs = 0 gives ln(theta) = -inf and omega(-inf) = 0; the branch not taken may divide by zero or overflow
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        log_theta = np.log(rs * j0 / (a * denom)) + exponent
        w = wrightomega(log_theta)
        # (a/rs) W, or where W underflows (rs -> 0) the same term through ln W = ln(theta) - W
        diode = np.where(log_theta > _LOG_THETA_SMALL, a / rs * w, j0 / denom * np.exp(exponent - w))
    return (jph + j0 - v * gsh) / denom - diode


def current_density(
    voltage_V: np.ndarray,
    jph_mA_cm2: np.ndarray,
    j0_mA_cm2: np.ndarray,
    ideality: np.ndarray,
    rs_ohm_cm2: np.ndarray,
    rsh_ohm_cm2: np.ndarray,
    temperature_K: np.ndarray = 298.15,
) -> np.ndarray:
    r"""Current density of the single-diode model at given terminal voltages (explicit Lambert-W form).

    .. math::

        J = \frac{J_{ph} + J_0 - V/R_{sh}}{1 + R_s/R_{sh}} - \frac{n V_t}{R_s}\, W(\theta), \qquad
        \theta = \frac{R_s J_0}{n V_t (1 + R_s/R_{sh})}
                 \exp\!\left(\frac{R_s (J_{ph} + J_0) + V}{n V_t (1 + R_s/R_{sh})}\right)

    (Jain and Kapoor 2004, eq. 2). :math:`W(\theta)` is evaluated as Wright's omega of :math:`\ln\theta`,
    which never overflows. Where :math:`\theta` underflows (:math:`R_s \to 0`), :math:`(n V_t/R_s) W` is
    evaluated as :math:`J_0/(1+R_s/R_{sh}) \exp(\ln\theta + \ln(nV_t/R_s) - W)`, using
    :math:`\ln W = \ln\theta - W`; this gives the exact limit :math:`R_s = 0`,
    :math:`J = J_{ph} - J_0(e^{V/nV_t} - 1) - V/R_{sh}`.

    Parameters
    ----------
    voltage_V : array_like
        Terminal voltage in V (finite).
    jph_mA_cm2 : array_like
        Photocurrent density in mA/cm2, >= 0 (0 gives the dark curve).
    j0_mA_cm2 : array_like
        Saturation current density in mA/cm2, > 0.
    ideality : array_like
        Diode ideality factor n, in (0, 10].
    rs_ohm_cm2 : array_like
        Series resistance in ohm cm2, >= 0 and finite.
    rsh_ohm_cm2 : array_like
        Shunt resistance in ohm cm2, > 0 (``np.inf`` for no shunt).
    temperature_K : array_like
        Cell temperature in K, in (0, 1000].

    Returns
    -------
    numpy.ndarray
        Current density in mA/cm2 (positive in the power quadrant), broadcast shape of all arguments.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN; the message names it.

    References
    ----------
    .. [1] Jain and Kapoor (2004), see module references.

    Examples
    --------
    >>> [round(float(j), 3) for j in current_density([0.0, 1.0, 1.2], 20.8, 1e-15, 1.2, 1.5, 5000.0)]
    [20.794, 20.267, -16.072]
    """
    v = check_array("voltage_V", voltage_V, unit="V", hi_closed=False)
    params = _diode_inputs(
        jph_mA_cm2, j0_mA_cm2, ideality, rs_ohm_cm2, rsh_ohm_cm2, temperature_K, dark_ok=True
    )
    return _current(v, *params)


def _voc(jph, j0, a, gsh):
    r"""Open-circuit voltage :math:`nV_t \ln(W\, nV_t/(R_{sh}J_0))` (ideal-diode form if no shunt)."""
    ga = np.where(gsh > 0, gsh * a, 1.0)
    w = wrightomega(np.log(j0 / ga) + (jph + j0) / ga)
    return np.where(gsh > 0, a * np.log(w * ga / j0), a * np.log1p(jph / j0))


def _mpp_diode_voltage(jph, j0, a, rs, gsh, voc):
    """Diode voltage Vd = V + J Rs at maximum power: safeguarded Newton on dP/dVd = 0 in [0, Voc]."""
    lo = np.zeros_like(voc)
    hi = voc.copy()
    x = np.clip(voc - a * np.log1p(voc / a), lo, hi)  # ideal-diode estimate of Vmp as the first guess
    for _ in range(_MPP_MAX_ITER):
        e = j0 * np.exp(x / a)
        j = jph + j0 - e - gsh * x
        v = x - rs * j
        g = e / a + gsh  # -dJ/dVd
        slope = (1.0 + rs * g) * j - v * g  # dP/dVd
        curvature = e / a**2 * (rs * j - v) - 2.0 * g * (1.0 + rs * g)
        lo = np.where(slope > 0, x, lo)
        hi = np.where(slope > 0, hi, x)
        step = -slope / curvature
        new = x + step
        outside = ~((new > lo) & (new < hi)) | (curvature >= 0)
        new = np.where(outside, 0.5 * (lo + hi), new)
        done = np.all(np.abs(new - x) < _MPP_TOL_V)
        x = new
        if done:
            break
    return x


def metrics(
    jph_mA_cm2: np.ndarray,
    j0_mA_cm2: np.ndarray,
    ideality: np.ndarray,
    rs_ohm_cm2: np.ndarray,
    rsh_ohm_cm2: np.ndarray,
    temperature_K: np.ndarray = 298.15,
    incident_power_mW_cm2: np.ndarray = 100.0,
) -> DiodeMetrics:
    r"""Voc, Jsc, FF, PCE and the maximum power point of single-diode devices, vectorised.

    .. math::

        V_{oc} = \frac{J_{ph}+J_0}{G_{sh}} - nV_t\, W\!\left(\frac{J_0}{G_{sh} nV_t}
                 e^{(J_{ph}+J_0)/(G_{sh} nV_t)}\right)
               = nV_t \ln\frac{G_{sh}\, nV_t\, W}{J_0}, \qquad
        J_{sc} = J(0), \qquad FF = \frac{V_{mp} J_{mp}}{V_{oc} J_{sc}}, \qquad
        PCE = \frac{V_{mp} J_{mp}}{P_{in}}

    with :math:`G_{sh} = 1/R_{sh}` (Jain and Kapoor 2004, eq. 3 at J = 0; the second form, from
    :math:`\ln W = \ln z - W`, avoids cancellation; for :math:`G_{sh} = 0` it is
    :math:`nV_t \ln(1 + J_{ph}/J_0)`). The maximum power point is found on the diode voltage
    :math:`V_d = V + J R_s`, for which J and V are explicit (Bishop 1988): Newton's method on
    :math:`dP/dV_d = 0`, bracketed in :math:`[0, V_{oc}]` and falling back to bisection, run on all devices
    at once until every step is below 1e-12 V (relative error of the maximum power far below 1e-9).

    Parameters
    ----------
    jph_mA_cm2 : array_like
        Photocurrent density in mA/cm2, > 0.
    j0_mA_cm2 : array_like
        Saturation current density in mA/cm2, > 0.
    ideality : array_like
        Diode ideality factor, in (0, 10].
    rs_ohm_cm2 : array_like
        Series resistance in ohm cm2, >= 0 and finite.
    rsh_ohm_cm2 : array_like
        Shunt resistance in ohm cm2, > 0 (``np.inf`` for none).
    temperature_K : array_like
        Cell temperature in K, in (0, 1000].
    incident_power_mW_cm2 : array_like
        Incident light power in mW/cm2, > 0 (100 mW/cm2 = 1 sun, the AM1.5G standard condition).

    Returns
    -------
    DiodeMetrics
        ``voc_V``, ``jsc_mA_cm2``, ``ff`` (fraction), ``pce_percent``, ``vmp_V``, ``jmp_mA_cm2``, each of the
        broadcast shape of the arguments.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN; the message names it.

    References
    ----------
    .. [1] Jain and Kapoor (2004); Bishop (1988); see module references.

    Examples
    --------
    >>> m = metrics(20.8, 1e-15, 1.2, 1.5, 5000.0)
    >>> round(float(m.voc_V), 3), round(float(m.ff), 3), round(float(m.pce_percent), 2)
    (1.158, 0.846, 20.37)

    Voc rises by (kT/q) ln 10 = 59 mV for every tenfold drop of J0 (ideality 1, no shunt):

    >>> import numpy as np
    >>> voc = metrics(20.8, [1e-15, 1e-16], 1.0, 0.0, np.inf).voc_V
    >>> round(float(voc[1] - voc[0]) * 1000, 1)
    59.2
    """
    jph, j0, a, rs, gsh = _diode_inputs(
        jph_mA_cm2, j0_mA_cm2, ideality, rs_ohm_cm2, rsh_ohm_cm2, temperature_K, dark_ok=False
    )
    p_in = check_array("incident_power_mW_cm2", incident_power_mW_cm2, 0.0, np.inf, unit="mW/cm2")
    jph, j0, a, rs, gsh, p_in = np.broadcast_arrays(jph, j0, a, rs, gsh, p_in)
    voc = _voc(jph, j0, a, gsh)
    jsc = _current(0.0, jph, j0, a, rs, gsh)
    vd = _mpp_diode_voltage(jph, j0, a, rs, gsh, voc)
    jmp = jph - j0 * np.expm1(vd / a) - gsh * vd
    vmp = vd - rs * jmp
    pmp = vmp * jmp
    return DiodeMetrics(voc, jsc, pmp / (voc * jsc), 100.0 * pmp / p_in, vmp, jmp)


def jv_curve(
    jph_mA_cm2: np.ndarray,
    j0_mA_cm2: np.ndarray,
    ideality: np.ndarray,
    rs_ohm_cm2: np.ndarray,
    rsh_ohm_cm2: np.ndarray,
    temperature_K: np.ndarray = 298.15,
    *,
    n_points: int = 201,
    v_max_over_voc: float = 1.05,
) -> JVCurve:
    r"""J-V and P-V curve on a uniform voltage grid from 0 to ``v_max_over_voc`` times Voc, for plotting.

    .. math::

        V_i = \frac{i}{N-1}\, f\, V_{oc}, \quad J_i = J(V_i), \quad P_i = V_i J_i \qquad (i = 0 \dots N-1)

    with J from :func:`current_density` and Voc as in :func:`metrics`.

    Parameters
    ----------
    jph_mA_cm2, j0_mA_cm2, ideality, rs_ohm_cm2, rsh_ohm_cm2, temperature_K : array_like
        As in :func:`metrics` (mA/cm2, mA/cm2, -, ohm cm2, ohm cm2, K).
    n_points : int
        Number of grid points N, in [2, 100000].
    v_max_over_voc : float
        Last grid voltage as a multiple f of Voc, in (0, 2].

    Returns
    -------
    JVCurve
        ``voltage_V``, ``current_density_mA_cm2`` and ``power_mW_cm2``, each of shape
        ``broadcast_shape + (n_points,)``.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN; the message names it.

    References
    ----------
    .. [1] Jain and Kapoor (2004), see module references.

    Examples
    --------
    >>> c = jv_curve(20.8, 1e-15, 1.2, 1.5, 5000.0, n_points=5)
    >>> [round(float(v), 3) for v in c.voltage_V]  # 0 to 1.05 Voc
    [0.0, 0.304, 0.608, 0.912, 1.216]
    >>> [round(float(j), 2) for j in c.current_density_mA_cm2]
    [20.79, 20.73, 20.67, 20.59, -23.12]
    """
    n_pts = int(check_array("n_points", n_points, 2, 100_000, lo_closed=True))
    f = float(check_array("v_max_over_voc", v_max_over_voc, 0.0, 2.0))
    jph, j0, a, rs, gsh = np.broadcast_arrays(
        *_diode_inputs(jph_mA_cm2, j0_mA_cm2, ideality, rs_ohm_cm2, rsh_ohm_cm2, temperature_K, dark_ok=False)
    )
    voc = _voc(jph, j0, a, gsh)
    v = voc[..., np.newaxis] * np.linspace(0.0, f, n_pts)
    expand = (p[..., np.newaxis] for p in (jph, j0, a, rs, gsh))
    j = _current(v, *expand)
    return JVCurve(v, j, v * j)


def detailed_balance(
    band_gap_eV: np.ndarray, temperature_K: np.ndarray = 300.0, incident_power_mW_cm2: np.ndarray = 100.0
) -> DiodeMetrics:
    r"""Shockley-Queisser limit of a step absorber under AM1.5G, emitting as a black body from one side.

    .. math::

        J_{ph} = q \int_{E > E_g} \Phi_{AM1.5G}\, dE, \qquad
        J_0 = q\, \frac{2\pi}{h^3 c^2} \int_{E_g}^{\infty} \frac{E^2\, dE}{e^{E/kT} - 1}, \qquad
        J = J_{ph} - J_0\left(e^{qV/kT} - 1\right)

    i.e. :func:`metrics` with n = 1, no series resistance and no shunt, using
    :func:`qdpv.spectra.max_jsc_mA_cm2` and :func:`qdpv.spectra.blackbody_photon_flux_m2_s` (the same
    :math:`J_0` as :func:`qdpv.recombination.radiative_j0_mA_cm2`).

    Parameters
    ----------
    band_gap_eV : array_like
        Band gap in eV, in [0.31, 4.42].
    temperature_K : array_like
        Cell temperature in K, in (0, 1000] and at least Eg/(700 k) (see
        :func:`qdpv.spectra.blackbody_photon_flux_m2_s`); Ruhle's tables use 300 K.
    incident_power_mW_cm2 : array_like
        Power the efficiency is referred to, in mW/cm2 (100 by default; the ASTM G173 table integrates to
        100.04).

    Returns
    -------
    DiodeMetrics
        Limiting ``voc_V``, ``jsc_mA_cm2``, ``ff``, ``pce_percent``, ``vmp_V``, ``jmp_mA_cm2``.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN; the message names it.

    References
    ----------
    .. [1] Shockley and Queisser (1961); Ruhle (2016): 33.7 % at 1.34 eV (see module references).

    Examples
    --------
    >>> round(float(detailed_balance(1.34).pce_percent), 1)  # Ruhle's optimum
    33.7
    >>> m = detailed_balance(1.73)  # CsPbI3
    >>> round(float(m.voc_V), 3), round(float(m.jsc_mA_cm2), 2), round(float(m.pce_percent), 2)
    (1.446, 21.67, 28.57)
    """
    jph, j0 = _radiative_diode(band_gap_eV, temperature_K)
    return metrics(jph, j0, 1.0, 0.0, np.inf, temperature_K, incident_power_mW_cm2)


def _radiative_diode(band_gap_eV: np.ndarray, temperature_K: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Jph and J0 (mA/cm2) of the detailed-balance diode: every above-gap photon in, black-body emission out."""
    jph = spectra.max_jsc_mA_cm2(band_gap_eV)
    j0 = spectra.photon_current_mA_cm2(spectra.blackbody_photon_flux_m2_s(band_gap_eV, temperature_K))
    return jph, j0


def detailed_balance_curve(
    band_gap_eV: np.ndarray, temperature_K: np.ndarray = 300.0, *, n_points: int = 201
) -> JVCurve:
    r"""J-V and P-V curve of the detailed-balance (Shockley-Queisser) cell, for plotting.

    .. math::

        J(V) = J_{ph} - J_{0,rad}\left(e^{qV/kT} - 1\right)

    with :math:`J_{ph}` and :math:`J_{0,rad}` as in :func:`detailed_balance`, on the grid of :func:`jv_curve`
    (0 to 1.05 Voc).

    Parameters
    ----------
    band_gap_eV : array_like
        Band gap in eV, in [0.31, 4.42].
    temperature_K : array_like
        Cell temperature in K, in (0, 1000] and at least Eg/(700 k) (black-body limit of
        :func:`qdpv.spectra.blackbody_photon_flux_m2_s`).
    n_points : int
        Number of voltage points, in [2, 100000].

    Returns
    -------
    JVCurve
        ``voltage_V``, ``current_density_mA_cm2``, ``power_mW_cm2``, each of shape
        ``broadcast_shape + (n_points,)``.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN; the message names it.

    References
    ----------
    .. [1] Shockley and Queisser (1961); Ruhle (2016) (see module references).

    Examples
    --------
    >>> c = detailed_balance_curve(1.73)  # CsPbI3
    >>> c.voltage_V.shape, round(float(c.power_mW_cm2.max()), 2)  # highest power on the grid, mW/cm2
    ((201,), 28.57)
    """
    jph, j0 = _radiative_diode(band_gap_eV, temperature_K)
    return jv_curve(jph, j0, 1.0, 0.0, np.inf, temperature_K, n_points=n_points)


class LossBreakdown(NamedTuple):
    """Steps from the detailed-balance limit down to a device, in PCE percentage points (each field an array)."""

    limit_pce_percent: np.ndarray
    jsc_loss_pp: np.ndarray
    voc_loss_pp: np.ndarray
    ff_loss_pp: np.ndarray
    device_pce_percent: np.ndarray
    radiative_voc_V: np.ndarray
    nonradiative_voc_loss_V: np.ndarray


def loss_breakdown(
    band_gap_eV: np.ndarray,
    voc_V: np.ndarray,
    jsc_mA_cm2: np.ndarray,
    ff: np.ndarray,
    temperature_K: np.ndarray = 298.15,
    incident_power_mW_cm2: np.ndarray = 100.0,
) -> LossBreakdown:
    r"""Split the gap between the detailed-balance limit and a device into Jsc, non-radiative Voc and FF losses.

    Three ideal diodes (n = 1, no resistances) lead from the limit to the device, one loss at a time:

    .. math::

        \eta_{SQ} \xrightarrow{\;J_{sc}\;} \eta_a = \eta(J_{sc}, J_{0,rad})
        \xrightarrow{\;V_{oc}\;} \eta_b = \eta\!\left(J_{sc}, \frac{J_{sc}}{e^{V_{oc}/V_t} - 1}\right)
        \xrightarrow{\;FF\;} \eta = \frac{V_{oc} J_{sc} FF}{P_{in}}

    Jsc loss :math:`\eta_{SQ} - \eta_a` (fewer collected photons, including the small Voc drop they cause),
    non-radiative Voc loss :math:`\eta_a - \eta_b` (the device's Voc below the radiative
    :math:`V_{oc,rad} = V_t \ln(1 + J_{sc}/J_{0,rad})` at its own Jsc, the
    :math:`\Delta V_{oc,nrad}` of Rau et al. 2017), FF loss :math:`\eta_b - \eta` (fill factor below that of an
    ideal diode with the device's Voc: ideality, series and shunt resistance). The three sum exactly to
    :math:`\eta_{SQ} - \eta`. The order of the steps is a choice (a different order shares the losses
    differently); this one follows Rau et al. (2017).

    Parameters
    ----------
    band_gap_eV : array_like
        Absorber band gap in eV, in [0.31, 4.42].
    voc_V : array_like
        Device open-circuit voltage in V, > 0 and at most the radiative Voc at the device's Jsc.
    jsc_mA_cm2 : array_like
        Device short-circuit current density in mA/cm2, > 0 and at most the detailed-balance Jsc.
    ff : array_like
        Device fill factor (fraction), in (0, 1].
    temperature_K : array_like
        Cell temperature in K, in (0, 1000] and at least Eg/(700 k) (black-body limit of
        :func:`qdpv.spectra.blackbody_photon_flux_m2_s`).
    incident_power_mW_cm2 : array_like
        Incident light power in mW/cm2, > 0.

    Returns
    -------
    LossBreakdown
        ``limit_pce_percent``, ``jsc_loss_pp``, ``voc_loss_pp``, ``ff_loss_pp`` (percentage points, the FF loss
        negative if the FF beats the ideal diode's), ``device_pce_percent``, ``radiative_voc_V`` and
        ``nonradiative_voc_loss_V`` (:math:`V_{oc,rad} - V_{oc}`).

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN, if Jsc exceeds the detailed-balance Jsc or if Voc exceeds
        the radiative Voc; the message names the parameter.

    References
    ----------
    .. [1] Rau, Blank, Muller and Kirchartz (2017); Shockley and Queisser (1961) (see module references).

    Examples
    --------
    >>> b = loss_breakdown(1.73, 1.2, 20.8, 0.85)  # a CsPbI3 cell: Voc 1.2 V, Jsc 20.8 mA/cm2, FF 0.85
    >>> [round(float(x), 2) for x in b[:5]]  # limit, Jsc, Voc and FF losses (points), device PCE
    [28.62, 1.17, 5.04, 1.2, 21.22]
    >>> round(float(b.nonradiative_voc_loss_V), 3)
    0.247
    """
    voc = check_array("voc_V", voc_V, 0.0, np.inf, unit="V", hi_closed=False)
    jsc = check_array("jsc_mA_cm2", jsc_mA_cm2, 0.0, np.inf, unit="mA/cm2", hi_closed=False)
    fill = check_array("ff", ff, 0.0, 1.0)
    jsc_sq = spectra.max_jsc_mA_cm2(band_gap_eV)
    if np.any(jsc > jsc_sq):
        worst = np.broadcast_arrays(jsc, jsc_sq)
        i = np.argmax(worst[0] - worst[1])
        raise ValueError(
            f"jsc_mA_cm2 must be at most the detailed-balance Jsc {worst[1].flat[i]:.2f} mA/cm2 at this band gap, "
            f"got {worst[0].flat[i]:.2f}"
        )
    j0_rad = spectra.photon_current_mA_cm2(spectra.blackbody_photon_flux_m2_s(band_gap_eV, temperature_K))
    vt = thermal_voltage_V(temperature_K)
    voc_rad = vt * np.log1p(jsc / j0_rad)
    if np.any(voc > voc_rad):
        worst = np.broadcast_arrays(voc, voc_rad)
        i = np.argmax(worst[0] - worst[1])
        raise ValueError(
            f"voc_V must be at most the radiative Voc {worst[1].flat[i]:.3f} V at this Jsc and band gap, "
            f"got {worst[0].flat[i]:.3f}"
        )
    # the limit, the radiative diode at the device's Jsc, and the ideal diode with the device's Voc: one call
    jph = np.stack(np.broadcast_arrays(jsc_sq, jsc, jsc))
    j0 = np.stack(np.broadcast_arrays(j0_rad, j0_rad, jsc / np.expm1(voc / vt)))
    pce = metrics(jph, j0, 1.0, 0.0, np.inf, temperature_K, incident_power_mW_cm2).pce_percent
    limit, radiative, ideal = pce[0], pce[1], pce[2]
    device = 100.0 * voc * jsc * fill / np.asarray(incident_power_mW_cm2, dtype=float)
    return LossBreakdown(limit, limit - radiative, radiative - ideal, ideal - device, device, voc_rad, voc_rad - voc)


# ---------------------------------------------------------------------------------------------------------
# A measured J-V sweep: figures read off the points, the single-diode fit, and the hysteresis index
# ---------------------------------------------------------------------------------------------------------

_FIT_MIN_POINTS = 8  # five parameters and at least three degrees of freedom to estimate the scatter from
_FIT_MIN_POWER_POINTS = 3  # points strictly between short and open circuit
_FIT_IDEALITY_BOUNDS = (0.5, 10.0)
_GUESS_IDEALITY = np.geomspace(0.8, 5.0, 20)
_GUESS_RS_STEPS = 12
_GUESS_MAX_POINTS = 60  # the starting grid is scored on at most this many points of a dense sweep
_FIT_PARAMETERS = ("jph_mA_cm2", "j0_mA_cm2", "ideality", "rs_ohm_cm2", "rsh_ohm_cm2")
_FIT_TOL = 1e-12  # ftol, xtol and gtol of least_squares: a noise-free curve comes back to ~1e-7 or better
_FIT_MAX_EVALUATIONS = 500  # a well-determined curve takes about 10-100


class _Sweep(NamedTuple):
    """A checked sweep, sorted by increasing voltage, with Jsc and Voc interpolated from its points."""

    voltage_V: np.ndarray
    j_mA_cm2: np.ndarray
    jsc_mA_cm2: float
    voc_V: float


def _checked_sweep(voltage_V: object, j_mA_cm2: object, v_name: str, j_name: str) -> _Sweep:
    """Check one illuminated sweep (either direction) and interpolate its Jsc and Voc; messages name the inputs."""
    v = check_array(v_name, voltage_V, unit="V", hi_closed=False, min_size=_FIT_MIN_POINTS)
    j = check_array(j_name, j_mA_cm2, unit="mA/cm2", hi_closed=False)
    if v.ndim != 1:
        raise ValueError(f"{v_name} must be a 1-D array (one sweep), got shape {v.shape}")
    if j.shape != v.shape:
        raise ValueError(f"{j_name} must have the shape of {v_name} {v.shape}, got {j.shape}")
    if v[-1] < v[0]:  # a reverse sweep (from open towards short circuit)
        v, j = v[::-1], j[::-1]
    bad = np.diff(v) <= 0
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"{v_name} must be strictly monotonic (one sweep, forward or reverse), got {v[i]:g} V next to "
            f"{v[i + 1]:g} V"
        )
    if v[0] > 0:
        raise ValueError(
            f"{v_name} must reach 0 V or below (the sweep must include short circuit), got a lowest voltage of "
            f"{v[0]:g} V"
        )
    jsc = float(np.interp(0.0, v, j))
    if not jsc > 0:
        raise ValueError(
            f"{j_name} has no power quadrant: J at 0 V is {jsc:g} mA/cm2, it must be > 0 (photovoltaic sign "
            "convention, J > 0 between short and open circuit; flip the sign of a curve measured in the load "
            "convention)"
        )
    past_voc = np.flatnonzero((v > 0) & (j <= 0))
    if past_voc.size == 0:
        raise ValueError(
            f"{j_name} must cross 0 at a positive voltage (the sweep must pass open circuit), got "
            f"{j[-1]:g} mA/cm2 at the highest voltage {v[-1]:g} V"
        )
    k = int(past_voc[0])  # j[k - 1] > 0 >= j[k]: linear interpolation between them
    voc = float(v[k - 1] + j[k - 1] * (v[k] - v[k - 1]) / (j[k - 1] - j[k]))
    inside = int(np.count_nonzero((v > 0) & (v < voc)))
    if inside < _FIT_MIN_POWER_POINTS:
        raise ValueError(
            f"{v_name} must have at least {_FIT_MIN_POWER_POINTS} points in the power quadrant "
            f"(0 < V < Voc = {voc:.3g} V), got {inside}"
        )
    return _Sweep(v, j, jsc, voc)


def _measured_metrics(sweep: _Sweep, incident_power_mW_cm2: float) -> DiodeMetrics:
    """Jsc, Voc (linear interpolation) and the maximum power point (parabola through the best point and its
    two neighbours), read off the points without a model."""
    v, j = sweep.voltage_V, sweep.j_mA_cm2
    p = v * j
    i = int(np.argmax(np.where((v > 0) & (v < sweep.voc_V), p, -np.inf)))
    # v[0] <= 0 < v[i] < Voc <= the first point past Voc, so i has a neighbour on each side
    c2, c1, c0 = np.polyfit(v[i - 1 : i + 2], p[i - 1 : i + 2], 2)
    vmp, pmp = float(v[i]), float(p[i])
    if c2 < 0:  # p[i] is the largest of the three: the vertex lies between the neighbours
        vmp = -c1 / (2.0 * c2)
        pmp = c0 - c1**2 / (4.0 * c2)
    jsc, voc = sweep.jsc_mA_cm2, sweep.voc_V
    return DiodeMetrics(
        np.float64(voc),
        np.float64(jsc),
        np.float64(pmp / (voc * jsc)),
        np.float64(100.0 * pmp / incident_power_mW_cm2),
        np.float64(vmp),
        np.float64(pmp / vmp),
    )


def _fit_start(sweep: _Sweep, vt: float) -> np.ndarray:
    """Starting point (Jph, V1, n, Rs in ohm cm2, Gsh in mS/cm2) of the fit, from the data.

    The shunt conductance is minus the slope dJ/dV of the points below 0.3 Voc (where the diode barely
    conducts). For each (n, Rs) on a grid, Jph and J0 follow from the two conditions J(0) = Jsc and
    J(Voc) = 0 (two equations linear in Jph and J0); the pair whose curve is closest to the points with
    J >= -Jsc (the far forward points, where the current grows exponentially, would outweigh the rest) starts
    the fit. Rs runs from 0 to the slope -dV/dJ across Voc, which exceeds Rs on any diode curve. Voc here
    interpolates the diode current Jsc - J exponentially between the points either side of J = 0 (exact for
    an ideal diode; the linear interpolation of the measured figures misses it badly on a coarse sweep).
    """
    v, j, jsc, voc = sweep
    low = v <= 0.3 * voc
    if np.count_nonzero(low) < 2:
        low[:2] = True
    # a shunt that took all of Jsc at Voc would leave no diode current: keep its current below that
    g = float(np.clip(-np.polyfit(v[low], j[low], 1)[0], 0.0, 0.95 * jsc / voc))
    k = int(np.flatnonzero((v > 0) & (j <= 0))[0])
    diode_below, diode_above = jsc - j[k - 1], jsc - j[k]
    if diode_below > 0:
        voc = v[k - 1] + (v[k] - v[k - 1]) * np.log(jsc / diode_below) / np.log(diode_above / diode_below)
    r_oc = (v[k] - v[k - 1]) / (j[k - 1] - j[k])  # kohm cm2
    rs = min(r_oc, voc / jsc) * np.arange(_GUESS_RS_STEPS) / _GUESS_RS_STEPS
    a = _GUESS_IDEALITY[:, np.newaxis] * vt
    x_oc, x_sc = voc / a, jsc * rs / a  # x_sc < x_oc since Rs Jsc < Voc
    # J0 (e^x_oc - e^x_sc) = Jsc (1 + Rs G) - G Voc and Jph = G Voc + J0 (e^x_oc - 1), in the log domain
    drive = jsc * (1.0 + rs * g) - g * voc
    ln_j0 = np.log(drive) - x_oc - np.log(-np.expm1(x_sc - x_oc))
    jph = g * voc + drive * np.expm1(-x_oc) / np.expm1(x_sc - x_oc)
    near = j >= -jsc
    vs, js = v[near], j[near]
    pick = np.unique(np.linspace(0, vs.size - 1, min(vs.size, _GUESS_MAX_POINTS)).round().astype(int))
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        model = _current(
            vs[pick], jph[..., np.newaxis], np.exp(ln_j0)[..., np.newaxis], a[..., np.newaxis],
            rs[..., np.newaxis], g,
        )
        sse = np.sum((model - js[pick]) ** 2, axis=-1)
    best = np.unravel_index(np.argmin(np.where(np.isfinite(sse), sse, np.inf)), sse.shape)
    n = _GUESS_IDEALITY[best[0]]
    start = np.array([jph[best], n * vt * (np.log(jph[best]) - ln_j0[best]), n, 1e3 * rs[best[1]], g])
    return np.where(np.isfinite(start), start, [jsc, voc, 1.5, 0.0, g])


@dataclass(frozen=True)
class JVFit:
    r"""Result of :func:`fit_jv`: the fitted single diode, its figures of merit, and the figures read off the data.

    Attributes
    ----------
    jsc_mA_cm2, voc_V, ff, pce_percent, vmp_V, jmp_mA_cm2 : float
        Figures of merit of the fitted curve (:func:`metrics` of the fitted parameters). The fit averages the
        noise of all points and is not limited by the voltage step, so these are the better estimates when
        the single-diode model describes the data (``residual_rms_mA_cm2`` at the noise level of the data).
    jsc_se_mA_cm2, voc_se_V, ff_se, pce_se_percent : float
        Their standard errors, propagated from ``covariance`` to first order.
    measured : DiodeMetrics
        The same figures read off the points without the model: Jsc and Voc by linear interpolation, the
        maximum power point from a parabola through the best point and its two neighbours. They hold when the
        model does not (an S-shaped curve, hysteresis), but on a coarse sweep they are off by up to tens of
        mV in Voc and a few points of FF.
    jph_mA_cm2, j0_mA_cm2, ideality, rs_ohm_cm2, rsh_ohm_cm2 : float
        Fitted diode parameters (``rsh_ohm_cm2`` is inf where the fitted shunt conductance is 0).
    jph_se_mA_cm2, j0_se_mA_cm2, ideality_se, rs_se_ohm_cm2, rsh_se_ohm_cm2 : float
        Their standard errors (nan if the data do not determine the parameters or the fit did not converge;
        ``rsh_se_ohm_cm2`` is inf at zero shunt conductance). ``j0_se_mA_cm2`` and ``rsh_se_ohm_cm2`` are
        first-order propagations of ``ln_j0_se`` and ``gsh_se_mS_cm2``; once those are not small they mean
        little, and the two below are the ones to read.
    ln_j0_se : float
        Standard error of :math:`\ln J_0` (J0 is known to within a factor :math:`e^{\pm\sigma}`).
    gsh_mS_cm2, gsh_se_mS_cm2 : float
        Fitted shunt conductance :math:`G_{sh} = 1/R_{sh}` in mS/cm2 (1/(kohm cm2)) and its standard error.
        Where ``gsh_se_mS_cm2`` is comparable to ``gsh_mS_cm2`` the data bound the shunt only from below,
        :math:`R_{sh} \gtrsim 1/(G_{sh} + 2\sigma_G)`.
    covariance : numpy.ndarray
        Covariance (5, 5) of (Jph in mA/cm2, ln J0, n, Rs in ohm cm2, Gsh in mS/cm2); all nan if not
        determined.
    at_bound : tuple of str
        Names of the parameters that ended on a bound of the fit (``rs_ohm_cm2`` at 0, ``rsh_ohm_cm2`` at
        infinity, ``ideality`` at 0.5 or 10); their standard errors describe one side only.
    converged : bool
        False if the optimiser stopped at its limit of evaluations: the data then do not pin the parameters
        down (typically a shunt-dominated, nearly straight curve with a fill factor near 0.25, on which the
        diode is invisible), the parameters are one of many that fit, and the standard errors are nan. The
        figures of merit of the fitted curve still describe the data.
    residual_rms_mA_cm2 : float
        Root mean square of the weighted residuals (fitted minus measured J, divided by :math:`|J|/J_{sc}`
        where that exceeds 1, as in the fit): the scatter of the points about the curve.
    n_points : int
        Number of points fitted.
    temperature_K : float
        Cell temperature the fit assumed.
    """

    jsc_mA_cm2: float
    voc_V: float
    ff: float
    pce_percent: float
    vmp_V: float
    jmp_mA_cm2: float
    jsc_se_mA_cm2: float
    voc_se_V: float
    ff_se: float
    pce_se_percent: float
    measured: DiodeMetrics
    jph_mA_cm2: float
    j0_mA_cm2: float
    ideality: float
    rs_ohm_cm2: float
    rsh_ohm_cm2: float
    jph_se_mA_cm2: float
    j0_se_mA_cm2: float
    ideality_se: float
    rs_se_ohm_cm2: float
    rsh_se_ohm_cm2: float
    ln_j0_se: float
    gsh_mS_cm2: float
    gsh_se_mS_cm2: float
    covariance: np.ndarray
    at_bound: tuple[str, ...]
    converged: bool
    residual_rms_mA_cm2: float
    n_points: int
    temperature_K: float

    def current_density(self, voltage_V: np.ndarray) -> np.ndarray:
        """The fitted curve: :func:`current_density` (mA/cm2) with the fitted parameters at ``voltage_V``."""
        return current_density(
            voltage_V, self.jph_mA_cm2, self.j0_mA_cm2, self.ideality, self.rs_ohm_cm2, self.rsh_ohm_cm2,
            self.temperature_K,
        )


def _ln_j0(y: np.ndarray, vt: float) -> np.ndarray:
    """ln J0 of fit parameters y = (Jph, V1, n, ...): J0 = Jph exp(-V1/(n Vt))."""
    return np.log(y[0]) - y[1] / (y[2] * vt)


def _diode_at(y: np.ndarray, vt: float) -> tuple[np.ndarray, ...]:
    """(jph, j0, a, rs in kohm cm2, gsh in mS/cm2) of :func:`_current` from fit parameters along axis 0."""
    return y[0], np.exp(_ln_j0(y, vt)), y[2] * vt, 1e-3 * y[3], y[4]


def _jv_jacobian(y: np.ndarray, v: np.ndarray, vt: float) -> np.ndarray:
    """dJ/d(Jph, V1, n, Rs, Gsh), by implicit differentiation of F = Jph - J0(e^(Vd/a) - 1) - G Vd - J = 0."""
    jph, j0, a, rs, g = _diode_at(y, vt)
    j = _current(v, jph, j0, a, rs, g)
    vd = v + j * rs
    with np.errstate(over="ignore"):
        diode = np.exp(np.minimum(_ln_j0(y, vt) + vd / a, 700.0))  # J0 e^(Vd/a), finite on the curve
    g_total = diode / a + g  # -dF/dVd
    scale = 1.0 / (1.0 + rs * g_total)  # dJ/dF at fixed V
    d_ln_j0 = -(diode - j0) * scale  # at fixed Jph and n; ln J0 = ln Jph - V1/a
    return np.column_stack(
        [
            scale + d_ln_j0 / jph,
            -d_ln_j0 / a,
            diode * vd / a**2 * vt * scale + d_ln_j0 * y[1] / (y[2] * a),
            -1e-3 * j * g_total * scale,
            -vd * scale,
        ]
    )


def _metrics_at(y: np.ndarray, vt: float, temperature_K: float, incident_power_mW_cm2: float) -> DiodeMetrics:
    """:func:`metrics` of fit parameters y (Jph, V1, n, Rs in ohm cm2, Gsh in mS/cm2) along axis 0."""
    with np.errstate(divide="ignore", over="ignore"):
        rsh = 1e3 / y[4]  # inf for no shunt
    return metrics(y[0], np.exp(_ln_j0(y, vt)), y[2], y[3], rsh, temperature_K, incident_power_mW_cm2)


def fit_jv(
    voltage_V: np.ndarray,
    j_mA_cm2: np.ndarray,
    temperature_K: float = 298.15,
    incident_power_mW_cm2: float = 100.0,
) -> JVFit:
    r"""Fit the single-diode model of :func:`current_density` to one measured illuminated J-V sweep.

    Least squares on the current,

    .. math::

        \min_\theta \sum_{i=1}^{N} \left[\frac{J(V_i; \theta) - J_i}{w_i}\right]^2, \qquad
        w_i = \max\!\left(1, \frac{|J_i|}{J_{sc}}\right), \qquad
        \theta = (J_{ph},\ V_1,\ n,\ R_s,\ G_{sh} = 1/R_{sh}), \qquad
        J_0 = J_{ph}\, e^{-V_1/nV_t},

    with :math:`J(V;\theta)` the explicit Lambert-W solution of :func:`current_density`, bounded to
    :math:`J_{ph} \ge 0`, :math:`0.5 \le n \le 10`, :math:`R_s \ge 0`, :math:`G_{sh} \ge 0`
    (``scipy.optimize.least_squares``, trust-region reflective, with the analytic Jacobian). Every point with
    :math:`|J| \le J_{sc}` counts alike; a point further in forward bias counts relative to its current: the
    error of a source-measure unit grows with the reading, and a few points with currents many times Jsc would
    otherwise outweigh the rest of the curve (and stall the fit).
    :math:`V_1 = nV_t \ln(J_{ph}/J_0)`, the open-circuit voltage of the same diode without resistances, is
    fitted in place of :math:`\ln J_0`: the data fix it closely, whereas :math:`\ln J_0` and n move together
    (a larger n with a larger J0 gives nearly the same curve), which slows the fit down. The shunt is fitted as
    a conductance because "no shunt", :math:`G_{sh} = 0`, is then an ordinary point with a finite standard
    error, where :math:`\ln R_{sh}` would run off to infinity. The Jacobian follows from implicit
    differentiation of :math:`F = J_{ph} - J_0(e^{V_d/nV_t} - 1) - G_{sh} V_d - J = 0`, :math:`V_d = V + J R_s`:

    .. math::

        \frac{\partial J}{\partial \theta_k} = \frac{\partial F/\partial \theta_k}{1 + R_s g_d}, \qquad
        g_d = \frac{J_0 e^{V_d/nV_t}}{nV_t} + G_{sh}.

    The start comes from the data: :math:`G_{sh}` from the slope :math:`-dJ/dV` of the points below
    0.3 Voc, and for each (n, Rs) on a grid (n from 0.8 to 5, Rs from 0 to the slope :math:`-dV/dJ` across
    Voc) the :math:`J_{ph}` and :math:`J_0` that put the curve through the measured Jsc and Voc; the grid
    point closest to the data starts the fit. Standard errors come from
    :math:`C = s^2 (J^\mathsf{T} J)^{-1}` of the weighted residuals :math:`r_i`, :math:`s^2 = \sum r_i^2/(N - 5)`
    (:func:`qdpv.stability.covariance_from_jacobian`), carried over to :math:`\ln J_0` and to Jsc, Voc, FF and
    PCE to first order: the scatter about the fit is taken as the measurement noise, so they hold for
    independent noise on J and a model that describes the data.

    The figures of merit come both from the fitted curve (``jsc_mA_cm2``, ``voc_V``, ``ff``, ``pce_percent``:
    :func:`metrics` of the fitted parameters) and from the points alone (``measured``; see :class:`JVFit`).

    Parameters
    ----------
    voltage_V : array_like
        Voltages in V of one sweep, 1-D, finite, strictly increasing or strictly decreasing, at least 8
        points, reaching 0 V or below, with at least 3 points between 0 V and Voc and at least one past Voc.
    j_mA_cm2 : array_like
        Measured current density in mA/cm2 at each voltage, finite, in the photovoltaic sign convention
        (> 0 at 0 V, crossing 0 at a positive voltage).
    temperature_K : float
        Cell temperature in K, in (0, 1000] (it sets :math:`V_t = kT/q`, the unit of n).
    incident_power_mW_cm2 : float
        Incident light power in mW/cm2, > 0 (100 mW/cm2 = 1 sun), for the PCE.

    Returns
    -------
    JVFit
        Fitted parameters with standard errors, figures of merit of the fit and of the points, residual RMS,
        number of points, the parameters left on a bound, and the fitted curve as a method.

    Raises
    ------
    ValueError
        If an argument is NaN, infinite or outside its range, if the arrays differ in shape, if the voltages
        are not one monotonic sweep through short and open circuit, or if J is not positive at 0 V (no power
        quadrant); the message names the parameter.

    References
    ----------
    .. [1] Jain and Kapoor (2004), see module references (the explicit model).
    .. [2] P. R. Bevington and D. K. Robinson, *Data Reduction and Error Analysis for the Physical Sciences*,
       3rd ed., McGraw-Hill (2003), ch. 8 and 11 (least squares, parameter errors and their propagation).

    Examples
    --------
    >>> v = np.linspace(-0.1, 1.3, 25)
    >>> fit = fit_jv(v, current_density(v, 22.0, 1e-12, 1.5, 2.0, 3000.0))
    >>> print(f"n = {fit.ideality:.2f}, Rs = {fit.rs_ohm_cm2:.2f} ohm cm2, PCE = {fit.pce_percent:.2f} %")
    n = 1.50, Rs = 2.00 ohm cm2, PCE = 21.15 %
    """
    t = check_array("temperature_K", temperature_K, *spectra.TEMPERATURE_RANGE_K, unit="K")
    p_in = check_array("incident_power_mW_cm2", incident_power_mW_cm2, 0.0, np.inf, unit="mW/cm2")
    for name, value in (("temperature_K", t), ("incident_power_mW_cm2", p_in)):
        if value.size != 1:
            raise ValueError(f"{name} must be a single value, got {value.size} values")
    t, p_in = float(t.item()), float(p_in.item())
    sweep = _checked_sweep(voltage_V, j_mA_cm2, "voltage_V", "j_mA_cm2")
    v, j = sweep.voltage_V, sweep.j_mA_cm2
    vt = float(thermal_voltage_V(t))
    lower = np.array([0.0, -np.inf, _FIT_IDEALITY_BOUNDS[0], 0.0, 0.0])
    upper = np.array([np.inf, np.inf, _FIT_IDEALITY_BOUNDS[1], np.inf, np.inf])
    weight = np.maximum(1.0, np.abs(j) / sweep.jsc_mA_cm2)  # far forward points count relative to |J|
    sol = least_squares(
        lambda y: (_current(v, *_diode_at(y, vt)) - j) / weight,
        np.clip(_fit_start(sweep, vt), lower, upper),
        jac=lambda y: _jv_jacobian(y, v, vt) / weight[:, np.newaxis],
        bounds=(lower, upper),
        x_scale="jac",
        ftol=_FIT_TOL,
        xtol=_FIT_TOL,
        gtol=_FIT_TOL,
        max_nfev=_FIT_MAX_EVALUATIONS,
    )
    y = sol.x
    converged = bool(sol.status > 0)
    cov_y = covariance_from_jacobian(sol.jac, sol.fun, errors_known=False)
    if not converged:
        cov_y = np.full_like(cov_y, np.nan)
    # carry the covariance over from V1 to ln J0 = ln Jph - V1/(n Vt)
    to_public = np.eye(5)
    to_public[1, :3] = [1.0 / y[0], -1.0 / (y[2] * vt), y[1] / (y[2] ** 2 * vt)]
    cov = to_public @ cov_y @ to_public.T
    se = np.sqrt(np.diag(cov))
    # figures of merit at y and, for their first-order errors, forward differences in each fit parameter
    # (n steps down, away from its upper bound; Rs and Gsh step up, away from 0)
    step = 1e-6 * np.array([y[0], max(abs(y[1]), 1.0), -y[2], max(y[3], 1.0), max(y[4], 1e-3)])
    m = _metrics_at(y[:, np.newaxis] + np.column_stack([np.zeros(5), np.diag(step)]), vt, t, p_in)
    figs = np.array([m.jsc_mA_cm2, m.voc_V, m.ff, m.pce_percent])
    grad = (figs[:, 1:] - figs[:, :1]) / step
    fig_se = np.sqrt(np.einsum("ik,kl,il->i", grad, cov_y, grad))
    j0 = float(np.exp(_ln_j0(y, vt)))
    g, g_se = np.float64(y[4]), np.float64(se[4])
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        rsh, rsh_se = 1e3 / g, (1e3 * g_se / g**2 if g > 0 else np.inf)  # both inf for no shunt
    return JVFit(
        jsc_mA_cm2=float(m.jsc_mA_cm2[0]),
        voc_V=float(m.voc_V[0]),
        ff=float(m.ff[0]),
        pce_percent=float(m.pce_percent[0]),
        vmp_V=float(m.vmp_V[0]),
        jmp_mA_cm2=float(m.jmp_mA_cm2[0]),
        jsc_se_mA_cm2=float(fig_se[0]),
        voc_se_V=float(fig_se[1]),
        ff_se=float(fig_se[2]),
        pce_se_percent=float(fig_se[3]),
        measured=_measured_metrics(sweep, p_in),
        jph_mA_cm2=float(y[0]),
        j0_mA_cm2=j0,
        ideality=float(y[2]),
        rs_ohm_cm2=float(y[3]),
        rsh_ohm_cm2=float(rsh),
        jph_se_mA_cm2=float(se[0]),
        j0_se_mA_cm2=j0 * float(se[1]),
        ideality_se=float(se[2]),
        rs_se_ohm_cm2=float(se[3]),
        rsh_se_ohm_cm2=float(rsh_se),
        ln_j0_se=float(se[1]),
        gsh_mS_cm2=float(g),
        gsh_se_mS_cm2=float(g_se),
        covariance=cov,
        at_bound=tuple(name for name, active in zip(_FIT_PARAMETERS, sol.active_mask, strict=True) if active),
        converged=converged,
        residual_rms_mA_cm2=float(np.sqrt(np.mean(sol.fun**2))),
        n_points=int(v.size),
        temperature_K=t,
    )


def hysteresis_index(
    forward_voltage_V: np.ndarray,
    forward_j_mA_cm2: np.ndarray,
    reverse_voltage_V: np.ndarray,
    reverse_j_mA_cm2: np.ndarray,
) -> float:
    r"""Hysteresis index of a forward and a reverse J-V sweep of one cell: the relative efficiency lost forward.

    .. math::

        HI = \frac{PCE_{rev} - PCE_{fwd}}{PCE_{rev}} = \frac{P_{max,rev} - P_{max,fwd}}{P_{max,rev}}

    the definition most used for perovskite cells (Habisreutinger, Noel and Snaith 2018). 0 means the sweeps
    deliver the same maximum power; it is positive when the reverse sweep (open towards short circuit) gives
    more, negative for "inverted" hysteresis, and below 1. The maximum power of each sweep is read off its
    points, without a model (a parabola through the best point and its two neighbours, as in
    :class:`JVFit`'s ``measured``): a hysteretic sweep is often not a single-diode curve. The light power
    cancels. HI depends on the scan rate, the voltage range and the preconditioning of the cell as much as on
    the cell; it is not a material constant, and the stabilised power at the maximum power point is the
    number to report as the efficiency (Snaith et al. 2014).

    Parameters
    ----------
    forward_voltage_V, forward_j_mA_cm2 : array_like
        The forward sweep (short towards open circuit): voltages in V and current densities in mA/cm2, each
        checked as the sweep of :func:`fit_jv` (1-D, finite, at least 8 points, monotonic voltages through
        0 V and past Voc, J > 0 at 0 V). Points in either order.
    reverse_voltage_V, reverse_j_mA_cm2 : array_like
        The reverse sweep, checked the same way.

    Returns
    -------
    float
        The hysteresis index HI (dimensionless, below 1).

    Raises
    ------
    ValueError
        If either sweep fails the checks of :func:`fit_jv`; the message names the parameter.

    References
    ----------
    .. [1] S. N. Habisreutinger, N. K. Noel and H. J. Snaith, "Hysteresis index: a figure without merit for
       quantifying hysteresis in perovskite solar cells", ACS Energy Lett. 3, 2472-2476 (2018).
    .. [2] H. J. Snaith et al., "Anomalous hysteresis in perovskite solar cells", J. Phys. Chem. Lett. 5,
       1511-1515 (2014), doi:10.1021/jz500113x.

    Examples
    --------
    >>> v = np.linspace(-0.1, 1.3, 30)
    >>> reverse = current_density(v, 22.0, 1e-12, 1.5, 2.0, 3000.0)
    >>> forward = current_density(v, 22.0, 1e-12, 1.5, 6.0, 1000.0)
    >>> print(f"HI = {hysteresis_index(v, forward, v[::-1], reverse[::-1]):.3f}")
    HI = 0.107
    """
    forward = _checked_sweep(forward_voltage_V, forward_j_mA_cm2, "forward_voltage_V", "forward_j_mA_cm2")
    reverse = _checked_sweep(reverse_voltage_V, reverse_j_mA_cm2, "reverse_voltage_V", "reverse_j_mA_cm2")
    p_fwd = _measured_metrics(forward, 100.0).pce_percent
    p_rev = _measured_metrics(reverse, 100.0).pce_percent
    return float((p_rev - p_fwd) / p_rev)
