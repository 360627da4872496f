"""Every app grows the same dots in the paper's pores: one pore-to-dot rule, read off each app's own output."""

from __future__ import annotations

import re

import pytest

from qdpv import confinement
from qdpv.paper import PAPER
from qdpv.ui import band_alignment, design_your_cell, device_jv, msn_templating, qd_sizing

# The dots the paper's ~8 nm pores grow under the kit's rule (isometric crystals filling the pore).
PAPER_DOT_NM = float(confinement.pore_to_dot_nm(PAPER.medium_msn_pore_nm))


def _paper_preset(module) -> str:
    return next(name for name in module.PRESETS if name.startswith("paper"))


def _number_before(text: str, words: str) -> float:
    match = re.search(r"([0-9]+\.[0-9]+) nm " + re.escape(words), text)
    assert match, f"no '<number> nm {words}' in {text[:300]!r}"
    return float(match.group(1))


@pytest.mark.parametrize(
    ("module", "read"),
    [
        (msn_templating, lambda app: _number_before(app.results.value.replace("~", ""), "dots,")),
        (qd_sizing, lambda app: float(re.search(r"Dots:</b> ([0-9.]+) &plusmn;", app.results.value).group(1))),
        (band_alignment, lambda app: app.source("chosen dot").data["size"][0]),
        (device_jv, lambda app: float(device_jv._cells(app.values(), 0.0).dot_nm)),
        (design_your_cell, lambda app: _capstone_dot(app)),
    ],
)
def test_every_app_shows_the_same_dot_for_the_papers_pores(module, read):
    app = module.build()
    app.apply_preset(_paper_preset(module))
    assert app.error.value == ""
    # 0.05 nm: the apps print two decimals, and the capstone's templated pore is the paper's 8 nm to 0.05 nm
    assert read(app) == pytest.approx(PAPER_DOT_NM, abs=0.05)


def _capstone_dot(app) -> float:
    data = app.source("the chain, control and your design (device values illustrative)").data
    row = list(data["quantity"]).index("dot edge (nm)")
    return float(str(data["design"][row]).split()[0])
