r"""Single-diode solar cell: explicit J-V curve, Voc, Jsc, FF, PCE, and the detailed-balance limit.

The model is the single-diode equation in the photovoltaic sign convention (current positive in the power
quadrant), per unit area:

.. math::

    J = J_{ph} - J_0 \left[\exp\!\left(\frac{V + J R_s}{n k T/q}\right) - 1\right] - \frac{V + J R_s}{R_{sh}}

Units: J in mA/cm2, V in V, R in ohm cm2 (so J R is in mV; the code converts), T in K.

Everything broadcasts over arrays: pass arrays of parameters to evaluate many devices at once.

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

from typing import NamedTuple

import numpy as np
from scipy.special import wrightomega

from . import spectra
from ._validate import check_array
from .constants import BOLTZMANN_EV_K

__all__ = [
    "DiodeMetrics",
    "JVCurve",
    "LossBreakdown",
    "current_density",
    "detailed_balance",
    "detailed_balance_curve",
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
