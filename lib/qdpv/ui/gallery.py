"""The learning path: one entry per step app, used by the gallery notebook and by the tests.

Each step also has a worked notebook of the same name in ``notebooks/worked/`` (the physics in code, with
exercises), opened in JupyterLab rather than in Voila: :func:`worked_html` links them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LAB_PREFIX", "STEPS", "Step", "gallery_html", "worked_html"]


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


def gallery_html(notebook_dir: str | Path) -> str:
    """HTML list of the steps: a link for each app whose notebook exists, "in preparation" for the others."""
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
    return "<ol style='list-style:none;padding-left:0'>" + "".join(rows) + "</ol>"


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
