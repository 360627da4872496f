"""The learning path: one entry per step app, used by the gallery notebook and by the tests; and shorter routes
through the same apps for a class with less time.

The whole path (:data:`STEPS`) takes about 150 minutes, two sessions. :data:`ROUTES` fit one lesson (45 min) or a
double lesson (90 min): fewer apps, or the core of each, with what to do in each app. ``docs/teaching.md`` gives
the same routes to instructors, its minutes computed from these (``scripts/teaching_numbers.py``).

Each step also has a worked notebook of the same name in ``notebooks/worked/`` (the physics in code, with
exercises), opened in JupyterLab rather than in Voila: :func:`worked_html` links them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LAB_PREFIX", "ROUTES", "STEPS", "Route", "Step", "Stop", "gallery_html", "worked_html"]


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    notebook: str
    question: str
    objectives: str
    minutes: int


STEPS = (
    Step(1, "MSN templating", "01_msn_templating.ipynb",
         "How do synthesis knobs set the pores, and how does an N2 isotherm reveal them?",
         "relate surfactant and swelling oil to pore size; read BET area and BJH pore sizes off an isotherm", 25),
    Step(2, "Quantum-dot sizing", "02_qd_sizing.ipynb",
         "How does the pore size set the dots' size, band gap and colour?",
         "compare dot size with the exciton Bohr size; tell strong from weak confinement; see why Brus "
         "over-confines small dots; link size spread to PL width", 20),
    Step(3, "Band alignment", "03_band_alignment.ipynb",
         "Where do the dots' levels sit in the inverted stack?",
         "read band offsets at every interface; see QD levels move with size", 20),
    Step(4, "Device J-V", "04_device_jv.ipynb",
         "How does interface passivation move Voc, FF and efficiency?",
         "read Jsc, Voc, FF off a J-V curve; compare with the detailed-balance limit; see non-radiative losses", 30),
    Step(5, "Carriers and stability", "05_carriers_and_stability.ipynb",
         "What do PL lifetimes and ageing data say, and how far can T80 be extrapolated?",
         "fit lifetimes and degradation; judge how little two points constrain T80", 25),
    Step(6, "Design your cell (capstone)", "06_design_your_cell.ipynb",
         "From a synthesis knob to T80, all at once.",
         "chain every model; find what limits the champion", 30),
)


@dataclass(frozen=True)
class Stop:
    """One app on a shorter route: its step number, the minutes it gets there, and what to do in it."""

    step: int
    minutes: int
    focus: str


@dataclass(frozen=True)
class Route:
    """A shorter way through the apps, for a class with ``minutes`` of app time."""

    key: str
    title: str
    stops: tuple[Stop, ...]

    @property
    def minutes(self) -> int:
        return sum(stop.minutes for stop in self.stops)


ROUTES = (
    Route("lesson", "One lesson: from the pore to the efficiency", (
        Stop(2, 15, "the paper's preset, then the pore slider from 4 to 12 nm: the dots against the Bohr diameter, "
                    "the gap and the colour; the quiz"),
        Stop(4, 20, "'paper: control', then 'paper: champion': read Voc, Jsc, FF and PCE off the table and see which "
                    "bar of the waterfall the dots shrink; the quiz"),
        Stop(6, 10, "figure 2, the efficiency across the pores, and the quiz: what its peak does and does not show"),
    )),
    Route("double", "A double lesson: the whole chain, the core of each step", (
        Stop(1, 15, "the three presets: which knob moves the pores, which the particles; the quiz on hysteresis"),
        Stop(2, 15, "the paper's preset, then the pore slider: the dots against the Bohr diameter; the quiz"),
        Stop(3, 10, "the offsets table at the paper's pores, then at 4 and 15 nm pores; the quiz"),
        Stop(4, 20, "'paper: control', then 'paper: champion': Voc, Jsc, FF, PCE and the waterfall; the quiz"),
        Stop(5, 15, "the ageing panel only: move beta and watch T80 swing about the paper's point; the quiz"),
        Stop(6, 15, "the challenge line and figure 2; the quiz"),
    )),
)
"""Shorter routes through the apps: one lesson and a double lesson (their minutes: :attr:`Route.minutes`)."""


def _step(number: int) -> Step:
    return next(s for s in STEPS if s.number == number)


def gallery_html(notebook_dir: str | Path) -> str:
    """HTML list of the steps: a link for each app whose notebook exists, "in preparation" for the others; the
    path's total time, and the shorter routes (:data:`ROUTES`)."""
    folder = Path(notebook_dir)
    rows = []
    for s in STEPS:
        ready = (folder / s.notebook).exists()
        title = html.escape(f"{s.number}. {s.title}")
        head = f'<a href="{s.notebook}"><b>{title}</b></a>' if ready else f"<b>{title}</b> <i>(in preparation)</i>"
        thumb = f"img/{s.notebook.replace('.ipynb', '.png')}"
        picture = (
            f'<a href="{s.notebook}"><img src="{thumb}" alt="Screenshot of step {s.number}" width="200" '
            "style='float:left;margin:0 1em 0.5em 0;border:1px solid #ddd'></a>"
            if ready and (folder / thumb).exists()
            else ""
        )
        rows.append(
            f"<li style='margin-bottom:0.6em;overflow:hidden'>{picture}{head} &middot; about {s.minutes} min<br>"
            f"{html.escape(s.question)}<br><span style='color:#555'>You will: {html.escape(s.objectives)}.</span>"
            "</li>"
        )
    total = sum(s.minutes for s in STEPS)
    shorter = " or ".join(f"{r.minutes} min" for r in ROUTES)
    return (
        f"<p><b>The whole path: {len(STEPS)} apps, about {total} min</b> (two sessions of "
        f"{_halves_minutes()}). Less time? Take one of the shorter routes below the list ({shorter}).</p>"
        "<ol style='list-style:none;padding-left:0'>" + "".join(rows) + "</ol>" + _routes_html(folder)
    )


def _halves_minutes() -> str:
    """The minutes of steps 1-3 and of steps 4-6, the two sessions the path splits into."""
    first = sum(s.minutes for s in STEPS[:3])
    return f"{first} and {sum(s.minutes for s in STEPS) - first} min"


def _routes_html(folder: Path) -> str:
    """The shorter routes, each a list of its apps (linked if their notebook exists) with minutes and focus."""
    parts = ["<h3 id='shorter-routes'>Shorter routes</h3>"]
    for route in ROUTES:
        items = []
        for stop in route.stops:
            step = _step(stop.step)
            name = html.escape(f"Step {step.number}, {step.title}")
            link = f'<a href="{step.notebook}">{name}</a>' if (folder / step.notebook).exists() else name
            items.append(f"<li>{link}, {stop.minutes} min: {html.escape(stop.focus)}.</li>")
        parts.append(
            f"<p style='margin-bottom:0.2em'><b>{html.escape(route.title)}</b>, {route.minutes} min:</p>"
            f"<ul style='margin-top:0'>{''.join(items)}</ul>"
        )
    parts.append(
        "<p style='color:#555'>The routes keep each app's quiz and skip the worked notebooks; the instructors' "
        "guide (docs/teaching.md) has the same routes with exercises.</p>"
    )
    return "".join(parts)


# From the gallery's page, <base>/voila/render/notebooks/00_start_here.ipynb on Binder and JupyterHub, to JupyterLab's
# <base>/lab/tree/notebooks/worked/<notebook> (the server's root holds notebooks/ there).
LAB_PREFIX = "../../../lab/tree/notebooks/worked/"


def worked_html(worked_dir: str | Path) -> str:
    """HTML list of the worked notebooks that exist in ``worked_dir``, linked for JupyterLab (not Voila)."""
    folder = Path(worked_dir)
    rows = [
        f'<li><a href="{LAB_PREFIX}{s.notebook}" target="_blank" rel="noopener">'
        f"Worked notebook {s.number}: {html.escape(s.title)}</a></li>"
        for s in STEPS
        if (folder / s.notebook).exists()
    ]
    return "<ul>" + "".join(rows) + "</ul>"
