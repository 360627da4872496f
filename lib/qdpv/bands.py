r"""Energy levels of the inverted CsPbI3 cell, band offsets at each interface, band-diagram arrays.

Conventions
-----------
* Levels are energies **below the vacuum level, as positive numbers**: electron affinity
  :math:`\chi` (conduction-band minimum, CBM, or LUMO), ionisation energy :math:`I` (valence-band maximum,
  VBM, or HOMO) and, for contacts, the work function :math:`\Phi`. The band diagram plots their negatives
  (vacuum level at 0 eV).
* Vacuum-level alignment (Anderson / Schottky-Mott rule): interface dipoles, band bending and Fermi-level
  pinning are ignored, except that a self-assembled monolayer (SAM) is represented by the work function it
  gives the ITO. This is the textbook first guess at an energy-level diagram, not a device simulation.
* A stack is ordered from the anode (ITO, where holes are collected, x = 0) to the cathode (Ag, where
  electrons are collected). Layers left of the absorber are on the "HTL side", layers right of it on the
  "ETL side".
* Each :class:`Layer` carries the source of its levels and their range. Where a level was checked against a
  primary measurement the source names the paper, its DOI (where confirmed), the method (UPS, IPES, Kelvin
  probe, photoinjection, XPS) and the measured numbers; the range spans those measurements. Where no primary
  measurement could be read the source says "not verified at a primary source" and the value is a typical
  film value (photoemission of films differs by 0.1-0.3 eV between laboratories). The published numbers are
  tabulated, with how each was read, in ``tests/data/published_band_levels.csv``, and the tests hold the
  catalogue to them. Thicknesses are **illustrative** typical values (the paper's layer thicknesses are not in
  the kit's copy of the paper).

The quantum-dot interlayer
--------------------------
The CsPbBr3 quantum dots sit in the pores of mesoporous silica nanoparticles (MSNs). The interlayer is
represented by the dots' own levels (bulk CsPbBr3 shifted by quantum confinement, :func:`qd_levels_eV`).
The silica matrix is *not* a separate layer of the default stack: SiO2 (CBM 0.9 eV, VBM 9.9 eV below vacuum)
is a wide-gap insulator around and between the dots; charge crosses it only by tunnelling through
nanometre-thin walls or by going around the particles. ``layer("SiO2", thickness_nm=...)`` can be put into
a stack to show how large that barrier is.

References
----------
.. [1] L. Protesescu et al., Nano Lett. 15, 3692 (2015), Table 1 (CsPbBr3 effective masses).
.. [2] A. Al-Ashouri et al., "Conformal monolayer contacts with lossless interfaces for perovskite single
   junction and monolithic tandem solar cells", Energy Environ. Sci. 12, 3356 (2019). doi:10.1039/C9EE02268F
.. [3] A. Al-Ashouri et al., "Monolithic perovskite/silicon tandem solar cell with >29% efficiency by
   enhanced hole extraction", Science 370, 1300 (2020). doi:10.1126/science.abd4016
.. [4] R. L. Anderson, "Experiments on Ge-GaAs heterojunctions", Solid-State Electron. 5, 341 (1962)
   (electron-affinity rule for band offsets).
.. [5] S. M. Sze, K. K. Ng, Physics of Semiconductor Devices, 3rd ed., Wiley (2007), ch. 3
   (Schottky-Mott barrier heights).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from types import MappingProxyType

import numpy as np

from . import confinement
from ._validate import check_array, check_choice
from .materials import CsPbI3, Material, get_material

__all__ = [
    "ALIGNED_EV",
    "ETLS",
    "HTLS",
    "LAYERS",
    "ROLES",
    "BandDiagram",
    "Interface",
    "Layer",
    "Verdict",
    "band_diagram",
    "inverted_stack",
    "layer",
    "offsets",
    "qd_interlayer",
    "qd_levels_eV",
]

ROLES = ("contact", "HTL", "absorber", "interlayer", "ETL", "buffer")
HTLS = ("NiOx", "PTAA", "MeO-2PACz", "Me-4PACz")
ETLS = ("PCBM", "C60")

ALIGNED_EV = 0.05
"""Offsets smaller than this (eV) are called "aligned": tabulated levels are uncertain by about 0.1 eV."""

QD_INTERLAYER_NM = 20.0
"""Thickness of the CsPbBr3-QD@MSN interlayer (illustrative; not given in the kit's copy of the paper)."""


@dataclass(frozen=True)
class Layer:
    """One layer of a device stack.

    Attributes
    ----------
    name : str
    role : str
        One of ``ROLES``: contact, HTL, absorber, interlayer, ETL, buffer.
    thickness_nm : float
        Layer thickness in nm (> 0).
    electron_affinity_eV, ionisation_energy_eV : float or None
        CBM/LUMO and VBM/HOMO below vacuum (positive numbers) of a semiconductor; ``None`` for a contact.
    work_function_eV : float or None
        Work function below vacuum of a contact (metal, ITO, SAM-modified ITO); ``None`` for a semiconductor.
    source : str
        Where the level values come from.
    ranges : Mapping[str, tuple[float, float]]
        Literature spread of a level, where one is recorded.

    Raises
    ------
    ValueError
        If the role is unknown, the thickness is not positive, or the levels are neither a work function
        alone nor an electron affinity smaller than the ionisation energy.
    """

    name: str
    role: str
    thickness_nm: float
    electron_affinity_eV: float | None = None
    ionisation_energy_eV: float | None = None
    work_function_eV: float | None = None
    source: str = ""
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        check_choice("role", self.role, ROLES)
        check_array("thickness_nm", self.thickness_nm, 0.0, np.inf, unit="nm")
        if self.is_contact:
            check_array("work_function_eV", self.work_function_eV, 0.0, 12.0, unit="eV")
            if self.electron_affinity_eV is not None or self.ionisation_energy_eV is not None:
                raise ValueError(f"layer {self.name!r}: a contact takes work_function_eV, not band edges")
            return
        if self.electron_affinity_eV is None or self.ionisation_energy_eV is None:
            raise ValueError(
                f"layer {self.name!r} needs electron_affinity_eV and ionisation_energy_eV or work_function_eV"
            )
        check_array("electron_affinity_eV", self.electron_affinity_eV, 0.0, 12.0, unit="eV")
        ea = self.electron_affinity_eV
        check_array("ionisation_energy_eV", self.ionisation_energy_eV, ea, 12.0, unit="eV")

    @property
    def is_contact(self) -> bool:
        """True for a layer described by a work function (metal, ITO, SAM-modified ITO)."""
        return self.work_function_eV is not None

    @property
    def band_gap_eV(self) -> float | None:
        """Transport gap I - chi in eV; ``None`` for a contact."""
        if self.is_contact:
            return None
        return self.ionisation_energy_eV - self.electron_affinity_eV

    def range(self, field_name: str) -> tuple[float, float]:
        """Literature range of ``field_name``; ``(v, v)`` where no spread is recorded."""
        value = getattr(self, field_name)
        return self.ranges.get(field_name, (value, value))


_LEVEL_FIELDS = ("electron_affinity_eV", "ionisation_energy_eV", "work_function_eV")
_UNVERIFIED = "not verified at a primary source"
_THICK = "thickness illustrative (typical of inverted perovskite cells)"
_AKAIKE = (
    "K. Akaike et al., 'Ultraviolet photoelectron spectroscopy and inverse photoemission spectroscopy of "
    "[6,6]-phenyl-C61-butyric acid methyl ester in gas and solid phases' (2008), doi:10.1063/1.2957588"
)
_RIVIERE = "J. C. Riviere, 'Contact potential difference measurements by the Kelvin method' (1957)"
_AG_FACES = "'Work function measurements on (110), (100) and (111) surfaces of silver'"


def _material_layer(material: Material, role: str, thickness_nm: float) -> Layer:
    """A semiconductor layer whose levels are those of a :mod:`qdpv.materials` record."""
    return Layer(
        name=material.name,
        role=role,
        thickness_nm=thickness_nm,
        electron_affinity_eV=material.electron_affinity_eV,
        ionisation_energy_eV=material.ionisation_energy_eV,
        source=f"qdpv.materials.{material.name}: {material.source('electron_affinity_eV')}; {_THICK}",
        ranges=MappingProxyType({k: v for k, v in material.ranges.items() if k in _LEVEL_FIELDS}),
    )


def _ranges(**spread: tuple[float, float]) -> Mapping[str, tuple[float, float]]:
    return MappingProxyType(spread)


_CATALOGUE = (
    Layer(
        "ITO",
        "contact",
        150.0,
        work_function_eV=4.7,
        source=(
            "UPS work function of ITO after the cleanings cells use: UV-ozone 4.75 eV and solvent only 4.5 eV "
            "('Dependence of indium-tin-oxide work function on surface cleaning method as studied by ultraviolet "
            "and x-ray photoemission spectroscopies', J. Appl. Phys. 87, 295 (2000), doi:10.1063/1.371859, "
            "abstract), O2 plasma 4.40 eV (W. Song, S. K. So, L. Cao, 'Angular-dependent photoemission studies "
            "of indium tin oxide surfaces', Appl. Phys. A (2001) 361-365, abstract; DOI not confirmed here). "
            "4.7 eV is the UV-ozone-cleaned ITO of a p-i-n cell; the range spans the three cleanings. "
            "Ar+-sputtered ITO reads lower (4.3 and 3.90 eV in the same papers), a surface no cell uses. "
            f"Bare ITO 4.6 eV in Al-Ashouri et al. 2019 [2]: {_UNVERIFIED}. {_THICK}"
        ),
        ranges=_ranges(work_function_eV=(4.4, 4.8)),
    ),
    Layer(
        "NiOx",
        "HTL",
        20.0,
        1.8,
        5.3,
        source=(
            f"electron affinity and ionisation energy {_UNVERIFIED} (typical values for solution-processed NiOx "
            "films; the range is a typical spread, also unverified). Context, not a check of these numbers: UPS "
            "work functions of air-exposed or ex-situ-oxidised NiO films are 5.2-5.6 eV (M. T. Greiner et al., "
            "'Effects of processing conditions on the work function and energy-level alignment of NiO thin films', "
            "J. Phys. Chem. C 114, 19777 (2010), abstract), and a p-type film's ionisation energy lies above its "
            f"work function, so 5.3 eV sits at the shallow end. {_THICK}"
        ),
        ranges=_ranges(ionisation_energy_eV=(5.2, 5.4)),
    ),
    Layer(
        "PTAA",
        "HTL",
        15.0,
        2.3,
        5.2,
        source=f"electron affinity and ionisation energy {_UNVERIFIED} (typical film values). {_THICK}",
    ),
    # SAMs: represented by the work function they give ITO (a ~1 nm monolayer, no bulk bands).
    Layer(
        "MeO-2PACz",
        "HTL",
        1.0,
        work_function_eV=5.0,
        source=(
            f"ITO/MeO-2PACz work function 5.0 eV: {_UNVERIFIED}. A literature summary (the paper itself not "
            "read here) gives for Al-Ashouri et al. 2019 [2] ITO 4.6 eV -> ITO/2PACz 5.0 eV and a much smaller "
            "molecular dipole for MeO-2PACz (0.2 D) than for 2PACz (2 D), so 5.0 eV is likely the upper end; "
            "range 4.6-5.0 eV. Monolayer ~1 nm thick (illustrative)"
        ),
        ranges=_ranges(work_function_eV=(4.6, 5.0)),
    ),
    Layer(
        "Me-4PACz",
        "HTL",
        1.0,
        work_function_eV=5.3,
        source=(
            f"ITO/Me-4PACz work function 5.3 eV: {_UNVERIFIED}. A literature summary gives for Al-Ashouri et "
            "al. 2020 [3] a ~1.7 D dipole, while 2PACz (2 D) gives 5.0 eV on 4.6 eV ITO [2], so 5.3 eV may be "
            "high; range 5.0-5.3 eV. Monolayer ~1 nm thick (illustrative)"
        ),
        ranges=_ranges(work_function_eV=(5.0, 5.3)),
    ),
    _material_layer(CsPbI3, "absorber", 400.0),
    _material_layer(get_material("CsPbBr3"), "interlayer", QD_INTERLAYER_NM),
    Layer(
        "SiO2",
        "interlayer",
        2.0,
        0.9,
        9.9,
        source=(
            "amorphous SiO2, built from measurements (abstracts read): gap 8.9 +- 0.2 eV by photoinjection and "
            "9.0 eV by photoconductivity ('The band edge of amorphous SiO2 by photoinjection and "
            "photoconductivity measurements', Solid State Commun. (1971); DOI not confirmed here). Route 1: "
            "VBM = Si photoelectric threshold 5.15 +- 0.08 eV ('Work function, photoelectric threshold, and "
            "surface states of atomically clean silicon', Phys. Rev. 127, 150 (1962), "
            "doi:10.1103/PhysRev.127.150) + SiO2/Si valence-band offset 4.36-4.49 eV (XPS; J. L. Alay, "
            "M. Hirose, J. Appl. Phys. 81, 1606 (1997), doi:10.1063/1.363895) = 9.5-9.6 eV, CBM = VBM - gap = "
            "0.5-0.7 eV. Route 2: CBM = Al work function 4.20 +- 0.05 eV (Kelvin probe, " + _RIVIERE + ") - "
            "Al/SiO2 barrier 3.15 eV (photon-assisted tunnelling, 'Photon assisted tunneling from aluminum into "
            "silicon dioxide', IBM workshop paper 1976; authors and DOI not confirmed here) = 1.05 eV, "
            "VBM = 9.95-10.05 eV. 0.9 / 9.9 eV lie within the two routes, whose spread is the range. "
            "2 nm is an illustrative pore-wall thickness (tunnelling matrix of the MSNs)"
        ),
        ranges=_ranges(electron_affinity_eV=(0.5, 1.1), ionisation_energy_eV=(9.5, 10.1)),
    ),
    Layer(
        "PCBM",
        "ETL",
        50.0,
        3.9,
        6.0,
        source=(
            "PC61BM film: threshold ionisation energy 5.96 +- 0.02 eV (UPS) and threshold electron affinity "
            f"3.9 +- 0.1 eV (IPES), {_AKAIKE} (abstract). {_THICK}"
        ),
        ranges=_ranges(electron_affinity_eV=(3.8, 4.0), ionisation_energy_eV=(5.9, 6.0)),
    ),
    Layer(
        "C60",
        "ETL",
        25.0,
        4.2,
        6.4,
        source=(
            f"checked indirectly: {_AKAIKE} (abstract) measured solid PCBM at IE 5.96 +- 0.02 eV (UPS) and "
            "EA 3.9 +- 0.1 eV (IPES) and states that these values are 0.4-0.6 eV smaller than C60's, which puts "
            "solid C60 at IE 6.36-6.56 eV and EA 4.3-4.5 eV (4.2-4.6 eV with the PCBM uncertainty); no C60 "
            "measurement itself was read at source. IE 6.4 eV lies in that band; EA 4.2 eV at its low edge; "
            f"the EA range's lower end 4.0 eV is {_UNVERIFIED}. "
            f"{_THICK}"
        ),
        ranges=_ranges(electron_affinity_eV=(4.0, 4.5), ionisation_energy_eV=(6.3, 6.6)),
    ),
    Layer(
        "BCP",
        "buffer",
        6.0,
        3.2,
        6.5,
        source=(
            f"electron affinity and ionisation energy {_UNVERIFIED} (typical film values; the ranges are typical "
            "spreads, also unverified). A UPS study of BCP interfaces is I. G. Hill, A. Kahn, 'Organic semiconductor "
            "heterointerfaces containing bathocuproine', J. Appl. Phys. 86, 4515 (1999); its numbers are in the "
            f"body and were not read here. {_THICK}"
        ),
        ranges=_ranges(electron_affinity_eV=(3.0, 3.5), ionisation_energy_eV=(6.4, 7.0)),
    ),
    Layer(
        "Ag",
        "contact",
        100.0,
        work_function_eV=4.3,
        source=(
            f"evaporated Ag film 4.31 +- 0.03 eV (Kelvin probe against tungsten 4.565 eV; {_RIVIERE}, abstract; "
            "journal and DOI not confirmed here); clean single-crystal faces 4.14 +- 0.04 (110), 4.22 +- 0.04 "
            f"(100) and 4.46 +- 0.02 (111) eV (photoelectric; {_AG_FACES}, abstract; authors, journal and DOI "
            "not confirmed here), which also reports that sulphur contamination raises it by several tenths of "
            "an eV. The range spans these. H. B. Michaelson's compilation (J. Appl. Phys. 48, 4729 (1977), "
            f"doi:10.1063/1.323539) lists polycrystalline Ag at 4.26 eV: its table was not read here. {_THICK}"
        ),
        ranges=_ranges(work_function_eV=(4.1, 4.5)),
    ),
)

LAYERS: Mapping[str, Layer] = MappingProxyType({lay.name: lay for lay in _CATALOGUE})
"""The catalogue of named layers with their typical thickness."""


def layer(name: str, thickness_nm: float | None = None) -> Layer:
    """Return the catalogue layer ``name``, optionally with another thickness.

    Parameters
    ----------
    name : str
        One of ``LAYERS`` (ITO, NiOx, PTAA, MeO-2PACz, Me-4PACz, CsPbI3, CsPbBr3, SiO2, PCBM, C60, BCP, Ag).
    thickness_nm : float, optional
        Thickness in nm, > 0; the catalogue's illustrative value if omitted.

    Returns
    -------
    Layer

    Raises
    ------
    ValueError
        If ``name`` is unknown or ``thickness_nm`` is not a positive number.

    Examples
    --------
    >>> layer("C60").thickness_nm, layer("C60", 30.0).thickness_nm
    (25.0, 30.0)
    >>> round(layer("CsPbI3").band_gap_eV, 2)
    1.73
    """
    base = LAYERS[check_choice("name", name, LAYERS)]
    if thickness_nm is None:
        return base
    thickness = check_array("thickness_nm", thickness_nm, 0.0, np.inf, unit="nm")
    return replace(base, thickness_nm=float(thickness))


def qd_levels_eV(
    size_nm: float | np.ndarray,
    material: str | Material = "CsPbBr3",
    shape: str = "cube",
    model: str = confinement.DEFAULT_MODEL,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Electron affinity and ionisation energy of a quantum dot: bulk levels moved apart by confinement.

    .. math::

        \chi_{QD} = \chi_{bulk} - \Delta E\,\frac{m_h}{m_e + m_h}, \qquad
        I_{QD} = I_{bulk} + \Delta E\,\frac{m_e}{m_e + m_h}

    with :math:`\Delta E = E_g^{QD}(L) - E_g^{bulk}` from
    :func:`qdpv.confinement.confinement_energy_eV` (default: its most accurate model). Simplified model:
    the kinetic confinement energy of each carrier scales as :math:`1/m`, so the conduction band takes the
    fraction :math:`(1/m_e)/(1/m_e + 1/m_h) = m_h/(m_e+m_h)` and the valence band the rest. The Coulomb
    (exciton) part of :math:`\Delta E` is assumed to be shared in the same proportion. The gap
    :math:`I_{QD} - \chi_{QD}` equals the dot's optical gap. For CsPbBr3 the measured reduced mass is split
    equally between electron and hole (:mod:`qdpv.materials`), so the shift is shared half and half. The
    default model tends to :math:`\Delta E \to 0` at large size, so the levels converge to the bulk ones.

    Parameters
    ----------
    size_nm : float or array_like
        Edge length of a cube or diameter of a sphere, in nm, in (0, 100].
    material : str or Material
        The dot material (default CsPbBr3).
    shape : str
        "cube" or "sphere", passed to :func:`qdpv.confinement.confinement_energy_eV`.
    model : str
        Confinement model name (``qdpv.confinement.MODELS``).

    Returns
    -------
    electron_affinity_eV, ionisation_energy_eV : ndarray
        Below vacuum, with the shape of ``size_nm``; positive for every size in the confinement models'
        validity ranges. For sub-nm dots (below about 0.67 nm for CsPbBr3, outside every model) the confined
        CBM comes out above the vacuum level (a negative electron affinity): the formula, not physics.

    Raises
    ------
    ValueError
        If ``size_nm`` is not in (0, 100] nm or ``material``, ``shape`` or ``model`` is unknown.

    References
    ----------
    .. [1] L. Protesescu et al., Nano Lett. 15, 3692 (2015), Table 1.

    Examples
    --------
    >>> ea, ie = qd_levels_eV(7.6)  # the dots of the paper's ~8 nm pores
    >>> round(float(ea), 3), round(float(ie), 3)
    (3.348, 5.812)
    >>> round(float(ie - ea), 3)  # the dot's optical gap, confinement.band_gap_eV(7.6)
    2.464
    """
    size = check_array("size_nm", size_nm, 0.0, np.inf, unit="nm")
    mat = get_material(material)
    d_e = confinement.confinement_energy_eV(size, material=mat, shape=shape, model=model)
    cb_share = mat.m_h / (mat.m_e + mat.m_h)
    return mat.electron_affinity_eV - d_e * cb_share, mat.ionisation_energy_eV + d_e * (1.0 - cb_share)


def qd_interlayer(qd_size_nm: float, thickness_nm: float = QD_INTERLAYER_NM) -> Layer:
    """The CsPbBr3-QD@SiO2 interlayer as a layer with the dots' confined levels (see :func:`qd_levels_eV`).

    Parameters
    ----------
    qd_size_nm : float
        Dot edge length in nm, in (0, 100], e.g. the 7.58 nm dots the paper's medium (~8 nm) MSN pores grow
        (:func:`qdpv.confinement.pore_to_dot_nm`).
    thickness_nm : float
        Interlayer thickness in nm (> 0); default illustrative.

    Returns
    -------
    Layer
        Role "interlayer", named ``"CsPbBr3 QDs@SiO2"``.

    Raises
    ------
    ValueError
        If ``qd_size_nm`` is not a single number in (0, 100] nm or ``thickness_nm`` is not positive, or if the
        dot is so small (below about 0.67 nm for CsPbBr3, far outside every confinement model) that its
        confined CBM comes out above the vacuum level.

    Examples
    --------
    >>> q = qd_interlayer(7.6)
    >>> q.name, round(q.electron_affinity_eV, 3), round(q.ionisation_energy_eV, 3)
    ('CsPbBr3 QDs@SiO2', 3.348, 5.812)
    """
    size = check_array("qd_size_nm", qd_size_nm, 0.0, 100.0, unit="nm")
    if size.size != 1:
        raise ValueError(f"qd_size_nm must be a single number, got {size.size} values")
    thickness = check_array("thickness_nm", thickness_nm, 0.0, np.inf, unit="nm")
    ea, ie = qd_levels_eV(size.item())
    if ea <= 0:
        raise ValueError(
            f"qd_size_nm must be large enough for the dot's CBM to lie below the vacuum level, got "
            f"{size.item():g} nm (CBM {-float(ea):.2f} eV above vacuum: sub-nm dots are outside every "
            "confinement model)"
        )
    return Layer(
        name="CsPbBr3 QDs@SiO2",
        role="interlayer",
        thickness_nm=float(thickness),
        electron_affinity_eV=float(ea),
        ionisation_energy_eV=float(ie),
        source=(
            f"{size.item():g} nm CsPbBr3 dots: bulk CsPbBr3 levels (qdpv.materials) shifted by "
            "qdpv.confinement.confinement_energy_eV, split by effective masses (Protesescu 2015); "
            "SiO2 matrix not drawn (tunnelling walls); thickness illustrative"
        ),
    )


def inverted_stack(qd_size_nm: float | None = None, htl: str = "NiOx", etl: str = "C60") -> tuple[Layer, ...]:
    """The paper's inverted (p-i-n) device: ITO / HTL / CsPbI3 / [CsPbBr3-QD@SiO2] / ETL / BCP / Ag.

    Parameters
    ----------
    qd_size_nm : float, optional
        Size of the CsPbBr3 dots in nm, in (0, 100]. ``None``: the control device, without the interlayer.
    htl : str
        Hole-transport layer, one of ``HTLS``: "NiOx", "PTAA", "MeO-2PACz", "Me-4PACz" (the SAMs appear as
        a ~1 nm layer with the work function they give ITO).
    etl : str
        Electron-transport layer, one of ``ETLS``: "PCBM" (PC61BM) or "C60".

    Returns
    -------
    tuple of Layer
        From the anode (ITO) to the cathode (Ag). Levels and sources as in ``LAYERS``; thicknesses
        illustrative.

    Raises
    ------
    ValueError
        If ``qd_size_nm`` is not a number in (0, 100] nm or ``htl``/``etl`` is not one of the choices.

    References
    ----------
    D. Xu et al., Adv. Mater. 2026, e73024 (device architecture); see the module references for the levels.

    Examples
    --------
    >>> [lay.name for lay in inverted_stack()]  # the control device
    ['ITO', 'NiOx', 'CsPbI3', 'C60', 'BCP', 'Ag']
    >>> [lay.name for lay in inverted_stack(7.6, htl="Me-4PACz")]
    ['ITO', 'Me-4PACz', 'CsPbI3', 'CsPbBr3 QDs@SiO2', 'C60', 'BCP', 'Ag']
    """
    check_choice("htl", htl, HTLS)
    check_choice("etl", etl, ETLS)
    middle = () if qd_size_nm is None else (qd_interlayer(qd_size_nm),)
    return (LAYERS["ITO"], LAYERS[htl], LAYERS["CsPbI3"], *middle, LAYERS[etl], LAYERS["BCP"], LAYERS["Ag"])


class Verdict(enum.Enum):
    """What an interface does to one carrier, as a value; :meth:`sentence` words it with the numbers.

    The value is the short label. :attr:`kind` groups the verdicts the way a figure colours them: "good"
    (cascade, aligned, ohmic), "barrier" (against extraction), "blocking" (the wanted barrier for the carrier
    this side should stop), "leak" (that barrier missing) and "neutral" (contact/contact steps).
    """

    CASCADE = "cascade"
    ALIGNED = "aligned"
    OHMIC = "ohmic"
    OHMIC_LIKE = "ohmic-like"
    BARRIER = "barrier"
    SCHOTTKY_BARRIER = "Schottky-type barrier"
    BLOCKING = "blocking"
    LEAK = "no blocking"
    CONTACT_STEP = "contact/contact"

    @property
    def kind(self) -> str:
        """One of "good", "barrier", "blocking", "leak", "neutral"."""
        return _KINDS[self]

    def sentence(self, carrier: str, barrier_eV: float, contact: bool) -> str:
        """Plain words for ``carrier`` ("electron" or "hole") with the barrier in eV (> 0 opposes the carrier).

        ``contact`` says whether the interface is with a contact (work function vs band edge) or between two
        semiconductors (band offset).
        """
        band, direction, cascade, fermi_side = _CARRIER[carrier]
        size = f"{abs(barrier_eV):.2f} eV"
        words = {
            Verdict.SCHOTTKY_BARRIER: f"Schottky-type barrier for {carrier}s {size} (work function vs {band})",
            Verdict.OHMIC: f"ohmic for {carrier}s: contact Fermi level {size} {fermi_side} the {band}",
            Verdict.OHMIC_LIKE: f"ohmic-like for {carrier}s: work function within {ALIGNED_EV:.2f} eV of the {band}",
            Verdict.BARRIER: f"barrier for {carrier}s {size} {direction}",
            Verdict.CASCADE: f"{carrier} cascade: {band} {cascade} {size} {direction}",
            Verdict.ALIGNED: f"{carrier}s: {band}s aligned within {ALIGNED_EV:.2f} eV",
            Verdict.LEAK: f"no {carrier} blocking: barrier only {barrier_eV:+.2f} eV, {carrier}s can leak",
            Verdict.BLOCKING: (f"{carrier}-blocking: {barrier_eV:.2f} eV barrier into the contact" if contact
                               else f"{carrier}-blocking: {band} offset {barrier_eV:.2f} eV"),
            Verdict.CONTACT_STEP: f"contact/contact: work function changes by {barrier_eV:+.2f} eV",
        }
        return words[self]


_KINDS = {
    Verdict.CASCADE: "good", Verdict.ALIGNED: "good", Verdict.OHMIC: "good", Verdict.OHMIC_LIKE: "good",
    Verdict.BARRIER: "barrier", Verdict.SCHOTTKY_BARRIER: "barrier", Verdict.BLOCKING: "blocking",
    Verdict.LEAK: "leak", Verdict.CONTACT_STEP: "neutral",
}


@dataclass(frozen=True)
class Interface:
    r"""Band alignment at one interface (left layer nearer the anode), one row of the offsets table.

    Attributes
    ----------
    left, right : str
        Layer names.
    side : str
        "HTL side" (between anode and absorber: holes are extracted, electrons should be blocked) or
        "ETL side" (between absorber and cathode: electrons are extracted, holes should be blocked).
    dEc_eV : float
        Conduction-band offset :math:`\chi_{left} - \chi_{right}`; > 0 means the CBM rises to the right (a
        barrier for electrons moving toward the cathode). NaN if either layer is a contact.
    dEv_eV : float
        Valence-band offset :math:`I_{left} - I_{right}`; > 0 means the VBM is deeper on the left (a barrier
        for holes moving toward the anode). NaN if either layer is a contact.
    phi_bn_eV, phi_bp_eV : float
        At a contact/semiconductor interface, the Schottky-Mott barriers :math:`\Phi - \chi` for electrons
        and :math:`I - \Phi` for holes (<= 0: ohmic). NaN elsewhere.
    electron_verdict, hole_verdict : Verdict
        What the interface does to each carrier.
    electron_barrier_eV, hole_barrier_eV : float
        The barrier behind each verdict in eV: against extraction for the carrier this side extracts, the
        blocking barrier for the other (> 0 opposes the carrier); the work-function step at contact/contact.
    note : str
        Caveat for thin buffer layers, interlayers and contact/contact steps.
    electrons, holes : str
        The verdicts in plain words with their numbers (properties, derived from the values above).
    """

    left: str
    right: str
    side: str
    dEc_eV: float
    dEv_eV: float
    phi_bn_eV: float
    phi_bp_eV: float
    electron_verdict: Verdict
    hole_verdict: Verdict
    electron_barrier_eV: float
    hole_barrier_eV: float
    note: str = ""

    @property
    def is_contact(self) -> bool:
        """Whether a contact is on either side (no band offsets, Schottky-Mott barriers instead)."""
        return math.isnan(self.dEc_eV)

    @property
    def electrons(self) -> str:
        """The electron verdict in plain words."""
        return self.electron_verdict.sentence("electron", self.electron_barrier_eV, self.is_contact)

    @property
    def holes(self) -> str:
        """The hole verdict in plain words."""
        return self.hole_verdict.sentence("hole", self.hole_barrier_eV, self.is_contact)

    def as_row(self) -> dict[str, object]:
        """The record as a plain dict (one table row): numbers, verdict labels and their sentences."""
        row = asdict(self)
        row["electron_verdict"], row["hole_verdict"] = self.electron_verdict.value, self.hole_verdict.value
        return {**row, "electrons": self.electrons, "holes": self.holes}


_ROLE_NOTES = {
    "buffer": "thin buffer: electrons cross it by tunnelling and gap states, so its nominal CBM barrier "
    "overstates the real one",
    "interlayer": "thin, discontinuous interlayer (dots in silica pores): carriers can tunnel through or "
    "pass around it",
}
_CARRIER = {
    # carrier: (band edge, direction of extraction, cascade direction of the edge, ohmic Fermi-level side)
    "electron": ("CBM", "toward the cathode", "steps down", "above"),
    "hole": ("VBM", "toward the anode", "steps up", "below"),
}


def _extracted(barrier: float, contact: bool) -> Verdict:
    """Verdict for the carrier this side of the absorber extracts; ``barrier`` > 0 opposes extraction."""
    if barrier > ALIGNED_EV:
        return Verdict.SCHOTTKY_BARRIER if contact else Verdict.BARRIER
    if barrier < -ALIGNED_EV:
        return Verdict.OHMIC if contact else Verdict.CASCADE
    return Verdict.OHMIC_LIKE if contact else Verdict.ALIGNED


def _blocked(barrier: float) -> Verdict:
    """Verdict for the carrier this side of the absorber should block; ``barrier`` > 0 blocks it."""
    return Verdict.BLOCKING if barrier > ALIGNED_EV else Verdict.LEAK


def _step(a_eV: float, b_eV: float) -> float:
    """a - b rounded to 1e-9 eV, so that e.g. 3.95 - 3.90 compares equal to ``ALIGNED_EV``."""
    return round(a_eV - b_eV, 9)


def _interface(left: Layer, right: Layer, side: str) -> Interface:
    notes = [_ROLE_NOTES[r] for r in dict.fromkeys((left.role, right.role)) if r in _ROLE_NOTES]
    nan = math.nan
    if left.is_contact and right.is_contact:
        step = _step(right.work_function_eV, left.work_function_eV)
        notes.append(f"effective contact work function {left.work_function_eV:.2f} -> {right.work_function_eV:.2f} "
                     "eV (surface dipole)")
        v = Verdict.CONTACT_STEP
        return Interface(left.name, right.name, side, nan, nan, nan, nan, v, v, step, step, "; ".join(notes))
    if left.is_contact or right.is_contact:
        metal, semi = (left, right) if left.is_contact else (right, left)
        phi_bn = _step(metal.work_function_eV, semi.electron_affinity_eV)
        phi_bp = _step(semi.ionisation_energy_eV, metal.work_function_eV)
        e_barrier, h_barrier, contact, d_ec, d_ev = phi_bn, phi_bp, True, nan, nan
    else:
        d_ec = _step(left.electron_affinity_eV, right.electron_affinity_eV)
        d_ev = _step(left.ionisation_energy_eV, right.ionisation_energy_eV)
        phi_bn = phi_bp = nan
        # barrier in the direction each carrier travels on this side of the absorber
        e_barrier, h_barrier, contact = (-d_ec, d_ev, False) if side == "HTL side" else (d_ec, -d_ev, False)
    if side == "HTL side":
        electrons, holes = _blocked(e_barrier), _extracted(h_barrier, contact)
    else:
        electrons, holes = _extracted(e_barrier, contact), _blocked(h_barrier)
    note = "; ".join(notes)
    return Interface(left.name, right.name, side, d_ec, d_ev, phi_bn, phi_bp, electrons, holes, e_barrier, h_barrier,
                     note)


def _absorber_index(stack: Sequence[Layer]) -> int:
    if len(stack) < 2 or not all(isinstance(lay, Layer) for lay in stack):
        raise ValueError(f"stack must be a sequence of at least 2 Layer objects, got {stack!r}")
    found = [i for i, lay in enumerate(stack) if lay.role == "absorber"]
    if len(found) != 1:
        raise ValueError(f"stack must contain exactly one layer with role 'absorber', got {len(found)}")
    return found[0]


def offsets(stack: Sequence[Layer]) -> list[Interface]:
    r"""Band offsets and plain-words verdicts at every interface of a stack (anode first).

    Heterojunctions (electron-affinity rule, vacuum-level alignment [4]_):

    .. math::

        \Delta E_c = \chi_{left} - \chi_{right}, \qquad \Delta E_v = I_{left} - I_{right}

    Contact/semiconductor interfaces (Schottky-Mott rule [5]_):

    .. math::

        \phi_{Bn} = \Phi - \chi, \qquad \phi_{Bp} = I - \Phi

    On the HTL side (anode to absorber) holes are extracted toward the anode, so :math:`\Delta E_v > 0` is
    a hole barrier and :math:`\Delta E_v < 0` a hole cascade; electrons should be blocked, by
    :math:`-\Delta E_c`.
    On the ETL side electrons are extracted toward the cathode (:math:`\Delta E_c > 0` barrier, < 0 cascade)
    and holes blocked by :math:`-\Delta E_v`. Offsets below ``ALIGNED_EV`` are called aligned. Simplified:
    no interface dipoles, band bending or Fermi-level pinning.

    Parameters
    ----------
    stack : sequence of Layer
        At least two layers, ordered from the anode, with exactly one of role "absorber".

    Returns
    -------
    list of Interface
        One frozen record per interface; ``[i.as_row() for i in result]`` is a table.

    Raises
    ------
    ValueError
        If ``stack`` has fewer than two layers, holds something that is not a :class:`Layer`, or does not
        contain exactly one absorber.

    References
    ----------
    .. [4] R. L. Anderson, Solid-State Electron. 5, 341 (1962).
    .. [5] S. M. Sze, K. K. Ng, Physics of Semiconductor Devices, 3rd ed. (2007), ch. 3.

    Examples
    --------
    >>> i = offsets(inverted_stack())[2]  # control device, absorber/ETL
    >>> i.left, i.right, i.electrons
    ('CsPbI3', 'C60', 'electron cascade: CBM steps down 0.25 eV toward the cathode')
    >>> offsets(inverted_stack(7.6))[2].electrons  # the dots' CBM lies above the absorber's
    'barrier for electrons 0.60 eV toward the cathode'
    """
    k = _absorber_index(stack)
    return [
        _interface(stack[i], stack[i + 1], "HTL side" if i < k else "ETL side") for i in range(len(stack) - 1)
    ]


@dataclass(frozen=True, eq=False)
class BandDiagram:
    r"""Arrays for drawing a flat-band energy diagram (vacuum level at 0 eV, energies negative).

    Attributes
    ----------
    names, roles : tuple of str
    x_left_nm, x_right_nm : ndarray
        Layer edges in nm along the stack, from the anode.
    cbm_eV, vbm_eV : ndarray
        :math:`-\chi` and :math:`-I` per layer (NaN for contacts).
    fermi_eV : ndarray
        :math:`-\Phi` for contacts (NaN for semiconductors).
    """

    names: tuple[str, ...]
    roles: tuple[str, ...]
    x_left_nm: np.ndarray
    x_right_nm: np.ndarray
    cbm_eV: np.ndarray
    vbm_eV: np.ndarray
    fermi_eV: np.ndarray

    def step(self, level: str) -> tuple[np.ndarray, np.ndarray]:
        """``x_nm, energy_eV`` of a step line for ``level`` ("cbm", "vbm" or "fermi"), NaN where undefined.

        Raises
        ------
        ValueError
            If ``level`` is not one of the three names.
        """
        values = getattr(self, f"{check_choice('level', level, ('cbm', 'vbm', 'fermi'))}_eV")
        return np.column_stack([self.x_left_nm, self.x_right_nm]).ravel(), np.repeat(values, 2)


def band_diagram(stack: Sequence[Layer], min_width_nm: float = 0.0) -> BandDiagram:
    r"""Positions and band edges of a stack for plotting, :math:`E_{CBM} = -\chi`, :math:`E_{VBM} = -I`.

    Parameters
    ----------
    stack : sequence of Layer
        Ordered from the anode.
    min_width_nm : float
        Drawn width of layers thinner than this, in nm (>= 0), so that a 1 nm SAM or a 6 nm buffer stays
        visible next to a 400 nm absorber. Display only: 0 draws true thicknesses.

    Returns
    -------
    BandDiagram

    Raises
    ------
    ValueError
        If ``stack`` is empty or holds something that is not a :class:`Layer`, or ``min_width_nm`` < 0.

    References
    ----------
    R. L. Anderson, Solid-State Electron. 5, 341 (1962) (vacuum-level alignment).

    Examples
    --------
    >>> d = band_diagram(inverted_stack(7.6))
    >>> float(d.x_right_nm[-1]), float(d.fermi_eV[0]), float(d.cbm_eV[2])  # total nm, ITO and CsPbI3 levels
    (721.0, -4.7, -3.95)
    >>> float(band_diagram(inverted_stack(7.6), min_width_nm=20.0).x_right_nm[-1])  # thin layers drawn wider
    735.0
    """
    if len(stack) == 0 or not all(isinstance(lay, Layer) for lay in stack):
        raise ValueError(f"stack must be a non-empty sequence of Layer objects, got {stack!r}")
    floor = check_array("min_width_nm", min_width_nm, 0.0, np.inf, unit="nm", lo_closed=True)
    widths = np.maximum([lay.thickness_nm for lay in stack], floor)
    right = np.cumsum(widths)

    def level(attr: str) -> np.ndarray:
        return -np.array([np.nan if getattr(lay, attr) is None else getattr(lay, attr) for lay in stack])

    return BandDiagram(
        names=tuple(lay.name for lay in stack),
        roles=tuple(lay.role for lay in stack),
        x_left_nm=right - widths,
        x_right_nm=right,
        cbm_eV=level("electron_affinity_eV"),
        vbm_eV=level("ionisation_energy_eV"),
        fermi_eV=level("work_function_eV"),
    )
