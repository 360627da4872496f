r"""Carrier dynamics: time-resolved PL decays, average lifetimes and thermal quenching of PL.

What is here
------------
* :func:`decay_counts` and :func:`simulate_decay`: a sum of exponentials plus a flat background, as the
  expected counts per bin of a time-correlated single-photon-counting (TCSPC) histogram, and a Poisson
  (photon-counting) draw from it.
* :func:`fit_decay`: mono- or bi-exponential fit by **Poisson maximum likelihood** (not least squares), with
  standard errors from the inverse Fisher information.
* :func:`amplitude_weighted_lifetime_ns`, :func:`intensity_weighted_lifetime_ns`: the two "average
  lifetimes" that papers quote, which differ and must not be mixed up.
* :func:`thermal_quenching_intensity`, :func:`fit_thermal_quenching`: integrated PL versus temperature,
  :math:`I(T) = I_0 / (1 + A e^{-E_a/k_BT})`, fitted for the activation energy.

A learner's files are read by :func:`qdpv.io.read_decay_csv` (a TCSPC histogram; its ``from_peak()`` is the tail
:func:`fit_decay` takes) and :func:`qdpv.io.read_pl_temperature_csv`.

Simplifications (said once here and again where they matter): the decay starts at :math:`t=0` and the
instrument response function is neglected (a "tail fit", valid for lifetimes well above the IRF width);
bins are narrow enough that the rate is evaluated at the bin time rather than integrated over the bin.

References
----------
.. [1] J. R. Lakowicz, *Principles of Fluorescence Spectroscopy*, 3rd ed., Springer (2006), ch. 4
   (time-domain lifetime measurements, multi-exponential decays and mean lifetimes).
.. [2] A. Sillen, Y. Engelborghs, "The correct use of 'average' fluorescence parameters",
   Photochem. Photobiol. 67, 475-486 (1998).
.. [3] T. A. Laurence, B. A. Chromy, "Efficient maximum likelihood estimator fitting of histograms",
   Nat. Methods 7, 338-339 (2010).
.. [4] D. Bimberg, M. Sondergeld, E. Grobe, "Thermal dissociation of excitons bounds to neutral acceptors
   in high-purity GaAs", Phys. Rev. B 4, 3451-3455 (1971) (origin of the one-channel quenching form).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from ._fitting import covariance_from_jacobian
from ._validate import check_array, check_increasing
from .constants import BOLTZMANN_EV_K

__all__ = [
    "BOLTZMANN_eV_K",
    "DecayFit",
    "ThermalQuenchingFit",
    "amplitude_weighted_lifetime_ns",
    "decay_counts",
    "fit_decay",
    "fit_thermal_quenching",
    "intensity_weighted_lifetime_ns",
    "simulate_decay",
    "thermal_quenching_intensity",
]

BOLTZMANN_eV_K = BOLTZMANN_EV_K
"""Boltzmann constant in eV/K, the same number as :data:`qdpv.constants.BOLTZMANN_EV_K`."""

_MU_FLOOR = 1e-12  # counts/bin; keeps log(mu) finite where a pure decay underflows (no physical meaning)


def _components(amplitudes: object, lifetimes_ns: object) -> tuple[np.ndarray, np.ndarray]:
    a = check_array("amplitudes", amplitudes, 0.0, np.inf, lo_closed=True, min_size=1)
    tau = check_array("lifetimes_ns", lifetimes_ns, 0.0, np.inf, unit="ns", hi_closed=False, min_size=1)
    if a.shape[-1:] != tau.shape[-1:]:
        raise ValueError(
            f"amplitudes and lifetimes_ns must have the same number of components (last axis), "
            f"got {a.shape} and {tau.shape}"
        )
    return a, tau


def decay_counts(
    time_ns: object,
    amplitudes: Sequence[float] | np.ndarray,
    lifetimes_ns: Sequence[float] | np.ndarray,
    background: float = 0.0,
) -> np.ndarray:
    r"""Expected counts per bin of a multi-exponential PL decay with a flat background.

    .. math:: \mu(t) = \sum_i a_i\, e^{-t/\tau_i} + b

    (Lakowicz [1]_, ch. 4, without the instrument response: a tail model.)

    Parameters
    ----------
    time_ns : array_like
        Bin times in ns, :math:`t \ge 0`; any shape.
    amplitudes : sequence of float
        :math:`a_i`, counts per bin at :math:`t = 0` of each component, :math:`\ge 0`.
    lifetimes_ns : sequence of float
        :math:`\tau_i` in ns, :math:`> 0`, same length as ``amplitudes``.
    background : float
        :math:`b`, counts per bin (dark counts, afterpulsing), :math:`\ge 0`.

    Returns
    -------
    numpy.ndarray
        :math:`\mu`, same shape as ``time_ns``.

    Raises
    ------
    ValueError
        For negative times, amplitudes or background, non-positive lifetimes, NaN, or mismatched lengths.

    References
    ----------
    .. [1] Lakowicz (2006), ch. 4.

    Examples
    --------
    One lifetime (5 ns) after the pulse the signal above the background has fallen to 1/e of 1000 counts:

    >>> [round(float(c), 1) for c in decay_counts([0.0, 5.0, 10.0], [1000.0], [5.0], background=10.0)]
    [1010.0, 377.9, 145.3]
    """
    t = check_array("time_ns", time_ns, 0.0, np.inf, unit="ns", lo_closed=True)
    a, tau = _components(amplitudes, lifetimes_ns)
    b = check_array("background", background, 0.0, np.inf, lo_closed=True)
    return np.exp(-t[..., None] / tau) @ a + b


def simulate_decay(
    time_ns: object,
    amplitudes: Sequence[float] | np.ndarray,
    lifetimes_ns: Sequence[float] | np.ndarray,
    background: float = 0.0,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    r"""Draw a photon-counting histogram: independent Poisson counts around :func:`decay_counts`.

    .. math:: n_k \sim \mathrm{Poisson}\bigl(\mu(t_k)\bigr)

    Parameters
    ----------
    time_ns, amplitudes, lifetimes_ns, background
        As in :func:`decay_counts`.
    rng : numpy.random.Generator or int or None
        Random generator, or a seed for ``numpy.random.default_rng``. Pass a fixed seed for reproducibility.

    Returns
    -------
    numpy.ndarray of int
        Counts per bin, same shape as ``time_ns``.

    Raises
    ------
    ValueError
        As :func:`decay_counts`.

    References
    ----------
    .. [1] Laurence & Chromy (2010): TCSPC bin counts are Poisson distributed.

    Examples
    --------
    A fixed seed gives the same histogram every time:

    >>> import numpy as np
    >>> t = np.arange(0.0, 50.0, 0.5)
    >>> counts = simulate_decay(t, [1000.0], [5.0], background=10.0, rng=1)
    >>> counts.shape, bool((counts == simulate_decay(t, [1000.0], [5.0], background=10.0, rng=1)).all())
    ((100,), True)
    """
    mu = decay_counts(time_ns, amplitudes, lifetimes_ns, background)
    return np.random.default_rng(rng).poisson(mu)


def amplitude_weighted_lifetime_ns(amplitudes: object, lifetimes_ns: object) -> np.ndarray:
    r"""Amplitude-weighted average lifetime (proportional to the steady-state intensity).

    .. math:: \langle\tau\rangle_a = \frac{\sum_i a_i \tau_i}{\sum_i a_i}

    Equals the area under the decay divided by its value at :math:`t=0`. Use it to compare quantum yields
    or quenching (Sillen & Engelborghs [2]_); it is *not* the mean time a photon waits.

    Parameters
    ----------
    amplitudes : array_like
        :math:`a_i \ge 0` (any common unit); components on the last axis, broadcasting over the others.
    lifetimes_ns : array_like
        :math:`\tau_i` in ns, :math:`> 0`, components on the last axis.

    Returns
    -------
    numpy.ndarray
        :math:`\langle\tau\rangle_a` in ns.

    Raises
    ------
    ValueError
        For negative amplitudes, non-positive lifetimes, NaN, mismatched component counts, or all amplitudes
        zero.

    References
    ----------
    .. [1] Lakowicz (2006), ch. 4 (mean lifetimes of multi-exponential decays).
    .. [2] Sillen & Engelborghs, Photochem. Photobiol. 67, 475 (1998).

    Examples
    --------
    A fast (2 ns) and a slow (10 ns) component holding 80 % and 20 % of the amplitude:

    >>> round(float(amplitude_weighted_lifetime_ns([800.0, 200.0], [2.0, 10.0])), 3)
    3.6
    """
    a, tau = _components(amplitudes, lifetimes_ns)
    total = _positive_sum(a)
    return np.sum(a * tau, axis=-1) / total


def intensity_weighted_lifetime_ns(amplitudes: object, lifetimes_ns: object) -> np.ndarray:
    r"""Intensity-weighted average lifetime (the mean arrival time of the emitted photons).

    .. math:: \langle\tau\rangle_I = \frac{\sum_i a_i \tau_i^2}{\sum_i a_i \tau_i}
              = \frac{\int_0^\infty t\, I(t)\, dt}{\int_0^\infty I(t)\, dt}

    Always :math:`\ge \langle\tau\rangle_a`; the two agree only for a single exponential.

    Parameters
    ----------
    amplitudes : array_like
        :math:`a_i \ge 0`; components on the last axis, broadcasting over the others.
    lifetimes_ns : array_like
        :math:`\tau_i` in ns, :math:`> 0`.

    Returns
    -------
    numpy.ndarray
        :math:`\langle\tau\rangle_I` in ns.

    Raises
    ------
    ValueError
        As :func:`amplitude_weighted_lifetime_ns`.

    References
    ----------
    .. [1] Lakowicz (2006), ch. 4.
    .. [2] Sillen & Engelborghs (1998).

    Examples
    --------
    The decay of the :func:`amplitude_weighted_lifetime_ns` example (3.6 ns there): the slow component emits most
    of the photons, so their mean arrival time is much later.

    >>> round(float(intensity_weighted_lifetime_ns([800.0, 200.0], [2.0, 10.0])), 3)
    6.444
    """
    a, tau = _components(amplitudes, lifetimes_ns)
    _positive_sum(a)
    return np.sum(a * tau**2, axis=-1) / np.sum(a * tau, axis=-1)


def _positive_sum(a: np.ndarray) -> np.ndarray:
    total = np.sum(a, axis=-1)
    if np.any(total <= 0):
        raise ValueError("amplitudes must not all be zero, got sum 0")
    return total


@dataclass(frozen=True)
class DecayFit:
    """Result of :func:`fit_decay` (components sorted by increasing lifetime).

    Attributes
    ----------
    amplitudes, amplitudes_se : numpy.ndarray
        Fitted :math:`a_i` (counts per bin at :math:`t=0`) and standard errors.
    lifetimes_ns, lifetimes_se_ns : numpy.ndarray
        Fitted :math:`\\tau_i` in ns and standard errors.
    background, background_se : float
        Flat background in counts per bin (0 and nan when not fitted).
    covariance : numpy.ndarray
        Covariance of ``(a_1..a_n, tau_1..tau_n[, b])`` from the inverse Fisher information.
    deviance : float
        Poisson deviance :math:`2\\sum[\\mu - n + n\\ln(n/\\mu)]`; about ``dof`` for a good fit.
    dof : int
        Number of bins minus number of fitted parameters.
    method : str
        ``"poisson-mle"``.
    """

    amplitudes: np.ndarray
    amplitudes_se: np.ndarray
    lifetimes_ns: np.ndarray
    lifetimes_se_ns: np.ndarray
    background: float
    background_se: float
    covariance: np.ndarray
    deviance: float
    dof: int
    method: str = "poisson-mle"

    @property
    def amplitude_weighted_lifetime_ns(self) -> float:
        """:func:`amplitude_weighted_lifetime_ns` of the fitted components."""
        return float(amplitude_weighted_lifetime_ns(self.amplitudes, self.lifetimes_ns))

    @property
    def intensity_weighted_lifetime_ns(self) -> float:
        """:func:`intensity_weighted_lifetime_ns` of the fitted components."""
        return float(intensity_weighted_lifetime_ns(self.amplitudes, self.lifetimes_ns))

    @property
    def amplitude_weighted_lifetime_se_ns(self) -> float:
        r"""Delta-method standard error of :math:`\langle\tau\rangle_a` (analytic gradient)."""
        a, tau = self.amplitudes, self.lifetimes_ns
        mean = self.amplitude_weighted_lifetime_ns
        return self._delta_se((tau - mean) / a.sum(), a / a.sum())

    @property
    def intensity_weighted_lifetime_se_ns(self) -> float:
        r"""Delta-method standard error of :math:`\langle\tau\rangle_I` (analytic gradient)."""
        a, tau = self.amplitudes, self.lifetimes_ns
        mean = self.intensity_weighted_lifetime_ns
        norm = np.sum(a * tau)
        return self._delta_se(tau * (tau - mean) / norm, a * (2 * tau - mean) / norm)

    def _delta_se(self, d_amplitudes: np.ndarray, d_lifetimes: np.ndarray) -> float:
        n = self.amplitudes.size
        grad = np.zeros(self.covariance.shape[0])
        grad[:n], grad[n : 2 * n] = d_amplitudes, d_lifetimes
        return float(np.sqrt(grad @ self.covariance @ grad))


def fit_decay(
    time_ns: object,
    counts: object,
    n_components: int = 1,
    background: bool = True,
) -> DecayFit:
    r"""Fit a mono- or bi-exponential decay to a photon-counting histogram by Poisson maximum likelihood.

    Minimises the Poisson deviance (equivalent to maximising the Poisson likelihood)

    .. math:: D(\theta) = 2\sum_k \Bigl[\mu_k(\theta) - n_k + n_k \ln\frac{n_k}{\mu_k(\theta)}\Bigr]

    with :math:`\mu` from :func:`decay_counts`, written as a sum of squared signed deviance residuals so that
    a Levenberg-Marquardt-type solver applies (Laurence & Chromy [3]_). Least squares (even with
    :math:`1/n_k` weights) is biased for the low counts in a decay's tail; the MLE is not. Standard errors
    are the square roots of the diagonal of the inverse Fisher information
    :math:`F = J^\mathsf{T}\,\mathrm{diag}(1/\mu)\,J`, :math:`J = \partial\mu/\partial\theta`.

    Starting values come from a grid of lifetimes with amplitudes from non-negative least squares, so the fit
    needs no guesses from the user. Tail fit: the instrument response is neglected (see module notes).

    Parameters
    ----------
    time_ns : array_like
        Bin times in ns, 1-D, :math:`\ge 0`, strictly increasing.
    counts : array_like
        Counts per bin (non-negative), same length as ``time_ns``.
    n_components : int
        1 (mono-exponential) or 2 (bi-exponential).
    background : bool
        Fit a flat background :math:`b \ge 0` (otherwise :math:`b = 0`).

    Returns
    -------
    DecayFit

    Raises
    ------
    ValueError
        For bad times or counts, mismatched lengths, ``n_components`` not 1 or 2, no counts at all, or fewer
        bins than parameters.

    References
    ----------
    .. [1] Lakowicz (2006), ch. 4.
    .. [3] Laurence & Chromy, Nat. Methods 7, 338 (2010).

    Examples
    --------
    The expected counts of a known decay give its lifetimes back; the standard errors are then those a
    measurement of that many photons would have:

    >>> import numpy as np
    >>> t = np.arange(0.0, 60.0, 0.25)
    >>> fit = fit_decay(t, decay_counts(t, [800.0, 200.0], [2.0, 10.0], 5.0), n_components=2)
    >>> [round(float(x), 2) for x in fit.lifetimes_ns], [round(float(x), 2) for x in fit.lifetimes_se_ns]
    ([2.0, 10.0], [0.08, 0.42])
    """
    if n_components not in (1, 2):
        raise ValueError(f"n_components must be 1 or 2, got {n_components!r}")
    n_par = 2 * n_components + int(background)
    t = check_array("time_ns", time_ns, 0.0, np.inf, unit="ns", lo_closed=True, min_size=n_par).ravel()
    check_increasing("time_ns", t)
    y = check_array("counts", counts, 0.0, np.inf, lo_closed=True, hi_closed=False).ravel()
    if y.size != t.size:
        raise ValueError(f"counts must have the same length as time_ns ({t.size}), got {y.size}")
    if y.sum() <= 0:
        raise ValueError("counts must contain at least one photon, got all zeros")

    theta0 = _initial_guess(t, y, n_components, background)
    jac_mu = _mu_jacobian(t, n_components, background)
    sol = optimize.least_squares(
        lambda p: _deviance_residuals(y, _mu(t, p, n_components, background)),
        theta0,
        jac=lambda p: _deviance_jacobian(y, _mu(t, p, n_components, background), jac_mu(p)),
        bounds=(np.r_[np.zeros(n_components), np.full(n_components, 1e-6 * t[-1]), np.zeros(int(background))],
                np.inf),
        x_scale="jac",
    )
    theta = sol.x
    mu = _mu(t, theta, n_components, background)
    j = jac_mu(theta)
    cov = covariance_from_jacobian(j / np.sqrt(mu)[:, None])
    se = np.sqrt(np.diag(cov))
    order = np.argsort(theta[n_components : 2 * n_components])
    perm = np.r_[order, n_components + order, np.arange(2 * n_components, n_par)].astype(int)
    theta, se, cov = theta[perm], se[perm], cov[np.ix_(perm, perm)]
    return DecayFit(
        amplitudes=theta[:n_components],
        amplitudes_se=se[:n_components],
        lifetimes_ns=theta[n_components : 2 * n_components],
        lifetimes_se_ns=se[n_components : 2 * n_components],
        background=float(theta[-1]) if background else 0.0,
        background_se=float(se[-1]) if background else float("nan"),
        covariance=cov,
        deviance=float(np.sum(_deviance_residuals(y, mu) ** 2)),
        dof=t.size - n_par,
    )


def _mu(t: np.ndarray, p: np.ndarray, n: int, background: bool) -> np.ndarray:
    mu = np.exp(-t[:, None] / p[n : 2 * n]) @ p[:n] + (p[-1] if background else 0.0)
    return np.maximum(mu, _MU_FLOOR)


def _mu_jacobian(t: np.ndarray, n: int, background: bool):
    def jac(p: np.ndarray) -> np.ndarray:
        e = np.exp(-t[:, None] / p[n : 2 * n])
        cols = [e, e * p[:n] * t[:, None] / p[n : 2 * n] ** 2]
        if background:
            cols.append(np.ones((t.size, 1)))
        return np.hstack(cols)

    return jac


def _deviance_terms(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    log_term = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0)
    return np.maximum(2.0 * (mu - y + log_term), 0.0)


def _deviance_residuals(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    return np.sign(y - mu) * np.sqrt(_deviance_terms(y, mu))


def _deviance_jacobian(y: np.ndarray, mu: np.ndarray, j_mu: np.ndarray) -> np.ndarray:
    # d r / d mu = (1 - y/mu) / r, whose limit at r -> 0 is -1/sqrt(mu) (r ~ (y - mu)/sqrt(mu) there)
    r = _deviance_residuals(y, mu)
    small = np.abs(r) < 1e-6
    dr_dmu = np.where(small, -1.0 / np.sqrt(mu), (1.0 - y / mu) / np.where(small, 1.0, r))
    return dr_dmu[:, None] * j_mu


def _initial_guess(t: np.ndarray, y: np.ndarray, n: int, background: bool) -> np.ndarray:
    span = t[-1] - t[0]
    step = np.median(np.diff(t))
    grid = np.geomspace(max(step, 1e-3 * span), 2.0 * span, 16)
    sets = grid[:, None] if n == 1 else np.array([(s, g) for i, s in enumerate(grid) for g in grid[i + 1 :]])
    w = 1.0 / np.sqrt(np.maximum(y, 1.0))  # Neyman weights: only to choose a start, not for the fit
    best, best_cost = None, np.inf
    for taus in sets:
        design = np.exp(-t[:, None] / taus)
        if background:
            design = np.hstack([design, np.ones((t.size, 1))])
        coef, rnorm = optimize.nnls(design * w[:, None], y * w)
        if rnorm < best_cost:
            best, best_cost = np.r_[coef[:n], taus, coef[n:]], rnorm
    best[:n] = np.maximum(best[:n], 1e-3 * y.max())  # keep every component alive for the solver
    if background:
        best[-1] = max(best[-1], 1e-3)
    return best


# ---------------------------------------------------------------------------------------------------------
# thermal quenching of PL
# ---------------------------------------------------------------------------------------------------------


def thermal_quenching_intensity(
    temperature_K: object, i0: object, a: object, ea_eV: object
) -> np.ndarray:
    r"""Integrated PL intensity with one thermally activated non-radiative channel.

    .. math:: I(T) = \frac{I_0}{1 + A\, e^{-E_a / k_B T}}

    Phenomenological (Arrhenius-type) form: one activated loss channel whose rate relative to the radiative
    rate is :math:`A e^{-E_a/k_BT}`; introduced for bound excitons by Bimberg et al. [4]_ and widely used
    to extract an activation (often read as exciton binding or trap) energy from the PL of perovskite
    nanocrystals. :math:`I(0) = I_0`; the intensity has halved where :math:`E_a = k_BT\ln A`.

    Parameters
    ----------
    temperature_K : array_like
        Temperature in K, :math:`> 0`.
    i0 : array_like
        :math:`I_0`, low-temperature intensity (any unit), :math:`> 0`.
    a : array_like
        :math:`A`, dimensionless ratio of the pre-factors, :math:`\ge 0`.
    ea_eV : array_like
        :math:`E_a` in eV, :math:`\ge 0`.

    Returns
    -------
    numpy.ndarray
        :math:`I(T)` in the unit of ``i0``, broadcast over all inputs.

    Raises
    ------
    ValueError
        For non-positive temperature or ``i0``, negative ``a`` or ``ea_eV``, or NaN.

    References
    ----------
    .. [4] Bimberg, Sondergeld, Grobe, Phys. Rev. B 4, 3451 (1971).

    Examples
    --------
    With :math:`A` = 100 and :math:`E_a` = 60 meV the PL has halved at :math:`E_a / (k_B \ln A)` = 151.2 K:

    >>> [round(float(i), 3) for i in thermal_quenching_intensity([10.0, 151.2, 300.0], 1.0, 100.0, 0.06)]
    [1.0, 0.5, 0.092]
    """
    temp = check_array("temperature_K", temperature_K, 0.0, np.inf, unit="K", hi_closed=False)
    i0 = check_array("i0", i0, 0.0, np.inf, hi_closed=False)
    a = check_array("a", a, 0.0, np.inf, lo_closed=True, hi_closed=False)
    ea = check_array("ea_eV", ea_eV, 0.0, 10.0, unit="eV", lo_closed=True)
    return i0 / (1.0 + a * np.exp(-ea / (BOLTZMANN_eV_K * temp)))


@dataclass(frozen=True)
class ThermalQuenchingFit:
    """Result of :func:`fit_thermal_quenching`.

    Attributes
    ----------
    i0, a, ea_eV : float
        Fitted :math:`I_0`, :math:`A`, :math:`E_a` (eV).
    i0_se, a_se, ea_se_eV : float
        Standard errors (nan if the data do not determine them: as many points as parameters and no
        ``intensity_se`` given).
    covariance : numpy.ndarray
        Covariance of ``(i0, ln A, ea_eV)``.
    dof : int
        Number of points minus 3.
    """

    i0: float
    a: float
    ea_eV: float
    i0_se: float
    a_se: float
    ea_se_eV: float
    covariance: np.ndarray
    dof: int

    @property
    def ea_meV(self) -> float:
        """Activation energy in meV."""
        return 1e3 * self.ea_eV

    @property
    def ea_se_meV(self) -> float:
        """Standard error of the activation energy in meV."""
        return 1e3 * self.ea_se_eV

    def intensity(self, temperature_K: object) -> np.ndarray:
        """:func:`thermal_quenching_intensity` with the fitted parameters."""
        return thermal_quenching_intensity(temperature_K, self.i0, self.a, self.ea_eV)


def fit_thermal_quenching(
    temperature_K: object, intensity: object, intensity_se: object | None = None
) -> ThermalQuenchingFit:
    r"""Fit :func:`thermal_quenching_intensity` to integrated PL versus temperature (weighted least squares).

    Minimises :math:`\sum_k [(I_k - I(T_k))/\sigma_k]^2` over :math:`(I_0, \ln A, E_a)`; :math:`\ln A` is
    fitted because :math:`A` spans decades. With ``intensity_se`` given, the covariance is
    :math:`(J^\mathsf{T}J)^{-1}` of the weighted residuals (errors taken as known); without it, all points
    get equal weight and the covariance is scaled by the residual variance
    :math:`s^2 = \chi^2/(n-3)` (nan standard errors when :math:`n = 3`).

    Parameters
    ----------
    temperature_K : array_like
        Temperatures in K, 1-D, :math:`> 0`, strictly increasing, at least 3 values.
    intensity : array_like
        Integrated PL intensity (any unit), :math:`> 0`, same length.
    intensity_se : array_like, optional
        Standard error of each intensity (same unit), :math:`> 0`.

    Returns
    -------
    ThermalQuenchingFit

    Raises
    ------
    ValueError
        For bad or mismatched inputs, fewer than 3 points, or no decrease of intensity with temperature.

    References
    ----------
    .. [4] Bimberg, Sondergeld, Grobe, Phys. Rev. B 4, 3451 (1971).

    Examples
    --------
    Points computed with :math:`A` = 100 and :math:`E_a` = 60 meV give both back:

    >>> import numpy as np
    >>> temperature = np.array([10.0, 50.0, 100.0, 150.0, 200.0, 250.0, 300.0])
    >>> fit = fit_thermal_quenching(temperature, thermal_quenching_intensity(temperature, 1.0, 100.0, 0.06))
    >>> round(fit.ea_meV, 1), round(fit.a, 1)
    (60.0, 100.0)
    """
    temp = check_array("temperature_K", temperature_K, 0.0, np.inf, unit="K", hi_closed=False, min_size=3)
    temp = check_increasing("temperature_K", temp.ravel())
    y = check_array("intensity", intensity, 0.0, np.inf, hi_closed=False).ravel()
    if y.size != temp.size:
        raise ValueError(f"intensity must have the same length as temperature_K ({temp.size}), got {y.size}")
    known = intensity_se is not None
    sigma = (
        check_array("intensity_se", intensity_se, 0.0, np.inf, hi_closed=False) * np.ones_like(y)
        if known
        else np.ones_like(y)
    )
    kt = BOLTZMANN_eV_K * temp

    def model(p: np.ndarray) -> np.ndarray:
        return p[0] / (1.0 + np.exp(p[1] - p[2] / kt))

    def jac(p: np.ndarray) -> np.ndarray:
        q = np.exp(p[1] - p[2] / kt)
        d = 1.0 + q
        return np.column_stack([1.0 / d, -p[0] * q / d**2, p[0] * q / (kt * d**2)]) / sigma[:, None]

    p0 = _quenching_guess(kt, y)
    sol = optimize.least_squares(lambda p: (model(p) - y) / sigma, p0, jac=jac, x_scale="jac")
    cov = covariance_from_jacobian(sol.jac, sol.fun, errors_known=known)
    se = np.sqrt(np.diag(cov))
    a = float(np.exp(sol.x[1]))
    return ThermalQuenchingFit(
        i0=float(sol.x[0]),
        a=a,
        ea_eV=float(sol.x[2]),
        i0_se=float(se[0]),
        a_se=a * float(se[1]),
        ea_se_eV=float(se[2]),
        covariance=cov,
        dof=y.size - 3,
    )


def _quenching_guess(kt: np.ndarray, y: np.ndarray) -> np.ndarray:
    # Linearised form ln(I0/I - 1) = ln A - Ea/kT with I0 slightly above the brightest point
    i0 = 1.05 * y.max()
    z = np.log(i0 / y - 1.0)
    slope, intercept = np.polyfit(1.0 / kt, z, 1)
    if slope >= 0:
        raise ValueError("intensity must decrease with temperature_K to define an activation energy")
    return np.array([i0, intercept, -slope])
