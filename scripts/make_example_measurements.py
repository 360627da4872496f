"""Write the kit's SYNTHETIC example measurement files (or, with --check, compare them with the shipped ones).

Four files in lib/qdpv/data, one per kind of measurement qdpv.io reads, each made by the library's own models
with a fixed random seed and headed by a ``# source: SYNTHETIC ...`` line that says how:

* pl_spectrum_example_synthetic.csv: PL of the dots grown in the paper's 8 nm pores, counts per nm;
* jv_example_synthetic.csv: a forward and a reverse J-V sweep, in the load sign convention;
* trpl_decay_example_synthetic.csv: a bi-exponential TCSPC decay with an instrument-response column;
* pl_temperature_example_synthetic.csv: integrated PL from 20 to 300 K with standard errors.

They show the formats and give the apps' upload steps something to read; they are not measurements, and no
model is tested against them (the real example, an MCM-41 isotherm, comes from pyGAPS).

Usage: .venv/bin/python scripts/make_example_measurements.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from qdpv import carriers, confinement, device, diode

DATA = Path(__file__).resolve().parents[1] / "lib" / "qdpv" / "data"
SEED = 2026


def pl_spectrum() -> str:
    rng = np.random.default_rng(SEED)
    dots = confinement.dot_size_distribution(8.0, 1.0)
    energy = np.linspace(1.9, 3.0, 2201)
    spec = confinement.ensemble_spectra(dots.size_nm, dots.pdf_per_nm, energy, stokes_shift_meV=30.0)
    wl_fine, per_nm = confinement.spectrum_per_nm(spec.energy_eV, spec.pl)
    wavelength = np.arange(450.0, 600.01, 0.5)
    expected = 4000.0 * np.interp(wavelength, wl_fine, per_nm) / per_nm.max() + 20.0
    counts = rng.poisson(expected)
    head = (
        "# source: SYNTHETIC example, not measured data. Made by scripts/make_example_measurements.py (numpy seed "
        f"{SEED}): qdpv.confinement.ensemble_spectra of the dots of 8 nm pores (dot_size_distribution(8.0, 1.0), "
        "Stokes shift 30 meV, single-dot width 70 meV), moved to a wavelength axis with its Jacobian "
        "(spectrum_per_nm), scaled to 4000 counts per nm at the peak plus a flat 20-count dark level, Poisson "
        "noise. Shows the format of qdpv.io.read_spectrum_csv.\n"
    )
    rows = "".join(f"{w:.1f},{c}\n" for w, c in zip(wavelength, counts, strict=True))
    return head + "wavelength (nm),PL (counts/nm)\n" + rows


def jv_sweeps() -> str:
    rng = np.random.default_rng(SEED)
    cell = device.device_from_knobs(**device.PRESETS["paper: champion"]).diode
    up = np.round(np.arange(0.0, 1.3001, 0.02), 2)
    down = up[::-1]
    forward = diode.current_density(up, *cell[:3], 3.0, 2000.0, cell.temperature_K)
    reverse = diode.current_density(down, *cell)
    # the turning point is written twice, once at the end of each sweep's own curve, as a source-meter records
    # the last point of one sweep and the first of the next
    voltage = np.concatenate([up, down])
    j_pv = np.concatenate([forward, reverse]) + rng.normal(0.0, 0.01, voltage.size)
    head = (
        "# source: SYNTHETIC example, not measured data. Made by scripts/make_example_measurements.py (numpy seed "
        f"{SEED}): qdpv.diode.current_density with the kit's illustrative champion cell "
        "(qdpv.device.PRESETS['paper: champion']), swept 0 -> 1.30 -> 0 V in 0.02 V steps (1.30 V written once "
        "per sweep); the way up (forward) "
        "with Rs 3.0 and Rsh 2000 ohm cm2 instead of 1.5 and 5000 to give it the lower fill factor of a "
        "hysteretic forward scan (illustrative, not a model of ion migration); Gaussian noise 0.01 mA/cm2. "
        "Written in the load convention (current into the cell, negative at short circuit), as many source-meters "
        "record it; qdpv.io.read_jv_csv flips it.\n"
    )
    rows = "".join(f"{v:.2f},{-j:.4f}\n" for v, j in zip(voltage, j_pv, strict=True))
    return head + "voltage_V,j_mA_cm2\n" + rows


def trpl_decay() -> str:
    rng = np.random.default_rng(SEED)
    time = np.round(np.arange(800) * 0.1, 1)
    t0, background = 5.0, 5.0
    after = np.clip(time - t0, 0.0, None)
    decay = carriers.decay_counts(after, [3000.0, 1000.0], [2.0, 15.0], background)
    expected = np.where(time >= t0, decay, background)
    irf = 10000.0 * np.exp(-0.5 * ((time - t0) / (0.3 / 2.3548)) ** 2) + 2.0
    head = (
        "# source: SYNTHETIC example, not measured data. Made by scripts/make_example_measurements.py (numpy seed "
        f"{SEED}): qdpv.carriers.decay_counts, amplitudes 3000 and 1000 counts per bin, lifetimes 2 and 15 ns, "
        "background 5 counts per bin, starting at 5.0 ns (background only before), 0.1 ns bins, Poisson noise. The "
        "irf column is a Gaussian instrument response of 0.3 ns FWHM at 5.0 ns (plus 2 counts), Poisson noise; the "
        "decay is not convolved with it (the tail fit of qdpv.carriers.fit_decay neglects the response). Shows the "
        "format of qdpv.io.read_decay_csv.\n"
    )
    counts, irf_counts = rng.poisson(expected), rng.poisson(irf)
    rows = "".join(f"{t:.1f},{c},{r}\n" for t, c, r in zip(time, counts, irf_counts, strict=True))
    return head + "time (ns),counts,irf\n" + rows


def pl_temperature() -> str:
    rng = np.random.default_rng(SEED)
    temperature = np.arange(20.0, 301.0, 20.0)
    expected = carriers.thermal_quenching_intensity(temperature, 1.0, 50.0, 0.045)
    se = 0.03 * expected
    measured = expected + rng.normal(0.0, 1.0, temperature.size) * se
    head = (
        "# source: SYNTHETIC example, not measured data. Made by scripts/make_example_measurements.py (numpy seed "
        f"{SEED}): qdpv.carriers.thermal_quenching_intensity with I0 = 1, A = 50, Ea = 45 meV from 20 to 300 K in "
        "20 K steps, Gaussian noise of 3 % of each value, which the se column states. Shows the format of "
        "qdpv.io.read_pl_temperature_csv.\n"
    )
    rows = "".join(f"{t:.0f},{i:.5f},{s:.5f}\n" for t, i, s in zip(temperature, measured, se, strict=True))
    return head + "T (K),integrated PL (a.u.),se\n" + rows


FILES = {
    "pl_spectrum_example_synthetic.csv": pl_spectrum,
    "jv_example_synthetic.csv": jv_sweeps,
    "trpl_decay_example_synthetic.csv": trpl_decay,
    "pl_temperature_example_synthetic.csv": pl_temperature,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped files, write nothing")
    args = parser.parse_args()
    stale = []
    for name, make in FILES.items():
        text = make()
        path = DATA / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date (run scripts/make_example_measurements.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
