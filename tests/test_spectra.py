"""qdpv.spectra against ASTM G173-03 (via pvlib's copy), independent SQ calculators and direct quadrature."""

import numpy as np
import pytest
from pvlib.spectrum import get_reference_spectra
from scipy import constants as sc
from scipy.integrate import quad

from qdpv import spectra

HC_EV_NM = sc.h * sc.c / sc.e * 1e9


def test_shipped_table_is_pvlib_astm_g173_global():
    ref = get_reference_spectra(standard="ASTM G173-03")["global"]
    spec = spectra.am15g()
    # The CSV is a verbatim copy of two columns of pvlib's table: exact equality is expected.
    np.testing.assert_array_equal(spec.wavelength_nm, ref.index.to_numpy())
    np.testing.assert_array_equal(spec.irradiance_W_m2_nm, ref.to_numpy())


def test_shipped_table_has_source_line():
    first = (spectra._DATA).read_text().splitlines()[0]
    assert first.startswith("# source:") and "ASTM G173-03" in first and "pvlib" in first


def test_total_irradiance_is_1000_4():
    # ASTM G173-03 global tilt integrates to 1000.4 W/m2 (params sheet, as commonly quoted to 0.1 W/m2).
    assert spectra.total_irradiance_W_m2() == pytest.approx(1000.4, abs=0.05)


def test_photon_flux_of_one_watt_at_1000_nm():
    # lambda / (h c) photons per joule: 5.0341e18 photons per W at 1000 nm (analytic, CODATA constants).
    assert spectra.spectral_photon_flux_m2_s_nm(1000.0, 1.0) == pytest.approx(1e-6 / (sc.h * sc.c), rel=1e-12)


def test_max_jsc_matches_independent_sq_calculators():
    # marcus-cmc/Shockley-Queisser-limit README: Jsc = 35.14 mA/cm2 at 1.337 eV (printed to 0.01).
    assert spectra.max_jsc_mA_cm2(1.337) == pytest.approx(35.14, abs=0.01)
    # greyltc-org/shockley-queisser-calcs README: 28.937181 mA/cm2 at 1.5 eV. Integrations differ in how the
    # absorption edge cuts a 1-nm table interval (about 0.08 mA/cm2 per nm near 800 nm): allow 0.2 %.
    assert spectra.max_jsc_mA_cm2(1.5) == pytest.approx(28.937181142314238, rel=2e-3)


def test_max_jsc_equals_trapezoid_at_table_node():
    # At a gap whose edge falls exactly on a table wavelength, the integral is plain numpy trapezoid.
    wl, irr = spectra.am15g()
    edge = 800.0
    keep = wl <= edge
    flux = irr[keep] * wl[keep] * 1e-9 / (sc.h * sc.c)
    expected = sc.e * np.trapezoid(flux, wl[keep]) * 0.1
    assert spectra.max_jsc_mA_cm2(HC_EV_NM / edge) == pytest.approx(expected, rel=1e-12)


def test_max_jsc_decreases_with_gap_and_broadcasts():
    eg = np.linspace(0.5, 3.0, 60).reshape(3, 20)
    j = spectra.max_jsc_mA_cm2(eg)
    assert j.shape == (3, 20)
    assert np.all(np.diff(j.ravel()) < 0)


@pytest.mark.parametrize(("eg", "t"), [(1.337, 300.0), (0.5, 250.0), (2.3, 800.0)])
def test_blackbody_flux_equals_quadrature(eg, t):
    kt = sc.k * t / sc.e
    integral, _ = quad(lambda e: e**2 / np.expm1(e / kt), eg, eg + 60 * kt, epsabs=0, epsrel=1e-13)
    expected = 2 * np.pi / (sc.h**3 * sc.c**2) * integral * sc.e**3
    # Series and adaptive quadrature of the same integral: agree to 1e-10.
    assert spectra.blackbody_photon_flux_m2_s(eg, t) == pytest.approx(expected, rel=1e-10)


def test_radiative_current_matches_independent_sq_calculators():
    j0 = spectra.photon_current_mA_cm2(spectra.blackbody_photon_flux_m2_s([1.337, 1.5], [300.0, 323.15]))
    # marcus-cmc: J0 = 2.64e-17 mA/cm2 at 1.337 eV, 300 K, printed to 3 digits -> 0.5 %.
    assert j0[0] == pytest.approx(2.64e-17, rel=5e-3)
    # greyltc-org: 4.159217767932097e-18 mA/cm2 at 1.5 eV, 323.15 K; constants differ in the 6th digit.
    assert j0[1] == pytest.approx(4.159217767932097e-18, rel=1e-4)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: spectra.max_jsc_mA_cm2(0.2), "band_gap_eV"),
        (lambda: spectra.max_jsc_mA_cm2(np.nan), "band_gap_eV"),
        (lambda: spectra.blackbody_photon_flux_m2_s(1.5, 0.0), "temperature_K"),
        (lambda: spectra.blackbody_photon_flux_m2_s(1.5, -5.0), "temperature_K"),
        (lambda: spectra.spectral_photon_flux_m2_s_nm(-1.0, 1.0), "wavelength_nm"),
        (lambda: spectra.spectral_photon_flux_m2_s_nm(500.0, -1.0), "irradiance_W_m2_nm"),
        (lambda: spectra.photon_current_mA_cm2(-1.0), "photon_flux_m2_s"),
    ],
)
def test_bad_input_names_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_blackbody_flux_refuses_temperatures_where_it_underflows():
    # Regression (found by tests/test_properties.py): at 1.5 eV and 10 K, Eg/kT = 1741 and exp(-Eg/kT)
    # underflows to 0, so detailed_balance raised about j0_mA_cm2, a parameter the caller never passed.
    # Now the flux is refused beyond Eg/kT = 700 with a message naming temperature_K and the bound
    # (1.5 eV / (700 k) = 24.87 K), and it is a positive double right above it.
    with pytest.raises(ValueError, match=r"temperature_K must be at least .* 24\.87 K"):
        spectra.blackbody_photon_flux_m2_s(1.5, 10.0)
    t_min = 1.5 * sc.e / (700.0 * sc.k)
    assert spectra.blackbody_photon_flux_m2_s(1.5, t_min * (1 + 1e-9)) > 0
