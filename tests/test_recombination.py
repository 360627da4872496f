"""qdpv.recombination against textbook numbers, analytic identities and the paper's champion efficiency."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import constants as sc

from qdpv import confinement, diode, recombination
from qdpv.materials import CsPbBr3
from qdpv.paper import PAPER


def test_radiative_j0_matches_independent_sq_calculator():
    # marcus-cmc/Shockley-Queisser-limit README: J0 = 2.64e-17 mA/cm2 at 1.337 eV, 300 K (3 digits -> 0.5 %).
    assert recombination.radiative_j0_mA_cm2(1.337, 300.0) == pytest.approx(2.64e-17, rel=5e-3)


def test_nonradiative_voc_loss_value():
    # kT/q ln(1e4) at 298.15 K = 25.693 mV * 9.2103 = 0.23664 V (analytic, CODATA constants).
    expected = sc.k * 298.15 / sc.e * np.log(1e4)
    assert recombination.nonradiative_voc_loss_V(1e-4) == pytest.approx(expected, rel=1e-12)
    assert recombination.nonradiative_voc_loss_V(1.0) == 0.0


def test_ere_loss_equals_voc_drop_of_the_ideal_diode():
    # Dividing J0_rad by ERE lowers the ideal-diode Voc by kT/q ln(1/ERE) (Rau 2007); the "+1" in
    # ln(1 + Jph/J0) makes the identity approximate only to ~kT/q * J0/Jph < 1e-12 V here.
    eg, t, ere = 1.73, 300.0, 3e-4
    limit = diode.detailed_balance(eg, t)
    j0 = recombination.radiative_j0_mA_cm2(eg, t) / ere
    voc = diode.metrics(limit.jsc_mA_cm2, j0, 1.0, 0.0, np.inf, t).voc_V
    assert limit.voc_V - voc == pytest.approx(recombination.nonradiative_voc_loss_V(ere, t), abs=1e-9)
    assert recombination.external_radiative_efficiency(j0, eg, t) == pytest.approx(ere, rel=1e-12)


def test_srh_lifetime():
    # 1 / (1e-15 cm2 * 1e7 cm/s * 1e15 cm^-3) = 100 ns (analytic).
    assert recombination.srh_lifetime_s(1e15, 1e-15, 1e7) == pytest.approx(1e-7, rel=1e-12)


def test_effective_density_of_states_textbook_values():
    # Pierret, Semiconductor Device Fundamentals (1996): 2.51e19 cm^-3 (m*/m0)^1.5 at 300 K; silicon with
    # m_n* = 1.18, m_p* = 0.81 gives Nc = 3.22e19 and Nv = 1.83e19 cm^-3. Printed to 3 digits -> 0.3 %.
    nc = recombination.effective_density_of_states_cm3([1.0, 1.18, 0.81], 300.0)
    np.testing.assert_allclose(nc, [2.51e19, 3.22e19, 1.83e19], rtol=3e-3)


def test_intrinsic_density_law_of_mass_action():
    # n_i^2 exp(Eg/kT) = Nc Nv, independent of the gap (analytic).
    eg = np.array([1.5, 1.73, 2.0])
    t = 298.15
    ni = recombination.intrinsic_density_cm3(eg, t, "CsPbI3")
    nc = recombination.effective_density_of_states_cm3(0.228, t)
    np.testing.assert_allclose(ni**2 * np.exp(eg / (sc.k * t / sc.e)), nc * nc, rtol=1e-12)


def test_saturation_currents_scale_as_textbook_forms():
    # J0_if = q ni^2 S / N and J0_b = q ni^2 d / (N tau): check against n_i computed here (analytic).
    eg, t, n_bg = 1.73, 298.15, 1e15
    ni = recombination.intrinsic_density_cm3(eg, t)
    q_ma = sc.e * 1e3
    assert recombination.interface_j0_mA_cm2(eg, 1e3, n_bg, t) == pytest.approx(q_ma * ni**2 * 1e3 / n_bg)
    bulk = recombination.bulk_j0_mA_cm2(eg, 1e-6, 500.0, n_bg, t)
    assert bulk == pytest.approx(q_ma * ni**2 * 500e-7 / (n_bg * 1e-6))


def test_size_match_peaks_at_the_dots_of_the_papers_pores_and_is_symmetric_in_log_size():
    best = float(confinement.pore_to_dot_nm(PAPER.medium_msn_pore_nm))  # the paper's best pores, ~8 nm
    assert recombination.size_match(best) == pytest.approx(1.0)
    assert recombination.size_match(best / 2) == pytest.approx(recombination.size_match(best * 2))
    # no other pore size of the templating range gives a better match than the paper's own
    pores = np.linspace(2.8, 13.0, 103)
    assert np.all(recombination.size_match(confinement.pore_to_dot_nm(pores)) <= 1.0 + 1e-12)
    assert recombination.size_match(best * 1.5) < recombination.size_match(CsPbBr3.bohr_diameter_nm) < 1.0


def test_passivation_only_acts_with_coverage():
    s0 = 1e4
    assert recombination.passivated_velocity_cm_s(s0, 8.0, 0.0) == pytest.approx(s0)
    s = recombination.passivated_velocity_cm_s(s0, 8.0, np.linspace(0.0, 1.0, 11))
    assert np.all(np.diff(s) < 0)


def test_ideality_keeps_the_implied_voc():
    # Without Rs and shunt the diode Voc must be kT/q ln(1 + Jph/J0,1) whatever n (definition of the mapping).
    jph, j01, t = 20.0, 1e-19, 298.15
    n = np.array([1.0, 1.3, 2.0, 3.0])
    j0 = recombination.j0_at_ideality_mA_cm2(jph, j01, n)
    voc = diode.metrics(jph, j0, n, 0.0, np.inf, t).voc_V
    np.testing.assert_allclose(voc, sc.k * t / sc.e * np.log1p(jph / j01), rtol=1e-12)


def _preset_metrics(name):
    return diode.metrics(*recombination.device_parameters(**recombination.PRESETS[name]))


def test_champion_preset_reproduces_the_paper():
    # Calibrated to the paper's champion, 22.15 % (Xu et al. 2026): within 0.01 points, the last digit it reports.
    m = _preset_metrics("paper: champion")
    assert m.pce_percent == pytest.approx(PAPER.champion_pce_percent, abs=0.01)


def test_control_preset_reproduces_its_illustrative_target():
    m = _preset_metrics("paper: control")
    assert m.pce_percent == pytest.approx(recombination.CONTROL_PCE_PERCENT, abs=0.01)
    assert 19.0 <= recombination.CONTROL_PCE_PERCENT <= 20.0  # typical control cells (its docstring): 19-20 %


def test_presets_sit_in_the_typical_current_range_and_differ_through_voc():
    control, champion = _preset_metrics("paper: control"), _preset_metrics("paper: champion")
    for m in (control, champion):
        assert 20.0 <= m.jsc_mA_cm2 <= 21.0  # params sheet: typical inverted CsPbI3 Jsc 20-21 mA/cm2
    assert champion.voc_V > control.voc_V + 0.05
    assert champion.jsc_mA_cm2 == pytest.approx(control.jsc_mA_cm2, rel=1e-9)


def test_every_illustrative_value_has_a_reason():
    for key, choice in recombination.ILLUSTRATIVE_DEVICE.items():
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
    band_gap_eV,
    temperature_K,
    log_tau,
    log_s,
    qd_size_nm,
    qd_coverage,
    ideality,
    rs_ohm_cm2,
    log_rsh,
    collection_efficiency,
):
    params = recombination.device_parameters(
        band_gap_eV=band_gap_eV,
        bulk_lifetime_s=10**log_tau,
        interface_velocity_cm_s=10**log_s,
        qd_size_nm=qd_size_nm,
        qd_coverage=qd_coverage,
        ideality=ideality,
        rs_ohm_cm2=rs_ohm_cm2,
        rsh_ohm_cm2=10**log_rsh,
        temperature_K=temperature_K,
        collection_efficiency=collection_efficiency,
    )
    limit = diode.detailed_balance(band_gap_eV, temperature_K)
    assert diode.metrics(*params).pce_percent <= limit.pce_percent * (1 + 1e-12)


KNOBS = dict(recombination.PRESETS["paper: champion"])


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: recombination.radiative_j0_mA_cm2(1.73, 0.0), "temperature_K"),
        (lambda: recombination.nonradiative_voc_loss_V(0.0), "ere"),
        (lambda: recombination.nonradiative_voc_loss_V(1.5), "ere"),
        (lambda: recombination.external_radiative_efficiency(-1.0, 1.73), "j0_mA_cm2"),
        (lambda: recombination.srh_lifetime_s(-1e15, 1e-15), "trap_density_cm3"),
        (lambda: recombination.srh_lifetime_s(1e15, np.nan), "capture_cross_section_cm2"),
        (lambda: recombination.srh_lifetime_s(1e15, 1e-15, 0.0), "thermal_velocity_cm_s"),
        (lambda: recombination.effective_density_of_states_cm3(-0.1), "mass_ratio"),
        (lambda: recombination.intrinsic_density_cm3(1.73, 300.0, "GaAs"), "material"),
        (lambda: recombination.bulk_j0_mA_cm2(1.73, 0.0, 500.0, 1e15), "bulk_lifetime_s"),
        (lambda: recombination.bulk_j0_mA_cm2(1.73, 1e-6, -5.0, 1e15), "thickness_nm"),
        (lambda: recombination.interface_j0_mA_cm2(1.73, -1.0, 1e15), "interface_velocity_cm_s"),
        (lambda: recombination.interface_j0_mA_cm2(1.73, 1.0, 0.0), "background_density_cm3"),
        (lambda: recombination.size_match(0.0), "qd_size_nm"),
        (lambda: recombination.passivated_velocity_cm_s(1e4, 8.0, 1.2), "qd_coverage"),
        (lambda: recombination.passivated_velocity_cm_s(1e4, 8.0, 0.5, -1.0), "strength"),
        (lambda: recombination.j0_at_ideality_mA_cm2(20.0, 1e-19, 0.5), "ideality"),
        (lambda: recombination.device_parameters(**{**KNOBS, "ideality": np.nan}), "ideality"),
        (lambda: recombination.device_parameters(**{**KNOBS, "rs_ohm_cm2": -1.0}), "rs_ohm_cm2"),
        (lambda: recombination.device_parameters(**{**KNOBS, "temperature_K": -1.0}), "temperature_K"),
        (lambda: recombination.device_parameters(**{**KNOBS, "qd_coverage": -0.1}), "qd_coverage"),
        (lambda: recombination.device_parameters(**{**KNOBS, "band_gap_eV": 5.0}), "band_gap_eV"),
        # regression (tests/test_properties.py): the message named "strength", not this function's parameter
        (
            lambda: recombination.device_parameters(**{**KNOBS, "passivation_strength": -1.0}),
            "passivation_strength",
        ),
    ],
)
def test_bad_input_names_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_injection_ratio_follows_the_law_of_mass_action():
    # n = p = n_i exp(qV / 2kT): at V = 0 the ratio is n_i / N; each 2 kT ln 10 (118 mV at 298.15 K) is a decade
    kt = sc.k * 298.15 / sc.e
    ni = float(recombination.intrinsic_density_cm3(1.73, 298.15))
    assert float(recombination.injection_ratio(0.0, 1.73, 1e14)) == pytest.approx(ni / 1e14, rel=1e-12)
    step = 2 * kt * np.log(10)
    r1, r2 = recombination.injection_ratio(np.array([1.0, 1.0 + step]), 1.73, 1e14)
    assert r2 / r1 == pytest.approx(10.0, rel=1e-9)
    # the kit's champion runs at the edge of high injection: its Voc puts more carriers than the 1e14 cm^-3
    # background in the film, which the device app flags
    p = recombination.device_parameters(**recombination.PRESETS["paper: champion"])
    voc = float(diode.metrics(*p).voc_V)
    assert float(recombination.injection_ratio(voc, 1.73, 1e14)) > 1
