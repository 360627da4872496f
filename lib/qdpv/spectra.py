r"""The AM1.5G reference spectrum, photon fluxes and the photocurrent a band gap can collect.

The spectrum is the ASTM G173-03 global-tilt table (AM1.5G, 37 deg tilted surface), shipped in
``qdpv/data/astmg173_global.csv`` (wavelength and global-tilt columns of the copy that pvlib ships). It
integrates to 1000.4 W/m2. The black-body photon flux above a band gap is here too, because detailed balance
(:func:`qdpv.diode.detailed_balance`) and the radiative saturation current
(:func:`qdpv.recombination.radiative_j0_mA_cm2`) both need it.

References
----------
.. [1] ASTM G173-03, "Standard Tables for Reference Solar Spectral Irradiances: Direct Normal and
   Hemispherical on 37 deg Tilted Surface", ASTM International (2003, reapproved 2012).
.. [2] W. Shockley and H. J. Queisser, "Detailed Balance Limit of Efficiency of p-n Junction Solar Cells",
   J. Appl. Phys. 32, 510 (1961).
.. [3] S. Ruhle, "Tabulated values of the Shockley-Queisser limit for single junction solar cells",
   Solar Energy 130, 139-147 (2016).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._validate import check_array
from .constants import BOLTZMANN_J_K, ELEMENTARY_CHARGE_C, HC_EV_NM, PLANCK_J_S, SPEED_OF_LIGHT_M_S
from .io import read_table_csv

__all__ = [
    "Spectrum",
    "am15g",
    "blackbody_photon_flux_m2_s",
    "max_jsc_mA_cm2",
    "photon_current_mA_cm2",
    "spectral_photon_flux_m2_s_nm",
    "total_irradiance_W_m2",
]

_DATA = Path(__file__).parent / "data" / "astmg173_global.csv"
_A_M2_TO_MA_CM2 = 0.1  # 1 A/m2 = 0.1 mA/cm2
_BB_TERMS = np.arange(1, 17)  # terms of the Bose-Einstein series; 16 reach 1e-16 for Eg/kT >= 3

# Band-gap range over which the absorption edge hc/Eg lies inside the tabulated 280-4000 nm.
BAND_GAP_RANGE_EV = (0.31, 4.42)
TEMPERATURE_RANGE_K = (0.0, 1000.0)
# Largest Eg/kT for the black-body flux: exp(-700) = 1e-304 keeps the flux and J0 = q flux positive doubles
# (exp underflows to 0 near 745), so that Jph/J0 and the diode model stay finite.
MAX_GAP_OVER_KT = 700.0


class Spectrum(NamedTuple):
    """A tabulated spectrum: wavelength (nm) and spectral irradiance (W m^-2 nm^-1), read-only arrays."""

    wavelength_nm: np.ndarray
    irradiance_W_m2_nm: np.ndarray


@cache
def am15g() -> Spectrum:
    """Return the ASTM G173-03 AM1.5 global-tilt spectrum (2002 points, 280-4000 nm).

    Returns
    -------
    Spectrum
        ``wavelength_nm`` and ``irradiance_W_m2_nm``, read-only arrays.

    References
    ----------
    .. [1] ASTM G173-03 (see module references); values from the copy shipped by pvlib-python.

    Examples
    --------
    >>> spectrum = am15g()
    >>> spectrum.wavelength_nm.size, float(spectrum.wavelength_nm[0]), float(spectrum.wavelength_nm[-1])
    (2002, 280.0, 4000.0)
    """
    columns = read_table_csv(_DATA).columns
    wavelength, irradiance = columns["wavelength_nm"], columns["global_tilt_W_m2_nm"]
    wavelength.flags.writeable = False
    irradiance.flags.writeable = False
    return Spectrum(wavelength, irradiance)


def total_irradiance_W_m2() -> float:
    r"""Integrated irradiance of AM1.5G, :math:`\int E_\lambda\,d\lambda` by the trapezoid rule (1000.4 W/m2).

    Returns
    -------
    float
        Irradiance in W/m2.

    References
    ----------
    .. [1] ASTM G173-03 (see module references).

    Examples
    --------
    "One sun":

    >>> round(total_irradiance_W_m2(), 1)
    1000.4
    """
    spec = am15g()
    return float(np.trapezoid(spec.irradiance_W_m2_nm, spec.wavelength_nm))


def spectral_photon_flux_m2_s_nm(wavelength_nm: np.ndarray, irradiance_W_m2_nm: np.ndarray) -> np.ndarray:
    r"""Spectral photon flux from spectral irradiance, :math:`\Phi_\lambda = E_\lambda \lambda / (h c)`.

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelength in nm, > 0.
    irradiance_W_m2_nm : array_like
        Spectral irradiance in W m^-2 nm^-1, >= 0; broadcasts with ``wavelength_nm``.

    Returns
    -------
    numpy.ndarray
        Photon flux in photons m^-2 s^-1 nm^-1.

    Raises
    ------
    ValueError
        If a wavelength is not positive or an irradiance is negative (or NaN).

    References
    ----------
    .. [1] Any photovoltaics text, e.g. P. Wurfel, Physics of Solar Cells, 2nd ed., Wiley (2009), ch. 2.

    Examples
    --------
    At 500 nm, where each photon carries :math:`hc/\lambda` = 2.48 eV, one watt is 2.5e18 photons per second:

    >>> f"{float(spectral_photon_flux_m2_s_nm(500.0, 1.0)):.3e}"
    '2.517e+18'
    """
    wl = check_array("wavelength_nm", wavelength_nm, 0.0, np.inf, unit="nm")
    irr = check_array("irradiance_W_m2_nm", irradiance_W_m2_nm, 0.0, np.inf, unit="W/m2/nm", lo_closed=True)
    return irr * wl * 1e-9 / (PLANCK_J_S * SPEED_OF_LIGHT_M_S)


@cache
def _am15g_photon_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Wavelength, photon flux and its cumulative trapezoid integral from 280 nm (photons m^-2 s^-1)."""
    spec = am15g()
    flux = spectral_photon_flux_m2_s_nm(spec.wavelength_nm, spec.irradiance_W_m2_nm)
    steps = 0.5 * (flux[1:] + flux[:-1]) * np.diff(spec.wavelength_nm)
    return spec.wavelength_nm, flux, np.concatenate(([0.0], np.cumsum(steps)))


def max_jsc_mA_cm2(band_gap_eV: np.ndarray) -> np.ndarray:
    r"""Largest short-circuit current for a step absorber under AM1.5G: every photon above the gap collected.

    .. math::

        J_{sc}^{max}(E_g) = q \int_{280\,\mathrm{nm}}^{\lambda_g} \Phi_\lambda\, d\lambda,
        \qquad \lambda_g = h c / E_g

    with :math:`\Phi_\lambda` from :func:`spectral_photon_flux_m2_s_nm`, integrated exactly for the
    piecewise-linear interpolant of the table (the trapezoid rule, with the last interval cut at
    :math:`\lambda_g`). The cumulative integral is computed once, so a call costs one ``searchsorted``.

    Parameters
    ----------
    band_gap_eV : array_like
        Band gap in eV, in [0.31, 4.42] (absorption edge inside the tabulated 280-4000 nm).

    Returns
    -------
    numpy.ndarray
        Current density in mA/cm2.

    Raises
    ------
    ValueError
        If ``band_gap_eV`` is outside [0.31, 4.42] eV or NaN.

    References
    ----------
    .. [1] Shockley and Queisser (1961); Ruhle (2016), eq. for J_sc (see module references).

    Examples
    --------
    The wider the gap, the fewer photons: the Shockley-Queisser optimum (1.34 eV), CsPbI3 (1.73 eV), CsPbBr3 (2.36 eV):

    >>> [round(float(j), 2) for j in max_jsc_mA_cm2([1.34, 1.73, 2.36])]
    [35.03, 21.67, 8.05]
    """
    eg = check_array("band_gap_eV", band_gap_eV, *BAND_GAP_RANGE_EV, unit="eV", lo_closed=True)
    wavelength, flux, cumulative = _am15g_photon_table()
    edge = HC_EV_NM / eg
    i = np.clip(np.searchsorted(wavelength, edge, side="right") - 1, 0, wavelength.size - 2)
    frac = (edge - wavelength[i]) / (wavelength[i + 1] - wavelength[i])
    flux_edge = flux[i] + frac * (flux[i + 1] - flux[i])
    partial = 0.5 * (flux[i] + flux_edge) * (edge - wavelength[i])
    return photon_current_mA_cm2(cumulative[i] + partial)


def photon_current_mA_cm2(photon_flux_m2_s: np.ndarray) -> np.ndarray:
    r"""Current density carried by a photon flux if every photon gives one electron, :math:`J = q \Phi`.

    Parameters
    ----------
    photon_flux_m2_s : array_like
        Photon flux in photons m^-2 s^-1, >= 0.

    Returns
    -------
    numpy.ndarray
        Current density in mA/cm2 (1 A/m2 = 0.1 mA/cm2).

    Raises
    ------
    ValueError
        If ``photon_flux_m2_s`` is negative or NaN.

    References
    ----------
    .. [1] Shockley and Queisser (1961) (see module references).

    Examples
    --------
    >>> round(float(photon_current_mA_cm2(1e21)), 2)  # 1e21 photons per m2 and s, one electron each
    16.02
    """
    flux = check_array("photon_flux_m2_s", photon_flux_m2_s, 0.0, np.inf, unit="m^-2 s^-1", lo_closed=True)
    return ELEMENTARY_CHARGE_C * flux * _A_M2_TO_MA_CM2


def blackbody_photon_flux_m2_s(band_gap_eV: np.ndarray, temperature_K: np.ndarray = 300.0) -> np.ndarray:
    r"""Photons a black body emits per unit area into a hemisphere, counting only energies above the gap.

    .. math::

        \Phi_{bb}(E_g, T) = \frac{2\pi}{h^3 c^2} \int_{E_g}^{\infty} \frac{E^2\, dE}{e^{E/kT} - 1}
        = \frac{2\pi (kT)^3}{h^3 c^2} \sum_{k\ge1} e^{-k x_g}
          \left(\frac{x_g^2}{k} + \frac{2 x_g}{k^2} + \frac{2}{k^3}\right), \quad x_g = \frac{E_g}{kT}

    (the Bose-Einstein factor kept in full, summed to 16 terms: exact to 1e-16 for :math:`x_g \ge 3`,
    which the allowed ranges guarantee). Multiplied by q this is the radiative saturation current of a
    step absorber that emits from one side. :math:`x_g` is limited to 700: beyond it :math:`e^{-x_g}`
    leaves double precision and the flux would come out as exactly 0 (a cell at a few tens of K).

    Parameters
    ----------
    band_gap_eV : array_like
        Band gap in eV, in [0.31, 4.42].
    temperature_K : array_like
        Temperature of the emitter (the cell) in K, in (0, 1000] and at least
        :math:`E_g / (700\, k)` (e.g. 25 K at 1.5 eV); broadcasts with ``band_gap_eV``.

    Returns
    -------
    numpy.ndarray
        Photon flux in photons m^-2 s^-1, > 0.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN, or ``temperature_K`` is so low that
        :math:`E_g/kT > 700` (the flux would underflow to 0).

    References
    ----------
    .. [1] Shockley and Queisser (1961); Ruhle (2016) (see module references).

    Examples
    --------
    The emission above the 1.73 eV gap of CsPbI3 grows about ninefold when the cell warms by 10 K:

    >>> flux = blackbody_photon_flux_m2_s(1.73, [298.15, 308.15])
    >>> f"{float(flux[0]):.3e}", round(float(flux[1] / flux[0]), 1)
    ('4.473e-04', 9.2)
    """
    eg = check_array("band_gap_eV", band_gap_eV, *BAND_GAP_RANGE_EV, unit="eV", lo_closed=True)
    t = check_array("temperature_K", temperature_K, *TEMPERATURE_RANGE_K, unit="K")
    kt_j = BOLTZMANN_J_K * t
    xg = (eg * ELEMENTARY_CHARGE_C / kt_j)[..., np.newaxis]
    if np.any(xg > MAX_GAP_OVER_KT):
        eg_b, t_b = np.broadcast_arrays(eg, t)
        i = np.argmax(xg[..., 0] / MAX_GAP_OVER_KT)
        t_min = eg_b.flat[i] * ELEMENTARY_CHARGE_C / (MAX_GAP_OVER_KT * BOLTZMANN_J_K)
        raise ValueError(
            f"temperature_K must be at least band_gap_eV / (700 k) = {t_min:.4g} K at band_gap_eV = "
            f"{eg_b.flat[i]:g} eV (below it the black-body flux underflows to 0), got {t_b.flat[i]:g}"
        )
    k = _BB_TERMS
    series = np.sum(np.exp(-k * xg) * (xg**2 / k + 2 * xg / k**2 + 2 / k**3), axis=-1)
    return 2 * np.pi * kt_j**3 / (PLANCK_J_S**3 * SPEED_OF_LIGHT_M_S**2) * series
