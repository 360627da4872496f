"""The paper's reported numbers, in one place, labelled as the paper's.

Xu, Cui, Fan, Li, Zhang, Shang, Wang, Tan, Li, Lei, Ding, Liu, "CsPbBr3 quantum dots confined in mesoporous
silica nanoparticles passivate inverted CsPbI3 perovskite solar cells", Advanced Materials 2026, e73024.
doi:10.1002/adma.73024

Only numbers stated in the paper live here. The control device's efficiency and the champion's Voc, Jsc and
FF are not in the kit's copy of the paper; anything the kit needs for them is chosen elsewhere and labelled
illustrative there.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CITATION", "DOI", "PAPER"]

DOI = "10.1002/adma.73024"
CITATION = (
    "D. Xu, K. Cui, Z. Fan, Y. Li, J. Zhang, Y. Shang, H. Wang, J. Tan, Y. Li, H. Lei, L. Ding, Z. Liu, "
    "Advanced Materials 2026, e73024. doi:10.1002/adma.73024"
)


@dataclass(frozen=True)
class PaperNumbers:
    """Numbers reported by Xu et al. (2026). Every field is the paper's own."""

    champion_pce_percent: float = 22.15
    """Champion power-conversion efficiency, inverted CsPbI3 cell with the medium-MSN CsPbBr3-QD interlayer."""
    air_storage_time_h: float = 1300.0
    air_storage_retained: float = 0.9316
    """Fraction of the initial PCE kept after ``air_storage_time_h`` stored in air (dark, ISOS-D-like)."""
    light_soak_time_h: float = 1000.0
    light_soak_retained: float = 0.9814
    """Fraction of the initial PCE kept after ``light_soak_time_h`` of continuous illumination (ISOS-L-like)."""
    medium_msn_pore_nm: float = 8.0
    """Pore diameter of the medium MSNs, "about 8 nm"."""
    bohr_size_nm_as_stated: float = 7.0
    """The CsPbBr3 exciton Bohr size the paper compares the pore with, "about 7 nm" (a diameter)."""


PAPER = PaperNumbers()
