"""Tests for qdpv.stability: degradation models, fits, T80 and its uncertainty, Arrhenius, moisture.

Its CSV reader, qdpv.io.read_degradation_csv, is tested in test_io.py.

Reference numbers come from outside the fit code: the paper's points (qdpv.paper.PAPER, Xu et al. 2026),
the T80 values in /work/shared/params.md (4094 h, 11885 h), closed-form inversions of the model
equations, the textbook delta method, and scipy.optimize.curve_fit as an independent least-squares
implementation.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize

from qdpv import stability as st
from qdpv.paper import PAPER

LN08 = math.log(0.8)


# --- the paper's single points ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("test", "t80_h"),
    [("air", 4094), ("light", 11885)],  # params.md: single exponential through the paper's points
)
def test_paper_single_exponential_t80(test: str, t80_h: float) -> None:
    time_h, retained = st.paper_points(test)
    fit = st.fit_degradation(time_h, retained, "exponential")
    t80 = float(fit.time_to(0.8).value_h)
    assert abs(t80 - t80_h) < 1.0  # the reference values above are whole hours: agreement to their rounding
    # Closed form for R = exp(-kt) through (t1, R1): T80 = t1 ln 0.8 / ln R1 (exact, so 1e-9 relative)
    assert t80 == pytest.approx(time_h[0] * LN08 / math.log(retained[0]), rel=1e-9)
    # exactly determined: the curve goes through the point, and no uncertainty can be claimed
    assert float(fit.retained_at(time_h)[0]) == pytest.approx(retained[0], abs=1e-12)
    assert not fit.uncertainty_determined
    assert math.isnan(fit.se["rate_per_h"]) and math.isnan(float(fit.time_to(0.8).se_h))
    assert "cannot tell" in fit.note


def test_paper_points_come_from_paper_module() -> None:
    assert st.paper_points("air") == ([PAPER.air_storage_time_h], [PAPER.air_storage_retained])
    assert st.paper_points("light") == ([PAPER.light_soak_time_h], [PAPER.light_soak_retained])
    with pytest.raises(ValueError, match="test"):
        st.paper_points("damp heat")


def test_single_point_with_assumed_error_matches_hand_delta_method() -> None:
    # One point with an assumed measurement error sigma: dR/dk = -t R, so se_k = sigma / (t R), and
    # T = -ln x / k gives se_T = T se_k / k (Bevington & Robinson, propagation of errors).
    t1, r1, sigma = PAPER.air_storage_time_h, PAPER.air_storage_retained, 0.01
    fit = st.fit_degradation([t1], [r1], retained_se=sigma)
    k = -math.log(r1) / t1
    se_k = sigma / (t1 * r1)
    t80 = LN08 / -k
    est = fit.time_to(0.8)
    # 1e-6: the fit uses central differences (relative step 1e-6, truncation error ~1e-12)
    assert fit.se["rate_per_h"] == pytest.approx(se_k, rel=1e-6)
    assert float(est.se_h) == pytest.approx(t80 * se_k / k, rel=1e-6)
    z = 1.959963984540054  # 97.5 % normal quantile
    assert float(est.low_h) == pytest.approx(t80 * math.exp(-z * se_k / k), rel=1e-6)
    assert fit.uncertainty_determined and "stated measurement error" in fit.note


def test_time_to_range_matches_closed_forms_for_one_point() -> None:
    t1, r1 = st.paper_points("air")
    rng = st.time_to_range(t1, r1, beta_range=(0.5, 1.0), burn_in_share_range=(0.0, 0.5), n_grid=6)
    # stretched exponential through (t1, R1) with beta fixed: T80 = t1 (ln 0.8 / ln R1)^(1/beta)
    expected = t1[0] * (LN08 / math.log(r1[0])) ** (1.0 / rng.betas)
    np.testing.assert_allclose(rng.stretched_h, expected, rtol=1e-8)  # exact inversion, solver tolerance
    # share 0 is the straight line through the point: T80 = t1 * 0.2 / (1 - R1)
    assert rng.burn_in_h[0] == pytest.approx(t1[0] * 0.2 / (1 - r1[0]), rel=1e-8)
    assert rng.exponential_h == pytest.approx(4094, abs=1)
    # the exponential is inside the range; the range is wide (factor > 3 for the air point)
    assert rng.low_h < rng.exponential_h < rng.high_h
    assert rng.high_h / rng.low_h > 3


def test_rate_scaled_time_follows_the_rate_of_the_stretched_exponential() -> None:
    t1, r1 = st.paper_points("air")
    r = 3.0
    for beta in (0.5, 1.0):
        # closed form for R = exp[-(k t)^beta] through (t1, R1): k = (-ln R1)^(1/beta) / t1, and the T80 of a cell
        # degrading r times faster is (-ln 0.8)^(1/beta) / (r k)
        k = (-math.log(r1[0])) ** (1.0 / beta) / t1[0]
        t80_ref = (-LN08) ** (1.0 / beta) / k
        fit = st.fit_degradation(t1, r1, "stretched", fixed={"beta": beta})
        assert float(fit.time_to(0.8).value_h) == pytest.approx(t80_ref, rel=1e-8)  # solver tolerance
        # p = 0 is the control (r times the rate), p = 1 the reference; 1e-12: float arithmetic only
        assert float(st.rate_scaled_time_h(t80_ref, 0.0, r)) == pytest.approx((-LN08) ** (1 / beta) / (r * k),
                                                                            rel=1e-12)
        assert float(st.rate_scaled_time_h(t80_ref, 1.0, r)) == pytest.approx(t80_ref, rel=1e-12)
    # log-linear in the rate: halfway is the geometric mean of the control and reference lifetimes (4094 h:
    # the single exponential through the air point, params sheet)
    half = st.rate_scaled_time_h(4094.0, 0.5, r)
    assert float(half) == pytest.approx(math.sqrt(4094.0 * 4094.0 / r), rel=1e-12)
    grid = st.rate_scaled_time_h(4094.0, np.linspace(0.0, 2.0, 9), r)
    assert np.all(np.diff(grid) > 0)  # more passivation, longer life
    assert np.allclose(st.rate_scaled_time_h(4094.0, np.linspace(0, 2, 9), 1.0), 4094.0)  # r = 1: no effect


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((-1.0, 0.5), r"time_ref_h must be in \(0, inf\) h, got -1"),
        ((4094.0, 2.5), r"passivation_progress must be in \[0, 2\], got 2.5"),
        ((4094.0, float("nan")), "passivation_progress"),
        ((4094.0, 0.5, 0.5), r"control_rate_ratio must be in \[1, 100\]"),
    ],
)
def test_rate_scaled_time_rejects_bad_input(args, match) -> None:
    with pytest.raises(ValueError, match=match):
        st.rate_scaled_time_h(*args)


# --- synthetic data: recovery and calibrated standard errors -----------------------------------------

TIMES = np.linspace(0.0, 3000.0, 16)


@pytest.mark.parametrize(
    ("model", "true"),
    [
        ("exponential", {"rate_per_h": 1 / 8000}),
        ("stretched", {"rate_per_h": 1 / 5000, "beta": 0.7}),
        ("burn_in_linear", {"burn_in_fraction": 0.05, "burn_in_time_h": 120.0, "slope_per_h": 2e-5}),
    ],
)
def test_fit_recovers_known_parameters_within_3_se(model: str, true: dict[str, float]) -> None:
    rng = np.random.default_rng(11)
    sigma = 0.003  # 0.3 % absolute noise on the retained fraction, typical of repeated J-V scans
    r = st.retained_fraction(TIMES, model, true) + rng.normal(0, sigma, TIMES.size)
    fit = st.fit_degradation(TIMES, r, model)  # no sigma given: errors from the scatter
    for name, value in true.items():
        assert abs(fit.params[name] - value) < 3 * fit.se[name], name  # 3 SE: fails < 0.3 % by chance


def test_standard_errors_agree_with_scipy_curve_fit() -> None:
    # scipy.optimize.curve_fit is an independent implementation of the same weighted least squares
    rng = np.random.default_rng(5)
    true = {"rate_per_h": 1 / 5000, "beta": 0.7}
    r = st.retained_fraction(TIMES, "stretched", true) + rng.normal(0, 0.003, TIMES.size)
    fit = st.fit_degradation(TIMES, r, "stretched")
    popt, pcov = optimize.curve_fit(
        lambda t, k, b: np.exp(-((k * t) ** b)), TIMES, r, p0=[1 / 4000, 0.8], bounds=([0, 0.05], [1, 2])
    )
    np.testing.assert_allclose([fit.params["rate_per_h"], fit.params["beta"]], popt, rtol=1e-5)
    # 1e-3: both use finite-difference Jacobians with different steps
    np.testing.assert_allclose([fit.se["rate_per_h"], fit.se["beta"]], np.sqrt(np.diag(pcov)), rtol=1e-3)


def test_standard_errors_are_calibrated_coverage() -> None:
    # With the measurement error known, 95 % of the intervals k +- 1.96 se should contain the true k,
    # and 95 % of the T80 intervals the true T80. 200 repeats: binomial sd of the coverage is 0.015,
    # so [0.91, 0.99] is about +-2.6 sd (fails by chance < 1 %; fixed seeds make it deterministic).
    k_true, sigma = 1 / 8000, 0.004
    t80_true = -LN08 / k_true
    rng = np.random.default_rng(2026)
    clean = st.retained_fraction(TIMES, "exponential", {"rate_per_h": k_true})
    hits_k = hits_t = 0
    for _ in range(200):
        fit = st.fit_degradation(TIMES, clean + rng.normal(0, sigma, TIMES.size), retained_se=sigma)
        hits_k += abs(fit.params["rate_per_h"] - k_true) < 1.959964 * fit.se["rate_per_h"]
        est = fit.time_to(0.8)
        hits_t += float(est.low_h) < t80_true < float(est.high_h)
    assert 0.91 <= hits_k / 200 <= 0.99
    assert 0.91 <= hits_t / 200 <= 0.99


# --- models: analytic limits --------------------------------------------------------------------------


def test_model_limits() -> None:
    t = np.linspace(0, 5000, 7)
    exp = st.retained_fraction(t, "exponential", {"rate_per_h": 1e-4})
    np.testing.assert_allclose(exp, np.exp(-1e-4 * t), rtol=1e-15)
    # KWW with beta = 1 is the single exponential (exact identity)
    kww = st.retained_fraction(t, "stretched", {"rate_per_h": 1e-4, "beta": 1.0})
    np.testing.assert_allclose(kww, exp, rtol=1e-15)
    # burn-in with A = 0 is the straight line 1 - s t; T80 of a line is 0.2 / s
    line = {"burn_in_fraction": 0.0, "burn_in_time_h": 10.0, "slope_per_h": 4e-5}
    np.testing.assert_allclose(st.retained_fraction(t, "burn_in_linear", line), 1 - 4e-5 * t, rtol=1e-15)
    fit = st.fit_degradation(t, 1 - 4e-5 * t, "burn_in_linear", fixed={"burn_in_fraction": 0.0,
                                                                        "burn_in_time_h": 10.0})
    assert float(fit.time_to(0.8).value_h) == pytest.approx(0.2 / 4e-5, rel=1e-9)


def test_time_to_is_inverse_of_retained_at_and_vectorised() -> None:
    params = {"burn_in_fraction": 0.04, "burn_in_time_h": 80.0, "slope_per_h": 3e-5}
    t = np.linspace(0, 3000, 12)
    fit = st.fit_degradation(t, st.retained_fraction(t, "burn_in_linear", params), "burn_in_linear")
    fractions = np.array([0.95, 0.9, 0.8, 0.5])
    times = fit.time_to(fractions).value_h
    np.testing.assert_allclose(fit.retained_at(times), fractions, atol=1e-12)  # bisection to 2**-64


def test_no_degradation_gives_infinite_lifetime() -> None:
    fit = st.fit_degradation([500.0, 1000.0], [1.01, 1.02])  # improving cell: the rate sits at its bound 0
    assert fit.params["rate_per_h"] < 1e-15  # the bound 0 is approached to solver tolerance
    assert float(fit.time_to(0.8).value_h) > 1e12  # "never" for any practical purpose


# --- Arrhenius and moisture ---------------------------------------------------------------------------


def test_arrhenius_acceleration_factor_by_hand() -> None:
    k_b = 8.617333262e-5  # eV/K, CODATA 2018, typed in independently of scipy.constants
    af = st.arrhenius_acceleration_factor(0.7, 298.15, 358.15)
    assert float(af) == pytest.approx(math.exp(0.7 / k_b * (1 / 298.15 - 1 / 358.15)), rel=1e-9)
    assert float(af) == pytest.approx(96.0, abs=0.5)  # 25 -> 85 degC at 0.7 eV, by hand: 96.0
    np.testing.assert_allclose(st.arrhenius_acceleration_factor([0.0, 0.5], 300.0, [300.0, 300.0]), 1.0)
    assert st.arrhenius_acceleration_factor(0.5, 358.15, 298.15) < 1  # cooler "stress" slows it


def test_black_phase_fraction_limits() -> None:
    bare, sio2 = st.MOISTURE_PRESETS["bare"], st.MOISTURE_PRESETS["sio2_barrier"]
    t = np.linspace(0, 2000, 201)
    f_bare = st.black_phase_fraction(t, 50.0, bare)
    f_sio2 = st.black_phase_fraction(t, 50.0, sio2)
    assert f_bare[0] == 1.0 and np.all(np.diff(f_bare) <= 0)
    assert np.all(f_sio2 >= f_bare)  # the barrier never makes it worse
    assert np.all(f_sio2[t <= sio2.barrier_lag_h] == 1.0)  # nothing happens before water gets through
    np.testing.assert_array_equal(st.black_phase_fraction(t, 0.0, bare), 1.0)  # dry air: no conversion
    # JMAK: at t = lag + 1/k_eff the fraction is exactly 1/e (k_eff = k * Theta at RH = RH_ref)
    t_e = sio2.barrier_lag_h + 1 / (sio2.rate_per_h * sio2.barrier_transmission)
    assert float(st.black_phase_fraction(t_e, sio2.rh_ref_percent, sio2)) == pytest.approx(math.exp(-1))
    # broadcasting over time x humidity
    assert st.black_phase_fraction(t[:, None], np.array([20.0, 50.0, 80.0]), bare).shape == (201, 3)


# --- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("time_h", "retained", "model", "match"),
    [
        ([100, 200], [0.9, 1.6], "exponential", r"retained must be in \(0, 1.5\], got 1.6"),
        ([100, 100], [0.9, 0.8], "exponential", "time_h must be strictly increasing"),
        ([200, 100], [0.9, 0.8], "exponential", "time_h must be strictly increasing"),
        ([100, 200], [0.9, np.nan], "exponential", "retained must not contain NaN"),
        ([np.nan, 200], [0.9, 0.8], "exponential", "time_h must not contain NaN"),
        ([-5, 200], [0.9, 0.8], "exponential", "time_h must be in"),
        ([100, 200], [0.9, 0.0], "exponential", "retained must be in"),
        ([1300], [0.93], "stretched", "time_h must have at least 2 points"),
        ([0, 1300], [1.0, 0.93], "stretched", "time_h must have at least 2 points"),  # t = 0 is no info
        ([100, 200], [0.9, 0.8, 0.7], "exponential", "retained must have the same length"),
        ([100, 200], [0.9, 0.8], "weibull", "model must be one of"),
    ],
)
def test_fit_degradation_rejects_bad_input(time_h, retained, model, match) -> None:
    with pytest.raises(ValueError, match=match):
        st.fit_degradation(time_h, retained, model)


def test_other_bad_arguments_name_the_parameter() -> None:
    t, r = st.paper_points("air")
    with pytest.raises(ValueError, match="fixed must be one of"):
        st.fit_degradation(t, r, "stretched", fixed={"gamma": 0.5})
    with pytest.raises(ValueError, match=r"beta must be in \[0.05, 2\]"):
        st.fit_degradation(t, r, "stretched", fixed={"beta": 3.0})
    with pytest.raises(ValueError, match="retained_se must be in"):
        st.fit_degradation(t, r, retained_se=-0.01)
    with pytest.raises(ValueError, match=r"fraction must be in \(0, 1\)"):
        st.fit_degradation(t, r).time_to(1.2)
    with pytest.raises(ValueError, match="params must contain"):
        st.retained_fraction([1.0], "stretched", {"rate_per_h": 1e-4})
    with pytest.raises(ValueError, match="relative_humidity_percent must be in"):
        st.black_phase_fraction(10.0, 120.0)
    with pytest.raises(ValueError, match="use_temperature_K must be in"):
        st.arrhenius_acceleration_factor(0.5, -3.0, 300.0)
    with pytest.raises(ValueError, match="beta_range must be in"):
        st.time_to_range(t, r, beta_range=(0.0, 1.0))


# --- T80 range of plausible models --------------------------------------------------------------------


def test_time_to_range_is_two_sided_and_flags_what_the_data_cannot_say() -> None:
    # Air point (1300 h, 93.16 %): accelerating ageing (beta = 2) through the point reaches T80 before the slow
    # exponential, T80 = t1 (ln 0.8 / ln R1)^(1/2) (closed form), so the range now reaches below the exponential
    t1, r1 = st.paper_points("air")
    rng = st.time_to_range(t1, r1)
    assert rng.betas.max() == pytest.approx(2.0) and rng.betas.min() == pytest.approx(0.5)
    assert rng.low_h == pytest.approx(t1[0] * (LN08 / math.log(r1[0])) ** 0.5, rel=1e-8)
    assert rng.low_h < rng.exponential_h < rng.high_h
    # beyond twice the 1300 h test the upper end is an extrapolation; a 6.84 % loss is well above repeatability
    assert rng.extrapolated and not rng.loss_within_repeatability and len(rng.flags) == 1
    # Light point: 1.86 % loss after 1000 h is within the ~2 % repeatability of a J-V measurement
    light = st.time_to_range(*st.paper_points("light"))
    assert light.loss_within_repeatability and light.measured_loss == pytest.approx(0.0186, abs=1e-9)
    assert any("repeatability" in f for f in light.flags)
    # a measured curve that reaches T80 within the test is neither flagged as extrapolated nor as noise
    t = np.array([0.0, 200.0, 400.0, 600.0, 800.0])
    short = st.time_to_range(t, np.exp(-t / 2000.0))
    assert not short.extrapolated or short.high_h > 2 * 800.0
    assert not short.loss_within_repeatability
