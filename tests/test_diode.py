"""qdpv.diode against pvlib (independent implementation), analytic limits and published SQ numbers.

pvlib works per cell in A, V and ohm; with an area of 1 cm2, I [A] = J [mA/cm2] / 1000, R [ohm] = R [ohm cm2]
and nNsVth = n k T / q (``qdpv_testing.devices.pvlib_args``).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pvlib import pvsystem
from pvlib.singlediode import bishop88
from scipy import constants as sc

from qdpv import diode, recombination, spectra
from qdpv_testing.devices import pvlib_args, random_devices

# Agreement required with pvlib: 1e-6 relative. Both codes evaluate closed forms in float64, so any real
# disagreement (a sign, a unit, a missing term) is many orders of magnitude larger.
RTOL = 1e-6


def test_current_density_matches_pvlib_i_from_v():
    p = random_devices(3000, seed=1)
    voltage = np.linspace(-0.5, 1.5, 9)[:, np.newaxis]
    ours = diode.current_density(voltage, **p)
    ref = pvsystem.i_from_v(voltage, *pvlib_args(p), method="lambertw") * 1e3
    # Relative to the photocurrent scale where J crosses zero (J itself -> 0 there).
    scale = np.maximum(np.abs(ref), p["jph_mA_cm2"])
    assert np.all(np.abs(ours - ref) <= RTOL * scale)


def test_metrics_match_pvlib_singlediode():
    p = random_devices(3000, seed=2)
    m = diode.metrics(**p)
    ref = pvsystem.singlediode(*pvlib_args(p), method="lambertw")
    np.testing.assert_allclose(m.voc_V, ref["v_oc"], rtol=RTOL)
    np.testing.assert_allclose(m.jsc_mA_cm2, ref["i_sc"] * 1e3, rtol=RTOL)
    np.testing.assert_allclose(m.vmp_V * m.jmp_mA_cm2, ref["p_mp"] * 1e3, rtol=RTOL)
    # PCE at the default 100 mW/cm2 is Pmax in mW/cm2.
    np.testing.assert_allclose(m.pce_percent, ref["p_mp"] * 1e3, rtol=RTOL)


def test_large_forward_bias_matches_bishop88_where_lambertw_argument_overflows():
    # bishop88 gives (I, V) explicitly from the diode voltage, without Lambert W.
    vd, iph, i0, rs, rsh, a = 1.1, 0.02, 1e-15, 5.0, 1e3, 0.03  # I = -8.4 A, V = 43 V
    i, v, _ = bishop88(vd, iph, i0, rs, rsh, a)
    with np.errstate(over="ignore"):
        theta = rs * i0 / (a * (1 + rs / rsh)) * np.exp((rs * (iph + i0) + v) / (a * (1 + rs / rsh)))
    assert np.isinf(theta)  # the naive Lambert-W argument overflows here
    ours = diode.current_density(v, iph * 1e3, i0 * 1e3, a / (sc.k * 300.0 / sc.e), rs, rsh, 300.0)
    assert ours == pytest.approx(i * 1e3, rel=1e-9)


def test_ideal_diode_closed_form_when_rs_zero_and_rsh_infinite():
    v = np.linspace(-0.3, 1.3, 50)
    jph, j0, n, t = 22.0, 1e-18, 1.3, 310.0
    a = n * sc.k * t / sc.e
    j = diode.current_density(v, jph, j0, n, 0.0, np.inf, t)
    np.testing.assert_allclose(j, jph - j0 * np.expm1(v / a), rtol=1e-12, atol=1e-12 * jph)
    m = diode.metrics(jph, j0, n, 0.0, np.inf, t)
    assert m.voc_V == pytest.approx(a * np.log1p(jph / j0), rel=1e-13)
    assert m.jsc_mA_cm2 == pytest.approx(jph, rel=1e-13)


def test_resistances_tend_to_the_ideal_limit():
    args = (np.linspace(0.0, 1.1, 12), 20.0, 1e-17, 1.2)
    ideal = diode.current_density(*args, 0.0, np.inf)
    # Rs = 1e-9 ohm cm2 and Rsh = 1e15 ohm cm2 change J by less than about 1e-9 of Jph.
    near = diode.current_density(*args, 1e-9, 1e15)
    np.testing.assert_allclose(near, ideal, rtol=0, atol=1e-8)


def test_mpp_is_the_maximum_of_a_fine_jv_curve():
    p = {k: v[:50] for k, v in random_devices(50, seed=3).items()}
    m = diode.metrics(**p)
    curve = diode.jv_curve(**p, n_points=20001, v_max_over_voc=1.0)
    p_grid = curve.power_mW_cm2.max(axis=-1)
    pmp = m.vmp_V * m.jmp_mA_cm2
    # A grid step of Voc/20000 misses the maximum by a relative ~1e-8 at most (P is quadratic at its peak).
    assert np.all(p_grid <= pmp * (1 + 1e-12))
    np.testing.assert_allclose(p_grid, pmp, rtol=1e-6)
    assert curve.voltage_V.shape == (50, 20001)
    np.testing.assert_allclose(curve.voltage_V[:, -1], m.voc_V, rtol=1e-12)


def test_metrics_broadcast_over_parameter_grids():
    m = diode.metrics(20.0, np.array([1e-18, 1e-16])[:, np.newaxis], 1.2, np.array([0.0, 2.0, 5.0]), 1e4)
    assert all(np.shape(f) == (2, 3) for f in m)
    assert np.all(np.diff(m.ff, axis=1) < 0)  # more series resistance, lower fill factor
    assert np.all(np.diff(m.voc_V, axis=0) < 0)  # more saturation current, lower Voc


def test_detailed_balance_ruhle_optimum():
    # Ruhle, Solar Energy 130, 139 (2016): 33.7 % at 1.34 eV, AM1.5G, 300 K. Within 0.2 points: the value is
    # printed to 0.1 points, and calculators differ in their AM1.5G data and its integration; the two tests
    # below hold the model to calculators that print more digits, with tighter tolerances.
    assert diode.detailed_balance(1.34).pce_percent == pytest.approx(33.7, abs=0.2)


def test_detailed_balance_marcus_cmc_1p337_eV():
    # marcus-cmc/Shockley-Queisser-limit README (AM1.5G, 300 K): Voc 1.079 V, Jsc 35.14 mA/cm2, FF 88.88 %,
    # PCE 33.703 %; tolerances are half the last printed digit plus 0.01 mA/cm2 on Jsc (edge integration).
    m = diode.detailed_balance(1.337, 300.0)
    assert m.voc_V == pytest.approx(1.079, abs=5e-4)
    assert m.jsc_mA_cm2 == pytest.approx(35.14, abs=0.01)
    assert m.ff == pytest.approx(0.8888, abs=5e-5)
    assert m.pce_percent == pytest.approx(33.703, abs=5e-3)


def test_detailed_balance_greyltc_1p5_eV_at_50_degC():
    # greyltc-org/shockley-queisser-calcs README, 1.5 eV at 323.15 K: Voc 1.2081753 V, Jsc 28.937181 mA/cm2,
    # Vmp 1.1049816 V, FF 89.210498 %, PCE 31.189049 %. Their Jsc is 0.12 % lower (absorption-edge
    # integration), which moves Voc by kT/q * 0.0012 = 0.03 mV and PCE by 0.04 points.
    m = diode.detailed_balance(1.5, 323.15)
    assert m.voc_V == pytest.approx(1.2081753, abs=1e-4)
    assert m.vmp_V == pytest.approx(1.1049816, abs=1e-4)
    assert m.ff == pytest.approx(0.89210498, abs=1e-5)
    assert m.jsc_mA_cm2 == pytest.approx(28.937181, rel=2e-3)
    assert m.pce_percent == pytest.approx(31.189049, abs=0.06)


def test_detailed_balance_cspbi3_gap_params_sheet():
    # Kit params sheet, computed with the same method (Ruhle's full table was not found with the search
    # tool): 1.73 eV -> 28.49 %, Jsc 21.62 mA/cm2, Voc 1.446 V, FF 0.9115 at 300 K. Jsc/PCE tolerances
    # cover the absorption-edge integration (0.3 %); Voc and FF to the printed digits.
    m = diode.detailed_balance(1.73, 300.0)
    assert m.voc_V == pytest.approx(1.446, abs=1e-3)
    assert m.ff == pytest.approx(0.9115, abs=1e-4)
    assert m.jsc_mA_cm2 == pytest.approx(21.62, rel=3e-3)
    assert m.pce_percent == pytest.approx(28.49, abs=0.1)


def test_detailed_balance_curve_at_the_cspbi3_gap_params_sheet():
    # Same independent anchor (params sheet, 1.73 eV, 300 K): the curve starts at Jsc 21.62 mA/cm2 (0.3 %,
    # edge integration), crosses zero at Voc 1.446 V (1e-3 V, printed digits), and its highest power on a
    # 2001-point grid is the 28.49 % limit (0.1 points as above; the grid step of 0.76 mV costs < 1e-4 of it).
    c = diode.detailed_balance_curve(1.73, 300.0, n_points=2001)
    assert c.current_density_mA_cm2[0] == pytest.approx(21.62, rel=3e-3)
    voc = np.interp(0.0, -c.current_density_mA_cm2, c.voltage_V)  # J falls monotonically with V
    assert voc == pytest.approx(1.446, abs=1e-3)
    assert c.power_mW_cm2.max() == pytest.approx(28.49, abs=0.1)
    with pytest.raises(ValueError, match="band_gap_eV"):
        diode.detailed_balance_curve(0.1)


@settings(max_examples=150, deadline=None)
@given(
    band_gap_eV=st.floats(0.8, 2.6),
    temperature_K=st.floats(250.0, 350.0),
    jph_fraction=st.floats(0.01, 1.0),
    log_j0_excess=st.floats(0.0, 12.0),
    rs_ohm_cm2=st.floats(0.0, 20.0),
    log_rsh=st.floats(0.0, 9.0),
)
def test_pce_never_exceeds_detailed_balance(
    band_gap_eV, temperature_K, jph_fraction, log_j0_excess, rs_ohm_cm2, log_rsh
):
    # Any n = 1 device with Jph <= Jsc_SQ and J0 >= J0_rad at the same gap and T stays below the limit.
    limit = diode.detailed_balance(band_gap_eV, temperature_K)
    j0_rad = spectra.photon_current_mA_cm2(spectra.blackbody_photon_flux_m2_s(band_gap_eV, temperature_K))
    m = diode.metrics(
        jph_fraction * limit.jsc_mA_cm2,
        j0_rad * 10**log_j0_excess,
        1.0,
        rs_ohm_cm2,
        10**log_rsh,
        temperature_K,
    )
    assert m.pce_percent <= limit.pce_percent * (1 + 1e-12)


GOOD = {
    "jph_mA_cm2": 20.0,
    "j0_mA_cm2": 1e-18,
    "ideality": 1.2,
    "rs_ohm_cm2": 2.0,
    "rsh_ohm_cm2": 5e3,
    "temperature_K": 298.15,
}


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("j0_mA_cm2", -1e-18),
        ("j0_mA_cm2", 0.0),
        ("ideality", 0.0),
        ("ideality", -1.0),
        ("rs_ohm_cm2", -0.1),
        ("rsh_ohm_cm2", 0.0),
        ("temperature_K", 0.0),
        ("temperature_K", -10.0),
        ("jph_mA_cm2", -1.0),
        ("jph_mA_cm2", np.nan),
        ("ideality", np.nan),
        ("rs_ohm_cm2", np.nan),
    ],
)
@pytest.mark.parametrize("func", ["current_density", "metrics", "jv_curve"])
def test_bad_input_raises_naming_the_parameter(func, name, bad):
    kwargs = {**GOOD, name: bad}
    call = {
        "current_density": lambda: diode.current_density(0.5, **kwargs),
        "metrics": lambda: diode.metrics(**kwargs),
        "jv_curve": lambda: diode.jv_curve(**kwargs),
    }[func]
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: diode.current_density(np.nan, **GOOD), "voltage_V"),
        (lambda: diode.metrics(**{**GOOD, "jph_mA_cm2": 0.0}), "jph_mA_cm2"),
        (lambda: diode.metrics(**GOOD, incident_power_mW_cm2=0.0), "incident_power_mW_cm2"),
        (lambda: diode.jv_curve(**GOOD, n_points=1), "n_points"),
        (lambda: diode.detailed_balance(0.1), "band_gap_eV"),
        (lambda: diode.detailed_balance(1.5, np.nan), "temperature_K"),
    ],
)
def test_other_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_loss_breakdown_of_the_limit_itself_is_zero():
    # The detailed-balance device has no loss to split: every step is zero (to the MPP solver's 1e-9 rel.).
    lim = diode.detailed_balance(1.73, 298.15)
    b = diode.loss_breakdown(1.73, lim.voc_V, lim.jsc_mA_cm2, lim.ff, 298.15)
    assert b.limit_pce_percent == pytest.approx(float(lim.pce_percent), rel=1e-12)
    for loss in (b.jsc_loss_pp, b.voc_loss_pp, b.ff_loss_pp, b.nonradiative_voc_loss_V):
        assert loss == pytest.approx(0.0, abs=1e-9)


def test_loss_breakdown_radiative_diode_with_fewer_photons_has_only_a_jsc_loss():
    # An ideal radiative diode (n = 1, J0 = J0_rad, no R) collecting 90 % of the photons: Rau et al. (2017)
    # would call all of its deficit a short-circuit loss; Voc and FF steps vanish to solver precision.
    lim = diode.detailed_balance(1.6, 298.15)
    j0_rad = spectra.photon_current_mA_cm2(spectra.blackbody_photon_flux_m2_s(1.6, 298.15))
    dev = diode.metrics(0.9 * lim.jsc_mA_cm2, j0_rad, 1.0, 0.0, np.inf, 298.15)
    b = diode.loss_breakdown(1.6, dev.voc_V, dev.jsc_mA_cm2, dev.ff, 298.15)
    assert b.jsc_loss_pp == pytest.approx(float(lim.pce_percent - dev.pce_percent), rel=1e-9)
    assert b.voc_loss_pp == pytest.approx(0.0, abs=1e-9)
    assert b.ff_loss_pp == pytest.approx(0.0, abs=1e-9)


def test_loss_breakdown_tenfold_j0_costs_kT_ln10():
    # Analytic: J0 = 10 J0_rad (ERE 10 %) lowers Voc by (kT/q) ln 10 = 59.2 mV at 298.15 K (Rau 2007/2017),
    # exactly Vt ln((1 + J/J0_rad) / (1 + J/(10 J0_rad))), equal to Vt ln 10 within 1e-15 relative here.
    vt = sc.k * 298.15 / sc.e
    j0_rad = spectra.photon_current_mA_cm2(spectra.blackbody_photon_flux_m2_s(1.73, 298.15))
    dev = diode.metrics(20.0, 10.0 * j0_rad, 1.0, 0.0, np.inf, 298.15)
    b = diode.loss_breakdown(1.73, dev.voc_V, dev.jsc_mA_cm2, dev.ff, 298.15)
    assert b.nonradiative_voc_loss_V == pytest.approx(vt * np.log(10.0), rel=1e-9)
    assert b.voc_loss_pp > 0.0
    assert b.ff_loss_pp == pytest.approx(0.0, abs=1e-9)  # ideal diode: FF is the ideal FF of its Voc


def test_loss_breakdown_steps_match_pvlib_ideal_diodes():
    # A device from pvlib (independent single-diode solver, n = 1.3, Rs 1.5, Rsh 2000 ohm cm2). Each step of the
    # breakdown is the efficiency difference of two cells pvlib also solves: the ideal diode (n = 1, no
    # resistances) with the device's Jsc and the radiative J0 (eta_a), the ideal diode with the device's Jsc and
    # Voc (eta_b), the device itself (eta); the Jsc loss is the detailed-balance limit minus eta_a.
    vt = sc.k * 298.15 / sc.e
    # pvlib works in A and ohm: per cm2, 20.5 mA/cm2 and 1e-16 mA/cm2 in A, R in ohm cm2 (J in A/cm2)
    out = pvsystem.singlediode(20.5e-3, 1e-19, 1.5, 2000.0, 1.3 * vt, method="lambertw")
    voc, jsc, pmp = float(out["v_oc"]), 1e3 * float(out["i_sc"]), 1e3 * float(out["p_mp"])
    b = diode.loss_breakdown([1.73], voc, jsc, pmp / (voc * jsc), 298.15)

    def ideal_pmp(j0_mA_cm2: float) -> float:  # mW/cm2 = % of 100 mW/cm2
        ideal = pvsystem.singlediode(jsc * 1e-3, j0_mA_cm2 * 1e-3, 0.0, np.inf, vt, method="lambertw")
        return 1e3 * float(ideal["p_mp"])

    eta_a = ideal_pmp(float(recombination.radiative_j0_mA_cm2(1.73, 298.15)))
    eta_b = ideal_pmp(jsc / np.expm1(voc / vt))
    assert float(b.jsc_loss_pp[0]) == pytest.approx(float(b.limit_pce_percent[0]) - eta_a, abs=1e-6)
    assert float(b.voc_loss_pp[0]) == pytest.approx(eta_a - eta_b, abs=1e-6)
    assert float(b.ff_loss_pp[0]) == pytest.approx(eta_b - pmp, abs=1e-6)
    assert b.device_pce_percent == pytest.approx(pmp, rel=1e-12)
    assert np.all(b.ff_loss_pp > 0.0) and np.all(b.voc_loss_pp > 0.0) and np.all(b.jsc_loss_pp > 0.0)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"voc_V": 1.6}, "voc_V"),  # above the radiative Voc at 1.73 eV
        ({"jsc_mA_cm2": 25.0}, "jsc_mA_cm2"),  # above the 1.73 eV detailed-balance Jsc (21.7 mA/cm2)
        ({"ff": 1.2}, "ff"),
        ({"voc_V": np.nan}, "voc_V"),
    ],
)
def test_loss_breakdown_bad_input(kwargs, name):
    args = {"band_gap_eV": 1.73, "voc_V": 1.2, "jsc_mA_cm2": 20.0, "ff": 0.8, **kwargs}
    with pytest.raises(ValueError, match=name):
        diode.loss_breakdown(**args)
