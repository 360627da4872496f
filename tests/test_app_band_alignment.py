"""The band-alignment app without a browser: controls move the plotted data the physical way, presets apply,
out-of-range sizes give a readable message and the app recovers, the CSV and the quiz are consistent.

Reference numbers come from the kit's parameter sheet (shared/params.md, typical literature levels below vacuum:
CsPbI3 CBM 3.95 / VBM 5.68 eV, bulk CsPbBr3 CBM 3.40 eV, C60 LUMO 4.2 eV, PC61BM LUMO 3.9 eV, NiOx VBM 5.3 eV,
ITO 4.7 eV, Ag 4.3 eV) and from the sign of quantum confinement (a smaller dot has a wider gap).
"""

from __future__ import annotations

import itertools

import ipywidgets as w
import numpy as np
import pytest

from qdpv import bands
from qdpv import confinement as conf
from qdpv.ui import band_alignment as ba

TOL_EV = 1e-9  # levels are copied, not computed: only float round-off allowed
QD_NAME = "CsPbBr3 QDs@SiO2"


@pytest.fixture(scope="module")
def app():
    return ba.build()


@pytest.fixture(autouse=True)
def _paper_state(app):
    app.presets.value = "(custom)"
    app.apply_preset("paper: with QD interlayer (8 nm pores)")
    yield


def _source(app, name):
    return app.figures.select_one({"name": name})


def _table(app) -> str:
    def walk(widget):
        if isinstance(widget, w.HTML) and "Band offsets" in widget.value:
            return widget.value
        for child in getattr(widget, "children", ()):
            found = walk(child)
            if found:
                return found
        return None

    return walk(app.widget)


def _row(app, name):
    data = _source(app, "layers").data
    return list(data["name"]).index(name)


def test_first_state_is_the_papers_stack_with_params_sheet_levels(app):
    data = _source(app, "layers").data
    assert list(data["name"]) == ["ITO", "NiOx", "CsPbI3", QD_NAME, "C60", "BCP", "Ag"]
    i = _row(app, "CsPbI3")
    assert data["cbm"][i] == pytest.approx(-3.95, abs=TOL_EV)
    assert data["vbm"][i] == pytest.approx(-5.68, abs=TOL_EV)
    assert data["fermi"][0] == pytest.approx(-4.7, abs=TOL_EV)
    assert data["fermi"][-1] == pytest.approx(-4.3, abs=TOL_EV)
    assert data["cbm"][_row(app, "C60")] == pytest.approx(-4.2, abs=TOL_EV)
    assert app.error.value == ""


def test_paper_state_shows_the_electron_barrier_and_says_so(app):
    # bulk CsPbBr3 (3.40 eV) lies 0.55 eV above CsPbI3 (3.95 eV); confinement of an 8 nm dot (about one Bohr
    # diameter) raises the CBM by no more than a few tens of meV more (the library's author flagged ~0.6 eV)
    offsets = _source(app, "offsets").data
    step = offsets["dEc"][list(offsets["interface"]).index("CsPbI3 | QDs")]
    assert 0.55 < step < 0.70
    assert "0.6" in app.results.value and "at odds with the paper" in app.results.value
    assert ba.VERDICTS["barrier"][0] in offsets["e_colour"]


def test_larger_dot_lowers_its_cbm_raises_its_vbm_and_shrinks_the_barrier(app):
    layers, dot = _source(app, "layers"), _source(app, "dot")
    i = _row(app, QD_NAME)
    cbm0, vbm0, mark0 = layers.data["cbm"][i], layers.data["vbm"][i], dot.data["cbm"][0]
    app.controls["pore_nm"].value = 12.0
    assert layers.data["cbm"][i] < cbm0 and layers.data["vbm"][i] > vbm0  # weaker confinement: narrower gap
    # the dot is the one the kit's pore-to-dot rule grows in a 12 nm pore
    assert dot.data["size"][0] == pytest.approx(float(conf.pore_to_dot_nm(12.0))) and dot.data["cbm"][0] < mark0
    assert dot.data["cbm"][0] == pytest.approx(layers.data["cbm"][i], abs=TOL_EV)
    # but never below the bulk CsPbBr3 CBM: the default model tends to the bulk optical gap from above
    assert dot.data["cbm"][0] > -bands.LAYERS["CsPbBr3"].electron_affinity_eV
    assert "pores 8.0 &rarr; 12.0 nm" in app.results.value


def test_interlayer_toggle_removes_the_dots_and_makes_the_electron_path_a_cascade(app):
    fig = app.figures.select_one({"name": "diagram"})
    end_with = fig.x_range.end
    app.controls["interlayer"].value = False
    names = list(_source(app, "layers").data["name"])
    assert QD_NAME not in names and fig.x_range.end < end_with
    # CsPbI3 CBM 3.95 eV -> C60 LUMO 4.2 eV: electrons step down 0.25 eV
    assert "into C60: a 0.25 eV cascade" in app.results.value
    assert "QD interlayer removed" in app.results.value
    assert "QDs" not in _table(app)


def test_with_interlayer_off_a_size_change_does_not_resend_the_diagram(app):
    app.controls["interlayer"].value = False
    layers, offsets, dot = (_source(app, n) for n in ("layers", "offsets", "dot"))
    before = (layers.data, offsets.data, dot.data)
    app.controls["pore_nm"].value = 6.0
    assert layers.data is before[0] and offsets.data is before[1]
    assert dot.data is not before[2] and dot.data["size"][0] == pytest.approx(float(conf.pore_to_dot_nm(6.0)))


def test_htl_choice_changes_the_hole_step(app):
    app.controls["htl"].value = "PTAA"  # PTAA HOMO 5.2 eV vs CsPbI3 VBM 5.68 eV: 0.48 eV cascade
    assert "PTAA" in list(_source(app, "layers").data["name"])
    assert "a 0.48 eV cascade" in app.results.value
    app.controls["htl"].value = "Me-4PACz"  # a SAM: a contact with a work function, no bands
    data = _source(app, "layers").data
    i = _row(app, "Me-4PACz")
    assert np.isnan(data["cbm"][i]) and data["fermi"][i] == pytest.approx(-5.3, abs=TOL_EV)
    assert "work-function difference 1.00 eV" in app.results.value  # 5.3 - 4.3 eV


def test_etl_choice_moves_the_etl_line(app):
    span = app.figures.select_one({"name": "etl_cbm"})
    assert span.location == pytest.approx(-4.2, abs=TOL_EV)
    app.controls["interlayer"].value = False
    app.controls["etl"].value = "PCBM"
    assert span.location == pytest.approx(-3.9, abs=TOL_EV)
    # CsPbI3 3.95 eV vs PC61BM 3.90 eV: a 0.05 eV step, at the kit's 0.05 eV "aligned" threshold
    assert "aligned (+0.05 eV)" in app.results.value


@pytest.mark.parametrize("name", list(ba.PRESETS))
def test_each_preset_applies_its_values(app, name):
    app.presets.value = name
    assert app.values() == ba.PRESETS[name]
    assert app.error.value == ""
    assert (QD_NAME in list(_source(app, "layers").data["name"])) == ba.PRESETS[name]["interlayer"]


def test_the_pore_slider_offers_only_dots_the_gap_model_describes(app):
    lo, hi = conf.validity_range_nm()
    pore = app.controls["pore_nm"]
    assert lo <= float(conf.pore_to_dot_nm(pore.min)) and float(conf.pore_to_dot_nm(pore.max)) <= hi
    for end in (pore.min, pore.max):
        pore.value = end
        assert app.error.value == ""
    pore.value = ba.PAPER_PORE_NM


def test_out_of_range_size_gives_a_message_keeps_the_figures_and_recovers(app):
    dot = _source(app, "dot")
    kept = dot.data
    pore = app.controls["pore_nm"]
    pore.min, pore.max = 2.0, 20.0  # sizes the slider does not offer, as a program could still set them
    app.controls["pore_nm"].value = 20.0
    assert "20.0 nm pores (18.94 nm)" in app.error.value and "3.0-15.4 nm" in app.error.value
    assert "smaller dots are needed" in app.error.value and "Traceback" not in app.error.value
    assert dot.data is kept
    app.controls["pore_nm"].value = 2.0
    assert "is outside 3.0-15.4 nm" in app.error.value and "larger dots are needed" in app.error.value
    app.controls["pore_nm"].value = 10.0
    assert app.error.value == "" and dot.data["size"][0] == pytest.approx(float(conf.pore_to_dot_nm(10.0)))
    pore.min, pore.max = ba.PORE_RANGE_NM


def test_table_colours_each_verdict():
    rows = bands.offsets(bands.inverted_stack(8.0))
    html = ba.offsets_table_html(rows)
    assert html.count("<tr>") == len(rows) + 1
    for kind in ("barrier", "good", "blocking"):
        assert ba.VERDICTS[kind][1] in html


def test_every_kind_of_verdict_has_a_colour_and_the_library_uses_them_all():
    assert {v.kind for v in bands.Verdict} == set(ba.VERDICTS)
    kinds = set()
    for size, htl, etl in itertools.product((3.1, 8.0, 15.0, None), bands.HTLS, bands.ETLS):
        for row in bands.offsets(bands.inverted_stack(size, htl=htl, etl=etl)):
            kinds |= {row.electron_verdict.kind, row.hole_verdict.kind}
    assert kinds <= set(ba.VERDICTS) and {"good", "barrier", "blocking"} <= kinds


def test_csv_tables_name_existing_columns(app):
    button = app.figures.children[-1]
    (callback,) = button.js_event_callbacks["button_click"]
    for source, columns in zip(callback.args["sources"], callback.args["columns"], strict=True):
        assert columns and set(columns) <= set(source.data)
        assert len(source.data[columns[0]]) > 0


def test_quiz_answer_is_valid_and_true_in_the_model():
    quiz = ba.QUIZ
    assert 0 <= quiz.answer < len(quiz.options) and "Larger" in quiz.options[quiz.answer]

    def step(size, etl="C60"):
        rows = bands.offsets(bands.inverted_stack(size, etl=etl))
        return next(r.dEc_eV for r in rows if r.left == "CsPbI3")

    assert step(12.0) < step(8.0) < step(4.0)
    assert step(8.0, "PCBM") == pytest.approx(step(8.0, "C60"), abs=TOL_EV)
