"""qdpv.diode.fit_jv and hysteresis_index on J-V curves computed by pvlib, an independent solver.

The curves come from ``pvlib.pvsystem.i_from_v(method="newton")``: Newton's method on the diode voltage
(Bishop 1988), not the Lambert-W form the fit uses, so a sign, unit or parametrisation error in the fit shows up
as a misfit. pvlib works per cell in A, V and ohm; for 1 cm2, I [A] = J [mA/cm2] / 1000, R [ohm] = R [ohm cm2]
and nNsVth = n k T / q. Its figures of merit (``singlediode(method="newton")``) are the reference for Jsc, Voc,
FF and PCE (PCE in % at 100 mW/cm2 is the maximum power in mW/cm2).

The random cells span what a learner may bring: Jph 5-30 mA/cm2, n 1-2.2, Voc 0.5-1.3 V, Rs 0.1-10 ohm cm2,
Rsh 300-1e5 ohm cm2, on sweeps of 15-25 points (coarse) from up to -0.2 V to 1.05-1.2 Voc, either direction.
Noise is Gaussian on J with a standard deviation of 0.1 % or 0.5 % of Jsc (fixed seeds).
"""

from __future__ import annotations

import numpy as np
import pytest
from pvlib import pvsystem
from scipy import constants as sc
from scipy import stats

from qdpv import diode

T_K = 298.15
VT = sc.k * T_K / sc.e
FIGURES = ("jsc_mA_cm2", "voc_V", "ff", "pce_percent")
FIGURE_SE = {"jsc_mA_cm2": "jsc_se_mA_cm2", "voc_V": "voc_se_V", "ff": "ff_se", "pce_percent": "pce_se_percent"}


def _cell(rng: np.random.Generator) -> dict[str, float]:
    n = rng.uniform(1.0, 2.2)
    jph = rng.uniform(5.0, 30.0)
    voc_ideal = rng.uniform(0.5, 1.3)
    return {
        "jph": jph,
        "j0": jph / np.expm1(voc_ideal / (n * VT)),  # J0 from the target Voc of the ideal diode
        "n": n,
        "rs": 10 ** rng.uniform(-1.0, 1.0),
        "rsh": 10 ** rng.uniform(2.5, 5.0),
    }


def _pvlib_j(cell: dict[str, float], v: np.ndarray, temperature_K: float = T_K) -> np.ndarray:
    nnsvth = cell["n"] * sc.k * temperature_K / sc.e
    args = (cell["jph"] / 1e3, cell["j0"] / 1e3, cell["rs"], cell["rsh"], nnsvth)
    return 1e3 * pvsystem.i_from_v(v, *args, method="newton")


def _pvlib_figures(cell: dict[str, float], temperature_K: float = T_K) -> dict[str, float]:
    nnsvth = cell["n"] * sc.k * temperature_K / sc.e
    out = pvsystem.singlediode(cell["jph"] / 1e3, cell["j0"] / 1e3, cell["rs"], cell["rsh"], nnsvth, method="newton")
    jsc, voc, pmax = 1e3 * float(out["i_sc"]), float(out["v_oc"]), 1e3 * float(out["p_mp"])
    return {"jsc_mA_cm2": jsc, "voc_V": voc, "ff": pmax / (voc * jsc), "pce_percent": pmax}


def _grid(cell, n_points, lo_V=-0.1, hi_over_voc=1.1, temperature_K=T_K):
    """Voltages from lo_V to hi_over_voc times pvlib's Voc of the cell."""
    return np.linspace(lo_V, hi_over_voc * _pvlib_figures(cell, temperature_K)["voc_V"], n_points)


def _sweep(cell, rng, n_points, noise_of_jsc):
    """A sweep from -0.2..0 V to 1.05-1.2 Voc, reversed half of the time, with Gaussian noise on J."""
    ref = _pvlib_figures(cell)
    v = np.linspace(rng.uniform(-0.2, 0.0), ref["voc_V"] * rng.uniform(1.05, 1.2), n_points)
    if rng.random() < 0.5:
        v = v[::-1]
    j = _pvlib_j(cell, v) + rng.normal(0.0, noise_of_jsc * ref["jsc_mA_cm2"], v.size)
    return v, j, ref


def _errors(fit, cell) -> dict[str, float]:
    """Fitted minus true value of each fitted parameter (J0 in log space, the shunt as a conductance)."""
    return {
        "jph": fit.jph_mA_cm2 - cell["jph"],
        "ln_j0": np.log(fit.j0_mA_cm2 / cell["j0"]),
        "n": fit.ideality - cell["n"],
        "rs": fit.rs_ohm_cm2 - cell["rs"],
        "gsh": fit.gsh_mS_cm2 - 1e3 / cell["rsh"],
    }


def _ses(fit) -> dict[str, float]:
    return {
        "jph": fit.jph_se_mA_cm2,
        "ln_j0": fit.ln_j0_se,
        "n": fit.ideality_se,
        "rs": fit.rs_se_ohm_cm2,
        "gsh": fit.gsh_se_mS_cm2,
    }


def test_noise_free_coarse_sweeps_recover_every_parameter():
    # pvlib's Newton solution agrees with the Lambert-W form to ~1e-10 mA/cm2 (test_diode); the fit stops at
    # relative steps of 1e-12. What is left is rounding amplified by the n-J0 correlation: over these curves
    # the largest errors are ~1e-7 in n and ~2e-6 in ln J0. The tolerances keep a margin of about 50 for other
    # platforms: n 1e-5, ln J0 1e-4, Rs 1e-5 ohm cm2, Gsh 1e-5 mS/cm2, Jph and the figures 1e-6 relative.
    rng = np.random.default_rng(20261201)
    for _ in range(40):
        cell = _cell(rng)
        v, j, ref = _sweep(cell, rng, int(rng.integers(15, 26)), 0.0)
        fit = diode.fit_jv(v, j)
        assert fit.converged and fit.n_points == v.size
        for name in FIGURES:
            assert getattr(fit, name) == pytest.approx(ref[name], rel=1e-6), name
        err = _errors(fit, cell)
        assert abs(err["jph"]) <= 1e-6 * cell["jph"]
        assert abs(err["n"]) <= 1e-5
        assert abs(err["ln_j0"]) <= 1e-4
        assert abs(err["rs"]) <= 1e-5
        assert abs(err["gsh"]) <= 1e-5
        assert fit.rsh_ohm_cm2 == pytest.approx(cell["rsh"], rel=1e-4)
        assert fit.residual_rms_mA_cm2 <= 1e-6 * ref["jsc_mA_cm2"]


@pytest.fixture(scope="module")
def noisy_fits():
    """(noise, fit, cell, pvlib figures) for 120 noisy coarse sweeps: 60 at 0.1 % and 60 at 0.5 % of Jsc."""
    rng = np.random.default_rng(20261202)
    out = []
    for noise in (0.001, 0.005):
        for _ in range(60):
            cell = _cell(rng)
            v, j, ref = _sweep(cell, rng, int(rng.integers(15, 26)), noise)
            out.append((noise, diode.fit_jv(v, j), cell, ref))
    return out


def test_noisy_figures_of_merit_are_tight(noisy_fits):
    # With sigma = 0.5 % of Jsc on 15-25 points the standard errors of the fitted figures are about 0.2 % on
    # Jsc, 1-2 mV on Voc, 0.002-0.004 on FF and 0.3 % on PCE; the caps below are three to four times that,
    # scaled with the noise, and hold for every curve. The figures read off the points are worse on a coarse
    # sweep (linear interpolation across the exponential near Voc, a parabola over a 50-90 mV step at the
    # maximum power point), which is why the fitted ones are the headline numbers: checked on the average.
    worse = []
    for noise, fit, _, ref in noisy_fits:
        scale = noise / 0.005
        assert fit.converged
        assert abs(fit.jsc_mA_cm2 / ref["jsc_mA_cm2"] - 1) <= 0.01 * scale
        assert abs(fit.voc_V - ref["voc_V"]) <= 0.008 * scale
        assert abs(fit.ff - ref["ff"]) <= 0.015 * scale
        assert abs(fit.pce_percent / ref["pce_percent"] - 1) <= 0.015 * scale
        worse.append(abs(fit.measured.ff - ref["ff"]) > abs(fit.ff - ref["ff"]))
    assert np.mean(worse) > 0.7


def test_noisy_estimates_lie_within_their_standard_errors(noisy_fits):
    # Each estimate within 6 of its own standard errors: the errors are linearised, which is rough for n and
    # J0 on 15 noisy points, so a single curve gets a wide band; whether the standard errors are right is
    # checked on the whole set in the next test.
    for _, fit, cell, ref in noisy_fits:
        err, se = _errors(fit, cell), _ses(fit)
        for name in err:
            assert np.isfinite(se[name]) and se[name] > 0, name
            assert abs(err[name]) <= 6 * se[name], (name, err[name], se[name])
        for name in FIGURES:
            se_fig = getattr(fit, FIGURE_SE[name])
            assert abs(getattr(fit, name) - ref[name]) <= 6 * se_fig, (name, se_fig)


def test_standard_errors_are_calibrated(noisy_fits):
    # For a correct standard error the error/SE ratio z is close to N(0, 1): |z| < 1 in 68 % and |z| < 2 in
    # 95 % of the curves. With 120 curves the fraction has a binomial spread of 0.04, so the bands [0.55, 0.82]
    # and >= 0.88 are about three spreads wide; a standard error off by a factor 1.5 either way fails them.
    z = {name: [] for name in ("jph", "ln_j0", "n", "rs", "gsh", *FIGURES)}
    for _, fit, cell, ref in noisy_fits:
        err, se = _errors(fit, cell), _ses(fit)
        for name in err:
            z[name].append(err[name] / se[name])
        for name in FIGURES:
            z[name].append((getattr(fit, name) - ref[name]) / getattr(fit, FIGURE_SE[name]))
    for name, values in z.items():
        a = np.abs(values)
        assert 0.55 <= np.mean(a < 1) <= 0.82, (name, np.mean(a < 1))
        assert np.mean(a < 2) >= 0.88, (name, np.mean(a < 2))


def test_residual_rms_estimates_the_noise(noisy_fits):
    # N s^2 / sigma^2 = sum (r/sigma)^2 follows chi^2 with N - 5 degrees of freedom (a little less where far
    # forward points are weighted down): each curve must lie between its 1e-4 and 1 - 1e-4 quantiles, and the
    # unbiased variance N s^2/(N - 5) averaged over the 120 curves must be sigma^2 to within 0.1 (the mean of
    # 120 draws of chi^2_nu/nu spreads by sqrt(2/nu/120) ~ 0.04 for nu = 10-20).
    unbiased = []
    for noise, fit, _, ref in noisy_fits:
        n, dof = fit.n_points, fit.n_points - 5
        chi2 = n * (fit.residual_rms_mA_cm2 / (noise * ref["jsc_mA_cm2"])) ** 2
        assert stats.chi2.ppf(1e-4, dof) <= chi2 <= stats.chi2.ppf(1 - 1e-4, dof)
        unbiased.append(chi2 / dof)
    assert np.mean(unbiased) == pytest.approx(1.0, abs=0.1)


def test_a_very_large_shunt_is_reported_as_undetermined():
    # Rsh = 1e7 ohm cm2 draws 1e-4 mA/cm2 at 1 V, a hundred times below the noise (0.3 % of 20 mA/cm2 =
    # 0.06 mA/cm2): the data cannot see the shunt. The fit must say so: a conductance consistent with zero and
    # a standard error far above the true 1e-4 mS/cm2, hence a relative error of Rsh of at least 1/3 (or an
    # infinite Rsh), while 1/(G + 2 sigma_G) is a lower bound the true Rsh respects. The other parameters stay
    # determined.
    cell = {"jph": 20.0, "j0": 1e-12, "n": 1.5, "rs": 3.0, "rsh": 1e7}
    g_true = 1e3 / cell["rsh"]
    v = _grid(cell, 25)
    for seed in range(10):
        rng = np.random.default_rng(seed)
        j = _pvlib_j(cell, v) + rng.normal(0.0, 0.06, v.size)
        fit = diode.fit_jv(v, j)
        assert fit.converged
        assert fit.gsh_se_mS_cm2 > 10 * g_true
        assert fit.gsh_mS_cm2 <= 3 * fit.gsh_se_mS_cm2
        assert fit.rsh_se_ohm_cm2 >= fit.rsh_ohm_cm2 / 3 or np.isinf(fit.rsh_ohm_cm2)
        assert 1e3 / (fit.gsh_mS_cm2 + 2 * fit.gsh_se_mS_cm2) <= cell["rsh"]
        assert abs(fit.ideality - cell["n"]) <= 5 * fit.ideality_se < 0.2
        assert abs(fit.rs_ohm_cm2 - cell["rs"]) <= 5 * fit.rs_se_ohm_cm2 < 1.0


def test_zero_series_resistance_is_found_on_its_bound():
    # Rs = 0 is the lower bound of the fit; a noise-free curve must come back to it (within the fit tolerance).
    cell = {"jph": 22.0, "j0": 1e-14, "n": 1.3, "rs": 0.0, "rsh": 5e3}
    v = _grid(cell, 20, lo_V=0.0)
    fit = diode.fit_jv(v, _pvlib_j(cell, v))
    assert fit.rs_ohm_cm2 <= 1e-6
    assert fit.ideality == pytest.approx(1.3, abs=1e-6)


def test_a_straight_shunt_dominated_curve_gives_its_figures_but_no_parameters():
    # Rsh = 60 ohm cm2 with Jph = 5 mA/cm2: the shunt takes the whole current before the diode turns on, the
    # curve is a straight line (FF = 0.25) and the diode parameters are not determined by it. The fitted curve
    # still gives the figures of merit; the standard errors of the parameters must be nan, not a number.
    cell = {"jph": 5.0, "j0": 1e-13, "n": 2.0, "rs": 1.0, "rsh": 60.0}
    ref = _pvlib_figures(cell)
    assert ref["ff"] == pytest.approx(0.25, abs=1e-3)
    rng = np.random.default_rng(3)
    v = _grid(cell, 25)
    fit = diode.fit_jv(v, _pvlib_j(cell, v) + rng.normal(0.0, 0.015, v.size))
    assert fit.pce_percent == pytest.approx(ref["pce_percent"], rel=0.005)
    assert fit.ff == pytest.approx(0.25, abs=0.002)
    assert np.isnan(fit.ideality_se) and np.isnan(fit.ln_j0_se) and np.all(np.isnan(fit.covariance))


def test_far_forward_points_do_not_swamp_the_fit():
    # Rs = 0, n = 1.02 and a coarse sweep to 1.3 Voc: the last points carry up to 1e6 mA/cm2. Unweighted, they
    # outweigh the power quadrant and the fit fails on every one of these ten noisy sweeps (checked by
    # removing the weights); weighted by Jsc/|J| beyond |J| = Jsc, it recovers the cell on each of them.
    cell = {"jph": 7.4, "j0": 7.4 / np.expm1(1.06 / (1.02 * VT)), "n": 1.02, "rs": 0.0, "rsh": 7e5}
    ref = _pvlib_figures(cell)
    v = _grid(cell, 15, lo_V=-0.25, hi_over_voc=1.3)
    for seed in range(10):
        rng = np.random.default_rng(seed)
        j = _pvlib_j(cell, v) + rng.normal(0.0, 0.003 * ref["jsc_mA_cm2"], v.size)
        assert j.min() < -1e5 * ref["jsc_mA_cm2"]
        fit = diode.fit_jv(v, j)
        assert fit.converged
        assert fit.pce_percent == pytest.approx(ref["pce_percent"], rel=0.01)
        assert abs(fit.ideality - cell["n"]) <= 5 * fit.ideality_se


def test_direction_and_order_of_the_sweep_do_not_matter():
    cell = {"jph": 21.0, "j0": 3e-13, "n": 1.6, "rs": 2.5, "rsh": 1500.0}
    rng = np.random.default_rng(11)
    v = _grid(cell, 21)
    j = _pvlib_j(cell, v) + rng.normal(0.0, 0.05, v.size)
    forward, reverse = diode.fit_jv(v, j), diode.fit_jv(v[::-1], j[::-1])
    for name in ("jph_mA_cm2", "j0_mA_cm2", "ideality", "rs_ohm_cm2", "rsh_ohm_cm2", *FIGURES):
        assert getattr(reverse, name) == pytest.approx(getattr(forward, name), rel=1e-9), name


def test_temperature_sets_the_thermal_voltage_and_power_the_pce():
    # A curve made by pvlib at 330 K is fitted with the ideality it was made with only if the fit uses 330 K;
    # the PCE scales as 1/P_in and nothing else changes with the light power argument.
    cell = {"jph": 18.0, "j0": 1e-11, "n": 1.4, "rs": 1.5, "rsh": 4000.0}
    v = _grid(cell, 30, temperature_K=330.0)
    j = _pvlib_j(cell, v, temperature_K=330.0)
    hot = diode.fit_jv(v, j, temperature_K=330.0)
    assert hot.ideality == pytest.approx(1.4, abs=1e-5) and hot.temperature_K == 330.0
    assert diode.fit_jv(v, j).ideality == pytest.approx(1.4 * 330.0 / T_K, rel=1e-4)
    half_sun = diode.fit_jv(v, j, temperature_K=330.0, incident_power_mW_cm2=50.0)
    assert half_sun.pce_percent == pytest.approx(2 * hot.pce_percent, rel=1e-12)
    assert half_sun.measured.pce_percent == pytest.approx(2 * hot.measured.pce_percent, rel=1e-12)
    assert half_sun.ff == hot.ff


def test_measured_figures_converge_to_pvlib_on_a_dense_sweep():
    # Read off the points: Jsc and Voc by linear interpolation (error ~ h^2 J''/8), the maximum power by a
    # parabola (error ~ h^3). With a 0.6 mV step all are far inside 1e-4 relative.
    cell = {"jph": 23.0, "j0": 1e-15, "n": 1.2, "rs": 4.0, "rsh": 800.0}
    ref = _pvlib_figures(cell)
    v = _grid(cell, 2000)
    measured = diode.fit_jv(v, _pvlib_j(cell, v)).measured
    for name in FIGURES:
        assert getattr(measured, name) == pytest.approx(ref[name], rel=1e-4), name
    assert measured.vmp_V * measured.jmp_mA_cm2 == pytest.approx(ref["pce_percent"], rel=1e-4)


def test_fitted_curve_method_reproduces_the_data():
    cell = {"jph": 19.0, "j0": 1e-12, "n": 1.7, "rs": 2.0, "rsh": 2500.0}
    v = _grid(cell, 18, lo_V=0.0)
    j = _pvlib_j(cell, v)
    fit = diode.fit_jv(v, j)
    np.testing.assert_allclose(fit.current_density(v), j, atol=1e-6 * cell["jph"])


# ---------------------------------------------------------------------------------------------------------
# hysteresis index
# ---------------------------------------------------------------------------------------------------------


def test_hysteresis_index_matches_pvlib_maximum_powers():
    # Two pvlib cells stand in for the reverse (better) and forward sweep of one device; on dense sweeps the
    # index read off the points equals (Pmax_rev - Pmax_fwd)/Pmax_rev of pvlib's maximum powers to 1e-5.
    reverse_cell = {"jph": 22.0, "j0": 1e-13, "n": 1.5, "rs": 2.0, "rsh": 3000.0}
    forward_cell = {"jph": 21.0, "j0": 1e-11, "n": 1.7, "rs": 6.0, "rsh": 800.0}
    p_rev = _pvlib_figures(reverse_cell)["pce_percent"]
    p_fwd = _pvlib_figures(forward_cell)["pce_percent"]
    v = np.linspace(-0.1, 1.4, 3000)
    hi = diode.hysteresis_index(v, _pvlib_j(forward_cell, v), v[::-1], _pvlib_j(reverse_cell, v[::-1]))
    assert hi == pytest.approx((p_rev - p_fwd) / p_rev, abs=1e-5)
    assert hi > 0
    # exchanging the sweeps gives "inverted" hysteresis: HI' = (P_f - P_r)/P_f = -HI/(1 - HI)
    swapped = diode.hysteresis_index(v, _pvlib_j(reverse_cell, v), v, _pvlib_j(forward_cell, v))
    assert swapped == pytest.approx(-hi / (1 - hi), rel=1e-9)


def test_hysteresis_index_of_identical_sweeps_is_zero():
    cell = {"jph": 20.0, "j0": 1e-12, "n": 1.5, "rs": 3.0, "rsh": 2000.0}
    v = _grid(cell, 15)
    j = _pvlib_j(cell, v)
    assert diode.hysteresis_index(v, j, v[::-1], j[::-1]) == 0.0


# ---------------------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------------------

GOOD_CELL = {"jph": 20.0, "j0": 1e-12, "n": 1.5, "rs": 3.0, "rsh": 2000.0}
V_GOOD = _grid(GOOD_CELL, 12)
J_GOOD = _pvlib_j(GOOD_CELL, V_GOOD)


def _with(arr, index, value):
    out = np.array(arr, dtype=float)
    out[index] = value
    return out


@pytest.mark.parametrize(
    ("kwargs", "param", "words"),
    [
        ({"voltage_V": V_GOOD[:7], "j_mA_cm2": J_GOOD[:7]}, "voltage_V", "at least 8"),
        ({"voltage_V": _with(V_GOOD, 3, np.nan)}, "voltage_V", "NaN"),
        ({"voltage_V": _with(V_GOOD, 3, np.inf)}, "voltage_V", "(-inf, inf)"),
        ({"j_mA_cm2": _with(J_GOOD, 2, np.nan)}, "j_mA_cm2", "NaN"),
        ({"j_mA_cm2": _with(J_GOOD, 2, -np.inf)}, "j_mA_cm2", "(-inf, inf)"),
        ({"j_mA_cm2": J_GOOD[:-1]}, "j_mA_cm2", "shape"),
        ({"voltage_V": np.stack([V_GOOD, V_GOOD]), "j_mA_cm2": np.stack([J_GOOD, J_GOOD])}, "voltage_V", "1-D"),
        ({"voltage_V": _with(V_GOOD, 5, V_GOOD[4])}, "voltage_V", "monotonic"),
        ({"voltage_V": _with(V_GOOD, 5, 0.9)}, "voltage_V", "monotonic"),
        ({"voltage_V": V_GOOD + 0.2}, "voltage_V", "short circuit"),
        ({"j_mA_cm2": -J_GOOD}, "j_mA_cm2", "power quadrant"),
        ({"j_mA_cm2": J_GOOD - 50.0}, "j_mA_cm2", "power quadrant"),
        ({"j_mA_cm2": J_GOOD + 1000.0}, "j_mA_cm2", "open circuit"),
        (
            {
                "voltage_V": np.r_[np.linspace(-0.5, -0.05, 9), 0.5, 1.3],
                "j_mA_cm2": np.r_[np.full(9, 20.0), 10.0, -5.0],
            },
            "voltage_V",
            "power quadrant",
        ),
        ({"temperature_K": 0.0}, "temperature_K", "(0, 1000]"),
        ({"temperature_K": np.nan}, "temperature_K", "NaN"),
        ({"temperature_K": [298.15, 300.0]}, "temperature_K", "single value"),
        ({"incident_power_mW_cm2": -100.0}, "incident_power_mW_cm2", "(0, inf)"),
        ({"incident_power_mW_cm2": "sun"}, "incident_power_mW_cm2", "number"),
    ],
)
def test_fit_jv_rejects_bad_input_naming_the_parameter(kwargs, param, words):
    args = {"voltage_V": V_GOOD, "j_mA_cm2": J_GOOD, **kwargs}
    with pytest.raises(ValueError, match=param) as info:
        diode.fit_jv(**args)
    assert words in str(info.value)


def test_a_sweep_without_a_power_quadrant_says_so():
    # A dark curve, or a light curve in the load sign convention, has no J > 0 at 0 V: the message says what is
    # missing and how to fix the sign.
    with pytest.raises(ValueError, match=r"no power quadrant.*load") as info:
        diode.fit_jv(V_GOOD, -J_GOOD)
    assert "j_mA_cm2" in str(info.value)


@pytest.mark.parametrize("which", ["forward", "reverse"])
@pytest.mark.parametrize(
    ("part", "value", "words"),
    [
        ("voltage_V", V_GOOD[:5], "at least 8"),
        ("voltage_V", _with(V_GOOD, 4, np.nan), "NaN"),
        ("j_mA_cm2", -J_GOOD, "power quadrant"),
        ("j_mA_cm2", J_GOOD + 1000.0, "open circuit"),
    ],
)
def test_hysteresis_index_rejects_bad_sweeps_naming_them(which, part, value, words):
    args = {
        "forward_voltage_V": V_GOOD,
        "forward_j_mA_cm2": J_GOOD,
        "reverse_voltage_V": V_GOOD[::-1],
        "reverse_j_mA_cm2": J_GOOD[::-1],
    }
    args[f"{which}_{part}"] = value
    with pytest.raises(ValueError, match=f"{which}_") as info:
        diode.hysteresis_index(**args)
    assert words in str(info.value)
