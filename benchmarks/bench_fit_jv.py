"""Time qdpv.diode.fit_jv per measured curve: the median over random noisy sweeps, with the machine's load.

Run from the repository root:  python benchmarks/bench_fit_jv.py  [--curves N] [--points P ...] [--noise F]

Each curve is a random cell (Jph 15-25 mA/cm2, n 1-2, Voc 0.8-1.25 V, Rs 0.5-8 ohm cm2, Rsh 300-30000 ohm cm2)
computed by pvlib (``i_from_v(method="newton")``, an independent solver) on a sweep from -0.1 V to 1.1 Voc,
with Gaussian noise of F times Jsc on J (fixed seed). Every fit is timed once after one warm-up fit; the
median, the 90th percentile and the slowest are printed for each number of points, with /proc/loadavg
before and after (on a shared machine the load says how far the numbers can be trusted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from pvlib import pvsystem
from scipy import constants as sc

from qdpv import diode

VT = sc.k * 298.15 / sc.e


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _curves(n_curves: int, n_points: int, noise: float, seed: int = 20261203):
    rng = np.random.default_rng(seed)
    for _ in range(n_curves):
        n = rng.uniform(1.0, 2.0)
        jph = rng.uniform(15.0, 25.0)
        j0 = jph / np.expm1(rng.uniform(0.8, 1.25) / (n * VT))
        args = (jph / 1e3, j0 / 1e3, rng.uniform(0.5, 8.0), 10 ** rng.uniform(2.5, 4.5), n * VT)
        ref = pvsystem.singlediode(*args, method="newton")
        v = np.linspace(-0.1, 1.1 * float(ref["v_oc"]), n_points)
        j = 1e3 * pvsystem.i_from_v(v, *args, method="newton")
        yield v, j + rng.normal(0.0, noise * 1e3 * float(ref["i_sc"]), v.size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--curves", type=int, default=50)
    parser.add_argument("--points", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--noise", type=float, default=0.003, help="noise on J as a fraction of Jsc")
    args = parser.parse_args()

    print(f"load average before: {_loadavg()}")
    print(f"{'points':>6s} {'curves':>6s} {'median [ms]':>12s} {'p90 [ms]':>9s} {'max [ms]':>9s} {'converged':>10s}")
    for n_points in args.points:
        curves = list(_curves(args.curves, n_points, args.noise))
        diode.fit_jv(*curves[0])  # warm-up
        times, converged = [], 0
        for v, j in curves:
            start = time.perf_counter()
            fit = diode.fit_jv(v, j)
            times.append(time.perf_counter() - start)
            converged += fit.converged
        ms = np.array(times) * 1e3
        print(
            f"{n_points:6d} {len(curves):6d} {statistics.median(ms):12.2f} {np.percentile(ms, 90):9.2f} "
            f"{ms.max():9.2f} {converged:>7d}/{len(curves)}"
        )
    print(f"load average after: {_loadavg()}")


if __name__ == "__main__":
    main()
