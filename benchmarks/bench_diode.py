"""Time qdpv.diode against pvlib on 20 000 devices: metrics, a J-V curve per device, and both together.

Run from the repository root:  python benchmarks/bench_diode.py  [--devices N] [--points P] [--repeats R]

pvlib's ``singlediode(method='lambertw')`` returns Isc, Voc and the maximum power point; its J-V curve is
``i_from_v(method='lambertw')`` on the same voltage grid. Both libraries get the same random devices
(fixed seed) and the same number of curve points. Prints the median over repeats and the ratio
pvlib / qdpv (> 1 means qdpv is faster), plus the agreement of the maximum power, and the per-call time of
the path an app runs on each slider move (knobs -> diode parameters -> J-V curve + metrics).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from pvlib import pvsystem

from qdpv import device, diode
from qdpv_testing.devices import pvlib_args, random_devices

SEED = 20261125


def _devices(n: int) -> dict[str, np.ndarray]:
    """Narrower ranges than the tests' devices, around the kit's cells, all at 298.15 K."""
    return random_devices(n, SEED, jph_mA_cm2=(15.0, 25.0), log10_j0_mA_cm2=(-20.0, -12.0), ideality=(1.0, 2.0),
                          rs_ohm_cm2=(0.5, 8.0), log10_rsh_ohm_cm2=(2.5, 4.5), temperature_K=(298.15, 298.15))


def _median_s(func, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=20_000)
    parser.add_argument("--points", type=int, default=100, help="J-V points per device")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    p = _devices(args.devices)
    pv_args = pvlib_args(p)
    fractions = np.linspace(0.0, 1.05, args.points)

    def ours_metrics():
        return diode.metrics(**p)

    def ours_curve():
        return diode.jv_curve(**p, n_points=args.points, v_max_over_voc=1.05)

    def ours_both():
        return ours_metrics(), ours_curve()

    def pvlib_metrics():
        return pvsystem.singlediode(*pv_args, method="lambertw")

    def pvlib_curve(v_oc):
        v = v_oc[:, np.newaxis] * fractions
        return pvsystem.i_from_v(v, *(a[:, np.newaxis] for a in pv_args), method="lambertw")

    def pvlib_both():
        out = pvlib_metrics()
        return out, pvlib_curve(np.asarray(out["v_oc"]))

    ours_both()
    ref = pvlib_both()[0]  # warm-up; also the reference for the agreement check
    m = ours_metrics()
    pmp_err = np.max(np.abs(m.vmp_V * m.jmp_mA_cm2 / (np.asarray(ref["p_mp"]) * 1e3) - 1))
    v_oc = np.asarray(ref["v_oc"])

    rows = [
        (
            "metrics (Voc, Jsc, MPP, FF, PCE)",
            _median_s(ours_metrics, args.repeats),
            _median_s(pvlib_metrics, args.repeats),
        ),
        (
            f"J-V curve, {args.points} points",
            _median_s(ours_curve, args.repeats),
            _median_s(lambda: pvlib_curve(v_oc), args.repeats),
        ),
        ("J-V curve + metrics", _median_s(ours_both, args.repeats), _median_s(pvlib_both, args.repeats)),
    ]
    print(f"{args.devices} devices, median of {args.repeats} repeats (numpy {np.__version__})")
    print(f"{'task':36s} {'qdpv [ms]':>10s} {'pvlib [ms]':>11s} {'pvlib/qdpv':>11s}")
    for name, ours, theirs in rows:
        print(f"{name:36s} {ours * 1e3:10.1f} {theirs * 1e3:11.1f} {theirs / ours:11.2f}")
    print(f"max relative difference of the maximum power, qdpv vs pvlib: {pmp_err:.1e}")

    knobs = device.PRESETS["paper: champion"]

    def slider_move():
        params = device.device_from_knobs(**knobs).diode
        return diode.jv_curve(*params, n_points=201), diode.metrics(*params)

    slider_move()
    per_call = _median_s(slider_move, 200)
    print(f"app slider path (device_from_knobs + 201-point J-V + metrics, 1 device): {per_call * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
