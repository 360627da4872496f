"""Tests for qdpv.carriers: PL decays, Poisson MLE fits, average lifetimes, thermal quenching.

References outside the fit code: hand-computed averages and the integral definitions of the mean
lifetimes (Lakowicz 2006, ch. 4; Sillen & Engelborghs 1998) evaluated with scipy.integrate.quad; the
Poisson likelihood minimised by an independent optimiser (scipy.optimize.minimize); Poisson statistics of
the simulator; analytic limits of I(T) = I0 / (1 + A exp(-Ea/kT)).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from qdpv import carriers as cr

K_B_EV = 8.617333262e-5  # eV/K, CODATA 2018, typed in independently of scipy.constants
TIME_NS = np.linspace(0.0, 100.0, 1000)  # 0.1 ns bins over 100 ns: a typical TCSPC window


# --- decay model and simulator ------------------------------------------------------------------------


def test_decay_counts_analytic_values() -> None:
    mu = cr.decay_counts([0.0, 2.0, 15.0], [800.0, 200.0], [2.0, 15.0], background=3.0)
    expected = [1003.0, 800 / math.e + 200 * math.exp(-2 / 15) + 3, 800 * math.exp(-7.5) + 200 / math.e + 3]
    np.testing.assert_allclose(mu, expected, rtol=1e-14)


def test_simulator_is_poisson_and_reproducible() -> None:
    mu = cr.decay_counts(TIME_NS, [50.0], [10.0], 2.0)
    a = cr.simulate_decay(TIME_NS, [50.0], [10.0], 2.0, rng=7)
    b = cr.simulate_decay(TIME_NS, [50.0], [10.0], 2.0, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)  # same seed, same histogram
    assert a.dtype.kind == "i" and a.min() >= 0
    # Pearson chi2 of the counts about mu follows chi2(1000) for Poisson data: within its 0.1-99.9 % band
    chi2 = np.sum((a - mu) ** 2 / mu)
    lo, hi = stats.chi2.ppf([0.001, 0.999], TIME_NS.size)
    assert lo < chi2 < hi


# --- average lifetimes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amplitudes", "lifetimes", "tau_amp", "tau_int"),
    [
        ([0.5, 0.5], [1.0, 3.0], 2.0, 2.5),  # (0.5+1.5)/1 ; (0.5+4.5)/(0.5+1.5)
        ([3.0, 1.0], [2.0, 10.0], 4.0, 7.0),  # (6+10)/4 ; (12+100)/(6+10)
        ([7.0], [4.2], 4.2, 4.2),  # a single exponential: both are tau
    ],
)
def test_average_lifetimes_hand_values(amplitudes, lifetimes, tau_amp, tau_int) -> None:
    assert float(cr.amplitude_weighted_lifetime_ns(amplitudes, lifetimes)) == pytest.approx(tau_amp, rel=1e-14)
    assert float(cr.intensity_weighted_lifetime_ns(amplitudes, lifetimes)) == pytest.approx(tau_int, rel=1e-14)


def test_average_lifetimes_match_integral_definitions() -> None:
    # <tau>_a = int I dt / I(0) and <tau>_I = int t I dt / int I dt (Lakowicz ch. 4), by quadrature
    a, tau = np.array([0.7, 0.25, 0.05]), np.array([1.3, 6.0, 40.0])

    def intensity(t: float) -> float:
        return float(np.sum(a * np.exp(-t / tau)))

    area = integrate.quad(intensity, 0, np.inf)[0]
    first_moment = integrate.quad(lambda t: t * intensity(t), 0, np.inf)[0]
    # 1e-8: quad's default tolerance (epsrel 1.5e-8)
    assert float(cr.amplitude_weighted_lifetime_ns(a, tau)) == pytest.approx(area / intensity(0), rel=1e-8)
    assert float(cr.intensity_weighted_lifetime_ns(a, tau)) == pytest.approx(first_moment / area, rel=1e-8)


def test_average_lifetimes_broadcast() -> None:
    a = np.array([[0.5, 0.5], [3.0, 1.0]])
    tau = np.array([[1.0, 3.0], [2.0, 10.0]])
    np.testing.assert_allclose(cr.amplitude_weighted_lifetime_ns(a, tau), [2.0, 4.0])
    np.testing.assert_allclose(cr.intensity_weighted_lifetime_ns(a, tau), [2.5, 7.0])


# --- fits ---------------------------------------------------------------------------------------------


def test_mono_exponential_fit_recovers_parameters() -> None:
    counts = cr.simulate_decay(TIME_NS, [800.0], [5.0], 2.0, rng=3)
    fit = cr.fit_decay(TIME_NS, counts, n_components=1)
    # 3 SE: a correct SE fails this < 0.3 % of the time; the seed is fixed
    assert abs(fit.lifetimes_ns[0] - 5.0) < 3 * fit.lifetimes_se_ns[0]
    assert abs(fit.amplitudes[0] - 800.0) < 3 * fit.amplitudes_se[0]
    assert abs(fit.background - 2.0) < 3 * fit.background_se
    assert fit.method == "poisson-mle" and fit.dof == TIME_NS.size - 3


def test_bi_exponential_fit_recovers_parameters_and_average_lifetimes() -> None:
    true_a, true_tau = np.array([800.0, 200.0]), np.array([2.0, 15.0])
    counts = cr.simulate_decay(TIME_NS, true_a, true_tau, 2.0, rng=1)
    fit = cr.fit_decay(TIME_NS, counts, n_components=2)
    assert np.all(np.abs(fit.lifetimes_ns - true_tau) < 3 * fit.lifetimes_se_ns)
    assert np.all(np.abs(fit.amplitudes - true_a) < 3 * fit.amplitudes_se)
    # average lifetimes with delta-method errors: true values 4.6 ns and 10.17 ns (by hand: 4600/1000;
    # (3200 + 45000) / 4600)
    assert abs(fit.amplitude_weighted_lifetime_ns - 4.6) < 3 * fit.amplitude_weighted_lifetime_se_ns
    assert abs(fit.intensity_weighted_lifetime_ns - 48200 / 4600) < 3 * fit.intensity_weighted_lifetime_se_ns
    # a good fit: deviance within the chi2(dof) 0.1-99.9 % band
    lo, hi = stats.chi2.ppf([0.001, 0.999], fit.dof)
    assert lo < fit.deviance < hi


def test_fit_is_the_poisson_maximum_likelihood() -> None:
    # An independent optimiser (Nelder-Mead on the Poisson negative log-likelihood, started from the true
    # parameters) must land on the same optimum. 1e-3: Nelder-Mead's own convergence on a flat optimum.
    counts = cr.simulate_decay(TIME_NS, [300.0, 60.0], [1.5, 12.0], 1.0, rng=9)

    def nll(p: np.ndarray) -> float:
        if np.any(p <= 0):
            return np.inf
        mu = cr.decay_counts(TIME_NS, p[:2], p[2:4], p[4])
        return float(np.sum(mu - counts * np.log(mu)))

    ref = optimize.minimize(nll, [300.0, 60.0, 1.5, 12.0, 1.0], method="Nelder-Mead",
                            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 20000, "maxfev": 20000})
    fit = cr.fit_decay(TIME_NS, counts, n_components=2)
    ours = np.r_[fit.amplitudes, fit.lifetimes_ns, fit.background]
    np.testing.assert_allclose(ours, ref.x, rtol=1e-3)
    assert nll(ours) <= ref.fun + 1e-6  # ours is at least as good a maximum


def test_lifetime_standard_error_is_calibrated() -> None:
    # 95 % intervals from the inverse Fisher information should cover the true lifetime ~95 % of the time.
    # 100 repeats: binomial sd 0.022; [0.88, 1.0] allows about -3 sd (fixed seeds: deterministic).
    rng = np.random.default_rng(2026)
    hits = 0
    for _ in range(100):
        counts = cr.simulate_decay(TIME_NS, [200.0], [8.0], 1.0, rng=rng)
        fit = cr.fit_decay(TIME_NS, counts, n_components=1)
        hits += abs(fit.lifetimes_ns[0] - 8.0) < 1.959964 * fit.lifetimes_se_ns[0]
    assert hits >= 88


def test_fit_without_background() -> None:
    counts = cr.simulate_decay(TIME_NS, [500.0], [6.0], 0.0, rng=4)
    fit = cr.fit_decay(TIME_NS, counts, n_components=1, background=False)
    assert fit.background == 0.0 and math.isnan(fit.background_se)
    assert abs(fit.lifetimes_ns[0] - 6.0) < 3 * fit.lifetimes_se_ns[0]


# --- thermal quenching --------------------------------------------------------------------------------


def test_thermal_quenching_analytic_limits() -> None:
    i0, a, ea = 2.0, 50.0, 0.06
    assert float(cr.thermal_quenching_intensity(1.0, i0, a, ea)) == pytest.approx(i0, rel=1e-12)  # T -> 0
    t_half = ea / (K_B_EV * math.log(a))  # A exp(-Ea/kT) = 1 there
    assert float(cr.thermal_quenching_intensity(t_half, i0, a, ea)) == pytest.approx(i0 / 2, rel=1e-9)
    np.testing.assert_allclose(cr.thermal_quenching_intensity([10.0, 300.0], i0, 0.0, ea), i0)  # A = 0


def test_thermal_quenching_fit_recovers_activation_energy() -> None:
    # Illustrative CsPbBr3-NC-like numbers: Ea = 60 meV, A = 50, 1 % intensity noise, 80-300 K.
    temp = np.linspace(80.0, 300.0, 12)
    rng = np.random.default_rng(0)
    clean = cr.thermal_quenching_intensity(temp, 1.0, 50.0, 0.060)
    noisy = clean * (1 + 0.01 * rng.normal(size=temp.size))
    fit = cr.fit_thermal_quenching(temp, noisy, intensity_se=0.01 * clean)
    assert abs(fit.ea_eV - 0.060) < 3 * fit.ea_se_eV
    assert fit.ea_meV == pytest.approx(1e3 * fit.ea_eV) and fit.ea_se_meV == pytest.approx(1e3 * fit.ea_se_eV)
    assert abs(fit.a - 50.0) < 3 * fit.a_se and abs(fit.i0 - 1.0) < 3 * fit.i0_se
    # noise-free data: exact recovery (solver tolerance)
    exact = cr.fit_thermal_quenching(temp, clean)
    assert exact.ea_eV == pytest.approx(0.060, rel=1e-6)


def test_thermal_quenching_ea_se_is_calibrated() -> None:
    # 200 repeats, known errors: 95 % intervals should cover; binomial sd 0.015, band [0.91, 0.99]
    temp = np.linspace(80.0, 300.0, 12)
    clean = cr.thermal_quenching_intensity(temp, 1.0, 50.0, 0.060)
    rng = np.random.default_rng(1)
    hits = 0
    for _ in range(200):
        fit = cr.fit_thermal_quenching(temp, clean * (1 + 0.02 * rng.normal(size=temp.size)), 0.02 * clean)
        hits += abs(fit.ea_eV - 0.060) < 1.959964 * fit.ea_se_eV
    assert 0.91 <= hits / 200 <= 0.99


def test_thermal_quenching_three_points_has_no_se_without_errors() -> None:
    temp = np.array([100.0, 200.0, 300.0])
    fit = cr.fit_thermal_quenching(temp, cr.thermal_quenching_intensity(temp, 1.0, 20.0, 0.05))
    assert fit.ea_eV == pytest.approx(0.05, rel=1e-6) and math.isnan(fit.ea_se_eV)


# --- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: cr.decay_counts(TIME_NS, [1.0], [-2.0]), "lifetimes_ns must be in"),
        (lambda: cr.decay_counts(TIME_NS, [-1.0], [2.0]), "amplitudes must be in"),
        (lambda: cr.decay_counts(TIME_NS, [1.0, 2.0], [2.0]), "same number of components"),
        (lambda: cr.decay_counts([-1.0], [1.0], [2.0]), "time_ns must be in"),
        (lambda: cr.decay_counts(TIME_NS, [1.0], [2.0], background=-1), "background must be in"),
        (lambda: cr.amplitude_weighted_lifetime_ns([0.0, 0.0], [1.0, 2.0]), "amplitudes must not all be zero"),
        (lambda: cr.intensity_weighted_lifetime_ns([1.0], [np.nan]), "lifetimes_ns must not contain NaN"),
        (lambda: cr.fit_decay(TIME_NS, np.ones(1000), n_components=3), "n_components must be 1 or 2"),
        (lambda: cr.fit_decay(TIME_NS, np.r_[np.nan, np.ones(999)]), "counts must not contain NaN"),
        (lambda: cr.fit_decay(TIME_NS, -np.ones(1000)), "counts must be in"),
        (lambda: cr.fit_decay(TIME_NS, np.zeros(1000)), "at least one photon"),
        (lambda: cr.fit_decay(TIME_NS[::-1], np.ones(1000)), "time_ns must be strictly increasing"),
        (lambda: cr.fit_decay(TIME_NS[:4], np.ones(4), n_components=2), "time_ns must have at least 5"),
        (lambda: cr.fit_decay(TIME_NS, np.ones(10)), "counts must have the same length"),
        (lambda: cr.thermal_quenching_intensity(0.0, 1.0, 1.0, 0.05), "temperature_K must be in"),
        (lambda: cr.thermal_quenching_intensity(100.0, 1.0, -1.0, 0.05), "a must be in"),
        (lambda: cr.fit_thermal_quenching([100.0, 200.0], [1.0, 0.5]), "temperature_K must have at least 3"),
        (lambda: cr.fit_thermal_quenching([300.0, 200.0, 100.0], [0.2, 0.5, 1.0]), "strictly increasing"),
        (lambda: cr.fit_thermal_quenching([100.0, 200.0, 300.0], [0.2, 0.5, 1.0]), "must decrease"),
        (lambda: cr.fit_thermal_quenching([100.0, 200.0, 300.0], [1.0, 0.0, 0.5]), "intensity must be in"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()
