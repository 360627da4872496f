r"""Recombination, textbook physics: radiative limit, Voc losses, SRH lifetime, interface recombination.

* radiative saturation current of a step absorber, :math:`J_{0,rad}` (detailed balance), and the Voc loss
  of a given external radiative efficiency;
* bulk Shockley-Read-Hall (SRH) recombination: lifetime from trap density, and its saturation current;
* interface recombination velocity S and its saturation current;
* the saturation current at an ideality factor n, and the injection level at a given voltage.

The kit's illustrative device (its chosen values, the phenomenological QD passivation, the calibration to the
paper's champion and the map from the learner's knobs to diode parameters) is built on these in
:mod:`qdpv.device`.

The saturation currents use textbook low-injection forms for a doped absorber of background density N.
Real perovskite absorbers are nearly intrinsic and operate near high injection, so these are simplified
models: they give the right orders of magnitude and the right trends (J0 proportional to n_i^2, to 1/tau and
to S), not device-accurate numbers.

References
----------
.. [1] W. Shockley and H. J. Queisser, J. Appl. Phys. 32, 510 (1961).
.. [2] U. Rau, "Reciprocity relation between photovoltaic quantum efficiency and electroluminescent emission
   of solar cells", Phys. Rev. B 76, 085303 (2007) (Voc loss = (kT/q) ln ERE).
.. [3] W. Shockley and W. T. Read, Phys. Rev. 87, 835 (1952); R. N. Hall, Phys. Rev. 87, 387 (1952).
.. [4] S. M. Sze and K. K. Ng, Physics of Semiconductor Devices, 3rd ed., Wiley (2007), ch. 1-2 and 13
   (effective density of states, n_i, saturation current of a short base, surface recombination).
.. [5] R. F. Pierret, Semiconductor Device Fundamentals, Addison-Wesley (1996), ch. 2 (N_c = 2.51e19 cm^-3
   (m*/m0)^{3/2} at 300 K).
"""

from __future__ import annotations

import numpy as np
from scipy import constants as sc

from . import diode, spectra
from ._validate import check_array
from .materials import get_material

__all__ = [
    "bulk_j0_mA_cm2",
    "effective_density_of_states_cm3",
    "external_radiative_efficiency",
    "injection_ratio",
    "interface_j0_mA_cm2",
    "intrinsic_density_cm3",
    "j0_at_ideality_mA_cm2",
    "nonradiative_voc_loss_V",
    "radiative_j0_mA_cm2",
    "srh_lifetime_s",
]

_Q_MA = sc.e * 1e3  # elementary charge in mC, so that q * (cm^-2 s^-1) is in mA/cm2


def radiative_j0_mA_cm2(band_gap_eV: np.ndarray, temperature_K: np.ndarray = 298.15) -> np.ndarray:
    r"""Radiative saturation current of a step absorber emitting as a black body from one side.

    .. math::

        J_{0,rad} = q\, \frac{2\pi}{h^3 c^2} \int_{E_g}^{\infty} \frac{E^2\, dE}{e^{E/kT} - 1}

    Parameters
    ----------
    band_gap_eV : array_like
        Band gap in eV, in [0.31, 4.42].
    temperature_K : array_like
        Cell temperature in K, in (0, 1000] and at least Eg/(700 k) (black-body limit of
        :func:`qdpv.spectra.blackbody_photon_flux_m2_s`).

    Returns
    -------
    numpy.ndarray
        Saturation current density in mA/cm2.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN.

    References
    ----------
    .. [1] Shockley and Queisser (1961) (see module references).

    Examples
    --------
    >>> f"{float(radiative_j0_mA_cm2(1.73)):.2e}"  # CsPbI3
    '7.17e-24'
    >>> round(float(radiative_j0_mA_cm2(1.73) / radiative_j0_mA_cm2(1.83)), 1)  # a 0.1 eV wider gap: 44 times less
    43.9
    """
    return spectra.photon_current_mA_cm2(spectra.blackbody_photon_flux_m2_s(band_gap_eV, temperature_K))


def nonradiative_voc_loss_V(ere: np.ndarray, temperature_K: np.ndarray = 298.15) -> np.ndarray:
    r"""Open-circuit voltage lost to non-radiative recombination, :math:`\Delta V_{oc} = -(kT/q)\ln ERE`.

    Parameters
    ----------
    ere : array_like
        External radiative efficiency (fraction of recombination that leaves the cell as light), in (0, 1].
    temperature_K : array_like
        Cell temperature in K, in (0, 1000].

    Returns
    -------
    numpy.ndarray
        Voltage loss in V (>= 0; 0 at ERE = 1).

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN.

    References
    ----------
    .. [1] Rau (2007) (see module references).

    Examples
    --------
    >>> [round(float(v), 3) for v in nonradiative_voc_loss_V([0.1, 0.01, 0.001])]  # 59 mV per decade of ERE
    [0.059, 0.118, 0.177]
    """
    eta = check_array("ere", ere, 0.0, 1.0)
    return -diode.thermal_voltage_V(temperature_K) * np.log(eta)


def external_radiative_efficiency(
    j0_mA_cm2: np.ndarray, band_gap_eV: np.ndarray, temperature_K: np.ndarray = 298.15
) -> np.ndarray:
    r"""External radiative efficiency implied by a saturation current, :math:`ERE = J_{0,rad} / J_0`.

    Parameters
    ----------
    j0_mA_cm2 : array_like
        Total saturation current density (ideality 1) in mA/cm2, > 0.
    band_gap_eV : array_like
        Band gap in eV, in [0.31, 4.42].
    temperature_K : array_like
        Cell temperature in K, in (0, 1000] and at least Eg/(700 k) (black-body limit of
        :func:`qdpv.spectra.blackbody_photon_flux_m2_s`).

    Returns
    -------
    numpy.ndarray
        ERE as a fraction (values above 1 mean ``j0_mA_cm2`` is below the radiative limit).

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN.

    References
    ----------
    .. [1] Rau (2007) (see module references).

    Examples
    --------
    >>> ere = external_radiative_efficiency(1e-20, 1.73)  # CsPbI3 with J0 = 1e-20 mA/cm2
    >>> round(float(ere), 5), round(float(nonradiative_voc_loss_V(ere)), 3)  # ERE and the Voc it costs, V
    (0.00072, 0.186)
    """
    j0 = check_array("j0_mA_cm2", j0_mA_cm2, 0.0, np.inf, unit="mA/cm2")
    return radiative_j0_mA_cm2(band_gap_eV, temperature_K) / j0


def srh_lifetime_s(
    trap_density_cm3: np.ndarray,
    capture_cross_section_cm2: np.ndarray,
    thermal_velocity_cm_s: np.ndarray = 1e7,
) -> np.ndarray:
    r"""Shockley-Read-Hall capture lifetime, :math:`\tau = 1 / (\sigma\, v_{th}\, N_t)`.

    Parameters
    ----------
    trap_density_cm3 : array_like
        Trap density N_t in cm^-3, in (0, 1e20].
    capture_cross_section_cm2 : array_like
        Capture cross-section sigma in cm2, in (0, 1e-10].
    thermal_velocity_cm_s : array_like
        Carrier thermal velocity in cm/s, in (0, 1e9] (about 1e7 cm/s at room temperature).

    Returns
    -------
    numpy.ndarray
        Lifetime in s.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN.

    References
    ----------
    .. [1] Shockley and Read (1952); Hall (1952) (see module references).

    Examples
    --------
    >>> round(float(srh_lifetime_s(1e15, 1e-16)) * 1e6, 3)  # 1e15 traps/cm3, sigma 1e-16 cm2: lifetime in us
    1.0
    """
    nt = check_array("trap_density_cm3", trap_density_cm3, 0.0, 1e20, unit="cm^-3")
    sigma = check_array("capture_cross_section_cm2", capture_cross_section_cm2, 0.0, 1e-10, unit="cm2")
    vth = check_array("thermal_velocity_cm_s", thermal_velocity_cm_s, 0.0, 1e9, unit="cm/s")
    return 1.0 / (sigma * vth * nt)


def effective_density_of_states_cm3(mass_ratio: np.ndarray, temperature_K: np.ndarray = 298.15) -> np.ndarray:
    r"""Effective density of states of a parabolic band, :math:`N = 2\,(2\pi m^* k T / h^2)^{3/2}`.

    Parameters
    ----------
    mass_ratio : array_like
        Density-of-states effective mass m*/m0, in (0, 100].
    temperature_K : array_like
        Temperature in K, in (0, 1000].

    Returns
    -------
    numpy.ndarray
        Density of states in cm^-3 (2.51e19 cm^-3 for m* = m0 at 300 K).

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN.

    References
    ----------
    .. [1] Sze and Ng (2007), ch. 1; Pierret (1996), ch. 2 (see module references).

    Examples
    --------
    >>> f"{float(effective_density_of_states_cm3(1.0, 300.0)):.3g}"
    '2.51e+19'
    >>> f"{float(effective_density_of_states_cm3(0.228)):.3g}"  # CsPbI3 electrons (m* = 0.228 m0), 298.15 K
    '2.71e+18'
    """
    m = check_array("mass_ratio", mass_ratio, 0.0, 100.0)
    t = check_array("temperature_K", temperature_K, *spectra.TEMPERATURE_RANGE_K, unit="K")
    per_m3 = 2.0 * (2.0 * np.pi * m * sc.m_e * sc.k * t / sc.h**2) ** 1.5
    return per_m3 * 1e-6


def intrinsic_density_cm3(
    band_gap_eV: np.ndarray, temperature_K: np.ndarray = 298.15, material: str = "CsPbI3"
) -> np.ndarray:
    r"""Intrinsic carrier density, :math:`n_i = \sqrt{N_c N_v}\, e^{-E_g / 2kT}`.

    N_c and N_v come from :func:`effective_density_of_states_cm3` with the electron and hole masses of
    ``material`` (:mod:`qdpv.materials`); the band gap is a separate argument so an app can vary it.

    Parameters
    ----------
    band_gap_eV : array_like
        Band gap in eV, in [0.31, 4.42].
    temperature_K : array_like
        Temperature in K, in (0, 1000].
    material : str
        Name in :data:`qdpv.materials.MATERIALS` whose effective masses are used.

    Returns
    -------
    numpy.ndarray
        n_i in cm^-3.

    Raises
    ------
    ValueError
        If an argument is outside its range, NaN, or an unknown material.

    References
    ----------
    .. [1] Sze and Ng (2007), ch. 1 (see module references).

    Examples
    --------
    >>> round(float(intrinsic_density_cm3(1.73)))  # CsPbI3 at 298.15 K, per cm3
    6470
    """
    eg = check_array("band_gap_eV", band_gap_eV, *spectra.BAND_GAP_RANGE_EV, unit="eV", lo_closed=True)
    mat = get_material(material)
    nc = effective_density_of_states_cm3(mat.m_e, temperature_K)
    nv = effective_density_of_states_cm3(mat.m_h, temperature_K)
    return np.sqrt(nc * nv) * np.exp(-eg / (2.0 * diode.thermal_voltage_V(temperature_K)))


def bulk_j0_mA_cm2(
    band_gap_eV: np.ndarray,
    bulk_lifetime_s: np.ndarray,
    thickness_nm: np.ndarray,
    background_density_cm3: np.ndarray,
    temperature_K: np.ndarray = 298.15,
    material: str = "CsPbI3",
) -> np.ndarray:
    r"""Saturation current of bulk SRH recombination in a thin absorber, :math:`J_{0,b} = q n_i^2 d/(N\tau)`.

    The short-base form (diffusion length much longer than the thickness d, low injection, background
    density N): a simplified model, see the module notes.

    Parameters
    ----------
    band_gap_eV : array_like
        Band gap in eV, in [0.31, 4.42].
    bulk_lifetime_s : array_like
        Bulk (SRH) lifetime tau in s, > 0 (see :func:`srh_lifetime_s`).
    thickness_nm : array_like
        Absorber thickness d in nm, in (0, 1e5].
    background_density_cm3 : array_like
        Background (doping) carrier density N in cm^-3, in (0, 1e21].
    temperature_K : array_like
        Temperature in K, in (0, 1000].
    material : str
        Material whose effective masses set n_i.

    Returns
    -------
    numpy.ndarray
        Saturation current density in mA/cm2.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN.

    References
    ----------
    .. [1] Sze and Ng (2007), ch. 13 (saturation current of a short base) (see module references).

    Examples
    --------
    >>> j0 = bulk_j0_mA_cm2(1.73, [1e-7, 1e-6], 500.0, 1e14)  # lifetime 0.1 us and 1 us
    >>> [f"{float(j):.2e}" for j in j0]  # ten times the lifetime, a tenth of the J0
    ['3.35e-20', '3.35e-21']
    """
    tau = check_array("bulk_lifetime_s", bulk_lifetime_s, 0.0, np.inf, unit="s", hi_closed=False)
    d_cm = check_array("thickness_nm", thickness_nm, 0.0, 1e5, unit="nm") * 1e-7
    n_bg = check_array("background_density_cm3", background_density_cm3, 0.0, 1e21, unit="cm^-3")
    ni = intrinsic_density_cm3(band_gap_eV, temperature_K, material)
    return _Q_MA * ni**2 * d_cm / (n_bg * tau)


def interface_j0_mA_cm2(
    band_gap_eV: np.ndarray,
    interface_velocity_cm_s: np.ndarray,
    background_density_cm3: np.ndarray,
    temperature_K: np.ndarray = 298.15,
    material: str = "CsPbI3",
) -> np.ndarray:
    r"""Saturation current of interface recombination, :math:`J_{0,if} = q n_i^2 S / N`.

    The textbook low-injection form for a surface with recombination velocity S on an absorber of background
    density N: a simplified model, see the module notes.

    Parameters
    ----------
    band_gap_eV : array_like
        Band gap in eV, in [0.31, 4.42].
    interface_velocity_cm_s : array_like
        Interface recombination velocity S in cm/s, in [0, 1e8].
    background_density_cm3 : array_like
        Background carrier density N in cm^-3, in (0, 1e21].
    temperature_K : array_like
        Temperature in K, in (0, 1000].
    material : str
        Material whose effective masses set n_i.

    Returns
    -------
    numpy.ndarray
        Saturation current density in mA/cm2.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN.

    References
    ----------
    .. [1] Sze and Ng (2007), ch. 13 (see module references).

    Examples
    --------
    >>> j0 = interface_j0_mA_cm2(1.73, [1e3, 1e4], 1e14)  # S = 1e3 and 1e4 cm/s
    >>> [f"{float(j):.2e}" for j in j0]
    ['6.71e-20', '6.71e-19']
    """
    s = check_array("interface_velocity_cm_s", interface_velocity_cm_s, 0.0, 1e8, unit="cm/s", lo_closed=True)
    n_bg = check_array("background_density_cm3", background_density_cm3, 0.0, 1e21, unit="cm^-3")
    ni = intrinsic_density_cm3(band_gap_eV, temperature_K, material)
    return _Q_MA * ni**2 * s / n_bg


def injection_ratio(
    voltage_V: np.ndarray,
    band_gap_eV: np.ndarray,
    background_density_cm3: np.ndarray,
    temperature_K: np.ndarray = 298.15,
    material: str = "CsPbI3",
) -> np.ndarray:
    r"""Photo-generated carrier density at a quasi-Fermi-level splitting qV, over the background density.

    .. math:: \frac{\Delta n}{N} = \frac{n_i\, e^{qV/2kT}}{N} \qquad (n = p,\ np = n_i^2 e^{qV/kT})

    The saturation currents of :func:`bulk_j0_mA_cm2` and :func:`interface_j0_mA_cm2` assume low injection,
    :math:`\Delta n \ll N`. A ratio above 1 at Voc means the cell runs in high injection, where those J0 forms
    (and their ideality of 1) no longer hold; the kit keeps them as an illustration and says so.

    Parameters
    ----------
    voltage_V : array_like
        Quasi-Fermi-level splitting (e.g. Voc) in V, in [0, 5].
    band_gap_eV, temperature_K, material
        As in :func:`intrinsic_density_cm3`.
    background_density_cm3 : array_like
        Background (doping) density N in cm^-3, in (0, 1e21].

    Returns
    -------
    numpy.ndarray
        :math:`\Delta n / N`, dimensionless.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN.

    References
    ----------
    .. [1] Sze and Ng (2007), ch. 2 and 13 (see module references).

    Examples
    --------
    >>> [round(float(r), 2) for r in injection_ratio([1.1, 1.2, 1.3], 1.73, 1e14)]  # high injection above ~1.2 V
    [0.13, 0.9, 6.28]
    """
    v = check_array("voltage_V", voltage_V, 0.0, 5.0, unit="V", lo_closed=True)
    n_bg = check_array("background_density_cm3", background_density_cm3, 0.0, 1e21, unit="cm^-3")
    ni = intrinsic_density_cm3(band_gap_eV, temperature_K, material)
    return ni * np.exp(v / (2.0 * diode.thermal_voltage_V(temperature_K))) / n_bg


def j0_at_ideality_mA_cm2(
    jph_mA_cm2: np.ndarray, j0_unity_mA_cm2: np.ndarray, ideality: np.ndarray
) -> np.ndarray:
    r"""Saturation current at ideality n that keeps the open-circuit voltage set by J0 at ideality 1.

    .. math::

        V_{oc} = \frac{kT}{q} \ln\!\left(1 + \frac{J_{ph}}{J_{0,1}}\right), \qquad
        J_{0,n} = \frac{J_{ph}}{\exp\!\left(\dfrac{q V_{oc}}{n kT}\right) - 1}
                = \frac{J_{ph}}{\left(1 + J_{ph}/J_{0,1}\right)^{1/n} - 1}

    A simplification of the kit: the recombination currents (all of ideality 1 in their textbook forms) fix
    the implied Voc, and the ideality factor only shapes the curve (and so the fill factor). Without a shunt
    the diode model then returns exactly that Voc for any n.

    Parameters
    ----------
    jph_mA_cm2 : array_like
        Photocurrent density in mA/cm2, > 0.
    j0_unity_mA_cm2 : array_like
        Sum of the saturation currents at ideality 1, in mA/cm2, > 0.
    ideality : array_like
        Ideality factor n, in [1, 3]. (The temperature cancels out.)

    Returns
    -------
    numpy.ndarray
        J0 at ideality n, in mA/cm2.

    Raises
    ------
    ValueError
        If an argument is outside its range or NaN.

    References
    ----------
    .. [1] Sze and Ng (2007), ch. 13 (ideality factor of a p-n junction) (see module references).

    Examples
    --------
    >>> from qdpv.diode import metrics
    >>> j0 = float(j0_at_ideality_mA_cm2(20.8, 1e-20, 1.5))
    >>> voc = metrics(20.8, [1e-20, j0], [1.0, 1.5], 0.0, float("inf")).voc_V  # no shunt
    >>> [round(float(v), 4) for v in voc]  # the same Voc at n = 1 and at n = 1.5
    [1.2612, 1.2612]
    """
    jph = check_array("jph_mA_cm2", jph_mA_cm2, 0.0, np.inf, unit="mA/cm2")
    j01 = check_array("j0_unity_mA_cm2", j0_unity_mA_cm2, 0.0, np.inf, unit="mA/cm2")
    n = check_array("ideality", ideality, 1.0, 3.0, lo_closed=True)
    return jph / np.expm1(np.log1p(jph / j01) / n)
