"""The kit's controls (sliders and dropdowns that carry their unit) and its "check your understanding" quiz."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from .theme import CONTROL_LAYOUT, LABEL_STYLE


def slider(
    label: str, unit: str, value: float, lo: float, hi: float, step: float, fmt: str = ".2f"
) -> w.FloatSlider:
    """A float slider whose description carries its unit: ``label (unit)``.

    The description is also the label's tooltip (it wraps rather than being cut, but a tooltip names it in
    full wherever it is shown). The page (the kit's Voila template) names the slider's handle with it for
    screen readers and has them read the value as shown, with its unit: the unit is the description's last
    parenthesis, except on a slider marked ``qdpv-unitless`` (``unit`` empty: a label may end in a parenthesis).
    """
    desc = f"{label} ({unit})" if unit else label
    ctrl = w.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=desc,
        tooltip=desc,
        readout_format=fmt,
        continuous_update=True,
        style=LABEL_STYLE,
        layout=CONTROL_LAYOUT,
    )
    ctrl.add_class("qdpv-control")
    if not unit:
        ctrl.add_class("qdpv-unitless")
    return ctrl


def dropdown(label: str, options: Sequence[Any], value: Any) -> w.Dropdown:
    """A dropdown in the kit's style; ``options`` as ipywidgets accepts them (labels or (label, value)).

    Its label is also its tooltip; the box takes the width the column gives it, so the chosen value shows in
    full.
    """
    ctrl = w.Dropdown(options=options, value=value, description=label, tooltip=label, style=LABEL_STYLE,
                      layout=CONTROL_LAYOUT)
    ctrl.add_class("qdpv-control")
    return ctrl


@dataclass(frozen=True)
class Quiz:
    """A "check your understanding" question with immediate feedback.

    Attributes
    ----------
    question : str
    options : sequence of str
    answer : int
        Index of the correct option.
    explanation : str
        Shown with the verdict once the learner picks an option.
    """

    question: str
    options: Sequence[str]
    answer: int
    explanation: str

    def widget(self) -> w.VBox:
        feedback = w.HTML(value="", layout=w.Layout(min_height="2em"))
        choice = w.RadioButtons(options=list(self.options), value=None, layout=w.Layout(width="auto"))

        def on_pick(change: Mapping[str, Any]) -> None:
            picked = change["new"]
            if picked is None:
                feedback.value = ""
                return
            right = self.options.index(picked) == self.answer
            verdict = "Correct." if right else "Not quite."
            css = "qdpv-right" if right else "qdpv-wrong"
            feedback.value = (
                f'<div class="{css}" role="status"><b>{verdict}</b> {html.escape(self.explanation)}</div>'
            )

        choice.observe(on_pick, names="value")
        title = w.HTML(f"<b>Check your understanding.</b> {html.escape(self.question)}")
        box = w.VBox([title, choice, feedback], layout=w.Layout(margin="1em 0 0 0"))
        box.add_class("qdpv-quiz")
        return box
