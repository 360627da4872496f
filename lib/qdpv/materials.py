"""Material parameters of the perovskites in the kit, each value with its source.

Values are frozen dataclasses so that a model cannot change them by accident. ``Material.source(field)``
returns the reference for one field, and ``Material.range(field)`` the spread found in the literature
where it is wide (the apps show that range next to the value the kit uses).

References
----------
.. [1] L. Protesescu et al., "Nanocrystals of Cesium Lead Halide Perovskites (CsPbX3, X = Cl, Br, and I)",
   Nano Lett. 15, 3692-3696 (2015), Table 1. doi:10.1021/nl5048779
.. [2] Z. Yang et al., "Impact of the Halide Cage on the Electronic Properties of Fully Inorganic Cesium Lead
   Halide Perovskites", ACS Energy Lett. 2, 1621-1627 (2017) (magneto-absorption, 2 K).
   doi:10.1021/acsenergylett.7b00414

One consistent set per material: the reduced exciton mass, the dielectric constant that screens the exciton and
the exciton binding energy all come from the same magneto-optical measurement (Yang et al. 2017), so the
hydrogenic relations between them hold. The reported Bohr diameter (Protesescu et al. 2015) is kept beside
them as a *reported* number, because it is the one the paper compares its pores with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ._validate import check_choice

__all__ = ["MATERIALS", "Material", "get_material"]

_BOHR_RADIUS_NM = 0.0529177210903  # hydrogen Bohr radius a0, CODATA 2018


@dataclass(frozen=True)
class Material:
    """Bulk parameters of a semiconductor as used by the confinement and band models.

    Attributes
    ----------
    name : str
    band_gap_eV : float
        Optical gap of the bulk at room temperature: the energy of the lowest (exciton) transition of large
        crystals. The electronic (single-particle) gap lies ``exciton_binding_meV`` higher
        (:attr:`electronic_gap_eV`).
    m_e, m_h : float
        Electron and hole effective masses in units of the free-electron mass m0.
    eps_r : float
        Relative dielectric constant that screens the exciton (the value that goes with ``m_e``/``m_h`` in the
        hydrogenic model, not the static constant).
    exciton_binding_meV : float
        Exciton binding energy.
    bohr_diameter_nm : float
        Exciton Bohr diameter as reported in the nanocrystal literature (2 a_B); the value from this record's
        own masses and dielectric constant is :attr:`hydrogenic_bohr_radius_nm` (times 2).
    electron_affinity_eV, ionisation_energy_eV : float
        Conduction-band minimum and valence-band maximum below the vacuum level (positive numbers).
    sources : Mapping[str, str]
        Reference for each field.
    ranges : Mapping[str, tuple[float, float]]
        Literature spread for fields where it is wide.
    """

    name: str
    band_gap_eV: float
    m_e: float
    m_h: float
    eps_r: float
    exciton_binding_meV: float
    bohr_diameter_nm: float
    electron_affinity_eV: float
    ionisation_energy_eV: float
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict, compare=False)

    @property
    def electronic_gap_eV(self) -> float:
        """Single-particle (electronic) gap of the bulk: optical gap plus exciton binding energy, eV."""
        return self.band_gap_eV + self.exciton_binding_meV / 1000.0

    @property
    def reduced_mass(self) -> float:
        """Reduced exciton mass mu = m_e m_h / (m_e + m_h), in m0."""
        return self.m_e * self.m_h / (self.m_e + self.m_h)

    @property
    def hydrogenic_bohr_radius_nm(self) -> float:
        r"""Hydrogenic exciton Bohr radius :math:`a_B = \varepsilon_r (m_0/\mu) a_0` from this record's masses."""
        return self.eps_r / self.reduced_mass * _BOHR_RADIUS_NM

    def source(self, field_name: str) -> str:
        """Reference for ``field_name``."""
        return self.sources[field_name]

    def range(self, field_name: str) -> tuple[float, float]:
        """Literature range for ``field_name``; a single value as ``(v, v)`` where no spread is recorded."""
        v = getattr(self, field_name)
        return self.ranges.get(field_name, (v, v))


_PROTESESCU = "Protesescu et al., Nano Lett. 15, 3692 (2015), Table 1, doi:10.1021/nl5048779"
_YANG = "Yang et al., ACS Energy Lett. 2, 1621 (2017), magneto-absorption, doi:10.1021/acsenergylett.7b00414"
_SPLIT = (
    f"reduced exciton mass from {_YANG}, split equally between electron and hole (illustrative: the "
    "measurement gives only the reduced mass; near-equal masses are what band-structure calculations find)"
)
_LEVELS = (
    "band edges below vacuum not verified at a primary source: a typical film value (photoemission of films "
    "spreads by 0.1-0.3 eV). UPS/IPES measurements of CsPbBr3 and CsPbI3 films exist (S. Tao et al., "
    "'Absolute energy level positions in tin- and lead-based halide perovskites', Nat. Commun. 10, 2560 (2019), "
    "doi:10.1038/s41467-019-10468-7; CsPbBr3 also in the UPS/IPES study of MAPbI3, MAPbBr3 and CsPbBr3 at "
    "PubMed Central PMC4959026), but their numbers were not read here"
)

CsPbBr3 = Material(
    name="CsPbBr3",
    band_gap_eV=2.36,
    m_e=0.126 * 2,
    m_h=0.126 * 2,
    eps_r=7.3,
    exciton_binding_meV=33.0,
    bohr_diameter_nm=7.0,
    electron_affinity_eV=3.4,
    ionisation_energy_eV=5.76,
    sources=MappingProxyType(
        {
            "band_gap_eV": _PROTESESCU,
            "m_e": _SPLIT,
            "m_h": _SPLIT,
            "eps_r": _YANG,
            "exciton_binding_meV": _YANG,
            "bohr_diameter_nm": _PROTESESCU + " (reported; the value the paper's 'about 7 nm' refers to)",
            "electron_affinity_eV": _LEVELS,
            "ionisation_energy_eV": _LEVELS,
        }
    ),
    ranges=MappingProxyType(
        {"band_gap_eV": (2.25, 2.40), "exciton_binding_meV": (33.0, 40.0), "eps_r": (4.96, 7.3),
         "bohr_diameter_nm": (6.1, 7.0)}
    ),
)

CsPbI3 = Material(
    name="CsPbI3",
    band_gap_eV=1.73,
    m_e=0.114 * 2,
    m_h=0.114 * 2,
    eps_r=10.0,
    exciton_binding_meV=15.0,
    bohr_diameter_nm=12.0,
    electron_affinity_eV=3.95,
    ionisation_energy_eV=5.68,
    sources=MappingProxyType(
        {
            "band_gap_eV": (
                "black-phase CsPbI3 films, 1.72-1.75 eV: G. E. Eperon et al., J. Mater. Chem. A 3, 19688 "
                "(2015), doi:10.1039/C5TA06398A"
            ),
            "m_e": _SPLIT,
            "m_h": _SPLIT,
            "eps_r": _YANG,
            "exciton_binding_meV": _YANG,
            "bohr_diameter_nm": _PROTESESCU + " (reported)",
            "electron_affinity_eV": _LEVELS,
            "ionisation_energy_eV": _LEVELS,
        }
    ),
    ranges=MappingProxyType(
        {"band_gap_eV": (1.72, 1.75), "exciton_binding_meV": (15.0, 20.0)}
    ),
)

MATERIALS: Mapping[str, Material] = MappingProxyType({m.name: m for m in (CsPbBr3, CsPbI3)})


def get_material(material: str | Material) -> Material:
    """Return the :class:`Material` named ``material`` (or ``material`` itself if it already is one).

    Examples
    --------
    >>> m = get_material("CsPbBr3")
    >>> m.band_gap_eV, m.bohr_diameter_nm
    (2.36, 7.0)
    >>> round(get_material("CsPbI3").electronic_gap_eV, 3)  # optical gap + exciton binding energy
    1.745
    """
    if isinstance(material, Material):
        return material
    return MATERIALS[check_choice("material", material, MATERIALS)]
