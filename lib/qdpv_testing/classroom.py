"""The class ``benchmarks/load_test.py`` sends to one Voila server: who arrives when, with which app, in which
client, and the record of what happened to each learner."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from qdpv_testing import app_notebooks

APPS = app_notebooks()


@dataclass
class Learner:
    """One learner's plan and what happened to it (times in s from the first arrival, latencies in ms)."""

    index: int
    notebook: str
    kind: str  # "browser" or "light"
    arrive_s: float
    think_s: list[float]
    ok: bool = False
    error: str = ""
    tti_s: float | None = None
    text_ms: list[float] = field(
        default_factory=list
    )  # move -> results text (light: arrived; browser: shown)
    painted_ms: list[float] = field(default_factory=list)  # browser only: move -> figures repainted
    kernel_id: str = ""
    kernel_freed: bool = False
    left_s: float | None = None


def plan_learners(
    n: int, browsers: int, ramp_s: float, moves: int, think_s: float, seed: int
) -> list[Learner]:
    """N learners arriving evenly over the ramp, apps round robin, browser learners spread over the ramp."""
    browser_slots = {int((k + 0.5) * n / browsers) for k in range(browsers)}
    rng = random.Random(seed)
    return [
        Learner(
            i,
            APPS[i % len(APPS)],
            "browser" if i in browser_slots else "light",
            ramp_s * i / n,
            [think_s * (0.5 + rng.random()) for _ in range(moves)],
        )
        for i in range(n)
    ]
