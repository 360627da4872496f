r"""Degradation of solar cells: models, fits, T80 with uncertainty, Arrhenius acceleration, moisture.

What is here
------------
* Degradation models for the retained fraction of the initial efficiency :math:`R(t)`, all with
  :math:`R(0) = 1`: single exponential, stretched exponential (KWW), burn-in then linear
  (:func:`retained_fraction`).
* :func:`fit_degradation` returns a :class:`DegradationFit` with the parameters, their standard errors,
  ``retained_at(time_h)`` and ``time_to(fraction)`` (T80, T90 ...) with a delta-method uncertainty.
* :func:`time_to_range`: how far apart the T80 of *plausible* models lies when they all pass through the
  same few points. With the paper's single point per test this range, not a standard error, is the honest
  answer to "how long will it last?".
* :func:`arrhenius_acceleration_factor` between two temperatures.
* :func:`black_phase_fraction`: a phenomenological moisture model of the black (gamma) to yellow (delta)
  phase change of CsPbI3, with and without a SiO2 barrier; its parameters are illustrative.
* A learner's own data file is read by :func:`qdpv.io.read_degradation_csv`.

The paper's numbers (Xu et al. 2026, via :data:`qdpv.paper.PAPER`): 93.16 % of the initial PCE after
1300 h in air, 98.14 % after 1000 h of continuous illumination. A single exponential through (0, 1) and one
such point is exactly determined: T80 = 4094 h (air) and 11885 h (light). One point says nothing about the
*shape* of the curve, so these numbers carry no data-based uncertainty; see :func:`time_to_range`.

References
----------
.. [1] M. V. Khenkin et al., "Consensus statement for stability assessment and reporting for perovskite
   photovoltaics based on ISOS procedures", Nat. Energy 5, 35-49 (2020).
.. [2] G. Williams, D. C. Watts, "Non-symmetrical dielectric relaxation behaviour arising from a simple
   empirical decay function", Trans. Faraday Soc. 66, 80-85 (1970) (the KWW stretched exponential).
.. [3] S. Arrhenius, Z. Phys. Chem. 4, 226-248 (1889).
.. [4] P. R. Bevington, D. K. Robinson, *Data Reduction and Error Analysis for the Physical Sciences*,
   3rd ed., McGraw-Hill (2003), ch. 8 (least squares, covariance, propagation of errors).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats

from ._fitting import covariance_from_jacobian
from ._validate import check_array, check_choice, check_increasing
from .constants import BOLTZMANN_EV_K
from .paper import PAPER

__all__ = [
    "EXTRAPOLATION_LIMIT",
    "ILLUSTRATIVE_CONTROL_RATE_RATIO",
    "MODELS",
    "MOISTURE_PRESETS",
    "REPEATABILITY",
    "DegradationFit",
    "MoistureParams",
    "TimeTo",
    "TimeToRange",
    "arrhenius_acceleration_factor",
    "black_phase_fraction",
    "covariance_from_jacobian",
    "fit_degradation",
    "paper_points",
    "rate_scaled_time_h",
    "retained_fraction",
    "time_to_range",
]

_RETAINED_MAX = 1.5  # retained above 150 % of the initial value is taken as a unit mistake (percent?)

# ---------------------------------------------------------------------------------------------------------
# models
# ---------------------------------------------------------------------------------------------------------


def _exp_retained(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    return np.exp(-p[0] * t)


def _exp_time_to(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return -np.log(x) / p[0]


def _kww_retained(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    return np.exp(-((p[0] * t) ** p[1]))


def _kww_time_to(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return (-np.log(x)) ** (1.0 / p[1]) / p[0]


def _burn_in_retained(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    return 1.0 - p[0] * -np.expm1(-t / p[1]) - p[2] * t


def _burn_in_time_to(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    # R(t) decreases monotonically, so bisect on [0, t_hi]; both bounds below make R <= x.
    loss = 1.0 - x
    with np.errstate(divide="ignore", invalid="ignore"):
        hi_linear = np.where(p[2] > 0, loss / p[2], np.inf)
        hi_burn = np.where(p[0] > loss, -p[1] * np.log1p(-loss / p[0]), np.inf)
    hi = np.minimum(hi_linear, hi_burn)
    lo = np.zeros_like(hi)
    top = np.where(np.isfinite(hi), hi, 0.0)
    for _ in range(64):  # fixed iteration count: 2**-64 relative precision, vectorised over x
        mid = 0.5 * (lo + top)
        above = _burn_in_retained(mid, p) > x
        lo, top = np.where(above, mid, lo), np.where(above, top, mid)
    return np.where(np.isfinite(hi), 0.5 * (lo + top), np.inf)


@dataclass(frozen=True)
class _Model:
    names: tuple[str, ...]
    units: tuple[str, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    retained: Callable[[np.ndarray, np.ndarray], np.ndarray]
    time_to: Callable[[np.ndarray, np.ndarray], np.ndarray]
    equation: str


MODELS: Mapping[str, _Model] = {
    "exponential": _Model(
        ("rate_per_h",), ("1/h",), (0.0,), (np.inf,), _exp_retained, _exp_time_to, "R = exp(-k t)"
    ),
    "stretched": _Model(
        ("rate_per_h", "beta"), ("1/h", ""), (0.0, 0.05), (np.inf, 2.0), _kww_retained, _kww_time_to,
        "R = exp(-(k t)^beta)",
    ),
    "burn_in_linear": _Model(
        ("burn_in_fraction", "burn_in_time_h", "slope_per_h"), ("", "h", "1/h"), (0.0, 1e-6, 0.0),
        (1.0, np.inf, np.inf), _burn_in_retained, _burn_in_time_to, "R = 1 - A (1 - exp(-t/tau_b)) - s t",
    ),
}
"""The degradation models by name: parameter names, units, bounds and equation."""


def retained_fraction(time_h: object, model: str, params: Mapping[str, float]) -> np.ndarray:
    r"""Fraction of the initial efficiency retained after ``time_h`` under one degradation model.

    .. math::
        R_\mathrm{exp}(t) = e^{-kt}, \qquad
        R_\mathrm{KWW}(t) = e^{-(kt)^\beta}, \qquad
        R_\mathrm{burn\text{-}in}(t) = 1 - A\,(1 - e^{-t/\tau_b}) - s\,t

    All are phenomenological: they describe the shape of a measured curve, not a mechanism.
    :math:`\beta < 1` (stretched, KWW [2]_) decelerates, :math:`\beta > 1` (compressed) accelerates; the
    burn-in form is a fast initial loss of amplitude :math:`A` then a linear decline, the shape for which
    ISOS recommends quoting :math:`T_{80}` from after the burn-in as well [1]_.

    Parameters
    ----------
    time_h : array_like
        Time in h, :math:`\ge 0`.
    model : {"exponential", "stretched", "burn_in_linear"}
        Model name.
    params : mapping
        ``rate_per_h`` (:math:`k`, 1/h) for ``exponential``; ``rate_per_h`` and ``beta`` for
        ``stretched``; ``burn_in_fraction`` (:math:`A`), ``burn_in_time_h`` (:math:`\tau_b`, h) and
        ``slope_per_h`` (:math:`s`, 1/h) for ``burn_in_linear``.

    Returns
    -------
    numpy.ndarray
        :math:`R(t)`, same shape as ``time_h``.

    Raises
    ------
    ValueError
        For an unknown model, missing or out-of-range parameters, or negative/NaN times.

    References
    ----------
    .. [1] Khenkin et al. (2020).
    .. [2] Williams & Watts (1970).

    Examples
    --------
    The single exponential through the paper's air-storage point (93.16 % after 1300 h) reaches 80 % at 4094 h:

    >>> [round(float(r), 4) for r in retained_fraction([0.0, 1300.0, 4094.0], "exponential", {"rate_per_h": 5.45e-5})]
    [1.0, 0.9316, 0.8]
    """
    spec = MODELS[check_choice("model", model, MODELS)]
    t = check_array("time_h", time_h, 0.0, np.inf, unit="h", lo_closed=True)
    return spec.retained(t, _param_vector(spec, params))


def _param_vector(spec: _Model, params: Mapping[str, float]) -> np.ndarray:
    missing = [n for n in spec.names if n not in params]
    if missing:
        raise ValueError(f"params must contain {', '.join(spec.names)}, missing {', '.join(missing)}")
    return np.array(
        [
            float(check_array(n, params[n], lo, hi, unit=u, lo_closed=True))
            for n, u, lo, hi in zip(spec.names, spec.units, spec.lower, spec.upper, strict=True)
        ]
    )


# ---------------------------------------------------------------------------------------------------------
# fitting
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeTo:
    """Time until a retained fraction is reached, with its uncertainty (see :meth:`DegradationFit.time_to`).

    Attributes
    ----------
    fraction : numpy.ndarray
        The retained fraction (0.8 for T80).
    value_h : numpy.ndarray
        Best estimate in h (inf if the fitted curve never gets there).
    se_h : numpy.ndarray
        Delta-method standard error in h (nan when the fit's covariance is not determined).
    low_h, high_h : numpy.ndarray
        Confidence interval at ``level``: :math:`T\\,e^{\\pm z\\,\\mathrm{se}/T}` (delta method on ln T).
    level : float
        Confidence level of the interval.
    """

    fraction: np.ndarray
    value_h: np.ndarray
    se_h: np.ndarray
    low_h: np.ndarray
    high_h: np.ndarray
    level: float


@dataclass(frozen=True)
class DegradationFit:
    """Result of :func:`fit_degradation`.

    Attributes
    ----------
    model : str
    params, se : dict
        Fitted (or fixed) parameter values and their standard errors (0 for fixed parameters, nan when not
        determined by the data).
    fixed : tuple of str
        Names of parameters held fixed.
    covariance : numpy.ndarray
        Covariance of all parameters in ``MODELS[model].names`` order (zero rows for fixed ones).
    dof : int
        Points with ``time_h > 0`` minus free parameters.
    errors_known : bool
        True if ``retained_se`` was given (uncertainty from the stated measurement error).
    time_h, retained : numpy.ndarray
        The data fitted.
    """

    model: str
    params: dict[str, float]
    se: dict[str, float]
    fixed: tuple[str, ...]
    covariance: np.ndarray
    dof: int
    errors_known: bool
    time_h: np.ndarray = field(repr=False)
    retained: np.ndarray = field(repr=False)

    @property
    def uncertainty_determined(self) -> bool:
        """False when the data cannot give a standard error (as many points as free parameters, no
        ``retained_se``): the curve then passes exactly through the points."""
        return bool(np.all(np.isfinite(self.covariance)))

    @property
    def note(self) -> str:
        """A plain sentence on what the uncertainty rests on, for the app to show."""
        n = int(np.sum(self.time_h > 0))
        if self.errors_known:
            return f"Uncertainty from the stated measurement error of {n} point(s)."
        if not self.uncertainty_determined:
            return (
                f"{n} point(s) and {n - self.dof} free parameter(s): the curve passes exactly through the "
                "data, which cannot tell how uncertain it is. Compare models with time_to_range()."
            )
        return f"Uncertainty from the scatter of {n} points about the fit ({self.dof} degrees of freedom)."

    def _vector(self) -> np.ndarray:
        return np.array([self.params[n] for n in MODELS[self.model].names])

    def retained_at(self, time_h: object) -> np.ndarray:
        """Fitted retained fraction at ``time_h`` (h, :math:`\\ge 0`); see :func:`retained_fraction`."""
        return retained_fraction(time_h, self.model, self.params)

    def time_to(self, fraction: object = 0.8, level: float = 0.95) -> TimeTo:
        r"""Time at which the fitted curve reaches ``fraction`` of the initial efficiency (T80 for 0.8).

        Uncertainty by the delta method: :math:`\mathrm{se}_T^2 = g^\mathsf{T} C g` with
        :math:`g = \partial T/\partial\theta` by central differences and :math:`C` the fit covariance;
        the interval is :math:`T e^{\pm z\,\mathrm{se}_T/T}` (delta method on :math:`\ln T`, so it stays
        positive), :math:`z` the normal quantile for ``level``. It reflects the *parameter* uncertainty
        within the chosen model only, not the choice of model (see :func:`time_to_range`).

        Parameters
        ----------
        fraction : array_like
            Retained fraction in (0, 1).
        level : float
            Confidence level in (0, 1).

        Returns
        -------
        TimeTo

        Raises
        ------
        ValueError
            For ``fraction`` or ``level`` outside (0, 1) or NaN.

        References
        ----------
        .. [4] Bevington & Robinson (2003), section 3.2 (propagation of errors).
        """
        x = check_array("fraction", fraction, 0.0, 1.0, hi_closed=False)
        level = float(check_array("level", level, 0.0, 1.0, hi_closed=False))
        spec = MODELS[self.model]
        p = self._vector()
        value = spec.time_to(x, p)
        free = np.array([n not in self.fixed for n in spec.names])
        grad = np.zeros(x.shape + p.shape)
        with np.errstate(invalid="ignore"):
            grad[..., free] = _gradient(lambda q: spec.time_to(x, q), p, free, np.array(spec.lower))
            se = np.sqrt(np.einsum("...i,ij,...j->...", grad, self.covariance, grad))
            se = np.where(np.isfinite(value), se, np.nan)
            spread = np.exp(stats.norm.ppf(0.5 + level / 2) * se / value)
        return TimeTo(x, value, se, value / spread, value * spread, level)


def _gradient(
    func: Callable[[np.ndarray], np.ndarray], p: np.ndarray, free: np.ndarray, lower: np.ndarray
) -> np.ndarray:
    """Central-difference derivatives of ``func`` w.r.t. the free entries of ``p`` (one-sided at a bound).

    Relative step 1e-6: truncation error ~1e-12 relative for these smooth models, round-off ~1e-10.
    """
    columns = []
    for i in np.flatnonzero(free):
        h = 1e-6 * max(abs(p[i]), 1e-12)
        up, down = p.copy(), p.copy()
        up[i], down[i] = p[i] + h, max(p[i] - h, lower[i])
        columns.append((func(up) - func(down)) / (up[i] - down[i]))
    return np.stack(columns, axis=-1)


def _check_series(time_h: object, retained: object) -> tuple[np.ndarray, np.ndarray]:
    t = check_array("time_h", time_h, 0.0, np.inf, unit="h", lo_closed=True, min_size=1).ravel()
    check_increasing("time_h", t)
    r = check_array("retained", retained, 0.0, _RETAINED_MAX, min_size=1).ravel()
    if r.size != t.size:
        raise ValueError(f"retained must have the same length as time_h ({t.size}), got {r.size}")
    return t, r


def _initial_guess(model: str, t: np.ndarray, r: np.ndarray, fixed: Mapping[str, float]) -> np.ndarray:
    pos = t > 0
    if model in ("exponential", "stretched"):
        # linearised: ln(-ln R) = beta (ln k + ln t), over the points that lost something
        beta = fixed.get("beta", 0.8) if model == "stretched" else 1.0
        lost = pos & (r < 1.0)
        ln_k = np.median(np.log(-np.log(r[lost])) / beta - np.log(t[lost])) if lost.any() else np.log(1e-9)
        return np.array([np.exp(ln_k), beta][: len(MODELS[model].names)])
    loss = max(1.0 - r[pos][-1], 1e-6)
    burn = fixed.get("burn_in_fraction", 0.3 * loss)
    tau_b = fixed.get("burn_in_time_h", 0.5 * t[pos][0])
    return np.array([burn, tau_b, max(loss - burn, 1e-3 * loss) / t[-1]])


def fit_degradation(
    time_h: object,
    retained: object,
    model: str = "exponential",
    *,
    retained_se: object | None = None,
    fixed: Mapping[str, float] | None = None,
) -> DegradationFit:
    r"""Fit a degradation model (:func:`retained_fraction`) to retained-efficiency data.

    Weighted least squares, :math:`\min \sum_i [(R_i - R(t_i;\theta))/\sigma_i]^2`, with every model held
    to :math:`R(0) = 1` (data are normalised to the initial efficiency; a point at :math:`t = 0` carries no
    information and is not counted). Standard errors (:func:`covariance_from_jacobian`):

    * ``retained_se`` given: from that stated measurement error (errors known);
    * otherwise from the scatter about the fit, :math:`s^2 = \chi^2/(n - p)`; when :math:`n = p` (e.g. the
      paper's single point and the exponential) the fit is *exactly determined*, the scatter is unknown and
      the standard errors are **nan**: one point cannot tell how uncertain the curve is.
      :attr:`DegradationFit.note` says so in words.

    Parameters
    ----------
    time_h : array_like
        Times in h, 1-D, :math:`\ge 0`, strictly increasing.
    retained : array_like
        Fraction of the initial efficiency, in (0, 1.5] (values above 1.5 are rejected as a probable
        percent/fraction mix-up), same length.
    model : {"exponential", "stretched", "burn_in_linear"}
    retained_se : array_like, optional
        Standard error of each retained fraction (same unit), :math:`> 0`.
    fixed : mapping, optional
        Parameters held at given values (e.g. ``{"beta": 0.6}``), which frees the fit of them.

    Returns
    -------
    DegradationFit

    Raises
    ------
    ValueError
        For bad data (NaN, negative or non-increasing time, retained outside (0, 1.5]), unknown model or
        parameter names, or fewer points with ``time_h > 0`` than free parameters.

    References
    ----------
    .. [1] Khenkin et al. (2020).
    .. [4] Bevington & Robinson (2003), ch. 8.

    Examples
    --------
    One point and one parameter: the curve passes exactly through it, so T80 follows but its error cannot:

    >>> fit = fit_degradation(*paper_points("air"))
    >>> t80 = fit.time_to(0.8)
    >>> round(float(t80.value_h)), float(t80.se_h), fit.uncertainty_determined
    (4094, nan, False)
    """
    spec = MODELS[check_choice("model", model, MODELS)]
    t, r = _check_series(time_h, retained)
    fixed = dict(fixed or {})
    for name in fixed:
        check_choice("fixed", name, spec.names)
    free = np.array([n not in fixed for n in spec.names])
    n_info = int(np.sum(t > 0))
    if n_info < free.sum():
        raise ValueError(
            f"time_h must have at least {int(free.sum())} points with time_h > 0 for model {model!r} "
            f"({int(free.sum())} free parameters), got {n_info}"
        )
    known = retained_se is not None
    sigma = (
        check_array("retained_se", retained_se, 0.0, 1.0, hi_closed=True) * np.ones_like(r)
        if known
        else np.ones_like(r)
    )
    guess = dict(zip(spec.names, _initial_guess(model, t, r, fixed), strict=True))
    p = _param_vector(spec, {**guess, **fixed})
    lower, upper = np.array(spec.lower)[free], np.array(spec.upper)[free]
    x0 = np.clip(p[free], lower + 1e-12, upper)

    def residuals(theta: np.ndarray) -> np.ndarray:
        full = p.copy()
        full[free] = theta
        return (spec.retained(t, full) - r) / sigma

    sol = optimize.least_squares(residuals, x0, bounds=(lower, upper), jac="3-point", x_scale="jac",
                                 xtol=1e-14, ftol=1e-14, gtol=1e-14)
    p[free] = sol.x
    jac = _gradient(lambda q: spec.retained(t, q) / sigma, p, free, np.array(spec.lower))
    cov = np.zeros((p.size, p.size))
    cov[np.ix_(free, free)] = covariance_from_jacobian(jac, sol.fun, errors_known=known)
    se = np.sqrt(np.diag(cov))
    return DegradationFit(
        model=model,
        params=dict(zip(spec.names, p.tolist(), strict=True)),
        se=dict(zip(spec.names, se.tolist(), strict=True)),
        fixed=tuple(n for n in spec.names if n in fixed),
        covariance=cov,
        dof=n_info - int(free.sum()),
        errors_known=known,
        time_h=t,
        retained=r,
    )


def paper_points(test: str) -> tuple[np.ndarray, np.ndarray]:
    """The paper's single stability point for ``test`` ("air" or "light"), as ``(time_h, retained)``.

    Read from :data:`qdpv.paper.PAPER` (Xu et al. 2026): air storage 93.16 % after 1300 h; continuous
    illumination 98.14 % after 1000 h.

    Raises
    ------
    ValueError
        If ``test`` is not "air" or "light".

    Examples
    --------
    >>> [x.tolist() for x in paper_points("air")], [x.tolist() for x in paper_points("light")]
    ([[1300.0], [0.9316]], [[1000.0], [0.9814]])
    """
    check_choice("test", test, ("air", "light"))
    if test == "air":
        return np.array([PAPER.air_storage_time_h]), np.array([PAPER.air_storage_retained])
    return np.array([PAPER.light_soak_time_h]), np.array([PAPER.light_soak_retained])


EXTRAPOLATION_LIMIT = 2.0
"""A T_x beyond this many times the last measured time is flagged as an extrapolation (a common rule of
thumb: a lifetime quoted far past the test says more about the assumed curve than about the data)."""

REPEATABILITY = 0.02
"""Illustrative relative repeatability of a J-V efficiency measurement (1-2 % is typical of lab cells); a
measured loss at or below it cannot be told apart from no degradation."""


@dataclass(frozen=True)
class TimeToRange:
    """Times to ``fraction`` from several plausible models fitted to the same points (:func:`time_to_range`).

    Attributes
    ----------
    fraction : float
    exponential_h : float
        From the single exponential.
    stretched_h : numpy.ndarray
        From stretched exponentials with ``beta`` fixed at each value of ``betas`` (beta < 1: ageing that slows
        down; beta > 1: ageing that accelerates).
    burn_in_h : numpy.ndarray
        From burn-in-then-linear models with burn-in amplitude ``share * (1 - last retained)`` for each
        value of ``burn_in_shares``.
    betas, burn_in_shares : numpy.ndarray
    low_h, high_h : float
        Smallest and largest of all of them: the range the data cannot decide between.
    test_duration_h : float
        Last measured time.
    measured_loss : float
        ``1 - retained`` at the last measured time.
    extrapolated : bool
        True when ``high_h`` lies beyond :data:`EXTRAPOLATION_LIMIT` times the test duration.
    loss_within_repeatability : bool
        True when ``measured_loss`` is at or below the measurement repeatability: the data cannot exclude
        "no degradation", so ``high_h`` is no upper bound.
    """

    fraction: float
    exponential_h: float
    stretched_h: np.ndarray
    burn_in_h: np.ndarray
    betas: np.ndarray
    burn_in_shares: np.ndarray
    low_h: float
    high_h: float
    test_duration_h: float = np.nan
    measured_loss: float = np.nan
    extrapolated: bool = False
    loss_within_repeatability: bool = False

    @property
    def flags(self) -> tuple[str, ...]:
        """Short warnings a display should show next to the range (empty when there is none)."""
        out = []
        if self.extrapolated:
            out.append(
                f"extrapolated: beyond {EXTRAPOLATION_LIMIT:g}x the {self.test_duration_h:,.0f} h test"
            )
        if self.loss_within_repeatability:
            out.append(
                f"the measured loss ({100 * self.measured_loss:.2f} %) is within the repeatability of a J-V "
                "measurement: the data do not bound T80 from above"
            )
        return tuple(out)


def time_to_range(
    time_h: object,
    retained: object,
    fraction: float = 0.8,
    *,
    beta_range: tuple[float, float] = (0.5, 2.0),
    burn_in_share_range: tuple[float, float] = (0.0, 0.5),
    burn_in_time_h: float = 50.0,
    n_grid: int = 7,
    repeatability: float = REPEATABILITY,
) -> TimeToRange:
    r"""T80 (or any :math:`T_x`) spanned by plausible degradation models through the same points.

    Each model has a single free parameter fitted to the points, so with the paper's single point every
    curve passes *exactly* through (0, 1) and that point, and all fit it equally well:

    * single exponential;
    * stretched exponential with :math:`\beta` fixed on a grid over ``beta_range``; for one point
      :math:`(t_1, R_1)`, :math:`T_x = t_1\,(\ln x / \ln R_1)^{1/\beta}`. :math:`\beta < 1` is ageing that
      slows down (a fast early loss), :math:`\beta > 1` ageing that accelerates (e.g. a slow phase change
      or moisture ingress that speeds up); both are reported for perovskite cells, so both bound the range;
    * burn-in then linear with :math:`\tau_b` = ``burn_in_time_h`` and burn-in amplitude
      :math:`A = \text{share}\times(1 - R_\mathrm{last})` on a grid over ``burn_in_share_range``
      (share 0 is a straight line).

    With one point, every model passes through it, so the range comes from the shapes alone: the slowest
    shape gives ``high_h``, the fastest ``low_h``. Two flags say when the numbers mean little: ``extrapolated``
    (the range reaches past :data:`EXTRAPOLATION_LIMIT` times the test) and ``loss_within_repeatability``
    (the loss is no larger than the measurement's repeatability: "no degradation at all" fits too, so
    ``high_h`` is only the slowest *model's* value, not a bound).

    The defaults are **illustrative** choices (KWW exponents of 0.5-2, slowing to accelerating; burn-in of up
    to half the observed loss within ~50 h; a 2 % repeatability), not values from the paper.

    Parameters
    ----------
    time_h, retained : array_like
        Data as in :func:`fit_degradation`.
    fraction : float
        Retained fraction that defines the lifetime, in (0, 1).
    beta_range : (float, float)
        Range of the stretched-exponential exponent, each in [0.05, 2].
    burn_in_share_range : (float, float)
        Range of the burn-in share of the last observed loss, each in [0, 1).
    burn_in_time_h : float
        Burn-in time constant in h, :math:`> 0`.
    n_grid : int
        Grid points per range, 2 to 50.
    repeatability : float
        Relative repeatability of the efficiency measurement, in [0, 0.5].

    Returns
    -------
    TimeToRange

    Raises
    ------
    ValueError
        For bad data or parameters as named.

    References
    ----------
    .. [1] Khenkin et al. (2020) (burn-in and T80 reporting).
    .. [2] Williams & Watts (1970).

    Examples
    --------
    Shapes that all pass through the paper's air-storage point put T80 anywhere between about 2300 and 12900 h:

    >>> span = time_to_range(*paper_points("air"))
    >>> round(span.low_h), round(span.exponential_h), round(span.high_h), span.flags
    (2307, 4094, 12895, ('extrapolated: beyond 2x the 1,300 h test',))
    """
    t, r = _check_series(time_h, retained)
    x = float(check_array("fraction", fraction, 0.0, 1.0, hi_closed=False))
    betas = np.linspace(*check_array("beta_range", beta_range, 0.05, 2.0, lo_closed=True), int(
        check_array("n_grid", n_grid, 2, 50, lo_closed=True)))
    shares = np.linspace(*check_array("burn_in_share_range", burn_in_share_range, 0.0, 1.0, lo_closed=True,
                                      hi_closed=False), betas.size)
    tau_b = float(check_array("burn_in_time_h", burn_in_time_h, 0.0, np.inf, unit="h"))
    last_loss = max(1.0 - r[-1], 0.0)

    def t_x(model: str, fixed: Mapping[str, float] | None = None) -> float:
        fit = fit_degradation(t, r, model, fixed=fixed)
        return float(MODELS[model].time_to(np.asarray(x), fit._vector()))  # no uncertainty needed here

    exponential = t_x("exponential")
    stretched = np.array([t_x("stretched", {"beta": b}) for b in betas])
    burn_in = np.array(
        [t_x("burn_in_linear", {"burn_in_fraction": s * last_loss, "burn_in_time_h": tau_b}) for s in shares]
    )
    every = np.r_[exponential, stretched, burn_in]
    low, high = float(every.min()), float(every.max())
    within = last_loss <= float(check_array("repeatability", repeatability, 0.0, 0.5, lo_closed=True))
    return TimeToRange(
        x, exponential, stretched, burn_in, betas, shares, low, high, float(t[-1]), float(last_loss),
        bool(high > EXTRAPOLATION_LIMIT * t[-1]), bool(within),
    )


ILLUSTRATIVE_CONTROL_RATE_RATIO = 3.0
"""Illustrative: the untreated (control) cell is taken to degrade this many times faster than the paper's
treated cell. The paper's control ageing data are not in the kit's copy, so this is the kit's choice."""


def rate_scaled_time_h(
    time_ref_h: object,
    passivation_progress: object,
    control_rate_ratio: float = ILLUSTRATIVE_CONTROL_RATE_RATIO,
) -> np.ndarray:
    r"""Lifetime of a cell whose degradation rate lies (log-linearly) between a control and a reference cell.

    .. math::

        k = k_\mathrm{ref}\, r^{\,1 - p}, \qquad T_x = T_{x,\mathrm{ref}}\, r^{\,p - 1}

    The second equation is exact for every model whose time enters as :math:`k t` (single and stretched
    exponential with a fixed :math:`\beta`): there :math:`T_x \propto 1/k`. The first is an **illustrative,
    phenomenological interpolation**, not a published model: ``p`` says how far a cell's passivation has gone
    from the control (p = 0, rate :math:`r\,k_\mathrm{ref}`) to the reference treated cell (p = 1, rate
    :math:`k_\mathrm{ref}`); p > 1 extrapolates beyond the reference. Nothing in the paper links passivation
    to the degradation rate; use it to show a trend, never as a prediction.

    Parameters
    ----------
    time_ref_h : array_like
        :math:`T_x` of the reference cell in h, in (0, inf).
    passivation_progress : array_like
        p, dimensionless, in [0, 2].
    control_rate_ratio : float
        r, how many times faster the control degrades than the reference, in [1, 100].

    Returns
    -------
    numpy.ndarray
        :math:`T_x` in h, broadcast over the inputs.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN; the message names it.

    References
    ----------
    .. [1] Williams & Watts (1970) (time scaling of the stretched exponential); Khenkin et al. (2020) (T80).

    Examples
    --------
    From the control (p = 0, ageing 3 times faster) to the paper's air-tested cell (p = 1, T80 = 4094 h) and beyond:

    >>> [round(float(t)) for t in rate_scaled_time_h(4094.0, [0.0, 1.0, 2.0])]
    [1365, 4094, 12282]
    """
    t_ref = check_array("time_ref_h", time_ref_h, 0.0, np.inf, unit="h", hi_closed=False)
    p = check_array("passivation_progress", passivation_progress, 0.0, 2.0, lo_closed=True)
    r = check_array("control_rate_ratio", control_rate_ratio, 1.0, 100.0, lo_closed=True)
    return t_ref * r ** (p - 1.0)


# ---------------------------------------------------------------------------------------------------------
# temperature and moisture
# ---------------------------------------------------------------------------------------------------------


def arrhenius_acceleration_factor(
    ea_eV: object, use_temperature_K: object, stress_temperature_K: object
) -> np.ndarray:
    r"""Arrhenius acceleration factor of a degradation rate between two temperatures.

    .. math:: \mathrm{AF} = \frac{k(T_\mathrm{stress})}{k(T_\mathrm{use})}
              = \exp\!\left[\frac{E_a}{k_B}\left(\frac{1}{T_\mathrm{use}}
              - \frac{1}{T_\mathrm{stress}}\right)\right]

    A lifetime measured at :math:`T_\mathrm{stress}` maps to :math:`\mathrm{AF}` times that at
    :math:`T_\mathrm{use}` if one thermally activated process dominates at both temperatures (an
    assumption: perovskites often change mechanism, e.g. phase, above ~60-85 °C).

    Parameters
    ----------
    ea_eV : array_like
        Activation energy in eV, in [0, 5].
    use_temperature_K, stress_temperature_K : array_like
        Temperatures in K, :math:`> 0`.

    Returns
    -------
    numpy.ndarray
        AF (dimensionless), broadcast over the inputs; > 1 when the stress is hotter.

    Raises
    ------
    ValueError
        For out-of-range or NaN inputs.

    References
    ----------
    .. [3] Arrhenius (1889).
    .. [1] Khenkin et al. (2020) (elevated-temperature ISOS tests).

    Examples
    --------
    At 0.5 eV, 10 K of warming nearly doubles the rate; a test at 85 °C runs 26 times faster than use at 25 °C:

    >>> round(float(arrhenius_acceleration_factor(0.5, 298.15, 308.15)), 3)
    1.881
    >>> round(float(arrhenius_acceleration_factor(0.5, 298.15, 358.15)), 1)
    26.1
    """
    ea = check_array("ea_eV", ea_eV, 0.0, 5.0, unit="eV", lo_closed=True)
    t_use = check_array("use_temperature_K", use_temperature_K, 0.0, np.inf, unit="K")
    t_stress = check_array("stress_temperature_K", stress_temperature_K, 0.0, np.inf, unit="K")
    return np.exp(ea / BOLTZMANN_EV_K * (1.0 / t_use - 1.0 / t_stress))


@dataclass(frozen=True)
class MoistureParams:
    """Parameters of :func:`black_phase_fraction`. Every preset value is **illustrative**.

    Attributes
    ----------
    rate_per_h : float
        Conversion rate constant at ``rh_ref_percent`` without barrier, 1/h.
    rh_ref_percent : float
        Reference relative humidity, %.
    rh_exponent : float
        Power of the humidity dependence, :math:`m`.
    avrami_n : float
        Avrami exponent :math:`n` of the nucleation-and-growth kinetics.
    barrier_transmission : float
        Fraction of the water flux that passes the barrier (1 = no barrier), in (0, 1].
    barrier_lag_h : float
        Diffusion time lag of the barrier, h (:math:`L^2/6D` for a membrane), :math:`\\ge 0`.
    """

    rate_per_h: float
    rh_ref_percent: float = 50.0
    rh_exponent: float = 2.0
    avrami_n: float = 2.0
    barrier_transmission: float = 1.0
    barrier_lag_h: float = 0.0


MOISTURE_PRESETS: Mapping[str, MoistureParams] = {
    # Illustrative: a bare CsPbI3 film half converted in about a day at 50 % RH; a SiO2 framework cutting
    # the water flux 20-fold after a 100 h lag. Chosen to show the shape of the effect, not fitted to data.
    "bare": MoistureParams(rate_per_h=1.0 / 30.0),
    "sio2_barrier": MoistureParams(rate_per_h=1.0 / 30.0, barrier_transmission=0.05, barrier_lag_h=100.0),
}
"""Illustrative presets for :func:`black_phase_fraction`: ``"bare"`` and ``"sio2_barrier"``."""


def black_phase_fraction(
    time_h: object, relative_humidity_percent: object, params: MoistureParams = MOISTURE_PRESETS["bare"]
) -> np.ndarray:
    r"""Fraction of CsPbI3 still in the black (gamma) phase after exposure to humid air. Phenomenological.

    .. math:: f_\mathrm{black}(t) = \exp\{-[k_\mathrm{eff}\,(t - t_\mathrm{lag})_+]^n\},
              \qquad k_\mathrm{eff} = k\,\Theta\,\left(\frac{RH}{RH_\mathrm{ref}}\right)^m

    A JMAK (Avrami) law for the nucleation and growth of the yellow delta phase, whose rate grows with
    humidity as a power law (water catalyses the transition of the metastable black phase [5]_ [6]_); a
    barrier such as the SiO2 framework of the paper's MSNs multiplies the water flux by a transmission
    :math:`\Theta` and delays it by the diffusion time lag :math:`t_\mathrm{lag}` [7]_. The functional form
    is a teaching model, not a fit; the presets in :data:`MOISTURE_PRESETS` are illustrative.

    Parameters
    ----------
    time_h : array_like
        Exposure time in h, :math:`\ge 0`.
    relative_humidity_percent : array_like
        Relative humidity in %, in [0, 100].
    params : MoistureParams
        Model parameters (illustrative presets in :data:`MOISTURE_PRESETS`).

    Returns
    -------
    numpy.ndarray
        :math:`f_\mathrm{black}` in [0, 1], broadcast over ``time_h`` and ``relative_humidity_percent``.

    Raises
    ------
    ValueError
        For negative times, humidity outside [0, 100] %, or out-of-range parameters.

    References
    ----------
    .. [5] S. Dastidar et al., "Quantitative phase-change thermodynamics and metastability of
       perovskite-phase cesium lead iodide", J. Phys. Chem. Lett. 8, 1278-1282 (2017).
    .. [6] Z. Lin et al., "Kinetics of moisture-induced phase transformation in inorganic halide
       perovskite", Matter (2021).
    .. [7] M. Avrami, J. Chem. Phys. 7, 1103 (1939); J. Crank, *The Mathematics of Diffusion*, 2nd ed.,
       Oxford (1975), section 4.3 (time lag :math:`L^2/6D`).

    Examples
    --------
    At 50 % RH a bare film is about half converted after a day; behind the illustrative SiO2 barrier the change
    starts after its 100 h lag and runs 20 times slower:

    >>> times_h = [24.0, 200.0, 1000.0]
    >>> [round(float(f), 3) for f in black_phase_fraction(times_h, 50.0)]
    [0.527, 0.0, 0.0]
    >>> [round(float(f), 3) for f in black_phase_fraction(times_h, 50.0, MOISTURE_PRESETS["sio2_barrier"])]
    [1.0, 0.973, 0.105]
    """
    t = check_array("time_h", time_h, 0.0, np.inf, unit="h", lo_closed=True)
    rh = check_array("relative_humidity_percent", relative_humidity_percent, 0.0, 100.0, unit="%",
                     lo_closed=True)
    k = check_array("rate_per_h", params.rate_per_h, 0.0, np.inf, unit="1/h", lo_closed=True)
    rh_ref = check_array("rh_ref_percent", params.rh_ref_percent, 0.0, 100.0, unit="%")
    m = check_array("rh_exponent", params.rh_exponent, 0.0, 10.0, lo_closed=True)
    n = check_array("avrami_n", params.avrami_n, 0.0, 4.0)
    theta = check_array("barrier_transmission", params.barrier_transmission, 0.0, 1.0)
    lag = check_array("barrier_lag_h", params.barrier_lag_h, 0.0, np.inf, unit="h", lo_closed=True)
    k_eff = k * theta * (rh / rh_ref) ** m
    return np.exp(-((k_eff * np.maximum(t - lag, 0.0)) ** n))
