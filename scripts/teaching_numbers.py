"""Compute every number docs/teaching.md quotes and write it between its markers (or, with --check, compare).

A number in the doc sits between markers, ``<!-- num:KEY -->2.533 eV<!-- /num -->``; this script owns the text
between them. It computes each value by calling the library (qdpv.*), never from typed constants, so a change in
a model shows up as a changed number here and, through tests/test_teaching_doc.py, as a failing test.

Usage: .venv/bin/python scripts/teaching_numbers.py [--check]  (the library it calls is the one installed in
.venv: ``scripts/setup.sh`` installs this checkout's, editable)
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import numpy as np

from qdpv import bands, carriers, diode, msn, stability
from qdpv import confinement as conf
from qdpv import device as dev
from qdpv.materials import CsPbBr3, CsPbI3
from qdpv.paper import PAPER
from qdpv.ui.gallery import ROUTES, STEPS

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "teaching.md"
MARKER = re.compile(r"<!-- num:(\w+) -->(.*?)<!-- /num -->", re.DOTALL)

ENERGY_GRID_EV = np.linspace(2.2, 3.2, 501)  # the grid of the step 2 app (qdpv.ui.qd_sizing.ENERGY_GRID_EV)
TRPL_AMPLITUDES = (0.4, 0.6)  # the step 5 app's paper presets: fast share 0.4 (illustrative)
TRPL_LIFETIMES_NS = (3.0, 40.0)  # the step 5 app's paper presets: 3 ns and 40 ns (illustrative)


def _f(value: float, digits: int, unit: str = "") -> str:
    """``value`` with ``digits`` decimals and its unit."""
    text = f"{float(value):.{digits}f}"
    return f"{text} {unit}" if unit else text


def _paper() -> dict[str, str]:
    """The paper's own numbers (qdpv.paper.PAPER)."""
    return {
        "paper_pce": _f(PAPER.champion_pce_percent, 2, "%"),
        "paper_air_h": _f(PAPER.air_storage_time_h, 0, "h"),
        "paper_air_retained": _f(100 * PAPER.air_storage_retained, 2, "%"),
        "paper_light_h": _f(PAPER.light_soak_time_h, 0, "h"),
        "paper_light_retained": _f(100 * PAPER.light_soak_retained, 2, "%"),
        "paper_pore": _f(PAPER.medium_msn_pore_nm, 0, "nm"),
        "paper_bohr": _f(PAPER.bohr_size_nm_as_stated, 0, "nm"),
    }


def _minutes() -> dict[str, str]:
    """Minutes per step from the learning path (qdpv.ui.gallery.STEPS), their total, and the shorter routes
    (qdpv.ui.gallery.ROUTES): each route's total and the minutes of each of its apps."""
    out = {f"min_step{s.number}": f"{s.minutes} min" for s in STEPS}
    out["min_total"] = f"{sum(s.minutes for s in STEPS)} min"
    for route in ROUTES:
        out[f"route_{route.key}"] = f"{route.minutes} min"
        out |= {f"route_{route.key}_step{stop.step}": f"{stop.minutes} min" for stop in route.stops}
    return out


def _step1() -> dict[str, str]:
    """MSN templating: preset pores and particles, the unswollen template, the Kelvin radii."""
    out = {"msn_unswollen_pore": _f(msn.swollen_pore_diameter_nm(16, 0.0), 1, "nm")}
    for key, c in msn.MSN_PRESETS.items():
        r = msn.template_msn(c.n_carbons, c.oil, c.oil_loading, c.reaction_time_h, c.temperature_K)
        out[f"msn_{key}_pore"] = _f(r.pore_diameter_nm, 1, "nm")
        out[f"msn_{key}_particle"] = _f(r.particle_diameter_nm, 0, "nm")
        out[f"msn_{key}_oil"] = _f(100 * c.oil_loading, 0, "%")
    out["kelvin_cyl_06"] = _f(msn.kelvin_radius_nm(0.6, "cylindrical"), 2, "nm")
    out["kelvin_hemi_06"] = _f(msn.kelvin_radius_nm(0.6, "hemispherical"), 2, "nm")
    return out


def _fwhm_meV(pore_nm: float, spread_nm: float) -> float:
    dist = conf.dot_size_distribution(pore_nm, spread_nm)
    return conf.ensemble_spectra(dist.size_nm, dist.pdf_per_nm, ENERGY_GRID_EV).pl_fwhm_meV


def _step2() -> dict[str, str]:
    """QD sizing: Bohr lengths, gaps by model, the pore -> dot mapping, PL peak and widths."""
    dot_8 = conf.dot_size_distribution(PAPER.medium_msn_pore_nm, 0.8)
    spec_8 = conf.ensemble_spectra(dot_8.size_nm, dot_8.pdf_per_nm, ENERGY_GRID_EV)
    brus_lo, brus_hi = conf.validity_range_nm("brus")
    gap_4 = {m: float(conf.band_gap_eV(4.0, model=m)) for m in ("intermediate", "brus")}
    gap_7 = {m: float(conf.band_gap_eV(dot_8.mean_nm, model=m)) for m in ("intermediate", "brus")}
    return {
        "bohr_diameter": _f(CsPbBr3.bohr_diameter_nm, 1, "nm"),
        "bohr_radius": _f(conf.bohr_radius_nm(), 1, "nm"),
        "bohr_radius_hydrogenic": _f(conf.bohr_radius_nm(method="hydrogenic"), 2, "nm"),
        "dot_per_pore": _f(float(conf.pore_to_dot_nm(1.0)), 3),
        "dot_8nm_pore": _f(dot_8.mean_nm, 2, "nm"),
        "qd_gap_8nm": _f(gap_7["intermediate"], 3, "eV"),
        "qd_gap_8nm_brus": _f(gap_7["brus"], 3, "eV"),
        "qd_gap_8nm_diff": _f(1000 * (gap_7["brus"] - gap_7["intermediate"]), 0, "meV"),
        "qd_gap_4nm": _f(gap_4["intermediate"], 3, "eV"),
        "qd_gap_4nm_brus": _f(gap_4["brus"], 3, "eV"),
        "qd_gap_4nm_diff": _f(1000 * (gap_4["brus"] - gap_4["intermediate"]), 0, "meV"),
        "qd_gap_12nm": _f(conf.band_gap_eV(12.0), 3, "eV"),
        "bulk_gap_br": _f(CsPbBr3.band_gap_eV, 2, "eV"),
        "brus_valid": f"{brus_lo:.1f}-{brus_hi:.1f} nm",
        "pl_peak_8nm": _f(spec_8.pl_peak_nm, 0, "nm"),
        "pl_fwhm_05": _f(_fwhm_meV(PAPER.medium_msn_pore_nm, 0.5), 0, "meV"),
        "pl_fwhm_08": _f(spec_8.pl_fwhm_meV, 0, "meV"),
        "pl_fwhm_15": _f(_fwhm_meV(PAPER.medium_msn_pore_nm, 1.5), 0, "meV"),
    }


def _step3() -> dict[str, str]:
    """Band alignment: the electron step CsPbI3 -> dots for several sizes and for bulk CsPbBr3."""
    out = {
        "chi_cspbi3": _f(CsPbI3.electron_affinity_eV, 2, "eV"),
        "chi_cspbbr3": _f(CsPbBr3.electron_affinity_eV, 2, "eV"),
        "barrier_bulk": _f(CsPbI3.electron_affinity_eV - CsPbBr3.electron_affinity_eV, 2, "eV"),
        "hole_block_8nm": _f(-bands.offsets(bands.inverted_stack(conf.PAPER_DOT_NM))[2].dEv_eV, 2, "eV"),
    }
    for size in (4, 8, 15):
        chi, _ = bands.qd_levels_eV(float(conf.pore_to_dot_nm(float(size))))
        out[f"barrier_{size}nm"] = _f(CsPbI3.electron_affinity_eV - chi, 2, "eV")
    return out


def _metrics(**changes: float) -> diode.DiodeMetrics:
    """Metrics of the kit's champion device (qdpv.device.PRESETS) with ``changes`` to its knobs."""
    return diode.metrics(*dev.device_from_knobs(**{**dev.PRESETS["paper: champion"], **changes}).diode)


def _pore_for_dot(dot_nm: float) -> float:
    """The pore diameter whose isometric crystals are ``dot_nm`` dots (inverse of the pore-to-dot rule)."""
    return dot_nm / float(conf.pore_to_dot_nm(1.0))


def _step4() -> dict[str, str]:
    """Device J-V: control vs champion, the detailed-balance limit, the 59 mV per decade, dots off the Bohr size."""
    control = diode.metrics(*dev.device_from_knobs(**dev.PRESETS["paper: control"]).diode)
    champion = _metrics()
    t_k = dev.PRESETS["paper: champion"]["temperature_K"]
    limit = diode.detailed_balance(dev.PRESETS["paper: champion"]["band_gap_eV"], t_k)
    return {
        "gap_cspbi3": _f(dev.PRESETS["paper: champion"]["band_gap_eV"], 2, "eV"),
        "control_pce": _f(control.pce_percent, 2, "%"),
        "control_voc": _f(control.voc_V, 3, "V"),
        "champion_voc": _f(champion.voc_V, 3, "V"),
        "champion_pce": _f(champion.pce_percent, 2, "%"),
        "jsc_both": _f(champion.jsc_mA_cm2, 1, "mA/cm²"),
        "dvoc_mV": _f(1000 * (champion.voc_V - control.voc_V), 0, "mV"),
        "sq_pce": _f(limit.pce_percent, 1, "%"),
        "sq_voc": _f(limit.voc_V, 3, "V"),
        "mV_per_decade": _f(1000 * diode.thermal_voltage_V(t_k) * math.log(10), 1, "mV"),
        "pce_4nm_dots": _f(_metrics(pore_nm=_pore_for_dot(4.0)).pce_percent, 2, "%"),
        "pce_7nm_dots": _f(_metrics(pore_nm=_pore_for_dot(CsPbBr3.bohr_diameter_nm)).pce_percent, 2, "%"),
        "best_dot": _f(dev.BEST_DOT_NM, 2, "nm"),
        "pce_no_interface": _f(_metrics(interface_velocity_cm_s=0.0, qd_coverage=0.0).pce_percent, 2, "%"),
    }


def _step5() -> dict[str, str]:
    """Carriers and stability: T80 of the exponential and its model range, lifetimes of the TRPL preset."""
    out = {
        "tau_amp": _f(carriers.amplitude_weighted_lifetime_ns(TRPL_AMPLITUDES, TRPL_LIFETIMES_NS), 1, "ns"),
        "tau_int": _f(carriers.intensity_weighted_lifetime_ns(TRPL_AMPLITUDES, TRPL_LIFETIMES_NS), 1, "ns"),
        "control_rate_ratio": _f(stability.ILLUSTRATIVE_CONTROL_RATE_RATIO, 0),
    }
    for test in ("air", "light"):
        spread = stability.time_to_range(*stability.paper_points(test), 0.8)
        out[f"t80_{test}_exp"] = _f(spread.exponential_h, 0, "h")
        out[f"t80_{test}_low"] = _f(spread.low_h, 0, "h")
        out[f"t80_{test}_high"] = _f(spread.high_h, 0, "h")
        control = stability.rate_scaled_time_h(spread.exponential_h, 0.0)
        out[f"t80_{test}_control"] = _f(control, 0, "h")
    return out


def compute_numbers() -> dict[str, str]:
    """Every number the doc may quote, formatted with its unit, keyed by its marker name."""
    return {**_paper(), **_minutes(), **_step1(), **_step2(), **_step3(), **_step4(), **_step5()}


def problems(text: str, numbers: dict[str, str]) -> list[str]:
    """What is wrong with the doc's numbers: stale values, unknown markers, computed numbers the doc never uses."""
    found = MARKER.findall(text)
    out = [f"{key}: unknown marker (no such number in scripts/teaching_numbers.py)" for key, _ in found
           if key not in numbers]
    out += [f"{key}: doc says {shown!r}, the library gives {numbers[key]!r}" for key, shown in found
            if key in numbers and shown != numbers[key]]
    used = {key for key, _ in found}
    out += [f"{key}: computed but not quoted in the doc" for key in numbers if key not in used]
    return out


def fill(text: str, numbers: dict[str, str]) -> str:
    """``text`` with every known marker's value replaced by the computed one."""
    return MARKER.sub(lambda m: f"<!-- num:{m[1]} -->{numbers.get(m[1], m[2])}<!-- /num -->", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if any number differs")
    args = parser.parse_args(argv)
    numbers = compute_numbers()
    text = DOC.read_text(encoding="utf-8")
    if not args.check:
        text = fill(text, numbers)
        DOC.write_text(text, encoding="utf-8")
    issues = problems(text, numbers)
    for issue in issues:
        print(f"{DOC.relative_to(ROOT)}: {issue}", file=sys.stderr)
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main())
