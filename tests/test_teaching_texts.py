"""What a learner reads: every term an app uses is explained in its "Terms used here" panel, the model notes are
collapsed, the visible text stays short, and the quizzes teach without giving their answers away."""

from __future__ import annotations

import html
import importlib
import re

import ipywidgets as w
import pytest
from bokeh.models import Axis, Label, LegendItem, Title

from qdpv.ui import glossary

APPS = ["msn_templating", "qd_sizing", "band_alignment", "device_jv", "carriers_stability", "design_your_cell"]

# Terms a first-year student meets in the apps and would not know (the findings of a reading of the apps).
REQUIRED_TERMS = ["S0", "TCSPC", "Bohr diameter", "BET", "BJH", "p/p0", "ideality factor", "Voc", "FF", "J0", "T80",
                  "ISOS", "Arrhenius", "quasi-Fermi level", "CBM", "HTL", "ETL", "SRH", "TRPL", "PCE", "Jsc"]

# Words a learner sees at once on an app's page (model note and terms collapsed, figures' labels not counted).
# The apps showed 547-1037 words with their notes open; collapsed, the largest is ~510 (band alignment, with its
# offsets table). The bound keeps the pages from growing back.
MAX_VISIBLE_WORDS = 520


def _widget_texts(widget: w.Widget, tooltips: bool = True) -> list[str]:
    """Every text a widget tree carries; ``tooltips=False`` leaves out hover texts (not on the page until asked)."""
    out = []
    if isinstance(widget, w.HTML) and not widget.value.lstrip().startswith("<style>"):
        out.append(widget.value)
    for attr in ("description", "tooltip") if tooltips else ("description",):
        value = getattr(widget, attr, None)
        if isinstance(value, str):
            out.append(value)
    if isinstance(widget, w.Dropdown):
        out += [str(o[0] if isinstance(o, tuple) else o) for o in widget.options]
    for child in getattr(widget, "children", ()):
        out += _widget_texts(child, tooltips)
    return out


def _figure_texts(layout) -> list[str]:
    out = []
    for model in layout.references():
        if isinstance(model, Title | Label):
            out.append(model.text)
        elif isinstance(model, Axis) and model.axis_label:
            out.append(str(model.axis_label))
        elif isinstance(model, LegendItem) and model.label is not None:
            out.append(str(getattr(model.label, "value", model.label)))
    return out


def _without_terms_panel(text: str) -> str:
    return re.sub(r"<details class='qdpv-terms'>.*?</details>", " ", text, flags=re.DOTALL)


@pytest.fixture(scope="module", params=APPS)
def shown(request):
    """An app module and what its page shows at each preset: every widget's texts, and the figures' labels."""
    module = importlib.import_module(f"qdpv.ui.{request.param}")
    app = module.build()
    pages = []
    for name in module.PRESETS:
        app.apply_preset(name)
        pages.append(_widget_texts(app.widget))
    return module, app, pages, _figure_texts(app.figures)


# -- the glossary ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("term", glossary.GLOSSARY)
def test_every_explanation_is_one_plain_sentence(term):
    text = glossary.GLOSSARY[term]
    assert text.endswith(".") and text[0].isupper(), text
    assert not re.search(r"[.!?] [A-Z]", text[:-1]), f"{term}: more than one sentence"
    assert len(text.split()) <= 32, f"{term}: {len(text.split())} words"


def test_the_glossary_explains_the_jargon_of_the_apps():
    assert set(REQUIRED_TERMS) <= set(glossary.GLOSSARY)
    assert set(glossary.VARIANTS) <= set(glossary.GLOSSARY)


def test_terms_are_found_as_words_under_their_other_spellings():
    found = glossary.find_terms("the non-radiative limit", "Residuals of the decay fit", "V<sub>oc</sub>",
                                "ISOS-L test", "SAMPLE", "log10 interface S0")
    assert found == ["Voc", "non-radiative", "S0", "log10", "residuals", "ISOS"]
    assert "radiative limit" not in found and "SAM" not in found


def test_panels_refuse_unknown_terms():
    with pytest.raises(ValueError, match=r"unknown \['no such term'\]"):
        glossary.terms_html(["FF", "no such term"])


# -- each app's page ---------------------------------------------------------------------------------------------


def test_every_term_the_app_uses_is_explained_on_its_page(shown):
    module, _, pages, figure_texts = shown
    used = glossary.find_terms(*(_without_terms_panel(t) for page in pages for t in page), *figure_texts,
                               module.QUIZ.question, module.QUIZ.explanation, *module.QUIZ.why_wrong)
    missing = [t for t in used if t not in module.TERMS]
    assert missing == [], f"add to {module.__name__}.TERMS: {missing}"
    unused = [t for t in module.TERMS if t not in used]
    assert unused == [], f"{module.__name__}.TERMS lists terms its texts do not use: {unused}"
    panel = next(t for t in pages[0] if "qdpv-terms" in t)
    for term in module.TERMS:
        assert f"<b>{html.escape(term)}</b>: {html.escape(glossary.GLOSSARY[term])}</li>" in panel


def test_the_model_note_is_collapsed_under_how_the_model_works(shown):
    _, _, pages, _ = shown
    [note] = [t for t in pages[0] if "qdpv-note" in t]
    assert "<details class='qdpv-model-note'><summary" in note and "<b>How the model works</b>" in note
    assert " open" not in note.split("<summary")[0]  # collapsed until the learner opens it
    body = note.split("</summary>", 1)[1].split("</details>", 1)[0]
    assert len(re.sub(r"<[^>]+>", " ", body).split()) > 100  # the whole note is there, only folded away


def test_the_visible_text_is_short(shown):
    # what the page shows without opening anything: folded notes and hover texts (each label's full text is its
    # tooltip, for labels that wrap) do not count
    module, app, _, _ = shown
    for name in module.PRESETS:
        app.apply_preset(name)
        page = _widget_texts(app.widget, tooltips=False)
        text = re.sub(r"<details.*?</details>", " ", " ".join(page), flags=re.DOTALL)
        words = len(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
        assert words <= MAX_VISIBLE_WORDS


# -- the quizzes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", APPS)
def test_quiz_says_why_each_wrong_option_is_wrong_without_giving_the_answer(name):
    quiz = importlib.import_module(f"qdpv.ui.{name}").QUIZ
    answer = quiz.options[quiz.answer]
    assert len(quiz.why_wrong) == len(quiz.options)
    for i, why in enumerate(quiz.why_wrong):
        if i == quiz.answer:
            continue
        assert len(why.split()) >= 6, f"option {i}: say why it is wrong"
        assert answer.lower().rstrip(".") not in why.lower()
        assert why not in quiz.explanation


@pytest.mark.parametrize("name", APPS)
def test_quiz_answer_does_not_stand_out_by_its_length(name):
    quiz = importlib.import_module(f"qdpv.ui.{name}").QUIZ
    lengths = [len(o) for o in quiz.options]
    assert lengths[quiz.answer] < max(lengths), "the right answer must not be the longest option"
    assert max(lengths) <= 2 * min(lengths), f"options of very different lengths: {lengths}"
