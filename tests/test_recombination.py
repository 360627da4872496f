"""qdpv.recombination against textbook numbers, an independent Shockley-Queisser calculator and analytic identities."""

import numpy as np
import pytest
from scipy import constants as sc

from qdpv import diode, recombination


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


def test_ideality_keeps_the_implied_voc():
    # Without Rs and shunt the diode Voc must be kT/q ln(1 + Jph/J0,1) whatever n (definition of the mapping).
    jph, j01, t = 20.0, 1e-19, 298.15
    n = np.array([1.0, 1.3, 2.0, 3.0])
    j0 = recombination.j0_at_ideality_mA_cm2(jph, j01, n)
    voc = diode.metrics(jph, j0, n, 0.0, np.inf, t).voc_V
    np.testing.assert_allclose(voc, sc.k * t / sc.e * np.log1p(jph / j01), rtol=1e-12)


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
        (lambda: recombination.j0_at_ideality_mA_cm2(20.0, 1e-19, 0.5), "ideality"),
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
