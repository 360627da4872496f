r"""Quantum confinement in CsPbBr3 (and CsPbI3) dots: band gap versus size, size distributions, spectra.

Two models of the lowest optical transition (the exciton ground state) of a dot are offered:

``"brus"``
    The textbook Brus model [1]_: a sphere with infinite barriers, electron and hole in their parabolic
    ground states, Coulomb attraction to first order, added to the *electronic* gap. Valid in strong
    confinement only; at large size it tends to the electronic gap, an exciton binding energy above the
    measured optical gap.
``"intermediate"`` (default)
    The lower of two limiting estimates: (a) the strong-confinement energy of the actual cube (or sphere)
    with two-band Kane non-parabolic carriers [3]_ on the electronic gap, less the electron-hole attraction
    (the first-order Coulomb term of that shape, never less than the bulk binding energy), and (b) the
    weak-confinement energy, bulk exciton plus centre-of-mass confinement in a box shrunk by a dead layer of
    half a Bohr radius on each side (Kayanuma [2]_). It tends to the optical gap (the bulk exciton) at large
    size. The switch between the branches is phenomenological (a kink where they cross).

Both models use one consistent set of measured exciton parameters per material (:mod:`qdpv.materials`:
reduced mass, dielectric constant and binding energy from the same magneto-optical study [5]_). The optical
gap (what absorption measures) and the electronic gap (optical + binding energy) are kept apart.

Not yet held to measured sizing data: the kit has no independent set of TEM-sized CsPbBr3 nanocrystals with
their absorption or PL peaks yet (the points in ``data/cspbbr3_sizing.csv`` had their sizes estimated with an
effective-mass model by their authors, so they are shown for orientation only).

Sign convention: :func:`confinement_energy_eV` is ``band_gap_eV(size) - Eg(bulk optical)``; positive means a
blue shift. In the default model it tends to 0 at large size (Brus: to +Eb).

Sizes: ``size_nm`` is the edge length L of a cube or the diameter D of a sphere. Every function raises
``ValueError`` naming the parameter for sizes outside (0, 100] nm. Each model also has a narrower validity
range (:data:`MODELS`, :func:`validity_range_nm`); outside it the functions still return a number and do
not warn: the app asks :func:`outside_validity` and shows a message, or calls with ``strict=True`` to get a
``ValueError``.

Measured spectra: :func:`spectrum_per_eV` and :func:`spectrum_per_nm` move a spectral density between the
wavelength and the energy axis with its Jacobian; :func:`dot_size_nm` inverts :func:`band_gap_eV`;
:func:`spectrum_peak` finds a measured peak, its FWHM and the dot size (with its range) the sizing curve implies.
A measured spectrum is read from a file by :func:`qdpv.io.read_spectrum_csv`.

References
----------
.. [1] L. E. Brus, "Electron-electron and electron-hole interactions in small semiconductor crystallites:
   the size dependence of the lowest excited electronic state", J. Chem. Phys. 80, 4403 (1984).
.. [2] Y. Kayanuma, "Quantum-size effects of interacting electrons and holes in semiconductor
   microcrystals with spherical shape", Phys. Rev. B 38, 9797 (1988).
.. [3] Al. L. Efros, M. Rosen, "The electronic structure of semiconductor nanocrystals",
   Annu. Rev. Mater. Sci. 30, 475 (2000) (two-band Kane dispersion).
.. [4] P. C. Sercel, J. L. Lyons, N. Bernstein, Al. L. Efros, "Quasicubic model for metal halide perovskite
   nanocrystals", J. Chem. Phys. 151, 234106 (2019) (why non-parabolicity matters for CsPbBr3).
.. [5] Z. Yang et al., ACS Energy Lett. 2, 1621 (2017) (reduced mass, dielectric constant, binding energy).
   doi:10.1021/acsenergylett.7b00414; L. Protesescu et al., Nano Lett. 15, 3692 (2015) (reported Bohr
   diameter 7 nm). doi:10.1021/nl5048779
.. [6] D. Bruton, "Approximate RGB values for visible wavelengths" (1996), the common piecewise-linear
   visible-spectrum approximation used by :func:`energy_to_rgb`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from ._fitting import covariance_from_jacobian
from ._validate import check_array, check_choice, check_increasing
from .constants import COULOMB_EV_NM, HBAR2_2M0_EV_NM2, HC_EV_NM
from .materials import Material, get_material
from .paper import PAPER

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "PAPER_DOT_NM",
    "EnsembleSpectra",
    "SizeDistribution",
    "SpectrumPeak",
    "band_gap_eV",
    "bohr_radius_nm",
    "check_validity",
    "confinement_energy_eV",
    "confinement_regime",
    "dot_size_distribution",
    "dot_size_nm",
    "energy_to_rgb",
    "ensemble_spectra",
    "outside_validity",
    "pore_to_dot_nm",
    "sample_dot_sizes",
    "spectrum_peak",
    "spectrum_per_eV",
    "spectrum_per_nm",
    "validity_range_nm",
    "wavelength_nm",
    "wavelength_to_hex",
]

SPHERE_COULOMB = 1.786  # <1/|re - rh|> * R for both carriers in the sphere ground state, Brus 1984 [1]
CUBE_COULOMB = 3.049  # <1/|re - rh|> * L for both carriers in the cube ground state (Monte Carlo, see tests)
DEAD_LAYER = 0.5  # Kayanuma [2]: exciton centre of mass excluded from a layer ~0.5 a_B for m_e ~ m_h
SHAPES = ("cube", "sphere")
_SIZE_MAX_NM = 100.0

MODELS: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "brus": MappingProxyType(
            {
                "description": "Brus: sphere, infinite barrier, parabolic bands, first-order Coulomb "
                "-1.786 e^2/(4 pi eps0 eps R) on the electronic gap; a cube of edge L is the sphere of equal "
                "ground-state kinetic energy, R = L/sqrt(3). Tends to the electronic gap (optical gap + Eb).",
                "reference": "Brus, J. Chem. Phys. 80, 4403 (1984)",
                "valid_bohr_diameters": (0.3, 1.0),
                "large_size_limit": "Eg + Eb",
            }
        ),
        "intermediate": MappingProxyType(
            {
                "description": "Lower of (a) strong confinement in the real shape with two-band Kane "
                "non-parabolic carriers on the electronic gap, less max(first-order Coulomb, Eb), and (b) weak "
                "confinement: bulk exciton + centre-of-mass confinement with a 0.5 a_B dead layer "
                "(phenomenological switch).",
                "reference": "Brus 1984; Kayanuma, Phys. Rev. B 38, 9797 (1988); Efros & Rosen, Annu. Rev. "
                "Mater. Sci. 30, 475 (2000); cf. Sercel et al., J. Chem. Phys. 151, 234106 (2019)",
                "valid_bohr_diameters": (0.43, 2.2),
                "large_size_limit": "Eg",
            }
        ),
    }
)
"""Model name -> description, reference, validity range (in Bohr diameters) and large-size limit."""

DEFAULT_MODEL = "intermediate"


def _size(size_nm: object) -> np.ndarray:
    return check_array("size_nm", size_nm, 0.0, _SIZE_MAX_NM, unit="nm")


def _material_and_shape(material: str | Material, shape: str) -> Material:
    check_choice("shape", shape, SHAPES)
    return get_material(material)


def bohr_radius_nm(material: str | Material = "CsPbBr3", method: str = "reported") -> float:
    r"""Exciton Bohr radius :math:`a_B`.

    .. math:: a_B^{\mathrm{reported}} = d_B/2, \qquad
              a_B^{\mathrm{hydrogenic}} = \varepsilon_r \frac{m_0}{\mu} a_0

    Parameters
    ----------
    material : str or Material
        ``"CsPbBr3"`` or ``"CsPbI3"``.
    method : {"reported", "hydrogenic"}
        ``"reported"``: half the Bohr diameter reported by Protesescu et al. (7 nm for CsPbBr3, so 3.5 nm);
        ``"hydrogenic"``: from the record's measured dielectric constant and reduced mass (3.07 nm for
        CsPbBr3, Yang et al. 2017).

    Returns
    -------
    float
        Bohr radius in nm.

    Raises
    ------
    ValueError
        Unknown ``material`` or ``method``.

    References
    ----------
    .. [1] L. Protesescu et al., Nano Lett. 15, 3692 (2015), Table 1. doi:10.1021/nl5048779
    .. [2] Z. Yang et al., ACS Energy Lett. 2, 1621 (2017). doi:10.1021/acsenergylett.7b00414

    Examples
    --------
    >>> bohr_radius_nm("CsPbBr3")
    3.5
    >>> round(bohr_radius_nm("CsPbBr3", method="hydrogenic"), 2)
    3.07
    """
    mat = get_material(material)
    check_choice("method", method, ("reported", "hydrogenic"))
    if method == "hydrogenic":
        return mat.hydrogenic_bohr_radius_nm
    return mat.bohr_diameter_nm / 2.0


def _kane_kinetic_eV(k2_nm2: np.ndarray, mass: float, gap_eV: float) -> np.ndarray:
    r"""Two-band Kane kinetic energy, root of :math:`E(1 + E/E_g) = \hbar^2k^2/2m`."""
    parabolic = HBAR2_2M0_EV_NM2 * k2_nm2 / mass
    return 0.5 * gap_eV * (np.sqrt(1.0 + 4.0 * parabolic / gap_eV) - 1.0)


def _brus_eV(size: np.ndarray, mat: Material, shape: str) -> np.ndarray:
    radius = size / np.sqrt(3.0) if shape == "cube" else size / 2.0
    kinetic = HBAR2_2M0_EV_NM2 * np.pi**2 / (mat.reduced_mass * radius**2)
    coulomb = SPHERE_COULOMB * COULOMB_EV_NM / (mat.eps_r * radius)
    return mat.electronic_gap_eV + kinetic - coulomb


def _strong_kane_eV(size: np.ndarray, mat: Material, shape: str) -> np.ndarray:
    if shape == "cube":
        k2 = 3.0 * np.pi**2 / size**2
        coulomb = CUBE_COULOMB * COULOMB_EV_NM / (mat.eps_r * size)
    else:
        k2 = np.pi**2 / (size / 2.0) ** 2
        coulomb = SPHERE_COULOMB * COULOMB_EV_NM / (mat.eps_r * size / 2.0)
    gap = mat.electronic_gap_eV
    kinetic = _kane_kinetic_eV(k2, mat.m_e, gap) + _kane_kinetic_eV(k2, mat.m_h, gap)
    # the pair is bound at least as strongly as in the bulk (first-order Coulomb undercounts it at large L)
    return gap + kinetic - np.maximum(coulomb, mat.exciton_binding_meV / 1000.0)


def _weak_eV(size: np.ndarray, mat: Material, shape: str) -> np.ndarray:
    a_b = mat.hydrogenic_bohr_radius_nm
    total_mass = mat.m_e + mat.m_h
    with np.errstate(divide="ignore"):
        if shape == "cube":
            eff = np.clip(size - 2.0 * DEAD_LAYER * a_b, 0.0, None)
            com = 3.0 * np.pi**2 * HBAR2_2M0_EV_NM2 / (total_mass * eff**2)
        else:
            eff = np.clip(size / 2.0 - DEAD_LAYER * a_b, 0.0, None)
            com = np.pi**2 * HBAR2_2M0_EV_NM2 / (total_mass * eff**2)
    return mat.band_gap_eV + com


def validity_range_nm(
    model: str = DEFAULT_MODEL, material: str | Material = "CsPbBr3"
) -> tuple[float, float]:
    """Sizes (cube edge or sphere diameter, nm) where ``model`` is considered valid for ``material``.

    The ranges are stored in units of the Bohr diameter (``MODELS[model]["valid_bohr_diameters"]``): Brus
    0.3-1.0 (strong confinement; 2.1-7 nm for CsPbBr3), intermediate 0.43-2.2 (3-15.4 nm for CsPbBr3). Below
    ~3 nm (a few unit cells) the effective-mass picture itself fails. These bounds are illustrative choices.

    Examples
    --------
    >>> [round(x, 2) for x in validity_range_nm()]  # default (intermediate) model, CsPbBr3
    [3.01, 15.4]
    >>> [round(x, 2) for x in validity_range_nm("brus")]
    [2.1, 7.0]
    """
    check_choice("model", model, MODELS)
    lo, hi = MODELS[model]["valid_bohr_diameters"]
    d_b = get_material(material).bohr_diameter_nm
    return lo * d_b, hi * d_b


def outside_validity(
    size_nm: object, model: str = DEFAULT_MODEL, material: str | Material = "CsPbBr3"
) -> np.ndarray:
    """Boolean array, True where ``size_nm`` lies outside :func:`validity_range_nm` of ``model``.

    Examples
    --------
    >>> [bool(b) for b in outside_validity([2.0, 7.6, 20.0])]
    [True, False, True]
    >>> bool(outside_validity(7.6, model="brus"))  # the paper's dots are too large for the Brus model
    True
    """
    size = _size(size_nm)
    lo, hi = validity_range_nm(model, material)
    return (size < lo) | (size > hi)


_VALIDITY_REASONS = {
    "brus": ("below ~0.3 Bohr diameters the dots are a few unit cells and the effective-mass picture fails; "
             "larger dots are needed",
             "Brus assumes strong confinement, dots smaller than the Bohr diameter; smaller dots or the "
             "intermediate model are needed"),
    "intermediate": ("below ~3 nm the dots are a few unit cells and the effective-mass picture fails; larger dots "
                     "are needed",
                     "above it the dots are bulk-like and the model's weak-confinement limit is untested; smaller "
                     "dots are needed"),
}


def check_validity(
    size_nm: object, model: str = DEFAULT_MODEL, material: str | Material = "CsPbBr3", *, name: str = "size_nm"
) -> np.ndarray:
    """Return ``size_nm`` as an array, or raise ``ValueError`` if a size lies outside the model's validity range.

    The range is :func:`validity_range_nm`; the message names ``name``, the first size outside it, the range
    and why the model fails there, so an app can show it as it is.

    Parameters
    ----------
    size_nm : array_like
        Dot sizes (cube edge or sphere diameter) in nm, in (0, 100].
    model : {"intermediate", "brus"}
    material : str or Material
    name : str
        How the message names the sizes (e.g. "the mean dot size").

    Returns
    -------
    numpy.ndarray
        ``size_nm`` as a float array.

    Raises
    ------
    ValueError
        A size outside (0, 100] nm or NaN, an unknown model or material, or a size outside the validity range.

    Examples
    --------
    >>> float(check_validity(7.6))
    7.6
    >>> check_validity(2.0, name="dot size")
    Traceback (most recent call last):
    ...
    ValueError: dot size (2.00 nm) is outside 3.0-15.4 nm, where the intermediate confinement model holds ...
    """
    size = _size(size_nm)
    mat = get_material(material) if isinstance(material, str) else material
    bad = outside_validity(size, model, mat)
    if bad.any():
        lo, hi = validity_range_nm(model, mat)
        first = float(size[bad].flat[0])
        reason = _VALIDITY_REASONS[model][0 if first < lo else 1]
        raise ValueError(
            f"{name} ({first:.2f} nm) is outside {lo:.1f}-{hi:.1f} nm, where the {model} confinement model holds for "
            f"{mat.name}: {reason}"
        )
    return size


def band_gap_eV(
    size_nm: object,
    material: str | Material = "CsPbBr3",
    shape: str = "cube",
    model: str = DEFAULT_MODEL,
    *,
    strict: bool = False,
) -> np.ndarray:
    r"""Lowest optical transition (exciton ground state) of a dot, in eV.

    Brus (``model="brus"``), sphere of radius R (cube: :math:`R = L/\sqrt3`, equal ground-state kinetic
    energy :math:`3\pi^2/L^2 = \pi^2/R^2`):

    .. math:: E = E_g^{el} + \frac{\hbar^2\pi^2}{2\mu R^2} - 1.786\,\frac{e^2}{4\pi\varepsilon_0\varepsilon_r R},
              \qquad E_g^{el} = E_g + E_b

    Intermediate (``model="intermediate"``, default), :math:`E = \min(E_s, E_w)` with, for a cube of edge L,

    .. math::
        E_s = E_g^{el} + \sum_{i=e,h} \frac{E_g^{el}}{2}\left(\sqrt{1 + \frac{2\hbar^2 k^2}{m_i E_g^{el}}} -
              1\right) - \max\!\left(C\,\frac{e^2}{4\pi\varepsilon_0\varepsilon_r L},\ E_b\right),\quad
              k^2 = \frac{3\pi^2}{L^2},\ C = 3.049

    .. math:: E_w = E_g + \frac{3\hbar^2\pi^2}{2M(L - 2\eta a_B)^2},\quad M = m_e + m_h,\ \eta = 0.5

    Here :math:`E_g` is the measured optical gap of the bulk (its exciton line), :math:`E_b` the exciton
    binding energy and :math:`a_B = \varepsilon_r a_0 m_0/\mu` the hydrogenic Bohr radius of the same
    parameter set.

    (sphere: :math:`k = \pi/R`, :math:`C/L \to 1.786/R`, :math:`3/(L-2\eta a_B)^2 \to 1/(R-\eta a_B)^2`).
    :math:`E_s` is the Brus energy with the two-band Kane dispersion and the Coulomb constant of the
    actual shape; :math:`E_w` is the weak-confinement limit of Kayanuma. Taking the lower branch is a
    phenomenological switch (simplified model).

    Parameters
    ----------
    size_nm : array_like
        Cube edge length or sphere diameter, nm, in (0, 100].
    material : str or Material
        ``"CsPbBr3"`` or ``"CsPbI3"`` (bulk parameters from :mod:`qdpv.materials`).
    shape : {"cube", "sphere"}
    model : {"intermediate", "brus"}
    strict : bool
        If True, raise ``ValueError`` for sizes outside the model's validity range (default: compute anyway;
        use :func:`outside_validity` to flag them).

    Returns
    -------
    numpy.ndarray
        Transition energy in eV, same shape as ``size_nm``. Large-size limit: Eg + Eb (Brus) or Eg, the bulk
        optical gap (intermediate).

    Raises
    ------
    ValueError
        ``size_nm`` outside (0, 100] nm or NaN; unknown ``material``, ``shape`` or ``model``; with
        ``strict=True``, a size outside the model's validity range.

    References
    ----------
    .. [1] Brus, J. Chem. Phys. 80, 4403 (1984).
    .. [2] Kayanuma, Phys. Rev. B 38, 9797 (1988).
    .. [3] Efros & Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
    .. [4] Yang et al., ACS Energy Lett. 2, 1621 (2017) (the exciton parameters).
       doi:10.1021/acsenergylett.7b00414

    Examples
    --------
    >>> [round(float(e), 3) for e in band_gap_eV([4.0, 8.0, 50.0])]
    [2.749, 2.452, 2.361]
    """
    size = _size(size_nm)
    mat = _material_and_shape(material, shape)
    check_choice("model", model, MODELS)
    if strict:
        check_validity(size, model, mat)
    if model == "brus":
        return _brus_eV(size, mat, shape)
    return np.minimum(_strong_kane_eV(size, mat, shape), _weak_eV(size, mat, shape))


def confinement_energy_eV(
    size_nm: object,
    material: str | Material = "CsPbBr3",
    shape: str = "cube",
    model: str = DEFAULT_MODEL,
) -> np.ndarray:
    r"""Shift of the dot's transition from the bulk gap, :math:`\Delta E = E(L) - E_g^{\mathrm{bulk}}`.

    Positive = blue shift (dot levels spread apart). With the default model it tends to 0 at large size
    (Brus: to :math:`+E_b`). The band-alignment module can split it between the bands, e.g. in
    proportion to :math:`1/m_e` and :math:`1/m_h`.

    Parameters
    ----------
    size_nm, material, shape, model
        As in :func:`band_gap_eV`.

    Returns
    -------
    numpy.ndarray
        Energy shift in eV.

    Raises
    ------
    ValueError
        As :func:`band_gap_eV`.

    References
    ----------
    .. [1] See :func:`band_gap_eV`.

    Examples
    --------
    >>> [round(float(e), 3) for e in confinement_energy_eV([4.0, 7.6, 50.0])]  # blue shift fades with size
    [0.389, 0.104, 0.001]
    >>> round(float(confinement_energy_eV(100.0, model="brus")), 3)  # Brus approaches +Eb = 0.033 eV instead
    0.028
    """
    return band_gap_eV(size_nm, material, shape, model) - get_material(material).band_gap_eV


REGIMES = ("strong", "intermediate", "weak")


def confinement_regime(size_nm: object, material: str | Material = "CsPbBr3") -> np.ndarray:
    r"""Confinement regime of a dot of size L relative to the Bohr diameter :math:`d_B = 2a_B`.

    strong: :math:`L < d_B`; intermediate: :math:`d_B \le L < 2 d_B`; weak: :math:`L \ge 2 d_B`
    (for CsPbBr3: below 7 nm, 7-14 nm, 14 nm and above). The thresholds are a convention (illustrative).

    Parameters
    ----------
    size_nm : array_like
        Cube edge or sphere diameter, nm, in (0, 100].
    material : str or Material

    Returns
    -------
    numpy.ndarray of str
        ``"strong"``, ``"intermediate"`` or ``"weak"``, same shape as ``size_nm``.

    Raises
    ------
    ValueError
        Bad ``size_nm`` or unknown ``material``.

    References
    ----------
    .. [1] Protesescu et al., Nano Lett. 15, 3692 (2015) (d_B = 7 nm for CsPbBr3).

    Examples
    --------
    >>> [str(r) for r in confinement_regime([4.0, 7.6, 20.0])]
    ['strong', 'intermediate', 'weak']
    """
    size = _size(size_nm)
    d_b = 2.0 * bohr_radius_nm(material)
    index = np.digitize(size, [d_b, 2.0 * d_b])
    return np.asarray(REGIMES)[index]


class SizeDistribution(NamedTuple):
    """Dot-size distribution on a grid: ``pdf_per_nm`` integrates to 1 over ``size_nm``."""

    size_nm: np.ndarray
    pdf_per_nm: np.ndarray
    mean_nm: float
    sd_nm: float


BESSEL_J0_FIRST_ZERO = 2.404825557695773  # first zero of J0: ground state of a particle in a disc


def pore_to_dot_nm(pore_diameter_nm: object, aspect: object = 1.0) -> np.ndarray:
    r"""Size of the dot a cylindrical pore grows: the edge of the cube with the same confinement energy.

    The rule the whole kit uses. A crystal grown in a cylindrical pore of diameter D fills its cross-section
    (nanocrystals grown in mesoporous silica take the size of the pore, Malgras et al. 2016 [1]_) and is
    ``aspect`` x D long. Its ground-state confinement (particle in a box with hard walls) is that of a
    cylinder; the model of :func:`band_gap_eV` is written for cubes, so the dot is represented by the cube of
    equal ground-state kinetic energy:

    .. math::
        \frac{3\pi^2}{L^2} = \left(\frac{2 j_{0,1}}{D}\right)^2 + \left(\frac{\pi}{a D}\right)^2
        \quad\Rightarrow\quad L = \frac{\sqrt3\,\pi\, D}{\sqrt{4 j_{0,1}^2 + \pi^2/a^2}},
        \qquad j_{0,1} = 2.4048

    An isometric crystal (a = 1, the default and an assumption) gives L = 0.947 D, so the paper's ~8 nm pores
    grow ~7.6 nm dots. A long rod (a -> inf) is confined in two dimensions only and behaves like a cube of
    1.131 D; a flat disc (a = 0.5) like one of 0.69 D.

    Parameters
    ----------
    pore_diameter_nm : array_like
        Pore diameter D in nm, in (0, 100].
    aspect : array_like
        Crystal length / pore diameter, in [0.5, 100]; broadcasts with ``pore_diameter_nm``.

    Returns
    -------
    numpy.ndarray
        Equivalent cube edge in nm.

    Raises
    ------
    ValueError
        ``pore_diameter_nm`` or ``aspect`` out of range.

    References
    ----------
    .. [1] V. Malgras et al., "Observation of Quantum Confinement in Monodisperse Methylammonium Lead Halide
       Perovskite Nanocrystals Embedded in Mesoporous Silica", J. Am. Chem. Soc. 138, 13874 (2016).
       doi:10.1021/jacs.6b05608

    Examples
    --------
    >>> round(float(pore_to_dot_nm(8.0)), 2)
    7.58
    """
    pore = check_array("pore_diameter_nm", pore_diameter_nm, 0.0, _SIZE_MAX_NM, unit="nm")
    return pore * _dot_per_pore(aspect)


def _dot_per_pore(aspect: object) -> np.ndarray:
    a = check_array("aspect", aspect, 0.5, 100.0, lo_closed=True)
    return np.sqrt(3.0) * np.pi / np.sqrt(4.0 * BESSEL_J0_FIRST_ZERO**2 + np.pi**2 / a**2)


PAPER_DOT_NM = float(PAPER.medium_msn_pore_nm * _dot_per_pore(1.0))
"""The dots the paper's medium (~8 nm) pores grow under :func:`pore_to_dot_nm` (isometric crystals), 7.58 nm:
the dot size every app shows for the paper's case."""


def _lognormal_params(mean: float, sd: float) -> tuple[float, float]:
    sigma2 = np.log1p((sd / mean) ** 2)
    return float(np.log(mean) - sigma2 / 2.0), float(np.sqrt(sigma2))


def dot_size_distribution(
    pore_mean_nm: float,
    pore_sd_nm: float,
    size_grid_nm: object | None = None,
    aspect: float = 1.0,
    n_grid: int = 301,
) -> SizeDistribution:
    r"""Distribution of dot edge lengths for dots grown in cylindrical pores of log-normal diameter.

    Pore diameters D are log-normal with arithmetic mean :math:`\bar D` and standard deviation
    :math:`s_D`; each pore grows one dot of size :math:`L = fD` with f from :func:`pore_to_dot_nm`:

    .. math::
        p_L(L) = \frac{1}{f}\,p_D(L/f),\quad
        p_D(D) = \frac{1}{D\sigma\sqrt{2\pi}}\exp\!\left[-\frac{(\ln D - m)^2}{2\sigma^2}\right],\quad
        \sigma^2 = \ln\!\left(1 + s_D^2/\bar D^2\right),\ m = \ln\bar D - \sigma^2/2

    Mean and sd of L are exactly :math:`f\bar D`, :math:`f s_D`.

    Parameters
    ----------
    pore_mean_nm : float
        Mean pore diameter, nm, in (0, 100].
    pore_sd_nm : float
        Standard deviation of the pore diameter, nm, in (0, pore_mean_nm].
    size_grid_nm : array_like, optional
        Strictly increasing grid of dot sizes (nm, in (0, 100]); default ``n_grid`` points over
        mean +- 5 sd (clipped at 0.05 nm).
    aspect : float
        Crystal length / pore diameter, as in :func:`pore_to_dot_nm`.
    n_grid : int
        Number of points of the default grid.

    Returns
    -------
    SizeDistribution
        ``size_nm``, ``pdf_per_nm`` (normalised on the grid by the trapezoid rule), ``mean_nm``, ``sd_nm``
        (analytic values of the mapped log-normal).

    Raises
    ------
    ValueError
        Bad pore mean/sd, aspect or grid.

    References
    ----------
    .. [1] Xu et al., Adv. Mater. 2026, e73024 (pores of ~8 nm vs the ~7 nm Bohr size).

    Examples
    --------
    >>> d = dot_size_distribution(8.0, 1.0)  # the paper's ~8 nm pores, sd 1 nm (illustrative)
    >>> round(d.mean_nm, 2), round(d.sd_nm, 3)
    (7.58, 0.947)
    >>> import numpy as np
    >>> round(float(np.trapezoid(d.pdf_per_nm, d.size_nm)), 6)
    1.0
    """
    mean = float(check_array("pore_mean_nm", pore_mean_nm, 0.0, _SIZE_MAX_NM, unit="nm"))
    sd = float(check_array("pore_sd_nm", pore_sd_nm, 0.0, mean, unit="nm"))
    factor = float(_dot_per_pore(aspect))
    dot_mean, dot_sd = factor * mean, factor * sd
    if size_grid_nm is None:
        check_array("n_grid", n_grid, 2, 1e6, lo_closed=True)
        grid = np.linspace(max(0.05, dot_mean - 5 * dot_sd), dot_mean + 5 * dot_sd, int(n_grid))
    else:
        grid = check_array("size_grid_nm", size_grid_nm, 0.0, _SIZE_MAX_NM, unit="nm", min_size=2)
        check_increasing("size_grid_nm", grid)
    m, sigma = _lognormal_params(dot_mean, dot_sd)
    pdf = np.exp(-((np.log(grid) - m) ** 2) / (2 * sigma**2)) / (grid * sigma * np.sqrt(2 * np.pi))
    area = np.trapezoid(pdf, grid)
    if area <= 0:
        raise ValueError("size_grid_nm must cover the dot-size distribution, got a grid where it is zero")
    return SizeDistribution(grid, pdf / area, dot_mean, dot_sd)


def sample_dot_sizes(
    pore_mean_nm: float,
    pore_sd_nm: float,
    n: int,
    seed: int | None = None,
    aspect: float = 1.0,
) -> np.ndarray:
    """Draw ``n`` dot edge lengths (nm) from the distribution of :func:`dot_size_distribution`.

    Parameters
    ----------
    pore_mean_nm, pore_sd_nm, aspect
        As in :func:`dot_size_distribution`.
    n : int
        Number of samples, >= 1.
    seed : int, optional
        Seed of ``numpy.random.default_rng`` (fix it for reproducible histograms).

    Returns
    -------
    numpy.ndarray
        ``n`` dot sizes in nm.

    Raises
    ------
    ValueError
        Bad arguments.

    References
    ----------
    .. [1] See :func:`dot_size_distribution`.

    Examples
    --------
    >>> sizes = sample_dot_sizes(8.0, 1.0, 10000, seed=0)
    >>> len(sizes), round(float(sizes.mean()), 1)
    (10000, 7.6)
    """
    mean = float(check_array("pore_mean_nm", pore_mean_nm, 0.0, _SIZE_MAX_NM, unit="nm"))
    sd = float(check_array("pore_sd_nm", pore_sd_nm, 0.0, mean, unit="nm"))
    count = int(check_array("n", n, 1, 1e8, lo_closed=True))
    factor = float(_dot_per_pore(aspect))
    m, sigma = _lognormal_params(factor * mean, factor * sd)
    return np.random.default_rng(seed).lognormal(m, sigma, count)


class EnsembleSpectra(NamedTuple):
    """Ensemble spectra on ``energy_eV``; ``pl`` and ``absorption`` are scaled to a maximum of 1."""

    energy_eV: np.ndarray
    pl: np.ndarray
    absorption: np.ndarray
    pl_peak_eV: float
    pl_peak_nm: float
    pl_fwhm_meV: float


def _half_max_crossings(x: np.ndarray, y: np.ndarray, i: int, half: float) -> tuple[float, float]:
    """Where a curve peaked at index ``i`` falls to ``half`` on each side, by linear interpolation between the
    samples around each crossing (nan on a side where it never falls that low)."""
    left = np.nonzero(y[:i] < half)[0]
    right = np.nonzero(y[i:] < half)[0]
    x_left = x_right = float("nan")
    if left.size:
        a = left[-1]
        x_left = float(np.interp(half, [y[a], y[a + 1]], [x[a], x[a + 1]]))
    if right.size:
        b = i + right[0]
        x_right = float(np.interp(half, [y[b], y[b - 1]], [x[b], x[b - 1]]))
    return x_left, x_right


def _fwhm(x: np.ndarray, y: np.ndarray) -> float:
    """Full width at half maximum of a single-peaked curve, by linear interpolation of the crossings."""
    i = int(np.argmax(y))
    x_left, x_right = _half_max_crossings(x, y, i, y[i] / 2.0)
    return x_right - x_left


def ensemble_spectra(
    size_grid_nm: object,
    size_pdf: object,
    energy_eV: object | None = None,
    homogeneous_fwhm_meV: float = 70.0,
    stokes_shift_meV: float = 30.0,
    material: str | Material = "CsPbBr3",
    shape: str = "cube",
    model: str = DEFAULT_MODEL,
) -> EnsembleSpectra:
    r"""Ensemble PL and absorption-edge spectra of a size distribution (inhomogeneous broadening).

    Each size :math:`L_j` (weight :math:`w_j = p(L_j)\,\Delta L_j`) has its transition
    :math:`E_j` = :func:`band_gap_eV`; with a Gaussian :math:`g` of FWHM :math:`\Gamma`:

    .. math::
        \mathrm{PL}(E) = \sum_j w_j\, g(E - E_j + S), \qquad
        A(E) = \sum_j w_j L_j^3 \left[ g(E - E_j)\,\Gamma + \tfrac12\left(1 +
               \mathrm{erf}\frac{E - E_j}{\sqrt2\,s}\right)\right],\ s = \Gamma/\sqrt{8\ln 2}

    (PL: every dot emits equally, red-shifted by the Stokes shift S; absorption: an excitonic peak on a
    broadened step, weighted by volume as the absorption cross-section above the gap scales with volume).
    Simplified model; the line shape and default widths are illustrative (RT single-dot widths of CsPbBr3
    are tens of meV).

    Parameters
    ----------
    size_grid_nm : array_like
        Strictly increasing dot sizes, nm, in (0, 100].
    size_pdf : array_like
        Probability density on ``size_grid_nm`` (1/nm, >= 0; need not be normalised).
    energy_eV : array_like, optional
        Evenly spaced increasing energy grid, eV, in (0, 10]; default 600 points over 2.0-3.4 eV. The
        per-size lines are binned onto it and convolved with the line shape (fast); dots whose
        transition lies below the grid add their absorption step as a constant.
    homogeneous_fwhm_meV : float
        FWHM of the single-dot line, meV, in (0, 1000].
    stokes_shift_meV : float
        PL red shift from the absorption transition, meV, in [0, 500].
    material, shape, model
        As in :func:`band_gap_eV`.

    Returns
    -------
    EnsembleSpectra
        ``energy_eV``, ``pl``, ``absorption`` (each max-normalised), ``pl_peak_eV``, ``pl_peak_nm``,
        ``pl_fwhm_meV``.

    Raises
    ------
    ValueError
        Bad grids, pdf, widths or model choices.

    References
    ----------
    .. [1] See :func:`band_gap_eV`; inhomogeneous broadening as a sum over the size distribution.

    Examples
    --------
    >>> d = dot_size_distribution(8.0, 1.0)
    >>> s = ensemble_spectra(d.size_nm, d.pdf_per_nm)
    >>> round(s.pl_peak_nm, 1), round(s.pl_fwhm_meV)
    (509.2, 100)
    >>> d = dot_size_distribution(8.0, 0.2)
    >>> round(ensemble_spectra(d.size_nm, d.pdf_per_nm).pl_fwhm_meV)  # narrow pores: near the 70 meV single dot
    71
    """
    sizes = check_array("size_grid_nm", size_grid_nm, 0.0, _SIZE_MAX_NM, unit="nm", min_size=2)
    check_increasing("size_grid_nm", sizes)
    pdf = check_array("size_pdf", size_pdf, 0.0, np.inf, lo_closed=True)
    if pdf.shape != sizes.shape or not pdf.any():
        raise ValueError(f"size_pdf must have the shape of size_grid_nm {sizes.shape} and a positive value")
    energy = np.linspace(2.0, 3.4, 600) if energy_eV is None else _uniform_grid(energy_eV)
    gamma = float(check_array("homogeneous_fwhm_meV", homogeneous_fwhm_meV, 0.0, 1000.0, unit="meV")) / 1e3
    shift_meV = check_array("stokes_shift_meV", stokes_shift_meV, 0.0, 500.0, unit="meV", lo_closed=True)
    shift = float(shift_meV) / 1e3
    weights = pdf * np.gradient(sizes)
    transitions = band_gap_eV(sizes, material, shape, model)
    step_e = energy[1] - energy[0]
    s = gamma / np.sqrt(8.0 * np.log(2.0))
    half = int(np.ceil(5 * s / step_e))
    offsets = np.arange(-half, half + 1) * step_e
    kernel = np.exp(-0.5 * (offsets / s) ** 2)
    pl = np.convolve(_deposit(energy, transitions - shift, weights), kernel, mode="same")
    vol = _deposit(energy, transitions, weights * sizes**3)
    peak = np.convolve(vol, kernel, mode="same")
    below = np.sum((weights * sizes**3)[transitions < energy[0]])
    absorption = peak + np.cumsum(np.convolve(vol, kernel / kernel.sum(), mode="same")) + below
    if pl.max() <= 0:
        raise ValueError("energy_eV must cover the PL of the size distribution, got a grid with no emission")
    pl, absorption = pl / pl.max(), absorption / absorption.max()
    i = int(np.argmax(pl))
    return EnsembleSpectra(
        energy, pl, absorption, float(energy[i]), float(HC_EV_NM / energy[i]), 1e3 * _fwhm(energy, pl)
    )


def _uniform_grid(energy_eV: object) -> np.ndarray:
    energy = check_array("energy_eV", energy_eV, 0.0, 10.0, unit="eV", min_size=3)
    steps = np.diff(energy)
    if steps.min() <= 0 or np.ptp(steps) > 1e-6 * steps.mean():
        raise ValueError("energy_eV must be evenly spaced and increasing, got uneven or decreasing steps")
    return energy


def _deposit(grid: np.ndarray, positions: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Share each weight between the two grid points around its position (linear binning)."""
    x = (positions - grid[0]) / (grid[1] - grid[0])
    inside = (x >= 0) & (x <= grid.size - 1)
    lo = np.minimum(np.floor(x[inside]).astype(int), grid.size - 2)
    frac = x[inside] - lo
    w = weights[inside]
    return np.bincount(lo, w * (1 - frac), grid.size) + np.bincount(lo + 1, w * frac, grid.size)


def wavelength_nm(energy_eV: object) -> np.ndarray:
    r"""Photon wavelength :math:`\lambda = hc/E` (nm) for ``energy_eV`` in (0, 100] eV.

    Examples
    --------
    >>> round(float(wavelength_nm(2.36)), 1)  # bulk CsPbBr3 gap: green
    525.4
    >>> round(float(wavelength_nm(1.73)), 1)  # CsPbI3 absorption edge: deep red
    716.7
    """
    return HC_EV_NM / check_array("energy_eV", energy_eV, 0.0, 100.0, unit="eV")


def energy_to_rgb(energy_eV: object) -> np.ndarray:
    r"""Approximate sRGB colour (0-1 floats, last axis R, G, B) of monochromatic light of ``energy_eV``.

    Piecewise-linear visible-spectrum approximation of Bruton (1996) on 380-780 nm, with intensity falling
    off near the ends and gamma 0.8; black outside the visible. An approximation for drawing, not
    colorimetry.

    Parameters
    ----------
    energy_eV : array_like
        Photon energy, eV, in (0, 100].

    Returns
    -------
    numpy.ndarray
        Shape ``energy_eV.shape + (3,)``.

    Raises
    ------
    ValueError
        Bad ``energy_eV``.

    References
    ----------
    .. [1] D. Bruton, "Approximate RGB values for visible wavelengths" (1996).

    Examples
    --------
    >>> [round(float(c), 3) for c in energy_to_rgb(2.4)]  # 517 nm: green
    [0.151, 1.0, 0.0]
    """
    wl = wavelength_nm(energy_eV)
    r = np.interp(wl, [380, 440, 490, 510, 580, 645, 780], [1, 0, 0, 0, 1, 1, 1])
    g = np.interp(wl, [380, 440, 490, 510, 580, 645, 780], [0, 0, 1, 1, 1, 0, 0])
    b = np.interp(wl, [380, 440, 490, 510, 580, 645, 780], [1, 1, 1, 0, 0, 0, 0])
    fade = np.interp(wl, [380, 420, 700, 780], [0.3, 1.0, 1.0, 0.3])
    fade = np.where((wl < 380) | (wl > 780), 0.0, fade)
    return (np.stack([r, g, b], axis=-1) * fade[..., None]) ** 0.8


def wavelength_to_hex(wavelength_nm: object) -> np.ndarray:
    """``"#rrggbb"`` colour(s) of monochromatic light at ``wavelength_nm`` (nm, in [12.4, 1e5]); see
    :func:`energy_to_rgb` for the approximation used (Bruton 1996).

    Examples
    --------
    >>> [str(h) for h in wavelength_to_hex([450.0, 520.0, 650.0])]
    ['#0046ff', '#36ff00', '#ff0000']
    >>> str(wavelength_to_hex(300.0))  # ultraviolet: black
    '#000000'
    """
    wl = check_array("wavelength_nm", wavelength_nm, 12.4, 1e5, unit="nm", lo_closed=True)
    rgb = np.rint(255 * energy_to_rgb(HC_EV_NM / wl)).astype(int)
    flat = rgb.reshape(-1, 3)
    hexes = np.array([f"#{r:02x}{g:02x}{b:02x}" for r, g, b in flat])
    return hexes.reshape(wl.shape)


# --- measured spectra: wavelength <-> energy, peak, width and the dot size they imply -------------------------


def _spectrum_axis(name: str, x: object, hi: float, unit: str) -> np.ndarray:
    arr = check_array(name, x, 0.0, hi, unit=unit, min_size=2)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {arr.shape}")
    steps = np.diff(arr)
    if not (np.all(steps > 0) or np.all(steps < 0)):
        raise ValueError(f"{name} must be strictly increasing or strictly decreasing (no repeated values)")
    return arr


def _spectrum_values(name: str, y: object, size: int) -> np.ndarray:
    arr = check_array(name, y)
    if arr.shape != (size,):
        raise ValueError(f"{name} must have one value per point of the spectral axis ({size}), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers, got an infinite value")
    return arr


def spectrum_per_eV(wavelength_nm: object, intensity_per_nm: object) -> tuple[np.ndarray, np.ndarray]:
    r"""A spectral density on a wavelength axis (per nm) as the same density on an energy axis (per eV).

    A spectrometer counts photons in wavelength bins; the same photons counted in energy bins fill
    :math:`|d\lambda/dE|` times as much per unit, so with :math:`E = hc/\lambda`

    .. math:: I_E(E) = I_\lambda(\lambda)\,\left|\frac{d\lambda}{dE}\right| = I_\lambda(\lambda)\,\frac{hc}{E^2}

    (the Jacobian). :math:`\int I_E\,dE = \int I_\lambda\,d\lambda`: the total is kept, the shape is not (the
    red side of a peak grows relative to the blue one, and the peak moves). Only for densities (PL or
    emission counts per nm); an absorbance is a property at each wavelength, not a density, and is only
    re-labelled (:math:`E = hc/\lambda`) without this factor.

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelengths in nm, in (0, 1e5], 1-D, strictly monotonic (either direction), at least 2.
    intensity_per_nm : array_like
        Spectral density per nm at each wavelength (any unit per nm), finite, same length.

    Returns
    -------
    energy_eV, intensity_per_eV : numpy.ndarray
        Photon energies in eV, increasing, and the density per eV at each (same unit times nm/eV).

    Raises
    ------
    ValueError
        For a bad axis (non-positive, NaN, repeated, not monotonic) or values of another length.

    References
    ----------
    .. [1] J. Mooney, P. Kambhampati, "Get the Basics Right: Jacobian Conversion of Wavelength and Energy
       Scales for Quantitative Analysis of Emission Spectra", J. Phys. Chem. Lett. 4, 3316-3318 (2013).
       doi:10.1021/jz401508t

    Examples
    --------
    One count per nm at 500 nm is 1239.84 / 2.48^2 = 201.6 counts per eV at 2.48 eV:

    >>> e, i = spectrum_per_eV([600.0, 500.0], [1.0, 1.0])
    >>> [round(float(x), 3) for x in e], [round(float(x), 1) for x in i]
    ([2.066, 2.48], [290.4, 201.6])
    """
    wl = _spectrum_axis("wavelength_nm", wavelength_nm, 1e5, "nm")
    y = _spectrum_values("intensity_per_nm", intensity_per_nm, wl.size)
    energy = HC_EV_NM / wl
    order = np.argsort(energy)
    energy = energy[order]
    return energy, y[order] * HC_EV_NM / energy**2


def spectrum_per_nm(energy_eV: object, intensity_per_eV: object) -> tuple[np.ndarray, np.ndarray]:
    r"""A spectral density on an energy axis (per eV) as the same density on a wavelength axis (per nm).

    The inverse of :func:`spectrum_per_eV`: :math:`\lambda = hc/E` and
    :math:`I_\lambda = I_E\,|dE/d\lambda| = I_E\,hc/\lambda^2`. Only for densities (see there).

    Parameters
    ----------
    energy_eV : array_like
        Photon energies in eV, in (0, 100], 1-D, strictly monotonic, at least 2.
    intensity_per_eV : array_like
        Spectral density per eV at each energy, finite, same length.

    Returns
    -------
    wavelength_nm, intensity_per_nm : numpy.ndarray
        Wavelengths in nm, increasing, and the density per nm at each.

    Raises
    ------
    ValueError
        For a bad axis or values of another length.

    References
    ----------
    .. [1] Mooney & Kambhampati, J. Phys. Chem. Lett. 4, 3316 (2013). doi:10.1021/jz401508t

    Examples
    --------
    The round trip gives the spectrum back:

    >>> wl, i = spectrum_per_nm(*spectrum_per_eV([450.0, 500.0, 550.0], [1.0, 3.0, 2.0]))
    >>> [round(float(x), 6) for x in wl], [round(float(x), 6) for x in i]
    ([450.0, 500.0, 550.0], [1.0, 3.0, 2.0])
    """
    energy = _spectrum_axis("energy_eV", energy_eV, 100.0, "eV")
    y = _spectrum_values("intensity_per_eV", intensity_per_eV, energy.size)
    wl = HC_EV_NM / energy
    order = np.argsort(wl)
    wl = wl[order]
    return wl, y[order] * HC_EV_NM / wl**2


_SIZE_SEARCH_NM = (1.0, _SIZE_MAX_NM)  # smallest and largest dot dot_size_nm looks for
_BISECTIONS = 64  # halvings of the log-size bracket: far below float resolution (ratio 100 / 2**64)


def _monotonic_size_limit(mat: Material, shape: str, model: str) -> float:
    """Largest size up to which ``band_gap_eV`` falls with size (Brus has a shallow minimum at a few tens of nm)."""
    sizes = np.geomspace(*_SIZE_SEARCH_NM, 2001)
    gaps = band_gap_eV(sizes, mat, shape, model)
    rising = np.flatnonzero(np.diff(gaps) >= 0)
    return float(sizes[rising[0]]) if rising.size else _SIZE_SEARCH_NM[1]


def dot_size_nm(
    energy_eV: object, material: str | Material = "CsPbBr3", shape: str = "cube", model: str = DEFAULT_MODEL
) -> np.ndarray:
    r"""Dot size whose lowest optical transition is ``energy_eV``: the inverse of :func:`band_gap_eV`.

    Solves :math:`E(L) = E` for L between 1 nm and 100 nm (or, for a model whose gap stops falling with
    size before 100 nm, up to that size) by bisection in :math:`\ln L`, to machine precision. The model's
    validity range is not enforced: ask :func:`outside_validity` of the size.

    Parameters
    ----------
    energy_eV : array_like
        Transition energies in eV; each must lie between the model's gap at the largest and at 1 nm.
    material, shape, model
        As in :func:`band_gap_eV`.

    Returns
    -------
    numpy.ndarray
        Cube edge or sphere diameter in nm, same shape as ``energy_eV``.

    Raises
    ------
    ValueError
        ``energy_eV`` NaN or outside the range the model reaches (no dot of 1-100 nm has that transition, e.g.
        below the bulk gap); unknown ``material``, ``shape`` or ``model``.

    References
    ----------
    .. [1] See :func:`band_gap_eV`.

    Examples
    --------
    >>> [round(float(x), 2) for x in dot_size_nm([2.749, 2.452])]
    [4.0, 8.0]
    >>> round(float(band_gap_eV(dot_size_nm(2.5))), 12)
    2.5
    """
    mat = _material_and_shape(material, shape)
    check_choice("model", model, MODELS)
    big = _monotonic_size_limit(mat, shape, model)
    e_lo, e_hi = (float(e) for e in band_gap_eV([big, _SIZE_SEARCH_NM[0]], mat, shape, model))
    energy = check_array("energy_eV", energy_eV, e_lo, e_hi, unit=f"eV (dots of {_SIZE_SEARCH_NM[0]:g}-{big:.3g} nm)",
                         lo_closed=True)
    lo = np.full(energy.shape, np.log(_SIZE_SEARCH_NM[0]))
    hi = np.full(energy.shape, np.log(big))
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        too_blue = band_gap_eV(np.exp(mid), mat, shape, model) > energy  # gap above target: dot must grow
        lo, hi = np.where(too_blue, mid, lo), np.where(too_blue, hi, mid)
    return np.exp(0.5 * (lo + hi))


class SpectrumPeak(NamedTuple):
    """Result of :func:`spectrum_peak` (energies in eV, sizes in nm; nan where the data do not determine them)."""

    peak_eV: float
    """Peak energy: vertex of a parabola fitted to the points above 80 % of the maximum."""
    peak_se_eV: float
    """Standard error of the peak energy from the scatter about that parabola (nan with only 3 points)."""
    peak_nm: float
    """hc / peak_eV."""
    fwhm_meV: float
    """Full width at half maximum, from the interpolated half-maximum crossings (nan if one is missing)."""
    half_max_eV: tuple[float, float]
    """Low- and high-energy half-maximum crossings."""
    transition_eV: float
    """Peak energy plus the Stokes shift: the absorption transition the sizing curve is inverted at."""
    size_nm: float
    """Dot size whose transition is ``transition_eV`` in the chosen model (nan outside its reach)."""
    size_se_nm: float
    """Standard error of the size from ``peak_se_eV`` through the slope of the sizing curve."""
    size_range_nm: tuple[float, float]
    """Sizes at the high- and low-energy half-maximum crossings: the dots emitting above half maximum if the
    width were all size spread (an upper bound on it, since each dot has its own line width)."""
    size_by_model_nm: Mapping[str, float]
    """Size at ``transition_eV`` in every model of :data:`MODELS`: how much the answer depends on the model."""
    outside_validity: bool
    """True if ``size_nm`` lies outside the chosen model's validity range."""
    model: str


def spectrum_peak(
    energy_eV: object,
    intensity: object,
    material: str | Material = "CsPbBr3",
    shape: str = "cube",
    model: str = DEFAULT_MODEL,
    stokes_shift_meV: float = 0.0,
) -> SpectrumPeak:
    r"""Peak, FWHM and the dot size a measured PL (or absorption) peak implies, with their ranges.

    * Peak: least-squares parabola through the contiguous points at or above 80 % of the maximum (at least
      the maximum and its two neighbours); its vertex is the peak, its standard error comes from the
      scatter about the parabola (delta method on :math:`-b/2a`).
    * FWHM: the two crossings of half the largest sample, each interpolated linearly between the samples
      around it.
    * Size: :func:`dot_size_nm` at :math:`E_\mathrm{peak} + S` (S, the Stokes shift: PL sits below the
      absorption transition the sizing curve describes; 0 for an absorption peak), its standard error from
      the peak's through the slope :math:`dL/dE`, the range from the sizes at the two half-maximum crossings,
      and the size every other model gives.

    The spectrum should be a density per eV (:func:`spectrum_per_eV` converts one recorded per nm). One peak
    is assumed; for an absorbance, pass the energies around its excitonic peak only.

    Parameters
    ----------
    energy_eV : array_like
        Photon energies in eV, strictly increasing, in (0, 100]; at least 3.
    intensity : array_like
        Signal at each energy (any unit), finite, with a positive maximum inside the range (not at an end).
    material, shape, model
        As in :func:`band_gap_eV`.
    stokes_shift_meV : float
        Shift of the PL peak below the absorption transition, meV, in [0, 500]; default 0.

    Returns
    -------
    SpectrumPeak

    Raises
    ------
    ValueError
        For a bad axis or signal, a maximum at either end (the peak is not inside the measured range) or a
        bad choice of material, shape, model or Stokes shift.

    References
    ----------
    .. [1] See :func:`band_gap_eV` (the sizing curve).
    .. [2] Mooney & Kambhampati, J. Phys. Chem. Lett. 4, 3316 (2013) (spectra on an energy axis).

    Examples
    --------
    The kit's ensemble PL of dots from 8 nm pores (mean dot 7.58 nm), read back: peak, width and size:

    >>> d = dot_size_distribution(8.0, 1.0)
    >>> s = ensemble_spectra(d.size_nm, d.pdf_per_nm, stokes_shift_meV=30.0)
    >>> peak = spectrum_peak(s.energy_eV, s.pl, stokes_shift_meV=30.0)
    >>> round(peak.peak_eV, 3), round(peak.fwhm_meV), round(peak.size_nm, 1)
    (2.435, 100, 7.6)
    >>> [round(x, 1) for x in peak.size_range_nm], round(peak.size_by_model_nm["brus"], 1)
    ([6.3, 9.4], 7.7)
    """
    energy = check_array("energy_eV", energy_eV, 0.0, 100.0, unit="eV", min_size=3)
    if energy.ndim != 1:
        raise ValueError(f"energy_eV must be a 1-D array, got shape {energy.shape}")
    check_increasing("energy_eV", energy)
    y = _spectrum_values("intensity", intensity, energy.size)
    mat = _material_and_shape(material, shape)
    check_choice("model", model, MODELS)
    shift = float(check_array("stokes_shift_meV", stokes_shift_meV, 0.0, 500.0, unit="meV", lo_closed=True)) / 1e3
    i = int(np.argmax(y))
    if y[i] <= 0:
        raise ValueError(f"intensity must have a positive maximum, got {y[i]:g}")
    if i in (0, y.size - 1):
        raise ValueError(
            f"intensity is largest at the end of the range ({energy[i]:g} eV): the peak must lie inside the spectrum"
        )
    lo = hi = i
    while lo > 0 and y[lo - 1] >= 0.8 * y[i]:
        lo -= 1
    while hi < y.size - 1 and y[hi + 1] >= 0.8 * y[i]:
        hi += 1
    lo, hi = min(lo, i - 1), max(hi, i + 1)
    x = energy[lo : hi + 1] - energy[i]
    design = np.column_stack([x**2, x, np.ones_like(x)])
    coef, *_ = np.linalg.lstsq(design, y[lo : hi + 1], rcond=None)
    a, b = coef[0], coef[1]
    vertex = -b / (2 * a) if a < 0 else np.nan
    if np.isfinite(vertex) and x[0] <= vertex <= x[-1]:
        cov = covariance_from_jacobian(design, design @ coef - y[lo : hi + 1], errors_known=False)
        grad = np.array([b / (2 * a**2), -1 / (2 * a), 0.0])
        peak, peak_se = energy[i] + vertex, float(np.sqrt(grad @ cov @ grad))
    else:  # flat or single-sample top: the largest sample is the best the data say
        peak, peak_se = float(energy[i]), float("nan")
    e_low, e_high = _half_max_crossings(energy, y, i, y[i] / 2.0)
    transition = peak + shift

    def size_at(e: float, which: str = model) -> float:
        try:
            return float(dot_size_nm(e, mat, shape, which))
        except ValueError:
            return float("nan")

    size = size_at(transition)
    if np.isfinite(size) and np.isfinite(peak_se):
        step = 1e-4 * size
        slope = float(np.diff(band_gap_eV([size - step, size + step], mat, shape, model))[0]) / (2 * step)
        size_se = peak_se / abs(slope)
    else:
        size_se = float("nan")
    return SpectrumPeak(
        peak_eV=float(peak),
        peak_se_eV=peak_se,
        peak_nm=float(HC_EV_NM / peak),
        fwhm_meV=1e3 * (e_high - e_low),
        half_max_eV=(e_low, e_high),
        transition_eV=float(transition),
        size_nm=size,
        size_se_nm=float(size_se),
        size_range_nm=(size_at(e_high + shift), size_at(e_low + shift)),
        size_by_model_nm=MappingProxyType({name: size_at(transition, name) for name in MODELS}),
        outside_validity=bool(np.isfinite(size) and outside_validity(size, model, mat)),
        model=model,
    )
