"""The kit's controls (sliders and dropdowns that carry their unit) and its "check your understanding" quiz."""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence, Set
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
from IPython.display import Javascript

from . import page
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

    Its label is also its tooltip. A native select shows its choice on one line, never wrapped: the box is as
    wide as its longest option, beside the label where that fits, else on its own row under the label, as wide as
    the controls column (theme.CSS). So every option must fit that column on a 320 px screen (about 258 px of
    text at the select's 13 px, some 38 characters; the kit's browser tests measure every option): a longer one
    is better shortened than cut.
    """
    ctrl = w.Dropdown(options=options, value=value, description=label, tooltip=label, style=LABEL_STYLE,
                      layout=CONTROL_LAYOUT)
    ctrl.add_class("qdpv-control")
    return ctrl


def number(
    label: str, unit: str, value: float, lo: float, hi: float, step: float, tooltip: str = ""
) -> w.BoundedFloatText:
    """A number typed in, ``label (unit)``, kept within [lo, hi]; it changes when Enter is pressed or the focus leaves.

    For a value no slider suits (a cell's area, spanning decades). The tooltip says more than the label if given.
    """
    desc = f"{label} ({unit})" if unit else label
    ctrl = w.BoundedFloatText(value=value, min=lo, max=hi, step=step, description=desc, tooltip=tooltip or desc,
                              style=LABEL_STYLE, layout=CONTROL_LAYOUT)
    ctrl.add_class("qdpv-control")
    return ctrl



# -- the "check your understanding" quiz ---------------------------------------------------------------------
#
# A radio group made of buttons rather than ipywidgets' RadioButtons: native radio inputs select as the arrow keys
# move, so a learner could step through the options until "Correct." appears, and their circles drift away from
# answers that wrap. Here an option is chosen only by a click, Space or Enter; the page script below turns the
# arrow keys (and Home, End) into moves of the focus alone and gives the group its ARIA roles: role="radiogroup"
# named by the question, role="radio" with aria-checked on each option (mirroring the kernel's "qdpv-checked"
# class), one tab stop (the checked option, else the first), and a polite live region for the feedback. Without
# the script every option is a plain button reached with Tab, so the quiz still works from the keyboard.

QUIZ_CSS = """
<style>
.qdpv-quiz .qdpv-option.jupyter-button { display:flex; align-items:flex-start; gap:0.55em; height:auto;
  min-height:2.1em; margin:0.2em 0; padding:0.35em 0.7em; text-align:left; white-space:normal; overflow:visible;
  line-height:1.35; color:#1a1a1a; background:#fff; border:1px solid #b8b8b8; border-radius:4px; box-shadow:none; }
.qdpv-quiz .qdpv-option.jupyter-button:hover { background:#f2f6fa; box-shadow:none; }
.qdpv-quiz .qdpv-option.jupyter-button:focus-visible { outline:3px solid #1f4e79; outline-offset:1px; }
.qdpv-quiz .qdpv-option::before { content:""; flex:none; box-sizing:border-box; width:1.05em; height:1.05em;
  margin-top:0.15em; border:2px solid #505050; border-radius:50%; background:#fff; }
.qdpv-quiz .qdpv-option.qdpv-checked { border-color:#1f4e79; }
.qdpv-quiz .qdpv-option.qdpv-checked::before { border-color:#1f4e79;
  background:radial-gradient(circle, #1f4e79 0 42%, #fff 47%); }
.qdpv-quiz .qdpv-option.qdpv-tried::after { content:"tried"; flex:none; margin-left:auto; padding-left:0.6em;
  font-size:0.85em; color:#8a3b00; }
.qdpv-quiz .widget-html-content { line-height:1.4; }
.qdpv-quiz .qdpv-quiz-feedback { min-height:2em; }
</style>
"""

QUIZ_JS = """
(function () {
  if (window.qdpvQuiz) return;
  window.qdpvQuiz = "installed";
  const setAttr = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };
  const optionsOf = (group) => Array.from(group.querySelectorAll(".qdpv-option"));
  function sync(group) {
    const quiz = group.closest(".qdpv-quiz");
    const question = quiz && quiz.querySelector(".qdpv-quiz-question [id]");
    const feedback = quiz && quiz.querySelector(".qdpv-quiz-feedback");
    setAttr(group, "role", "radiogroup");
    if (question) setAttr(group, "aria-labelledby", question.id);
    if (feedback) { setAttr(feedback, "role", "status"); setAttr(feedback, "aria-live", "polite"); }
    const options = optionsOf(group);
    const stop = options.find((b) => b.classList.contains("qdpv-checked")) || options[0];
    for (const b of options) {
      setAttr(b, "role", "radio");
      setAttr(b, "aria-checked", b.classList.contains("qdpv-checked") ? "true" : "false");
      setAttr(b, "tabindex", b === stop ? "0" : "-1");
    }
  }
  const syncAll = () => document.querySelectorAll(".qdpv-quiz-group").forEach(sync);
  // ipywidgets rewrites a button's tabindex whenever its model changes: watch that attribute too. sync() writes only
  // values that differ, so its own writes end the cycle.
  new MutationObserver(syncAll).observe(document.documentElement,
    {subtree: true, childList: true, attributes: true, attributeFilter: ["class", "tabindex"]});
  syncAll();
  const moves = {ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1};
  document.addEventListener("keydown", (event) => {
    const option = event.target.closest && event.target.closest(".qdpv-quiz-group .qdpv-option");
    if (!option || event.altKey || event.ctrlKey || event.metaKey) return;
    const options = optionsOf(option.closest(".qdpv-quiz-group"));
    const i = options.indexOf(option);
    let next;
    if (event.key in moves) next = options[(i + moves[event.key] + options.length) % options.length];
    else if (event.key === "Home") next = options[0];
    else if (event.key === "End") next = options[options.length - 1];
    else return;
    event.preventDefault();
    event.stopPropagation();
    next.focus();
  }, true);
})();
"""

_quiz_ids = itertools.count(1)


@dataclass(frozen=True)
class Quiz:
    """A "check your understanding" question whose feedback teaches: why a wrong pick is wrong, then try again.

    A wrong pick shows only why that option is wrong (``why_wrong``), never which option is right; the
    explanation, which gives the answer away, follows a correct pick or a second wrong option.

    Attributes
    ----------
    question : str
    options : sequence of str
        Plain text, of similar length (the right one should not stand out as the longest or most hedged).
    answer : int
        Index of the correct option.
    explanation : str
        Why the answer is right; shown after a correct pick or after two different wrong ones.
    why_wrong : sequence of str
        One entry per option: for a wrong option, why it is wrong, without naming the right one ("" for the
        answer). Empty: a wrong pick says only "Not quite".
    """

    question: str
    options: Sequence[str]
    answer: int
    explanation: str
    why_wrong: Sequence[str] = ()

    REVEAL_AFTER = 2
    """Different wrong options after which the explanation (and so the answer) is shown."""

    def __post_init__(self) -> None:
        if len(self.options) < 2:
            raise ValueError(f"options must hold at least 2 choices, got {len(self.options)}")
        if not 0 <= self.answer < len(self.options):
            raise ValueError(f"answer must be an index in [0, {len(self.options) - 1}], got {self.answer}")
        if self.why_wrong:
            if len(self.why_wrong) != len(self.options):
                raise ValueError(
                    f"why_wrong must have one entry per option ({len(self.options)}), got {len(self.why_wrong)}"
                )
            missing = [i for i, text in enumerate(self.why_wrong) if i != self.answer and not text.strip()]
            if missing:
                raise ValueError(f"why_wrong must explain every wrong option, got none for option(s) {missing}")

    def feedback(self, picked: int, wrong_tried: Set[int] = frozenset(), *, solved: bool = False) -> str:
        """The feedback (HTML) for a pick of option ``picked`` after the wrong options ``wrong_tried``.

        The explanation appears for the answer, once :attr:`REVEAL_AFTER` different wrong options have been tried
        (``picked`` included), or when the learner has ``solved`` the question before.
        """
        if not 0 <= picked < len(self.options):
            raise ValueError(f"picked must be an index in [0, {len(self.options) - 1}], got {picked}")
        explanation = html.escape(self.explanation)
        if picked == self.answer:
            tries = len(set(wrong_tried) - {self.answer}) + 1
            verdict = "Correct." if tries == 1 else f"Correct, on try {tries}."
            return f'<div class="qdpv-right"><b>{verdict}</b> {explanation}</div>'
        why = html.escape(self.why_wrong[picked]) if self.why_wrong else ""
        tried = set(wrong_tried) | {picked}
        if solved or len(tried) >= self.REVEAL_AFTER:
            answer = html.escape(self.options[self.answer].rstrip("."))
            tail = f"<br>The answer is <i>{answer}</i>. {explanation}"
        else:
            tail = " <b>Try again:</b> pick another option."
        return f'<div class="qdpv-wrong"><b>Not quite.</b> {why}{tail}</div>'

    def widget(self) -> QuizWidget:
        """The question, its options as a keyboard-operable radio group, and the feedback, ready to display."""
        page.show(Javascript(QUIZ_JS))  # the page ignores it after the first time
        return QuizWidget(self)


class QuizWidget(w.VBox):
    """The widget of a :class:`Quiz`: ``buttons`` (one per option), ``feedback``; :meth:`pick` is what a click does."""

    def __init__(self, quiz: Quiz) -> None:
        self.quiz = quiz
        self.picked: int | None = None
        self.wrong_tried: set[int] = set()
        self.solved = False
        qid = f"qdpv-quiz-{next(_quiz_ids)}"
        self.question = w.HTML(
            f'<b>Check your understanding.</b> <span id="{qid}">{html.escape(quiz.question)}</span>',
            layout=w.Layout(width="auto"),
        )
        self.question.add_class("qdpv-quiz-question")
        self.buttons = []
        for i, text in enumerate(quiz.options):
            button = w.Button(description=text, tooltip="", layout=w.Layout(width="100%", height="auto"))
            button.add_class("qdpv-option")
            button.on_click(lambda _, i=i: self.pick(i))
            self.buttons.append(button)
        self.group = w.VBox(self.buttons, layout=w.Layout(width="100%"))
        self.group.add_class("qdpv-quiz-group")
        self.feedback = w.HTML(value="", layout=w.Layout(width="auto"))
        self.feedback.add_class("qdpv-quiz-feedback")
        super().__init__([w.HTML(QUIZ_CSS), self.question, self.group, self.feedback],
                         layout=w.Layout(margin="1em 0 0 0"))
        self.add_class("qdpv-quiz")

    def pick(self, i: int) -> None:
        """Choose option ``i``: mark it checked, show its feedback, remember a wrong try or the solution."""
        text = self.quiz.feedback(i, self.wrong_tried, solved=self.solved)
        if i == self.quiz.answer:
            self.solved = True
        else:
            self.wrong_tried.add(i)
        self.picked = i
        for j, button in enumerate(self.buttons):
            _set_class(button, "qdpv-checked", j == i)
            _set_class(button, "qdpv-tried", j in self.wrong_tried and j != i)
        self.feedback.value = text  # last: the page shows the choice before the words about it


def _set_class(widget: w.DOMWidget, name: str, on: bool) -> None:
    if on and name not in widget._dom_classes:
        widget.add_class(name)
    elif not on and name in widget._dom_classes:
        widget.remove_class(name)
