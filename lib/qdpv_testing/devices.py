"""Random single-diode devices (seeded), for the pvlib comparisons in the tests and the diode benchmark.

A device is the keyword arguments of :func:`qdpv.diode.current_density` and :func:`qdpv.diode.metrics`, one
numpy array per parameter. pvlib works per cell in A, V and ohm: with an area of 1 cm2, I [A] = J [mA/cm2] /
1000, R [ohm] = R [ohm cm2] and nNsVth = n k T / q (:func:`pvlib_args`).
"""

from __future__ import annotations

import numpy as np
from scipy import constants as sc

Range = tuple[float, float]


def random_devices(
    n: int,
    seed: int,
    *,
    jph_mA_cm2: Range = (1.0, 45.0),
    log10_j0_mA_cm2: Range = (-22.0, -6.0),
    ideality: Range = (0.8, 2.5),
    rs_ohm_cm2: Range = (0.0, 15.0),
    log10_rsh_ohm_cm2: Range = (1.0, 6.0),
    temperature_K: Range = (250.0, 350.0),
) -> dict[str, np.ndarray]:
    """``n`` devices, each parameter drawn uniformly from its range (J0 and Rsh: their log10), in this order.

    The defaults are the tests' wide net; the benchmark narrows them to devices like the kit's. A range whose
    two ends are equal gives that value to every device.
    The same ``seed`` and ranges give the same devices.
    """
    rng = np.random.default_rng(seed)
    return {
        "jph_mA_cm2": rng.uniform(*jph_mA_cm2, n),
        "j0_mA_cm2": 10 ** rng.uniform(*log10_j0_mA_cm2, n),
        "ideality": rng.uniform(*ideality, n),
        "rs_ohm_cm2": rng.uniform(*rs_ohm_cm2, n),
        "rsh_ohm_cm2": 10 ** rng.uniform(*log10_rsh_ohm_cm2, n),
        "temperature_K": rng.uniform(*temperature_K, n),
    }


def pvlib_args(devices: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """The devices as pvlib's single-diode functions take them: (IL, I0, Rs, Rsh, nNsVth), in A, ohm and V."""
    nnsvth = devices["ideality"] * sc.k * devices["temperature_K"] / sc.e
    return (devices["jph_mA_cm2"] / 1e3, devices["j0_mA_cm2"] / 1e3, devices["rs_ohm_cm2"],
            devices["rsh_ohm_cm2"], nnsvth)
