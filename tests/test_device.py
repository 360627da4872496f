"""qdpv.device, the kit's illustrative cell, held to analytic limits, a published detailed-balance optimum and the
textbook physics it is built from (not to its own calibration targets)."""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import constants as sc

from qdpv import confinement, device, diode, recombination
from qdpv.materials import CsPbBr3
from qdpv.paper import PAPER

VT = sc.k * 298.15 / sc.e  # thermal voltage at 298.15 K, V


def _ideal(**changes):
    """Knobs of a cell with no non-radiative loss and ideal circuit (S0 = 0, a trace of traps, n = 1, no R)."""
    return {"band_gap_eV": 1.34, "bulk_lifetime_s": 1e6, "interface_velocity_cm_s": 0.0, "qd_size_nm": 7.6,
            "qd_coverage": 0.0, "ideality": 1.0, "rs_ohm_cm2": 0.0, "rsh_ohm_cm2": np.inf, "temperature_K": 300.0,
            "collection_efficiency": 1.0, **changes}


def test_a_loss_free_cell_reaches_the_published_detailed_balance_optimum():
    # Ruhle, Solar Energy 130, 139 (2016): 33.7 % at 1.34 eV, AM1.5G, 300 K, printed to 0.1 point; 0.2 points
    # allow for the spectrum's tabulation. The device model must reduce to it when every loss is switched off.
    m = diode.metrics(*device.device_parameters(**_ideal()))
    assert float(m.pce_percent) == pytest.approx(33.7, abs=0.2)


def test_interface_dominated_voc_gain_is_kT_over_q_times_kappa_c_g():
    # With interface recombination dominant and no shunt, J0 at n = 1 scales as S, so Voc rises by
    # (kT/q) ln(S0/S) = (kT/q) kappa c g(d) (analytic); the ideality does not change the implied Voc.
    # Bulk and radiative J0 are 1e-6 of the interface term here, so 1e-5 V is ample.
    kappa, c, d = 3.0, 0.8, 6.0
    knobs = _ideal(band_gap_eV=1.73, temperature_K=298.15, interface_velocity_cm_s=1e5, qd_size_nm=d,
                   ideality=1.4, passivation_strength=kappa, qd_coverage=np.array([0.0, c]))
    voc = diode.metrics(*device.device_parameters(**knobs)).voc_V
    assert voc[1] - voc[0] == pytest.approx(VT * kappa * c * float(device.size_match(d)), abs=1e-5)


def test_size_match_peaks_at_the_dots_of_the_papers_pores_and_is_symmetric_in_log_size():
    best = float(confinement.pore_to_dot_nm(PAPER.medium_msn_pore_nm))  # the paper's best pores, ~8 nm
    assert device.size_match(best) == pytest.approx(1.0)
    assert device.size_match(best / 2) == pytest.approx(device.size_match(best * 2))
    # no other pore size of the templating range gives a better match than the paper's own
    pores = np.linspace(2.8, 13.0, 103)
    assert np.all(device.size_match(confinement.pore_to_dot_nm(pores)) <= 1.0 + 1e-12)
    assert device.size_match(best * 1.5) < device.size_match(CsPbBr3.bohr_diameter_nm) < 1.0


def test_passivation_only_acts_with_coverage():
    s0 = 1e4
    assert device.passivated_velocity_cm_s(s0, 8.0, 0.0) == pytest.approx(s0)
    s = device.passivated_velocity_cm_s(s0, 8.0, np.linspace(0.0, 1.0, 11))
    assert np.all(np.diff(s) < 0)


def test_knobs_go_through_the_pore_to_dot_rule_and_the_srh_lifetime():
    # device_from_knobs is device_parameters after pores -> dots and traps -> lifetime; checked by doing both
    # conversions with the textbook functions and comparing every diode parameter.
    chosen = device.ILLUSTRATIVE_DEVICE
    pore, aspect, nt, s0 = 6.0, 2.0, 3e15, 2e4
    cells = device.device_from_knobs(pore, 0.7, trap_density_cm3=nt, interface_velocity_cm_s=s0, aspect=aspect)
    tau = recombination.srh_lifetime_s(nt, chosen["capture_cross_section_cm2"].value,
                                       chosen["thermal_velocity_cm_s"].value)
    dot = confinement.pore_to_dot_nm(pore, aspect)
    expected = device.device_parameters(
        band_gap_eV=1.73, bulk_lifetime_s=tau, interface_velocity_cm_s=s0, qd_size_nm=dot, qd_coverage=0.7,
        ideality=1.2, rs_ohm_cm2=1.5, rsh_ohm_cm2=5000.0,
    )
    np.testing.assert_allclose(np.array(cells.diode, dtype=float), np.array(expected, dtype=float), rtol=1e-12)
    assert cells.dot_nm == pytest.approx(float(dot)) and cells.bulk_lifetime_s == pytest.approx(float(tau))
    # the three saturation currents are the textbook ones
    assert cells.j0_interface_mA_cm2 == pytest.approx(
        float(recombination.interface_j0_mA_cm2(1.73, cells.interface_velocity_cm_s, 1e14, 298.15)), rel=1e-12)
    assert cells.j0_bulk_mA_cm2 == pytest.approx(float(recombination.bulk_j0_mA_cm2(1.73, tau, 500.0, 1e14)))


def test_arrays_broadcast_like_separate_calls():
    both = device.device_from_knobs(8.0, np.array([0.0, 0.9]))
    for i, c in enumerate((0.0, 0.9)):
        one = device.device_from_knobs(8.0, c)
        for a, b in zip(both[:-1], one[:-1], strict=True):
            assert a[i] == pytest.approx(float(b), rel=1e-12)
    assert all(np.shape(x) == (2,) for x in both[:-1])


def test_best_pore_grows_the_best_dots_for_every_crystal_length():
    aspect = np.array([0.5, 1.0, 2.0, 4.0])
    dots = confinement.pore_to_dot_nm(device.best_pore_nm(aspect), aspect)
    np.testing.assert_allclose(device.size_match(dots), 1.0, rtol=1e-12)
    # longer crystals confine less, so smaller pores reach the same dot
    assert np.all(np.diff(device.best_pore_nm(aspect)) < 0)


def test_passivation_progress_runs_from_control_to_champion_in_log_velocity():
    s0 = device.UNTREATED_VELOCITY_CM_S
    s_champion = float(device.device_from_knobs(**device.PRESETS["paper: champion"]).interface_velocity_cm_s)
    p = device.passivation_progress(np.array([s0, np.sqrt(s0 * s_champion), s_champion]))
    np.testing.assert_allclose(p, [0.0, 0.5, 1.0], atol=1e-12)


def test_raw_parameters_beyond_detailed_balance_are_refused_with_the_limit():
    jsc_max = float(diode.detailed_balance(1.73, 298.15).jsc_mA_cm2)
    device.check_raw_diode(1.73, jsc_max * 0.999, 1e-15, 1.2)
    with pytest.raises(ValueError, match=rf"jph_mA_cm2 .*at most {jsc_max:.2f} mA/cm2"):
        device.check_raw_diode(1.73, jsc_max * 1.01, 1e-15, 1.2)
    # J0 below the radiative one at n = 1 means Voc above the radiative limit
    j0_rad = float(recombination.radiative_j0_mA_cm2(1.73, 298.15))
    device.check_raw_diode(1.73, 20.0, j0_rad * 1.01, 1.0)
    with pytest.raises(ValueError, match="radiative limit"):
        device.check_raw_diode(1.73, 20.0, j0_rad * 0.99, 1.0)


def test_the_champion_runs_at_the_edge_of_high_injection():
    # its Voc puts more carriers than the 1e14 cm^-3 background in the film, which the device app flags
    voc = float(diode.metrics(*device.device_from_knobs(**device.PRESETS["paper: champion"]).diode).voc_V)
    assert float(recombination.injection_ratio(voc, 1.73, 1e14)) > 1


def test_calibration_is_computed_on_first_use_not_on_import():
    code = ("import qdpv.device as d; assert d.calibration.cache_info().currsize == 0; "
            "d.PRESETS; assert d.calibration.cache_info().currsize == 1")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_illustrative_value_has_a_reason():
    for key, choice in device.ILLUSTRATIVE_DEVICE.items():
        assert np.isfinite(choice.value) and len(choice.why) > 10, key


@settings(max_examples=120, deadline=None)
@given(
    band_gap_eV=st.floats(1.0, 2.5),
    temperature_K=st.floats(250.0, 350.0),
    log_tau=st.floats(-10.0, -3.0),
    log_s=st.floats(0.0, 6.0),
    qd_size_nm=st.floats(1.0, 30.0),
    qd_coverage=st.floats(0.0, 1.0),
    ideality=st.floats(1.0, 3.0),
    rs_ohm_cm2=st.floats(0.0, 20.0),
    log_rsh=st.floats(1.0, 8.0),
    collection_efficiency=st.floats(0.05, 1.0),
)
def test_device_pce_never_exceeds_detailed_balance(
    band_gap_eV, temperature_K, log_tau, log_s, qd_size_nm, qd_coverage, ideality, rs_ohm_cm2, log_rsh,
    collection_efficiency,
):
    params = device.device_parameters(
        band_gap_eV=band_gap_eV, bulk_lifetime_s=10**log_tau, interface_velocity_cm_s=10**log_s,
        qd_size_nm=qd_size_nm, qd_coverage=qd_coverage, ideality=ideality, rs_ohm_cm2=rs_ohm_cm2,
        rsh_ohm_cm2=10**log_rsh, temperature_K=temperature_K, collection_efficiency=collection_efficiency,
    )
    limit = diode.detailed_balance(band_gap_eV, temperature_K)
    assert diode.metrics(*params).pce_percent <= limit.pce_percent * (1 + 1e-12)


KNOBS = {"band_gap_eV": 1.73, "bulk_lifetime_s": 1e-6, "interface_velocity_cm_s": 1e4, "qd_size_nm": 7.6,
         "qd_coverage": 0.9, "ideality": 1.2, "rs_ohm_cm2": 1.5, "rsh_ohm_cm2": 5000.0}


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: device.size_match(0.0), "qd_size_nm"),
        (lambda: device.passivated_velocity_cm_s(1e4, 8.0, 1.2), "qd_coverage"),
        (lambda: device.passivated_velocity_cm_s(1e4, 8.0, 0.5, -1.0), "strength"),
        (lambda: device.device_parameters(**{**KNOBS, "ideality": np.nan}), "ideality"),
        (lambda: device.device_parameters(**{**KNOBS, "rs_ohm_cm2": -1.0}), "rs_ohm_cm2"),
        (lambda: device.device_parameters(**{**KNOBS, "temperature_K": -1.0}), "temperature_K"),
        (lambda: device.device_parameters(**{**KNOBS, "qd_coverage": -0.1}), "qd_coverage"),
        (lambda: device.device_parameters(**{**KNOBS, "band_gap_eV": 5.0}), "band_gap_eV"),
        # the message names this function's parameter, not the inner function's "strength"
        (lambda: device.device_parameters(**{**KNOBS, "passivation_strength": -1.0}), "passivation_strength"),
        (lambda: device.device_from_knobs(-8.0, 0.5), "pore_nm"),
        (lambda: device.device_from_knobs(8.0, 0.5, trap_density_cm3=0.0), "trap_density_cm3"),
        (lambda: device.device_from_knobs(8.0, 0.5, aspect=0.0), "aspect"),
        (lambda: device.device_from_knobs(8.0, 0.5, interface_velocity_cm_s=-1.0), "interface_velocity_cm_s"),
        (lambda: device.best_pore_nm(np.nan), "aspect"),
        (lambda: device.passivation_progress(0.0), "interface_velocity_cm_s"),
        (lambda: device.passivation_progress(1e9), "interface_velocity_cm_s"),
        (lambda: device.check_raw_diode(1.73, -1.0, 1e-15, 1.2), "jph_mA_cm2"),
        (lambda: device.check_raw_diode(1.73, 20.0, 1e-15, 0.5), "ideality"),
    ],
)
def test_bad_input_names_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
